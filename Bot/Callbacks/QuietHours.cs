using ChatRegs.Bot.Core;
using System.Globalization;

namespace ChatRegs.Bot.Callbacks;

/// <summary>
/// The customers' rest time (避免在客户休息时打扰客户): ranges of local time of day, each from its
/// start (quiet) to its end (allowed again); a range may run past midnight. Defaults to
/// 12:00–14:00 and 20:00–09:00.
/// </summary>
public sealed class QuietHours
{
    private readonly List<(TimeOnly Start, TimeOnly End)> _ranges;

    public QuietHours(IEnumerable<(TimeOnly Start, TimeOnly End)> ranges)
    {
        _ranges = ranges.ToList();
        // A whole day of rest leaves no time to call: a configuration mistake.
        var probe = new DateTime(2026, 1, 1);
        var allowedMinutes = Enumerable.Range(0, 24 * 60).Count(m => !IsQuiet(TimeOnly.FromDateTime(probe.AddMinutes(m))));
        if (allowedMinutes == 0)
        {
            throw new ArgumentException("The quiet hours cover the whole day: there is no time left to call customers.");
        }
    }

    public IReadOnlyList<(TimeOnly Start, TimeOnly End)> Ranges => _ranges;

    /// <summary>Reads "12:00-14:00,20:00-09:00" (also with '–', '~' or '至').</summary>
    public static QuietHours Parse(string? text)
    {
        var ranges = new List<(TimeOnly, TimeOnly)>();
        foreach (var part in (text ?? "").Split([',', ';', '，', '；'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = part.Split(['-', '–', '~', '至'], StringSplitOptions.TrimEntries);
            if (ends.Length != 2
                || !TimeOnly.TryParseExact(ends[0], ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
                || !TimeOnly.TryParseExact(ends[1], ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
                || start == end)
            {
                throw new FormatException($"ChatRegs:Callbacks:QuietHours: '{part}' is not a range like 12:00-14:00.");
            }
            ranges.Add((start, end));
        }
        return new QuietHours(ranges);
    }

    public bool IsQuiet(TimeOnly time) => Range(time) != null;

    /// <summary>The range <paramref name="time"/> falls in, or null.</summary>
    public (TimeOnly Start, TimeOnly End)? Range(TimeOnly time)
    {
        foreach (var r in _ranges)
        {
            var inside = r.Start < r.End ? time >= r.Start && time < r.End : time >= r.Start || time < r.End;
            if (inside)
            {
                return r;
            }
        }
        return null;
    }

    /// <summary>The first local time at or after <paramref name="local"/> that is not rest time.</summary>
    public DateTime NextAllowed(DateTime local)
    {
        var t = local;
        for (var i = 0; i <= _ranges.Count * 2 + 2; i++)
        {
            if (Range(TimeOnly.FromDateTime(t)) is not { } r)
            {
                return t;
            }
            var end = t.Date + r.End.ToTimeSpan();
            if (end <= t)
            {
                end = end.AddDays(1);
            }
            t = end;
        }
        return t;
    }

    /// <summary>The first instant at or after <paramref name="utc"/> that is not rest time in <paramref name="zone"/>.</summary>
    public DateTimeOffset NextAllowed(DateTimeOffset utc, TimeZoneInfo zone)
    {
        var local = TeamClock.LocalIn(utc, zone);
        var next = NextAllowed(local);
        if (next == local)
        {
            return utc;
        }
        return new DateTimeOffset(next, zone.GetUtcOffset(next)).ToUniversalTime();
    }

    public static string Describe((TimeOnly Start, TimeOnly End) range) =>
        $"{range.Start.ToString("HH:mm", CultureInfo.InvariantCulture)}–{range.End.ToString("HH:mm", CultureInfo.InvariantCulture)}";
}
