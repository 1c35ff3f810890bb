using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Storage;
using ChatRegs.Scheduling.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace ChatRegs.Scheduling.Tests.Proactive;

/// <summary>
/// The limiter's pace for a tenant (Teams: 50 calls/s per app and tenant), on a fake clock whose
/// timers fire late as on a loaded machine: it keeps to the limit on average (a late timer is not
/// lost for good) and never goes over it in any second, counted when calls are let go. Nothing
/// here is timed in real time.
/// </summary>
public sealed class ConnectorPacingTests(ITestOutputHelper output)
{
    private const string Tenant = "tenant-pace";
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 16, 0, 0, TimeSpan.FromHours(8));

    [Theory]
    [InlineData(0, 0.97)]
    [InlineData(2, 0.97)]
    [InlineData(5, 0.97)]
    [InlineData(20, 0.97)]
    [InlineData(60, 0.95)] // a machine at load 13: timers 30 ms late on average
    public void Over_a_long_run_the_tenant_gets_its_limit_less_the_margin_and_never_more_in_any_second(int timersLateUpToMs, double share)
    {
        var time = new LateTimers(new FakeTimeProvider(Start), TimeSpan.FromMilliseconds(timersLateUpToMs));
        var limiter = new ConnectorRateLimiter(time, new ProactiveOptions());
        var released = new List<DateTimeOffset>();

        // 3,000 reminders, one per person's chat, all waiting at once.
        var calls = Enumerable.Range(0, 3000).Select(i => time.Track(limiter.AcquireAsync(Tenant, $"a:dm-{i}", CancellationToken.None), released)).ToList();
        Drive(time, Task.WhenAll(calls));

        Assert.Equal(3000, released.Count);
        var rate = (released.Count - 1) / (released.Max() - released.Min()).TotalSeconds;
        output.WriteLine($"timers late by up to {timersLateUpToMs} ms: {rate:F2}/s; most in any second {LateTimers.MostWithin(released, TimeSpan.FromSeconds(1))}, in any 1.01 s {LateTimers.MostWithin(released, TimeSpan.FromMilliseconds(1010))}");
        Assert.True(rate >= share * 50, $"{rate:F2}/s is below {share:P0} of 50/s");
        Assert.True(rate <= 50, $"{rate:F2}/s");
        Assert.True(LateTimers.MostWithin(released, TimeSpan.FromSeconds(1)) <= 50);
        // Half the margin for the network holds too, however late the timers: 50 at most within 1 s + 10 ms.
        Assert.True(LateTimers.MostWithin(released, TimeSpan.FromMilliseconds(1010)) <= 50);
    }

    [Fact]
    public void Calls_cancelled_while_waiting_never_go_and_take_no_slot_from_the_others()
    {
        var time = new LateTimers(new FakeTimeProvider(Start), TimeSpan.FromMilliseconds(3));
        var limiter = new ConnectorRateLimiter(time, new ProactiveOptions());
        var released = new List<DateTimeOffset>();
        var cancels = Enumerable.Range(0, 200).Select(_ => new CancellationTokenSource()).ToList();
        var calls = Enumerable.Range(0, 200).Select(i => time.Track(limiter.AcquireAsync(Tenant, $"a:dm-{i}", cancels[i].Token), released)).ToList();

        // Half a second in, every other call still waiting is cancelled (a job stopped, a shutdown).
        Advance(time, TimeSpan.FromMilliseconds(500));
        var goneBefore = released.Count;
        for (var i = 100; i < 200; i += 2)
        {
            cancels[i].Cancel();
        }
        Drive(time, Task.WhenAll(calls.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default))));

        Assert.All(Enumerable.Range(100, 100).Where(i => i % 2 == 0), i => Assert.True(calls[i].IsCanceled, $"call {i}"));
        Assert.Equal(150, released.Count);
        Assert.Equal(0, limiter.Waiting);
        Assert.True(goneBefore is > 20 and < 100, $"{goneBefore} went in the first half second");
        // The 150 that went took 150 slots, not 200: at the pace, no gap where the cancelled were.
        var rate = (released.Count - 1) / (released.Max() - released.Min()).TotalSeconds;
        Assert.True(rate >= 0.97 * 50, $"{rate:F2}/s");
        Assert.True(LateTimers.MostWithin(released, TimeSpan.FromSeconds(1)) <= 50);
    }

    [Fact]
    public void A_429_holds_the_tenant_or_only_its_conversation_until_Retry_After()
    {
        var clock = new FakeTimeProvider(Start);
        var time = new LateTimers(clock, TimeSpan.FromMilliseconds(3));
        var limiter = new ConnectorRateLimiter(time, new ProactiveOptions());
        var released = new List<DateTimeOffset>();
        Drive(time, Task.WhenAll(Enumerable.Range(0, 60).Select(i => time.Track(limiter.AcquireAsync(Tenant, $"a:dm-{i}", CancellationToken.None), released))));

        // Teams said 429 for the tenant, Retry-After 3 s: nothing goes before then.
        var penalizedAt = clock.GetUtcNow();
        limiter.Penalize(Tenant, null, penalizedAt.AddSeconds(3));
        var afterTenant = new List<DateTimeOffset>();
        Drive(time, Task.WhenAll(Enumerable.Range(0, 80).Select(i => time.Track(limiter.AcquireAsync(Tenant, $"a:dm-late-{i}", CancellationToken.None), afterTenant))));
        Assert.True(afterTenant.Min() >= penalizedAt.AddSeconds(3), $"first call went {afterTenant.Min() - penalizedAt} after the 429");
        // And the margin widened by 10 ms: 50 per 1.03 s now, one every 20.6 ms.
        var gap = (afterTenant.Max() - afterTenant.Min()).TotalMilliseconds / (afterTenant.Count - 1);
        Assert.True(gap >= 20.6 - 0.05, $"one every {gap:F2} ms after the 429");

        // 429 for one conversation, Retry-After 2 s: only that conversation waits.
        Advance(time, TimeSpan.FromSeconds(5));
        var at = clock.GetUtcNow();
        limiter.Penalize(Tenant, "a:dm-1", at.AddSeconds(2));
        var held = new List<DateTimeOffset>();
        var other = new List<DateTimeOffset>();
        var heldCall = time.Track(limiter.AcquireAsync(Tenant, "a:dm-1", CancellationToken.None), held);
        var otherCall = time.Track(limiter.AcquireAsync(Tenant, "a:dm-2", CancellationToken.None), other);
        Drive(time, Task.WhenAll(heldCall, otherCall));
        Assert.True(held.Single() >= at.AddSeconds(2), $"held conversation went after {held.Single() - at}");
        Assert.True(other.Single() - at < TimeSpan.FromMilliseconds(100), $"another conversation waited {other.Single() - at}");
    }

    [Fact]
    public void A_burst_of_429s_from_one_moment_widens_the_margin_once_and_quiet_seconds_narrow_it_again()
    {
        var clock = new FakeTimeProvider(Start);
        var time = new LateTimers(clock, TimeSpan.Zero);
        var limiter = new ConnectorRateLimiter(time, new ProactiveOptions());

        // Twenty conversations answered 429 together (a busy machine bunched their trips).
        var at = clock.GetUtcNow();
        for (var i = 0; i < 20; i++)
        {
            limiter.Penalize(Tenant, $"a:dm-burst-{i}", at.AddSeconds(1));
        }
        var after = new List<DateTimeOffset>();
        Drive(time, Task.WhenAll(Enumerable.Range(0, 100).Select(i => time.Track(limiter.AcquireAsync(Tenant, $"a:dm-next-{i}", CancellationToken.None), after))));
        // One step of 10 ms: 50 per 1.03 s, one every 20.6 ms (twenty steps would be the most, 100 ms: 22.4 ms).
        var gap = (after.Max() - after.Min()).TotalMilliseconds / (after.Count - 1);
        Assert.InRange(gap, 20.55, 20.65);

        // A second burst a second later is a new bunching: one more step.
        Advance(time, TimeSpan.FromSeconds(1));
        for (var i = 0; i < 20; i++)
        {
            limiter.Penalize(Tenant, $"a:dm-again-{i}", clock.GetUtcNow().AddSeconds(1));
        }
        var again = new List<DateTimeOffset>();
        Drive(time, Task.WhenAll(Enumerable.Range(0, 100).Select(i => time.Track(limiter.AcquireAsync(Tenant, $"a:dm-third-{i}", CancellationToken.None), again))));
        gap = (again.Max() - again.Min()).TotalMilliseconds / (again.Count - 1);
        Assert.InRange(gap, 20.75, 20.85);

        // Ten seconds without a 429: the widening halves (20 ms to 10 ms), 50 per 1.03 s again.
        Advance(time, TimeSpan.FromSeconds(11));
        var quiet = new List<DateTimeOffset>();
        Drive(time, Task.WhenAll(Enumerable.Range(0, 100).Select(i => time.Track(limiter.AcquireAsync(Tenant, $"a:dm-quiet-{i}", CancellationToken.None), quiet))));
        gap = (quiet.Max() - quiet.Min()).TotalMilliseconds / (quiet.Count - 1);
        Assert.InRange(gap, 20.55, 20.65);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(40)]
    public async Task Two_instances_sharing_the_budget_send_evenly_and_together_never_more_than_it_in_any_second(int timersLateUpToMs)
    {
        await using var host = await SchedulingHost.StartAsync();
        var time = new LateTimers(new FakeTimeProvider(Start.AddMilliseconds(370)), TimeSpan.FromMilliseconds(timersLateUpToMs));
        var options = new ProactiveOptions { ShareTenantBudget = true };
        var budgetA = new SharedTenantBudget(host.Services.Table(n => n.Jobs), options, NullLogger<SharedTenantBudget>.Instance);
        var budgetB = new SharedTenantBudget(host.Services.Table(n => n.Jobs), options, NullLogger<SharedTenantBudget>.Instance);
        var a = new ConnectorRateLimiter(time, options, budgetA);
        var b = new ConnectorRateLimiter(time, options, budgetB);
        var byA = new List<DateTimeOffset>();
        var byB = new List<DateTimeOffset>();

        // Each instance has 1,000 reminders waiting; b starts a moment after a.
        var callsA = Enumerable.Range(0, 1000).Select(i => time.Track(a.AcquireAsync(Tenant, $"a:dm-a{i}", CancellationToken.None), byA)).ToList();
        Advance(time, TimeSpan.FromMilliseconds(7));
        var callsB = Enumerable.Range(0, 1000).Select(i => time.Track(b.AcquireAsync(Tenant, $"a:dm-b{i}", CancellationToken.None), byB)).ToList();
        var all = Task.WhenAll(callsA.Concat(callsB));
        while (!all.IsCompleted)
        {
            // Storage answers before the clock moves on: a claim takes no fake time.
            if (budgetA.ClaimsInFlight + budgetB.ClaimsInFlight > 0)
            {
                await Task.Delay(1);
                continue;
            }
            time.Clock.Advance(TimeSpan.FromMilliseconds(1));
            Assert.True(time.GetUtcNow() < Start.AddMinutes(2), "still sending after 2 minutes");
        }
        await all;

        var together = byA.Concat(byB).ToList();
        Assert.Equal(2000, together.Count);
        Assert.True(byA.Count > 500 && byB.Count > 500, $"a sent {byA.Count}, b {byB.Count}: the budget was not shared");
        var perClockSecond = together.GroupBy(t => t.ToUnixTimeSeconds()).Max(g => g.Count());
        var mostInAnySecond = LateTimers.MostWithin(together, TimeSpan.FromSeconds(1));
        var rate = (together.Count - 1) / (together.Max() - together.Min()).TotalSeconds;
        output.WriteLine($"together {rate:F2}/s, most in a clock second {perClockSecond}, in any second {mostInAnySecond}; claims {budgetA.Claims} + {budgetB.Claims}");
        Assert.True(perClockSecond <= budgetA.PerSecond, $"{perClockSecond} in one clock second, budget {budgetA.PerSecond}");
        // One slot each 1/48 s, a slot used at most two slots late: 50 at most in any second.
        Assert.True(mostInAnySecond <= budgetA.PerSecond + 2 && mostInAnySecond <= 50, $"{mostInAnySecond} within one second");
        Assert.True(rate >= 0.9 * 50, $"together {rate:F2}/s, below 90 % of 50/s");
    }

    private static void Advance(LateTimers time, TimeSpan span)
    {
        for (var t = TimeSpan.Zero; t < span; t += TimeSpan.FromMilliseconds(1))
        {
            time.Clock.Advance(TimeSpan.FromMilliseconds(1));
        }
    }

    /// <summary>Moves the fake clock 1 ms at a time until the calls went (releases run inside Advance).</summary>
    private static void Drive(LateTimers time, Task work)
    {
        var end = time.GetUtcNow().AddMinutes(5);
        while (!work.IsCompleted)
        {
            Assert.True(time.GetUtcNow() < end, "still waiting after 5 minutes of fake time");
            time.Clock.Advance(TimeSpan.FromMilliseconds(1));
        }
    }
}
