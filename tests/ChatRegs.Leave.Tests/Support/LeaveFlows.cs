using System.Text.Json.Nodes;
using static ChatRegs.Leave.Tests.Support.LeaveHost;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.Leave.Tests.Support;

/// <summary>Steps several leave tests take the same way.</summary>
public static class LeaveFlows
{
    /// <summary>Asks for leave from the weekly meeting (with the written summary and plan); returns the request's id.</summary>
    public static async Task<string> AskForWeeklyAsync(LeaveHost host, string userId = People.Wang, string locale = "zh-CN",
        string reason = "周一上午要去医院复查，医生只约到了早上的号。", string type = "sick")
    {
        var target = await host.SayAsync(userId, locale.StartsWith("en") ? "leave" : "请假", locale);
        Assert.Contains(WeeklyKey, Choices(Card(target), "target").Keys);
        await host.SubmitAsync(userId, new JsonObject { ["verb"] = "leave.target", ["target"] = WeeklyKey }, locale);
        var done = await host.SubmitAsync(userId, new JsonObject
        {
            ["verb"] = "leave.submit",
            ["type"] = type,
            ["reason"] = reason,
            ["summary"] = "完成了三号楼验收资料的整理，和监理确认了整改清单。",
            ["plan"] = "下周一提交验收申请，周三前完成全部整改。",
        }, locale);
        var text = ReadableText(done);
        var mine = await host.Store.ListByRequesterAsync(Tenant, userId);
        Assert.True(mine.Count > 0, "Nothing was stored: " + text);
        return mine.OrderByDescending(r => r.SubmittedAt).First().Id;
    }
}
