using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.Bot.Meetings.Jobs;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Meetings.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Meetings.Tests;

/// <summary>
/// One occurrence moved, cancelled or handed to a substitute (临时调整, 提前指定主持人) — people
/// told in their own chat, later occurrences untouched, jobs following — and the check-in and
/// roll jobs posting their cards.
/// </summary>
public sealed class OccurrenceAndJobTests(MeetingsBot bot) : IAsyncLifetime, IClassFixture<MeetingsBot>
{
    private const string Key = "weekly@202611300830";
    private const string NextKey = "weekly@202612070830";
    private MeetingsHost _host = null!;
    private MeetingSeries _series = null!;

    public async Task InitializeAsync()
    {
        _host = await bot.StartAsync();
        await _host.KnowAsync((MeetingsHost.Host, "张伟"), (MeetingsHost.Recorder, "陈静"), (MeetingsHost.Office, "办公室主任"), ("29:a", "王小明"), ("29:b-en", "Lucy"), ("29:sub", "李娜"));
        await _host.KnowMeetingChatAsync();
        _series = await _host.WeeklyAsync(["29:a", "29:b-en"]);
        await _host.Services.GetRequiredService<MeetingJobs>().ScheduleUpcomingAsync(_host.TenantId, "weekly", default);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<MeetingOccurrence> OccurrenceAsync(string key)
    {
        _host.Cache.Invalidate(_host.TenantId, "weekly");
        var (_, o) = await _host.Cache.GetOccurrenceAsync(_host.TenantId, key, default);
        return o!;
    }

    private async Task<Job?> JobAsync(string id) => await _host.Scheduler.GetAsync(_host.TenantId, id);

    /// <summary>The runner picks the notice up at its next poll.</summary>
    private async Task RunNoticesAsync() => Assert.True((await _host.PollJobsAsync()).Ran >= 1);

    [Fact]
    public async Task Creating_the_series_schedules_the_next_two_check_ins()
    {
        var first = await OccurrenceAsync(Key);
        var open = await JobAsync(MeetingJobs.OpenJobId(first));
        Assert.Equal(MeetingJobs.OpenKind, open!.Kind);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.FromHours(8)), open.DueUtc);
        Assert.NotNull(await JobAsync(MeetingJobs.OpenJobId(await OccurrenceAsync(NextKey))));
    }

    [Fact]
    public async Task The_open_job_posts_the_check_in_card_to_the_meeting_chat_and_schedules_the_roll()
    {
        _host.At(8, 0);
        var first = await OccurrenceAsync(Key);
        await _host.RunJobAsync(MeetingJobs.OpenJobId(first));
        var posted = Assert.Single(_host.Connector.PostedTo(MeetingsHost.MeetingChat));
        var card = posted.Card!;
        var text = TurnKit.Text(card);
        Assert.Contains("会议签到", text);
        Assert.Contains("周工作例会", text);
        Assert.Contains("11月30日 周一 08:30–09:30", text);
        Assert.Contains("三楼会议室", text);
        Assert.Contains("张伟", text);
        Assert.Contains("08:00–09:30", text);
        var button = card["actions"]![0]!;
        Assert.Equal("Action.Execute", (string?)button["type"]);
        Assert.Equal("meetings.checkin", (string?)button["verb"]);
        Assert.Equal(Key, (string?)button["data"]!["occurrence"]);

        var roll = await JobAsync(MeetingJobs.RollJobId(first));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 30, 0, TimeSpan.FromHours(8)), roll!.DueUtc);

        // At the end, the roll goes to the host and the recorder in their own chats.
        _host.At(8, 20);
        await _host.Services.GetRequiredService<CheckInService>().CheckInAsync(_host.TenantId, Key, "29:a", null, CheckInSources.Card, default);
        _host.At(9, 30);
        await _host.RunJobAsync(MeetingJobs.RollJobId(first));
        foreach (var person in new[] { MeetingsHost.Host, MeetingsHost.Recorder })
        {
            var rollCard = TurnKit.Text(Assert.Single(_host.Connector.PostedTo("a:1to1-" + person)).Card!);
            Assert.Contains("签到表", rollCard);
            Assert.Contains("08:20 签到（提前）", rollCard);
        }
        // And the occurrence after next is now scheduled too.
        Assert.NotNull(await JobAsync(MeetingJobs.OpenJobId(await OccurrenceAsync("weekly@202612140830"))));
    }

    [Fact]
    public async Task The_host_moves_one_occurrence_participants_are_told_and_the_next_is_untouched()
    {
        var adapter = _host.Adapter(MeetingsHost.Host);
        var card = TurnKit.Text(TurnKit.Card(Assert.Single(await _host.SubmitAsync(adapter, new { verb = "meetings.occurrence", occurrence = Key }))));
        Assert.Contains("调整本次会议", card);
        Assert.Contains("只调整这一次", card);

        var reply = Assert.Single(await _host.SubmitAsync(adapter, new { verb = "meetings.move", occurrence = Key, date = "2026-12-01", start = "14:00", end = "15:00", substitute = "-", note = "领导出差" }));
        var text = TurnKit.Text(TurnKit.Card(reply));
        Assert.Contains("已将周工作例会从 11月30日 周一 08:30–09:30 调整到 12月1日 周二 14:00–15:00，并通知了 4 人。以后的会议不变。", text);

        var moved = await OccurrenceAsync(Key);
        Assert.True(moved.Moved);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 14, 0, 0, TimeSpan.FromHours(8)), moved.Start);
        var next = await OccurrenceAsync(NextKey);
        Assert.False(next.Moved);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 8, 30, 0, TimeSpan.FromHours(8)), next.Start);

        // The check-in job moved with it.
        var old = await JobAsync($"meetings.open|{Key}|202611300030");
        Assert.Equal(JobStatus.Cancelled, old!.Status);
        var job = await JobAsync(MeetingJobs.OpenJobId(moved));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 13, 30, 0, TimeSpan.FromHours(8)), job!.DueUtc);

        // Everyone expected is told in their own chat, in their language.
        await RunNoticesAsync();
        var zh = Assert.Single(_host.Connector.PostedTo("a:1to1-29:a")).Text;
        Assert.Equal("【会议调整】周工作例会 原定 11月30日 周一 08:30–09:30，改为 12月1日 周二 14:00–15:00，地点：三楼会议室。（张伟 调整）说明：领导出差", zh);
        var en = Assert.Single(_host.Connector.PostedTo("a:1to1-29:b-en")).Text;
        Assert.StartsWith("[Meeting moved] 周工作例会, planned for Mon 30 Nov 08:30–09:30, is now Tue 1 Dec 14:00–15:00", en);
        Assert.Single(_host.Connector.PostedTo("a:1to1-" + MeetingsHost.Recorder));

        // Checking in follows the new time.
        _host.At(8, 20);
        var tooEarly = Assert.Single(await _host.SayAsync(_host.Adapter("29:a"), "签到"));
        Assert.Contains("12月1日 周二 14:00–15:00", tooEarly.AsMessageActivity().Text);
    }

    [Theory]
    [InlineData("2026-12-01", "15:00", "14:00", "end", "结束时间必须晚于开始时间。")]
    [InlineData("2026-11-29", "14:00", "15:00", "date", "这个时间已经过去了，请选择以后的时间。")]
    [InlineData("2026-11-30", "08:30", "09:30", "date", "和现在的安排一样，没有改动。")]
    [InlineData("30/11/2026", "08:30", "09:30", "date", "请选择日期，例如 2026-12-03。")]
    [InlineData("2026-12-01", "2pm", "15:00", "start", "请填写时间，例如 08:30。")]
    public async Task A_bad_move_comes_back_with_the_message_next_to_the_field_and_changes_nothing(string date, string start, string end, string field, string message)
    {
        var reply = Assert.Single(await _host.SubmitAsync(_host.Adapter(MeetingsHost.Host), new { verb = "meetings.move", occurrence = Key, date, start, end, substitute = "-", note = "" }));
        var card = TurnKit.Card(reply);
        var items = card.Descendants().OfType<JObject>().ToList();
        var at = items.FindIndex(o => (string?)o["id"] == field);
        Assert.Equal(message, (string?)items.Skip(at + 1).First(o => (string?)o["type"] == "TextBlock")["text"]);
        Assert.Equal(date, (string?)TurnKit.Input(card, "date")["value"]); // the input is kept
        Assert.False((await OccurrenceAsync(Key)).Moved);
    }

    [Fact]
    public async Task A_meeting_already_held_is_neither_moved_nor_cancelled()
    {
        _host.At(10, 0);
        var moved = TurnKit.Text(TurnKit.Card(Assert.Single(await _host.SubmitAsync(_host.Adapter(MeetingsHost.Host), new { verb = "meetings.move", occurrence = Key, date = "2026-12-01", start = "14:00", end = "15:00", substitute = "-", note = "" }))));
        Assert.Contains("这次会议已经开过了，不能再调整时间。", moved);
        var cancelled = Assert.Single(await _host.Bot.SubmitAsync(_host.Adapter(MeetingsHost.Host, "en-US"), new { verb = "meetings.cancelOccurrence", occurrence = Key, note = "" }, "en-US"));
        Assert.Equal("This meeting has already taken place and cannot be cancelled.", cancelled.AsMessageActivity().Text);
        var o = await OccurrenceAsync(Key);
        Assert.False(o.Moved || o.Cancelled);
    }

    [Fact]
    public async Task A_participant_cannot_move_cancel_or_substitute_even_with_a_forged_card()
    {
        var adapter = _host.Adapter("29:a");
        foreach (var data in new object[]
        {
            new { verb = "meetings.occurrence", occurrence = Key },
            new { verb = "meetings.move", occurrence = Key, date = "2026-12-01", start = "14:00", end = "15:00", note = "" },
            new { verb = "meetings.cancelOccurrence", occurrence = Key, note = "" },
            new { verb = "meetings.substitute", occurrence = Key, substitute = "29:a", note = "" },
            new { verb = "meetings.editSeries", series = "weekly" },
        })
        {
            var reply = Assert.Single(await _host.SubmitAsync(adapter, data));
            Assert.Equal("只有办公室、经理或这个例会的主持人、记录员可以修改它。", reply.AsMessageActivity().Text);
        }
        var o = await OccurrenceAsync(Key);
        Assert.False(o.Moved || o.Cancelled || o.SubstituteHostId != null);
    }

    [Fact]
    public async Task The_office_cancels_one_occurrence_and_check_in_is_refused()
    {
        var reply = Assert.Single(await _host.SubmitAsync(_host.Adapter(MeetingsHost.Office), new { verb = "meetings.cancelOccurrence", occurrence = Key, note = "放假" }));
        Assert.Contains("已取消周工作例会（11月30日 周一 08:30–09:30），并通知了 4 人。", TurnKit.Text(TurnKit.Card(reply)));
        Assert.True((await OccurrenceAsync(Key)).Cancelled);
        Assert.False((await OccurrenceAsync(NextKey)).Cancelled);
        Assert.Equal(JobStatus.Cancelled, (await JobAsync(MeetingJobs.OpenJobId(await OccurrenceAsync(Key))))!.Status);

        await RunNoticesAsync();
        Assert.Equal("【会议取消】周工作例会 11月30日 周一 08:30–09:30 本次取消。（办公室主任 取消）说明：放假", Assert.Single(_host.Connector.PostedTo("a:1to1-29:a")).Text);

        var again = Assert.Single(await _host.SubmitAsync(_host.Adapter(MeetingsHost.Office), new { verb = "meetings.cancelOccurrence", occurrence = Key, note = "" }));
        Assert.Equal("这次会议已经取消了。", again.AsMessageActivity().Text);

        // A stale job of the cancelled occurrence posts nothing.
        _host.At(8, 0);
        await _host.RunJobAsync($"meetings.open|{Key}|202611300030");
        Assert.Empty(_host.Connector.PostedTo(MeetingsHost.MeetingChat));
    }

    [Fact]
    public async Task The_host_names_a_substitute_both_are_told_and_the_substitute_may_take_the_roll()
    {
        var reply = Assert.Single(await _host.SubmitAsync(_host.Adapter(MeetingsHost.Host), new { verb = "meetings.substitute", occurrence = Key, substitute = "29:sub", note = "" }));
        Assert.Contains("现在由李娜主持", TurnKit.Text(TurnKit.Card(reply)));
        Assert.Equal("29:sub", (await OccurrenceAsync(Key)).HostId);
        Assert.Equal(MeetingsHost.Host, (await OccurrenceAsync(NextKey)).HostId);

        await RunNoticesAsync();
        Assert.Contains("由 李娜 主持（原主持人 张伟）", Assert.Single(_host.Connector.PostedTo("a:1to1-29:sub")).Text);
        Assert.Contains("由 李娜 主持", Assert.Single(_host.Connector.PostedTo("a:1to1-" + MeetingsHost.Host)).Text);
        Assert.Empty(_host.Connector.PostedTo("a:1to1-29:a"));

        // The substitute is a host for that occurrence: checks in, sees and corrects its roll.
        _host.At(8, 20);
        Assert.StartsWith("已签到 08:20（提前）", Assert.Single(await _host.SayAsync(_host.Adapter("29:sub"), "签到")).AsMessageActivity().Text);
        var roll = TurnKit.Text(TurnKit.Card(Assert.Single(await _host.SubmitAsync(_host.Adapter("29:sub"), new { verb = "meetings.roll", occurrence = Key }))));
        Assert.Contains("更正签到表", roll);
        Assert.Contains("李娜", roll);

        var unknown = TurnKit.Text(TurnKit.Card(Assert.Single(await _host.SubmitAsync(_host.Adapter(MeetingsHost.Host), new { verb = "meetings.substitute", occurrence = NextKey, substitute = "29:nobody", note = "" }))));
        Assert.Contains("这个人不在名单中，请从列表中选择。", unknown);
    }

    [Fact]
    public async Task The_meeting_list_shows_time_place_host_and_my_status()
    {
        _host.At(7, 30);
        var before = TurnKit.Text(TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter("29:a"), "会议"))));
        Assert.Contains("我的会议", before);
        Assert.Contains("周工作例会", before);
        Assert.Contains("11月30日 周一 08:30–09:30", before);
        Assert.Contains("三楼会议室", before);
        Assert.Contains("张伟", before);
        Assert.Contains("签到时间 08:00–09:30", before);
        Assert.Contains("12月7日 周一 08:30–09:30", before);
        Assert.DoesNotContain("调整本次", before);

        _host.At(8, 26);
        await _host.Services.GetRequiredService<CheckInService>().CheckInAsync(_host.TenantId, Key, "29:a", null, CheckInSources.Card, default);
        var after = TurnKit.Text(TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter("29:a"), "会议"))));
        Assert.Contains("已签到 08:26（准时）", after);

        var host = TurnKit.Text(TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(MeetingsHost.Host), "会议"))));
        Assert.Contains("调整本次", host);
        Assert.Contains("修改例会", host);
        Assert.Contains("正在签到（08:00–09:30）", host);

        var en = TurnKit.Text(TurnKit.Card(Assert.Single(await _host.Bot.SayAsync(_host.Adapter("29:b-en", "en-US"), "my meetings", "en-US"))));
        Assert.Contains("Mon 30 Nov 08:30–09:30", en);
        Assert.Contains("Check-in open (08:00–09:30)", en);

        var nobody = TurnKit.Text(TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter("29:nobody"), "会议"))));
        Assert.Contains("接下来没有你的会议。", nobody);
    }
}
