using ChatRegs.Minutes.Tests.Support;
using ChatRegs.TestSupport;

using static ChatRegs.Minutes.Tests.Support.MinutesHost;

namespace ChatRegs.Minutes.Tests;

/// <summary>The next meeting's agenda card shows 上次会议决议落实情况: every item of the meeting before, with its status.</summary>
public sealed class AgendaFollowUpTests
{
    [Fact]
    public async Task The_next_agenda_shows_the_last_meetings_decisions_with_their_status()
    {
        await using var host = await StartAsync();
        var form = FilledForm();
        form["desc_1"] = "更新值班表";
        form["owner_1"] = Zhao;
        form["due_1"] = "2026-12-02";
        await host.SubmitMinutesAsync(form);
        var items = await host.ItemsAsync();
        await host.SubmitAsync(Alice, new { verb = "actions.update", item = items.Single(i => i.OwnerId == Alice).Id, status = "InProgress", note = "已清理一半" });
        host.Feature.At(new DateOnly(2026, 12, 3), 10);

        // A participant's view of the next meeting's agenda.
        var agenda = TurnKit.Text(Replies.Card(await host.SayAsync(Alice, "议程")));
        Assert.Contains("上次会议决议落实情况", agenda);
        Assert.Contains("• 完成消防通道清理 — 王小明，12月4日 周五 截止：进行中（已清理一半）", agenda);
        Assert.Contains("• 更新值班表 — 赵强，12月2日 周三 截止：待办", agenda);

        // The card posted to the meeting's chat has the section too.
        await host.Feature.DriveAsync(host.SayAsync(Host, "发布议程"));
        var posted = host.Feature.Connector.To(Chat).Select(c => c.Card).OfType<Newtonsoft.Json.Linq.JObject>().Last();
        Assert.Contains("上次会议决议落实情况", TurnKit.Text(posted));
        // The overdue one stands out.
        var overdue = posted.Descendants().OfType<Newtonsoft.Json.Linq.JObject>().Single(o => ((string?)o["text"])?.Contains("更新值班表") == true);
        Assert.Equal("Attention", (string?)overdue["color"]);

        // The owner reports it done: the posted card is updated in place, not posted again.
        var posts = host.Feature.Connector.To(Chat).Count(c => c.Method == "POST");
        await host.Feature.DriveAsync(host.SubmitAsync(Alice, new { verb = "actions.update", item = items.Single(i => i.OwnerId == Alice).Id, status = "Done", note = "已全部清理" }));
        var update = host.Feature.Connector.To(Chat).Last();
        Assert.Equal("PUT", update.Method);
        Assert.Contains("• 完成消防通道清理 — 王小明，12月4日 周五 截止：已完成（已全部清理）", TurnKit.Text(update.Card!));
        Assert.Equal(posts, host.Feature.Connector.To(Chat).Count(c => c.Method == "POST"));

        // In English.
        var en = TurnKit.Text(Replies.Card(await host.SayAsync(Lucy, "agenda")));
        Assert.Contains("Follow-up of the last meeting's decisions", en);
        Assert.Contains("• 完成消防通道清理 — 王小明, due Fri 4 Dec: Done (已全部清理)", en);
    }

    [Fact]
    public async Task Without_decisions_last_time_the_agenda_has_no_such_section()
    {
        await using var host = await StartAsync();
        var agenda = TurnKit.Text(Replies.Card(await host.SayAsync(Alice, "议程")));
        Assert.DoesNotContain("上次会议决议落实情况", agenda);
    }
}
