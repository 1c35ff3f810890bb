using ChatRegs.Bot.Calendar;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.WeeklyReports;

/// <summary>
/// When a team's reports for one week are due, after the holiday calendar has had its say.
/// </summary>
/// <param name="NominalDeadlineLocal">The configured weekday and time (e.g. Friday 17:00) of that week.</param>
/// <param name="DeadlineLocal">The deadline in force: the nominal one, or the working day before it at the same time.</param>
/// <param name="Shifted">The nominal day is not a working day, so the deadline moved to the working day before.</param>
/// <param name="ShiftReason">The holiday's name when the nominal day is a public holiday, else null (a weekend).</param>
/// <param name="ReportsDue">False when the week has no working day up to the nominal day (e.g. the Spring Festival week): nothing is due, nobody is reminded.</param>
public sealed record WeekPlan(
    string Team,
    string Week,
    TimeZoneInfo Zone,
    DateTime NominalDeadlineLocal,
    DateTime DeadlineLocal,
    DateTimeOffset DeadlineUtc,
    DateTimeOffset ReminderUtc,
    bool Shifted,
    string? ShiftReason,
    bool ReportsDue)
{
    /// <summary>The deadline has passed at <paramref name="now"/>: a first submission now is late, and edits are closed.</summary>
    public bool IsPast(DateTimeOffset now) => now > DeadlineUtc;

    /// <summary>
    /// The plan for <paramref name="week"/>: the configured day and time of that week; when that
    /// day is not a working day, the working day before (<see cref="WorkingDayCalendar.AddWorkingDays"/>
    /// with -1) at the same time; when that falls before the week's Monday, nothing is due.
    /// </summary>
    public static WeekPlan For(TeamSettings settings, string week, WorkingDayCalendar calendar)
    {
        var zone = TimeZones.Find(settings.TimeZone);
        var monday = IsoWeek.Monday(week);
        var nominalDay = monday.AddDays(((int)settings.DeadlineDay + 6) % 7);
        var day = nominalDay;
        var shifted = false;
        var due = true;
        if (!calendar.IsWorkingDay(nominalDay))
        {
            var before = calendar.AddWorkingDays(nominalDay, -1);
            if (before >= monday)
            {
                day = before;
                shifted = true;
            }
            else
            {
                due = false;
            }
        }
        var nominalLocal = nominalDay.ToDateTime(settings.DeadlineTime);
        var deadlineLocal = day.ToDateTime(settings.DeadlineTime);
        return new WeekPlan(settings.Team, week, zone, nominalLocal, deadlineLocal, ToUtc(deadlineLocal, zone), ToUtc(day.ToDateTime(settings.ReminderTime), zone),
            shifted, shifted ? calendar.HolidayName(nominalDay) : null, due);
    }

    private static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone) => TeamClock.ToUtc(local, zone);
}
