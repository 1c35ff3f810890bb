using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Attendance;
using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.Meetings.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Meetings.Tests;

/// <summary>The roll (签到表) with corrections, and monthly attendance (出勤统计) with its CSV, as host, recorder, office and employee see them.</summary>
public sealed class RollAndAttendanceTests(MeetingsBot bot) : IAsyncLifetime, IClassFixture<MeetingsBot>
{
    private const string Key = "weekly@202611300830";
    private MeetingsHost _host = null!;

    /// <summary>The leave feature's part: 赵强 has approved leave for the 30 Nov meeting.</summary>
    private sealed class FixedLeave : ILeaveRoster
    {
        public Task<IReadOnlySet<string>> ApprovedLeaveAsync(string tenantId, string occurrenceKey, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlySet<string>>(occurrenceKey == Key ? new HashSet<string> { "29:d" } : new HashSet<string>());
    }

    public async Task InitializeAsync()
    {
        _host = await bot.StartAsync(configure: s => s.AddSingleton<ILeaveRoster, FixedLeave>());
        await _host.KnowAsync((MeetingsHost.Host, "张伟"), (MeetingsHost.Recorder, "陈静"), (MeetingsHost.Office, "办公室主任"), ("29:a", "王小明"), ("29:b", "李娜"), ("29:c", "刘洋"), ("29:d", "赵强"), ("29:e", "孙丽"));
        await _host.WeeklyAsync(["29:a", "29:b", "29:c", "29:d", "29:e"]);
        var service = _host.Services.GetRequiredService<CheckInService>();
        async Task CheckIn(string who, int h, int m)
        {
            _host.At(h, m);
            Assert.Equal(CheckInResult.CheckedIn, (await service.CheckInAsync(_host.TenantId, Key, who, null, CheckInSources.Card, default)).Result);
        }
        await CheckIn(MeetingsHost.Host, 8, 10);
        await CheckIn("29:a", 8, 24);
        await CheckIn(MeetingsHost.Recorder, 8, 28);
        await CheckIn("29:b", 8, 29);
        await CheckIn("29:c", 8, 41);
        // 29:d on leave, 29:e absent.
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string Text(IActivity reply) => TurnKit.Text(TurnKit.Card(reply));

    [Fact]
    public async Task The_roll_groups_everyone_by_status()
    {
        _host.At(9, 40);
        var roll = await _host.Services.GetRequiredService<AttendanceService>().GetRollAsync(_host.TenantId, Key, default);
        Assert.True(roll!.Final);
        Assert.Equal(7, roll.Entries.Count);
        Assert.Equal(AttendanceStatus.Early, roll.Entries.Single(e => e.UserId == "29:a").Status);
        // 08:29 is before the start but not five minutes early (提前五分钟签到): its own state, still present.
        Assert.Equal(AttendanceStatus.NotEarly, roll.Entries.Single(e => e.UserId == "29:b").Status);
        Assert.Equal(AttendanceStatus.Late, roll.Entries.Single(e => e.UserId == "29:c").Status);
        Assert.Equal(AttendanceStatus.OnLeave, roll.Entries.Single(e => e.UserId == "29:d").Status);
        Assert.Equal(AttendanceStatus.Absent, roll.Entries.Single(e => e.UserId == "29:e").Status);
        Assert.Equal(5, roll.Present.Count());
        Assert.Equal(["29:d", "29:e"], roll.Missing.Select(e => e.UserId).Order());
    }

    [Fact]
    public async Task The_host_asks_for_the_roll_and_reads_it()
    {
        _host.At(9, 40);
        var text = Text(Assert.Single(await _host.SayAsync(_host.Adapter(MeetingsHost.Host), "签到表")));
        Assert.Contains("签到表", text);
        Assert.Contains("签到已结束，以下为最终签到表。", text);
        Assert.Contains("应到 7 人，实到 5 人。", text);
        Assert.Contains("到会（2）", text);
        Assert.Contains("08:24 签到（提前）", text);
        // The recorder (08:28) and 李娜 (08:29) came after 08:25: shown apart, counted present.
        Assert.Contains("未提前 5 分钟签到（2）", text);
        Assert.Contains("08:29 签到（未提前签到）", text);
        Assert.Contains("迟到（1）", text);
        Assert.Contains("08:41:00 签到（迟到）", text);
        Assert.Contains("请假（1）", text);
        Assert.Contains("缺席（1）", text);
        Assert.Contains("孙丽", text);
        Assert.Contains("更正签到表", text);

        var en = Text(Assert.Single(await _host.Bot.SayAsync(_host.Adapter(MeetingsHost.Recorder, "en-US"), "attendance", "en-US")));
        Assert.Contains("Expected 7, present 5.", en);
        Assert.Contains("Not 5 min early (2)", en);
        Assert.Contains("checked in 08:29 (not early)", en);
        Assert.Contains("Absent (1)", en);
        Assert.Contains("Correct the roll", en);
    }

    [Fact]
    public async Task The_roll_card_carries_a_bar_chart_of_the_counts_with_a_table_for_hosts_without_charts()
    {
        _host.At(9, 40);
        var card = TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(MeetingsHost.Host), "签到表")));
        var chart = Charts.Single(card, "Chart.HorizontalBar");
        Assert.Equal("签到情况（人）", (string?)chart["title"]);
        Assert.Equal("zh", (string?)chart["lang"]);
        // The same counts as the summary line, status by status (none of a status: no bar).
        Charts.AssertShows(chart, ("提前", 2), ("未提前签到", 2), ("迟到", 1), ("请假", 1), ("缺席", 1));

        var en = TurnKit.Card(Assert.Single(await _host.Bot.SayAsync(_host.Adapter(MeetingsHost.Recorder, "en-US"), "attendance", "en-US")));
        var enChart = Charts.Single(en, "Chart.HorizontalBar");
        Assert.Equal("Roll by status (people)", (string?)enChart["title"]);
        Assert.Equal("en", (string?)enChart["lang"]);
        Charts.AssertShows(enChart, ("early", 2), ("not early", 2), ("late", 1), ("on leave", 1), ("absent", 1));
    }

    [Fact]
    public async Task During_the_meeting_the_roll_chart_counts_the_missing_as_not_yet_checked_in()
    {
        _host.At(8, 45);
        var card = TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(MeetingsHost.Host), "签到表")));
        Charts.AssertShows(Charts.Single(card, "Chart.HorizontalBar"), ("提前", 2), ("未提前签到", 2), ("迟到", 1), ("请假", 1), ("未签到", 1));
    }

    [Fact]
    public async Task Monthly_attendance_carries_a_bar_per_status_with_the_month_s_totals()
    {
        _host.At(12, 0);
        var card = TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(MeetingsHost.Office), "出勤统计 2026-11")));
        var chart = Charts.Single(card, "Chart.VerticalBar");
        Assert.Equal("按状态统计（次）", (string?)chart["title"]);
        // Everyone's times together: 张伟 and 王小明 early, 陈静 and 李娜 on time (not early counts as on time), 刘洋 late, 赵强 on leave, 孙丽 absent.
        Charts.AssertShows(chart, ("提前", 2), ("准时", 2), ("迟到", 1), ("请假", 1), ("缺席", 1), ("早退", 0), ("准假", 0));

        // An employee's chart is their own times only, in English too.
        var en = TurnKit.Card(Assert.Single(await _host.Bot.SayAsync(_host.Adapter("29:c", "en-US"), "monthly attendance 2026-11", "en-US")));
        var enChart = Charts.Single(en, "Chart.VerticalBar");
        Assert.Equal("By status (times)", (string?)enChart["title"]);
        Charts.AssertShows(enChart, ("early", 0), ("on time", 0), ("late", 1), ("on leave", 0), ("absent", 0), ("left early", 0), ("excused", 0));

        // A month with no meeting held: no chart (nothing to draw), the card says so.
        var empty = TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(MeetingsHost.Office), "出勤统计 2026-10")));
        Assert.False(Charts.Any(empty));
        Assert.Contains("这个月还没有已结束的会议。", TurnKit.Text(empty));
    }

    [Fact]
    public async Task A_series_without_an_arrive_by_rule_counts_a_check_in_before_the_start_on_time_and_statistics_count_not_early_as_on_time()
    {
        _host.At(9, 40);
        var attendance = _host.Services.GetRequiredService<AttendanceService>();
        // Statistics: 李娜's 08:29 check-in counts as on time (present), as before the rule.
        var month = await attendance.MonthlyAsync(_host.TenantId, 2026, 11, "29:b", default);
        Assert.Equal(1, Assert.Single(month).Count(AttendanceStatus.OnTime));

        // The office turns the rule off (0 minutes): the roll shows her on time.
        var series = (await _host.Store.GetSeriesAsync(_host.TenantId, "weekly", default))!;
        (await _host.Store.UpdateSeriesAsync(series with { ArriveByMinutes = 0 }, default)).OrThrow();
        _host.Cache.Invalidate(_host.TenantId, "weekly");
        var text = Text(Assert.Single(await _host.SayAsync(_host.Adapter(MeetingsHost.Host), "签到表")));
        Assert.Contains("到会（4）", text);
        Assert.Contains("08:29 签到（准时）", text);
        Assert.DoesNotContain("未提前", text);
    }

    [Fact]
    public async Task During_the_meeting_the_missing_are_not_yet_checked_in()
    {
        _host.At(8, 45);
        var text = Text(Assert.Single(await _host.SayAsync(_host.Adapter(MeetingsHost.Host), "签到表")));
        Assert.Contains("签到进行中（08:00–09:30）", text);
        Assert.Contains("未签到（1）", text);
        // The summary counts them the same way: until the roll is final, nobody is absent.
        var summary = text.Split('\n').Single(l => l.StartsWith("应到", StringComparison.Ordinal));
        Assert.Contains("未签到 1", summary);
        Assert.DoesNotContain("缺席", summary);

        var en = Text(Assert.Single(await _host.Bot.SayAsync(_host.Adapter(MeetingsHost.Host, "en-US"), "attendance", "en-US")));
        var enSummary = en.Split('\n').Single(l => l.StartsWith("Expected", StringComparison.Ordinal));
        Assert.Contains("Not checked in 1", enSummary);
        Assert.DoesNotContain("Absent", enSummary);
    }

    [Fact]
    public async Task A_manager_sees_it_without_the_correction_form_and_an_employee_not_at_all()
    {
        _host.At(9, 40);
        var b = (await _host.Services.GetRequiredService<ChatRegs.Bot.People.PeopleDirectory>().GetAsync(_host.TenantId, "29:b"))!;
        await _host.Services.GetRequiredService<ChatRegs.Bot.People.PeopleDirectory>().SaveAssignmentAsync(
            new ChatRegs.Bot.People.Person { TenantId = _host.TenantId, UserId = MeetingsHost.Office, Name = "办公室主任" },
            b, new HashSet<string> { "manager" }, null, false, b.ETag);
        var manager = Text(Assert.Single(await _host.SayAsync(_host.Adapter("29:b"), "签到表")));
        Assert.Contains("应到 7 人", manager);
        Assert.DoesNotContain("更正签到表", manager);

        var employee = Assert.Single(await _host.SayAsync(_host.Adapter("29:a"), "签到表"));
        Assert.Equal("最近 7 天没有你可以查看签到表的会议（主持人、记录员、办公室和经理可以查看）。", employee.AsMessageActivity().Text);
        // The card's button pressed with a forged payload by someone who may not see it.
        var forged = Assert.Single(await _host.SubmitAsync(_host.Adapter("29:a"), new { verb = "meetings.roll", occurrence = Key }));
        Assert.Equal("只有主持人、记录员、办公室或经理可以查看签到表。", forged.AsMessageActivity().Text);
    }

    [Fact]
    public async Task The_recorder_marks_someone_left_early_with_the_reason_kept()
    {
        _host.At(9, 40);
        var reply = Assert.Single(await _host.SubmitAsync(_host.Adapter(MeetingsHost.Recorder), new { verb = "meetings.correct", occurrence = Key, person = "29:c", status = "LeftEarly", reason = "客户来访，09:10 离开" }));
        var text = Text(reply);
        Assert.Contains("已更正：刘洋 → 早退（客户来访，09:10 离开）。", text);
        Assert.Contains("早退（1）", text);
        Assert.Contains("刘洋 → 早退，陈静 于 11月30日 周一 09:40 更正：客户来访，09:10 离开", text);

        var (_, corrections) = await _host.CheckIns.ReadAsync(_host.TenantId, Key, default);
        var fix = Assert.Single(corrections);
        Assert.Equal(MeetingsHost.Recorder, fix.ById);
        Assert.Equal("客户来访，09:10 离开", fix.Reason);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 9, 40, 0, TimeSpan.FromHours(8)), fix.At);

        // A second correction wins; both are kept.
        _host.At(9, 50);
        await _host.SubmitAsync(_host.Adapter(MeetingsHost.Host), new { verb = "meetings.correct", occurrence = Key, person = "29:e", status = "Excused", reason = "出差" });
        var roll = await _host.Services.GetRequiredService<AttendanceService>().GetRollAsync(_host.TenantId, Key, default);
        Assert.Equal(AttendanceStatus.Excused, roll!.Entries.Single(e => e.UserId == "29:e").Status);
        Assert.Equal(AttendanceStatus.LeftEarly, roll.Entries.Single(e => e.UserId == "29:c").Status);
        Assert.Equal(2, roll.Corrections.Count);
    }

    [Theory]
    [InlineData("29:c", "LeftEarly", "", "reason", "请写明更正的原因。")]
    [InlineData("29:stranger", "LeftEarly", "x", "person", "这个人不在签到表中，请从列表中选择。")]
    [InlineData("29:c", "Early", "x", "status", "请从列表中选择更正后的状态。")]
    [InlineData("29:c", "3", "x", "status", "请从列表中选择更正后的状态。")]
    [InlineData("29:c", "Absent; drop table", "x", "status", "请从列表中选择更正后的状态。")]
    [InlineData("29:c", "LeftEarly", " \t ", "reason", "请写明更正的原因。")]
    [InlineData("29:c", "LeftEarly", null, "reason", "太长了，最多 200 个字。")]
    public async Task Bad_corrections_come_back_with_the_message_next_to_the_field(string person, string status, string? reason, string field, string message)
    {
        _host.At(9, 40);
        // null: a reason one character over the cap (201).
        reason ??= new string('理', 201);
        var reply = Assert.Single(await _host.SubmitAsync(_host.Adapter(MeetingsHost.Host), new { verb = "meetings.correct", occurrence = Key, person, status, reason }));
        var card = TurnKit.Card(reply);
        Assert.Contains("有 1 处需要修改", TurnKit.Text(card));
        // The message sits right after its input.
        var body = card.Descendants().OfType<JObject>().ToList();
        var input = body.FindIndex(o => (string?)o["id"] == field);
        Assert.Equal(message, (string?)body.Skip(input + 1).First(o => (string?)o["type"] == "TextBlock")["text"]);
        var (_, corrections) = await _host.CheckIns.ReadAsync(_host.TenantId, Key, default);
        Assert.Empty(corrections);
    }

    [Fact]
    public async Task A_reason_of_exactly_200_characters_is_kept_whole_and_trimmed()
    {
        _host.At(9, 40);
        var reason = TextAtCap.Full(200, "出差");
        var reply = Assert.Single(await _host.SubmitAsync(_host.Adapter(MeetingsHost.Host), new { verb = "meetings.correct", occurrence = Key, person = "29:c", status = "Excused", reason = "  " + reason + "\n" }));
        Assert.Contains("已更正：刘洋 → 准假", Text(reply));
        var (_, corrections) = await _host.CheckIns.ReadAsync(_host.TenantId, Key, default);
        Assert.Equal(reason, Assert.Single(corrections).Reason);
    }

    [Fact]
    public async Task A_participant_cannot_correct_even_with_a_forged_card()
    {
        _host.At(9, 40);
        var reply = Assert.Single(await _host.SubmitAsync(_host.Adapter("29:c"), new { verb = "meetings.correct", occurrence = Key, person = "29:c", status = "OnTime", reason = "我其实准时到了" }));
        Assert.Equal("只有主持人、记录员或办公室可以更正签到表。", reply.AsMessageActivity().Text);
        var (_, corrections) = await _host.CheckIns.ReadAsync(_host.TenantId, Key, default);
        Assert.Empty(corrections);
    }

    [Fact]
    public async Task Monthly_attendance_for_the_office_with_a_csv_export()
    {
        // The next Monday's meeting: 29:a checks in late, the rest absent.
        var next = new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.FromHours(8));
        _host.At(8, 40, day: next);
        await _host.Services.GetRequiredService<CheckInService>().CheckInAsync(_host.TenantId, "weekly@202612070830", "29:a", null, CheckInSources.Card, default);
        _host.At(12, 0, day: next);

        var card = Text(Assert.Single(await _host.SayAsync(_host.Adapter(MeetingsHost.Office), "出勤统计 2026-11")));
        Assert.Contains("月度出勤统计", card);
        Assert.Contains("2026-11", card);
        Assert.Contains("所有人的会议出勤", card);
        Assert.Contains("王小明", card);
        Assert.Contains("提前 1 · 准时 0 · 迟到 0 · 请假 0 · 缺席 0 · 早退 0 · 准假 0", card);
        Assert.Contains("导出 CSV", card);

        var december = Text(Assert.Single(await _host.SayAsync(_host.Adapter(MeetingsHost.Office), "出勤统计 2026年12月")));
        Assert.Contains("提前 0 · 准时 0 · 迟到 1 · 请假 0 · 缺席 0", december);

        // In Teams the file comes as a file consent card in the office's 1:1 chat (Bot/Exports); its bytes wait server-side.
        var offer = Assert.Single(await _host.SubmitAsync(_host.Adapter(MeetingsHost.Office), new { verb = "meetings.exportCsv", month = "2026-11" })).AsMessageActivity();
        var consent = Assert.Single(offer.Attachments);
        Assert.Equal("application/vnd.microsoft.teams.card.file.consent", consent.ContentType);
        Assert.Equal("attendance-2026-11.csv", consent.Name);
        var exportId = (string)JObject.FromObject(consent.Content)["acceptContext"]!["exportId"]!;
        var export = await _host.Services.GetRequiredService<ChatRegs.Bot.Exports.PendingExportStore>().GetAsync(_host.TenantId, exportId, default);
        Assert.Equal(MeetingsHost.Office, export!.OwnerUserId);
        Assert.Equal([0xEF, 0xBB, 0xBF], export.Bytes[..3]); // a BOM, so Excel reads the Chinese
        var csv = new { Text = System.Text.Encoding.UTF8.GetString(export.Bytes[3..]) };
        var lines = csv.Text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains("月份,姓名,用户ID,提前,准时,迟到,请假,缺席,早退,准假,应到次数", lines);
        Assert.Contains("2026-11,王小明,29:a,1,0,0,0,0,0,0,1", lines);
        Assert.Contains("2026-11,赵强,29:d,0,0,0,1,0,0,0,1", lines);
        Assert.Contains("2026-11,孙丽,29:e,0,0,0,0,1,0,0,1", lines);
        Assert.Equal(1 + 7, lines.Count(l => l.StartsWith("2026-11,", StringComparison.Ordinal)) + 1);
    }

    [Fact]
    public async Task An_employee_sees_only_their_own_line_and_cannot_export()
    {
        _host.At(12, 0);
        var card = Text(Assert.Single(await _host.SayAsync(_host.Adapter("29:c"), "出勤统计")));
        Assert.Contains("你本人的会议出勤", card);
        Assert.Contains("刘洋", card);
        Assert.DoesNotContain("王小明", card);
        Assert.DoesNotContain("导出 CSV", card);
        var forged = Assert.Single(await _host.SubmitAsync(_host.Adapter("29:c"), new { verb = "meetings.exportCsv", month = "2026-11" }));
        Assert.Equal("只有办公室或经理可以查看所有人的出勤统计。", forged.AsMessageActivity().Text);

        var en = Text(Assert.Single(await _host.Bot.SayAsync(_host.Adapter("29:c", "en-US"), "monthly attendance 2026-11", "en-US")));
        Assert.Contains("Your own meeting attendance", en);
        Assert.Contains("late 1", en);
    }

    [Theory]
    [InlineData("出勤统计 十一月")]
    [InlineData("出勤统计 2026-13")]
    [InlineData("出勤统计 <b>")]
    public async Task A_month_it_cannot_read_is_explained(string text)
    {
        var reply = Assert.Single(await _host.SayAsync(_host.Adapter(MeetingsHost.Office), text));
        Assert.Contains("请写成 2026-11 或 2026年11月", reply.AsMessageActivity().Text);
    }

    [Fact]
    public void The_csv_escapes_commas_quotes_and_formulas()
    {
        var report = _host.Services.GetRequiredService<MonthlyReport>();
        var csv = report.Csv([new MonthlyAttendance("29:x", "张, \"三\"", new Dictionary<AttendanceStatus, int> { [AttendanceStatus.Late] = 2 }),
            new MonthlyAttendance("29:y", "=HYPERLINK(\"x\")", new Dictionary<AttendanceStatus, int>())], 2026, 11, "en");
        var lines = csv.Split("\r\n");
        Assert.Equal("Month,Name,User id,early,on time,late,on leave,absent,left early,excused,Expected", lines[0]);
        Assert.Equal("2026-11,\"张, \"\"三\"\"\",29:x,0,0,2,0,0,0,0,2", lines[1]);
        Assert.DoesNotContain(",=HYPERLINK", lines[2]);
    }

    [Fact]
    public async Task Outside_teams_the_csv_comes_inline_as_a_file()
    {
        _host.At(12, 0);
        var adapter = _host.Adapter(MeetingsHost.Office);
        adapter.Conversation.ChannelId = "webchat";
        var reply = Assert.Single(await _host.SubmitAsync(adapter, new { verb = "meetings.exportCsv", month = "2026-11" })).AsMessageActivity();
        var file = Assert.Single(reply.Attachments);
        Assert.Equal("text/csv", file.ContentType);
        Assert.Equal("attendance-2026-11.csv", file.Name);
        var bytes = Convert.FromBase64String(file.ContentUrl["data:text/csv;base64,".Length..]);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.StartsWith("月份,姓名,用户ID,提前,准时", System.Text.Encoding.UTF8.GetString(bytes[3..]));
    }
}
