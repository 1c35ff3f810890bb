using System.Text.Json.Nodes;
using ChatRegs.Bot.Meetings;
using ChatRegs.Leave.Tests.Support;
using static ChatRegs.Leave.Tests.Support.LeaveHost;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.Leave.Tests;

/// <summary>
/// (一)6.1, (四)第八条: someone on leave from the weekly meeting hands this week's summary and next
/// week's plan to the meeting's host. When the leave approver is someone else, the host gets them
/// in their 1:1 chat, in their language, once the leave is approved — once, and not if rejected.
/// </summary>
public sealed class HostHandoverTests
{
    private const string Key = "dept@202611301000";

    private static async Task<string> AskAsync(LeaveHost host)
    {
        await host.AddSeriesAsync("dept", "工程部周例会", MeetingSchedule.WeeklyOn(new(10, 0), new(11, 0), DayOfWeek.Monday), [People.Wang, People.Amy], leaveApprover: People.Li);
        await host.SayAsync(People.Wang, "请假");
        await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.target", ["target"] = Key });
        await host.SubmitAsync(People.Wang, new JsonObject
        {
            ["verb"] = "leave.submit", ["type"] = "business", ["reason"] = "周一要去工地配合监理验收，上午回不来。",
            ["summary"] = "完成了三号楼验收资料的整理。", ["plan"] = "下周三前完成全部整改。",
        });
        return Assert.Single(await host.Store.ListByRequesterAsync(Tenant, People.Wang)).Id;
    }

    private static List<string> ToHost(LeaveHost host) =>
        host.Connector.PostedTo(Chat(People.Host)).Select(c => c.Text ?? "").Where(t => t.Contains("本周工作总结", StringComparison.Ordinal)).ToList();

    [Fact]
    public async Task Approved_leave_hands_the_summary_and_plan_to_the_host_once()
    {
        await using var host = await LeaveHost.StartAsync();
        var id = await AskAsync(host);
        Assert.Empty(ToHost(host));

        await host.ExecuteAsync(People.Li, "leave.approve", new JsonObject { ["id"] = id });
        await host.ExecuteAsync(People.Li, "leave.approve", new JsonObject { ["id"] = id });

        var handed = Assert.Single(ToHost(host));
        Assert.Contains("王小明 请假不参加 工程部周例会", handed);
        Assert.Contains("本周工作总结：完成了三号楼验收资料的整理。", handed);
        Assert.Contains("下周工作计划：下周三前完成全部整改。", handed);
    }

    [Fact]
    public async Task Rejected_leave_hands_nothing_to_the_host()
    {
        await using var host = await LeaveHost.StartAsync();
        var id = await AskAsync(host);

        await host.ExecuteAsync(People.Li, "leave.reject", new JsonObject { ["id"] = id, ["comment"] = "验收改到下午了，请参加例会。" });

        Assert.Empty(ToHost(host));
    }
}
