using ChatRegs.Bot.People;
using ChatRegs.TestSupport;

namespace ChatRegs.Tests.Turns;

/// <summary>
/// A turn's conversation state belongs to its tenant: an activity of another tenant that names the
/// same conversation (and the same user id) reaches none of the flow a person left waiting there —
/// it neither sees it (its prompt, its form with what they typed) nor answers or cancels it.
/// </summary>
public class TenantStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 0, 0, FeatureHost.Shanghai);

    [Theory]
    [InlineData("zh-CN", "建议", "帮助", "一句话写下你的建议标题", "取消", "当前没有进行中的操作。")]
    [InlineData("en-US", "suggest", "help", "one-line title", "cancel", "There is nothing in progress to cancel.")]
    public async Task Another_tenant_naming_the_same_1to1_chat_does_not_reach_the_persons_flow(string locale, string start, string help, string prompt, string cancel, string nothing)
    {
        await using var host = await FeatureHost.StartAsync("tenant-own", Now);
        const string user = "29:ann";
        await host.PersonAsync(user, "王小明", locale);
        Assert.Contains(prompt, Replies.All(await host.SayAsync(user, start, locale)));

        var forged = host.Bot.CreateAdapter(FeatureHost.ChatOf(user), user, "tenant-other", locale);
        var seen = Replies.All(await host.SayAsync(forged, help));
        Assert.DoesNotContain(prompt, seen);
        Assert.Equal(nothing, Replies.All(await host.SayAsync(forged, cancel)));

        // The person's flow still waits for their answer.
        Assert.Contains(prompt, Replies.All(await host.SayAsync(user, help, locale)));
    }

    [Fact]
    public async Task Another_tenant_naming_the_same_group_chat_and_user_cannot_cancel_the_persons_flow()
    {
        await using var host = await FeatureHost.StartAsync("tenant-own", Now);
        const string office = "29:office", group = "19:group-1@thread.v2";
        await host.PersonAsync(office, "陈静", roles: Roles.Office);
        var own = host.Adapter(office, conversationId: group, conversationType: "groupChat");
        Assert.Contains("新建例会", Replies.All(await host.SayAsync(own, "新建例会")));

        var forged = host.Bot.CreateAdapter(group, office, "tenant-other", "zh-CN", "groupChat");
        Assert.Equal("当前没有进行中的操作。", Replies.All(await host.SayAsync(forged, "取消")));

        Assert.Equal("已取消。", Replies.All(await host.SayAsync(own, "取消")));
    }
}
