using ChatRegs.Bot.Diagnostics;
using ChatRegs.Bot.Storage;
using ChatRegs.Bot.Suggestions;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Tests.Conversations;

/// <summary>
/// What a dialog turn costs in storage requests (counted by the bot's own counting policy, not
/// timed): the state read and the state write — the redelivery guard lives in the state row —
/// plus one write per record the turn saves. And a redelivered flow message is dropped by the ids
/// the state remembers, without a ProcessedActivities row.
/// </summary>
public sealed class TurnStorageBudgetTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, FeatureHost.Shanghai);
    private static readonly Dictionary<string, string?> Counting = new() { [StorageDiagnostics.Switch] = "true" };

    [Fact]
    public async Task A_suggestion_flow_costs_a_state_read_and_write_per_turn_plus_the_suggestion()
    {
        await using var host = await FeatureHost.StartAsync("tenant-b", Now, Counting);
        await host.PersonAsync("29:wang", "王小明");
        var names = host.Get<TableNames>();
        var counter = host.Get<StorageRequestCounter>();

        var perTurn = new List<IReadOnlyDictionary<string, long>>();
        async Task<List<IActivity>> Turn(Func<Task<List<IActivity>>> send)
        {
            var before = counter.ByTable;
            var replies = await send();
            perTurn.Add(Minus(counter.ByTable, before));
            return replies;
        }

        // Two flows in a row: the second suggestion of the week is numbered 2 with no count read.
        foreach (var (title, nth) in new[] { ("周会材料提前一天发", 1), ("回访时段表按休息时间生成", 2) })
        {
            Assert.Contains("建议标题", Assert.Single(await Turn(() => host.SayAsync("29:wang", "建议"))).AsMessageActivity().Text);
            Assert.NotNull(Assert.Single(await Turn(() => host.SayAsync("29:wang", title))).AsMessageActivity().Attachments);
            var saved = await Turn(() => host.SubmitAsync("29:wang", new { verb = SuggestionDialog.SubmitVerb, details = "周会材料提前一天发到群里，会上只讨论问题。", department = "", benefit = "" }));
            var text = Assert.Single(saved).AsMessageActivity().Text;
            Assert.StartsWith("已收到", text);
            Assert.Contains($"本周第 {nth} 条", text);
        }

        foreach (var turn in perTurn)
        {
            Assert.Equal(1, On(turn, names.BotState, "GET"));
            Assert.Equal(1, On(turn, names.BotState, "PUT", "POST", "PATCH", "MERGE"));
            Assert.Equal(0, On(turn, names.ProcessedActivities));
        }
        // Besides the state: nothing on the first two turns of a flow (the scheduler's once-per-process
        // registration of its recurring jobs aside, which the first turn of a process pays); the
        // third saves the suggestion: one insert, which also numbers it ("本周第 N 条").
        // ("POST $batch" is the first-contact buffer writing in the background, off every turn's path.)
        // The tenant's language choices are read once by the first turn (two range queries), then
        // kept in memory for ChatRegs:Language:CacheDuration (docs/language.md).
        Assert.Equal(2, On(perTurn[0], names.People, "GET"));
        perTurn[0] = perTurn[0].Where(kv => kv.Key != "GET " + names.People).ToDictionary();
        var sums = perTurn.Select(t => t.Where(kv => !kv.Key.EndsWith(" " + names.Jobs, StringComparison.Ordinal) && kv.Key != "POST $batch").Sum(kv => kv.Value)).ToArray();
        Assert.True(sums.SequenceEqual([2L, 2L, 3L, 2L, 2L, 3L]), string.Join(" || ", perTurn.Select(t => string.Join(", ", t.Select(kv => kv.Key + "=" + kv.Value)))));
        Assert.All(new[] { perTurn[2], perTurn[5] }, t =>
        {
            Assert.Equal(1, On(t, names.Suggestions, "POST", "PUT", "PATCH", "MERGE"));
            Assert.Equal(0, On(t, names.Suggestions, "GET"));
        });
        Assert.All(perTurn, t => Assert.Equal(0, On(t, names.People) + On(t, names.ConversationReferences)));
    }

    [Fact]
    public async Task A_flow_answer_delivered_twice_is_taken_once_by_the_ids_its_state_remembers()
    {
        await using var host = await FeatureHost.StartAsync("tenant-b", Now, Counting);
        await host.PersonAsync("29:li", "李娜");
        var counter = host.Get<StorageRequestCounter>();
        var adapter = host.Adapter("29:li");
        await host.SayAsync(adapter, "建议");
        Activity Title() => new() { Type = ActivityTypes.Message, Properties = UniqueActivityIds.Id("title-1"), Text = "周会材料提前一天发" };

        var first = await host.SendAsync(adapter, Title());
        var before = counter.ByTable;
        var again = await host.SendAsync(adapter, Title());

        Assert.NotNull(Assert.Single(first).AsMessageActivity().Attachments);
        Assert.Empty(again);
        // The redelivery cost the state read only: no flow ran, nothing was written.
        Assert.Equal(1, Minus(counter.ByTable, before).Where(kv => kv.Key != "POST $batch").Sum(kv => kv.Value));
        // The flow is still at the form: the form's submit files the suggestion with the first title.
        var saved = await host.SubmitAsync(adapter, new { verb = SuggestionDialog.SubmitVerb, details = "周会材料提前一天发到群里，会上只讨论问题。", department = "", benefit = "" });
        Assert.StartsWith("已收到", Assert.Single(saved).AsMessageActivity().Text);
    }

    private static Dictionary<string, long> Minus(IReadOnlyDictionary<string, long> now, IReadOnlyDictionary<string, long> before) =>
        now.Select(kv => (kv.Key, Value: kv.Value - before.GetValueOrDefault(kv.Key))).Where(p => p.Value != 0).ToDictionary(p => p.Key, p => p.Value);

    private static long On(IReadOnlyDictionary<string, long> requests, string table, params string[] methods) =>
        requests.Where(kv => kv.Key.EndsWith(" " + table, StringComparison.Ordinal) && (methods.Length == 0 || methods.Contains(kv.Key.Split(' ')[0]))).Sum(kv => kv.Value);
}
