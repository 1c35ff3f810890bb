using ChatRegs.Bot.Suggestions;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;

namespace ChatRegs.Suggestions.Tests;

/// <summary>
/// A personal flow started in a group chat runs in the person's 1:1 chat: the group is only told
/// so, and nothing the person types (or the form's content) is posted to the group.
/// </summary>
public sealed class GroupChatFlowTests
{
    private const string Group = "19:team-chat@thread.v2";

    [Fact]
    public async Task Suggest_in_a_group_moves_to_the_1to1_chat_and_nothing_personal_reaches_the_group()
    {
        await using var host = await FeatureHost.StartAsync("tenant-g", new DateTimeOffset(2026, 11, 30, 9, 0, 0, FeatureHost.Shanghai));
        await host.PersonAsync("29:a", "王小明");
        await host.PersonAsync("29:b", "李娜");
        await host.KnowChatAsync(Group, "29:a", "王小明", "groupChat");
        var inGroupA = host.Adapter("29:a", conversationId: Group, conversationType: "groupChat");
        var inGroupB = host.Adapter("29:b", conversationId: Group, conversationType: "groupChat");

        var groupReplies = new List<IActivity>();
        var said = await host.SayAsync(inGroupA, "建议");
        groupReplies.AddRange(said);
        Assert.Equal("这个操作包含个人内容，我已在和你的私聊中发给你，请在私聊里继续。", Assert.Single(said).AsMessageActivity().Text);
        Assert.Contains("建议标题", host.ReadableTo("29:a"));

        // Someone else in the group typing an answer or 取消 reaches nobody's flow.
        groupReplies.AddRange(await host.SayAsync(inGroupB, "周会材料提前发"));
        var cancel = await host.SayAsync(inGroupB, "取消");
        groupReplies.AddRange(cancel);
        Assert.Equal("当前没有进行中的操作。", Assert.Single(cancel).AsMessageActivity().Text);

        // The person carries on in private, form included.
        var form = await host.SayAsync("29:a", "周会材料提前发");
        Assert.Contains("周会材料提前发", TurnKit.Text(TurnKit.Card(Assert.Single(form))));
        var done = await host.SubmitAsync("29:a", new { verb = SuggestionDialog.SubmitVerb, details = "王小明的私人建议：周会材料提前一天发到群里。", department = "", benefit = "" });
        Assert.Contains("已收到你的合理化建议“周会材料提前发”", Assert.Single(done).AsMessageActivity().Text);

        // The group saw neither the title prompt's flow content nor the details.
        var groupText = string.Join("\n", groupReplies.Select(r => r.AsMessageActivity().Text + string.Join("", r.AsMessageActivity().Attachments?.Select(a => a.Content?.ToString()) ?? [])))
            + string.Join("\n", host.Connector.To(Group).Select(c => c.ReadableText));
        Assert.DoesNotContain("私人建议", groupText);
        Assert.DoesNotContain("建议标题", groupText);
    }

    [Fact]
    public async Task Two_people_in_one_group_each_continue_their_own_flow_and_never_answer_the_other()
    {
        await using var host = await FeatureHost.StartAsync("tenant-g", new DateTimeOffset(2026, 11, 30, 9, 0, 0, FeatureHost.Shanghai));
        await host.PersonAsync("29:a", "王小明");
        await host.PersonAsync("29:b", "李娜");
        await host.KnowChatAsync(Group, "29:a", "王小明", "groupChat");
        var inGroupA = host.Adapter("29:a", conversationId: Group, conversationType: "groupChat");
        var inGroupB = host.Adapter("29:b", conversationId: Group, conversationType: "groupChat");

        // Both start at the same time in the group, turns interleaved: each flow goes to its own 1:1 chat.
        // Sending into two chats at once is paced on the (fake) clock: drive it.
        var started = await host.DriveAsync(Task.WhenAll(host.SayAsync(inGroupA, "建议"), host.SayAsync(inGroupB, "建议")));
        Assert.All(started, r => Assert.Equal("这个操作包含个人内容，我已在和你的私聊中发给你，请在私聊里继续。", Assert.Single(r).AsMessageActivity().Text));
        Assert.Contains("建议标题", host.ReadableTo("29:a"));
        Assert.Contains("建议标题", host.ReadableTo("29:b"));

        // Interleaved answers: each reaches only its own flow.
        var formA = await host.SayAsync("29:a", "A 的标题：会议室预约");
        var formB = await host.SayAsync("29:b", "B 的标题：报销流程");
        var cardA = TurnKit.Text(TurnKit.Card(Assert.Single(formA)));
        var cardB = TurnKit.Text(TurnKit.Card(Assert.Single(formB)));
        Assert.Contains("会议室预约", cardA);
        Assert.DoesNotContain("报销流程", cardA);
        Assert.Contains("报销流程", cardB);
        Assert.DoesNotContain("会议室预约", cardB);

        // Typing in the group answers nobody's prompt.
        var cancel = await host.SayAsync(inGroupA, "取消");
        Assert.Equal("当前没有进行中的操作。", Assert.Single(cancel).AsMessageActivity().Text);

        var doneB = await host.SubmitAsync("29:b", new { verb = SuggestionDialog.SubmitVerb, details = "李娜的建议：报销单据每周五统一交到财务。", department = "", benefit = "" });
        Assert.Contains("已收到你的合理化建议“B 的标题：报销流程”", Assert.Single(doneB).AsMessageActivity().Text);
        var doneA = await host.SubmitAsync("29:a", new { verb = SuggestionDialog.SubmitVerb, details = "王小明的建议：会议室改为在线预约，避免冲突。", department = "", benefit = "" });
        Assert.Contains("已收到你的合理化建议“A 的标题：会议室预约”", Assert.Single(doneA).AsMessageActivity().Text);
    }

    [Theory]
    [InlineData(System.Net.HttpStatusCode.Forbidden)]  // the app is not installed for the person: no retry
    [InlineData(System.Net.HttpStatusCode.BadGateway)] // Teams keeps failing: retried with backoff on the (fake) clock, then given up
    public async Task A_personal_flow_in_a_group_when_the_1to1_chat_cannot_be_created_says_so_in_the_group(System.Net.HttpStatusCode status)
    {
        await using var host = await FeatureHost.StartAsync("tenant-g", new DateTimeOffset(2026, 11, 30, 9, 0, 0, FeatureHost.Shanghai));
        await host.PersonAsync("29:a", "王小明");
        await host.KnowChatAsync(Group, "29:a", "王小明", "groupChat");
        // 29:c is in the group but the bot has no 1:1 chat with them, and Teams refuses to create one.
        host.Connector.RefuseCreate["29:c"] = status;
        var inGroupC = host.Adapter("29:c", conversationId: Group, conversationType: "groupChat");

        // The connector's retries wait on the fake clock: drive it (awaiting the turn alone would wait forever).
        var replies = await host.DriveAsync(host.SayAsync(inGroupC, "建议"));
        Assert.Equal("这个操作包含个人内容，只能在和我的私聊中进行，但我现在无法给你发私聊。请点开我的头像打开私聊，在那里发送同样的命令。", Assert.Single(replies).AsMessageActivity().Text);
        Assert.Empty(host.Connector.To(FeatureHost.ChatOf("29:c")));

        // Nothing was left waiting in the group for them: their next message there is not taken as an answer.
        var cancel = await host.SayAsync(inGroupC, "取消");
        Assert.Equal("当前没有进行中的操作。", Assert.Single(cancel).AsMessageActivity().Text);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Theory]
    [InlineData("groupChat", "建议")]
    [InlineData("channel", "周报")]
    public async Task A_personal_flow_in_a_shared_chat_when_Teams_cannot_be_reached_says_so_without_an_error(string conversationType, string command)
    {
        await using var host = await FeatureHost.StartAsync("tenant-g", new DateTimeOffset(2026, 11, 30, 9, 0, 0, FeatureHost.Shanghai));
        await host.PersonAsync("29:a", "王小明", team: "综合部");
        await host.KnowChatAsync(Group, "29:a", "王小明", conversationType);
        // The bot knows the 1:1 chat, but posting there fails on the network (connection refused, timeout).
        host.Connector.Unreachable[FeatureHost.ChatOf("29:a")] = true;
        var inGroup = host.Adapter("29:a", conversationId: Group, conversationType: conversationType);

        var replies = await host.DriveAsync(host.SayAsync(inGroup, command));
        Assert.Equal("这个操作包含个人内容，只能在和我的私聊中进行，但我现在无法给你发私聊。请点开我的头像打开私聊，在那里发送同样的命令。", Assert.Single(replies).AsMessageActivity().Text);
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);

        // Reachable again: the same command starts the flow in private.
        host.Connector.Unreachable.Clear();
        var again = await host.DriveAsync(host.SayAsync(inGroup, command));
        Assert.Equal("这个操作包含个人内容，我已在和你的私聊中发给你，请在私聊里继续。", Assert.Single(again).AsMessageActivity().Text);
    }
}
