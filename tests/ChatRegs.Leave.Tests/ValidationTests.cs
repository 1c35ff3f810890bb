using System.Text.Json.Nodes;
using ChatRegs.Bot.Leave;
using ChatRegs.Leave.Tests.Support;
using static ChatRegs.Leave.Tests.Support.LeaveHost;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.Leave.Tests;

/// <summary>
/// Every check of the leave form, in zh-CN and English, over HTTP: the message stands next to
/// its field, what was typed stays in the form, and nothing is stored until the form is right.
/// </summary>
public sealed class ValidationTests
{
    /// <summary>A days form filled correctly (Wang: today is Thu 26 Nov 2026); cases change one field.</summary>
    private static JsonObject GoodDays() => new()
    {
        ["verb"] = "leave.submit",
        ["type"] = "personal",
        ["reason"] = "家里老人住院，需要去医院陪护两天。",
        // Wednesday and Thursday: no weekly meeting of Wang's or Amy's (days covering one also ask for the week's work).
        ["fromDate"] = "2026-12-02",
        ["fromHalf"] = "am",
        ["toDate"] = "2026-12-03",
        ["toHalf"] = "pm",
    };

    /// <summary>case, field changed, value, the field the message stands next to, zh-CN message, English message.</summary>
    public static readonly TheoryData<string, string, string, string, string, string> DaysCases = new()
    {
        { "reason empty", "reason", "", "reason", "请写明请假原因：书面请假务必说明原因。", "Write the reason: leave needs a written reason." },
        { "reason whitespace", "reason", " \u3000 \n ", "reason", "请写明请假原因：书面请假务必说明原因。", "Write the reason: leave needs a written reason." },
        { "reason 无", "reason", "无", "reason", "请假原因不能只写“无”，请说明具体原因。", "\"无\" is not a reason: say why you cannot attend." },
        { "reason none", "reason", " None. ", "reason", "请假原因不能只写“None.”，请说明具体原因。", "\"None.\" is not a reason: say why you cannot attend." },
        { "reason repeated", "reason", "无无无无无无无无无无无", "reason", "请假原因不能只写“无无无无无无无无无无无”，请说明具体原因。", "\"无无无无无无无无无无无\" is not a reason: say why you cannot attend." },
        { "reason punctuation", "reason", "。。。！！……——", "reason", "请用文字填写，不能只有标点或符号。", "Write it in words, not only punctuation or symbols." },
        { "reason too short", "reason", "有事。。。。。。。。", "reason", "请写具体一些：至少 10 个字（不算空格和标点），现在是 2 个。", "Please be more specific: at least 10 letters or digits (spaces and punctuation do not count); now 2." },
        // "reason too long" (1001 characters) is now stopped by the form's length cap before this validator runs: see SharedChat/InputLimit tests.
        { "type missing", "type", "", "type", "请选择请假类型。", "Choose the kind of leave." },
        { "type unknown", "type", "vacation", "type", "请选择请假类型。", "Choose the kind of leave." },
        { "from missing", "fromDate", "", "fromDate", "请选择开始日期。", "Choose the first day." },
        { "to missing", "toDate", "", "toDate", "请选择结束日期。", "Choose the last day." },
        { "from not a date", "fromDate", "2026-02-30", "fromDate", "日期不对，请用日期选择器选择（例如 2026-11-30）。", "That is not a date: use the date picker (e.g. 2026-11-30)." },
        { "half unknown", "fromHalf", "evening", "fromHalf", "请选择上午或下午。", "Choose morning or afternoon." },
        { "to before from", "toDate", "2026-11-29", "toDate", "结束日期不能早于开始日期。", "The last day cannot be before the first day." },
        { "before today", "fromDate", "2026-11-25", "fromDate", "请假须事先提出：开始日期不能早于今天（2026-11-26）。事后补假请联系审批人或办公室。", "Leave is asked beforehand: the first day cannot be before today (2026-11-26). For leave afterwards, talk to your approver or the office." },
        { "too far", "fromDate", "2028-01-01", "fromDate", "开始日期最晚到 2027-11-27。", "The first day can be 2027-11-27 at the latest." },
        { "too long", "toDate", "2027-03-03", "toDate", "一次最多请 90 天，请分几次申请。", "At most 90 days at once: ask in several parts." },
    };

    [Theory]
    [MemberData(nameof(DaysCases))]
    public async Task Days_form_checks_in_both_languages(string name, string field, string value, string errorField, string zh, string en)
    {
        await using var host = await LeaveHost.StartAsync();
        foreach (var (userId, locale, expected) in new[] { (People.Wang, "zh-CN", zh), (People.Amy, "en-US", en) })
        {
            await host.SayAsync(userId, locale == "zh-CN" ? "请假" : "leave", locale);
            await host.SubmitAsync(userId, new JsonObject { ["verb"] = "leave.target", ["target"] = "days" }, locale);
            var submitted = GoodDays();
            submitted[field] = value;
            var replies = await host.SubmitAsync(userId, submitted, locale);
            var card = Card(replies);
            Assert.True(expected == ErrorNextTo(card, errorField), $"{name} ({locale}): expected \"{expected}\" next to {errorField}, card says:\n{CardText(card)}");
            // Only that field is wrong, and everything typed is still there (text with nothing
            // visible in it is read, and shown again, as the empty answer it is).
            Assert.Single(Errors(card));
            static string Shown(string typed) => string.IsNullOrWhiteSpace(typed) ? "" : typed;
            Assert.Equal(Shown(value), InputValue(card, field));
            Assert.Equal(Shown(submitted["reason"]!.GetValue<string>()), InputValue(card, "reason"));
            Assert.Contains(locale == "zh-CN" ? "表单中有 1 处需要修改" : "1 field(s) in the form need correcting", ReadableText(replies));
        }
        Assert.Empty(await host.Store.ListAllAsync(Tenant));
    }

    [Fact]
    public async Task One_day_cannot_run_from_the_afternoon_to_the_morning_and_a_half_day_is_half()
    {
        await using var host = await LeaveHost.StartAsync();
        foreach (var (userId, locale, expected) in new[] { (People.Wang, "zh-CN", "同一天不能从下午开始、到上午结束。"), (People.Amy, "en-US", "One day cannot start in the afternoon and end after the morning.") })
        {
            await host.SayAsync(userId, locale.StartsWith("en") ? "leave" : "请假", locale); // a command is answered in the language it is typed in
            await host.SubmitAsync(userId, new JsonObject { ["verb"] = "leave.target", ["target"] = "days" }, locale);
            var form = GoodDays();
            form["fromDate"] = "2026-11-30";
            form["toDate"] = "2026-11-30";
            form["fromHalf"] = "pm";
            form["toHalf"] = "am";
            Assert.Equal(expected, ErrorNextTo(Card(await host.SubmitAsync(userId, form, locale)), "toHalf"));
        }

        // Monday afternoon alone: half a working day, 12:00–24:00.
        await host.SayAsync(People.Wang, "请假");
        await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.target", ["target"] = "days" });
        var half = GoodDays();
        half["fromDate"] = "2026-11-30";
        half["toDate"] = "2026-11-30";
        half["fromHalf"] = "pm";
        var done = ReadableText(await host.SubmitAsync(People.Wang, half));
        Assert.Contains("按天请假 11月30日 周一 下午（共 0.5 个工作日）", done);
        var request = Assert.Single(await host.Store.ListAllAsync(Tenant));
        Assert.Equal(Local(2026, 11, 30, 12, 0), request.FromUtc);
        Assert.Equal(Local(2026, 12, 1, 0, 0), request.ToUtc);
        Assert.Equal(0.5, request.WorkingDays);
    }

    [Fact]
    public async Task Several_wrong_fields_are_all_marked_at_once()
    {
        await using var host = await LeaveHost.StartAsync();
        await host.SayAsync(People.Wang, "请假");
        await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.target", ["target"] = "days" });
        var replies = await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.submit", ["type"] = "", ["reason"] = "无", ["fromDate"] = "", ["fromHalf"] = "am", ["toDate"] = "", ["toHalf"] = "pm" });
        var card = Card(replies);
        Assert.Equal("请选择请假类型。", ErrorNextTo(card, "type"));
        Assert.Equal("请假原因不能只写“无”，请说明具体原因。", ErrorNextTo(card, "reason"));
        Assert.Equal("请选择开始日期。", ErrorNextTo(card, "fromDate"));
        Assert.Equal("请选择结束日期。", ErrorNextTo(card, "toDate"));
        Assert.Contains("表单中有 4 处需要修改", ReadableText(replies));
    }

    [Fact]
    public async Task Overlapping_days_are_refused_next_to_the_first_day()
    {
        await using var host = await LeaveHost.StartAsync();
        await host.SayAsync(People.Wang, "请假");
        await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.target", ["target"] = "days" });
        await host.SubmitAsync(People.Wang, GoodDays());

        foreach (var (userId, locale) in new[] { (People.Wang, "zh-CN"), (People.Wang, "en-US") })
        {
            // The form left open by the Chinese round keeps its language (docs/language.md): end it first.
            await host.SayAsync(userId, locale.StartsWith("en") ? "cancel" : "取消", locale);
            await host.SayAsync(userId, locale.StartsWith("en") ? "leave" : "请假", locale); // a command is answered in the language it is typed in
            await host.SubmitAsync(userId, new JsonObject { ["verb"] = "leave.target", ["target"] = "days" }, locale);
            var again = GoodDays();
            again["fromDate"] = "2026-12-01";
            again["toDate"] = "2026-12-02";
            var card = Card(await host.SubmitAsync(userId, again, locale));
            Assert.Equal(locale == "zh-CN"
                ? "这段时间你已经有请假：12月2日 周三 至 12月3日 周四（共 2 个工作日）（待审批）。"
                : "You already have leave in these days: Wed 2 Dec – Thu 3 Dec (2 working day(s)) (Pending).", ErrorNextTo(card, "fromDate"));
        }
        Assert.Single(await host.Store.ListAllAsync(Tenant));
    }

    [Fact]
    public async Task Weekly_meeting_needs_the_summary_and_the_plan_in_both_languages()
    {
        await using var host = await LeaveHost.StartAsync();
        foreach (var (userId, locale) in new[] { (People.Wang, "zh-CN"), (People.Amy, "en-US") })
        {
            await host.SayAsync(userId, locale.StartsWith("en") ? "leave" : "请假", locale); // a command is answered in the language it is typed in
            await host.SubmitAsync(userId, new JsonObject { ["verb"] = "leave.target", ["target"] = WeeklyKey }, locale);
            var card = Card(await host.SubmitAsync(userId, new JsonObject
            {
                ["verb"] = "leave.submit", ["type"] = "personal", ["reason"] = "要去车管所办理驾驶证换证手续。", ["summary"] = "", ["plan"] = "无",
            }, locale));
            if (locale == "zh-CN")
            {
                Assert.Equal("请写本周工作总结：不能参加周会的，要提前把一周工作状况书面交主持人。", ErrorNextTo(card, "summary"));
                Assert.Equal("不能只写“无”，请如实填写。", ErrorNextTo(card, "plan"));
            }
            else
            {
                Assert.Equal("Write this week's summary: whoever misses the weekly meeting hands in the week's work in writing beforehand.", ErrorNextTo(card, "summary"));
                Assert.Equal("\"无\" says nothing: please write what it really is.", ErrorNextTo(card, "plan"));
            }
            card = Card(await host.SubmitAsync(userId, new JsonObject
            {
                ["verb"] = "leave.submit", ["type"] = "personal", ["reason"] = "要去车管所办理驾驶证换证手续。", ["summary"] = "整理资料", ["plan"] = "",
            }, locale));
            Assert.Equal(locale == "zh-CN" ? "请写具体一些：至少 10 个字（不算空格和标点），现在是 4 个。" : "Please be more specific: at least 10 letters or digits (spaces and punctuation do not count); now 4.", ErrorNextTo(card, "summary"));
            Assert.Equal(locale == "zh-CN" ? "请写下周工作计划。" : "Write next week's plan.", ErrorNextTo(card, "plan"));
        }
        Assert.Empty(await host.Store.ListAllAsync(Tenant));
    }

    [Fact]
    public async Task The_first_step_needs_one_of_the_offered_choices()
    {
        await using var host = await LeaveHost.StartAsync();
        foreach (var (userId, locale, expected) in new[] { (People.Wang, "zh-CN", "请选择要请假的会议，或选择按天请假。"), (People.Amy, "en-US", "Choose the meeting you will miss, or leave by days.") })
        {
            var first = Card(await host.SayAsync(userId, locale.StartsWith("en") ? "leave" : "请假", locale)); // a command is answered in the language it is typed in
            Assert.Contains(locale == "zh-CN"
                ? "请选择要请假的会议，或按天请假（出差、病假等一天或几天，这期间的所有会议都算请假）。"
                : "Choose the meeting you will miss, or ask for days (a trip, sick days…: every meeting in those days counts as leave).", CardText(first));
            // A meeting I do not belong to (forged), then nothing chosen.
            Assert.Equal(expected, ErrorNextTo(Card(await host.SubmitAsync(userId, new JsonObject { ["verb"] = "leave.target", ["target"] = "other@202611300830" }, locale)), "target"));
            Assert.Equal(expected, ErrorNextTo(Card(await host.SubmitAsync(userId, new JsonObject { ["verb"] = "leave.target" }, locale)), "target"));
        }
    }

    [Fact]
    public async Task Leave_already_asked_for_the_meeting_or_covered_by_days_is_refused_on_the_form()
    {
        await using var host = await LeaveHost.StartAsync();
        // Wang's form for the weekly meeting is open…
        await host.SayAsync(People.Wang, "请假");
        await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.target", ["target"] = WeeklyKey });
        // …when the same leave is stored meanwhile (another device).
        var service = host.Get<LeaveService>();
        var occurrence = (await service.OccurrenceAsync(Tenant, WeeklyKey))!.Value.Occurrence;
        await service.SubmitAsync(new LeaveRequest
        {
            TenantId = Tenant, Id = LeaveStore.NewId(new DateOnly(2026, 11, 30)), UserId = People.Wang, UserName = "王小明", Kind = LeaveKind.Meeting,
            Type = "personal", Reason = "另一台设备上提交的请假申请。", OccurrenceKey = WeeklyKey, SeriesId = "weekly", SeriesName = "周工作例会",
            FromUtc = occurrence.Start, ToUtc = occurrence.End, ApproverId = People.Host, ApproverName = "张伟", SubmittedAt = Thursday,
        });
        var card = Card(await host.SubmitAsync(People.Wang, new JsonObject
        {
            ["verb"] = "leave.submit", ["type"] = "personal", ["reason"] = "要去车管所办理驾驶证换证手续。",
            ["summary"] = "完成了三号楼验收资料的整理。", ["plan"] = "下周一提交验收申请，周三前完成整改。",
        }));
        Assert.Contains("你已经为这次会议请过假（11月30日 周一 08:30–09:30，待审批），发送“我的请假”可以查看。", CardText(card));
        Assert.Single(await host.Store.ListAllAsync(Tenant));

        // Amy has approved days covering Monday: leave for the meeting is not needed.
        await host.SayAsync(People.Amy, "leave", "en-US");
        await host.SubmitAsync(People.Amy, new JsonObject { ["verb"] = "leave.target", ["target"] = "days" }, "en-US");
        var monday = GoodDays();
        monday["fromDate"] = "2026-11-30";
        monday["toDate"] = "2026-12-01";
        await host.SubmitAsync(People.Amy, monday, "en-US");
        // The days cover the weekly meeting: the form asks for the week's work too.
        monday["summary"] = "Finished the inspection files for building three.";
        monday["plan"] = "Close every open item by Wednesday.";
        await host.SubmitAsync(People.Amy, monday, "en-US");
        var days = (await host.Store.ListByRequesterAsync(Tenant, People.Amy)).Single();
        await host.ExecuteAsync(People.Bob, "leave.approve", new JsonObject { ["id"] = days.Id }, "en-US");
        await host.SayAsync(People.Amy, "leave", "en-US");
        await host.SubmitAsync(People.Amy, new JsonObject { ["verb"] = "leave.target", ["target"] = WeeklyKey }, "en-US");
        var covered = Card(await host.SubmitAsync(People.Amy, new JsonObject
        {
            ["verb"] = "leave.submit", ["type"] = "personal", ["reason"] = "Visiting my parents in the hospital.",
            ["summary"] = "Finished the inspection files for building three.", ["plan"] = "Apply for acceptance next Monday.",
        }, "en-US"));
        Assert.Contains("This meeting is already in your leave (Mon 30 Nov – Tue 1 Dec (2 working day(s)), Approved): no need to ask again.", CardText(covered));
    }

    [Fact]
    public async Task The_minimum_reason_length_is_configurable()
    {
        await using var host = await LeaveHost.StartAsync(settings: new() { ["ChatRegs:Leave:MinReasonLength"] = "4" });
        await host.SayAsync(People.Wang, "请假");
        var form = Card(await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.target", ["target"] = "days" }));
        Assert.Contains("书面请假务必说明原因：至少 4 个字，不能只写“无”。", CardText(form));
        var shortOne = GoodDays();
        shortOne["reason"] = "去看牙医。";
        Assert.Contains("已提交请假申请", ReadableText(await host.SubmitAsync(People.Wang, shortOne)));
    }

}
