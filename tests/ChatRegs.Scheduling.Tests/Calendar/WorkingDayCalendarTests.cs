using ChatRegs.Bot.Calendar;
using ChatRegs.Bot.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.Scheduling.Tests.Calendar;

/// <summary>The shipped holiday file (2026 official: 国务院办公厅 2025-11-04) and the one working-day function.</summary>
public sealed class WorkingDayCalendarTests
{
    private static readonly WorkingDayCalendar Shipped = WorkingDayCalendar.Load(new CalendarOptions());

    [Theory]
    // 国庆节 Oct 1–7 off; Sep 20 (Sun) and Oct 10 (Sat) are make-up workdays.
    [InlineData("2026-09-30", 1, "2026-10-08")]
    [InlineData("2026-10-08", -1, "2026-09-30")] // "the working day before"
    [InlineData("2026-10-01", 0, "2026-10-08")]
    [InlineData("2026-09-18", 1, "2026-09-20")]
    [InlineData("2026-10-09", 1, "2026-10-10")]
    [InlineData("2026-10-12", -1, "2026-10-10")]
    [InlineData("2026-09-30", 3, "2026-10-10")]
    // 春节 Feb 15–23 off; Feb 14 (Sat) and Feb 28 (Sat) are make-up workdays.
    [InlineData("2026-02-13", 1, "2026-02-14")]
    [InlineData("2026-02-13", 2, "2026-02-24")]
    [InlineData("2026-02-24", -1, "2026-02-14")]
    [InlineData("2026-02-27", 1, "2026-02-28")]
    // Minutes reach management within two working days of the meeting (清明 Apr 4–6 off).
    [InlineData("2026-04-03", 2, "2026-04-08")]
    // 元旦 Jan 1–3 off and Jan 4 (Sun) on, reached from the year before.
    [InlineData("2025-12-31", 1, "2026-01-04")]
    [InlineData("2026-01-05", -2, "2025-12-31")]
    public void Working_days_count_across_holidays_and_make_up_days(string start, int n, string expected) =>
        Assert.Equal(DateOnly.Parse(expected), Shipped.AddWorkingDays(DateOnly.Parse(start), n));

    [Fact]
    public void The_shipped_file_has_2026_official_and_2027_provisional_and_the_office_can_replace_it()
    {
        Assert.False(Shipped.Years[2026].IsProvisional);
        Assert.True(Shipped.Years[2027].IsProvisional);
        Assert.True(Shipped.IsWorkingDay(new DateOnly(2026, 9, 20)));   // Sunday, 调休
        Assert.False(Shipped.IsWorkingDay(new DateOnly(2026, 5, 5)));   // Tuesday, 劳动节
        Assert.Equal("春节", Shipped.HolidayName(new DateOnly(2026, 2, 17)));
        Assert.Equal(new DateOnly(2026, 10, 8), Shipped.NextWorkingDay(new DateOnly(2026, 9, 30)));
        Assert.Equal(new DateOnly(2026, 9, 30), Shipped.PreviousWorkingDay(new DateOnly(2026, 10, 8)));

        var file = Path.Combine(Path.GetTempPath(), $"holidays-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """
            { "years": { "2027": { "status": "official", "source": "test",
                "holidays": [ { "name": "春节", "from": "2027-02-05", "to": "2027-02-11" } ],
                "workdays": [ { "name": "春节调休上班", "date": "2027-02-13" } ] } } }
            """);
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { ["ChatRegs:Calendar:HolidayFile"] = file })
                .Build();
            using var provider = new ServiceCollection().AddLogging().AddScheduling(configuration).BuildServiceProvider();
            var replaced = provider.GetRequiredService<WorkingDayCalendar>();

            Assert.Equal(file, replaced.Source);
            Assert.False(replaced.Years[2027].IsProvisional);
            Assert.Equal(new DateOnly(2027, 2, 12), replaced.AddWorkingDays(new DateOnly(2027, 2, 4), 1));
            Assert.Equal(new DateOnly(2027, 2, 13), replaced.AddWorkingDays(new DateOnly(2027, 2, 12), 1)); // Saturday, 调休
        }
        finally
        {
            File.Delete(file);
        }
    }
}
