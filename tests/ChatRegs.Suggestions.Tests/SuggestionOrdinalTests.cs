using ChatRegs.Bot.Suggestions;
using ChatRegs.TestSupport;

namespace ChatRegs.Suggestions.Tests;

/// <summary>
/// "本周第 N 条": the number a person is told is how many suggestions they have filed this week,
/// whatever the chat's tally believed (a suggestion filed with the weekly report, state cleared),
/// and a submission whose first answer was lost is filed once.
/// </summary>
public sealed class SuggestionOrdinalTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, FeatureHost.Shanghai);
    private const string Week = "2026-W48";

    private static Suggestion Of(string user, string title) =>
        new("tenant-ordinal", user, "王小明", Week, Now, title, "周会材料提前一天发到群里，会上只讨论问题。", null, null);

    [Fact]
    public async Task The_ordinal_is_the_count_of_the_persons_suggestions_whatever_the_tally_believed()
    {
        await using var host = await FeatureHost.StartAsync("tenant-ordinal", Now);
        var store = host.Get<SuggestionStore>();

        Assert.Equal(1, await store.AddAsync(Of("29:a", "一"), 0, "act-1", default));
        Assert.Equal(2, await store.AddAsync(Of("29:a", "二"), 1, "act-2", default));
        // Too low (filed elsewhere meanwhile, or the chat's state was cleared): corrected.
        Assert.Equal(3, await store.AddAsync(Of("29:a", "三"), 0, "act-3", default));
        // Someone else's suggestions do not count.
        Assert.Equal(1, await store.AddAsync(Of("29:b", "别人的"), 0, "act-4", default));

        var mine = await store.ListAsync("tenant-ordinal", Week, "29:a", default);
        Assert.Equal(new[] { "一", "二", "三" }.Order(StringComparer.Ordinal), mine.Select(s => s.Title).Order(StringComparer.Ordinal));
        Assert.Equal(4, (await store.ListAsync("tenant-ordinal", Week, null, default)).Count);
    }

    [Fact]
    public async Task A_submission_filed_already_is_not_filed_twice()
    {
        await using var host = await FeatureHost.StartAsync("tenant-ordinal", Now);
        var store = host.Get<SuggestionStore>();
        Assert.Equal(1, await store.AddAsync(Of("29:a", "一"), 0, "act-1", default));

        // The same activity again (its first answer lost, or redelivered) with the tally not yet moved on.
        Assert.Equal(1, await store.AddAsync(Of("29:a", "一"), 0, "act-1", default));

        Assert.Single(await store.ListAsync("tenant-ordinal", Week, "29:a", default));
    }
}
