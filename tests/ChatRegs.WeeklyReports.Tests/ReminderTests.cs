using System.Text.Json.Nodes;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.WeeklyReports;
using ChatRegs.WeeklyReports.Tests.Support;
using static ChatRegs.WeeklyReports.Tests.Support.WeeklyHost;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.WeeklyReports.Tests;

/// <summary>
/// The Friday reminders and the digest at the deadline, through the real scheduler and proactive
/// sender: reminders reach exactly the people still missing (never the exempt or those who
/// handed in, never twice), and a holiday moves the deadline to the working day before.
/// </summary>
public sealed class ReminderTests
{
    private static readonly Localizer Strings = Localizer.Default;

    private static JsonObject Form(string summary, string plan, string title = "周会材料提前发") => new()
    {
        ["verb"] = WeeklyReportDialog.SubmitVerb,
        ["summary"] = summary,
        ["plan"] = plan,
        ["issues"] = "",
        ["coordination"] = "",
        ["suggestionTitle"] = title,
        ["suggestionDetails"] = "周会材料提前一天发到群里，会上只讨论问题。",
    };

    private static async Task HandInAsync(WeeklyHost host, string userId, string locale = "zh-CN")
    {
        await host.SayAsync(userId, Strings.Get(locale, "commands.report.name"), locale);
        var reply = ReadableText(await host.SubmitAsync(userId, Form("本周完成了三项重点工作。", "下周推进年终考核方案。"), locale));
        Assert.DoesNotContain(Strings.Get(locale, "dialogs.cardForm.invalid", 1)[..4], reply);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Reminders_go_to_exactly_the_missing_and_the_digest_lists_them(string locale)
    {
        await using var host = await StartAsync(Local(2026, 11, 27, 9));
        await host.AddDepartmentAsync("综合部", "29:zhang");
        await host.AddPersonAsync("29:zhang", "张伟", "综合部", locale);
        await host.AddPersonAsync("29:wang", "王小明", "综合部", "zh-CN");
        await host.AddPersonAsync("29:li", "李娜", "综合部", "zh-CN");
        await host.AddPersonAsync("29:chen", "陈晨", "综合部", "zh-CN");
        await host.AddPersonAsync("29:sam", "Sam Lee", "综合部", "en");
        await host.AddPersonAsync("29:office", "陈静", null, locale, "office");
        // 陈晨 is on approved leave over the deadline: exempt.
        host.Leave.Add("29:chen", Local(2026, 11, 27, 0), Local(2026, 11, 27, 23, 59));

        // The first turn in the tenant puts its weekly planning on the scheduler; it plans this week.
        await HandInAsync(host, "29:wang");
        await HandInAsync(host, "29:zhang", locale);
        Assert.True(await host.RunDueJobsAsync() >= 1);
        var scheduler = host.Get<JobScheduler>();
        var first = await scheduler.GetAsync(Tenant, WeeklyReportPlanner.ReminderJobId("综合部", "2026-W48", 1));
        Assert.Equal(Local(2026, 11, 27, 14), first!.DueUtc);
        Assert.Equal(Local(2026, 11, 27, 17), (await scheduler.GetAsync(Tenant, WeeklyReportPlanner.DigestJobId("综合部", "2026-W48")))!.DueUtc);
        Assert.Empty(host.Connector.Calls);

        // 14:00: the first reminder, to the two still missing, each in their own language.
        host.MoveTo(Local(2026, 11, 27, 14));
        await host.RunDueJobsAsync();
        Assert.Equal([Chat("29:li"), Chat("29:sam")], host.Connector.Calls.Select(m => m.ConversationId).Order().ToArray());
        var li = Assert.Single(host.Connector.To(Chat("29:li"))).ReadableText;
        Assert.Contains("周报提醒", li);
        Assert.Contains("你 2026-W48（11月23日–11月29日） 的周报还没有交，截止时间是 11月27日（周五）17:00。", li);
        Assert.Contains("周报需附至少一条合理化建议", li);
        var sam = Assert.Single(host.Connector.To(Chat("29:sam"))).ReadableText;
        Assert.Contains("Your report for 2026-W48 (23 Nov – 29 Nov) has not been handed in yet. It is due Fri 27 Nov 17:00.", sam);
        // The reminder's button opens the form: it runs the report command in the person's language.
        Assert.Contains("\"command\":\"report\"", host.Connector.To(Chat("29:sam"))[0].Body!.ToJsonString());

        // Run again (a retry, another instance): nobody gets it twice.
        var again = await host.Get<WeeklyReportNotifier>().RemindAsync(first, "综合部", "2026-W48", 1, default);
        Assert.Equal(0, again.Sent);
        Assert.Equal(2, host.Connector.Calls.Count);

        // 李娜 hands in; at 17:00 only Sam Lee is reminded again, and the digest goes to the department head and the office.
        host.MoveTo(Local(2026, 11, 27, 15));
        await HandInAsync(host, "29:li");
        host.Connector.Clear();
        host.MoveTo(Local(2026, 11, 27, 17));
        await host.RunDueJobsAsync();
        var samDue = Assert.Single(host.Connector.To(Chat("29:sam"))).ReadableText;
        Assert.Contains("Weekly report due now", samDue);
        Assert.Contains("Handed in now, it is marked late.", samDue);
        Assert.Empty(host.Connector.To(Chat("29:li")));
        Assert.Empty(host.Connector.To(Chat("29:chen")));
        Assert.Empty(host.Connector.To(Chat("29:wang")));
        foreach (var recipient in new[] { "29:zhang", "29:office" })
        {
            var digest = Assert.Single(host.Connector.To(Chat(recipient))).ReadableText;
            Assert.Contains(Strings.Get(locale, "weeklyReports.digest.counts", 4, 3, 0, 1, 1), digest);
            Assert.Contains(Strings.Get(locale, "weeklyReports.digest.group", Strings.Get(locale, "weeklyReports.state.missing"), 1) + "\nSam Lee", digest);
            Assert.Contains(Strings.Get(locale, "weeklyReports.digest.group", Strings.Get(locale, "weeklyReports.state.exempt"), 1) + "\n陈晨", digest);
        }
        Assert.Equal(3, host.Connector.Calls.Count);
    }

    [Theory]
    [InlineData("zh-CN", "原定截止时间 10月2日（周五）17:00 是国庆节假期，按规定提前到前一个工作日：9月30日（周三）17:00。")]
    [InlineData("en", "The usual deadline, Fri 2 Oct 17:00, falls in the 国庆节 holiday, so it moves to the working day before: Wed 30 Sep 17:00.")]
    public async Task A_deadline_on_a_holiday_moves_to_the_working_day_before_and_the_reminder_says_so(string locale, string note)
    {
        // 2026-W40: Friday 2 October is the National Day holiday (1–7 October).
        await using var host = await StartAsync(Local(2026, 9, 28, 9));
        await host.AddDepartmentAsync("综合部", "29:zhang");
        await host.AddPersonAsync("29:zhang", "张伟", "综合部", locale);
        await host.AddPersonAsync("29:wang", "王小明", "综合部", locale);

        // The form already shows the moved deadline.
        var form = ReadableText(await host.SayAsync("29:zhang", Strings.Get(locale, "commands.report.name"), locale));
        Assert.Contains(note, form);
        await host.RunDueJobsAsync();
        Assert.Equal(Local(2026, 9, 30, 14), (await host.Get<JobScheduler>().GetAsync(Tenant, WeeklyReportPlanner.ReminderJobId("综合部", "2026-W40", 1)))!.DueUtc);
        Assert.Equal(Local(2026, 9, 30, 17), (await host.Get<JobScheduler>().GetAsync(Tenant, WeeklyReportPlanner.ReminderJobId("综合部", "2026-W40", 2)))!.DueUtc);

        host.MoveTo(Local(2026, 9, 30, 14));
        await host.RunDueJobsAsync();
        var reminders = host.Connector.Calls;
        Assert.Equal(2, reminders.Count);
        Assert.All(reminders, r => Assert.Contains(note, r.ReadableText));

        // After the moved deadline, a first hand-in is late.
        host.MoveTo(Local(2026, 9, 30, 17, 1));
        await host.SayAsync("29:wang", Strings.Get(locale, "commands.report.name"), locale);
        var late = ReadableText(await host.SubmitAsync("29:wang", Form("节前完成三季度考勤汇总。", "节后第一周完成培训计划。"), locale));
        Assert.StartsWith(Strings.Get(locale, "weeklyReports.savedLate", ReportText.Week(Strings, locale, "2026-W40"), 1,
            ReportText.DateTime(Strings, locale, new DateTime(2026, 9, 30, 17, 0, 0))), late);
    }

    [Theory]
    [InlineData("zh-CN", "周报提醒")]
    [InlineData("en", "Weekly report reminder")]
    public async Task A_department_created_after_Monday_is_reminded_once_a_member_opens_the_form(string locale, string heading)
    {
        await using var host = await StartAsync(Local(2026, 11, 23, 9));
        await host.AddPersonAsync("29:office", "陈静", null, locale, "office");
        await host.SayAsync("29:office", Strings.Get(locale, "commands.help.name"), locale);
        await host.RunDueJobsAsync();

        // Wednesday: the office creates 客服部; one of its two members opens the form and leaves it.
        host.MoveTo(Local(2026, 11, 25, 10));
        await host.AddDepartmentAsync("客服部", "29:liu");
        await host.AddPersonAsync("29:liu", "刘洋", "客服部", locale);
        await host.AddPersonAsync("29:na", "李娜", "客服部", locale);
        await host.SayAsync("29:na", Strings.Get(locale, "commands.report.name"), locale);

        host.MoveTo(Local(2026, 11, 27, 14));
        await host.RunDueJobsAsync();
        Assert.Equal([Chat("29:liu"), Chat("29:na")], host.Connector.Calls.Select(m => m.ConversationId).Order().ToArray());
        Assert.All(host.Connector.Calls, m => Assert.Contains(heading, m.ReadableText));
    }

    [Fact]
    public async Task A_week_with_no_working_day_before_the_deadline_asks_for_nothing()
    {
        // 2026-W08: the Spring Festival holiday runs from 15 to 23 February, so the week has no working day up to Friday.
        await using var host = await StartAsync(Local(2026, 2, 16, 9));
        await host.AddDepartmentAsync("综合部", "29:zhang");
        await host.AddPersonAsync("29:zhang", "张伟", "综合部");
        await host.AddPersonAsync("29:wang", "王小明", "综合部");
        await host.SayAsync("29:wang", "上周周报");
        await host.RunDueJobsAsync();

        Assert.Null(await host.Get<JobScheduler>().GetAsync(Tenant, WeeklyReportPlanner.ReminderJobId("综合部", "2026-W08", 1)));
        host.MoveTo(Local(2026, 2, 20, 17, 30));
        await host.RunDueJobsAsync();
        Assert.Empty(host.Connector.Calls);
        var digest = ReadableText(await host.SayAsync("29:zhang", "周报汇总"));
        Assert.Contains("本周为节假日，不收周报。", digest);
        Assert.Contains("应交 0 人", digest);
    }
}
