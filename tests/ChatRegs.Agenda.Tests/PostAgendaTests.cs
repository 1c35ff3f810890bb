using ChatRegs.Agenda.Tests.Support;
using ChatRegs.Bot.Language;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.TestSupport;
using Newtonsoft.Json.Linq;

using static ChatRegs.Agenda.Tests.Support.AgendaHost;

namespace ChatRegs.Agenda.Tests;

/// <summary>Posting the agenda card to the meeting's conversation, and posting again (an update of the same message, not a new one).</summary>
public sealed class PostAgendaTests : IAsyncLifetime
{
    private AgendaHost _host = null!;

    public async Task InitializeAsync() => _host = await StartWithMeetingAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<Topic> SubmitAsync(string userId, string title, int minutes, string occurrence = Next) => AgendaFlows.SubmitTopicAsync(_host, userId, title, minutes, occurrence);

    private async Task AcceptAsync(Topic topic) =>
        Seen.CardOf(await _host.ExecuteAsync(_host.Adapter(Host), "agenda.accept", new { occurrence = topic.OccurrenceKey, topic = topic.Id }));

    private async Task<string> PostAsync(string userId = Host, string? locale = null) =>
        Seen.All(await _host.SayAsync(_host.Adapter(userId, locale), locale?.StartsWith("en") == true ? "post agenda" : "发布议程"));

    [Fact]
    public async Task Posting_sends_the_agenda_card_and_posting_again_updates_that_same_message()
    {
        var a = await SubmitAsync(Alice, "十二月安全检查安排", 5);
        var b = await SubmitAsync(Bob, "年终总结材料的报送", 3);
        await AcceptAsync(a);

        Assert.Equal("议程已发布到“周例会”。", await PostAsync());
        var first = Assert.Single(_host.Connector.To(MeetingChat));
        Assert.Equal("POST", first.Method);
        var card = Seen.Text(first.Card!);
        Assert.Contains("会议议程", card);
        Assert.Contains("周工作例会", card);
        Assert.Contains("11月30日 周一 08:30–09:30", card);
        Assert.Contains("三楼会议室", card);
        Assert.Contains("张伟", card);
        Assert.Contains("陈静", card);
        Assert.Contains("十二月安全检查安排", card);
        Assert.Contains("汇报人：王小明 · 5 分钟", card);
        Assert.DoesNotContain("年终总结材料的报送", card);
        Assert.Contains("共 1 项议题，合计 5 分钟；会议时长 60 分钟，余 55 分钟。", card);
        Assert.Contains("手机调至振动或静音", card);
        Assert.Contains("无故不得缺席、迟到、早退；不能参加的，须事先书面请假并经批准。", card);
        Assert.Contains("提前五分钟到场签到。", card);
        Assert.Contains("每人发言控制在 5 分钟以内", card);
        Assert.Contains("发布于 11月25日", card);
        Assert.Empty(Seen.Actions(first.Card!));

        var post = (await _host.Store.ReadAsync(Tenant, Next, default)).Post!;
        Assert.Equal(MeetingChat, post.ConversationId);
        Assert.Equal("m-1", post.ActivityId);
        Assert.Equal(1, post.Revision);
        Assert.Equal(Host, post.PostedById);

        var review = TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(Host), "议程")));
        Assert.Contains("与目前的议程一致", Seen.Text(review));
        Assert.Contains("更新已发布的议程", Seen.Text(review));

        await AcceptAsync(b);
        review = TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(Host), "议程")));
        Assert.Contains("之后有改动", Seen.Text(review));

        _host.Clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal("已更新“周例会”中的议程卡片（第 2 版），没有另发新消息。", await PostAsync());
        var calls = _host.Connector.To(MeetingChat);
        Assert.Equal(["POST", "PUT"], calls.Select(c => c.Method));
        Assert.Equal("m-1", calls[1].ActivityId);
        var updated = Seen.Text(calls[1].Card!);
        Assert.Contains("年终总结材料的报送", updated);
        Assert.Contains("共 2 项议题，合计 8 分钟", updated);
        Assert.Contains("（第 2 版）", updated);
        post = (await _host.Store.ReadAsync(Tenant, Next, default)).Post!;
        Assert.Equal(("m-1", 2), (post.ActivityId, post.Revision));

        review = TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(Host), "议程")));
        Assert.Contains("第 2 版），与目前的议程一致", Seen.Text(review));
    }

    [Fact]
    public async Task When_the_card_was_deleted_in_Teams_a_new_one_is_posted_and_remembered()
    {
        await AcceptAsync(await SubmitAsync(Alice, "安全检查", 5));
        await PostAsync();
        _host.Connector.Delete("m-1");

        Assert.Equal("议程已发布到“周例会”。", await PostAsync());
        Assert.Equal(["POST", "PUT(404)", "POST"], _host.Connector.Calls.Where(c => c.ConversationId == MeetingChat).Select(c => c.Method));
        var post = (await _host.Store.ReadAsync(Tenant, Next, default)).Post!;
        Assert.Equal(("m-2", 1), (post.ActivityId, post.Revision));

        await PostAsync();
        Assert.Equal("m-2", _host.Connector.Calls.Last().ActivityId);
        Assert.Equal("PUT", _host.Connector.Calls.Last().Method);
    }

    [Fact]
    public async Task The_review_cards_button_posts_and_answers_with_the_review_card()
    {
        await AcceptAsync(await SubmitAsync(Alice, "安全检查", 5));
        var review = TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(Recorder), "议程")));
        var post = Seen.Actions(review).Single(x => x.Verb == "agenda.post");
        var after = Seen.Text(Seen.CardOf(await _host.ExecuteAsync(_host.Adapter(Recorder), post.Verb, post.Data)));
        Assert.Contains("议程已发布到“周例会”。", after);
        Assert.Contains("与目前的议程一致", after);
        Assert.Equal("POST", Assert.Single(_host.Connector.To(MeetingChat)).Method);
        Assert.Equal(Recorder, (await _host.Store.ReadAsync(Tenant, Next, default)).Post!.PostedById);
    }

    [Fact]
    public async Task The_posted_card_speaks_the_meeting_chats_language()
    {
        await using var host = await StartWithMeetingAsync(chatLocale: "en-US");
        // The chat's own language (本群语言, docs/language.md), not the locale last seen there.
        await host.Get<LanguageSettings>().SetChatAsync(BotSeed.Office(Tenant), MeetingChat, "en", default);
        var a = await AgendaFlows.SubmitTopicAsync(host, Alice, "安全检查", 5);
        await host.ExecuteAsync(host.Adapter(Host), "agenda.accept", new { occurrence = Next, topic = a.Id });
        Assert.Equal("议程已发布到“周例会”。", Seen.All(await host.SayAsync(host.Adapter(Host), "发布议程")));
        var card = Seen.Text(Assert.Single(host.Connector.To(MeetingChat)).Card!);
        Assert.Contains("Agenda", card);
        Assert.Contains("Mon 30 Nov 08:30–09:30", card);
        Assert.Contains("Presenter: 王小明 · 5 min", card);
        Assert.Contains("1 topic(s), 5 min in all; the meeting lasts 60 min, 55 min to spare.", card);
        Assert.Contains("Phones on vibrate or silent", card);
        Assert.Contains("No absence, lateness or leaving early without reason", card);
        Assert.Contains("Arrive five minutes early and check in.", card);

        // An English-speaking host is answered in English.
        Assert.Equal("The agenda card in 周例会 is updated (version 2); no new message was added.", Seen.All(await host.SayAsync(host.Adapter(Host, "en-US"), "post agenda")));
    }

    [Fact]
    public async Task A_series_over_its_slot_is_posted_with_the_warning()
    {
        await _host.WeeklyAsync([Alice, Bob], id: "long", name: "季度工作会", speakingLimit: 20, schedule: MeetingSchedule.WeeklyOn(new(14, 0), new(14, 30), DayOfWeek.Friday));
        const string key = "long@202611271400";
        await AcceptAsync(await SubmitAsync(Alice, "一季度总结", 20, key));
        await AcceptAsync(await SubmitAsync(Bob, "二季度计划", 15, key));
        // The host hosts two series: the chooser card asks which.
        Assert.Equal("议程已发布到“周例会”。", await PickAsync("long"));
        var card = _host.Connector.To(MeetingChat).Last().Card!;
        var warning = card.Descendants().OfType<JObject>().Single(o => ((string?)o["text"])?.Contains("超出会议时长") == true);
        Assert.Equal("共 2 项议题，合计 35 分钟，超出会议时长（30 分钟）5 分钟：请精简议题或压缩发言时间。", (string?)warning["text"]);
        Assert.Equal("Attention", (string?)warning["color"]);
    }

    [Theory]
    [InlineData(10, "zh-CN", "提前 10 分钟到场签到。")]
    [InlineData(0, "zh-CN", "到场签到。")]
    [InlineData(10, "en-US", "Arrive 10 minutes early and check in.")]
    public async Task The_arrive_early_rule_is_the_series_own(int arriveBy, string chatLocale, string rule)
    {
        // 新建例会's "arrive early by" (0–60, 0 = no rule): the agenda's rules say what the roll counts.
        // The card is in the chat's language (本群语言; here the tenant's default).
        await using var host = await StartAsync(new() { ["ChatRegs:Language:ChatDefault"] = chatLocale.StartsWith("en") ? "en" : "zh-CN" });
        await host.KnowAsync((Host, "张伟"), (Recorder, "陈静"), (Alice, "王小明"));
        await host.WeeklyAsync([Alice], arriveBy: arriveBy);
        await host.KnowMeetingChatAsync(chatLocale);
        await host.SayAsync(host.Adapter(Host, chatLocale), chatLocale.StartsWith("en") ? "post agenda" : "发布议程");
        var lines = Seen.Text(host.Connector.To(MeetingChat).Single().Card!).Split('\n');
        Assert.Contains(rule, lines);
        Assert.DoesNotContain(lines, l => l.Contains("五分钟") || l.Contains("five minutes"));
    }

    /// <summary>The host of two series typed 发布议程: picks one on the chooser card.</summary>
    private async Task<string> PickAsync(string seriesId)
    {
        var chooser = TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(Host), "发布议程")));
        Assert.Contains("要发布哪个例会的议程", Seen.Text(chooser));
        var pick = Seen.Actions(chooser).Single(x => ((string?)x.Data["occurrence"])!.StartsWith(seriesId + "@"));
        Assert.Equal("agenda.post", pick.Verb);
        var review = Seen.CardOf(await _host.ExecuteAsync(_host.Adapter(Host), pick.Verb, pick.Data));
        return Seen.Text(review).Split('\n').Single(l => l.StartsWith("议程已发布"));
    }

    [Fact]
    public async Task A_series_without_a_meeting_chat_gets_the_card_here_to_forward()
    {
        await using var host = await StartAsync();
        await host.KnowAsync((Host, "张伟"), (Recorder, "陈静"), (Alice, "王小明"));
        await host.WeeklyAsync([Alice], conversationId: null);
        var replies = await host.SayAsync(host.Adapter(Host), "发布议程");
        Assert.Equal(2, replies.Count);
        Assert.Contains("会议议程", Seen.Text(TurnKit.Card(replies[0])));
        Assert.Equal("周工作例会 没有设置会议群，议程卡片发在这里，可以转发给参会人员。", replies[1].AsMessageActivity().Text);
        Assert.Empty(host.Connector.Calls);
        Assert.Null((await host.Store.ReadAsync(Tenant, Next, default)).Post);
    }

    [Fact]
    public async Task A_meeting_chat_the_bot_is_not_in_is_reported_and_nothing_is_remembered()
    {
        await using var host = await StartAsync();
        await host.KnowAsync((Host, "张伟"), (Recorder, "陈静"), (Alice, "王小明"));
        await host.WeeklyAsync([Alice], conversationId: "19:never-seen@thread.tacv2");
        Assert.Contains("没能把议程发到“周例会”", Seen.All(await host.SayAsync(host.Adapter(Host), "发布议程")));
        Assert.Null((await host.Store.ReadAsync(Tenant, Next, default)).Post);
    }

    [Fact]
    public async Task Only_those_who_manage_the_meeting_post_it()
    {
        await AcceptAsync(await SubmitAsync(Alice, "安全检查", 5));
        Assert.Contains("你没有可以发布议程的例会：只有例会的主持人（含代理主持人）、记录员或办公室可以发布议程。", await PostAsync(Alice));
        Assert.Contains("You have no meeting whose agenda you can post", await PostAsync(Lucy, "en-US"));
        Assert.Empty(_host.Connector.Calls);
        Assert.Null((await _host.Store.ReadAsync(Tenant, Next, default)).Post);

        Assert.Equal("议程已发布到“周例会”。", await PostAsync(Office));
    }

    [Fact]
    public async Task Two_people_posting_at_the_same_moment_post_one_card_and_the_next_post_updates_it()
    {
        await AcceptAsync(await SubmitAsync(Alice, "十二月安全检查安排", 5));

        var both = await Task.WhenAll(
            _host.ExecuteAsync(_host.Adapter(Host), "agenda.post", new { occurrence = Next }),
            _host.ExecuteAsync(_host.Adapter(Recorder), "agenda.post", new { occurrence = Next }));

        // One card in the meeting chat, remembered; the other press was told who is posting, or updated that card.
        Assert.Equal("POST", Assert.Single(_host.Connector.To(MeetingChat), c => c.Method == "POST").Method);
        var texts = both.Select(r => Seen.Text(Seen.CardOf(r))).ToList();
        Assert.Contains(texts, t => t.Contains("议程已发布到“周例会”。", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Contains("正在发布这次会议的议程", StringComparison.Ordinal) || t.Contains("已更新“周例会”中的议程卡片（第 2 版）", StringComparison.Ordinal));
        var post = (await _host.Store.ReadAsync(Tenant, Next, default)).Post!;
        Assert.Equal("m-1", post.ActivityId);

        // The claim ended with the post: posting again at once updates the same card.
        Assert.StartsWith("已更新“周例会”中的议程卡片", await PostAsync());
        Assert.Equal("m-1", _host.Connector.Calls.Last().ActivityId);
        Assert.Single(_host.Connector.To(MeetingChat), c => c.Method == "POST");
    }

    [Fact]
    public async Task A_meeting_that_is_over_is_not_posted()
    {
        _host.At(2026, 11, 30, 9, 31);
        var text = Seen.Text(Seen.CardOf(await _host.ExecuteAsync(_host.Adapter(Host), "agenda.post", new { occurrence = Next })));
        Assert.Contains("这次会议已经结束，不能再发布议程。", text);
        Assert.Empty(_host.Connector.Calls);
    }
}
