using System.Text.Json.Nodes;
using ChatRegs.Bot.Leave;
using ChatRegs.Leave.Tests.Support;
using static ChatRegs.Leave.Tests.Support.LeaveHost;
using static ChatRegs.TestSupport.JsonReplies;
using static ChatRegs.TestSupport.TextAtCap;

namespace ChatRegs.Leave.Tests;

/// <summary>A leave request with every field at its cap, in Chinese with emoji, is saved, approved with the longest comment, and reads back whole.</summary>
public sealed class SizeTests
{
    [Fact]
    public async Task A_leave_request_at_every_cap_is_saved_and_approved_with_the_longest_comment()
    {
        await using var host = await LeaveHost.StartAsync();
        var options = new LeaveOptions();
        var reason = Full(options.MaxReasonLength, "请假");
        var summary = Full(options.MaxWorkTextLength, "本周");
        var plan = Full(options.MaxWorkTextLength, "下周");
        await host.SayAsync(People.Wang, "请假");
        await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.target", ["target"] = WeeklyKey });
        var done = await host.SubmitAsync(People.Wang, new JsonObject
        {
            ["verb"] = "leave.submit", ["type"] = "sick", ["reason"] = reason, ["summary"] = summary, ["plan"] = plan,
        });
        Assert.StartsWith("已提交请假申请", ReadableText(done));
        var id = Assert.Single(await host.Store.ListByRequesterAsync(Tenant, People.Wang)).Id;
        var request = (await host.Store.GetAsync(Tenant, id))!;
        Assert.Equal(reason, request.Reason);
        Assert.Equal(summary, request.WorkSummary);
        Assert.Equal(plan, request.WorkPlan);

        var comment = Full(options.MaxCommentLength, "批准");
        var sent = host.Connector.PostedTo(Chat(People.Host)).Last();
        var decided = CardText(InvokeCard(await host.ExecuteAsync(People.Host, "leave.approve", new JsonObject { ["id"] = id, ["comment"] = comment }, replyToId: sent.MessageId)));
        Assert.DoesNotContain("没有保存成功", decided);
        var stored = (await host.Store.GetAsync(Tenant, id))!;
        Assert.Equal(LeaveStatus.Approved, stored.Status);
        Assert.Equal(comment, stored.Comment);
        Assert.Equal(comment, (await host.Store.HistoryAsync(Tenant, id))[^1].Comment);
    }
}
