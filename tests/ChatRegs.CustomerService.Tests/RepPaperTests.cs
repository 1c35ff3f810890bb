using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.CustomerService;
using ChatRegs.CustomerService.Tests.Support;
using ChatRegs.TestSupport;
using static ChatRegs.CustomerService.Tests.Support.CustomerServiceHost;

namespace ChatRegs.CustomerService.Tests;

/// <summary>工作日志, 月报, 工作总结: the reps write them, the supervisor sees and exports them, the bot reminds those missing.</summary>
public sealed class RepPaperTests
{
    private static readonly DateOnly Friday = new(2026, 3, 6);

    /// <summary>李娜 finishes a call with 张丽 at 10:00 and registers her complaint.</summary>
    private static async Task<CustomerServiceHost> DayWithWorkAsync(Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configure = null)
    {
        var h = await StartAsync(configure);
        await h.ImportAsync();
        await h.FinishCallAsync(await h.TaskAsync("13900001111", "洗车", new DateOnly(2026, 3, 4)), Satisfaction.Dissatisfied, "车里还有水渍");
        var form = LastCard(await h.SayAsync(RepA, "投诉"));
        await h.PressAsync(RepA, form, "登记投诉", new { complainant = "张丽", title = "ms", contact = "13900001111", receivedDate = "2026-03-05", receivedTime = "09:30", channel = "phone", category = "service", what = "洗完车还有水渍", request = "重新清洗" });
        return h;
    }

    [Fact]
    public async Task A_rep_writes_today_s_log_with_the_day_s_calls_and_complaint_steps_and_can_change_it_only_that_day()
    {
        await using var h = await DayWithWorkAsync();
        var card = LastCard(await h.SayAsync(RepA, "工作日志"));
        var text = TurnKit.Text(card);
        Assert.Contains("工作日志 · 2026-03-05", text);
        Assert.Contains("今天的回访和投诉处理（2）", text);
        Assert.Contains("10:00 回访 张丽女士 · 洗车 · 完成回访 · 不满意", text);
        Assert.Contains("投诉 TS-20260305-001 · 登记投诉", text);
        Assert.Equal(["feedback", "special", "other"], Inputs(card));

        Assert.Contains("已保存 2026-03-05 的工作日志。", Texts(await h.PressAsync(RepA, card, "保存", new { feedback = "张丽反映洗车后有水渍，已登记投诉。", special = "张丽情绪激动，已报组长" })));
        var saved = await h.Store.GetLogAsync(Tenant, Day, RepA, default);
        Assert.Equal("张丽反映洗车后有水渍，已登记投诉。", saved!.Fields["feedback"]);
        Assert.Equal(2, saved.Facts.Count);

        // The same day: shown again with what was saved, and changed.
        h.At(Day, 16, 0);
        var again = LastCard(await h.SayAsync(RepA, "工作日志"));
        Assert.Contains("你已在 2026-03-05 10:00 保存过今天的日志，可以修改。", TurnKit.Text(again));
        Assert.Equal("张丽情绪激动，已报组长", (string?)TurnKit.Input(again, "special")["value"]);
        await h.PressAsync(RepA, again, "保存", new { other = "整理回访记录" });
        var changed = await h.Store.GetLogAsync(Tenant, Day, RepA, default);
        Assert.Equal("整理回访记录", changed!.Fields["other"]);
        Assert.Equal(saved.FirstSavedUtc, changed.FirstSavedUtc);

        // The next day the old card saves nothing.
        h.At(Friday, 9, 0);
        Assert.Contains("只能修改当天的工作日志；2026-03-05 的日志已不能修改", Texts(await h.PressAsync(RepA, again, "保存", new { other = "改昨天的" })));
        Assert.Equal("整理回访记录", (await h.Store.GetLogAsync(Tenant, Day, RepA, default))!.Fields["other"]);
        Assert.Null(await h.Store.GetLogAsync(Tenant, Friday, RepA, default));

        // A box left empty or too long comes back with what was typed, nothing saved.
        var today = LastCard(await h.SayAsync(RepA, "工作日志"));
        Assert.Contains("今天没有记录到回访或投诉处理。", TurnKit.Text(today));
        var refused = TurnKit.Text(LastCard(await h.PressAsync(RepA, today, "保存", new { feedback = "", other = new string('字', 2001) })));
        Assert.Contains("请填写“客户反馈的不同状况”。", refused);
        Assert.Contains("“其他工作”最多 2000 个字，现在是 2001 个字。", refused);
        Assert.Null(await h.Store.GetLogAsync(Tenant, Friday, RepA, default));

        // Mike, in English.
        var mike = LastCard(await h.SayAsync(RepEn, "work log"));
        Assert.Contains("Work log · 2026-03-06", TurnKit.Text(mike));
        Assert.Contains("Work log of 2026-03-06 saved.", Texts(await h.PressAsync(RepEn, mike, "Save", new { feedback = "Nothing special" })));
    }

    [Fact]
    public async Task The_monthly_report_and_work_summary_are_due_by_the_third_and_late_ones_are_marked_and_closed()
    {
        await using var h = await DayWithWorkAsync();
        // 5 March: the default month is March, due 3 April.
        var report = LastCard(await h.SayAsync(RepA, "月报"));
        var text = TurnKit.Text(report);
        Assert.Contains("2026-03 · 月报", text);
        Assert.Contains("截止时间：2026-04-03 24:00", text);
        Assert.Contains("回访 1 次（完成 1 次；满意 0、一般 0、不满意 1）", text);
        Assert.Contains("登记投诉 1 件", text);
        Assert.Contains("负责客户 2 位，其中 1 位尚未首次联系", text);
        Assert.Equal(["analysis", "matters"], Inputs(report));
        Assert.Contains("已交 2026-03 的月报。", Texts(await h.PressAsync(RepA, report, "交", new { analysis = "本月回访 1 次，不满意 1 次。" })));
        Assert.Contains("你已在 2026-03-05 10:00 交过，截止前可以修改。", TurnKit.Text(LastCard(await h.SayAsync(RepA, "月报 本月"))));

        // February was due on 3 March: late, once, then closed.
        var february = LastCard(await h.SayAsync(RepA, "工作总结 上月"));
        Assert.Contains("已过截止时间（2026-03-03 24:00）", TurnKit.Text(february));
        Assert.Equal(["summary", "plan"], Inputs(february));
        Assert.Contains("已交 2026-02 的工作总结（逾期）。", Texts(await h.PressAsync(RepA, february, "交", new { summary = "二月总结" })));
        Assert.True((await h.Store.GetPaperAsync(Tenant, "2026-02", RepReportKinds.Summary, RepA, default))!.Late);
        var closed = LastCard(await h.SayAsync(RepA, "工作总结 2026-02"));
        Assert.Contains("截止时间已过，不能再修改", TurnKit.Text(closed));
        Assert.DoesNotContain("\"Action.Submit\"", closed.ToString());
        Assert.Contains("截止时间已过，不能再修改", Texts(await h.SubmitAsync(RepA, new { verb = "repPapers.savePaper", month = "2026-02", kind = "summary", summary = "改一下" })));
        Assert.Equal("二月总结", (await h.Store.GetPaperAsync(Tenant, "2026-02", RepReportKinds.Summary, RepA, default))!.Fields["summary"]);

        // A month to come, a month nobody can read, a forged kind.
        Assert.Contains("2026-05 还没有到", Texts(await h.SayAsync(RepA, "月报 2026-05")));
        Assert.Contains("看不懂“下下月”", Texts(await h.SayAsync(RepA, "月报 下下月")));
        Assert.Contains("看不懂", Texts(await h.SubmitAsync(RepA, new { verb = "repPapers.savePaper", month = "2026-03", kind = "log", feedback = "x" })));
        Assert.Contains("看不懂", Texts(await h.SubmitAsync(RepA, new { verb = "repPapers.savePaper", month = "2026-13", kind = "report", analysis = "x" })));

        // English.
        var mike = LastCard(await h.SayAsync(RepEn, "monthly report"));
        Assert.Contains("2026-03 · monthly report", TurnKit.Text(mike));
        Assert.Contains("monthly report of 2026-03 handed in.", Texts(await h.PressAsync(RepEn, mike, "Hand in", new { analysis = "Quiet month" })));
    }

    [Fact]
    public async Task The_supervisor_sees_who_handed_in_and_exports_the_month_as_markdown()
    {
        await using var h = await DayWithWorkAsync();
        await h.PressAsync(RepA, LastCard(await h.SayAsync(RepA, "工作日志")), "保存", new { feedback = "**重要** 客户 [链接](http://x.example)" });
        await h.PressAsync(RepA, LastCard(await h.SayAsync(RepA, "月报")), "交", new { analysis = "本月分析" });

        var card = LastCard(await h.SayAsync(Supervisor, "日志汇总 2026-03"));
        var text = TurnKit.Text(card);
        Assert.Contains("工作日志、月报和工作总结 · 2026-03", text);
        Assert.Contains("本月到今天共 4 个工作日", text);
        Assert.Contains("李娜\n工作日志 1/4 天 · 月报：已交 · 工作总结：未交", text);
        Assert.Contains("赵强\n工作日志 0/4 天 · 月报：未交 · 工作总结：未交", text);

        var replies = await h.PressAsync(Supervisor, card, "导出 Markdown");
        var consent = replies.SelectMany(r => r.AsMessageActivity()?.Attachments ?? []).Single(a => a.ContentType == "application/vnd.microsoft.teams.card.file.consent");
        Assert.Equal("客服工作日志-2026-03.md", consent.Name);
        var markdown = System.Text.Encoding.UTF8.GetString(await h.Get<RepPapers>().MarkdownAsync(Tenant, "2026-03", "zh-CN", default));
        Assert.Contains("# 客服工作日志、月报和工作总结 · 2026-03", markdown);
        Assert.Contains("## 李娜", markdown);
        Assert.Contains("### 月报 (2026-03-05 10:00)", markdown);
        Assert.Contains("本月分析", markdown);
        Assert.Contains("### 工作总结 （未交）", markdown);
        Assert.Contains("#### 2026-03-05", markdown);
        Assert.Contains(@"\*\*重要\*\* 客户 \[链接\](http\://x.example)", markdown);
        Assert.Contains("10:00 回访 张丽女士", markdown);

        // A manager sees it too, in English here; reps and others do not.
        Assert.Contains("Work logs 1/4 days · monthly report: handed in · work summary: missing", TurnKit.Text(LastCard(await h.SayAsync(ManagerEn, "work log overview 2026-03"))));
        Assert.Contains("只有客服主管和经理可以查看和导出", Texts(await h.SayAsync(RepA, "日志汇总")));
        Assert.Contains("只有客服主管和经理可以查看和导出", Texts(await h.SubmitAsync(RepA, new { verb = "repPapers.export", month = "2026-03" })));
        Assert.Contains("看不懂“2026/03”", Texts(await h.SayAsync(Supervisor, "日志汇总 2026/03")));
    }

    [Fact]
    public async Task Reps_missing_today_s_log_or_last_month_s_papers_are_reminded()
    {
        await using var h = await DayWithWorkAsync();
        await h.PressAsync(RepA, LastCard(await h.SayAsync(RepA, "工作日志")), "保存", new { feedback = "正常" });
        await h.PressAsync(RepA, LastCard(await h.SayAsync(RepA, "月报")), "交", new { analysis = "三月" });
        var logJob = Assert.Single(await h.Feature.JobsAsync(CustomerServiceSchedule.LogReminderJobId));
        Assert.Equal(new DateTimeOffset(2026, 3, 5, 17, 30, 0, FeatureHost.Shanghai), logJob.DueUtc.ToOffset(FeatureHost.Shanghai));

        h.At(Day, 17, 30);
        await h.RunJobAsync(logJob.Id);
        Assert.Contains("今天（2026-03-05）的工作日志还没有写", h.ReadableTo(RepB));
        Assert.Contains("Today's (2026-03-05) work log is not written yet", h.ReadableTo(RepEn));
        Assert.DoesNotContain("工作日志还没有写", h.ReadableTo(RepA));
        Assert.DoesNotContain("工作日志还没有写", h.ReadableTo(RepOff));
        Assert.DoesNotContain("工作日志还没有写", h.ReadableTo(Supervisor));

        // Saturday is no working day.
        h.At(new DateOnly(2026, 3, 7), 17, 30);
        await h.RunJobAsync(logJob.Id);
        Assert.DoesNotContain("2026-03-07", h.ReadableTo(RepB));

        // 1 April: March's papers. 李娜 handed in her 月报, not her 工作总结.
        h.At(new DateOnly(2026, 4, 1), 9, 0);
        await h.RunJobAsync(CustomerServiceSchedule.DailyJobId);
        var lina = h.ReadableTo(RepA);
        Assert.Contains("2026-03 的工作总结还没有交，截止时间是 2026-04-03 24:00。请发送“工作总结”。", lina);
        Assert.DoesNotContain("2026-03 的月报还没有交", lina);
        Assert.Contains("2026-03 的月报还没有交", h.ReadableTo(RepB));
        Assert.Contains("Your monthly report of 2026-03 has not been handed in; it is due by 2026-04-03 24:00. Send \"monthly report\".", h.ReadableTo(RepEn));
    }

    [Fact]
    public async Task Only_reps_write_papers_in_their_own_chat_and_storage_failing_says_not_saved()
    {
        StorageFaults? faults = null;
        await using var h = await DayWithWorkAsync(s => faults = StorageFaults.Install(s));
        Assert.Contains("工作日志、月报和工作总结由客服专员填写", Texts(await h.SayAsync(Employee, "工作日志")));
        Assert.Contains("工作日志、月报和工作总结由客服专员填写", Texts(await h.SayAsync(Supervisor, "月报")));
        Assert.Contains("工作日志、月报和工作总结由客服专员填写", Texts(await h.SubmitAsync(Employee, new { verb = "repPapers.saveLog", date = "2026-03-05", feedback = "x" })));
        var group = h.Adapter(RepA, conversationId: "19:group", conversationType: "groupChat");
        Assert.Contains("只在和我的私聊中填写", Texts(await h.SayAsync(group, "工作日志")));
        Assert.Contains("只在和我的私聊中填写", Texts(await h.SubmitAsync(group, new { verb = "repPapers.saveLog", date = "2026-03-05", feedback = "x" })));
        var outsider = h.Bot.CreateAdapter(FeatureHost.ChatOf("29:x"), "29:x", "tenant-other", "zh-CN", "personal");
        Assert.Contains("工作日志、月报和工作总结由客服专员填写", Texts(await h.Bot.SubmitAsync(outsider, new { verb = "repPapers.saveLog", date = "2026-03-05", feedback = "x" }, "zh-CN")));
        Assert.Null(await h.Store.GetLogAsync(Tenant, Day, Employee, default));

        // The log's write fails: "not saved", and nothing is.
        var card = LastCard(await h.SayAsync(RepA, "工作日志"));
        faults!.Count();
        await h.PressAsync(RepA, card, "保存", new { feedback = "第一次" });
        var requests = faults.Requests;
        faults.Off();
        var write = requests.ToList().FindLastIndex(r => r.StartsWith("POST", StringComparison.Ordinal) || r.StartsWith("PUT", StringComparison.Ordinal) || r.StartsWith("PATCH", StringComparison.Ordinal) || r.StartsWith("MERGE", StringComparison.Ordinal));
        Assert.True(write >= 0, string.Join("\n", requests));
        faults.FailAt(write + 1, StorageFault.BeforeSending);
        var replies = await h.PressAsync(RepA, card, "保存", new { feedback = "第二次" });
        faults.Off();
        Assert.True(faults.Injected);
        Assert.Contains("没有保存成功，请稍后再试", Readable(replies));
        Assert.Equal("第一次", (await h.Store.GetLogAsync(Tenant, Day, RepA, default))!.Fields["feedback"]);
    }
}
