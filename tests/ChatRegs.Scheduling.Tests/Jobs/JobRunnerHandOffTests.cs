using ChatRegs.Bot.Scheduling;
using ChatRegs.Scheduling.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatRegs.Scheduling.Tests.Jobs;

/// <summary>
/// A runner with more due jobs than a batch claims the next batch while the last jobs of the
/// previous one still run (so a fan-out of reminders never stops while a poll reads and claims),
/// still runs each job once, and never more than its concurrency at once.
/// </summary>
public sealed class JobRunnerHandOffTests
{
    private const string Tenant = "tenant-handoff";

    [Fact]
    public async Task The_next_batch_is_claimed_while_the_last_jobs_of_a_full_batch_still_run()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 3, 16, 0, 0, TimeSpan.FromHours(8)));
        var handler = new GatedHandler();
        await using var host = await SchedulingHost.StartAsync(clock, new()
        {
            ["ChatRegs:Jobs:BatchSize"] = "10",
            ["ChatRegs:Jobs:MaxConcurrency"] = "3",
        }, s => s.AddSingleton<IJobHandler>(handler));
        for (var i = 0; i < 30; i++)
        {
            await host.Scheduler.ScheduleAsync(Tenant, GatedHandler.KindName, clock.GetUtcNow(), jobId: $"job-{i:D2}");
        }

        var runner = host.Runner;
        await runner.StartAsync(default);
        try
        {
            // The first poll after an idle one takes one round (3); the next polls take batches of 10.
            // A few jobs let through: the rest of those batches still to start or running.
            await SchedulingHost.WaitUntilAsync(() => handler.Started == 3);
            handler.Let(3);
            await SchedulingHost.WaitUntilAsync(() => handler.Started >= 5);
            handler.Let(2);
            await SchedulingHost.WaitUntilAsync(() => handler.Finished == 5);

            // The second batch is claimed already, while the first one's last jobs wait.
            async Task<int> ClaimedAsync() => (await host.Store.ListAsync(Tenant, [JobStatus.Running, JobStatus.Done], default)).Count;
            for (var waited = 0; await ClaimedAsync() < 20; waited++)
            {
                Assert.True(waited < 500, $"only {await ClaimedAsync()} jobs claimed or done");
                await Task.Delay(10);
            }
            Assert.Equal(5, handler.Finished);
            Assert.True(handler.Running > 0);

            handler.Let(1000);
            await SchedulingHost.WaitUntilAsync(() => handler.Finished == 30, TimeSpan.FromSeconds(60));
            for (var waited = 0; (await host.Store.ListAsync(Tenant, [JobStatus.Done], default)).Count < 30; waited++)
            {
                Assert.True(waited < 1000, "not every job recorded as done");
                await Task.Delay(10);
            }
        }
        finally
        {
            await runner.StopAsync(default);
        }

        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"job-{i:D2}"), handler.Runs.Order());
        Assert.InRange(handler.MostAtOnce, 1, 3);
    }

    private sealed class GatedHandler : IJobHandler
    {
        public const string KindName = "test.gated";
        private readonly SemaphoreSlim _gate = new(0);
        private readonly List<string> _runs = [];
        private int _running;
        private int _started;
        private int _finished;
        private int _most;

        public string Kind => KindName;

        public int Started => Volatile.Read(ref _started);

        public int Finished => Volatile.Read(ref _finished);

        public int Running => Volatile.Read(ref _running);

        public int MostAtOnce => Volatile.Read(ref _most);

        public IReadOnlyList<string> Runs
        {
            get { lock (_runs) { return _runs.ToList(); } }
        }

        public void Let(int count) => _gate.Release(count);

        public async Task RunAsync(Job job, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _running);
            Interlocked.Increment(ref _started);
            lock (_runs)
            {
                _runs.Add(job.Id);
                _most = Math.Max(_most, now);
            }
            try
            {
                await _gate.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
                Interlocked.Increment(ref _finished);
            }
        }
    }
}
