using ChatRegs.Bot.Scheduling;
using ChatRegs.Scheduling.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ChatRegs.Scheduling.Tests.Jobs;

/// <summary>
/// Storage that does not answer when a job's outcome is written (busy, timed out): the job is not
/// lost and not done twice by mistake: it runs again when its lease runs out; the log says
/// so as a warning, not as an error with a stack trace.
/// </summary>
public sealed class JobStorageTimeoutTests
{
    private const string Tenant = "tenant-jobs-timeout";

    [Fact]
    public async Task A_job_whose_outcome_storage_did_not_take_runs_again_after_its_lease_and_logs_a_warning_not_an_error()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 29, 9, 0, 0, FeatureHost.Shanghai));
        var handler = new RecordingHandler("test.timeout", clock);
        StorageFaults? faults = null;
        await using var host = await SchedulingHost.StartAsync(clock, configure: services =>
        {
            services.AddSingleton<IJobHandler>(handler);
            faults = StorageFaults.Install(services);
        });

        // A first job shows which request of a one-job poll writes the outcome (the last PUT on the Jobs table).
        await host.Scheduler.ScheduleAsync(Tenant, "test.timeout", clock.GetUtcNow(), jobId: "first");
        faults!.Count();
        await host.Runner.PollAsync();
        var requests = faults.Requests.ToList();
        var outcome = requests.FindLastIndex(r => r.StartsWith("PUT ", StringComparison.Ordinal) && r.Contains("first", StringComparison.Ordinal)) + 1;
        Assert.True(outcome > 0, string.Join("\n", requests));
        Assert.Equal(JobStatus.Done, (await host.Scheduler.GetAsync(Tenant, "first"))!.Status);

        // The second job's outcome write fails.
        await host.Scheduler.ScheduleAsync(Tenant, "test.timeout", clock.GetUtcNow(), jobId: "second");
        host.Bot.Logs.Clear();
        faults.FailAt(outcome, StorageFault.BeforeSending);
        await host.Runner.PollAsync();
        Assert.True(faults.Injected, "the outcome write was not the request failed");
        faults.Off();
        Assert.Contains(host.Bot.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("runs again once its lease runs out", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Bot.Logs.Entries, e => e.Level >= LogLevel.Error);
        Assert.Equal(JobStatus.Running, (await host.Scheduler.GetAsync(Tenant, "second"))!.Status);

        // When the lease runs out it runs again and is done.
        clock.Advance(TimeSpan.FromMinutes(3));
        await host.Runner.PollAsync();
        Assert.Equal(JobStatus.Done, (await host.Scheduler.GetAsync(Tenant, "second"))!.Status);
        Assert.Equal(2, handler.Runs.Count(r => r.Job.Id == "second"));
    }
}
