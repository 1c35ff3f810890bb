using System.Text.Json.Nodes;
using ChatRegs.Bot.Leave;
using ChatRegs.Bot.Meetings.Attendance;
using ChatRegs.Bot.WeeklyReports;
using ChatRegs.Leave.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static ChatRegs.Leave.Tests.Support.LeaveHost;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.Leave.Tests;

/// <summary>Leave by days: the department's approver, every meeting in the span on leave, and the weekly-report reminder.</summary>
public sealed class DaysLeaveTests
{
    private static async Task<string> AskDaysAsync(LeaveHost host, string userId, string from, string fromHalf, string to, string toHalf, string locale = "zh-CN")
    {
        var target = Card(await host.SayAsync(userId, locale == "zh-CN" ? "请假" : "leave", locale));
        Assert.Contains("days", Choices(target, "target").Keys);
        var form = Card(await host.SubmitAsync(userId, new JsonObject { ["verb"] = "leave.target", ["target"] = "days" }, locale));
        Assert.Equal(["type", "fromDate", "fromHalf", "toDate", "toHalf", "reason"], Inputs(form));
        var submit = new JsonObject
        {
            ["verb"] = "leave.submit", ["type"] = "business", ["reason"] = "去深圳参加供应商年度评审会，需要出差。",
            ["fromDate"] = from, ["fromHalf"] = fromHalf, ["toDate"] = to, ["toHalf"] = toHalf,
        };
        var replies = await host.SubmitAsync(userId, submit, locale);
        if (replies.SelectMany(r => r?["attachments"]?.AsArray() ?? []).Any(a => (string?)a?["contentType"] == "application/vnd.microsoft.card.adaptive")
            && Inputs(Card(replies)).Contains("summary"))
        {
            // The days cover a weekly meeting: the form asks for the week's work for its host.
            submit["summary"] = "完成了三号楼验收资料的整理。";
            submit["plan"] = "下周一提交验收申请，周三前完成整改。";
            await host.SubmitAsync(userId, submit, locale);
        }
        return (await host.Store.ListByRequesterAsync(Tenant, userId)).OrderByDescending(r => r.SubmittedAt).First().Id;
    }

    [Fact]
    public async Task The_department_approver_decides_and_every_meeting_in_the_span_counts()
    {
        await using var host = await LeaveHost.StartAsync();
        // Monday morning to Tuesday morning: the Monday 08:30 meeting is in it, the Tuesday 14:00 one is not.
        var id = await AskDaysAsync(host, People.Wang, "2026-11-30", "am", "2026-12-01", "am");
        var request = (await host.Store.GetAsync(Tenant, id))!;
        Assert.Equal(People.Li, request.ApproverId);
        Assert.Equal(1.5, request.WorkingDays);
        Assert.Equal(Local(2026, 11, 30, 0, 0), request.FromUtc);
        Assert.Equal(Local(2026, 12, 1, 12, 0), request.ToUtc);

        var card = Assert.Single(host.Connector.PostedTo(Chat(People.Li)));
        var cardText = CardText(card.CardJson!);
        Assert.Contains("按天请假", cardText);
        Assert.Contains("11月30日 周一 至 12月1日 周二 上午（共 1.5 个工作日）", cardText);
        Assert.Contains("公出/出差", cardText);

        await host.ExecuteAsync(People.Li, "leave.approve", new JsonObject { ["id"] = id }, replyToId: card.MessageId);
        Assert.Equal("你的请假已批准：按天请假 11月30日 周一 至 12月1日 周二 上午（共 1.5 个工作日）。审批人：李娜（11月26日 周四 10:00）。",
            Assert.Single(host.Connector.PostedTo(Chat(People.Wang))).ReadableText);

        var roster = host.Get<ILeaveRoster>();
        Assert.Equal([People.Wang], await roster.ApprovedLeaveAsync(Tenant, WeeklyKey));
        Assert.Empty(await roster.ApprovedLeaveAsync(Tenant, SafetyKey));

        // Amy's whole Monday and Tuesday: both meetings.
        var amy = await AskDaysAsync(host, People.Amy, "2026-11-30", "am", "2026-12-01", "pm", "en-US");
        Assert.Single(host.Connector.PostedTo(Chat(People.Bob)));
        await host.ExecuteAsync(People.Bob, "leave.approve", new JsonObject { ["id"] = amy }, "en-US");
        Assert.Equal("Your leave is approved: Leave by days Mon 30 Nov – Tue 1 Dec (2 working day(s)). Approver: Bob Li (Thu 26 Nov 10:00).",
            Assert.Single(host.Connector.PostedTo(Chat(People.Amy))).ReadableText);

        // The rolls, as their hosts see them after the meetings.
        host.MoveTo(Local(2026, 12, 1, 15, 30));
        var weekly = RollGroups(Card(await host.SubmitAsync(People.Host, new JsonObject { ["verb"] = "meetings.roll", ["occurrence"] = WeeklyKey })));
        Assert.Equal(["Amy Chen", "王小明"], weekly["请假（2）"].Order(StringComparer.Ordinal));
        var safety = RollGroups(Card(await host.SubmitAsync(People.Li, new JsonObject { ["verb"] = "meetings.roll", ["occurrence"] = SafetyKey })));
        Assert.Equal(["Amy Chen"], safety["请假（1）"]);
        Assert.Contains("王小明", safety.Single(g => g.Key.StartsWith("缺席", StringComparison.Ordinal)).Value);

        // The monthly attendance counts them too.
        var monthly = await host.Get<AttendanceService>().MonthlyAsync(Tenant, 2026, 11, People.Wang, default);
        Assert.Equal(1, Assert.Single(monthly).Count(ChatRegs.Bot.Meetings.AttendanceStatus.OnLeave));
    }

    [Fact]
    public async Task Approved_days_covering_the_report_deadline_exempt_from_the_weekly_report()
    {
        await using var host = await LeaveHost.StartAsync();
        // Wang: Friday 27 Nov all day (the deadline is Friday 17:00), approved.
        var wang = await AskDaysAsync(host, People.Wang, "2026-11-27", "am", "2026-11-27", "pm");
        await host.ExecuteAsync(People.Li, "leave.approve", new JsonObject { ["id"] = wang });
        // Zhao: Friday morning only (back before the deadline), approved.
        var zhao = await AskDaysAsync(host, People.Zhao, "2026-11-27", "am", "2026-11-27", "am");
        await host.ExecuteAsync(People.Li, "leave.approve", new JsonObject { ["id"] = zhao });
        // The host: Friday, still pending.
        await AskDaysAsync(host, People.Host, "2026-11-27", "am", "2026-11-27", "pm");

        var deadline = Local(2026, 11, 27, 17, 0);
        var leave = host.Get<IApprovedLeave>();
        Assert.IsType<LeaveRoster>(leave);
        Assert.Equal([People.Wang], await leave.OnLeaveAtAsync(Tenant, [People.Wang, People.Zhao, People.Host, People.Recorder], deadline, default));

        // The weekly-report feature's own view of the week.
        var week = await host.Get<WeeklyReportService>().StatusAsync(Tenant, "工程部", "2026-W48");
        Assert.Equal([People.Wang], week.In(ReportState.Exempt).Select(p => p.UserId));
        Assert.Contains(week.In(ReportState.Missing), p => p.UserId == People.Zhao);
        Assert.Contains(week.In(ReportState.Missing), p => p.UserId == People.Host);
    }

    [Fact]
    public async Task Leave_from_one_meeting_does_not_excuse_the_weekly_report_and_only_approved_leave_counts_in_the_roll()
    {
        await using var host = await LeaveHost.StartAsync(Local(2026, 11, 23, 9, 0));
        await host.AddSeriesAsync("friday", "周五例会", ChatRegs.Bot.Meetings.MeetingSchedule.WeeklyOn(new(16, 0), new(17, 30), DayOfWeek.Friday), [People.Wang, People.Zhao]);
        var key = "friday@202611271600";
        await host.SayAsync(People.Wang, "请假");
        await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.target", ["target"] = key });
        await host.SubmitAsync(People.Wang, new JsonObject
        {
            ["verb"] = "leave.submit", ["type"] = "personal", ["reason"] = "下午要去学校参加孩子的家长会。",
            ["summary"] = "完成了三号楼验收资料的整理。", ["plan"] = "下周一提交验收申请，周三前完成整改。",
        });
        var id = (await host.Store.ListByRequesterAsync(Tenant, People.Wang)).Single().Id;
        Assert.Empty(await host.Get<ILeaveRoster>().ApprovedLeaveAsync(Tenant, key));
        await host.ExecuteAsync(People.Host, "leave.approve", new JsonObject { ["id"] = id });
        Assert.Equal([People.Wang], await host.Get<ILeaveRoster>().ApprovedLeaveAsync(Tenant, key));
        Assert.Empty(await host.Get<IApprovedLeave>().OnLeaveAtAsync(Tenant, [People.Wang], Local(2026, 11, 27, 17, 0), default));
    }

    [Fact]
    public async Task Without_a_department_approver_there_is_nobody_to_ask_by_days()
    {
        await using var host = await LeaveHost.StartAsync();
        await host.AddPersonAsync("29:newbie", "新同事", null);
        // No meeting to offer and nobody to approve days: said at once.
        var zh = await host.SayAsync("29:newbie", "请假");
        Assert.Equal("你的部门还没有设置请假审批人（或审批人就是你自己），按天请假暂时没人审批。请联系办公室在“角色”中为部门设置审批人。", ReadableText(zh));

        // Bob approves Engineering's leave and is in it himself.
        var en = await host.SayAsync(People.Bob, "leave", "en-US");
        Assert.Equal("Your department has no leave approver yet (or you are it), so nobody can approve leave by days. Ask the office to set your department's approver (roles).", ReadableText(en));
        Assert.Empty(await host.Store.ListAllAsync(Tenant));
    }

    [Fact]
    public async Task With_no_meeting_to_offer_the_form_is_for_days_at_once()
    {
        await using var host = await LeaveHost.StartAsync();
        await host.AddPersonAsync("29:sun", "孙丽", "工程部");
        var replies = await host.SayAsync("29:sun", "请假");
        Assert.Equal("接下来没有需要你参加的会议，下面按天请假。", (string?)replies[0]!["text"]);
        var form = Card(replies);
        Assert.Contains("审批人：李娜", CardText(form));
        Assert.Equal("2026-11-26", InputValue(form, "fromDate"));
        Assert.Equal("2026-11-26", InputValue(form, "toDate"));
    }

    [Fact]
    public async Task The_leave_feature_replaces_the_default_roster_and_exemption()
    {
        await using var host = await LeaveHost.StartAsync(cast: false);
        Assert.IsType<LeaveRoster>(host.Get<ILeaveRoster>());
        Assert.IsType<LeaveRoster>(host.Get<IApprovedLeave>());
        Assert.Single(host.Services.GetServices<ILeaveRoster>());
        Assert.Single(host.Services.GetServices<IApprovedLeave>());
    }
}
