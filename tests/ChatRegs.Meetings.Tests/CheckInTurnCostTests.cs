using ChatRegs.Bot.Storage;
using ChatRegs.Meetings.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Meetings.Tests;

/// <summary>
/// A check-in through the whole bot (the card's Action.Execute invoke, every middleware): the
/// meeting feature's share of storage is the one insert; the series comes from memory.
/// </summary>
public sealed class CheckInTurnCostTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_card_check_in_turn_costs_the_meeting_feature_one_insert()
    {
        StorageRequests counter = null!;
        await using var host = await MeetingsHost.StartAsync(configure: s => counter = StorageRequests.Install(s));
        var people = Enumerable.Range(0, 30).Select(i => ($"29:p{i}", $"参会人{i}")).ToArray();
        await host.KnowAsync(people);
        await host.WeeklyAsync(people.Select(p => p.Item1));
        var names = host.Services.GetRequiredService<TableNames>();
        host.At(8, 20);

        // The first one loads the series into memory.
        await host.ExecuteAsync(host.Adapter("29:p0", conversationId: MeetingsHost.MeetingChat, conversationType: "channel"), "meetings.checkin", new { occurrence = "weekly@202611300830" });
        counter.Clear();
        for (var i = 1; i < people.Length; i++)
        {
            var card = await host.ExecuteAsync(host.Adapter($"29:p{i}", conversationId: MeetingsHost.MeetingChat, conversationType: "channel"), "meetings.checkin", new { occurrence = "weekly@202611300830" });
            Assert.Contains("已签到 08:20（提前）", card.ToString());
        }
        var turns = people.Length - 1;
        var requests = counter.All;
        Assert.Equal(turns, counter.On(names.CheckIns));
        Assert.Equal(turns, counter.On(names.CheckIns, HttpMethod.Post));
        Assert.Equal(0, counter.On(names.Meetings));
        output.WriteLine($"{requests.Count / (double)turns:F2} storage requests per check-in turn in all: " +
            string.Join(", ", requests.GroupBy(r => r.Method + " " + r.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1)?.Split('(')[0]).Select(g => $"{g.Key} ×{g.Count()}")));
    }

    /// <summary>Counts the bot's storage requests into <paramref name="counter"/> (set when the host starts).</summary>
    private static Action<IServiceCollection> Counting(Action<StorageRequests> counter, TimeSpan? bufferDelay = null) => s =>
    {
        counter(StorageRequests.Install(s));
        if (bufferDelay is { } delay)
        {
            // First-contact rows wait until the test flushes them (as after the rush): the turns' own requests are counted alone.
            s.AddSingleton(sp => new BufferedRowWriter(sp.GetRequiredService<ILogger<BufferedRowWriter>>(), delay));
        }
    };

    [Fact]
    public async Task A_check_in_by_someone_new_costs_one_request_on_its_path_and_their_first_contact_rows_go_in_one_batch_per_table()
    {
        StorageRequests counter = null!;
        await using var host = await MeetingsHost.StartAsync(configure: Counting(c => counter = c, TimeSpan.FromHours(1)));
        var people = Enumerable.Range(0, 40).Select(i => $"29:new{i}").ToArray();
        await host.WeeklyAsync(people);
        var names = host.Services.GetRequiredService<TableNames>();
        host.At(8, 20);
        await host.ExecuteAsync(host.Adapter(people[0], conversationId: MeetingsHost.MeetingChat, conversationType: "channel"), "meetings.checkin", new { occurrence = "weekly@202611300830" });
        counter.Clear();

        foreach (var person in people.Skip(1))
        {
            var card = await host.ExecuteAsync(host.Adapter(person, conversationId: MeetingsHost.MeetingChat, conversationType: "channel"), "meetings.checkin", new { occurrence = "weekly@202611300830" });
            Assert.Contains("已签到 08:20（提前）", card.ToString());
        }
        // On the turns' path: the check-in insert and nothing else (no guard row, no People or reference write).
        var onPath = counter.All;
        Assert.Equal(people.Length - 1, onPath.Count);
        Assert.All(onPath, r => Assert.True(r.Method == "POST" && r.Path.Contains("/" + names.CheckIns, StringComparison.Ordinal), r.ToString()));

        // Shortly after: 40 people's directory and reference rows, one transaction per table.
        counter.Clear();
        await host.Services.GetRequiredService<BufferedRowWriter>().FlushAsync();
        var batches = counter.All;
        Assert.Equal(2, batches.Count);
        Assert.All(batches, r => Assert.EndsWith("$batch", r.Path, StringComparison.Ordinal));
        var known = await host.Services.GetRequiredService<ChatRegs.Bot.People.PeopleDirectory>().ListAsync(MeetingsHost.Tenant);
        Assert.Equal(people.Order(StringComparer.Ordinal), known.Select(p => p.UserId).Where(people.Contains).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_check_in_delivered_twice_is_answered_checked_in_both_times_and_counted_once_without_a_guard_row()
    {
        StorageRequests counter = null!;
        await using var host = await MeetingsHost.StartAsync(configure: Counting(c => counter = c));
        await host.WeeklyAsync(["29:p1", "29:p2"]);
        var names = host.Services.GetRequiredService<TableNames>();
        host.At(8, 20);
        var adapter = host.Adapter("29:p1", conversationId: MeetingsHost.MeetingChat, conversationType: "channel");
        Activity Press() => new()
        {
            Type = ActivityTypes.Message,
            Properties = UniqueActivityIds.Id("checkin-1"),
            Value = JObject.FromObject(new { verb = "meetings.checkin", occurrence = "weekly@202611300830" }),
        };

        var first = await host.Feature.SendAsync(adapter, Press());
        host.At(8, 21);
        // Teams sends the very same activity again (the bot was slow to answer).
        var again = await host.Feature.SendAsync(adapter, Press());

        Assert.StartsWith("已签到 08:20（提前）", Text(first));
        Assert.Equal(Text(first), Text(again));
        var (roll, _) = await host.CheckIns.ReadAsync(MeetingsHost.Tenant, "weekly@202611300830", default);
        Assert.Equal("29:p1", Assert.Single(roll).UserId);
        Assert.DoesNotContain(counter.All, r => r.Path.Contains("/" + names.ProcessedActivities, StringComparison.Ordinal));

        // A second press of one's own (a new activity) is told "already checked in", still counted once.
        var later = await host.SubmitAsync(adapter, new { verb = "meetings.checkin", occurrence = "weekly@202611300830" });
        Assert.Contains("已经在 08:20 签到过了", Text(later));
        Assert.Single((await host.CheckIns.ReadAsync(MeetingsHost.Tenant, "weekly@202611300830", default)).CheckIns);
    }

    private static string Text(IReadOnlyList<IActivity> replies) =>
        string.Join("\n", replies.OfType<IMessageActivity>().Where(r => r.Type == ActivityTypes.Message).Select(r => r.Text));
}
