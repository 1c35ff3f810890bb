using ChatRegs.Bot.Meetings.Minutes;
using ChatRegs.Minutes.Tests.Support;

namespace ChatRegs.Minutes.Tests;

/// <summary>Minutes are due two working days after the meeting, on the Chinese calendar (weekends and holidays off, 调休 on).</summary>
public sealed class DueDateTests
{
    [Theory]
    [InlineData("2026-11-30", "2026-12-02")] // Monday → Wednesday
    [InlineData("2026-11-26", "2026-11-30")] // Thursday → across the weekend → Monday
    [InlineData("2026-11-27", "2026-12-01")] // Friday → Tuesday
    [InlineData("2026-09-30", "2026-10-09")] // 国庆: 1–7 Oct off → Thu 8, Fri 9 Oct
    [InlineData("2026-10-08", "2026-10-10")] // Fri 9 Oct, then Saturday 10 Oct is a make-up workday (调休上班)
    [InlineData("2026-09-18", "2026-09-21")] // Friday 18 Sep → Sunday 20 Sep is a make-up workday → Mon 21 Sep
    public async Task Two_working_days_after_the_meeting(string meeting, string due)
    {
        await using var host = await MinutesHost.StartAsync(agenda: false);
        var service = host.Feature.Get<MinutesService>();
        Assert.Equal(DateOnly.Parse(due), service.DueOf(DateOnly.Parse(meeting)));
    }
}
