using ChatRegs.Bot.Meetings.Minutes;
using ChatRegs.Minutes.Tests.Support;
using ChatRegs.TestSupport;
using Newtonsoft.Json.Linq;

using static ChatRegs.Minutes.Tests.Support.MinutesHost;

namespace ChatRegs.Minutes.Tests;

/// <summary>The owner's updates (in progress / done / blocked, with a note), who may make them, and the 待办 / 督办 lists.</summary>
public sealed class ActionItemTests
{
    private static async Task<(MinutesHost Host, ActionItem Item)> WithItemAsync()
    {
        var host = await StartAsync();
        await host.SubmitMinutesAsync();
        return (host, (await host.ItemsAsync()).Single());
    }

    [Fact]
    public async Task The_owner_reports_progress_with_a_note_and_it_is_kept_with_who_and_when()
    {
        var (host, item) = await WithItemAsync();
        await using var _ = host;
        var card = Replies.Card(await host.SubmitAsync(Alice, new { verb = "actions.update", item = item.Id, status = "InProgress", note = "已清理一半" }));
        Assert.Contains("已更新为“进行中”。", TurnKit.Text(card));
        Assert.Contains("进行中（已清理一半）", TurnKit.Text(card));

        host.Feature.Clock.Advance(TimeSpan.FromDays(1));
        await host.Feature.DriveAsync(host.SubmitAsync(Alice, new { verb = "actions.update", item = item.Id, status = "Done", note = "已全部清理" }));
        var stored = (await host.ItemsAsync()).Single();
        Assert.Equal(ActionItemStatus.Done, stored.Status);
        Assert.Equal("已全部清理", stored.Note);
        Assert.Equal([ActionItemStatus.Open, ActionItemStatus.InProgress, ActionItemStatus.Done], stored.History.Select(h => h.Status));
        Assert.Equal("王小明", stored.History[^1].ByName);
        Assert.InRange(stored.History[^1].At, new DateTimeOffset(2026, 12, 1, 10, 0, 0, FeatureHost.Shanghai), new DateTimeOffset(2026, 12, 1, 10, 1, 0, FeatureHost.Shanghai));
        // The host hears that it is done.
        Assert.Contains("王小明 更新了督办事项“完成消防通道清理”：已完成（已全部清理）", host.Said(Host));
        // Done is final.
        var closed = Replies.Card(await host.SubmitAsync(Alice, new { verb = "actions.update", item = item.Id, status = "Blocked", note = "x" }));
        Assert.Contains("这项督办事项的状态是“已完成”，不能再更新。", TurnKit.Text(closed));
        Assert.Equal(ActionItemStatus.Done, (await host.ItemsAsync()).Single().Status);
    }

    [Fact]
    public async Task A_blocked_item_needs_its_reason_and_a_status_must_be_chosen()
    {
        var (host, item) = await WithItemAsync();
        await using var _ = host;
        var card = Replies.Card(await host.SubmitAsync(Alice, new { verb = "actions.update", item = item.Id, status = "Blocked", note = "" }));
        Assert.Contains("受阻时请写明原因。", Replies.TextBlocks(card));
        var none = Replies.Card(await host.SubmitAsync(Alice, new { verb = "actions.update", item = item.Id, status = "", note = "在办" }));
        Assert.Contains("请选择进展状态。", Replies.TextBlocks(none));
        // The note typed is kept.
        Assert.Equal("在办", (string?)none.Descendants().OfType<JObject>().Single(o => (string?)o["id"] == "note")["value"]);
        var en = Replies.Card(await host.SubmitAsync(Alice, new { verb = "actions.update", item = item.Id, status = "Done", note = "" }, "en-US"));
        Assert.Contains("Write a note on the progress.", Replies.TextBlocks(en));
        Assert.Equal(ActionItemStatus.Open, (await host.ItemsAsync()).Single().Status);
    }

    [Fact]
    public async Task Only_the_owner_or_the_host_updates_an_item()
    {
        var (host, item) = await WithItemAsync();
        await using var _ = host;
        Assert.Contains("只有这项督办事项的负责人或会议主持人可以更新它。",
            Replies.All(await host.SubmitAsync(Zhao, new { verb = "actions.update", item = item.Id, status = "Done", note = "我替他做了" })));
        Assert.Contains("只有这项督办事项的负责人或会议主持人可以更新它。",
            Replies.All(await host.SubmitAsync(Recorder, new { verb = "actions.update", item = item.Id, status = "Done", note = "x" })));
        Assert.Equal(ActionItemStatus.Open, (await host.ItemsAsync()).Single().Status);

        await host.SubmitAsync(Host, new { verb = "actions.update", item = item.Id, status = "Blocked", note = "等待物业配合" });
        var stored = (await host.ItemsAsync()).Single();
        Assert.Equal(ActionItemStatus.Blocked, stored.Status);
        Assert.Equal("张伟", stored.History[^1].ByName);
    }

    [Fact]
    public async Task My_actions_lists_mine_and_follow_up_lists_the_series_for_host_and_office()
    {
        var (host, item) = await WithItemAsync();
        await using var _ = host;
        var mine = Replies.Card(await host.SayAsync(Alice, "待办"));
        Assert.Contains("我的待办", TurnKit.Text(mine));
        Assert.Contains("完成消防通道清理", TurnKit.Text(mine));
        Assert.Contains("共 1 项未完成，其中 0 项已逾期。", TurnKit.Text(mine));
        // The list's button opens the item with the update inputs.
        var opened = Replies.Card(await host.SubmitAsync(Alice, Replies.Button(mine, "查看/更新")));
        Assert.Equal(["提交进展"], Replies.Buttons(opened));

        Assert.Contains("你没有未完成的督办事项。", Replies.All(await host.SayAsync(Zhao, "待办")));
        Assert.Contains("You have no open action items.", Replies.All(await host.SayAsync(Lucy, "my actions")));

        foreach (var who in new[] { Host, Office })
        {
            var list = TurnKit.Text(Replies.Card(await host.SayAsync(who, "督办")));
            Assert.Contains("督办：周工作例会", list);
            Assert.Contains("负责人：王小明", list);
        }
        Assert.Contains("只有例会主持人、办公室或督办可以查看督办事项。", Replies.All(await host.SayAsync(Alice, "督办")));

        // The office reads an item without update inputs; someone else cannot open it at all.
        var readOnly = Replies.Card(await host.SubmitAsync(Office, new { verb = "actions.open", item = item.Id }));
        Assert.Contains("完成消防通道清理", TurnKit.Text(readOnly));
        Assert.Empty(Replies.Buttons(readOnly));
        Assert.DoesNotContain(readOnly.Descendants().OfType<JObject>(), o => (string?)o["id"] == "note");
        Assert.Contains("只有这项督办事项的负责人或会议主持人可以更新它。", Replies.All(await host.SubmitAsync(Zhao, new { verb = "actions.open", item = item.Id })));

        // Overdue items are marked.
        host.Feature.At(new DateOnly(2026, 12, 8), 10);
        var late = TurnKit.Text(Replies.Card(await host.SayAsync(Host, "follow-up", "en-US")));
        Assert.Contains("Follow-up: 周工作例会", late);
        Assert.Contains("overdue by 4 day(s)", late);
    }
}
