using Microsoft.Extensions.Time.Testing;

namespace ChatRegs.Scheduling.Tests.Support;

/// <summary>
/// A fake clock whose timers fire late, as on a loaded machine: each one-shot timer by a random
/// 0 to <paramref name="maxLate"/> (seeded, so a run repeats) after its due time.
/// </summary>
public sealed class LateTimers(FakeTimeProvider clock, TimeSpan maxLate, int seed = 20) : TimeProvider
{
    private readonly Random _random = new(seed);

    public FakeTimeProvider Clock => clock;

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public override long GetTimestamp() => clock.GetTimestamp();

    public override long TimestampFrequency => clock.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => clock.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return clock.CreateTimer(callback, state, dueTime, period);
        }
        long late;
        lock (_random)
        {
            late = (long)(_random.NextDouble() * maxLate.Ticks);
        }
        return clock.CreateTimer(callback, state, dueTime + TimeSpan.FromTicks(late), period);
    }

    /// <summary>When each call was let go: recorded by the limiter's own thread at release (its caller continues synchronously).</summary>
    public Task Track(Task acquired, List<DateTimeOffset> released) =>
        acquired.ContinueWith(
            t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    lock (released)
                    {
                        released.Add(clock.GetUtcNow());
                    }
                }
                return t;
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).Unwrap();

    /// <summary>The most times within any <paramref name="window"/> (half-open, as Teams counts).</summary>
    public static int MostWithin(IEnumerable<DateTimeOffset> times, TimeSpan window)
    {
        var sorted = times.Order().ToList();
        var max = 0;
        var start = 0;
        for (var end = 0; end < sorted.Count; end++)
        {
            while (sorted[end] - sorted[start] >= window)
            {
                start++;
            }
            max = Math.Max(max, end - start + 1);
        }
        return max;
    }
}
