using System.Net;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Jobs;
using ChatRegs.Bot.Scheduling;
using ChatRegs.TestSupport;

namespace ChatRegs.Meetings.Tests;

/// <summary>
/// "The meeting was moved" reaches every participant exactly once, even when Teams refuses one
/// of them for a while and the job is retried; the roll reaches the host and the recorder once
/// even when its job runs twice.
/// </summary>
public class MeetingNoticeOnceTests
{
    private const string Tenant = "tenant-mn";
    private static readonly DateTimeOffset Monday = new(2026, 11, 30, 7, 0, 0, TimeSpan.FromHours(8));

    private static async Task<(FeatureHost Host, MeetingOccurrence Occurrence)> StartAsync()
    {
        var host = await FeatureHost.StartAsync(Tenant, Monday, new Dictionary<string, string?> { ["ChatRegs:Jobs:RetryBaseDelay"] = "00:00:10" });
        await host.PersonAsync("29:host", "张伟");
        await host.PersonAsync("29:rec", "刘洋");
        await host.PersonAsync("29:a", "李娜");
        await host.PersonAsync("29:b-en", "Mike");
        await BotSeed.WeeklySeriesAsync(host.Services, Tenant, conversationId: null, "29:host", "29:rec", ["29:a", "29:b-en"], Monday);
        var (_, occurrence) = await host.Get<MeetingCache>().GetOccurrenceAsync(Tenant, "weekly@202611300830", default);
        return (host, occurrence!);
    }

    [Fact]
    public async Task A_moved_meeting_notice_retried_after_Teams_refused_one_person_reaches_each_person_once()
    {
        var (host, occurrence) = await StartAsync();
        await using var _ = host;
        host.Connector.Refuse[FeatureHost.ChatOf("29:a")] = HttpStatusCode.ServiceUnavailable;
        await host.Get<MeetingJobs>().NotifyAsync(Tenant, new MeetingNotice(MeetingNotice.Cancelled, "weekly", occurrence.Key,
            occurrence.Start, occurrence.End, "张伟", "领导出差", ["29:a", "29:b-en", "29:rec"]), default);

        await host.PollJobsAsync();
        host.Connector.Refuse.Clear();
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await host.PollJobsAsync();
        host.Clock.Advance(TimeSpan.FromMinutes(10));
        await host.PollJobsAsync();

        foreach (var person in new[] { "29:a", "29:b-en", "29:rec" })
        {
            var notice = Assert.Single(host.Connector.To(FeatureHost.ChatOf(person)), c => c.Method == "POST");
            Assert.Contains(person.EndsWith("-en") ? "cancelled" : "取消", notice.Text, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("领导出差", notice.Text);
        }
    }

    [Fact]
    public async Task The_roll_job_run_twice_sends_the_roll_to_the_host_and_the_recorder_once()
    {
        var (host, occurrence) = await StartAsync();
        await using var _ = host;
        var jobs = host.Get<MeetingJobs>();
        await jobs.ScheduleRollAsync(Tenant, occurrence, default);
        host.At(new DateOnly(2026, 11, 30), 9, 30);
        var roll = (await host.Get<JobScheduler>().GetAsync(Tenant, MeetingJobs.RollJobId(occurrence)))!;

        await host.RunJobAsync(roll);
        await host.RunJobAsync(roll);

        foreach (var person in new[] { "29:host", "29:rec" })
        {
            var card = Assert.Single(host.CardsTo(person));
            Assert.Contains("签到表", TurnKit.Text(card));
        }
        Assert.Empty(host.CardsTo("29:a"));
    }
}
