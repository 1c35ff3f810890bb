using ChatRegs.Bot.Suggestions;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;

namespace ChatRegs.Tests.Suggestions;

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
}
