using System.Text.Json.Nodes;
using ChatRegs.Bot.Leave;
using ChatRegs.Bot.Meetings;
using ChatRegs.Leave.Tests.Support;
using static ChatRegs.Leave.Tests.Support.LeaveHost;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.Leave.Tests;

/// <summary>Leave from one meeting, over HTTP end to end: ask → the approver decides in chat → the requester is told → the roll.</summary>
public sealed class MeetingLeaveTests
{
    [Fact]
    public async Task Ask_approve_requester_told_and_the_roll_shows_on_leave_in_Chinese()
    {
        await using var host = await LeaveHost.StartAsync();

        // 1. What for: my meetings, and leave by days.
        var target = Card(await host.SayAsync(People.Wang, "请假"));
        var choices = Choices(target, "target");
        Assert.Equal("周工作例会 · 11月30日 周一 08:30–09:30", choices[WeeklyKey]);
        Assert.Equal("安全生产例会 · 12月1日 周二 14:00–15:00", choices[SafetyKey]);
        Assert.Equal("按天请假（一天或几天，可以半天）", choices["days"]);

        // 2. The form for a weekly meeting asks for the week's work; the approver is the host.
        var form = Card(await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.target", ["target"] = WeeklyKey }));
        var formText = CardText(form);
        Assert.Contains("周工作例会 · 11月30日 周一 08:30–09:30", formText);
        Assert.Contains("审批人：张伟", formText);
        Assert.Contains("不能参加周会的，要提前把本周工作状况和下周工作计划书面交主持人", formText);
        Assert.Equal(["type", "reason", "summary", "plan"], Inputs(form));
        Assert.DoesNotContain("事后补假", formText);

        // 3. Sent: stored, the host gets the approval card in their 1:1 chat, I am told who decides.
        var done = await host.SubmitAsync(People.Wang, new JsonObject
        {
            ["verb"] = "leave.submit",
            ["type"] = "sick",
            ["reason"] = "周一上午要去医院复查，医生只约到了早上的号。",
            ["summary"] = "完成了三号楼验收资料的整理，和监理确认了整改清单。",
            ["plan"] = "下周一提交验收申请，周三前完成全部整改。",
        });
        Assert.Equal("已提交请假申请：周工作例会 11月30日 周一 08:30–09:30。等待 张伟 审批，结果会发到这里。发送“我的请假”可以查看状态或撤回。", ReadableText(done));
        var request = Assert.Single(await host.Store.ListByRequesterAsync(Tenant, People.Wang));
        Assert.Equal(LeaveStatus.Pending, request.Status);
        Assert.Equal(People.Host, request.ApproverId);
        Assert.False(request.Late);

        var sent = Assert.Single(host.Connector.PostedTo(Chat(People.Host)));
        var approval = sent.CardJson!;
        var approvalText = CardText(approval);
        Assert.Contains("请假审批：王小明", approvalText);
        Assert.Contains("周一上午要去医院复查，医生只约到了早上的号。", approvalText);
        Assert.Contains("病假", approvalText);
        Assert.Contains("本周工作状况（随请假单书面提交）", approvalText);
        Assert.Contains("完成了三号楼验收资料的整理", approvalText);
        Assert.Contains("下周一提交验收申请", approvalText);
        Assert.Contains("待 张伟 审批", approvalText);
        Assert.Equal(["leave.approve", "leave.reject"], Verbs(approval));
        Assert.DoesNotContain("事后补假", approvalText);

        // 4. The host approves on that card: the answer is the card with the outcome and no buttons.
        var answer = await host.ExecuteAsync(People.Host, "leave.approve", new JsonObject { ["id"] = request.Id, ["comment"] = "好的，会议纪要会发给你。" }, replyToId: sent.MessageId);
        var decided = InvokeCard(answer);
        var decidedText = CardText(decided);
        Assert.Contains("已批准 · 张伟 · 11月26日 周四 10:00", decidedText);
        Assert.Contains("审批意见：好的，会议纪要会发给你。", decidedText);
        Assert.Contains("你已批准这条请假，已通知申请人。", decidedText);
        Assert.Empty(Verbs(decided));
        Assert.Empty(Inputs(decided));
        // The clicked card is refreshed by the answer itself: no second update of it.
        Assert.Empty(host.Connector.UpdatedIn(Chat(People.Host)));

        // 5. I am told, in my chat.
        var notice = Assert.Single(host.Connector.PostedTo(Chat(People.Wang)));
        Assert.Equal("你的请假已批准：周工作例会 11月30日 周一 08:30–09:30。审批人：张伟（11月26日 周四 10:00）。审批意见：好的，会议纪要会发给你。", notice.ReadableText);

        // 6. Stored with who, when and the comment, and in the history.
        var stored = (await host.Store.GetAsync(Tenant, request.Id))!;
        Assert.Equal(LeaveStatus.Approved, stored.Status);
        Assert.Equal(People.Host, stored.DecidedById);
        Assert.Equal(Thursday, stored.DecidedAt);
        Assert.Equal("好的，会议纪要会发给你。", stored.Comment);
        var history = await host.Store.HistoryAsync(Tenant, request.Id);
        Assert.Equal(["submitted", "approved"], history.Select(h => h.Action));
        Assert.Equal("好的，会议纪要会发给你。", history[1].Comment);

        // 7. The roll of that meeting shows me on leave; Zhao (no leave) is absent.
        host.MoveTo(Local(2026, 11, 30, 9, 45));
        var roll = Card(await host.SubmitAsync(People.Host, new JsonObject { ["verb"] = "meetings.roll", ["occurrence"] = WeeklyKey }));
        var groups = RollGroups(roll);
        Assert.Equal(["王小明"], groups["请假（1）"]);
        Assert.Contains("赵强", groups.Single(g => g.Key.StartsWith("缺席", StringComparison.Ordinal)).Value);
    }

    [Fact]
    public async Task In_English_the_flow_the_card_and_the_notice_are_in_each_persons_language()
    {
        await using var host = await LeaveHost.StartAsync();
        // The host reads English; Amy asks in English.
        await host.AddPersonAsync(People.Host, "Zhang Wei", "工程部", "en-US");

        var target = Card(await host.SayAsync(People.Amy, "leave", "en-US"));
        Assert.Equal("周工作例会 · Mon 30 Nov 08:30–09:30", Choices(target, "target")[WeeklyKey]);
        Assert.Equal("Leave by days (one or more, half days allowed)", Choices(target, "target")["days"]);
        var form = CardText(Card(await host.SubmitAsync(People.Amy, new JsonObject { ["verb"] = "leave.target", ["target"] = WeeklyKey }, "en-US")));
        Assert.Contains("Approver: Zhang Wei", form);
        Assert.Contains("Whoever misses the weekly meeting hands this week's work and next week's plan to the host in writing beforehand", form);

        var done = await host.SubmitAsync(People.Amy, new JsonObject
        {
            ["verb"] = "leave.submit",
            ["type"] = "business",
            ["reason"] = "Visiting the supplier in Shenzhen for the annual review.",
            ["summary"] = "Finished the inspection files for building three.",
            ["plan"] = "Apply for acceptance on Monday, fix the remaining items by Wednesday.",
        }, "en-US");
        Assert.Equal("Leave request sent: 周工作例会 Mon 30 Nov 08:30–09:30. Waiting for Zhang Wei to decide; the answer comes here. Send \"my leave\" to see it or withdraw it.", ReadableText(done));

        var sent = Assert.Single(host.Connector.PostedTo(Chat(People.Host)));
        var card = CardText(sent.CardJson!);
        Assert.Contains("Leave request: Amy Chen", card);
        Assert.Contains("Business trip", card);
        Assert.Contains("Waiting for Zhang Wei", card);
        Assert.Contains("Approve", card);

        var request = Assert.Single(await host.Store.ListByRequesterAsync(Tenant, People.Amy));
        var answer = InvokeCard(await host.ExecuteAsync(People.Host, "leave.reject", new JsonObject { ["id"] = request.Id, ["comment"] = "The review can be joined online." }, "en-US", sent.MessageId));
        Assert.Contains("Rejected · Zhang Wei · Thu 26 Nov 10:00", CardText(answer));
        Assert.Contains("You rejected this leave; the requester has been told.", CardText(answer));

        var notice = Assert.Single(host.Connector.PostedTo(Chat(People.Amy)));
        Assert.Equal("Your leave is not approved: 周工作例会 Mon 30 Nov 08:30–09:30. Approver: Zhang Wei (Thu 26 Nov 10:00). Comment: The review can be joined online. Please attend the meeting, or talk to the approver.", notice.ReadableText);

        // Rejected leave does not excuse: Amy is absent in the roll.
        host.MoveTo(Local(2026, 11, 30, 9, 45));
        var roll = RollGroups(Card(await host.SubmitAsync(People.Host, new JsonObject { ["verb"] = "meetings.roll", ["occurrence"] = WeeklyKey }, "en-US")));
        Assert.DoesNotContain(roll.Keys, k => k.StartsWith("On leave", StringComparison.Ordinal));
        Assert.Contains("Amy Chen", roll.Single(g => g.Key.StartsWith("Absent", StringComparison.Ordinal)).Value);
    }

    [Fact]
    public async Task Rejecting_needs_a_comment_and_nothing_changes_without_one()
    {
        await using var host = await LeaveHost.StartAsync();
        var id = await LeaveFlows.AskForWeeklyAsync(host);
        var cardId = host.Connector.PostedTo(Chat(People.Host)).Single().MessageId;

        var noComment = InvokeCard(await host.ExecuteAsync(People.Host, "leave.reject", new JsonObject { ["id"] = id, ["comment"] = "   " }, replyToId: cardId));
        Assert.Contains("驳回时请写审批意见，告诉申请人原因。", CardText(noComment));
        Assert.Equal(["leave.approve", "leave.reject"], Verbs(noComment));
        Assert.Equal(LeaveStatus.Pending, (await host.Store.GetAsync(Tenant, id))!.Status);
        Assert.Empty(host.Connector.PostedTo(Chat(People.Wang)));

        var english = InvokeCard(await host.ExecuteAsync(People.Host, "leave.reject", new JsonObject { ["id"] = id }, "en-US", cardId));
        Assert.Contains("To reject, write a comment telling the requester why.", CardText(english));

        var rejected = InvokeCard(await host.ExecuteAsync(People.Host, "leave.reject", new JsonObject { ["id"] = id, ["comment"] = "这周要评审方案，请调整复查时间。" }, replyToId: cardId));
        Assert.Contains("未批准 · 张伟 · 11月26日 周四 10:00", CardText(rejected));
        var notice = Assert.Single(host.Connector.PostedTo(Chat(People.Wang)));
        Assert.Equal("你的请假未获批准：周工作例会 11月30日 周一 08:30–09:30。审批人：张伟（11月26日 周四 10:00）。审批意见：这周要评审方案，请调整复查时间。 请按时参加会议，或直接联系审批人。", notice.ReadableText);
    }

    [Fact]
    public async Task A_named_leave_approver_or_the_substitute_host_decides()
    {
        await using var host = await LeaveHost.StartAsync();
        // The safety meeting names 赵强 as leave approver.
        await host.AddSeriesAsync("monthly", "安全月例会", MeetingSchedule.MonthlyOn(29, new(15, 0), new(16, 0)), [People.Wang], host: People.Li, recorder: null, leaveApprover: People.Zhao);
        await host.SayAsync(People.Wang, "请假");
        var form = CardText(Card(await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.target", ["target"] = "monthly@202611291500" })));
        Assert.Contains("审批人：赵强", form);
        // Not a weekly meeting: no work summary asked.
        Assert.DoesNotContain("本周工作总结", form);

        // A substitute host named for one weekly occurrence approves that one.
        await host.Get<ChatRegs.Bot.Meetings.MeetingStore>().SaveChangeAsync(Tenant, new ChatRegs.Bot.Meetings.MeetingStore.OccurrenceChange(
            WeeklyKey, false, null, null, People.Recorder, null, People.Office, Thursday), default);
        host.Get<ChatRegs.Bot.Meetings.MeetingCache>().Invalidate(Tenant, "weekly");
        await host.SayAsync(People.Zhao, "请假");
        var weekly = CardText(Card(await host.SubmitAsync(People.Zhao, new JsonObject { ["verb"] = "leave.target", ["target"] = WeeklyKey })));
        Assert.Contains("审批人：刘芳", weekly);
    }

    [Fact]
    public async Task A_host_asking_leave_from_their_own_meeting_goes_to_their_department_approver()
    {
        await using var host = await LeaveHost.StartAsync();
        await host.SayAsync(People.Host, "请假");
        var form = CardText(Card(await host.SubmitAsync(People.Host, new JsonObject { ["verb"] = "leave.target", ["target"] = WeeklyKey })));
        Assert.Contains("审批人：李娜", form);
    }

    [Fact]
    public async Task Leave_is_asked_in_the_personal_chat_only()
    {
        await using var host = await LeaveHost.StartAsync();
        var zh = await host.SayAsync(People.Wang, "请假", conversationId: GroupChat, conversationType: "groupChat");
        Assert.Equal("请假相关的内容（原因可能涉及个人情况）请在和我的私聊中处理：点开我的头像，发送同样的命令。", ReadableText(zh));
        var en = await host.SayAsync(People.Amy, "my leave", "en-US", conversationId: GroupChat, conversationType: "groupChat");
        Assert.Equal("Leave (whose reasons may be personal) is handled in your private chat with me: open my profile and send the same command there.", ReadableText(en));
    }
}
