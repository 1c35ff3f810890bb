using ChatRegs.Bot.Diagnostics;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Scheduling.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatRegs.Scheduling.Tests.Jobs;

/// <summary>
/// Several bot instances on one Jobs table split the due jobs by heartbeat (RunnerSlices): each
/// claims its own slice, so they do not read and claim the same jobs; a slice whose instance is
/// gone or stuck is taken by the others. Two hosts on one table prefix and one fake clock.
/// </summary>
public sealed class RunnerSlicesTests
{
    private const string Tenant = "tenant-s";
    private const string Kind = "test.slice";

    private static Dictionary<string, string?> Settings(string instance) => new()
    {
        [StorageDiagnostics.Switch] = "true",
        ["ChatRegs:Jobs:InstanceId"] = instance,
        ["ChatRegs:Jobs:HeartbeatInterval"] = "00:00:10",
        ["ChatRegs:Jobs:SliceGrace"] = "00:05:00",
    };

    private static Action<IServiceCollection> With(IJobHandler handler) => services => services.AddSingleton(handler);

    private static async Task<(SchedulingHost A, SchedulingHost B, RecordingHandler RanOnA, RecordingHandler RanOnB)> TwoInstancesAsync(FakeTimeProvider clock)
    {
        var ranOnA = new RecordingHandler(Kind, clock);
        var ranOnB = new RecordingHandler(Kind, clock);
        var a = await SchedulingHost.StartAsync(clock, Settings("bot-a"), With(ranOnA));
        var b = await SchedulingHost.StartAsync(clock, Settings("bot-b"), With(ranOnB), tablePrefix: a.TablePrefix);
        return (a, b, ranOnA, ranOnB);
    }

    private static async Task<List<string>> ScheduleAsync(SchedulingHost host, int count, string prefix)
    {
        var ids = Enumerable.Range(1, count).Select(i => $"{prefix}-{i:D3}").ToList();
        foreach (var id in ids)
        {
            await host.Scheduler.ScheduleAsync(Tenant, Kind, host.Clock.GetUtcNow().AddMinutes(1), new { n = id }, jobId: id);
        }
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        return ids;
    }

    /// <summary>Both heartbeat (as their hosted runners do every interval), each seeing the other.</summary>
    private static async Task HeartbeatAsync(SchedulingHost a, SchedulingHost b)
    {
        await a.Runner.Slices.RefreshAsync(default);
        await b.Runner.Slices.RefreshAsync(default);
        await a.Runner.Slices.RefreshAsync(default);
    }

    private static long JobsRequests(SchedulingHost host) =>
        host.Services.GetRequiredService<StorageRequestCounter>().ByTable.Where(kv => kv.Key.Contains(host.TablePrefix + "Jobs", StringComparison.Ordinal)).Sum(kv => kv.Value);

    [Fact]
    public async Task Two_instances_that_see_each_other_split_the_due_jobs_without_contending_for_them()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 3, 16, 0, 0, TimeSpan.FromHours(8)));
        var (a, b, ranOnA, ranOnB) = await TwoInstancesAsync(clock);
        await using var _a = a;
        await using var _b = b;
        var ids = await ScheduleAsync(a, 90, "split");
        await HeartbeatAsync(a, b);
        Assert.Equal(["bot-a", "bot-b"], a.Runner.Slices.Members);
        Assert.Equal(["bot-a", "bot-b"], b.Runner.Slices.Members);
        var before = JobsRequests(a) + JobsRequests(b);

        // Both poll the same table at the same moment.
        await Task.WhenAll(a.Runner.PollAsync(), b.Runner.PollAsync());

        // Every job ran exactly once, each instance ran its share, and no claim was contended:
        // every job was claimed at the first try (one attempt) by one poll of one instance.
        var runs = ranOnA.Runs.Concat(ranOnB.Runs).Select(r => r.Job.Id).ToList();
        Assert.Equal(ids, runs.Order());
        Assert.InRange(ranOnA.Runs.Count, 20, 70);
        Assert.InRange(ranOnB.Runs.Count, 20, 70);
        Assert.All(await a.Store.ListAsync(Tenant, [], default), job => Assert.Equal((JobStatus.Done, 1, 1), (job.Status, job.Attempts, job.Runs)));
        Assert.Empty(await a.Store.QueryDueAsync(clock.GetUtcNow().AddDays(1), 100, default));

        // The storage bill is one write per job and a few batched reads and claims: the two
        // instances did not read, claim and re-read each other's jobs.
        var perJob = (double)(JobsRequests(a) + JobsRequests(b) - before) / ids.Count;
        Assert.True(perJob <= 1.25, $"{perJob:N2} Jobs requests per job");
    }

    [Fact]
    public async Task A_slice_waits_for_its_live_instance_and_goes_to_the_others_once_that_instance_stops_heartbeating()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 3, 16, 0, 0, TimeSpan.FromHours(8)));
        var (a, b, ranOnA, ranOnB) = await TwoInstancesAsync(clock);
        await using var _a = a;
        await using var _b = b;
        var ids = await ScheduleAsync(a, 40, "dies");
        await HeartbeatAsync(a, b);

        // Only A polls: it runs its own slice and leaves B's, since B said it is alive.
        await a.Runner.PollAsync();
        var first = ranOnA.Runs.Select(r => r.Job.Id).ToList();
        Assert.InRange(first.Count, 5, 35);
        Assert.Equal(ids.Count - first.Count, (await a.Store.ListAsync(Tenant, [JobStatus.Pending], default)).Count);

        // B dies: three heartbeats missed, and A's next heartbeat no longer counts it.
        clock.Advance(TimeSpan.FromSeconds(31));
        await a.Runner.Slices.RefreshAsync(default);
        Assert.Equal(["bot-a"], a.Runner.Slices.Members);
        await a.Runner.PollAsync();

        Assert.Equal(ids, ranOnA.Runs.Select(r => r.Job.Id).Order());
        Assert.Empty(ranOnB.Runs);
        Assert.Empty(await a.Store.ListAsync(Tenant, [JobStatus.Pending, JobStatus.Running], default));
    }

    [Fact]
    public async Task A_job_of_a_live_but_stuck_instance_is_taken_by_another_once_it_is_the_grace_late()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 3, 16, 0, 0, TimeSpan.FromHours(8)));
        var (a, b, ranOnA, ranOnB) = await TwoInstancesAsync(clock);
        await using var _a = a;
        await using var _b = b;
        var ids = await ScheduleAsync(a, 30, "stuck");
        await HeartbeatAsync(a, b);
        await a.Runner.PollAsync();
        Assert.NotEqual(ids.Count, ranOnA.Runs.Count);

        // B keeps its heartbeat but never polls. Just under the grace A still leaves B's jobs;
        // at the grace it takes them.
        clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        await b.Runner.Slices.RefreshAsync(default);
        await a.Runner.Slices.RefreshAsync(default);
        await a.Runner.PollAsync();
        Assert.NotEqual(ids.Count, ranOnA.Runs.Count);

        clock.Advance(TimeSpan.FromSeconds(1));
        await a.Runner.PollAsync();
        Assert.Equal(ids, ranOnA.Runs.Select(r => r.Job.Id).Order());
        Assert.Empty(ranOnB.Runs);
    }

    [Fact]
    public async Task A_runner_that_stops_removes_its_heartbeat_so_the_others_take_its_slice_at_once()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 3, 16, 0, 0, TimeSpan.FromHours(8)));
        var (a, b, _, _) = await TwoInstancesAsync(clock);
        await using var _a = a;
        await using var _b = b;

        // B's hosted runner: its first heartbeat comes before its first poll.
        await b.Runner.StartAsync(default);
        await b.Runner.Slices.FirstHeartbeat.WaitAsync(TimeSpan.FromSeconds(30));
        await a.Runner.Slices.RefreshAsync(default);
        Assert.Equal(["bot-a", "bot-b"], a.Runner.Slices.Members);

        await b.Runner.StopAsync(default);
        await a.Runner.Slices.RefreshAsync(default);
        Assert.Equal(["bot-a"], a.Runner.Slices.Members);
        Assert.Equal(["bot-a"], (await a.Store.ListRunnersAsync(default)).Select(r => r.InstanceId));
    }

    [Fact]
    public async Task In_a_backlog_a_poll_reads_past_the_jobs_both_instances_hold_and_finds_a_whole_batch_of_its_own()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 7, 3, 16, 0, 0, TimeSpan.FromHours(8)));
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ranOnA = new RecordingHandler(Kind, clock) { Behavior = (_, ct) => gate.Task.WaitAsync(ct) };
        var ranOnB = new RecordingHandler(Kind, clock) { Behavior = (_, ct) => gate.Task.WaitAsync(ct) };
        var settings = (string id) => new Dictionary<string, string?>(Settings(id)) { ["ChatRegs:Jobs:BatchSize"] = "10", ["ChatRegs:Jobs:MaxConcurrency"] = "40" };
        await using var a = await SchedulingHost.StartAsync(clock, settings("bot-a"), With(ranOnA));
        await using var b = await SchedulingHost.StartAsync(clock, settings("bot-b"), With(ranOnB), tablePrefix: a.TablePrefix);
        var ids = await ScheduleAsync(a, 120, "backlog");
        await HeartbeatAsync(a, b);

        // Each instance is busy with a batch (its jobs still running, their due rows still there).
        var heldByA = a.Runner.PollAsync();
        var heldByB = b.Runner.PollAsync();
        await SchedulingHost.WaitUntilAsync(() => ranOnA.Attempts == 10 && ranOnB.Attempts == 10);

        // A's next poll still finds a whole batch of its own behind the twenty held rows.
        var next = a.Runner.PollAsync();
        await SchedulingHost.WaitUntilAsync(() => ranOnA.Attempts == 20);
        gate.SetResult();
        var outcome = await next;
        await Task.WhenAll(heldByA, heldByB);
        Assert.Equal(10, outcome.Ran);
        Assert.True(outcome.Full);
        Assert.Equal(30, ranOnA.Runs.Count + ranOnB.Runs.Count);
        Assert.Equal(30, ranOnA.Runs.Concat(ranOnB.Runs).Select(r => r.Job.Id).Distinct().Count());
    }

    [Fact]
    public void The_slice_hash_is_the_same_on_every_instance_and_spreads_job_ids_evenly()
    {
        // Fixed values: string.GetHashCode differs per process, which would give two instances different slices.
        Assert.Equal(RunnerSlices.Hash("t", "job-1"), RunnerSlices.Hash("t", "job-1"));
        Assert.NotEqual(RunnerSlices.Hash("t", "job-1"), RunnerSlices.Hash("u", "job-1"));
        var counts = new int[3];
        for (var i = 0; i < 3000; i++)
        {
            counts[RunnerSlices.Hash("tenant", "weekly-report-reminder:29:person-" + i) % 3]++;
        }
        Assert.All(counts, c => Assert.InRange(c, 850, 1150));
    }
}
