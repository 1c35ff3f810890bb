using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Complaints;
using ChatRegs.Callbacks.Tests.Support;
using ChatRegs.TestSupport;
using static ChatRegs.TestSupport.TextAtCap;

namespace ChatRegs.Callbacks.Tests;

/// <summary>
/// A call with every answer at its cap, in Chinese with emoji, from a customer imported with
/// every column at its cap, goes through every step, saves, and hands a complaint over that
/// the rep then completes: no record outgrows what Table Storage takes.
/// </summary>
public sealed class SizeTests
{
    [Fact]
    public async Task A_dissatisfied_call_with_every_answer_at_its_cap_saves_and_its_complaint_goes_on()
    {
        await using var host = await CallbacksHost.StartAsync();
        var name = Full(CallbackImport.MaxName, "张");
        var service = Full(CallbackImport.MaxService, "洗车");
        var served = new DateOnly(2026, 3, 4);
        Assert.DoesNotContain("错误", CallKit.Texts(await host.ImportAsync($"{name},女士,13900001111,否,{service},2026-03-04,李娜")));
        var task = await host.TaskAsync("13900001111", service, served);
        Assert.Equal(name, task.CustomerName);

        var rep = host.Adapter(CallbacksHost.RepA);
        var max = CallbackCallDialog.MaxWords;
        var card = CallKit.LastCard(await host.StartAsync(rep, task.Id));
        card = CallKit.LastCard(await host.PressAsync(rep, card, "本人", new { words = Full(max, "接通") }));
        card = CallKit.LastCard(await host.PressAsync(rep, card, "不满意", new { words = Full(max, "满意度") }));
        card = CallKit.LastCard(await host.PressAsync(rep, card, "已记录，继续", new { words = Full(max, "不满意"), complaint = "yes" }));
        var replies = await host.PressAsync(rep, card, "结束通话并保存",
            new { words = Full(max, "结束"), greeting = "holiday", followUp = "yes", followUpNote = Full(max, "跟进") });
        var texts = CallKit.Texts(replies);
        Assert.Contains("回访已保存：", texts);
        Assert.Contains("已为 ", texts);

        var record = Assert.Single(await host.Store.RecordsOfTaskAsync(CallbacksHost.Tenant, task.Id, default));
        Assert.Equal(Full(max, "不满意"), record.ComplaintWords);
        Assert.Equal(Full(max, "跟进"), record.FollowUpNote);
        Assert.Contains(record.Steps, s => s.Words == Full(max, "接通"));
        Assert.False(string.IsNullOrEmpty(record.ComplaintId));

        // The complaint registered from the call is completed by the rep with its fields at their caps.
        var complaints = host.Get<ComplaintStore>();
        var complaint = (await complaints.ListAsync(CallbacksHost.Tenant, default)).Single();
        Assert.Equal(record.ComplaintId, complaint.Number);
        Assert.Equal(Full(max, "不满意"), complaint.WhatHappened);
        replies = await host.PressAsync(rep, CallKit.LastCard(replies), "完成登记表", new
        {
            complainant = name, title = "ms", contact = "13900001111", receivedDate = "2026-03-05", receivedTime = "10:00", channel = "callback",
            category = "service", what = Full(ComplaintService.MaxText, "经过"), request = Full(ComplaintService.MaxText, "要求"),
        });
        Assert.DoesNotContain("没有保存成功", CallKit.Texts(replies));
        complaint = (await complaints.ListAsync(CallbacksHost.Tenant, default)).Single();
        Assert.Equal(ComplaintStage.Judge, complaint.Stage);
        Assert.Equal(Full(ComplaintService.MaxText, "要求"), complaint.Request);

        // The supervisor's report still reads every record.
        Assert.DoesNotContain("出了点问题", CallKit.Texts(await host.SayAsync(host.Adapter(CallbacksHost.Supervisor), "回访报告")));
    }
}
