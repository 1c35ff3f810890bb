using System.Net;
using ChatRegs.Bot.Scheduling;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.Scheduling.Tests.Jobs;

/// <summary>
/// A job that messages several people, retried after a transient failure: nobody gets the
/// message twice, the person Teams refused for a while gets it on the retry, and a person the
/// bot cannot reach at all is not retried.
/// </summary>
public class JobDeliveriesTests
{
    private const string Tenant = "tenant-jd";
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 8, 0, 0, TimeSpan.FromHours(8));

    /// <summary>A notice to everyone in the job's data, through <see cref="JobDeliveries"/>.</summary>
    private sealed class NoticeJob(JobDeliveries deliveries) : IJobHandler
    {
        public string Kind => "test.notice";

        public async Task RunAsync(Job job, CancellationToken cancellationToken)
        {
            var data = job.DataAs<NoticeData>()!;
            await deliveries.SendToEachAsync(job, data.To,
                userId => (turn, ct) => turn.SendActivityAsync(turn.Activity.Locale == "en-US" ? $"Moved to {data.When}" : $"会议改到 {data.When}", cancellationToken: ct),
                "test.notice", cancellationToken);
        }
    }

    private sealed record NoticeData(string[] To, string When);

    private static Task<FeatureHost> StartAsync() => FeatureHost.StartAsync(Tenant, Now, new Dictionary<string, string?>
    {
        // Retries quickly, on the fake clock.
        ["ChatRegs:Jobs:RetryBaseDelay"] = "00:00:10",
        ["ChatRegs:Proactive:MaxRetries"] = "0",
    }, services => services.AddSingleton<IJobHandler, NoticeJob>());

    [Fact]
    public async Task A_retried_notice_reaches_the_one_Teams_refused_and_nobody_twice()
    {
        await using var host = await StartAsync();
        await host.PersonAsync("29:a", "张伟");
        await host.PersonAsync("29:b", "李娜");
        await host.PersonAsync("29:c-en", "Mike");
        host.Connector.Refuse[FeatureHost.ChatOf("29:b")] = HttpStatusCode.ServiceUnavailable;
        await host.Get<JobScheduler>().ScheduleAsync(Tenant, "test.notice", Now, new NoticeData(["29:a", "29:b", "29:c-en", "29:a"], "周二 09:00"), jobId: "notice-1");

        await host.PollJobsAsync();

        Assert.Equal(["会议改到 周二 09:00"], Delivered(host, "29:a"));
        Assert.Empty(Delivered(host, "29:b"));
        Assert.Equal(["Moved to 周二 09:00"], Delivered(host, "29:c-en"));
        var failed = await host.Get<JobStore>().GetAsync(Tenant, "notice-1", default);
        Assert.Equal(JobStatus.Pending, failed!.Status);
        Assert.Contains("29:b", failed.LastError);

        // Teams is back; the retry is due.
        host.Connector.Refuse.Clear();
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await host.PollJobsAsync();

        Assert.Equal(["会议改到 周二 09:00"], Delivered(host, "29:a"));
        Assert.Equal(["会议改到 周二 09:00"], Delivered(host, "29:b"));
        Assert.Equal(["Moved to 周二 09:00"], Delivered(host, "29:c-en"));
        Assert.Equal(JobStatus.Done, (await host.Get<JobStore>().GetAsync(Tenant, "notice-1", default))!.Status);
    }

    [Fact]
    public async Task A_run_repeated_after_an_instance_died_sends_nothing_again_and_an_unreachable_person_is_not_retried()
    {
        await using var host = await StartAsync();
        await host.PersonAsync("29:a", "张伟");
        await host.PersonAsync("29:gone", "王小明");
        // The bot was removed from this person's chat: Teams answers 403, which retrying cannot fix.
        host.Connector.Refuse[FeatureHost.ChatOf("29:gone")] = HttpStatusCode.Forbidden;
        var scheduled = await host.Get<JobScheduler>().ScheduleAsync(Tenant, "test.notice", Now, new NoticeData(["29:a", "29:gone"], "周二 09:00"), jobId: "notice-2");

        await host.RunJobAsync(scheduled.Job);
        await host.RunJobAsync(scheduled.Job);

        Assert.Equal(["会议改到 周二 09:00"], Delivered(host, "29:a"));
        Assert.Single(host.Connector.Calls, c => c.ConversationId == FeatureHost.ChatOf("29:gone") && c.Method == "POST(403)");
    }

    private static IReadOnlyList<string?> Delivered(FeatureHost host, string userId) =>
        host.Connector.To(FeatureHost.ChatOf(userId)).Where(c => c.Method == "POST").Select(c => c.Text).ToList();
}
