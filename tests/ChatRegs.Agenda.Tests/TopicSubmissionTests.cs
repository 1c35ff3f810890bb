using ChatRegs.Agenda.Tests.Support;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

using static ChatRegs.Agenda.Tests.Support.AgendaHost;

namespace ChatRegs.Agenda.Tests;

/// <summary>Submitting a topic (议题): the form, every bad input, the deadline, who may, in Chinese and English.</summary>
public sealed class TopicSubmissionTests : IAsyncLifetime
{
    private AgendaHost _host = null!;

    public async Task InitializeAsync() => _host = await StartWithMeetingAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static object Form(string title = "十二月安全检查安排", string? presenter = Alice, string material = "一、检查范围：航站楼、货运区；二、分工：各班组长负责本班组。",
        object? minutes = null, string occurrence = Next, string? formId = null) => new
    {
        occurrence,
        formId = formId ?? Guid.NewGuid().ToString("N"),
        title,
        presenter,
        material,
        minutes = minutes ?? 5,
    };

    private async Task<JObject> SubmitAsync(string userId, object form, string? locale = null) =>
        Seen.CardOf(await _host.ExecuteAsync(_host.Adapter(userId, locale), TopicForms.SubmitVerb, form, locale));

    private async Task<IReadOnlyList<Topic>> TopicsAsync(string key = Next) => (await _host.Store.ReadAsync(Tenant, key, default)).Topics;

    [Fact]
    public async Task The_command_opens_the_form_for_my_next_meeting_with_its_deadline()
    {
        var replies = await _host.SayAsync(_host.Adapter(Alice), "议题");
        var card = TurnKit.Card(Assert.Single(replies));
        var text = Seen.Text(card);
        Assert.Contains("提交议题", text);
        Assert.Contains("周工作例会", text);
        Assert.Contains("11月30日 周一 08:30–09:30", text);
        Assert.Contains("11月27日 周五 17:00", text);
        Assert.Contains("书面材料", text);
        Assert.Contains("不超过 5 分钟", text);
        // Presenter defaults to me; the choices are the people expected at the meeting.
        Assert.Equal(Alice, Seen.Value(card, "presenter"));
        var choices = TurnKit.Input(card, "presenter")["choices"]!.Select(c => (string)c["value"]!).ToList();
        Assert.Equal(new[] { Host, Recorder, Alice, Bob, Lucy }.Order(), choices.Order());
        Assert.Equal("5", Seen.Value(card, "minutes"));
        var submit = Assert.Single(Seen.Actions(card));
        Assert.Equal(TopicForms.SubmitVerb, submit.Verb);
        Assert.Equal(Next, (string?)submit.Data["occurrence"]);
    }

    [Fact]
    public async Task A_good_topic_is_filed_once_and_the_receipt_says_who_reviews_it()
    {
        var form = Form();
        var card = await SubmitAsync(Alice, form);
        var text = Seen.Text(card);
        Assert.Contains("议题“十二月安全检查安排”已提交，等待主持人张伟审核。", text);
        Assert.Contains("待审", text);
        Assert.Contains("5 分钟", text);

        var topic = Assert.Single(await TopicsAsync());
        Assert.Equal("十二月安全检查安排", topic.Title);
        Assert.Equal(Alice, topic.PresenterId);
        Assert.Equal("王小明", topic.PresenterName);
        Assert.Equal(Alice, topic.SubmittedById);
        Assert.Equal(5, topic.Minutes);
        Assert.Equal(TopicStatus.Pending, topic.Status);
        Assert.False(topic.Late);

        // The same form pressed again (a double click, a retry): still one topic.
        var again = Seen.Text(await SubmitAsync(Alice, form));
        Assert.Contains("这张表已经提交过了", again);
        Assert.Single(await TopicsAsync());
    }

    [Fact]
    public async Task Someone_else_can_be_the_presenter_and_a_link_is_written_material()
    {
        await SubmitAsync(Alice, Form(title: "年终总结材料", presenter: Bob, material: "https://example.sharepoint.com/sites/office/summary.docx", minutes: 3));
        var topic = Assert.Single(await TopicsAsync());
        Assert.Equal(Bob, topic.PresenterId);
        Assert.Equal("李娜", topic.PresenterName);
        Assert.Equal(Alice, topic.SubmittedById);
        Assert.Equal(3, topic.Minutes);
    }

    public static TheoryData<string, object, string, string> BadInputs() => new()
    {
        // field, the form, the message next to the field, a value the re-sent form keeps
        { "title", Form(title: ""), "请填写议题名称。", "一、检查范围" },
        { "title", Form(title: "   "), "请填写议题名称。", "一、检查范围" },
        { "title", Form(title: new string('议', 81)), "最多 80 个字（现在 81 个）。", "一、检查范围" },
        { "material", Form(material: ""), "议题须附书面材料：写明要点提纲或图表说明，或附上文档链接。", "十二月安全检查安排" },
        { "material", Form(material: " \n "), "议题须附书面材料", "十二月安全检查安排" },
        { "material", Form(material: "见附件"), "请把要点写清楚，至少 10 个字；或附上文档链接。", "十二月安全检查安排" },
        { "material", Form(material: "https://"), "链接须是完整的网址", "十二月安全检查安排" },
        { "material", Form(material: "www.example.com/a.docx"), "以 http:// 或 https:// 开头", "十二月安全检查安排" },
        { "material", Form(material: new string('料', 2001)), "最多 2000 个字（现在 2001 个）。", "十二月安全检查安排" },
        { "minutes", Form(minutes: 61), "超出会议时长：这次会议只有 60 分钟。", "十二月安全检查安排" },
        { "minutes", Form(minutes: 0), "所需时间须是 1 到 60 之间的整数（分钟）。", "十二月安全检查安排" },
        { "minutes", Form(minutes: -3), "所需时间须是 1 到 60 之间的整数（分钟）。", "十二月安全检查安排" },
        { "minutes", Form(minutes: 2.5), "所需时间须是 1 到 60 之间的整数（分钟）。", "十二月安全检查安排" },
        { "minutes", Form(minutes: "五"), "所需时间须是 1 到 60 之间的整数（分钟）。", "十二月安全检查安排" },
        { "minutes", Form(minutes: ""), "请填写所需时间（1 到 60 分钟）。", "十二月安全检查安排" },
        { "minutes", Form(minutes: "99999999999999999999"), "超出会议时长：这次会议只有 60 分钟。", "十二月安全检查安排" },
        { "presenter", Form(presenter: Stranger), "汇报人须是这次例会的参会人员，请从列表中选择。", "十二月安全检查安排" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Every_bad_input_is_refused_next_to_its_field_with_what_was_typed_kept(string field, object form, string message, string kept)
    {
        var card = await SubmitAsync(Alice, form);
        var text = Seen.Text(card);
        Assert.Contains("有 1 处需要修改", text);
        Assert.Contains(message, text);
        // The message sits right after its input.
        var body = card["body"]!.ToList();
        var input = body.FindIndex(e => (string?)e["id"] == field);
        Assert.Contains(message, CardMarkdown.Visible(body[input + 1]["text"]));
        Assert.Contains(kept, card.ToString());
        Assert.Empty(await TopicsAsync());
        // The form can still be submitted (same form id: nothing was filed under it).
        Assert.Equal(TopicForms.SubmitVerb, Assert.Single(Seen.Actions(card)).Verb);
    }

    [Fact]
    public async Task Several_bad_inputs_are_reported_together()
    {
        var text = Seen.Text(await SubmitAsync(Alice, Form(title: "", material: "", minutes: 90)));
        Assert.Contains("有 3 处需要修改", text);
        Assert.Contains("请填写议题名称。", text);
        Assert.Contains("议题须附书面材料", text);
        Assert.Contains("超出会议时长：这次会议只有 60 分钟。", text);
        Assert.Empty(await TopicsAsync());
    }

    [Theory]
    [InlineData("zh-CN", "帮助", "议题", "议题 站会", "主持人发布议程时")]
    [InlineData("en-US", "help", "topic", "topic 站会", "when the host posts the agenda")]
    public async Task Help_does_not_promise_a_topic_deadline_the_meeting_does_not_have(string locale, string help, string command, string open, string deadline)
    {
        // The form's default cutoff is "when the host posts the agenda"; help must not tell people 17:00 the day before.
        await _host.WeeklyAsync([Alice], id: "stand", name: "站会", topicCutoff: TopicCutoffs.AgendaPosted);
        Assert.Contains(deadline, Seen.Text(TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(Alice, locale), open)))));
        await _host.SayAsync(_host.Adapter(Alice, locale), locale == "en-US" ? "cancel" : "取消");

        var lines = Seen.Text(TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(Alice, locale), help)))).Split('\n').ToList();
        var description = lines[lines.IndexOf(command) + 1];
        Assert.DoesNotContain("17:00", description);
    }

    [Fact]
    public async Task The_speaking_limit_is_the_series_own_per_speaker_and_a_topic_is_never_longer_than_the_meeting()
    {
        await _host.WeeklyAsync([Alice], id: "brief", name: "班组长碰头会", speakingLimit: 3);
        // The form names the series' per-speaker limit and starts at it.
        var form = TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(Alice), "议题 班组长碰头会")));
        Assert.Contains("每人发言不超过 3 分钟", Seen.Text(form));
        Assert.Equal("3", Seen.Value(form, "minutes"));

        await _host.WeeklyAsync([Alice], id: "stand", name: "站会", speakingLimit: 20, schedule: MeetingSchedule.WeeklyOn(new(9, 0), new(9, 10), DayOfWeek.Monday));
        var slot = Seen.Text(await SubmitAsync(Alice, Form(occurrence: "stand@202611300900", minutes: 15)));
        Assert.Contains("超出会议时长：这次会议只有 10 分钟。", slot);
        Assert.Empty(await TopicsAsync("stand@202611300900"));
    }

    [Fact]
    public async Task The_deadline_is_17_00_the_working_day_before_to_the_second()
    {
        _host.At(2026, 11, 27, 16, 59, 59);
        Assert.Contains("已提交", Seen.Text(await SubmitAsync(Alice, Form(title: "赶在截止前"))));

        _host.At(2026, 11, 27, 17, 0, 0);
        var card = await SubmitAsync(Alice, Form(title: "刚好截止"));
        var text = Seen.Text(card);
        Assert.Contains("周工作例会（11月30日 周一 08:30–09:30）的议题已于 11月27日 周五 17:00 截止，不能再提交", text);
        Assert.Contains("主持人张伟", text);
        // The form comes back for the meeting after, with what was typed.
        Assert.Contains("下一次会议（12月7日 周一 08:30–09:30），截止 12月4日 周五 17:00", text);
        Assert.Equal("刚好截止", Seen.Value(card, "title"));
        Assert.Equal(NextButOne, (string?)Assert.Single(Seen.Actions(card)).Data["occurrence"]);

        var filed = Assert.Single(await TopicsAsync());
        Assert.Equal("赶在截止前", filed.Title);
        Assert.Empty(await TopicsAsync(NextButOne));

        // Submitting that form files the topic for the next meeting.
        var next = await SubmitAsync(Alice, Form(title: "刚好截止", occurrence: NextButOne));
        Assert.Contains("已提交", Seen.Text(next));
        Assert.Single(await TopicsAsync(NextButOne));
    }

    [Fact]
    public async Task Past_the_deadline_the_command_says_so_and_offers_the_next_meeting()
    {
        _host.At(2026, 11, 28, 9, 0);
        var replies = await _host.SayAsync(_host.Adapter(Bob), "议题");
        var card = TurnKit.Card(Assert.Single(replies));
        var text = Seen.Text(card);
        Assert.Contains("已于 11月27日 周五 17:00 截止", text);
        Assert.Contains("12月7日 周一 08:30–09:30", text);
        Assert.Equal(NextButOne, (string?)Assert.Single(Seen.Actions(card)).Data["occurrence"]);
    }

    [Fact]
    public async Task The_host_may_still_add_a_topic_after_the_deadline_and_it_is_marked_late()
    {
        _host.At(2026, 11, 29, 20, 0);
        var form = TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(Host), "议题")));
        Assert.Contains("仍可补报", Seen.Text(form));
        Assert.Equal(Next, (string?)Assert.Single(Seen.Actions(form)).Data["occurrence"]);

        var receipt = Seen.Text(await SubmitAsync(Host, Form(title: "临时增加：节前安全", presenter: Host)));
        Assert.Contains("已补报", receipt);
        Assert.Contains("逾期提交", receipt);
        Assert.True(Assert.Single(await TopicsAsync()).Late);

        // The recorder too; a participant not.
        Assert.Contains("已补报", Seen.Text(await SubmitAsync(Recorder, Form(title: "记录员补报", presenter: Recorder))));
        Assert.Contains("截止", Seen.Text(await SubmitAsync(Alice, Form(title: "参会人员逾期"))));
        Assert.Equal(2, (await TopicsAsync()).Count);
    }

    [Fact]
    public async Task Nobody_submits_once_the_meeting_has_started_or_when_it_is_cancelled()
    {
        // The meeting after next is cancelled (临时调整).
        await _host.Meetings.SaveChangeAsync(Tenant, new MeetingStore.OccurrenceChange(NextButOne, true, null, null, null, "出差", Office, _host.Clock.GetUtcNow()), default);
        _host.Services.GetRequiredService<MeetingCache>().Invalidate(Tenant, "weekly");
        var (cancelled, _) = await _host.ExecuteWithRepliesAsync(_host.Adapter(Alice), TopicForms.SubmitVerb, Form(occurrence: NextButOne));
        Assert.Contains("周工作例会（12月7日 周一 08:30–09:30）已取消，议题没有提交。", (string?)cancelled["value"]);
        Assert.Empty(await TopicsAsync(NextButOne));

        _host.At(2026, 11, 30, 8, 30);
        var (started, _) = await _host.ExecuteWithRepliesAsync(_host.Adapter(Host), TopicForms.SubmitVerb, Form(presenter: Host));
        Assert.Contains("已经开始，不能再提交议题", (string?)started["value"]);
        Assert.Empty(await TopicsAsync());
    }

    [Fact]
    public async Task Someone_not_in_the_meeting_cannot_submit_even_with_a_forged_card()
    {
        var replies = await _host.SayAsync(_host.Adapter(Stranger), "议题");
        Assert.Contains("你近期没有可以提交议题的例会", Seen.All(replies));

        var (_, messages) = await _host.ExecuteWithRepliesAsync(_host.Adapter(Stranger), TopicForms.SubmitVerb, Form(presenter: Stranger));
        Assert.Contains("只有这次例会的参会人员（含主持人、记录员）或办公室可以提交议题。", Seen.All(messages));
        Assert.Empty(await TopicsAsync());

        // Naming a real participant as presenter does not help.
        (_, messages) = await _host.ExecuteWithRepliesAsync(_host.Adapter(Stranger), TopicForms.SubmitVerb, Form(presenter: Alice));
        Assert.Contains("可以提交议题", Seen.All(messages));
        Assert.Empty(await TopicsAsync());
    }

    [Fact]
    public async Task The_office_collects_topics_too()
    {
        Assert.Contains("已提交", Seen.Text(await SubmitAsync(Office, Form(title: "办公室通知事项", presenter: Host))));
        Assert.Equal(Office, Assert.Single(await TopicsAsync()).SubmittedById);
    }

    [Fact]
    public async Task An_unknown_or_malformed_meeting_is_refused_plainly()
    {
        var (response, _) = await _host.ExecuteWithRepliesAsync(_host.Adapter(Alice), TopicForms.SubmitVerb, Form(occurrence: "weekly@202611310830"));
        Assert.Contains("找不到这次会议", (string?)response["value"]);
        (response, _) = await _host.ExecuteWithRepliesAsync(_host.Adapter(Alice), TopicForms.SubmitVerb, new { title = "x" });
        Assert.Contains("找不到这次会议", (string?)response["value"]);
    }

    [Fact]
    public async Task Someone_in_several_meetings_picks_one_and_a_name_picks_directly()
    {
        await _host.WeeklyAsync([Alice], id: "safety", name: "安全生产例会", schedule: MeetingSchedule.WeeklyOn(new(15, 0), new(16, 30), DayOfWeek.Tuesday));
        var chooser = TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(Alice), "议题")));
        Assert.Contains("要为哪一个提交议题", Seen.Text(chooser));
        var actions = Seen.Actions(chooser);
        Assert.Equal(2, actions.Count);
        Assert.All(actions, a => Assert.Equal(TopicForms.FormVerb, a.Verb));

        var picked = actions.Single(a => (string?)a.Data["occurrence"] == "safety@202612011500");
        var form = Seen.CardOf(await _host.ExecuteAsync(_host.Adapter(Alice), picked.Verb, picked.Data));
        Assert.Contains("安全生产例会", Seen.Text(form));

        var direct = TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(Alice), "议题 安全")));
        Assert.Contains("安全生产例会", Seen.Text(direct));
        Assert.Contains("没有找到名为“财务”的例会", Seen.All(await _host.SayAsync(_host.Adapter(Alice), "议题 财务")));
    }

    [Fact]
    public async Task In_english()
    {
        var form = TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(Lucy, "en-US"), "topic")));
        var text = Seen.Text(form);
        Assert.Contains("Submit a topic", text);
        Assert.Contains("Mon 30 Nov 08:30–09:30", text);
        Assert.Contains("Fri 27 Nov 17:00", text);
        Assert.Contains("Minutes needed (at most the meeting's 60; each speaker at most 5)", text);

        var bad = Seen.Text(await SubmitAsync(Lucy, Form(title: "", presenter: Lucy, material: "see doc", minutes: 70), "en-US"));
        Assert.Contains("3 field(s) need correcting", bad);
        Assert.Contains("Please give the topic a title.", bad);
        Assert.Contains("Please spell out the key points (at least 10 characters)", bad);
        Assert.Contains("Longer than the meeting: it lasts only 60 minutes.", bad);

        var ok = Seen.Text(await SubmitAsync(Lucy, Form(title: "Airport shuttle timetable", presenter: Lucy, material: "1. Current timetable 2. Proposed changes 3. Cost", minutes: 4), "en-US"));
        Assert.Contains("Topic \"Airport shuttle timetable\" submitted; the host, 张伟, will review it.", ok);
        Assert.Contains("waiting for review", ok);

        _host.At(2026, 11, 27, 17, 0);
        var late = Seen.Text(await SubmitAsync(Lucy, Form(title: "Too late", presenter: Lucy), "en-US"));
        Assert.Contains("Topics for 周工作例会 (Mon 30 Nov 08:30–09:30) were due Fri 27 Nov 17:00", late);
        Assert.Contains("The form below submits the topic for the next meeting (Mon 7 Dec 08:30–09:30), due Fri 4 Dec 17:00.", late);
    }
}
