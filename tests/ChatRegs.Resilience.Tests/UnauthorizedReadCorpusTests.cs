using ChatRegs.Resilience.Tests.Support;

namespace ChatRegs.Resilience.Tests;

/// <summary>
/// Nobody sees what isn't theirs (<see cref="UnauthorizedReadCorpus"/>: real records of other
/// people with a canary in every free-text field). Here: the canary shows to the owners, and no
/// card action puts a personal record in a shared chat. Every verb and every command word by the
/// outsiders: <see cref="UnauthorizedCardActionFirstHalfTests"/>, <see cref="UnauthorizedCardActionSecondHalfTests"/>,
/// <see cref="UnauthorizedChineseCommandTests"/>, <see cref="UnauthorizedEnglishCommandTests"/>
/// (classes of their own, so xunit runs them side by side). Each test seeds a world of its own.
/// </summary>
public sealed class UnauthorizedReadCorpusTests : IAsyncLifetime
{
    private UnauthorizedReadCorpus _corpus = null!;

    public async Task InitializeAsync() => _corpus = await UnauthorizedReadCorpus.StartAsync();

    public async Task DisposeAsync() => await _corpus.DisposeAsync();

    [Fact]
    public Task The_seeded_records_do_carry_the_canary_where_their_owners_look() => _corpus.SeededRecordsShowToTheirOwnersAsync();

    /// <summary>
    /// The records' owners and those who may see them, pressing every verb in their group chat:
    /// whatever they may see in their 1:1 chat, a personal record (leave reasons and decisions,
    /// weekly reports, complaints, callbacks, customers' phones) never lands in the shared chat.
    /// Meeting records (place, topics, minutes) may: the meeting's group reads them.
    /// </summary>
    [Fact]
    public Task No_card_action_puts_a_personal_record_in_a_shared_chat_even_for_those_who_may_see_it() => _corpus.CardActionsInTheGroupChatAsync();
}
