using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Complaints;
using ChatRegs.Complaints.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;
using static ChatRegs.Complaints.Tests.Support.ComplaintsHost;

namespace ChatRegs.Complaints.Tests;

/// <summary>From an unsatisfied callback to a complaint (the call's details filled in), and from the closed complaint back to a follow-up callback.</summary>
public sealed class CallbackHandOverTests
{
    private static async Task<CallbackTask> TaskAsync(ComplaintsHost h)
    {
        var served = new DateOnly(2026, 11, 24);
        var task = new CallbackTask
        {
            TenantId = Tenant,
            Id = CallbackStore.TaskId("13900001111", "洗车", served),
            CustomerName = "张丽",
            Title = "ms",
            Phone = "13900001111",
            IsMember = true,
            ServiceItem = "洗车",
            ServiceType = "洗车",
            ServiceDate = served,
            DueDate = served.AddDays(3),
            CustomerTimeZone = "Asia/Shanghai",
            RepId = Rep,
            RepName = "李娜",
            AssignedBy = "import",
            ImportedUtc = Start,
            ImportedBy = Supervisor,
        };
        await h.Callbacks.AddTasksAsync(Tenant, [task], default);
        return task;
    }

    [Fact]
    public async Task A_customer_who_wants_to_complain_on_a_callback_becomes_a_complaint_the_rep_completes_and_closing_it_queues_a_follow_up_call()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var task = await TaskAsync(h);

        // The call, as the rep makes it.
        var card = LastCard(await h.SubmitAsync(Rep, new { verb = "callbacks.start", taskId = task.Id }));
        card = LastCard(await h.PressAsync(Rep, card, "本人"));
        card = LastCard(await h.PressAsync(Rep, card, "不满意"));
        card = LastCard(await h.PressAsync(Rep, card, "已记录，继续", new { words = "洗完车还有水渍", complaint = "yes" }));
        h.Host.At(Day, 10, 5);
        var replies = await h.PressAsync(Rep, card, "结束通话并保存", new { greeting = "holiday", followUp = "yes", followUpNote = "希望重新清洗" });

        // Registered from the call, and the form sent to complete it (no dialog started).
        const string number = "TS-20261126-001";
        Assert.Contains($"已为 张丽 登记投诉 {number}（投诉受理），请在 2026-11-26 12:05 前补全下面的登记表。", Texts(replies));
        var form = LastCard(replies);
        Assert.Equal($"顾客投诉登记表 {number}", Replies.TextBlocks(form)[0]);
        Assert.Contains("来自回访：洗车 · 受理人：李娜", Replies.TextBlocks(form));
        Assert.Equal("张丽", (string?)TurnKit.Input(form, "complainant")["value"]);
        Assert.Equal("13900001111", (string?)TurnKit.Input(form, "contact")["value"]);
        Assert.Equal("callback", (string?)TurnKit.Input(form, "channel")["value"]);
        Assert.Equal("洗完车还有水渍", (string?)TurnKit.Input(form, "what")["value"]);
        Assert.Equal("希望重新清洗", (string?)TurnKit.Input(form, "request")["value"]);
        var record = Assert.Single(await h.Callbacks.RecordsOfTaskAsync(Tenant, task.Id, default));
        Assert.Equal(number, record.ComplaintId);
        var c = await h.ComplaintAsync(number);
        Assert.Equal((ComplaintStage.Intake, Rep, task.Id, "洗车"), (c.Stage, c.OwnerId, c.FromCallbackTaskId, c.ServiceItem));
        Assert.Equal(["李娜:fromCallback"], await h.EventsAsync(number));
        // The next message is an ordinary command, not an answer to a dialog.
        Assert.Contains(number, TurnKit.Text(LastCard(await h.SayAsync(Rep, "投诉 列表"))));

        // Completing: the category is still missing.
        replies = await h.PressAsync(Rep, form, "完成登记表", new { category = "" });
        Assert.Contains("请选择一项。", Replies.TextBlocks(LastCard(replies)));
        Assert.Equal(ComplaintStage.Intake, (await h.ComplaintAsync(number)).Stage);
        replies = await h.PressAsync(Rep, LastCard(replies), "完成登记表", new { category = "quality" });
        Assert.Contains($"登记表已完成：投诉 {number} 已交客服主管判定", Texts(replies));
        Assert.Contains($"投诉 {number} 到了你这一步：投诉判定", TurnKit.Text(h.LastCardTo(Supervisor)));

        // Closed (not founded, answered tactfully): a follow-up callback for the rep on duty.
        h.Host.At(Day, 11);
        await h.PressAsync(Supervisor, h.LastCardTo(Supervisor), "提交判定", Unfounded("水渍是雨水所致，已向顾客说明"));
        var followUp = (await h.Callbacks.ListTasksAsync(Tenant, openOnly: true, default)).Single();
        Assert.Equal(("张丽", "ms", "13900001111", "洗车", Rep, "complaint:" + number), (followUp.CustomerName, followUp.Title, followUp.Phone, followUp.ServiceItem, followUp.RepId, followUp.ImportedBy));
        Assert.Equal((Day, Day.AddDays(3)), (followUp.ServiceDate, followUp.DueDate));
        Assert.Equal(followUp.Id, (await h.ComplaintAsync(number)).FollowUpTaskId);
        // It is in the rep's queue like any callback.
        Assert.Contains("张丽", TurnKit.Text(LastCard(await h.SayAsync(Rep, "回访"))));
    }

    [Fact]
    public async Task Asking_for_the_same_follow_up_twice_adds_one_task()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var service = h.Host.Get<CallbackService>();
        var a = await service.AddFollowUpAsync(Tenant, "张丽", "ms", "13900001111", "洗车", Day, "TS-20261126-001", default);
        var b = await service.AddFollowUpAsync(Tenant, "张丽", "ms", "13900001111", "洗车", Day, "TS-20261126-001", default);
        var other = await service.AddFollowUpAsync(Tenant, "张丽", "ms", "13900001111", "洗车", Day, "TS-20261126-002", default);
        Assert.Equal(a.Id, b.Id);
        Assert.NotEqual(a.Id, other.Id);
        Assert.Equal(2, (await h.Callbacks.ListTasksAsync(Tenant, openOnly: false, default)).Count);
        // Balanced like imported tasks: the only rep on duty.
        Assert.Equal((Rep, "auto"), (a.RepId, a.AssignedBy));
    }
}
