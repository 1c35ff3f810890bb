using ChatRegs.TestSupport;

namespace ChatRegs.Tests.Turns;

/// <summary>The help card lists every command, what most people do each week first, the office's tools last.</summary>
public class HelpCardTests
{
    [Theory]
    [InlineData("zh-CN", new[] { "签到", "会议", "请假", "周报", "待办", "会议纪要", "投诉", "职责", "新建例会", "督办", "回访", "投诉统计", "角色", "帮助" })]
    [InlineData("en-US", new[] { "check in", "meetings", "leave", "report", "my actions", "minutes", "complaint", "duties", "new meeting", "follow-up", "callbacks", "complaint stats", "roles", "help" })]
    public async Task Everyday_commands_come_first_and_every_feature_is_listed(string locale, string[] inOrder)
    {
        await using var host = await FeatureHost.StartAsync("tenant-help", new DateTimeOffset(2026, 11, 30, 9, 0, 0, FeatureHost.Shanghai));
        var card = Replies.Card(await host.SayAsync("29:someone", locale == "en-US" ? "help" : "帮助", locale));
        var blocks = Replies.TextBlocks(card);

        var positions = inOrder.Select(name => blocks.ToList().FindIndex(b => b == name || b.StartsWith(name + " ", StringComparison.Ordinal) || b.StartsWith("**" + name, StringComparison.Ordinal))).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
    }
}
