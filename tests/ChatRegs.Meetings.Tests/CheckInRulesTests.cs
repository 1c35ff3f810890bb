using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.CheckIns;

namespace ChatRegs.Meetings.Tests;

/// <summary>Status from the time (例会制度(四) 第八条: 提前五分钟到达) and the check-in window, at every boundary.</summary>
public sealed class CheckInRulesTests
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private static MeetingOccurrence Occurrence(int grace = 0, int opensBefore = 30, int arriveBy = 5) => new()
    {
        Series = new MeetingSeries
        {
            TenantId = "t",
            Id = "s",
            Name = "周工作例会",
            HostId = "29:h",
            LateGraceMinutes = grace,
            ArriveByMinutes = arriveBy,
            CheckInOpensMinutesBefore = opensBefore,
            Schedule = MeetingSchedule.WeeklyOn(new(8, 30), new(9, 30), DayOfWeek.Monday),
        },
        Key = "s@202611300830",
        Start = new DateTimeOffset(2026, 11, 30, 8, 30, 0, China),
        End = new DateTimeOffset(2026, 11, 30, 9, 30, 0, China),
    };

    private static DateTimeOffset At(int h, int m, int s = 0) => new(2026, 11, 30, h, m, s, China);

    [Theory]
    [InlineData(8, 0, 0, CheckInStatus.Early)]    // window opens
    [InlineData(8, 25, 0, CheckInStatus.Early)]   // exactly 5 minutes before: early
    [InlineData(8, 25, 1, CheckInStatus.OnTime)]  // less than 5 minutes before
    [InlineData(8, 29, 59, CheckInStatus.OnTime)]
    [InlineData(8, 30, 0, CheckInStatus.OnTime)]  // at the start
    [InlineData(8, 30, 1, CheckInStatus.Late)]    // no grace: a second after the start is late
    [InlineData(8, 31, 0, CheckInStatus.Late)]
    public void Without_grace(int h, int m, int s, CheckInStatus expected) =>
        Assert.Equal(expected, CheckInService.StatusAt(Occurrence(), At(h, m, s)));

    [Theory]
    [InlineData(8, 25, 0, CheckInStatus.Early)]
    [InlineData(8, 30, 0, CheckInStatus.OnTime)]  // at the start
    [InlineData(8, 35, 0, CheckInStatus.OnTime)]  // at start + grace: still on time
    [InlineData(8, 36, 0, CheckInStatus.Late)]    // one minute after start + grace
    public void With_five_minutes_grace(int h, int m, int s, CheckInStatus expected) =>
        Assert.Equal(expected, CheckInService.StatusAt(Occurrence(grace: 5), At(h, m, s)));

    [Fact]
    public void The_early_threshold_is_the_series_arrive_by_offset()
    {
        Assert.Equal(CheckInStatus.OnTime, CheckInService.StatusAt(Occurrence(arriveBy: 10), At(8, 25)));
        Assert.Equal(CheckInStatus.Early, CheckInService.StatusAt(Occurrence(arriveBy: 10), At(8, 20)));
        // The rule switched off (0): nobody is early, everyone before the start is on time.
        Assert.Equal(CheckInStatus.OnTime, CheckInService.StatusAt(Occurrence(arriveBy: 0), At(8, 0)));
    }

    [Theory]
    [InlineData(7, 59, 59, false)] // a second before the window opens
    [InlineData(8, 0, 0, true)]    // opens 30 minutes before the start
    [InlineData(9, 30, 0, true)]   // closes at the end, inclusive
    [InlineData(9, 30, 1, false)]
    public void The_window_opens_before_the_start_and_closes_at_the_end(int h, int m, int s, bool open) =>
        Assert.Equal(open, CheckInService.IsOpen(Occurrence(), At(h, m, s)));

    [Fact]
    public void A_cancelled_occurrence_is_never_open() =>
        Assert.False(CheckInService.IsOpen(Occurrence() with { Cancelled = true }, At(8, 20)));

    [Fact]
    public void The_window_follows_the_series_setting()
    {
        var o = Occurrence(opensBefore: 10);
        Assert.False(CheckInService.IsOpen(o, At(8, 19)));
        Assert.True(CheckInService.IsOpen(o, At(8, 20)));
    }
}
