using ChatRegs.Bot.Core;
using System.Globalization;

namespace ChatRegs.Bot.Scheduling;

public enum RecurrenceKind
{
    /// <summary>On the given weekdays at a local time (e.g. Mon and Thu 08:30 Asia/Shanghai).</summary>
    Weekly,

    /// <summary>On a day of the month at a local time; a month without that day uses its last day (the 29th in February is the 28th).</summary>
    Monthly,

    /// <summary>Every N minutes, counted from the end of the previous run.</summary>
    EveryMinutes,
}

/// <summary>
/// When a recurring job runs next. Immutable; stored on the job as a short text
/// (<see cref="ToString"/> / <see cref="Parse"/>): <c>weekly MO,TH 08:30 Asia/Shanghai</c>,
/// <c>monthly 29 15:00 Asia/Shanghai</c>, <c>every 30</c>.
/// </summary>
public sealed class Recurrence
{
    private static readonly string[] DayCodes = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"];

    private Recurrence()
    {
    }

    public RecurrenceKind Kind { get; private init; }

    /// <summary>Weekly: the days it runs on, in week order.</summary>
    public IReadOnlyList<DayOfWeek> Days { get; private init; } = [];

    /// <summary>Monthly: the day of the month (1–31).</summary>
    public int DayOfMonth { get; private init; }

    /// <summary>Weekly and monthly: the local time of day.</summary>
    public TimeOnly At { get; private init; }

    /// <summary>Weekly and monthly: the IANA time zone the local time is in.</summary>
    public string TimeZone { get; private init; } = TimeZones.DefaultId;

    /// <summary>EveryMinutes: the interval.</summary>
    public int IntervalMinutes { get; private init; }

    public static Recurrence Weekly(TimeOnly at, string timeZone, params DayOfWeek[] days)
    {
        if (days.Length == 0)
        {
            throw new ArgumentException("A weekly recurrence needs at least one day.", nameof(days));
        }
        TimeZones.Find(timeZone);
        return new Recurrence { Kind = RecurrenceKind.Weekly, At = Minute(at), TimeZone = timeZone, Days = days.Distinct().Order().ToArray() };
    }

    public static Recurrence Monthly(int dayOfMonth, TimeOnly at, string timeZone)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dayOfMonth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dayOfMonth, 31);
        TimeZones.Find(timeZone);
        return new Recurrence { Kind = RecurrenceKind.Monthly, DayOfMonth = dayOfMonth, At = Minute(at), TimeZone = timeZone };
    }

    public static Recurrence Every(TimeSpan interval)
    {
        var minutes = (int)Math.Round(interval.TotalMinutes);
        ArgumentOutOfRangeException.ThrowIfLessThan(minutes, 1, nameof(interval));
        return new Recurrence { Kind = RecurrenceKind.EveryMinutes, IntervalMinutes = minutes };
    }

    /// <summary>The first run strictly after <paramref name="after"/>, in UTC.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after)
    {
        after = after.ToUniversalTime();
        if (Kind == RecurrenceKind.EveryMinutes)
        {
            return after.AddMinutes(IntervalMinutes);
        }

        var zone = TimeZones.Find(TimeZone);
        var localToday = TeamClock.DateIn(after, zone);
        if (Kind == RecurrenceKind.Weekly)
        {
            for (var d = 0; d <= 7; d++)
            {
                var day = localToday.AddDays(d);
                if (Days.Contains(day.DayOfWeek) && ToUtc(day, zone) is var candidate && candidate > after)
                {
                    return candidate;
                }
            }
        }
        else
        {
            var month = new DateOnly(localToday.Year, localToday.Month, 1);
            for (var m = 0; m <= 12; m++)
            {
                var first = month.AddMonths(m);
                var day = new DateOnly(first.Year, first.Month, Math.Min(DayOfMonth, DateTime.DaysInMonth(first.Year, first.Month)));
                var candidate = ToUtc(day, zone);
                if (candidate > after)
                {
                    return candidate;
                }
            }
        }
        throw new InvalidOperationException($"Recurrence '{this}' has no run after {after:O}.");
    }

    public override string ToString() => Kind switch
    {
        RecurrenceKind.Weekly => $"weekly {string.Join(",", Days.Select(d => DayCodes[(int)d]))} {At.ToString("HH:mm", CultureInfo.InvariantCulture)} {TimeZone}",
        RecurrenceKind.Monthly => $"monthly {DayOfMonth.ToString(CultureInfo.InvariantCulture)} {At.ToString("HH:mm", CultureInfo.InvariantCulture)} {TimeZone}",
        _ => $"every {IntervalMinutes.ToString(CultureInfo.InvariantCulture)}",
    };

    public static Recurrence Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            switch (parts[0])
            {
                case "weekly" when parts.Length == 4:
                    var days = parts[1].Split(',').Select(code =>
                    {
                        var index = Array.IndexOf(DayCodes, code);
                        return index >= 0 ? (DayOfWeek)index : throw new FormatException($"Unknown day '{code}'.");
                    }).ToArray();
                    return Weekly(ParseTime(parts[2]), parts[3], days);
                case "monthly" when parts.Length == 4:
                    return Monthly(int.Parse(parts[1], CultureInfo.InvariantCulture), ParseTime(parts[2]), parts[3]);
                case "every" when parts.Length == 2:
                    return Every(TimeSpan.FromMinutes(int.Parse(parts[1], CultureInfo.InvariantCulture)));
            }
        }
        catch (Exception e) when (e is not FormatException)
        {
            throw new FormatException($"'{text}' is not a recurrence: {e.Message}", e);
        }
        throw new FormatException($"'{text}' is not a recurrence (e.g. \"weekly MO,TH 08:30 Asia/Shanghai\", \"monthly 29 15:00 Asia/Shanghai\", \"every 30\").");
    }

    // A local time skipped by a daylight-saving change runs an hour later (TeamClock.ToUtc).
    private DateTimeOffset ToUtc(DateOnly day, TimeZoneInfo zone) => TeamClock.ToUtc(day.ToDateTime(At), zone);

    private static TimeOnly ParseTime(string text) => TimeOnly.ParseExact(text, "HH:mm", CultureInfo.InvariantCulture);

    private static TimeOnly Minute(TimeOnly at) => new(at.Hour, at.Minute);
}
