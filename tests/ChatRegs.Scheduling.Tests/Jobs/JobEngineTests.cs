using ChatRegs.Bot.Scheduling;
using ChatRegs.Scheduling.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatRegs.Scheduling.Tests.Jobs;

/// <summary>The jobs engine on Azurite, on a fake clock that starts on Sunday 2026-06-28 00:00 in Shanghai.</summary>
public sealed class JobEngineTests
{
    private const string Tenant = "tenant-1";
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    private static DateTimeOffset Local(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, Shanghai);

    private static Action<IServiceCollection> With(params IJobHandler[] handlers) => services =>
    {
        foreach (var handler in handlers)
        {
            services.AddSingleton(handler);
        }
    };

    [Fact]
    public async Task A_job_runs_once_with_two_engines_on_one_storage()
    {
        var clock = new FakeTimeProvider(Local(6, 28, 0));
        var handlerA = new RecordingHandler("test.once", clock) { Behavior = (_, ct) => Task.Delay(20, ct) };
        var handlerB = new RecordingHandler("test.once", clock) { Behavior = (_, ct) => Task.Delay(20, ct) };
        await using var a = await SchedulingHost.StartAsync(clock, new() { ["ChatRegs:Jobs:InstanceId"] = "bot-a" }, With(handlerA));
        await using var b = await SchedulingHost.StartAsync(clock, new() { ["ChatRegs:Jobs:InstanceId"] = "bot-b" }, With(handlerB), tablePrefix: a.TablePrefix);

        var ids = Enumerable.Range(1, 20).Select(i => $"job-{i}").ToList();
        foreach (var id in ids)
        {
            await a.Scheduler.ScheduleAsync(Tenant, "test.once", clock.GetUtcNow().AddMinutes(1), new { n = id }, jobId: id);
        }
        clock.Advance(TimeSpan.FromMinutes(1));

        // Both instances poll the same table at the same moment, several times over.
        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(a.Runner.PollAsync(), b.Runner.PollAsync(), a.Runner.PollAsync(), b.Runner.PollAsync());
        }

        var runs = handlerA.Runs.Concat(handlerB.Runs).Select(r => r.Job.Id).ToList();
        Assert.Equal(ids.Order(), runs.Order());
        foreach (var id in ids)
        {
            var job = await a.Scheduler.GetAsync(Tenant, id);
            Assert.Equal(JobStatus.Done, job!.Status);
            Assert.Equal(1, job.Runs);
            Assert.Equal(1, job.Attempts);
        }
        Assert.Empty(await a.Store.QueryDueAsync(clock.GetUtcNow().AddDays(1), 100, default));
    }

    [Fact]
    public async Task A_claimed_job_is_recovered_after_its_instance_dies()
    {
        var clock = new FakeTimeProvider(Local(6, 28, 9));
        var handler = new RecordingHandler("test.recover", clock);
        await using var host = await SchedulingHost.StartAsync(clock, new()
        {
            ["ChatRegs:Jobs:InstanceId"] = "bot-survivor",
            ["ChatRegs:Jobs:LeaseDuration"] = "00:02:00",
        }, With(handler));
        var scheduled = (await host.Scheduler.ScheduleAsync(Tenant, "test.recover", clock.GetUtcNow(), jobId: "recover-me")).Job;

        // Another instance claims it exactly as the runner does, and dies: no result, no lease renewal.
        var claimed = await host.Store.UpdateAsync(scheduled with
        {
            Status = JobStatus.Running,
            LeaseOwner = "bot-dead",
            LeaseUntilUtc = clock.GetUtcNow() + TimeSpan.FromMinutes(2),
            Attempts = 1,
        }, default);
        Assert.True(claimed.IsWritten);

        await host.Runner.PollAsync();
        clock.Advance(TimeSpan.FromSeconds(119));
        await host.Runner.PollAsync();
        Assert.Empty(handler.Runs); // the lease still holds

        clock.Advance(TimeSpan.FromSeconds(2));
        await host.Runner.PollAsync();
        await host.Runner.PollAsync();

        var run = Assert.Single(handler.Runs);
        Assert.Equal("bot-survivor", run.Job.LeaseOwner);
        Assert.Equal(2, run.Job.Attempts);
        var job = await host.Scheduler.GetAsync(Tenant, "recover-me");
        Assert.Equal(JobStatus.Done, job!.Status);
        Assert.Null(job.LeaseOwner);
    }

    [Fact]
    public async Task Recurring_jobs_run_through_a_week_on_the_hosted_runner()
    {
        var clock = new FakeTimeProvider(Local(6, 28, 0)); // Sunday
        var weekly = new RecordingHandler("test.weekly", clock);
        var monthly = new RecordingHandler("test.monthly", clock);
        var frequent = new RecordingHandler("test.every", clock);
        await using var host = await SchedulingHost.StartAsync(clock, new() { ["ChatRegs:Jobs:PollInterval"] = "00:15:00" }, With(weekly, monthly, frequent));

        var mondayThursday = Recurrence.Weekly(new TimeOnly(8, 30), "Asia/Shanghai", DayOfWeek.Monday, DayOfWeek.Thursday);
        var on29th = Recurrence.Monthly(29, new TimeOnly(15, 0), "Asia/Shanghai");
        var every6h = Recurrence.Every(TimeSpan.FromHours(6));
        var now = clock.GetUtcNow();
        await host.Scheduler.ScheduleAsync(Tenant, "test.weekly", mondayThursday.NextAfter(now), jobId: "weekly", recurrence: mondayThursday);
        await host.Scheduler.ScheduleAsync(Tenant, "test.monthly", on29th.NextAfter(now), jobId: "monthly", recurrence: on29th);
        await host.Scheduler.ScheduleAsync(Tenant, "test.every", every6h.NextAfter(now), jobId: "every", recurrence: every6h);

        var runner = host.Runner;
        await runner.StartAsync(default);
        try
        {
            await SchedulingHost.WaitUntilAsync(() => runner.Polls >= 1);
            for (var tick = 0; tick < 7 * 24 * 4; tick++)
            {
                var polls = runner.Polls;
                clock.Advance(TimeSpan.FromMinutes(15));
                await SchedulingHost.WaitUntilAsync(() => runner.Polls > polls);
            }
        }
        finally
        {
            await runner.StopAsync(default);
        }

        Assert.Equal([Local(6, 29, 8, 30), Local(7, 2, 8, 30)], weekly.Runs.Select(r => r.At));
        Assert.Equal([Local(6, 29, 15)], monthly.Runs.Select(r => r.At));
        Assert.Equal(28, frequent.Runs.Count); // every 6 hours for 7 days
        Assert.All(frequent.Runs.Zip(frequent.Runs.Skip(1)), pair => Assert.Equal(TimeSpan.FromHours(6), pair.Second.At - pair.First.At));

        var next = await host.Scheduler.GetAsync(Tenant, "weekly");
        Assert.Equal(JobStatus.Pending, next!.Status);
        Assert.Equal(Local(7, 6, 8, 30), next.DueUtc);
        Assert.Equal(2, next.Runs);
        Assert.Equal(Local(7, 29, 15), (await host.Scheduler.GetAsync(Tenant, "monthly"))!.DueUtc);
    }

    [Fact]
    public async Task A_moved_job_runs_at_its_new_time_only()
    {
        var clock = new FakeTimeProvider(Local(6, 29, 8)); // Monday
        var handler = new RecordingHandler("test.meeting", clock);
        await using var host = await SchedulingHost.StartAsync(clock, configure: With(handler));
        await host.Scheduler.ScheduleAsync(Tenant, "test.meeting", Local(6, 29, 8, 30), jobId: "checkin|weekly-ops");

        // The office moves the meeting to the afternoon before it starts.
        Assert.True(await host.Scheduler.MoveAsync(Tenant, "checkin|weekly-ops", Local(6, 29, 14, 30)));

        clock.SetUtcNow(Local(6, 29, 8, 30));
        await host.Runner.PollAsync();
        clock.SetUtcNow(Local(6, 29, 9, 45));
        await host.Runner.PollAsync();
        Assert.Empty(handler.Runs);
        // The morning's due row was recognised as stale and removed.
        Assert.DoesNotContain(await host.Store.QueryDueAsync(Local(6, 29, 14, 29), 10, default), e => e.JobId == "checkin|weekly-ops");

        clock.SetUtcNow(Local(6, 29, 14, 30));
        await host.Runner.PollAsync();
        var run = Assert.Single(handler.Runs);
        Assert.Equal(Local(6, 29, 14, 30), run.At);
        Assert.False(await host.Scheduler.MoveAsync(Tenant, "checkin|weekly-ops", Local(6, 30, 8, 30))); // done: nothing to move
    }

    [Fact]
    public async Task Failures_are_retried_with_backoff_then_parked_with_the_reason()
    {
        var clock = new FakeTimeProvider(Local(6, 29, 9));
        var failing = new RecordingHandler("test.failing", clock) { Behavior = (_, _) => throw new InvalidOperationException("the mail server is down") };
        await using var host = await SchedulingHost.StartAsync(clock, new()
        {
            ["ChatRegs:Jobs:MaxAttempts"] = "4",
            ["ChatRegs:Jobs:RetryBaseDelay"] = "00:00:30",
        }, With(failing));
        await host.Scheduler.ScheduleAsync(Tenant, "test.failing", clock.GetUtcNow(), jobId: "one-off");
        var daily = Recurrence.Weekly(new TimeOnly(9, 0), "Asia/Shanghai", DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday);
        await host.Scheduler.ScheduleAsync(Tenant, "test.failing", clock.GetUtcNow(), jobId: "series", recurrence: daily);

        var delays = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await host.Runner.PollAsync();
            var job = (await host.Scheduler.GetAsync(Tenant, "one-off"))!;
            Assert.Equal(attempt, job.Attempts);
            Assert.Contains("the mail server is down", job.LastError);
            if (attempt < 4)
            {
                Assert.Equal(JobStatus.Pending, job.Status);
                delays.Add(job.DueUtc - clock.GetUtcNow());
                // Both jobs failed at this poll; the next poll is when both retries are due.
                var sibling = (await host.Scheduler.GetAsync(Tenant, "series"))!;
                Assert.Equal(attempt, sibling.Attempts);
                clock.SetUtcNow(job.DueUtc > sibling.DueUtc ? job.DueUtc : sibling.DueUtc);
            }
        }

        // 30 s, 60 s, 120 s, each ±20 %.
        Assert.Equal(3, delays.Count);
        for (var i = 0; i < delays.Count; i++)
        {
            var expected = 30 * Math.Pow(2, i);
            Assert.InRange(delays[i].TotalSeconds, expected * 0.8, expected * 1.2);
        }

        var parked = (await host.Scheduler.GetAsync(Tenant, "one-off"))!;
        Assert.Equal(JobStatus.Parked, parked.Status);
        Assert.Equal("InvalidOperationException: the mail server is down", parked.LastError);
        Assert.Equal(8, failing.Attempts); // four for each job; the series retried alongside

        // The series is not lost: this occurrence is parked on its own row, the series goes on.
        var series = (await host.Scheduler.GetAsync(Tenant, "series"))!;
        Assert.Equal(JobStatus.Pending, series.Status);
        Assert.Equal(Local(6, 30, 9), series.DueUtc);
        Assert.Equal(0, series.Attempts);
        var visible = await host.Store.ListAsync(Tenant, [JobStatus.Parked], default);
        Assert.Equal(2, visible.Count);
        var occurrence = Assert.Single(visible, j => j.SeriesId == "series");
        Assert.Equal(4, occurrence.Attempts);
        Assert.Equal(Local(6, 29, 9), occurrence.DueUtc);

        // Parked jobs are not run again.
        clock.Advance(TimeSpan.FromHours(1));
        await host.Runner.PollAsync();
        Assert.Equal(8, failing.Attempts);
    }

    [Fact]
    public async Task A_cancelled_job_never_runs()
    {
        var clock = new FakeTimeProvider(Local(6, 29, 9));
        var handler = new RecordingHandler("test.cancel", clock);
        await using var host = await SchedulingHost.StartAsync(clock, configure: With(handler));
        await host.Scheduler.ScheduleAsync(Tenant, "test.cancel", Local(6, 29, 10), jobId: "reminder");
        var weekly = Recurrence.Weekly(new TimeOnly(10, 0), "Asia/Shanghai", DayOfWeek.Monday);
        await host.Scheduler.ScheduleAsync(Tenant, "test.cancel", Local(6, 29, 10), jobId: "series", recurrence: weekly);

        Assert.True(await host.Scheduler.CancelAsync(Tenant, "reminder"));
        Assert.True(await host.Scheduler.CancelAsync(Tenant, "series"));
        Assert.True(await host.Scheduler.CancelAsync(Tenant, "reminder")); // again: still cancelled
        Assert.False(await host.Scheduler.CancelAsync(Tenant, "no-such-job"));
        Assert.False(await host.Scheduler.MoveAsync(Tenant, "reminder", Local(6, 29, 11)));

        clock.SetUtcNow(Local(6, 29, 10));
        await host.Runner.PollAsync();
        clock.SetUtcNow(Local(7, 6, 10));
        await host.Runner.PollAsync();

        Assert.Empty(handler.Runs);
        Assert.Equal(JobStatus.Cancelled, (await host.Scheduler.GetAsync(Tenant, "reminder"))!.Status);
        Assert.Equal(JobStatus.Cancelled, (await host.Scheduler.GetAsync(Tenant, "series"))!.Status);
        Assert.Empty(await host.Store.QueryDueAsync(Local(8, 1, 0), 10, default));
    }

    [Fact]
    public async Task Scheduling_twice_with_one_id_makes_one_job()
    {
        var clock = new FakeTimeProvider(Local(6, 29, 9));
        var handler = new RecordingHandler("test.idempotent", clock);
        await using var host = await SchedulingHost.StartAsync(clock, configure: With(handler));

        var first = await host.Scheduler.ScheduleAsync(Tenant, "test.idempotent", Local(6, 29, 10), new { occurrence = "2026-06-29" }, jobId: "remind|2026-06-29");
        var again = await host.Scheduler.ScheduleAsync(Tenant, "test.idempotent", Local(6, 29, 11), new { occurrence = "other" }, jobId: "remind|2026-06-29");
        Assert.True(first.Created);
        Assert.False(again.Created);
        Assert.Equal(Local(6, 29, 10), again.Job.DueUtc);
        Assert.Equal("2026-06-29", again.Job.DataAs<OccurrenceData>()!.Occurrence);

        clock.SetUtcNow(Local(6, 29, 11));
        await host.Runner.PollAsync();
        await host.Runner.PollAsync();
        // Scheduling the same id after it ran does not run it again either.
        Assert.False((await host.Scheduler.ScheduleAsync(Tenant, "test.idempotent", Local(6, 29, 12), jobId: "remind|2026-06-29")).Created);
        clock.SetUtcNow(Local(6, 29, 12));
        await host.Runner.PollAsync();

        var run = Assert.Single(handler.Runs);
        Assert.Equal("2026-06-29", run.Job.DataAs<OccurrenceData>()!.Occurrence);
        Assert.Single(await host.Store.ListAsync(Tenant, [JobStatus.Pending, JobStatus.Running, JobStatus.Done], default));
    }

    private sealed record OccurrenceData(string Occurrence);
}
