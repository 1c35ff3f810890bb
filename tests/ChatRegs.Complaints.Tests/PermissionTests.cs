using ChatRegs.Bot.Complaints;
using ChatRegs.Complaints.Tests.Support;
using ChatRegs.TestSupport;
using static ChatRegs.Complaints.Tests.Support.ComplaintsHost;

namespace ChatRegs.Complaints.Tests;

/// <summary>Only the owner of the current step (or the supervisor) moves it on; only the manager approves; others read, or see nothing.</summary>
public sealed class PermissionTests
{
    private const string NotYours = "只有当前步骤的负责人或客服主管可以处理这一步，你只能查看。";
    private const string MayNotSee = "只有客服主管、经理、办公室，以及受理或负责这件投诉的人可以查看。";

    [Fact]
    public async Task At_every_stage_only_the_owner_or_the_supervisor_can_move_it_on_and_nothing_is_saved_otherwise()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var number = await h.RegisterAsync();
        var view = h.LastCardTo(Supervisor);

        // 投诉判定: the rep who took it, the investigator-to-be, the manager and the office cannot.
        foreach (var who in new[] { Rep, Manager, Office })
        {
            var replies = await h.PressAsync(who, view, "提交判定", Founded());
            Assert.Contains(NotYours, Texts(replies));
        }
        // The investigator-to-be has no part in it yet: not even "you can only read it".
        Assert.Contains(MayNotSee, Texts(await h.PressAsync(Investigator, view, "提交判定", Founded())));
        Assert.Equal((ComplaintStage.Judge, 1), ((await h.ComplaintAsync(number)).Stage, (await h.ComplaintAsync(number)).Events));
        await h.PressAsync(Supervisor, view, "提交判定", Founded());

        // 展开调查: 赵强 owns it; the rep cannot; the supervisor can step in.
        var investigate = h.LastCardTo(Investigator);
        Assert.Contains(NotYours, Texts(await h.PressAsync(Rep, investigate, "提交调查结果", Investigated("x", "y"))));
        Assert.Contains(MayNotSee, Texts(await h.PressAsync(Employee, investigate, "提交调查结果", Investigated("x", "y"))));
        var replies2 = await h.PressAsync(Supervisor, investigate, "提交调查结果", Investigated("烘干机故障", "洗车组"));
        Assert.Contains("调查结果已记录", Texts(replies2));
        Assert.Equal("刘洋:investigated", (await h.EventsAsync(number))[^1]);

        // 提出处理方案: 赵强 again; the manager cannot write plans.
        var plan = h.LastCardTo(Investigator);
        Assert.Contains(NotYours, Texts(await h.PressAsync(Manager, plan, "提交领导批示", new { plan = "退款" })));
        await h.PressAsync(Investigator, plan, "提交领导批示", new { plan = "免费重洗" });

        // 批示: only a manager — not the supervisor, not the investigator.
        var approval = h.LastCardTo(Manager);
        Assert.Contains("只有主管领导（经理）可以批示处理方案。", Texts(await h.ExecuteAsync(Supervisor, approval, "批准所选方案", new { chosenPlan = "1" })));
        Assert.Contains("只有主管领导（经理）可以批示处理方案。", Texts(await h.ExecuteAsync(Investigator, approval, "批准所选方案", new { chosenPlan = "1" })));
        Assert.Equal(ComplaintStage.Approve, (await h.ComplaintAsync(number)).Stage);
        // The English manager approves too (any manager).
        var approved = InvokeCard(await h.ExecuteAsync(ManagerEn, h.LastCardTo(ManagerEn), "Approve the chosen plan", new { chosenPlan = "1" }));
        Assert.Contains("Plan approved: complaint " + number + " goes to 李娜 to carry out", TurnKit.Text(approved));

        // 实施处理方案: the rep who took it; the investigator cannot.
        var implement = h.LastCardTo(Rep);
        Assert.Contains(NotYours, Texts(await h.PressAsync(Investigator, implement, "提交实施结果", Implemented("好"))));
        await h.PressAsync(Rep, implement, "提交实施结果", Implemented("顾客满意"));

        // 总结评价: the supervisors; the rep cannot close.
        var summary = h.LastCardTo(Supervisor);
        Assert.Contains(NotYours, Texts(await h.PressAsync(Rep, summary, "结案", new { summary = "x" })));
        Assert.Equal(ComplaintStage.Summary, (await h.ComplaintAsync(number)).Stage);
        Assert.Equal(["李娜:registered", "刘洋:founded", "刘洋:investigated", "赵强:planAdded", "赵强:plansSubmitted", "Bob:approved", "李娜:implemented"], await h.EventsAsync(number));
    }

    [Fact]
    public async Task Others_read_only_what_they_took_part_in_and_the_list_shows_each_person_theirs()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var mine = await h.RegisterAsync();
        var other = await h.RegisterAsync(RepEn, Form(name: "Smith", phone: "13700002222", what: "Rude staff", request: "An apology", category: "attitude"));

        // An employee with no part in it cannot open it.
        Assert.Contains("只有客服主管、经理、办公室，以及受理或负责这件投诉的人可以查看。", Texts(await h.SayAsync(Employee, "投诉 " + mine)));
        // The rep sees theirs, read-only, and not Mike's.
        var list = LastCard(await h.SayAsync(Rep, "投诉 列表"));
        Assert.Contains(mine, TurnKit.Text(list));
        Assert.DoesNotContain(other, TurnKit.Text(list));
        Assert.Contains("只有客服主管、经理、办公室", Texts(await h.SayAsync(Rep, "投诉 " + other)));
        // Supervisor, manager, office: all.
        foreach (var who in new[] { Supervisor, Manager, Office })
        {
            var all = TurnKit.Text(LastCard(await h.SayAsync(who, "投诉列表")));
            Assert.Contains(mine, all);
            Assert.Contains(other, all);
        }
        // English: "complaints".
        var en = LastCard(await h.SayAsync(SupervisorEn, "complaints"));
        Assert.Contains("Open complaints (2)", TurnKit.Text(en));
        Assert.Contains("Judgement · owner: the customer-service supervisor", TurnKit.Text(en));

        // The office reads it but cannot judge it.
        var view = LastCard(await h.SayAsync(Office, "投诉 " + mine));
        Assert.DoesNotContain("提交判定", Replies.Buttons(view));
        Assert.Contains(NotYours, Texts(await h.PressAsync(Office, h.LastCardTo(Supervisor), "提交判定", Unfounded("x"))));
    }

    [Fact]
    public async Task Only_the_supervisor_withdraws_with_a_reason_and_the_complaint_is_kept()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var number = await h.RegisterAsync();
        var card = h.LastCardTo(Supervisor);
        Assert.Contains("只有客服主管可以作废投诉。", Texts(await h.PressAsync(Rep, card, "作废此投诉", new { withdrawReason = "重复登记" })));
        var replies = await h.PressAsync(Supervisor, card, "作废此投诉", new { withdrawReason = "" });
        Assert.Contains("这一项必填。", Replies.TextBlocks(LastCard(replies)));
        replies = await h.PressAsync(Supervisor, card, "作废此投诉", new { withdrawReason = "重复登记" });
        Assert.Contains($"投诉 {number} 已作废（记录都保留）。", Texts(replies));
        var c = await h.ComplaintAsync(number);
        Assert.Equal((ComplaintStage.Withdrawn, "重复登记", null), (c.Stage, c.WithdrawReason, c.FollowUpTaskId));
        Assert.Equal(["李娜:registered", "刘洋:withdrawn"], await h.EventsAsync(number));
        // Still there to read; no longer in the open list.
        Assert.Contains("已作废", TurnKit.Text(LastCard(await h.SayAsync(Supervisor, "投诉 " + number))));
        Assert.Contains("没有处理中的投诉。", TurnKit.Text(LastCard(await h.SayAsync(Supervisor, "投诉列表"))));
    }

    [Fact]
    public async Task Complaints_stay_out_of_group_chats_and_unknown_words_get_the_usage()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var group = h.Host.Adapter(Rep, conversationId: "19:group@thread.v2", conversationType: "groupChat");
        Assert.Contains("投诉只在和机器人的私聊中处理", Texts(await h.Host.SayAsync(group, "投诉")));
        Assert.Contains("看不懂“随便”", Texts(await h.SayAsync(Rep, "投诉 随便")));
        Assert.Contains("没有找到投诉 TS-20991231-001。", Texts(await h.SayAsync(Supervisor, "投诉 TS-20991231-001")));
    }
}
