using ChatRegs.Bot.Complaints;
using ChatRegs.Complaints.Tests.Support;
using ChatRegs.TestSupport;
using static ChatRegs.Complaints.Tests.Support.ComplaintsHost;
using static ChatRegs.TestSupport.TextAtCap;

namespace ChatRegs.Complaints.Tests;

/// <summary>
/// A complaint with every field at its cap, in Chinese with emoji, goes through every step and
/// saves each time: a record never outgrows what Table Storage takes.
/// </summary>
public sealed class SizeTests
{
    [Fact]
    public async Task A_complaint_filled_to_every_cap_with_Chinese_and_emoji_goes_through_every_step()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var max = ComplaintService.MaxText;
        var replies = await h.PressAsync(Rep, LastCard(await h.SayAsync(Rep, "投诉")), "登记投诉",
            Form(name: Full(ComplaintService.MaxName, "张"), what: Full(max, "经过"), request: Full(max, "要求")));
        Assert.Contains("已登记投诉 TS-20261126-001", Texts(replies));
        const string number = "TS-20261126-001";

        replies = await h.PressAsync(Supervisor, h.LastCardTo(Supervisor), "提交判定",
            Founded(department: Full(ComplaintService.MaxName, "部门")));
        Assert.Contains("判定成立", Texts(replies));

        replies = await h.PressAsync(Investigator, h.LastCardTo(Investigator), "提交调查结果",
            new { cause = Full(max, "原因"), responsible = Full(ComplaintService.MaxShort, "责任人"), problemType = "repair", handler = Investigator });
        Assert.Contains("调查结果已记录", Texts(replies));

        var card = LastCard(replies);
        for (var i = 1; i < ComplaintService.MaxPlans; i++)
        {
            replies = await h.PressAsync(Investigator, card, "添加方案", new { plan = Full(max, $"方案{i}") });
            Assert.Contains("方案已添加到投诉", Texts(replies));
            card = LastCard(replies);
        }
        replies = await h.PressAsync(Investigator, card, "提交领导批示", new { plan = Full(max, "方案5") });
        Assert.Contains("已提交主管领导（经理）批示", Texts(replies));

        var approved = InvokeCard(await h.ExecuteAsync(Manager, h.LastCardTo(Manager), "批准所选方案", new { chosenPlan = "5", comment = Full(max, "批示") }));
        Assert.Contains("已批准方案", TurnKit.Text(approved));

        replies = await h.PressAsync(Rep, h.LastCardTo(Rep), "提交实施结果", new
        {
            confirmed = "yes", penaltyPerson = Full(ComplaintService.MaxName, "人"), penaltyPersonWhat = Full(ComplaintService.MaxShort, "罚"),
            penaltyHead = Full(ComplaintService.MaxName, "主管"), penaltyHeadWhat = Full(ComplaintService.MaxShort, "处罚"),
            signatureMethod = "paper", signatureKeeper = Full(ComplaintService.MaxName, "保管"), feedback = Full(max, "反馈"),
        });
        Assert.Contains("实施结果已记录", Texts(replies));

        replies = await h.PressAsync(Supervisor, h.LastCardTo(Supervisor), "结案", new { summary = Full(max, "总结"), improvement = Full(max, "改善") });
        Assert.Contains($"投诉 {number} 已结案", Texts(replies));

        var c = await h.ComplaintAsync(number);
        Assert.Equal(ComplaintStage.Closed, c.Stage);
        Assert.Equal(Full(max, "经过"), c.WhatHappened);
        Assert.Equal(Full(max, "方案5"), c.Plans[^1].Text);
        Assert.Equal(ComplaintService.MaxPlans, c.Plans.Count);
        // And it still reads as a card for the people who may see it.
        Assert.Contains(number, TurnKit.Text(LastCard(await h.SayAsync(Supervisor, "投诉 " + number))));
    }
}
