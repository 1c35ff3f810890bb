using System.Net;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Leave;
using ChatRegs.Bot.WeeklyReports;
using ChatRegs.Leave.Tests.Support;
using static ChatRegs.Leave.Tests.Support.LeaveHost;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.Leave.Tests;

/// <summary>The weekly report handed in instead of a written summary; my list; deliveries Teams could not take at once.</summary>
public sealed class WorkAndListTests
{
    [Fact]
    public async Task The_weekly_report_already_handed_in_goes_to_the_host_instead_of_a_new_summary()
    {
        await using var host = await LeaveHost.StartAsync();
        await host.Get<WeeklyReportStore>().SaveAsync(new WeeklyReport
        {
            TenantId = Tenant, Team = "工程部", Week = "2026-W48", UserId = People.Wang, UserName = "王小明",
            Summary = "本周完成三号楼验收资料整理，配合监理完成两次现场检查。",
            Plan = "下周提交验收申请，跟进整改项。",
            SubmittedUtc = Local(2026, 11, 26, 9, 0), UpdatedUtc = Local(2026, 11, 26, 9, 0), DeadlineUtc = Local(2026, 11, 27, 17, 0),
        });

        await host.SayAsync(People.Wang, "请假");
        var form = Card(await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.target", ["target"] = WeeklyKey }));
        Assert.Contains("附上本周已交的周报（2026-W48，11月26日 周四 09:00 提交）代替下面两项", CardText(form));
        Assert.Equal("true", InputValue(form, "linkReport"));

        var done = ReadableText(await host.SubmitAsync(People.Wang, new JsonObject
        {
            ["verb"] = "leave.submit", ["type"] = "personal", ["reason"] = "要去车管所办理驾驶证换证手续。", ["linkReport"] = "true", ["summary"] = "", ["plan"] = "",
        }));
        Assert.StartsWith("已提交请假申请", done);
        var request = Assert.Single(await host.Store.ListAllAsync(Tenant));
        Assert.Equal("2026-W48", request.LinkedReportWeek);
        Assert.Equal("下周提交验收申请，跟进整改项。", request.WorkPlan);

        var card = CardText(Assert.Single(host.Connector.PostedTo(Chat(People.Host))).CardJson!);
        Assert.Contains("本周工作状况（来自已交的周报 2026-W48）", card);
        Assert.Contains("本周完成三号楼验收资料整理，配合监理完成两次现场检查。", card);

        // Unticked, the two fields are required again.
        await host.SayAsync(People.Zhao, "请假");
        await host.Get<WeeklyReportStore>().SaveAsync(new WeeklyReport
        {
            TenantId = Tenant, Team = "工程部", Week = "2026-W49", UserId = People.Zhao, UserName = "赵强", Summary = "本周完成了两份方案的评审。", Plan = "下周开始施工准备。",
            SubmittedUtc = Thursday, UpdatedUtc = Thursday, DeadlineUtc = Local(2026, 12, 4, 17, 0),
        });
        await host.SubmitAsync(People.Zhao, new JsonObject { ["verb"] = "leave.target", ["target"] = WeeklyKey });
        var unticked = Card(await host.SubmitAsync(People.Zhao, new JsonObject
        {
            ["verb"] = "leave.submit", ["type"] = "personal", ["reason"] = "要去车管所办理驾驶证换证手续。", ["linkReport"] = "false", ["summary"] = "", ["plan"] = "",
        }));
        Assert.Equal("请写本周工作总结：不能参加周会的，要提前把一周工作状况书面交主持人。", ErrorNextTo(unticked, "summary"));
    }

    [Fact]
    public async Task My_list_shows_each_request_with_its_status_and_only_pending_ones_can_be_withdrawn()
    {
        await using var host = await LeaveHost.StartAsync();
        Assert.Contains("你还没有请过假。发送“请假”开始。", CardText(Card(await host.SayAsync(People.Wang, "我的请假"))));
        Assert.Contains("You have not asked for leave yet. Send \"leave\" to start.", CardText(Card(await host.SayAsync(People.Amy, "my leave", "en-US"))));

        var approved = await LeaveFlows.AskForWeeklyAsync(host);
        await host.ExecuteAsync(People.Host, "leave.approve", new JsonObject { ["id"] = approved, ["comment"] = "好的" });
        await host.SayAsync(People.Wang, "请假");
        await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.target", ["target"] = SafetyKey });
        await host.SubmitAsync(People.Wang, new JsonObject
        {
            ["verb"] = "leave.submit", ["type"] = "business", ["reason"] = "周二下午去客户现场处理漏水问题。",
            ["summary"] = "完成了三号楼验收资料的整理。", ["plan"] = "下周一提交验收申请，周三前完成整改。",
        });

        var list = Card(await host.SayAsync(People.Wang, "我的请假"));
        var text = CardText(list);
        Assert.Contains("周工作例会", text);
        Assert.Contains("已批准 · 张伟 · 11月26日 周四 10:00", text);
        Assert.Contains("审批意见：好的", text);
        Assert.Contains("安全生产例会", text);
        Assert.Contains("待 李娜 审批", text);
        // One withdraw button: the pending one.
        Assert.Equal(["leave.withdraw"], Verbs(list));
        // Pending first.
        Assert.True(text.IndexOf("安全生产例会", StringComparison.Ordinal) < text.IndexOf("周工作例会", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cards_and_notices_Teams_cannot_take_at_once_are_sent_by_a_job_once()
    {
        await using var host = await LeaveHost.StartAsync(settings: new() { ["ChatRegs:Proactive:MaxRetries"] = "0" });
        host.Connector.Refuse[Chat(People.Host)] = HttpStatusCode.InternalServerError;
        await host.SayAsync(People.Wang, "请假");
        await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.target", ["target"] = WeeklyKey });
        var done = ReadableText(await host.SubmitAsync(People.Wang, new JsonObject
        {
            ["verb"] = "leave.submit", ["type"] = "sick", ["reason"] = "周一上午要去医院复查，医生只约到了早上的号。",
            ["summary"] = "完成了三号楼验收资料的整理。", ["plan"] = "下周一提交验收申请，周三前完成整改。",
        }));
        Assert.EndsWith("暂时没能把审批卡片发给 张伟，稍后会自动重发。", done);
        Assert.Empty(host.Connector.PostedTo(Chat(People.Host)));

        // Teams is back; a minute later the job sends the card.
        host.Connector.Refuse.Clear();
        host.MoveTo(Thursday.AddMinutes(2));
        await host.RunDueJobsAsync();
        var card = Assert.Single(host.Connector.PostedTo(Chat(People.Host)));
        Assert.Equal(["leave.approve", "leave.reject"], Verbs(card.CardJson!));

        // The decision notice fails at first, then goes once.
        host.Connector.Refuse[Chat(People.Wang)] = HttpStatusCode.InternalServerError;
        var id = (await host.Store.ListAllAsync(Tenant)).Single().Id;
        var answer = InvokeCard(await host.ExecuteAsync(People.Host, "leave.approve", new JsonObject { ["id"] = id }, replyToId: card.MessageId));
        Assert.Contains("已批准", CardText(answer));
        Assert.Empty(host.Connector.PostedTo(Chat(People.Wang)));
        host.Connector.Refuse.Clear();
        host.MoveTo(Thursday.AddMinutes(5));
        await host.RunDueJobsAsync();
        Assert.StartsWith("你的请假已批准", Assert.Single(host.Connector.PostedTo(Chat(People.Wang))).ReadableText);
        host.MoveTo(Thursday.AddMinutes(30));
        await host.RunDueJobsAsync();
        Assert.Single(host.Connector.PostedTo(Chat(People.Wang)));
        Assert.Single(host.Connector.PostedTo(Chat(People.Host)));
    }
}
