using ChatRegs.Bot.Meetings;
using ChatRegs.TestSupport;

namespace ChatRegs.Meetings.Tests;

public sealed class MeetingScheduleTests
{
    private static readonly TimeOnly T0830 = new(8, 30), T0930 = new(9, 30);

    [Fact]
    public void Weekly_monday_at_8_30_meets_only_on_mondays()
    {
        var s = MeetingSchedule.WeeklyOn(T0830, T0930, DayOfWeek.Monday);
        var days = s.Between(new DateOnly(2026, 11, 23), new DateOnly(2026, 12, 13)).Select(o => o.Date).ToList();
        Assert.Equal([new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 30), new DateOnly(2026, 12, 7)], days);
        Assert.All(s.Between(new DateOnly(2026, 11, 23), new DateOnly(2026, 12, 13)), o => Assert.Equal(T0830, o.Start));
    }

    [Fact]
    public void Monday_and_thursday()
    {
        var s = MeetingSchedule.WeeklyOn(T0830, T0930, DayOfWeek.Monday, DayOfWeek.Thursday);
        var days = s.Between(new DateOnly(2026, 11, 23), new DateOnly(2026, 11, 29)).Select(o => o.Date.DayOfWeek).ToList();
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Thursday], days);
    }

    [Theory]
    [InlineData(2026, 5, 1, "13:30")]   // Friday before 立夏: spring hours
    [InlineData(2026, 5, 8, "14:30")]   // first Friday after 5 May: summer hours
    [InlineData(2026, 11, 6, "14:30")]  // last Friday before 立冬 (7 Nov): still autumn
    [InlineData(2026, 11, 13, "13:30")] // winter hours
    [InlineData(2027, 1, 1, "13:30")]   // across the year end
    public void Friday_afternoon_follows_the_season(int y, int m, int d, string start)
    {
        var s = MeetingSchedule.SeasonalOn(DayOfWeek.Friday, new(13, 30), new(17, 0), new(14, 30), new(18, 0));
        var on = s.On(new DateOnly(y, m, d));
        Assert.NotNull(on);
        Assert.Equal(TimeOnly.Parse(start), on!.Value.Start);
        Assert.Equal(on.Value.Start.AddHours(start == "13:30" ? 3.5 : 3.5), on.Value.End);
    }

    [Fact]
    public void The_season_boundary_day_itself_is_summer_and_configurable()
    {
        var s = MeetingSchedule.SeasonalOn(DayOfWeek.Friday, new(13, 30), new(17, 0), new(14, 30), new(18, 0)) with { SummerFrom = (5, 1), WinterFrom = (10, 1) };
        Assert.True(s.IsSummer(new DateOnly(2026, 5, 1)));
        Assert.False(s.IsSummer(new DateOnly(2026, 4, 30)));
        Assert.False(s.IsSummer(new DateOnly(2026, 10, 1)));
        Assert.True(s.IsSummer(new DateOnly(2026, 9, 30)));
    }

    [Theory]
    [InlineData(2026, 1, 29)]
    [InlineData(2026, 2, 28)] // no 29 Feb in 2026: the last day of the month
    [InlineData(2028, 2, 29)] // leap year
    [InlineData(2026, 4, 29)]
    public void Monthly_on_the_29th_falls_on_the_last_day_in_a_short_month(int y, int m, int expectedDay)
    {
        var s = MeetingSchedule.MonthlyOn(29, new(15, 0), new(16, 0));
        var dates = s.Between(new DateOnly(y, m, 1), new DateOnly(y, m, DateTime.DaysInMonth(y, m))).Select(o => o.Date).ToList();
        Assert.Equal([new DateOnly(y, m, expectedDay)], dates);
    }

    [Fact]
    public void Monthly_on_the_31st_meets_every_month_once()
    {
        var s = MeetingSchedule.MonthlyOn(31, new(15, 0), new(16, 0));
        var dates = s.Between(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)).ToList();
        Assert.Equal(12, dates.Count);
        Assert.Contains(dates, o => o.Date == new DateOnly(2026, 4, 30));
    }

    [Fact]
    public void Once_meets_once()
    {
        var s = MeetingSchedule.OnceOn(new DateOnly(2026, 12, 3), new(10, 0), new(11, 0));
        Assert.Single(s.Between(new DateOnly(2026, 1, 1), new DateOnly(2026, 12, 31)));
    }

    [Fact]
    public void Bad_schedules_are_named()
    {
        Assert.Contains("endBeforeStart", MeetingSchedule.WeeklyOn(T0930, T0830, DayOfWeek.Monday).Validate());
        Assert.Contains("noWeekday", MeetingSchedule.WeeklyOn(T0830, T0930).Validate());
        Assert.Contains("badDayOfMonth", MeetingSchedule.MonthlyOn(32, T0830, T0930).Validate());
        Assert.Contains("noDate", new MeetingSchedule { Kind = ScheduleKind.Once, Start = T0830, End = T0930 }.Validate());
        Assert.Empty(MeetingSchedule.MonthlyOn(29, new(15, 0), new(16, 0)).Validate());
    }

    [Fact]
    public void Descriptions_in_both_languages()
    {
        var s = MeetingSchedule.WeeklyOn(T0830, T0930, DayOfWeek.Thursday, DayOfWeek.Monday);
        Assert.Equal("每星期一、星期四 08:30–09:30", s.Describe("zh-CN"));
        Assert.Equal("Every Monday, Thursday 08:30–09:30", s.Describe("en"));
    }
}

public sealed class MeetingStoreTests : IAsyncLifetime
{
    private Azure.Data.Tables.TableClient _table = null!;
    private MeetingStore _store = null!;

    public async Task InitializeAsync()
    {
        _table = Azurite.CreateServiceClient().GetTableClient(Azurite.UniqueTableName("meet"));
        await _table.CreateIfNotExistsAsync();
        _store = new MeetingStore(_table);
    }

    public Task DisposeAsync() => _table.DeleteAsync();

    private static MeetingSeries Weekly() => new()
    {
        TenantId = "t1",
        Id = "weekly",
        Name = "周工作例会",
        HostId = "29:host",
        RecorderId = "29:rec",
        Location = "三楼会议室",
        Schedule = MeetingSchedule.WeeklyOn(new(8, 30), new(9, 30), DayOfWeek.Monday),
    };

    [Fact]
    public async Task A_series_round_trips_with_its_participants()
    {
        await _store.CreateSeriesAsync(Weekly(), ["29:a", "29:b", "29:a"], default);
        var read = await _store.GetSeriesAsync("t1", "weekly", default);
        Assert.Equal("周工作例会", read!.Name);
        Assert.Equal([DayOfWeek.Monday], read.Schedule.Days);
        Assert.True(await _store.IsParticipantAsync("t1", "weekly", "29:b", default));
        Assert.False(await _store.IsParticipantAsync("t1", "weekly", "29:z", default));

        await _store.SetParticipantsAsync("t1", "weekly", Enumerable.Range(0, 250).Select(i => $"29:p{i}").Append("29:a"), default);
        var all = await _store.ListParticipantsAsync("t1", "weekly", default);
        Assert.Equal(251, all.Count);
        Assert.DoesNotContain("29:b", all);
    }

    [Fact]
    public async Task Occurrences_are_in_the_series_time_zone_and_one_off_changes_apply_to_one_only()
    {
        var series = Weekly();
        await _store.CreateSeriesAsync(series, [], default);
        var from = new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero);
        var list = await _store.OccurrencesAsync(series, from, from.AddDays(21), default);
        Assert.Equal(3, list.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 0, 30, 0, TimeSpan.Zero), list[0].Start); // 08:30 in Shanghai
        Assert.Equal("weekly@202611300830", list[0].Key);

        // Move the 7 Dec meeting to Tuesday 14:00 and name a substitute host; cancel the 14 Dec one.
        var moved = new DateTimeOffset(2026, 12, 8, 14, 0, 0, TimeSpan.FromHours(8));
        await _store.SaveChangeAsync("t1", new("weekly@202612070830", false, moved, moved.AddHours(1), "29:sub", "改期", "29:host", DateTimeOffset.UtcNow), default);
        await _store.SaveChangeAsync("t1", new("weekly@202612140830", true, null, null, null, "放假", "29:host", DateTimeOffset.UtcNow), default);

        list = await _store.OccurrencesAsync(series, from, from.AddDays(21), default);
        Assert.False(list[0].Moved);
        Assert.Equal("29:host", list[0].HostId);
        Assert.True(list[1].Moved);
        Assert.Equal(moved, list[1].Start);
        Assert.Equal("29:sub", list[1].HostId);
        Assert.True(list[2].Cancelled);

        var one = await _store.GetOccurrenceAsync(series, "weekly@202612070830", default);
        Assert.Equal(moved, one!.Start);
        Assert.Null(await _store.GetOccurrenceAsync(series, "weekly@202612080830", default)); // not a meeting day
        Assert.Null(await _store.GetOccurrenceAsync(series, "garbage", default));
    }

    [Fact]
    public async Task A_stale_series_update_is_a_conflict()
    {
        await _store.CreateSeriesAsync(Weekly(), [], default);
        var a = (await _store.GetSeriesAsync("t1", "weekly", default))!;
        var b = (await _store.GetSeriesAsync("t1", "weekly", default))!;
        await _store.UpdateSeriesAsync(a with { Location = "A" }, default);
        Assert.True((await _store.UpdateSeriesAsync(b with { Location = "B" }, default)).IsChanged);
    }

    private static IEnumerable<string> People(string prefix, int count) => Enumerable.Range(0, count).Select(i => $"29:{prefix}{i}");

    [Fact]
    public async Task Two_hundred_fifty_participants_are_saved_with_their_series_and_replaced_whole()
    {
        var created = await _store.SaveSeriesAsync(Weekly(), People("p", 250), "form-1", default);
        Assert.True(created.IsWritten);
        Assert.Equal(People("p", 250).Order(), (await _store.ListParticipantsAsync("t1", "weekly", default)).Order());

        // All 250 out, 250 others in: 500 row changes, six transactions, the series row in the last.
        var replaced = await _store.SetParticipantsAsync("t1", "weekly", People("q", 250), default);
        Assert.True(replaced.IsWritten);
        Assert.Equal(People("q", 250).Order(), (await _store.ListParticipantsAsync("t1", "weekly", default)).Order());
        Assert.NotEqual(created.Value!.ETag, (await _store.GetSeriesAsync("t1", "weekly", default))!.ETag);
    }

    [Fact]
    public async Task A_stale_edit_of_250_participants_writes_none_of_them()
    {
        await _store.CreateSeriesAsync(Weekly(), People("p", 250), default);
        var stale = (await _store.GetSeriesAsync("t1", "weekly", default))!;
        Assert.True((await _store.UpdateSeriesAsync(stale with { Location = "别人改过" }, default)).IsWritten);

        var saved = await _store.SaveSeriesAsync(stale with { Name = "我的修改" }, People("q", 250), "form-2", default);
        Assert.True(saved.IsChanged);
        Assert.Equal(People("p", 250).Order(), (await _store.ListParticipantsAsync("t1", "weekly", default)).Order());
        Assert.Equal("别人改过", (await _store.GetSeriesAsync("t1", "weekly", default))!.Location);
    }

    [Theory]
    [InlineData(StorageFault.BeforeSending)]
    [InlineData(StorageFault.ResponseLost)]
    public async Task When_the_series_row_of_a_250_participant_edit_fails_the_edit_is_undone_or_reported_saved_and_a_retry_completes_it(StorageFault kind)
    {
        await _store.CreateSeriesAsync(Weekly(), People("p", 250), default);
        var read = (await _store.GetSeriesAsync("t1", "weekly", default))!;
        var faults = new StorageFaults();
        var options = new Azure.Data.Tables.TableClientOptions();
        options.Retry.MaxRetries = 0;
        options.AddPolicy(faults, Azure.Core.HttpPipelinePosition.PerCall);
        var faulty = new MeetingStore(new Azure.Data.Tables.TableClient(Azurite.ConnectionString, _table.Name, options));

        var edit = read with { Name = "我的修改" };

        // Requests: the participant list (one query), the ETag check, five participant transactions, then the series' one.
        faults.FailAt(8, kind);
        Exception? failure = null;
        Azure.Data.Tables.TableClient plain = _table;
        try
        {
            var outcome = await faulty.SaveSeriesAsync(edit, People("q", 250), "form-4", default);
            // The answer was lost after the write: the stored change id says it was this edit.
            Assert.Equal(StorageFault.ResponseLost, kind);
            Assert.True(outcome.IsWritten);
        }
        catch (Azure.RequestFailedException e)
        {
            failure = e;
        }
        Assert.True(faults.Injected, string.Join("\n", faults.Requests));
        Assert.Equal(6, faults.Requests.Take(8).Count(r => r.Contains("$batch", StringComparison.Ordinal)));
        Assert.Contains("$batch", faults.InjectedInto);
        faults.Off();
        var stored = await new MeetingStore(plain).ListParticipantsAsync("t1", "weekly", default);
        if (kind == StorageFault.BeforeSending)
        {
            // "Not saved": and nothing of it is seen.
            Assert.NotNull(failure);
            Assert.Equal(People("p", 250).Order(), stored.Order());
            Assert.Equal("周工作例会", (await _store.GetSeriesAsync("t1", "weekly", default))!.Name);
            // The retry (same form, same read) completes it once.
            Assert.True((await _store.SaveSeriesAsync(edit, People("q", 250), "form-4", default)).IsWritten);
        }
        Assert.Equal(People("q", 250).Order(), (await _store.ListParticipantsAsync("t1", "weekly", default)).Order());
        Assert.Equal("我的修改", (await _store.GetSeriesAsync("t1", "weekly", default))!.Name);
    }
}
