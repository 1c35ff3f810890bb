using System.Text.Json.Nodes;
using ChatRegs.Bot.Leave;
using ChatRegs.Leave.Tests.Support;
using static ChatRegs.Leave.Tests.Support.LeaveHost;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.Leave.Tests;

/// <summary>
/// The card-action base answers before a leave handler runs: a made-up request id, a real id
/// pressed from another tenant (the card even naming this one), and a person who is not the
/// approver each get their answer, and the request, its history and everyone's chats stay as they were.
/// </summary>
public sealed class CardActionRefusalTests
{
    private const string OtherTenant = "tenant-leave-other";

    [Theory]
    [InlineData("zh-CN", "找不到这条请假申请，卡片可能已经失效。", "只有这条请假的审批人可以审批。你的操作已被拒绝并记录，请假没有任何变化。", "只有申请人本人可以撤回这条请假。")]
    [InlineData("en-US", "This leave request cannot be found; the card may be out of date.", "Only the approver of this leave request can decide it. Your attempt was refused and logged; nothing changed.", "Only the requester can withdraw this leave request.")]
    public async Task A_forged_id_another_tenants_press_and_a_person_without_the_role_change_nothing(string locale, string notFound, string notApprover, string notRequester)
    {
        await using var host = await LeaveHost.StartAsync();
        var id = await LeaveFlows.AskForWeeklyAsync(host);
        var before = (await host.Store.GetAsync(Tenant, id))!;
        var hostChat = host.Connector.PostedTo(Chat(People.Host)).Count;

        // A made-up id, from the approver himself.
        var forged = await host.ExecuteAsync(People.Host, "leave.approve", new JsonObject { ["id"] = "20261130-zzzzzzzzzz", ["comment"] = "同意" }, locale);
        Assert.Equal(notFound, InvokeMessage(forged));

        // The real id, pressed by the same user id signed in to another tenant; the card's data names this tenant.
        var foreign = host.Feature.Activity(People.Host, locale, "invoke");
        foreign["conversation"]!["tenantId"] = OtherTenant;
        foreign["channelData"]!["tenant"]!["id"] = OtherTenant;
        foreign["name"] = "adaptiveCard/action";
        foreign["value"] = new JsonObject
        {
            ["action"] = new JsonObject
            {
                ["type"] = "Action.Execute",
                ["verb"] = "leave.approve",
                ["data"] = new JsonObject { ["id"] = id, ["tenantId"] = Tenant, ["tenant"] = Tenant, ["comment"] = "同意" },
            },
            ["trigger"] = "manual",
        };
        var response = await host.Feature.SendAsync(foreign);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(notFound, InvokeMessage(JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject()));

        // The requester has no say over his own request, by Execute or by Submit; nor may he withdraw someone else's.
        Assert.Equal(notApprover, InvokeMessage(await host.ExecuteAsync(People.Wang, "leave.reject", new JsonObject { ["id"] = id, ["comment"] = "no" }, locale)));
        Assert.Equal(notApprover, ReadableText(await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.approve", ["id"] = id }, locale)));
        Assert.Equal(notRequester, InvokeMessage(await host.ExecuteAsync(People.Zhao, "leave.withdraw", new JsonObject { ["id"] = id }, locale)));

        var after = (await host.Store.GetAsync(Tenant, id))!;
        Assert.Equal(LeaveStatus.Pending, after.Status);
        Assert.Equal(before.ETag, after.ETag);
        Assert.Single(await host.Store.HistoryAsync(Tenant, id));
        Assert.Empty(host.Connector.PostedTo(Chat(People.Wang)));
        Assert.Equal(hostChat, host.Connector.PostedTo(Chat(People.Host)).Count);
        Assert.Empty(host.Connector.UpdatedIn(Chat(People.Host)));
    }
}
