using ChatRegs.Bot.Calendar;
using ChatRegs.Bot.WeeklyReports;
using ChatRegs.Bot.Core;

namespace ChatRegs.WeeklyReports.Tests;

/// <summary>Deadlines against the shipped 2026 holiday calendar, and ISO weeks.</summary>
public sealed class WeekPlanTests
{
    private static readonly WorkingDayCalendar Calendar = WorkingDayCalendar.Load(new CalendarOptions());

    private static TeamSettings Settings(DayOfWeek day = DayOfWeek.Friday) => new() { TenantId = "t", Team = "综合部", DeadlineDay = day };

    [Theory]
    // An ordinary week: Friday 17:00 CST, reminder 14:00.
    [InlineData("2026-W48", "2026-11-27T09:00:00Z", "2026-11-27T06:00:00Z", false, null, true)]
    // National Day: Friday 2 October is a holiday; the working day before is Wednesday 30 September.
    [InlineData("2026-W40", "2026-09-30T09:00:00Z", "2026-09-30T06:00:00Z", true, "国庆节", true)]
    // Dragon Boat Festival: Friday 19 June is a holiday; Thursday 18 June.
    [InlineData("2026-W25", "2026-06-18T09:00:00Z", "2026-06-18T06:00:00Z", true, "端午节", true)]
    // Spring Festival: 15–23 February; the week has no working day up to Friday: nothing is due.
    [InlineData("2026-W08", "2026-02-20T09:00:00Z", "2026-02-20T06:00:00Z", false, null, false)]
    public void The_deadline_moves_to_the_working_day_before_a_holiday(string week, string deadline, string reminder, bool shifted, string? reason, bool due)
    {
        var plan = WeekPlan.For(Settings(), week, Calendar);
        Assert.Equal(DateTimeOffset.Parse(deadline), plan.DeadlineUtc);
        Assert.Equal(DateTimeOffset.Parse(reminder), plan.ReminderUtc);
        Assert.Equal(shifted, plan.Shifted);
        Assert.Equal(reason, plan.ShiftReason);
        Assert.Equal(due, plan.ReportsDue);
    }

    [Fact]
    public void A_Saturday_deadline_that_is_a_make_up_workday_stays_and_an_ordinary_Saturday_moves_to_Friday()
    {
        // Saturday 9 May 2026 is a make-up workday (劳动节调休上班).
        Assert.Equal(DateTimeOffset.Parse("2026-05-09T09:00:00Z"), WeekPlan.For(Settings(DayOfWeek.Saturday), "2026-W19", Calendar).DeadlineUtc);
        var ordinary = WeekPlan.For(Settings(DayOfWeek.Saturday), "2026-W48", Calendar);
        Assert.Equal(DateTimeOffset.Parse("2026-11-27T09:00:00Z"), ordinary.DeadlineUtc);
        Assert.True(ordinary.Shifted);
        Assert.Null(ordinary.ShiftReason);
    }

    [Theory]
    [InlineData("2026-W48", true, "2026-W48")]
    [InlineData("2026w5", true, "2026-W05")]
    [InlineData("2026-W53", true, "2026-W53")]
    [InlineData("2027-W53", false, "")]
    [InlineData("2026-W00", false, "")]
    [InlineData("上周", false, "")]
    [InlineData("", false, "")]
    public void Weeks_are_read_as_people_type_them(string text, bool ok, string week)
    {
        Assert.Equal(ok, IsoWeek.TryParse(text, out var parsed));
        Assert.Equal(week, parsed);
    }

    [Fact]
    public void Weeks_add_across_years()
    {
        Assert.Equal("2026-W53", IsoWeek.Add("2027-W01", -1));
        Assert.Equal(new DateOnly(2026, 11, 23), IsoWeek.Monday("2026-W48"));
    }
}
