using System.Globalization;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.WeeklyReports;

/// <summary>Dates, weeks and deadlines as people read them, in their language.</summary>
public static class ReportText
{
    public static string Day(Localizer localizer, string locale, DayOfWeek day) =>
        localizer.Get(locale, "weeklyReports.days." + day.ToString().ToLowerInvariant());

    /// <summary>"11月27日（周五）17:00" / "Fri 27 Nov 17:00".</summary>
    public static string DateTime(Localizer localizer, string locale, DateTime local) =>
        localizer.Get(locale, "weeklyReports.format.dateTime",
            local.Month, local.Day, Day(localizer, locale, local.DayOfWeek), local.ToString("HH:mm", CultureInfo.InvariantCulture),
            local.ToString("MMM", CultureInfo.InvariantCulture));

    /// <summary>An instant in the zone.</summary>
    public static string DateTime(Localizer localizer, string locale, DateTimeOffset instant, TimeZoneInfo zone) =>
        DateTime(localizer, locale, TeamClock.LocalIn(instant, zone));

    /// <summary>"2026-W48（11月23日–11月29日）" / "2026-W48 (23 Nov – 29 Nov)".</summary>
    public static string Week(Localizer localizer, string locale, string week)
    {
        var monday = IsoWeek.Monday(week);
        var sunday = monday.AddDays(6);
        return localizer.Get(locale, "weeklyReports.format.week", week,
            monday.Month, monday.Day, sunday.Month, sunday.Day,
            monday.ToString("MMM", CultureInfo.InvariantCulture), sunday.ToString("MMM", CultureInfo.InvariantCulture));
    }

    /// <summary>The deadline in force, e.g. "11月27日（周五）17:00".</summary>
    public static string Deadline(Localizer localizer, string locale, WeekPlan plan) => DateTime(localizer, locale, plan.DeadlineLocal);

    /// <summary>Why and where the deadline moved, or "" when it did not.</summary>
    public static string ShiftNote(Localizer localizer, string locale, WeekPlan plan)
    {
        if (!plan.Shifted)
        {
            return "";
        }
        var nominal = DateTime(localizer, locale, plan.NominalDeadlineLocal);
        var actual = Deadline(localizer, locale, plan);
        return plan.ShiftReason is { Length: > 0 } holiday
            ? localizer.Get(locale, "weeklyReports.shift.holiday", nominal, holiday, actual)
            : localizer.Get(locale, "weeklyReports.shift.restDay", nominal, actual);
    }

    public static string State(Localizer localizer, string locale, ReportState state) =>
        localizer.Get(locale, "weeklyReports.state." + state.ToString().ToLowerInvariant());
}
