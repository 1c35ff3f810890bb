using ChatRegs.Bot.Meetings;

namespace ChatRegs.Meetings.Tests;

/// <summary>The regulations' schedules over season boundaries, month and year ends, as instants in the series' time zone.</summary>
public sealed class ScheduleBoundaryTests
{
    private static readonly IReadOnlyDictionary<string, MeetingStore.OccurrenceChange> NoChanges = new Dictionary<string, MeetingStore.OccurrenceChange>();

    private static MeetingSeries Series(MeetingSchedule schedule) => new() { TenantId = "t", Id = "s", Name = "例会", HostId = "29:h", Schedule = schedule };

    private static IReadOnlyList<MeetingOccurrence> Between(MeetingSchedule schedule, DateTime fromLocal, DateTime toLocal)
    {
        var zone = ChatRegs.Bot.Core.TimeZones.Find("Asia/Shanghai");
        return OccurrenceExpansion.Between(Series(schedule), NoChanges, MeetingStore.ToUtc(fromLocal, zone), MeetingStore.ToUtc(toLocal, zone));
    }

    [Fact]
    public void Seasonal_friday_switches_on_lixia_and_lidong_both_ways_across_a_year()
    {
        // 例会制度(一): 每周五下午（春冬 1:30–5:00；夏秋 2:30–6:00）.
        var s = MeetingSchedule.SeasonalOn(DayOfWeek.Friday, new(13, 30), new(17, 0), new(14, 30), new(18, 0));
        var all = Between(s, new DateTime(2026, 1, 1), new DateTime(2027, 1, 1));
        Assert.Equal(52, all.Count);
        Assert.All(all, o => Assert.Equal(DayOfWeek.Friday, o.LocalStart.DayOfWeek));
        // The last spring Friday and the first summer Friday around 5 May 2026 (a Tuesday).
        Assert.Equal(new DateTime(2026, 5, 1, 13, 30, 0), all.Last(o => o.LocalStart < new DateTime(2026, 5, 5)).LocalStart);
        Assert.Equal(new DateTime(2026, 5, 8, 14, 30, 0), all.First(o => o.LocalStart >= new DateTime(2026, 5, 5)).LocalStart);
        Assert.Equal(new DateTime(2026, 5, 8, 18, 0, 0), all.First(o => o.LocalStart >= new DateTime(2026, 5, 5)).LocalEnd);
        // Around 7 November 2026 (a Saturday): Friday the 6th is still autumn, the 13th winter.
        Assert.Equal(new DateTime(2026, 11, 6, 14, 30, 0), all.Last(o => o.LocalStart < new DateTime(2026, 11, 7)).LocalStart);
        Assert.Equal(new DateTime(2026, 11, 13, 13, 30, 0), all.First(o => o.LocalStart >= new DateTime(2026, 11, 7)).LocalStart);
        Assert.Equal(27, all.Count(o => o.LocalStart.Hour == 14)); // 8 May – 6 Nov
    }

    [Fact]
    public void A_season_boundary_on_a_meeting_day_takes_the_new_season_that_day()
    {
        // Boundaries moved to Fridays: 1 May 2026 and 6 Nov 2026.
        var s = MeetingSchedule.SeasonalOn(DayOfWeek.Friday, new(13, 30), new(17, 0), new(14, 30), new(18, 0)) with { SummerFrom = (5, 1), WinterFrom = (11, 6) };
        Assert.Equal(new TimeOnly(13, 30), s.On(new DateOnly(2026, 4, 24))!.Value.Start);
        Assert.Equal(new TimeOnly(14, 30), s.On(new DateOnly(2026, 5, 1))!.Value.Start);
        Assert.Equal(new TimeOnly(14, 30), s.On(new DateOnly(2026, 10, 30))!.Value.Start);
        Assert.Equal(new TimeOnly(13, 30), s.On(new DateOnly(2026, 11, 6))!.Value.Start);
    }

    [Fact]
    public void A_southern_style_season_that_wraps_the_year_end()
    {
        var s = MeetingSchedule.SeasonalOn(DayOfWeek.Friday, new(13, 30), new(17, 0), new(14, 30), new(18, 0)) with { SummerFrom = (11, 1), WinterFrom = (3, 1) };
        Assert.True(s.IsSummer(new DateOnly(2026, 12, 25)));
        Assert.True(s.IsSummer(new DateOnly(2027, 1, 1)));
        Assert.True(s.IsSummer(new DateOnly(2027, 2, 28)));
        Assert.False(s.IsSummer(new DateOnly(2027, 3, 1)));
    }

    [Fact]
    public void Monthly_on_the_29th_at_15_00_every_month_of_a_common_and_a_leap_year()
    {
        // 例会制度(三): 每月29日下午15:00. February of 2026 has 28 days: that month meets on the 28th.
        var s = MeetingSchedule.MonthlyOn(29, new(15, 0), new(16, 0));
        var y2026 = Between(s, new DateTime(2026, 1, 1), new DateTime(2027, 1, 1)).Select(o => o.LocalStart).ToList();
        Assert.Equal(12, y2026.Count);
        Assert.Contains(new DateTime(2026, 2, 28, 15, 0, 0), y2026);
        Assert.All(y2026.Where(d => d.Month != 2), d => Assert.Equal(29, d.Day));
        var y2028 = Between(s, new DateTime(2028, 2, 1), new DateTime(2028, 3, 1)).Single();
        Assert.Equal(new DateTime(2028, 2, 29, 15, 0, 0), y2028.LocalStart);
    }

    [Theory]
    [InlineData(30, 2026, 2, 28)]
    [InlineData(30, 2026, 4, 30)]
    [InlineData(31, 2026, 4, 30)]
    [InlineData(31, 2026, 6, 30)]
    [InlineData(31, 2026, 12, 31)]
    [InlineData(31, 2028, 2, 29)]
    public void Month_ends(int dayOfMonth, int year, int month, int expectedDay)
    {
        var s = MeetingSchedule.MonthlyOn(dayOfMonth, new(15, 0), new(16, 0));
        var only = Between(s, new DateTime(year, month, 1), new DateTime(year, month, 1).AddMonths(1)).Single();
        Assert.Equal(expectedDay, only.LocalStart.Day);
    }

    [Fact]
    public void Weekly_monday_and_thursday_across_the_year_end_with_keys_and_utc_instants()
    {
        // 例会制度(四): 每周一、四. 08:30 in Shanghai is 00:30 UTC.
        var s = MeetingSchedule.WeeklyOn(new(8, 30), new(9, 30), DayOfWeek.Monday, DayOfWeek.Thursday);
        var list = Between(s, new DateTime(2026, 12, 28), new DateTime(2027, 1, 5));
        Assert.Equal(["s@202612280830", "s@202612310830", "s@202701040830"], list.Select(o => o.Key));
        Assert.Equal(new DateTimeOffset(2026, 12, 31, 0, 30, 0, TimeSpan.Zero), list[1].Start);
        Assert.Equal(new DateTimeOffset(2026, 12, 31, 1, 30, 0, TimeSpan.Zero), list[1].End);
    }

    [Fact]
    public void Once_in_the_past_range_only()
    {
        var s = MeetingSchedule.OnceOn(new DateOnly(2026, 12, 31), new(23, 0), new(23, 59));
        Assert.Single(Between(s, new DateTime(2026, 12, 1), new DateTime(2027, 1, 1)));
        Assert.Empty(Between(s, new DateTime(2027, 1, 1), new DateTime(2027, 12, 31)));
    }

    [Fact]
    public void A_moved_occurrence_keeps_its_key_and_moves_into_another_range()
    {
        var s = MeetingSchedule.WeeklyOn(new(8, 30), new(9, 30), DayOfWeek.Monday);
        var series = Series(s);
        var zone = series.Zone;
        var moved = new DateTimeOffset(2027, 1, 5, 14, 0, 0, TimeSpan.FromHours(8));
        var changes = new Dictionary<string, MeetingStore.OccurrenceChange>
        {
            ["s@202612280830"] = new("s@202612280830", false, moved, moved.AddHours(1), null, null, "29:h", DateTimeOffset.UtcNow),
        };
        var december = OccurrenceExpansion.Between(series, changes, MeetingStore.ToUtc(new DateTime(2026, 12, 1), zone), MeetingStore.ToUtc(new DateTime(2027, 1, 1), zone));
        Assert.DoesNotContain(december, o => o.Key == "s@202612280830");
        var january = OccurrenceExpansion.Between(series, changes, MeetingStore.ToUtc(new DateTime(2027, 1, 1), zone), MeetingStore.ToUtc(new DateTime(2027, 1, 10), zone));
        Assert.Equal(["s@202701040830", "s@202612280830"], january.Select(o => o.Key));
        Assert.True(january[1].Moved);
    }
}
