using ChatRegs.Agenda.Tests.Support;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

using static ChatRegs.Agenda.Tests.Support.AgendaHost;

namespace ChatRegs.Agenda.Tests;

/// <summary>The host's review (accept, reject, reorder), who may do it, and what participants see.</summary>
public sealed class ReviewTests : IAsyncLifetime
{
    private AgendaHost _host = null!;

    public async Task InitializeAsync() => _host = await StartWithMeetingAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<JObject> ReviewAsync(string userId = Host, string? locale = null) =>
        TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(userId, locale), locale?.StartsWith("en") == true ? "agenda" : "议程")));

    private async Task<JObject> PressAsync(string userId, string verb, Topic topic) =>
        Seen.CardOf(await _host.ExecuteAsync(_host.Adapter(userId), verb, new { occurrence = topic.OccurrenceKey, topic = topic.Id }));

    private async Task<IReadOnlyList<string>> AgendaTitlesAsync() => (await _host.Store.ReadAsync(Tenant, Next, default)).Items.Select(t => t.Title).ToList();

    [Fact]
    public async Task The_host_accepts_reorders_and_rejects_and_the_card_follows()
    {
        var a = await AgendaFlows.SubmitTopicAsync(_host, Alice, "安全检查", 5);
        var b = await AgendaFlows.SubmitTopicAsync(_host, Bob, "食堂菜单", 3);
        var c = await AgendaFlows.SubmitTopicAsync(_host, Lucy, "Shuttle timetable", 4);

        var review = await ReviewAsync();
        var text = Seen.Text(review);
        Assert.Contains("议程审核", text);
        Assert.Contains("待审议题", text);
        Assert.Contains("议程尚未发布到会议群。", text);
        Assert.Contains("议题征集中，截止 11月27日 周五 17:00。", text);
        Assert.Contains("汇报人：王小明 · 5 分钟", text);
        // The review card's own buttons carry the meeting and the topic.
        var accept = Seen.Actions(review).Where(x => x.Verb == "agenda.accept").ToList();
        Assert.Equal(3, accept.Count);
        Assert.All(accept, x => Assert.Equal(Next, (string?)x.Data["occurrence"]));

        foreach (var t in new[] { a, b, c })
        {
            var after = Seen.Text(await PressAsync(Host, "agenda.accept", t));
            Assert.Contains("已列入议程：" + t.Title, after);
        }
        Assert.Equal(["安全检查", "食堂菜单", "Shuttle timetable"], await AgendaTitlesAsync());
        var full = Seen.Text(await PressAsync(Host, "agenda.review", a));
        Assert.Contains("已列入议程（按顺序）", full);
        Assert.Contains("1. 安全检查", full);
        Assert.Contains("3. Shuttle timetable", full);
        Assert.Contains("共 3 项议题，合计 12 分钟；会议时长 60 分钟，余 48 分钟。", full);
        Assert.DoesNotContain("待审议题", full);

        Assert.Contains("“Shuttle timetable”已移到第 2 项。", Seen.Text(await PressAsync(Host, "agenda.up", c)));
        Assert.Equal(["安全检查", "Shuttle timetable", "食堂菜单"], await AgendaTitlesAsync());
        Assert.Contains("“安全检查”已经是第一项。", Seen.Text(await PressAsync(Host, "agenda.up", a)));
        Assert.Contains("“安全检查”已移到第 2 项。", Seen.Text(await PressAsync(Host, "agenda.down", a)));
        Assert.Equal(["Shuttle timetable", "安全检查", "食堂菜单"], await AgendaTitlesAsync());
        Assert.Contains("“食堂菜单”已经是最后一项。", Seen.Text(await PressAsync(Host, "agenda.down", b)));

        var rejected = Seen.Text(await PressAsync(Host, "agenda.reject", b));
        Assert.Contains("未列入议程：食堂菜单", rejected);
        Assert.Contains("共 2 项议题，合计 9 分钟", rejected);
        Assert.Equal(["Shuttle timetable", "安全检查"], await AgendaTitlesAsync());
        Assert.Contains("“食堂菜单”不在议程里，不能调整顺序", Seen.Text(await PressAsync(Host, "agenda.up", b)));

        Assert.Contains("已列入议程：食堂菜单", Seen.Text(await PressAsync(Host, "agenda.accept", b)));
        Assert.Equal(["Shuttle timetable", "安全检查", "食堂菜单"], await AgendaTitlesAsync());
        Assert.Contains("“食堂菜单”已经在议程里了。", Seen.Text(await PressAsync(Host, "agenda.accept", b)));

        var stored = (await _host.Store.ReadAsync(Tenant, Next, default)).Topics.Single(t => t.Id == b.Id);
        Assert.Equal(Host, stored.DecidedById);
    }

    [Fact]
    public async Task Participants_see_the_agenda_and_their_own_topics_without_the_host_buttons()
    {
        var a = await AgendaFlows.SubmitTopicAsync(_host, Alice, "安全检查", 5);
        var b = await AgendaFlows.SubmitTopicAsync(_host, Alice, "节能倡议", 2);
        await PressAsync(Host, "agenda.accept", a);
        await PressAsync(Host, "agenda.reject", b);

        var view = await ReviewAsync(Alice);
        var text = Seen.Text(view);
        Assert.Contains("会议议程", text);
        Assert.Contains("1.", text);
        Assert.Contains("安全检查", text);
        Assert.DoesNotContain("节能倡议", text.Split("我提交的议题")[0]);
        Assert.Contains("我提交的议题", text);
        Assert.Contains("安全检查 — 已列入议程", text);
        Assert.Contains("节能倡议 — 未列入议程", text);
        Assert.Contains("主持人尚未发布议程", text);
        Assert.Contains("手机调至振动或静音", text);
        Assert.Equal(["agenda.topicForm"], Seen.Actions(view).Select(x => x.Verb));

        Assert.Contains("你近期没有要参加的例会。", Seen.All(await _host.SayAsync(_host.Adapter(Stranger), "议程")));
    }

    [Theory]
    [InlineData(Alice, "agenda.accept")]
    [InlineData(Alice, "agenda.reject")]
    [InlineData(Alice, "agenda.up")]
    [InlineData(Alice, "agenda.review")]
    [InlineData(Alice, "agenda.post")]
    [InlineData(Stranger, "agenda.accept")]
    [InlineData(Stranger, "agenda.view")]
    public async Task A_forged_press_by_someone_who_may_not_is_refused_and_changes_nothing(string who, string verb)
    {
        var a = await AgendaFlows.SubmitTopicAsync(_host, Bob, "安全检查", 5);
        var b = await AgendaFlows.SubmitTopicAsync(_host, Bob, "节能倡议", 2);
        await PressAsync(Host, "agenda.accept", a);
        await PressAsync(Host, "agenda.accept", b);
        var before = await _host.Store.ReadAsync(Tenant, Next, default);
        _host.Connector.Clear();

        var (response, messages) = await _host.ExecuteWithRepliesAsync(_host.Adapter(who), verb, new { occurrence = Next, topic = b.Id });
        Assert.NotEqual("application/vnd.microsoft.card.adaptive", (string?)response["type"]);
        var said = Seen.All(messages);
        Assert.Contains(verb == "agenda.view" ? "只有这次例会的参会人员、办公室或经理可以查看它的议程。" : "只有这次例会的主持人（含代理主持人）、记录员或办公室可以审核和发布议程。", said);

        var after = await _host.Store.ReadAsync(Tenant, Next, default);
        Assert.Equal(before.Topics.Select(t => (t.Id, t.Status, t.Order)).Order(), after.Topics.Select(t => (t.Id, t.Status, t.Order)).Order());
        Assert.Null(after.Post);
        Assert.Empty(_host.Connector.Calls);
    }

    [Fact]
    public async Task The_recorder_the_office_and_this_meetings_substitute_host_manage_it_a_host_of_another_series_does_not()
    {
        var a = await AgendaFlows.SubmitTopicAsync(_host, Alice, "安全检查", 5);
        Assert.Contains("已列入议程", Seen.Text(await PressAsync(Recorder, "agenda.accept", a)));
        Assert.Contains("未列入议程", Seen.Text(await PressAsync(Office, "agenda.reject", a)));

        // Bob hosts this one meeting (提前指定主持人): he manages it, and the card names him as substitute.
        await _host.Meetings.SaveChangeAsync(Tenant, new MeetingStore.OccurrenceChange(Next, false, null, null, Bob, null, Host, _host.Clock.GetUtcNow()), default);
        _host.Services.GetRequiredService<MeetingCache>().Invalidate(Tenant, "weekly");
        var review = Seen.Text(await ReviewAsync(Bob));
        Assert.Contains("议程审核", review);
        Assert.Contains("（代理主持）", review);
        Assert.Contains("已列入议程", Seen.Text(await PressAsync(Bob, "agenda.accept", a)));

        // …but not the week after.
        var later = await AgendaFlows.SubmitTopicAsync(_host, Alice, "下周议题", 3, NextButOne);
        var (_, messages) = await _host.ExecuteWithRepliesAsync(_host.Adapter(Bob), "agenda.accept", new { occurrence = NextButOne, topic = later.Id });
        Assert.Contains("可以审核和发布议程", Seen.All(messages));

        // The host of another series is just a participant here.
        await _host.WeeklyAsync([Host], id: "other", name: "财务例会", host: Alice, schedule: MeetingSchedule.WeeklyOn(new(14, 0), new(15, 0), DayOfWeek.Thursday));
        (_, messages) = await _host.ExecuteWithRepliesAsync(_host.Adapter(Alice), "agenda.reject", new { occurrence = Next, topic = a.Id });
        Assert.Contains("可以审核和发布议程", Seen.All(messages));
        Assert.Equal(TopicStatus.Accepted, (await _host.Store.GetTopicAsync(Tenant, Next, a.Id, default))!.Status);
    }

    [Fact]
    public async Task The_total_is_measured_against_the_slot_and_a_warning_shows_when_over()
    {
        await _host.WeeklyAsync([Alice, Bob], id: "long", name: "季度工作会", speakingLimit: 20, schedule: MeetingSchedule.WeeklyOn(new(14, 0), new(14, 30), DayOfWeek.Friday));
        const string key = "long@202611271400";
        var a = await AgendaFlows.SubmitTopicAsync(_host, Alice, "一季度总结", 20, key);
        var b = await AgendaFlows.SubmitTopicAsync(_host, Bob, "二季度计划", 15, key);
        await PressAsync(Host, "agenda.accept", a);
        var card = await PressAsync(Host, "agenda.accept", b);
        var text = Seen.Text(card);
        Assert.Contains("共 2 项议题，合计 35 分钟，超出会议时长（30 分钟）5 分钟：请精简议题或压缩发言时间。", text);
        var warning = card.Descendants().OfType<JObject>().Single(o => ((string?)o["text"])?.Contains("超出会议时长") == true);
        Assert.Equal("Attention", (string?)warning["color"]);

        var fits = Seen.Text(await PressAsync(Host, "agenda.reject", b));
        Assert.Contains("共 1 项议题，合计 20 分钟；会议时长 30 分钟，余 10 分钟。", fits);
    }

    [Fact]
    public async Task Nothing_changes_once_the_meeting_is_over()
    {
        var a = await AgendaFlows.SubmitTopicAsync(_host, Alice, "安全检查", 5);
        _host.At(2026, 11, 30, 9, 30);
        var text = Seen.Text(await PressAsync(Host, "agenda.accept", a));
        Assert.Contains("这次会议已经结束，议程不能再修改。", text);
        Assert.Equal(TopicStatus.Pending, (await _host.Store.GetTopicAsync(Tenant, Next, a.Id, default))!.Status);
    }

    [Fact]
    public async Task A_topic_that_is_not_there_gets_the_current_card()
    {
        await AgendaFlows.SubmitTopicAsync(_host, Alice, "安全检查", 5);
        var text = Seen.Text(Seen.CardOf(await _host.ExecuteAsync(_host.Adapter(Host), "agenda.accept", new { occurrence = Next, topic = "nope" })));
        Assert.Contains("找不到这个议题", text);
        Assert.Contains("安全检查", text);
    }

    [Fact]
    public async Task In_english()
    {
        var a = await AgendaFlows.SubmitTopicAsync(_host, Alice, "Safety check", 5);
        var review = Seen.Text(await ReviewAsync(Host, "en-US"));
        Assert.Contains("Agenda review", review);
        Assert.Contains("Waiting for review", review);
        Assert.Contains("Collecting topics until Fri 27 Nov 17:00.", review);
        var accepted = Seen.Text(Seen.CardOf(await _host.ExecuteAsync(_host.Adapter(Host, "en-US"), "agenda.accept", new { occurrence = Next, topic = a.Id }, "en-US")));
        Assert.Contains("On the agenda: Safety check", accepted);
        Assert.Contains("1 topic(s), 5 min in all; the meeting lasts 60 min, 55 min to spare.", accepted);

        var (_, messages) = await _host.ExecuteWithRepliesAsync(_host.Adapter(Lucy, "en-US"), "agenda.reject", new { occurrence = Next, topic = a.Id }, "en-US");
        Assert.Contains("Only this meeting's host (or substitute host), recorder or the office can review and post the agenda.", Seen.All(messages));

        var view = Seen.Text(await ReviewAsync(Lucy, "en-US"));
        Assert.Contains("Phones on vibrate or silent", view);
        Assert.Contains("Arrive five minutes early and check in.", view);
        Assert.Contains("The host has not posted the agenda yet", view);
    }
}
