using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;
using ChatRegs.Meetings.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace ChatRegs.Meetings.Tests;

/// <summary>
/// A check-in through the whole bot (the card's Action.Execute invoke, every middleware): the
/// meeting feature's share of storage is the one insert; the series comes from memory.
/// </summary>
public sealed class CheckInTurnCostTests(ITestOutputHelper output)
{
    private sealed class Counter : HttpPipelinePolicy
    {
        public ConcurrentQueue<(string Method, string Path)> Requests { get; } = new();

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Requests.Enqueue((message.Request.Method.Method, message.Request.Uri.Path));
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Requests.Enqueue((message.Request.Method.Method, message.Request.Uri.Path));
            return ProcessNextAsync(message, pipeline);
        }
    }

    [Fact]
    public async Task A_card_check_in_turn_costs_the_meeting_feature_one_insert()
    {
        var counter = new Counter();
        await using var host = await MeetingsHost.StartAsync(configure: s => s.AddSingleton(sp =>
        {
            var options = new TableClientOptions();
            options.AddPolicy(counter, HttpPipelinePosition.PerCall);
            return new TableServiceClient(sp.GetRequiredService<StorageOptions>().ConnectionString, options);
        }));
        var people = Enumerable.Range(0, 30).Select(i => ($"29:p{i}", $"参会人{i}")).ToArray();
        await host.KnowAsync(people);
        await host.WeeklyAsync(people.Select(p => p.Item1));
        var names = host.Services.GetRequiredService<TableNames>();
        host.At(8, 20);

        // The first one loads the series into memory.
        await host.ExecuteAsync(host.Adapter("29:p0", conversationId: MeetingsHost.MeetingChat, conversationType: "channel"), "meetings.checkin", new { occurrence = "weekly@202611300830" });
        counter.Requests.Clear();
        for (var i = 1; i < people.Length; i++)
        {
            var card = await host.ExecuteAsync(host.Adapter($"29:p{i}", conversationId: MeetingsHost.MeetingChat, conversationType: "channel"), "meetings.checkin", new { occurrence = "weekly@202611300830" });
            Assert.Contains("已签到 08:20（提前）", card.ToString());
        }
        var turns = people.Length - 1;
        var requests = counter.Requests.ToList();
        int On(string table) => requests.Count(r => r.Path.Contains("/" + table, StringComparison.Ordinal));
        Assert.Equal(turns, On(names.CheckIns));
        Assert.Equal(turns, requests.Count(r => r.Method == "POST" && r.Path.Contains("/" + names.CheckIns, StringComparison.Ordinal)));
        Assert.Equal(0, On(names.Meetings));
        output.WriteLine($"{requests.Count / (double)turns:F2} storage requests per check-in turn in all: " +
            string.Join(", ", requests.GroupBy(r => r.Method + " " + r.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1)?.Split('(')[0]).Select(g => $"{g.Key} ×{g.Count()}")));
    }
}
