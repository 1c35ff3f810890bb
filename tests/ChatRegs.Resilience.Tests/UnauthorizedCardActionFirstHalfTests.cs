using ChatRegs.Resilience.Tests.Support;

namespace ChatRegs.Resilience.Tests;

/// <summary>
/// Nobody sees what isn't theirs (<see cref="UnauthorizedReadCorpus"/>): the first half of the verbs (in ordinal order, every other one from the first), pressed or sent by
/// an employee with no role, another tenant's user with the supervisor's id and a second person in
/// the owners' group chat. A class of its own so xunit runs it beside the corpus's other parts.
/// </summary>
public sealed class UnauthorizedCardActionFirstHalfTests : IAsyncLifetime
{
    private UnauthorizedReadCorpus _corpus = null!;

    public async Task InitializeAsync() => _corpus = await UnauthorizedReadCorpus.StartAsync();

    public async Task DisposeAsync() => await _corpus.DisposeAsync();

    [Fact]
    public Task No_card_action_shows_another_persons_record_to_someone_who_may_not_see_it() => _corpus.CardActionsByOutsidersAsync(0, 2);
}
