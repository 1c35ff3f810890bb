using ChatRegs.Bot.People;
using ChatRegs.TestSupport;

namespace ChatRegs.Tests.Turns;

/// <summary>
/// The help card lists what most people do each week first and the office's tools last, and
/// only the commands the person's roles allow.
/// </summary>
public class HelpCardTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, FeatureHost.Shanghai);

    private static List<int> Positions(IReadOnlyList<string> blocks, IEnumerable<string> names) =>
        names.Select(name => blocks.ToList().IndexOf(name)).ToList();

    [Theory]
    [InlineData("zh-CN", new[] { "签到", "会议", "请假", "周报", "待办", "会议纪要", "投诉", "职责", "新建例会", "督办", "回访", "投诉统计", "角色", "帮助" })]
    [InlineData("en-US", new[] { "check in", "meetings", "leave", "report", "my actions", "minutes", "complaint", "duties", "new meeting", "follow-up", "callbacks", "complaint stats", "roles", "help" })]
    public async Task Someone_with_every_role_sees_every_command_everyday_ones_first(string locale, string[] inOrder)
    {
        await using var host = await FeatureHost.StartAsync("tenant-help", Now);
        await host.PersonAsync("29:all", "周敏", locale, roles: [Roles.Office, Roles.Manager, Roles.CsSupervisor, Roles.CsRep]);
        var blocks = Replies.TextBlocks(Replies.Card(await host.SayAsync("29:all", locale == "en-US" ? "help" : "帮助", locale)));

        var positions = Positions(blocks, inOrder);
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
    }

    [Fact]
    public async Task An_employee_is_not_shown_the_office_and_customer_service_tools()
    {
        await using var host = await FeatureHost.StartAsync("tenant-help", Now);
        await host.PersonAsync("29:emp", "王小明");
        var blocks = Replies.TextBlocks(Replies.Card(await host.SayAsync("29:emp", "帮助")));

        Assert.DoesNotContain(-1, Positions(blocks, ["签到", "请假", "周报", "会议纪要", "待办", "投诉", "职责", "督办", "帮助"]));
        foreach (var tool in new[] { "角色", "角色记录", "分组", "请假记录", "新建例会", "回访", "导入回访", "回访报告", "回访话术", "投诉统计" })
        {
            Assert.DoesNotContain(tool, blocks);
        }
        Assert.Contains(blocks, b => b.Contains("需要其他权限请联系办公室"));
    }

    [Fact]
    public async Task A_customer_service_rep_sees_their_callbacks_but_not_the_supervisors_tools()
    {
        await using var host = await FeatureHost.StartAsync("tenant-help", Now);
        await host.PersonAsync("29:rep", "李娜", onDuty: true, roles: Roles.CsRep);
        var blocks = Replies.TextBlocks(Replies.Card(await host.SayAsync("29:rep", "帮助")));

        Assert.Contains("回访", blocks);
        Assert.DoesNotContain("导入回访", blocks);
        Assert.DoesNotContain("回访报告", blocks);
    }

    [Fact]
    public async Task In_a_group_chat_the_card_everyone_reads_lists_what_everyone_may_use_whoever_asked()
    {
        await using var host = await FeatureHost.StartAsync("tenant-help", Now);
        await host.PersonAsync("29:office", "周敏", roles: Roles.Office);
        var group = host.Adapter("29:office", conversationId: "19:group-help@thread.v2", conversationType: "groupChat");
        var blocks = Replies.TextBlocks(Replies.Card(await host.SayAsync(group, "帮助")));

        Assert.Contains("签到", blocks);
        Assert.DoesNotContain("角色", blocks);
        Assert.DoesNotContain("请假记录", blocks);
        // In the office's own chat, the office's tools are there.
        Assert.Contains("角色", Replies.TextBlocks(Replies.Card(await host.SayAsync("29:office", "帮助"))));
    }
}
