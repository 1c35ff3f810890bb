using ChatRegs.Bot.Scheduling;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.Scheduling.Tests.Jobs;

/// <summary>
/// Finished jobs leave the Jobs table after the configured time (90 days by default); what is
/// still to run, and what finished recently, stays.
/// </summary>
public class FinishedJobPrunerTests
{
    private const string Tenant = "tenant-prune";
    private static readonly DateTimeOffset Start = new(2026, 9, 1, 9, 0, 0, TimeSpan.FromHours(8));

    private sealed class OkJob : IJobHandler
    {
        public string Kind => "test.ok";

        public Task RunAsync(Job job, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class BrokenJob : IJobHandler
    {
        public string Kind => "test.broken";

        public Task RunAsync(Job job, CancellationToken cancellationToken) => throw new PermanentJobFailureException("bad data");
    }

    [Fact]
    public async Task Jobs_finished_more_than_90_days_ago_are_deleted_with_their_sent_rows_and_nothing_else_is()
    {
        await using var host = await FeatureHost.StartAsync(Tenant, Start, configure: services =>
        {
            services.AddSingleton<IJobHandler, OkJob>();
            services.AddSingleton<IJobHandler, BrokenJob>();
        });
        var scheduler = host.Get<JobScheduler>();
        var store = host.Get<JobStore>();
        await scheduler.ScheduleAsync(Tenant, "test.ok", Start, jobId: "old-done");
        await scheduler.ScheduleAsync(Tenant, "test.broken", Start, jobId: "old-parked");
        await scheduler.ScheduleAsync(Tenant, "test.ok", Start.AddYears(1), jobId: "far-future");
        await scheduler.ScheduleAsync(Tenant, "test.ok", Start.AddDays(1), jobId: "old-cancelled");
        await scheduler.CancelAsync(Tenant, "old-cancelled");
        await scheduler.ScheduleAsync(Tenant, "test.ok", Start, jobId: "daily", recurrence: Recurrence.Parse("weekly MO,TU,WE,TH,FR,SA,SU 09:00 Asia/Shanghai"));
        await host.PollJobsAsync();
        var done = (await store.GetAsync(Tenant, "old-done", default))!;
        await store.RecordSentAsync(done, "29:a", "Delivered", host.Clock.GetUtcNow(), default);

        // 80 days later one more job finishes.
        host.Clock.Advance(TimeSpan.FromDays(80));
        await scheduler.ScheduleAsync(Tenant, "test.ok", host.Clock.GetUtcNow(), jobId: "recent-done");
        await host.PollJobsAsync();
        var recent = (await store.GetAsync(Tenant, "recent-done", default))!;
        await store.RecordSentAsync(recent, "29:a", "Delivered", host.Clock.GetUtcNow(), default);

        host.Clock.Advance(TimeSpan.FromDays(11));
        var (jobs, sent) = await host.Get<FinishedJobPruner>().PruneAsync(default);

        Assert.Equal(3, jobs);
        Assert.Equal(1, sent);
        var left = (await store.ListAsync(Tenant, [], default)).Select(j => j.Id).Order().ToList();
        Assert.Equal(["daily", "far-future", "recent-done"], left);
        Assert.Empty(await store.SentAsync(done, default));
        Assert.Equal(["29:a"], await store.SentAsync(recent, default));
        // Scheduling a pruned id again creates it anew; a kept one is still "already scheduled".
        Assert.False((await scheduler.ScheduleAsync(Tenant, "test.ok", host.Clock.GetUtcNow(), jobId: "recent-done")).Created);
        Assert.True((await scheduler.ScheduleAsync(Tenant, "test.ok", host.Clock.GetUtcNow().AddDays(1), jobId: "old-done")).Created);
    }
}
