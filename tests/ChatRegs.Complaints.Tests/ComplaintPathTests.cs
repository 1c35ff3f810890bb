using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Complaints;
using ChatRegs.Complaints.Tests.Support;
using ChatRegs.TestSupport;
using static ChatRegs.Complaints.Tests.Support.ComplaintsHost;

namespace ChatRegs.Complaints.Tests;

/// <summary>投诉受理 → 投诉判定 → 展开调查 → 提出处理方案 → 批示 → 实施处理方案 → 总结评价, as the people involved see it.</summary>
public sealed class ComplaintPathTests
{
    [Fact]
    public async Task A_founded_complaint_goes_through_every_stage_to_closing_and_a_follow_up_callback()
    {
        await using var h = await ComplaintsHost.StartAsync();

        // 投诉受理: the form, with bad input first — errors next to the fields, nothing saved.
        var form = LastCard(await h.SayAsync(Rep, "投诉"));
        Assert.Equal("顾客投诉登记表", Replies.TextBlocks(form)[0]);
        var replies = await h.PressAsync(Rep, form, "登记投诉", new { complainant = "", title = "ms", contact = "abc", receivedDate = "2026-11-27", receivedTime = "09:00", channel = "phone", category = "", what = "洗完车还有水渍", request = "" });
        Assert.Contains("表单中有 5 处需要修改", Texts(replies));
        var again = LastCard(replies);
        var blocks = Replies.TextBlocks(again);
        Assert.Contains("这一项必填。", blocks);
        Assert.Contains("请填写顾客的电话号码（5 到 20 位数字）。", blocks);
        Assert.Contains("投诉时间不能晚于现在。", blocks);
        Assert.Contains("请选择一项。", blocks);
        Assert.Equal("洗完车还有水渍", (string?)TurnKit.Input(again, "what")["value"]);
        Assert.Empty(await h.Store.ListAsync(Tenant, default));

        replies = await h.PressAsync(Rep, again, "登记投诉", Form());
        Assert.Contains("已登记投诉 TS-20261126-001，已交客服主管判定，时限 2026-11-26 14:00。", Texts(replies));
        const string number = "TS-20261126-001";
        var c = await h.ComplaintAsync(number);
        Assert.Equal((ComplaintStage.Judge, "csSupervisor"), (c.Stage, c.OwnerRole));
        Assert.Equal(("张丽", "13900001111", "service", "重新清洗"), (c.Complainant, c.Contact, c.Category, c.Request));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 9, 30, 0, FeatureHost.Shanghai), c.ReceivedUtc);

        // 投诉判定: both supervisors are told; the rep sees the complaint read-only.
        var judgeCard = h.LastCardTo(Supervisor);
        Assert.Contains("投诉 TS-20261126-001 到了你这一步：投诉判定，时限 2026-11-26 14:00。", TurnKit.Text(judgeCard));
        Assert.Contains("Complaint TS-20261126-001 is at your step: Judgement", TurnKit.Text(h.LastCardTo(SupervisorEn)));
        var repView = LastCard(await h.SayAsync(Rep, "投诉 " + number));
        Assert.DoesNotContain("提交判定", Replies.Buttons(repView));
        Assert.Contains("当前步骤“投诉判定”由客服主管处理，你只能查看。", Replies.TextBlocks(repView));

        // 投诉判定 asks both questions (理由是否充分, 要求是否合理); founded needs an investigator and the
        // customer asked for time (请顾客给予时间) with a reply-by time they accepted. Nothing saved until right.
        replies = await h.PressAsync(Supervisor, judgeCard, "提交判定", new { verdict = "founded", investigator = "", department = "", reply = "" });
        Assert.Contains("表单中有 5 处需要修改", Texts(replies));
        blocks = Replies.TextBlocks(LastCard(replies));
        Assert.Contains("投诉成立时，请选择调查人。", blocks);
        Assert.Contains("投诉成立时，要先请顾客给予时间展开调查，并勾选这一项。", blocks);
        Assert.Contains("请选择与顾客约定的答复日期。", blocks);
        Assert.Equal(["理由是否充分", "要求是否合理"], new[] { "reasonsSufficient", "requestReasonable" }.Select(id => (string)TurnKit.Input(judgeCard, id)["label"]!));
        replies = await h.PressAsync(Supervisor, judgeCard, "提交判定", 
            new { reasonsSufficient = "no", requestReasonable = "yes", verdict = "founded", investigator = Investigator, department = "", askedForTime = "true", replyByDate = "2026-11-26", replyByTime = "09:00" });
        blocks = Replies.TextBlocks(LastCard(replies));
        Assert.Contains("理由不充分的投诉不能判定成立。", blocks);
        Assert.Contains("约定的答复时间必须晚于现在。", blocks);
        Assert.Equal(ComplaintStage.Judge, (await h.ComplaintAsync(number)).Stage);
        replies = await h.PressAsync(Supervisor, judgeCard, "提交判定", Founded(replyByDate: "2026-11-28", replyByTime: "18:00", requestReasonable: "no"));
        Assert.Contains("投诉 TS-20261126-001 判定成立，已交赵强调查，时限 2026-11-27 10:00。", Texts(replies));
        Assert.Contains("已请顾客给予时间，约定 2026-11-28 18:00 前答复", TurnKit.Text(LastCard(replies)));
        c = await h.ComplaintAsync(number);
        Assert.Equal((true, false, true, new DateTimeOffset(2026, 11, 28, 18, 0, 0, FeatureHost.Shanghai)), (c.ReasonsSufficient, c.RequestReasonable, c.AskedForTime, c.ReplyByUtc));
        c = await h.ComplaintAsync(number);
        Assert.Equal((ComplaintStage.Investigate, Investigator, "售后部", ComplaintVerdict.Founded), (c.Stage, c.OwnerId, c.Department, c.Verdict));

        // 展开调查 by 赵强 (told in his chat).
        h.Host.At(ComplaintsHost.Day, 15);
        var investigateCard = h.LastCardTo(Investigator);
        Assert.Contains("展开调查", Replies.TextBlocks(investigateCard));
        replies = await h.PressAsync(Investigator, investigateCard, "提交调查结果", Investigated("烘干机故障，车身未擦干", "洗车组 王师傅"));
        Assert.Contains("调查结果已记录：投诉 TS-20261126-001 请赵强提出处理方案", Texts(replies));

        // 提出处理方案: two plans, then to the manager.
        var planCard = LastCard(replies);
        replies = await h.PressAsync(Investigator, planCard, "添加方案", new { plan = "免费重新清洗一次" });
        Assert.Contains("方案已添加到投诉 TS-20261126-001", Texts(replies));
        replies = await h.PressAsync(Investigator, LastCard(replies), "提交领导批示", new { plan = "赠送一次打蜡服务" });
        Assert.Contains("投诉 TS-20261126-001 的方案已提交主管领导（经理）批示", Texts(replies));
        c = await h.ComplaintAsync(number);
        Assert.Equal(["免费重新清洗一次", "赠送一次打蜡服务"], c.Plans.Select(p => p.Text));
        Assert.Equal((ComplaintStage.Approve, "manager"), (c.Stage, c.OwnerRole));

        // 批示: Action.Execute; the supervisor cannot approve, the manager can.
        var approval = h.LastCardTo(Manager);
        Assert.Equal(["批准所选方案", "退回重拟"], Replies.Buttons(approval).Where(b => b is "批准所选方案" or "退回重拟"));
        var refused = await h.ExecuteAsync(Supervisor, approval, "批准所选方案", new { chosenPlan = "2", comment = "" });
        Assert.Contains("只有主管领导（经理）可以批示处理方案。", Texts(refused));
        Assert.Equal(ComplaintStage.Approve, (await h.ComplaintAsync(number)).Stage);
        var noChoice = InvokeCard(await h.ExecuteAsync(Manager, approval, "批准所选方案", new { chosenPlan = "", comment = "" }));
        Assert.Contains("请选择要批准的方案。", Replies.TextBlocks(noChoice));
        var approved = InvokeCard(await h.ExecuteAsync(Manager, approval, "批准所选方案", new { chosenPlan = "2", comment = "同意，尽快联系顾客" }));
        Assert.Contains("已批准方案：投诉 TS-20261126-001 交李娜实施", TurnKit.Text(approved));
        Assert.Contains(Replies.TextBlocks(approved), t => t.StartsWith("2. 赠送一次打蜡服务（赵强） ✔ 已批示（王经理）", StringComparison.Ordinal));
        Assert.DoesNotContain("批准所选方案", Replies.Buttons(approved));

        // 实施处理方案 by the rep who took the complaint.
        var implementCard = h.LastCardTo(Rep);
        // The penalties (处罚) for the person directly responsible and the department head, and the
        // customer's signature: a photo chosen but none sent yet is refused.
        replies = await h.PressAsync(Rep, implementCard, "提交实施结果", new { confirmed = "yes", signatureMethod = "upload", feedback = "顾客同意，周六来店打蜡" });
        Assert.Contains("表单中有 5 处需要修改", Texts(replies));
        Assert.Contains($"还没有签字照片。请在私聊里发送“投诉 签字 {number}”并附上照片或扫描件，或选择签在纸上。", Replies.TextBlocks(LastCard(replies)));
        Assert.Equal(ComplaintStage.Implement, (await h.ComplaintAsync(number)).Stage);
        replies = await h.PressAsync(Rep, implementCard, "提交实施结果", Implemented("顾客同意，周六来店打蜡"));
        Assert.Contains("实施结果已记录：投诉 TS-20261126-001 交客服主管总结评价", Texts(replies));
        c = await h.ComplaintAsync(number);
        Assert.Equal((new ComplaintPenalty("王师傅", "按规定扣当月绩效 100 元"), new ComplaintPenalty("洗车组 刘组长", "书面警告"), "paper", "李娜"),
            (c.PenaltyResponsible, c.PenaltyHead, c.SignatureMethod, c.SignatureKeeper));
        var shown = TurnKit.Text(LastCard(replies));
        Assert.Contains("处罚（直接职责者）\n王师傅：按规定扣当月绩效 100 元", shown);
        Assert.Contains("顾客签字\n签字单由李娜保管", shown);

        // 总结评价 by the supervisor: closed, and a follow-up callback in the queue.
        h.Host.At(ComplaintsHost.Day.AddDays(1), 11);
        replies = await h.PressAsync(Supervisor, h.LastCardTo(Supervisor), "结案", new { summary = "设备故障导致，已修复烘干机", improvement = "" });
        Assert.Contains("表单中有 1 处需要修改", Texts(replies));
        replies = await h.PressAsync(Supervisor, h.LastCardTo(Supervisor), "结案", new { summary = "设备故障导致，已修复烘干机", improvement = "每天开工前检查烘干机" });
        Assert.Contains("投诉 TS-20261126-001 已结案。已在回访队列中安排处理后回访。", Texts(replies));
        c = await h.ComplaintAsync(number);
        Assert.Equal(ComplaintStage.Closed, c.Stage);
        Assert.False(c.IsOpen);
        var task = (await h.Callbacks.ListTasksAsync(Tenant, openOnly: true, default)).Single(t => t.ImportedBy == "complaint:" + number);
        Assert.Equal(c.FollowUpTaskId, task.Id);
        Assert.Equal(("张丽", "13900001111", Rep, new DateOnly(2026, 11, 30)), (task.CustomerName, task.Phone, task.RepId, task.DueDate));

        // Every change kept, with who.
        Assert.Equal(
            ["李娜:registered", "刘洋:founded", "赵强:investigated", "赵强:planAdded", "赵强:planAdded", "赵强:plansSubmitted", "王经理:approved", "李娜:implemented", "刘洋:closed", "ChatRegs:followUpScheduled"],
            await h.EventsAsync(number));
        Assert.Equal(
            [ComplaintStage.Intake, ComplaintStage.Judge, ComplaintStage.Investigate, ComplaintStage.Plan, ComplaintStage.Approve, ComplaintStage.Implement, ComplaintStage.Summary],
            c.Spans.Select(s => s.Stage));
        Assert.All(c.Spans, s => Assert.NotNull(s.LeftUtc));
    }

    [Fact]
    public async Task An_unfounded_complaint_needs_the_reply_to_the_customer_and_closes_with_a_follow_up()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var number = await h.RegisterAsync(form: Form(category: "price", what: "觉得价格比别家贵", request: "退差价"));
        var card = h.LastCardTo(Supervisor);
        var replies = await h.PressAsync(Supervisor, card, "提交判定", new { reasonsSufficient = "no", requestReasonable = "no", verdict = "unfounded", investigator = "", department = "", reply = "" });
        Assert.Contains("表单中有 1 处需要修改", Texts(replies));
        Assert.Contains("这一项必填。", Replies.TextBlocks(LastCard(replies)));
        replies = await h.PressAsync(Supervisor, LastCard(replies), "提交判定", Unfounded("已向顾客说明价格与套餐内容一致，顾客表示理解"));
        Assert.Contains($"投诉 {number} 判定不成立，答复已记录，投诉已结案。", Texts(replies));
        var c = await h.ComplaintAsync(number);
        Assert.Equal((ComplaintStage.Closed, ComplaintVerdict.Unfounded), (c.Stage, c.Verdict));
        Assert.Equal(("已向顾客说明价格与套餐内容一致，顾客表示理解", false, false, false), (c.UnfoundedReply, c.ReasonsSufficient!.Value, c.RequestReasonable!.Value, c.AskedForTime));
        Assert.NotNull(c.FollowUpTaskId);
        Assert.Contains("已结案：投诉不成立", TurnKit.Text(LastCard(replies)));
        Assert.Equal(["李娜:registered", "刘洋:unfounded", "ChatRegs:followUpScheduled"], await h.EventsAsync(number));

        // A closed complaint's buttons do nothing.
        replies = await h.PressAsync(Supervisor, card, "提交判定", Founded());
        Assert.Contains("这个按钮不再有效，没有保存任何内容", TurnKit.Text(LastCard(replies)));
        Assert.Equal(3, (await h.ComplaintAsync(number)).Events);
    }

    [Fact]
    public async Task The_customer_not_accepting_the_plan_and_the_manager_sending_plans_back_return_it_to_the_investigator()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var number = await h.RegisterAsync();
        await h.PressAsync(Supervisor, h.LastCardTo(Supervisor), "提交判定", Founded(department: "洗车组"));
        await h.PressAsync(Investigator, h.LastCardTo(Investigator), "提交调查结果", Investigated("烘干机故障", "洗车组"));
        var replies = await h.PressAsync(Investigator, LastCard(await h.SayAsync(Investigator, "投诉 " + number)), "提交领导批示", new { plan = "免费重洗" });
        Assert.Equal(ComplaintStage.Approve, (await h.ComplaintAsync(number)).Stage);

        var sentBack = InvokeCard(await h.ExecuteAsync(Manager, h.LastCardTo(Manager), "退回重拟", new { chosenPlan = "", comment = "" }));
        Assert.Contains("这一项必填。", Replies.TextBlocks(sentBack));
        sentBack = InvokeCard(await h.ExecuteAsync(Manager, h.LastCardTo(Manager), "退回重拟", new { comment = "补偿力度不够" }));
        Assert.Contains("方案已退回：投诉 " + number + " 请赵强重新提出方案", TurnKit.Text(sentBack));
        var c = await h.ComplaintAsync(number);
        Assert.Equal((ComplaintStage.Plan, Investigator), (c.Stage, c.OwnerId));

        await h.PressAsync(Investigator, h.LastCardTo(Investigator), "提交领导批示", new { plan = "免费重洗并赠送打蜡" });
        await h.ExecuteAsync(Manager, h.LastCardTo(Manager), "批准所选方案", new { chosenPlan = "2" });
        replies = await h.PressAsync(Rep, h.LastCardTo(Rep), "提交实施结果", new { confirmed = "no", feedback = "顾客要求退款" });
        Assert.Contains("顾客不接受方案：投诉 " + number + " 退回赵强重新提出方案", Texts(replies));
        c = await h.ComplaintAsync(number);
        Assert.Equal((ComplaintStage.Plan, false, "顾客要求退款"), (c.Stage, c.CustomerConfirmed, c.CustomerFeedback));
        Assert.Equal(["李娜:registered", "刘洋:founded", "赵强:investigated", "赵强:planAdded", "赵强:plansSubmitted", "王经理:returned", "赵强:planAdded", "赵强:plansSubmitted", "王经理:approved", "李娜:notAccepted"],
            await h.EventsAsync(number));
    }

    [Fact]
    public async Task A_step_pressed_on_a_card_older_than_the_complaint_saves_nothing_even_in_the_same_stage()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var number = await h.RegisterAsync();
        await h.PressAsync(Supervisor, h.LastCardTo(Supervisor), "提交判定", Founded(department: "洗车组"));
        await h.PressAsync(Investigator, h.LastCardTo(Investigator), "提交调查结果", Investigated("烘干机故障", "洗车组"));
        await h.PressAsync(Investigator, LastCard(await h.SayAsync(Investigator, "投诉 " + number)), "提交领导批示", new { plan = "免费重洗" });
        // The manager's first approval card; another copy sends the plans back, new ones come.
        var old = h.LastCardTo(Manager);
        await h.ExecuteAsync(Manager, old, "退回重拟", new { comment = "补偿力度不够" });
        await h.PressAsync(Investigator, h.LastCardTo(Investigator), "提交领导批示", new { plan = "全额退款" });
        var before = await h.ComplaintAsync(number);
        Assert.Equal(ComplaintStage.Approve, before.Stage);

        // The old card, in the same stage again, does not approve plans it never showed.
        var stale = InvokeCard(await h.ExecuteAsync(Manager, old, "批准所选方案", new { chosenPlan = "1" }));
        Assert.Contains($"投诉 {number} 刚被别人更新了，你的修改没有保存。", TurnKit.Text(stale));
        Assert.Contains("全额退款", TurnKit.Text(stale));
        var after = await h.ComplaintAsync(number);
        Assert.Equal((ComplaintStage.Approve, before.Events), (after.Stage, after.Events));

        // The current card approves.
        await h.ExecuteAsync(Manager, h.LastCardTo(Manager), "批准所选方案", new { chosenPlan = "2" });
        Assert.Equal(ComplaintStage.Implement, (await h.ComplaintAsync(number)).Stage);
    }

    [Fact]
    public async Task In_english_the_form_the_steps_and_the_messages_read_in_english()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var form = LastCard(await h.SayAsync(RepEn, "complaint"));
        Assert.Equal("Customer complaint form", Replies.TextBlocks(form)[0]);
        Assert.Equal(["Service", "Quality / repair", "Price", "Staff attitude", "Other"], TurnKit.Input(form, "category")["choices"]!.Select(c => (string)c["title"]!));
        var replies = await h.PressAsync(RepEn, form, "Register complaint", new { complainant = "Smith", contact = "12", what = "", request = "A refund", category = "price", receivedDate = "2026-11-26", receivedTime = "25:00" });
        Assert.Contains("3 field(s) on the form need correcting", Texts(replies));
        var blocks = Replies.TextBlocks(LastCard(replies));
        Assert.Contains("Please give the customer's phone number (5 to 20 digits).", blocks);
        Assert.Contains("Please give the time, e.g. 14:30.", blocks);
        Assert.Contains("This is required.", blocks);

        replies = await h.PressAsync(RepEn, LastCard(replies), "Register complaint", new { contact = "13700002222", what = "Charged twice", receivedTime = "09:15" });
        Assert.Contains("Complaint TS-20261126-001 registered and sent to the customer-service supervisor to judge, due 2026-11-26 14:00.", Texts(replies));
        var view = LastCard(replies);
        Assert.Contains("Current step: Judgement · owner: the customer-service supervisor · due: 2026-11-26 14:00", TurnKit.Text(view));
        Assert.Contains("The step \"Judgement\" is for the customer-service supervisor; you can only read it.", Replies.TextBlocks(view));

        replies = await h.PressAsync(SupervisorEn, h.LastCardTo(SupervisorEn), "Submit judgement", Unfounded("The second charge was a pre-authorisation, released the same day."));
        Assert.Contains("Complaint TS-20261126-001 judged not founded; the reply is recorded and the complaint is closed. A follow-up call is in the callback queue.", Texts(replies));
        var history = TurnKit.Text(LastCard(replies));
        Assert.Contains("Mike: registered the complaint — Charged twice", history);
        Assert.Contains("Amy: judged it not founded, replied to the customer", history);
    }

    [Fact]
    public async Task In_english_a_founded_complaint_is_judged_routed_carried_out_with_penalties_and_summarised()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var number = await h.RegisterAsync(RepEn, Form(name: "Smith", what: "Rude staff at the desk", request: "An apology"));

        // Amy judges: both questions and the reply-by time, with the errors in English.
        var card = h.LastCardTo(SupervisorEn);
        Assert.Equal(["Are the customer's reasons sufficient?", "Is the customer's request reasonable?"],
            new[] { "reasonsSufficient", "requestReasonable" }.Select(id => (string)TurnKit.Input(card, id)["label"]!));
        var replies = await h.PressAsync(SupervisorEn, card, "Submit judgement",
            new { reasonsSufficient = "no", requestReasonable = "yes", verdict = "founded", investigator = Investigator, askedForTime = "false", replyByDate = "2026-11-25", replyByTime = "18:00" });
        var blocks = Replies.TextBlocks(LastCard(replies));
        Assert.Contains("A complaint whose reasons are not sufficient cannot be founded.", blocks);
        Assert.Contains("When founded, ask the customer for time to investigate first, and tick this.", blocks);
        Assert.Contains("The agreed reply-by time must be later than now.", blocks);
        replies = await h.PressAsync(SupervisorEn, card, "Submit judgement", Founded(replyByDate: "2026-11-27", replyByTime: "12:00"));
        Assert.Contains("Customer asked for time; reply by 2026-11-27 12:00", TurnKit.Text(LastCard(replies)));

        // 赵强 finds a service problem and hands it to Mike, who proposes a plan; Bob approves.
        await h.PressAsync(Investigator, h.LastCardTo(Investigator), "提交调查结果", Investigated("新员工态度生硬", "前台 小周", "service", RepEn));
        await h.PressAsync(RepEn, h.LastCardTo(RepEn), "Send for approval", new { plan = "Store manager calls to apologise" });
        await h.ExecuteAsync(ManagerEn, h.LastCardTo(ManagerEn), "Approve the chosen plan", new { chosenPlan = "1" });

        // Mike carries it out: the penalties and the signature are asked for in English.
        var implement = h.LastCardTo(RepEn);
        Assert.Contains("Penalty for the person directly responsible (under the company's rules)", TurnKit.Input(implement, "penaltyPersonWhat")["label"]!.ToString());
        replies = await h.PressAsync(RepEn, implement, "Submit the outcome", new { confirmed = "yes", signatureMethod = "paper", feedback = "Accepted the apology" });
        Assert.Contains("5 field(s) on the form need correcting", Texts(replies));
        Assert.Contains("This is required.", Replies.TextBlocks(LastCard(replies)));
        replies = await h.PressAsync(RepEn, implement, "Submit the outcome", new
        {
            confirmed = "yes", penaltyPerson = "Zhou", penaltyPersonWhat = "Written warning", penaltyHead = "Desk supervisor", penaltyHeadWhat = "No penalty under the rules",
            signatureMethod = "paper", signatureKeeper = "Mike", feedback = "Accepted the apology",
        });
        var shown = TurnKit.Text(LastCard(replies));
        Assert.Contains("Penalty (person responsible)\nZhou：Written warning", shown);
        Assert.Contains("Customer's signature\nsigned paper kept by Mike", shown);

        // Amy summarises with the improvement measure; it closes.
        replies = await h.PressAsync(SupervisorEn, h.LastCardTo(SupervisorEn), "Close", new { summary = "Training gap", improvement = "Desk training for new staff every month" });
        Assert.Equal(ComplaintStage.Closed, (await h.ComplaintAsync(number)).Stage);
        Assert.Contains("Desk training for new staff every month", TurnKit.Text(LastCard(replies)));
    }
}
