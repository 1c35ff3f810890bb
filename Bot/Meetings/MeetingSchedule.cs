using System.Globalization;

namespace ChatRegs.Bot.Meetings;

/// <summary>How a meeting series repeats (the schedules the regulations use).</summary>
public enum ScheduleKind
{
    /// <summary>On given weekdays at one time: 周一 8:30 (制度二), 周一、周四 (制度四).</summary>
    Weekly,

    /// <summary>On given weekdays, at one time in spring/winter and another in summer/autumn (制度一: 周五 13:30–17:00 / 14:30–18:00).</summary>
    Seasonal,

    /// <summary>On a day of the month (制度三: 每月29日 15:00). In a month without that day it is held on the month's last day.</summary>
    Monthly,

    /// <summary>Once, on a date.</summary>
    Once,
}

/// <summary>
/// A series' schedule, in the team's local time. Pure: it only computes dates. The series'
/// time zone turns local times into instants (<see cref="MeetingSeries.TimeZone"/>).
/// </summary>
public sealed record MeetingSchedule
{
    public ScheduleKind Kind { get; init; }

    /// <summary>Weekly and Seasonal: the weekdays.</summary>
    public IReadOnlyList<DayOfWeek> Days { get; init; } = [];

    /// <summary>Start and end (Seasonal: the spring/winter times).</summary>
    public TimeOnly Start { get; init; }

    public TimeOnly End { get; init; }

    /// <summary>Seasonal: the summer/autumn times.</summary>
    public TimeOnly? SummerStart { get; init; }

    public TimeOnly? SummerEnd { get; init; }

    /// <summary>
    /// Seasonal: the first day of summer/autumn hours (month, day) and the first day of
    /// winter/spring hours. Defaults are the solar terms 立夏 (about 5 May) and 立冬 (about 7 November).
    /// </summary>
    public (int Month, int Day) SummerFrom { get; init; } = (5, 5);

    public (int Month, int Day) WinterFrom { get; init; } = (11, 7);

    /// <summary>Monthly: the day of the month (1–31).</summary>
    public int DayOfMonth { get; init; }

    /// <summary>Once: the date.</summary>
    public DateOnly? Date { get; init; }

    public static MeetingSchedule WeeklyOn(TimeOnly start, TimeOnly end, params DayOfWeek[] days) =>
        new() { Kind = ScheduleKind.Weekly, Days = days, Start = start, End = end };

    public static MeetingSchedule SeasonalOn(DayOfWeek day, TimeOnly winterStart, TimeOnly winterEnd, TimeOnly summerStart, TimeOnly summerEnd) =>
        new() { Kind = ScheduleKind.Seasonal, Days = [day], Start = winterStart, End = winterEnd, SummerStart = summerStart, SummerEnd = summerEnd };

    public static MeetingSchedule MonthlyOn(int dayOfMonth, TimeOnly start, TimeOnly end) =>
        new() { Kind = ScheduleKind.Monthly, DayOfMonth = dayOfMonth, Start = start, End = end };

    public static MeetingSchedule OnceOn(DateOnly date, TimeOnly start, TimeOnly end) =>
        new() { Kind = ScheduleKind.Once, Date = date, Start = start, End = end };

    /// <summary>The problems with this schedule, as string-table keys under "meetings.errors" (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (End <= Start)
        {
            errors.Add("endBeforeStart");
        }
        switch (Kind)
        {
            case ScheduleKind.Weekly when Days.Count == 0:
            case ScheduleKind.Seasonal when Days.Count == 0:
                errors.Add("noWeekday");
                break;
            case ScheduleKind.Seasonal when SummerStart == null || SummerEnd == null:
                errors.Add("noSummerTimes");
                break;
            case ScheduleKind.Seasonal when SummerEnd <= SummerStart:
                errors.Add("endBeforeStart");
                break;
            case ScheduleKind.Monthly when DayOfMonth is < 1 or > 31:
                errors.Add("badDayOfMonth");
                break;
            case ScheduleKind.Once when Date == null:
                errors.Add("noDate");
                break;
        }
        if (Kind == ScheduleKind.Seasonal && !(IsValidMonthDay(SummerFrom) && IsValidMonthDay(WinterFrom)))
        {
            errors.Add("badSeason");
        }
        return errors.Distinct().ToList();
    }

    private static bool IsValidMonthDay((int Month, int Day) md) =>
        md.Month is >= 1 and <= 12 && md.Day >= 1 && md.Day <= DateTime.DaysInMonth(2024, md.Month);

    /// <summary>Is <paramref name="date"/> in summer/autumn hours?</summary>
    public bool IsSummer(DateOnly date)
    {
        var key = date.Month * 100 + date.Day;
        var from = SummerFrom.Month * 100 + SummerFrom.Day;
        var to = WinterFrom.Month * 100 + WinterFrom.Day;
        return from <= to ? key >= from && key < to : key >= from || key < to;
    }

    /// <summary>The (local) start and end times on <paramref name="date"/>, or null when the series does not meet that day.</summary>
    public (TimeOnly Start, TimeOnly End)? On(DateOnly date)
    {
        switch (Kind)
        {
            case ScheduleKind.Weekly:
                return Days.Contains(date.DayOfWeek) ? (Start, End) : null;
            case ScheduleKind.Seasonal:
                if (!Days.Contains(date.DayOfWeek))
                {
                    return null;
                }
                return IsSummer(date) ? (SummerStart!.Value, SummerEnd!.Value) : (Start, End);
            case ScheduleKind.Monthly:
                var day = Math.Min(DayOfMonth, DateTime.DaysInMonth(date.Year, date.Month));
                return date.Day == day ? (Start, End) : null;
            case ScheduleKind.Once:
                return Date == date ? (Start, End) : null;
            default:
                return null;
        }
    }

    /// <summary>Every meeting day from <paramref name="from"/> to <paramref name="to"/> inclusive, in order.</summary>
    public IEnumerable<(DateOnly Date, TimeOnly Start, TimeOnly End)> Between(DateOnly from, DateOnly to)
    {
        for (var d = from; d <= to; d = d.AddDays(1))
        {
            if (On(d) is { } times)
            {
                yield return (d, times.Start, times.End);
            }
        }
    }

    /// <summary>A short description in the user's language, e.g. "每周一 08:30–09:30".</summary>
    public string Describe(string language)
    {
        var en = language.StartsWith("en", StringComparison.OrdinalIgnoreCase);
        var culture = CultureInfo.GetCultureInfo(en ? "en-US" : "zh-CN");
        string DayNames() => string.Join(en ? ", " : "、", Days.OrderBy(d => ((int)d + 6) % 7).Select(d => culture.DateTimeFormat.GetDayName(d)));
        string Span(TimeOnly s, TimeOnly e) => $"{s:HH\\:mm}–{e:HH\\:mm}";
        return Kind switch
        {
            ScheduleKind.Weekly => en ? $"Every {DayNames()} {Span(Start, End)}" : $"每{DayNames()} {Span(Start, End)}",
            ScheduleKind.Seasonal => en
                ? $"Every {DayNames()}: {Span(Start, End)} in spring/winter, {Span(SummerStart!.Value, SummerEnd!.Value)} in summer/autumn"
                : $"每{DayNames()}：春冬季 {Span(Start, End)}，夏秋季 {Span(SummerStart!.Value, SummerEnd!.Value)}",
            ScheduleKind.Monthly => en ? $"Monthly on day {DayOfMonth} {Span(Start, End)}" : $"每月 {DayOfMonth} 日 {Span(Start, End)}",
            ScheduleKind.Once => en ? $"{Date:yyyy-MM-dd} {Span(Start, End)}" : $"{Date:yyyy-MM-dd} {Span(Start, End)}",
            _ => "",
        };
    }
}
