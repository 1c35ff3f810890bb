using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Storage;
using ChatRegs.Meetings.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using Xunit.Abstractions;

namespace ChatRegs.Meetings.Tests;

/// <summary>
/// What Teams' in-meeting notification at the start of a meeting costs in storage: the
/// recipients' languages are read together (one query per 14 people), not one read per person,
/// and everyone in the meeting without a check-in is still shown the dialog in their language.
/// </summary>
public sealed class InMeetingNotificationCostTests(ITestOutputHelper output)
{
    private const string SmallChat = "19:small@thread.tacv2";

    [Fact]
    public async Task The_start_notification_reads_the_recipients_languages_together_and_reaches_every_one_of_forty_two()
    {
        StorageRequests requests = null!;
        await using var host = await MeetingsHost.StartAsync(configure: s =>
        {
            requests = StorageRequests.Install(s);
            s.Configure<MeetingOptions>(o => o.InMeetingNotificationUrl = "https://chatregs.test/tabs/meeting.html");
        });
        // 40 participants, every fifth one with an English client; with the host and the recorder, 42 people not checked in.
        var people = Enumerable.Range(0, 40).Select(i => (Id: i % 5 == 0 ? $"29:p{i}-en" : $"29:p{i}", Name: $"参会人{i}")).ToArray();
        foreach (var (id, name) in people.Append((MeetingsHost.Host, "张伟")).Append((MeetingsHost.Recorder, "陈静")))
        {
            await host.Feature.PersonAsync(id, name);
        }
        await host.KnowMeetingChatAsync();
        await host.WeeklyAsync(people.Select(p => p.Id));
        // The same meeting for two of them (and the host and recorder), in a chat of its own: 4 people.
        await host.Feature.KnowChatAsync(SmallChat, MeetingsHost.Host, "张伟", "channel");
        await BotSeed.WeeklySeriesAsync(host.Services, MeetingsHost.Tenant, SmallChat, MeetingsHost.Host, MeetingsHost.Recorder, people.Take(2).Select(p => p.Id),
            host.Clock.GetUtcNow(), change: s => s with { Id = "small", Name = "小组例会" });
        await host.Feature.Get<BufferedRowWriter>().FlushAsync();
        host.At(8, 31);

        var (fourCost, fourShown) = await StartAsync(host, requests, SmallChat, "MCMeeting-small", [.. people.Take(2).Select(p => p.Id), MeetingsHost.Host, MeetingsHost.Recorder]);
        var everyone = people.Select(p => p.Id).Append(MeetingsHost.Host).Append(MeetingsHost.Recorder).ToList();
        var (fortyTwoCost, fortyTwoShown) = await StartAsync(host, requests, MeetingsHost.MeetingChat, "MCMeeting-weekly", everyone);

        // Everyone is shown the dialog in the meeting, in their language; nobody gets a personal message instead.
        Assert.Equal(4, fourShown.Sum(n => n.Recipients.Count));
        Assert.Equal(everyone.Order(StringComparer.Ordinal), fortyTwoShown.SelectMany(n => n.Recipients).Order(StringComparer.Ordinal));
        var english = Assert.Single(fortyTwoShown, n => n.Title == "周工作例会 has started: please check in");
        Assert.Equal(people.Select(p => p.Id).Where(id => id.EndsWith("-en", StringComparison.Ordinal)).Order(StringComparer.Ordinal), english.Recipients.Order(StringComparer.Ordinal));
        Assert.Equal(everyone.Where(id => !id.EndsWith("-en", StringComparison.Ordinal)).Order(StringComparer.Ordinal),
            Assert.Single(fortyTwoShown, n => n.Title == "周工作例会 已开始，请签到").Recipients.Order(StringComparer.Ordinal));
        Assert.All(everyone, id => Assert.Empty(host.Connector.PostedTo(FeatureHost.ChatOf(id))));

        // 38 more people cost the People table one query per 14 more (4 → 1 query, 42 → 3), not a read each.
        output.WriteLine($"People table requests: 4 people {fourCost}, 42 people {fortyTwoCost}");
        Assert.Equal(2, fortyTwoCost - fourCost);
    }

    /// <summary>
    /// Teams says the meeting in <paramref name="chat"/> started with <paramref name="inMeeting"/> in
    /// it; the start job runs. Answers the job's requests to the People table and the notifications shown.
    /// </summary>
    private static async Task<(int PeopleRequests, List<(string Title, List<string> Recipients)> Shown)> StartAsync(
        MeetingsHost host, StorageRequests requests, string chat, string meetingId, IReadOnlyList<string> inMeeting)
    {
        host.Connector.InMeeting[meetingId] = [.. inMeeting];
        await host.Feature.SendAsync(host.Adapter(MeetingsHost.Host, conversationId: chat, conversationType: "channel"), new Activity
        {
            Type = ActivityTypes.Event,
            Name = "application/vnd.microsoft.meetingStart",
            Value = JObject.FromObject(new { Id = meetingId, MeetingType = "Scheduled", StartTime = "2026-11-30T00:31:00Z" }),
            ChannelData = JObject.FromObject(new { tenant = new { id = MeetingsHost.Tenant }, meeting = new { id = meetingId } }),
        });
        requests.Clear();
        await host.Feature.PollJobsAsync();
        var shown = host.Connector.NotificationsIn(meetingId).Select(n => (
            Title: (string)n.Body!["value"]!["surfaces"]![0]!["content"]!["value"]!["title"]!,
            Recipients: n.Body["value"]!["recipients"]!.AsArray().Select(r => (string)r!).ToList())).ToList();
        return (requests.On(host.Get<TableNames>().People), shown);
    }
}
