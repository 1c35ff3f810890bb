using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.People;
using ChatRegs.Minutes.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;

using static ChatRegs.Minutes.Tests.Support.MinutesHost;

namespace ChatRegs.Minutes.Tests;

/// <summary>
/// Minutes reach management ((三)五.3): the office keeps named groups (分组, e.g. 总经理室), a
/// series sends its minutes to people and groups, the office always and the attendees unless
/// turned off; the lateness notice goes to the same recipients.
/// </summary>
public sealed class RecipientsTests
{
    private static async Task UseRecipientsAsync(MinutesHost host, IReadOnlyList<string> recipients, bool toAttendees = true)
    {
        var store = host.Feature.Get<MeetingStore>();
        var series = (await store.GetSeriesAsync(Tenant, "weekly", default))!;
        (await store.UpdateSeriesAsync(series with { MinutesRecipients = recipients, MinutesToAttendees = toAttendees }, default)).OrThrow();
        host.Feature.Get<MeetingCache>().Invalidate(Tenant, "weekly");
    }

    private static string Text(IActivity reply) => reply.AsMessageActivity().Attachments?.Count > 0 ? TurnKit.Text(TurnKit.Card(reply)) : reply.AsMessageActivity().Text;

    [Fact]
    public async Task Only_the_office_keeps_named_groups_even_with_a_forged_card()
    {
        await using var host = await StartAsync();
        Assert.Equal("只有办公室可以做这件事。如需权限，请联系办公室。", Text(Assert.Single(await host.SayAsync(Alice, "分组"))));
        var forged = Assert.Single(await host.SubmitAsync(Alice, new { verb = "groups.save", name = "总经理室", members = Alice }));
        Assert.Equal("只有办公室可以做这件事。如需权限，请联系办公室。", forged.AsMessageActivity().Text);
        Assert.Empty(await host.Feature.Get<NamedGroups>().ListAsync(Tenant, default));
        var en = Assert.Single(await host.SayAsync(Alice, "groups", "en-US"));
        Assert.StartsWith("Only the office", en.AsMessageActivity().Text);
    }

    [Fact]
    public async Task The_office_creates_a_group_after_fixing_the_form_and_changes_its_members()
    {
        await using var host = await StartAsync();
        var card = Text(Assert.Single(await host.SayAsync(Office, "分组")));
        Assert.Contains("还没有分组。", card);

        // Nothing typed, a forged member, a name too long: each message next to its field, nothing saved.
        var bad = await host.SubmitAsync(Office, new { verb = "groups.save", name = "", members = "" });
        var badText = string.Join("\n", bad.Select(Text));
        Assert.Contains("请填写分组名称。", badText);
        Assert.Contains("请至少选择一名成员。", badText);
        var forged = string.Join("\n", (await host.SubmitAsync(Office, new { verb = "groups.save", name = new string('长', 31), members = "29:ceo" })).Select(Text));
        Assert.Contains("分组名称不能超过 30 个字。", forged);
        Assert.Contains("这个人不在名单中，请从列表中选择。", forged);
        Assert.Empty(await host.Feature.Get<NamedGroups>().ListAsync(Tenant, default));

        var saved = string.Join("\n", (await host.SubmitAsync(Office, new { verb = "groups.save", name = "总经理室", members = $"{Gm},{Stranger}" })).Select(Text));
        Assert.Contains("已新建分组“总经理室”（2 人）。", saved);
        Assert.Contains("总经理室、外人", saved);
        var changed = string.Join("\n", (await host.SubmitAsync(Office, new { verb = "groups.save", name = "总经理室", members = Gm })).Select(Text));
        Assert.Contains("已更新分组“总经理室”（1 人）。", changed);
        Assert.Equal([Gm], Assert.Single(await host.Feature.Get<NamedGroups>().ListAsync(Tenant, default)).Members);

        var en = string.Join("\n", (await host.SubmitAsync(Office, new { verb = "groups.save", name = "x", members = "" }, "en-US")).Select(Text));
        Assert.Contains("Choose at least one member.", en);
    }

    [Fact]
    public async Task Minutes_go_to_a_groups_members_and_the_office_and_not_to_attendees_when_turned_off()
    {
        await using var host = await StartAsync();
        await host.SubmitAsync(Office, new { verb = "groups.save", name = "总经理室", members = $"{Stranger}" });
        await UseRecipientsAsync(host, [NamedGroups.Prefix + "总经理室"], toAttendees: false);

        await host.SubmitMinutesAsync();
        // The group's member (not named on the series) and the office get the minutes card with its file.
        Assert.Contains("2026年11月30日 周一 08:30–09:40", TurnKit.Text(host.Feature.CardsTo(Stranger)[0]));
        Assert.Equal(2, host.Feature.CardsTo(Stranger).Count);
        Assert.Contains("《周工作例会》11月30日 周一 的会议纪要已由 陈静 提交", host.Said(Stranger));
        Assert.Contains("《周工作例会》11月30日 周一 的会议纪要已由 陈静 提交", host.Said(Office));
        // Attendees turned off: 王小明 gets only his action item, Lucy nothing.
        Assert.DoesNotContain("会议纪要已由", host.Said(Alice));
        Assert.Single(host.Feature.CardsTo(Alice));
        Assert.Empty(host.Feature.CardsTo(Lucy));
        // Gm is no longer a recipient of this series.
        Assert.Empty(host.Feature.CardsTo(Gm));

        // The group's member may read them with 会议纪要 too; someone in no group may not.
        Assert.Contains("2026年11月30日 周一 08:30–09:40", string.Join("\n", (await host.SayAsync(Stranger, "会议纪要")).Select(Text)));
        Assert.DoesNotContain("08:30–09:40", string.Join("\n", (await host.SayAsync(Gm, "会议纪要")).Select(Text)));
    }

    [Fact]
    public async Task Late_minutes_are_reported_to_the_groups_members_too()
    {
        await using var host = await StartAsync();
        await host.SubmitAsync(Office, new { verb = "groups.save", name = "总经理室", members = $"{Stranger}" });
        await UseRecipientsAsync(host, [NamedGroups.Prefix + "总经理室"]);
        await host.SayAsync(Alice, "待办"); // the tenant's daily run is scheduled on first use
        host.Feature.At(new DateOnly(2026, 12, 3), 9);
        await host.RunDailyAsync();
        Assert.Equal("《周工作例会》（11月30日 周一 08:30–09:30）的会议纪要已逾期：应于 12月2日 周三 前提交，记录员 陈静 尚未提交。", host.Said(Stranger));
        // Attendees hear nothing of the lateness (it is for management).
        Assert.Equal("", host.Said(Alice));
    }
}
