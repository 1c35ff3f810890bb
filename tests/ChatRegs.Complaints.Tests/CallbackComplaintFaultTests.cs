using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Complaints;
using ChatRegs.Complaints.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;
using static ChatRegs.Complaints.Tests.Support.ComplaintsHost;

namespace ChatRegs.Complaints.Tests;

/// <summary>
/// A callback whose customer accepted to complain (issue #18): the call is saved, then the
/// complaint registered, in two tables. For every request of the rep's last press, a run where
/// exactly that request fails (not sent, or applied with its answer lost) must end, after the
/// rep presses again if told "not saved" and the call's follow-through job has run, with one
/// call record and exactly one complaint, noted on the record — never none, never two.
/// </summary>
public sealed class CallbackComplaintFaultTests
{
    private const string NotSaved = "没有保存成功";

    private static async Task<(ComplaintsHost Host, StorageFaults Faults, CallbackTask Task, JObjectCard Card)> CallAsync()
    {
        StorageFaults? faults = null;
        var h = await ComplaintsHost.StartAsync(configure: s => faults = StorageFaults.Install(s));
        var served = new DateOnly(2026, 11, 24);
        var task = new CallbackTask
        {
            TenantId = Tenant, Id = CallbackStore.TaskId("13900001111", "洗车", served), CustomerName = "张丽", Title = "ms", Phone = "13900001111", IsMember = true,
            ServiceItem = "洗车", ServiceType = "洗车", ServiceDate = served, DueDate = served.AddDays(3), CustomerTimeZone = "Asia/Shanghai",
            RepId = Rep, RepName = "李娜", AssignedBy = "import", ImportedUtc = Start, ImportedBy = Supervisor,
        };
        await h.Callbacks.AddTasksAsync(Tenant, [task], default);
        var card = LastCard(await h.SubmitAsync(Rep, new { verb = "callbacks.start", taskId = task.Id }));
        card = LastCard(await h.PressAsync(Rep, card, "本人"));
        card = LastCard(await h.PressAsync(Rep, card, "不满意"));
        card = LastCard(await h.PressAsync(Rep, card, "已记录，继续", new { words = "洗完车还有水渍", complaint = "yes" }));
        h.Host.At(Day, 10, 5);
        return (h, faults!, task, new JObjectCard(card));
    }

    private static Task<List<IActivity>> SaveAsync(ComplaintsHost h, JObjectCard card) =>
        h.PressAsync(Rep, card.Card, "结束通话并保存", new { greeting = "holiday", followUp = "yes", followUpNote = "希望重新清洗" });

    public sealed record JObjectCard(Newtonsoft.Json.Linq.JObject Card);

    [Theory]
    [InlineData(StorageFault.BeforeSending)]
    [InlineData(StorageFault.ResponseLost)]
    public async Task The_complaint_of_a_saved_call_is_registered_exactly_once_whichever_request_fails(StorageFault kind)
    {
        int requests;
        {
            var (h, faults, task, card) = await CallAsync();
            await using var _ = h;
            faults.Count();
            var replies = Texts(await SaveAsync(h, card));
            faults.Off();
            requests = faults.Seen;
            Assert.Contains("已为 张丽 登记投诉", replies);
        }
        Assert.True(requests >= 5);

        for (var n = 1; n <= requests; n++)
        {
            var (h, faults, task, card) = await CallAsync();
            await using var _ = h;
            faults.FailAt(n, kind);
            var first = Texts(await SaveAsync(h, card));
            faults.Off();
            var because = $"request {n} of {requests} ({faults.InjectedInto}) failing {kind}";
            Assert.True(faults.Injected, because);
            var records = await h.Callbacks.RecordsOfTaskAsync(Tenant, task.Id, default);
            var notSaved = first.Contains(NotSaved);
            if (notSaved && !first.Contains("回访已保存") && !first.Contains("已为 张丽 登记投诉"))
            {
                Assert.True(records.Count == 0, $"{because}: told \"not saved\" but the call was saved: {first}");
            }
            else
            {
                Assert.True(records.Count == 1, $"{because}: {first}");
            }
            if (notSaved)
            {
                var again = Texts(await SaveAsync(h, card));
                Assert.True(!again.Contains(NotSaved), $"{because}: the retry: {again}");
            }

            // The call's follow-through job (due a minute later) finishes what the turn could not.
            h.Host.At(Day, 10, 8);
            await h.Host.PollJobsAsync();
            var record = Assert.Single(await h.Callbacks.RecordsOfTaskAsync(Tenant, task.Id, default));
            var complaints = (await h.Store.ListAsync(Tenant, default)).Where(c => c.FromCallbackTaskId == task.Id).ToList();
            Assert.True(complaints.Count == 1, $"{because}: {complaints.Count} complaints");
            Assert.True(record.ComplaintId == complaints[0].Number, $"{because}: the record names its complaint");
        }
    }
}
