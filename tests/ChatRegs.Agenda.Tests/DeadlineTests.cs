using ChatRegs.Agenda.Tests.Support;
using ChatRegs.Bot.Meetings;
using Microsoft.Extensions.DependencyInjection;

using static ChatRegs.Agenda.Tests.Support.AgendaHost;

namespace ChatRegs.Agenda.Tests;

/// <summary>When topics are due: 17:00 the working day before, on the Chinese calendar (weekends, public holidays, 调休 make-up workdays).</summary>
public sealed class DeadlineTests
{
    private static DateTimeOffset Shanghai(int y, int mo, int d, int h, int mi) => new(y, mo, d, h, mi, 0, TimeSpan.FromHours(8));

    private static async Task<DateTimeOffset> DeadlineAsync(AgendaHost host, DayOfWeek day, string key, int hour = 9)
    {
        var id = key[..key.IndexOf('@')];
        var series = await host.WeeklyAsync([Alice], id: id, schedule: MeetingSchedule.WeeklyOn(new(hour, 0), new(hour + 1, 0), day));
        var occurrence = await host.Meetings.GetOccurrenceAsync(series, key, default);
        Assert.NotNull(occurrence);
        return host.Agenda.DeadlineOf(occurrence!);
    }

    [Fact]
    public async Task The_working_day_before_skips_weekends_holidays_and_counts_make_up_workdays()
    {
        await using var host = await StartAsync();
        // Monday → the Friday before.
        Assert.Equal(Shanghai(2026, 11, 27, 17, 0), await DeadlineAsync(host, DayOfWeek.Monday, "mon@202611300900"));
        // Tuesday → Monday.
        Assert.Equal(Shanghai(2026, 11, 30, 17, 0), await DeadlineAsync(host, DayOfWeek.Tuesday, "tue@202612010900"));
        // Thursday 8 Oct, after the National Day holiday (1–7 Oct) → Wednesday 30 Sep.
        Assert.Equal(Shanghai(2026, 9, 30, 17, 0), await DeadlineAsync(host, DayOfWeek.Thursday, "thu@202610080900"));
        // Monday 12 Oct → Saturday 10 Oct, a make-up workday (国庆节调休上班).
        Assert.Equal(Shanghai(2026, 10, 10, 17, 0), await DeadlineAsync(host, DayOfWeek.Monday, "mon2@202610120900"));
        // Monday 28 Sep → Thursday 24 Sep (the Mid-Autumn holiday is 25–27 Sep).
        Assert.Equal(Shanghai(2026, 9, 24, 17, 0), await DeadlineAsync(host, DayOfWeek.Monday, "mon3@202609280900"));
        // Monday 4 Jan 2027 → Thursday 31 Dec 2026 (1 Jan is a holiday; 2027 is provisional but has it).
        Assert.Equal(Shanghai(2026, 12, 31, 17, 0), await DeadlineAsync(host, DayOfWeek.Monday, "mon4@202701040900"));
    }

    [Fact]
    public async Task A_moved_meeting_is_due_the_working_day_before_its_new_date()
    {
        await using var host = await StartAsync();
        var series = await host.WeeklyAsync([Alice]);
        await host.Meetings.SaveChangeAsync(Tenant, new MeetingStore.OccurrenceChange(Next, false, Shanghai(2026, 12, 2, 14, 0), Shanghai(2026, 12, 2, 15, 0), null, null, Host, Start), default);
        host.Services.GetRequiredService<MeetingCache>().Invalidate(Tenant, series.Id);
        var moved = await host.Meetings.GetOccurrenceAsync(series, Next, default);
        Assert.True(moved!.Moved);
        Assert.Equal(Shanghai(2026, 12, 1, 17, 0), host.Agenda.DeadlineOf(moved));
    }

    [Fact]
    public async Task The_time_and_the_number_of_working_days_are_configurable()
    {
        await using var host = await StartAsync(new() { ["ChatRegs:Agenda:DeadlineTime"] = "12:00", ["ChatRegs:Agenda:DeadlineWorkingDaysBefore"] = "2" });
        Assert.Equal(Shanghai(2026, 11, 26, 12, 0), await DeadlineAsync(host, DayOfWeek.Monday, "mon@202611300900"));
    }

    [Fact]
    public async Task The_deadline_on_a_make_up_workday_is_enforced_to_the_second()
    {
        await using var host = await StartAsync(now: Shanghai(2026, 10, 8, 10, 0));
        await host.KnowAsync((Host, "张伟"), (Recorder, "陈静"), (Alice, "王小明"));
        await host.WeeklyAsync([Alice]);
        const string key = "weekly@202610120830";
        object Form(string title) => new { occurrence = key, formId = Guid.NewGuid().ToString("N"), title, presenter = Alice, material = "国庆后第一次例会的工作安排要点。", minutes = 5 };

        host.At(2026, 10, 10, 16, 59, 59);
        Assert.Contains("已提交", Seen.Text(Seen.CardOf(await host.ExecuteAsync(host.Adapter(Alice), "agenda.submitTopic", Form("调休日截止前")))));
        host.At(2026, 10, 10, 17, 0, 0);
        var late = Seen.Text(Seen.CardOf(await host.ExecuteAsync(host.Adapter(Alice), "agenda.submitTopic", Form("调休日截止后"))));
        Assert.Contains("已于 10月10日 周六 17:00 截止", late);
        Assert.Equal(["调休日截止前"], (await host.Store.ReadAsync(Tenant, key, default)).Topics.Select(t => t.Title));
    }
}
