using ChatRegs.Bot.Complaints;
using ChatRegs.Complaints.Tests.Support;
using ChatRegs.TestSupport;
using static ChatRegs.Complaints.Tests.Support.ComplaintsHost;

namespace ChatRegs.Complaints.Tests;

/// <summary>
/// 展开调查 routes the complaint by the kind of problem found (如属修理质量问题，交相关负责人处理；属服务问题，
/// 则服务专员/主管处理), and the new owner is told in their own language.
/// </summary>
public sealed class InvestigationRoutingTests
{
    [Fact]
    public async Task A_service_problem_goes_to_a_rep_or_supervisor_who_is_told_in_their_language_and_gets_returned_plans()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var number = await h.RegisterAsync();
        await h.PressAsync(Supervisor, h.LastCardTo(Supervisor), "提交判定", Founded());
        var card = h.LastCardTo(Investigator);
        // A service complaint: the card proposes 服务问题; every person is offered, reps and supervisors marked.
        Assert.Equal("service", (string?)TurnKit.Input(card, "problemType")["value"]);
        var offered = TurnKit.Input(card, "handler")["choices"]!.Select(c => (string)c["title"]!).ToList();
        Assert.Contains("李娜（客服部 · 客服专员）", offered);
        Assert.Contains("赵强（售后部）", offered);

        // A service problem cannot go to someone who is neither a rep nor a supervisor; nothing saved.
        var replies = await h.PressAsync(Investigator, card, "提交调查结果", Investigated("洗车工没有擦干车身", "洗车组 王师傅", "service", Employee));
        Assert.Contains("服务问题由客服专员或客服主管处理，王小明不是。", Replies.TextBlocks(LastCard(replies)));
        // Nor to someone the directory does not know (forged card data).
        replies = await h.PressAsync(Investigator, card, "提交调查结果", Investigated("洗车工没有擦干车身", "洗车组 王师傅", "service", "29:nobody"));
        Assert.Contains("请选择交由谁处理。", Replies.TextBlocks(LastCard(replies)));
        replies = await h.PressAsync(Investigator, card, "提交调查结果", new { cause = "x", responsible = "y", problemType = "weather", handler = RepEn });
        Assert.Contains("请选择一项。", Replies.TextBlocks(LastCard(replies)));
        Assert.Equal(ComplaintStage.Investigate, (await h.ComplaintAsync(number)).Stage);

        // To Mike, a rep who reads English: he owns 提出处理方案 and is told in English.
        replies = await h.PressAsync(Investigator, card, "提交调查结果", Investigated("洗车工没有擦干车身", "洗车组 王师傅", "service", RepEn));
        Assert.Contains($"调查结果已记录：投诉 {number} 请Mike提出处理方案", Texts(replies));
        var c = await h.ComplaintAsync(number);
        Assert.Equal((ComplaintStage.Plan, RepEn, "service", RepEn), (c.Stage, c.OwnerId, c.ProblemType, c.HandlerId));
        var told = h.LastCardTo(RepEn);
        Assert.Contains($"Complaint {number} is at your step: Handling plans", TurnKit.Text(told));
        Assert.Contains("Service problem → Mike", TurnKit.Text(told));
        // 赵强 may still read it, but the step is no longer his.
        var his = LastCard(await h.SayAsync(Investigator, "投诉 " + number));
        Assert.DoesNotContain("提交领导批示", Replies.Buttons(his));

        // Mike proposes; the manager sends the plans back: they return to Mike, not to the investigator.
        await h.PressAsync(RepEn, told, "Send for approval", new { plan = "Free re-wash and an apology call" });
        await h.ExecuteAsync(Manager, h.LastCardTo(Manager), "退回重拟", new { comment = "加上赠送打蜡" });
        c = await h.ComplaintAsync(number);
        Assert.Equal((ComplaintStage.Plan, RepEn), (c.Stage, c.OwnerId));
        Assert.Contains("Complaint " + number + " is at your step: Handling plans", TurnKit.Text(h.LastCardTo(RepEn)));
        Assert.Equal(["李娜:registered", "刘洋:founded", "赵强:investigated", "Mike:planAdded", "Mike:plansSubmitted", "王经理:returned"], await h.EventsAsync(number));
    }

    [Fact]
    public async Task A_repair_quality_problem_goes_to_the_person_named_on_the_step_who_is_told()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var number = await h.RegisterAsync(form: Form(category: "quality", what: "换的刹车片有异响", request: "重新检修"));
        await h.PressAsync(Supervisor, h.LastCardTo(Supervisor), "提交判定", Founded(department: "维修车间"));
        var card = h.LastCardTo(Investigator);
        Assert.Equal("repair", (string?)TurnKit.Input(card, "problemType")["value"]);

        // The rep cannot do the investigator's step, and nothing moves.
        Assert.Contains("只有当前步骤的负责人或客服主管可以处理这一步，你只能查看。", Texts(await h.PressAsync(Rep, card, "提交调查结果", Investigated(handler: Rep))));

        // A repair-quality problem may go to anyone named as the responsible person or department head.
        var replies = await h.PressAsync(Investigator, card, "提交调查结果", Investigated("刹车片安装不到位", "维修车间 孙师傅", "repair", Employee));
        Assert.Contains($"调查结果已记录：投诉 {number} 请王小明提出处理方案", Texts(replies));
        var told = h.LastCardTo(Employee);
        Assert.Contains($"投诉 {number} 到了你这一步：提出处理方案", TurnKit.Text(told));
        Assert.Contains("问题性质\n修理质量问题 → 王小明", TurnKit.Text(told));
        // He may now read it and propose plans.
        Assert.Contains("提交领导批示", Replies.Buttons(LastCard(await h.SayAsync(Employee, "投诉 " + number))));

        // The same button pressed again: the step is done, nothing saved twice.
        replies = await h.PressAsync(Investigator, card, "提交调查结果", Investigated("别的原因", "别人", "repair", Investigator));
        Assert.Contains("这个按钮不再有效，没有保存任何内容", TurnKit.Text(LastCard(replies)));
        Assert.Equal(Employee, (await h.ComplaintAsync(number)).OwnerId);
    }
}
