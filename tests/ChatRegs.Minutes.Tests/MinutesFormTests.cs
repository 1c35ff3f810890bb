using ChatRegs.Bot.Meetings.Minutes;
using ChatRegs.Minutes.Tests.Support;
using ChatRegs.TestSupport;
using Newtonsoft.Json.Linq;

using static ChatRegs.Minutes.Tests.Support.MinutesHost;

namespace ChatRegs.Minutes.Tests;

/// <summary>The recorder's form: pre-filled from the schedule, the roll and the agenda; drafts; the checks next to each field.</summary>
public sealed class MinutesFormTests
{
    private static JObject Input(JObject card, string id) =>
        card.Descendants().OfType<JObject>().Single(o => (string?)o["id"] == id);

    private static string Text(JObject card) => TurnKit.Text(card);

    [Fact]
    public async Task The_form_is_pre_filled_from_schedule_roll_and_agenda()
    {
        await using var host = await StartAsync();
        var card = Replies.Card(await host.SayAsync(Recorder, "会议纪要"));

        Assert.Equal("2026-11-30", (string?)Input(card, "date")["value"]);
        Assert.Equal("08:30", (string?)Input(card, "start")["value"]);
        Assert.Equal("09:30", (string?)Input(card, "end")["value"]);
        var text = Text(card);
        Assert.Contains("周工作例会", text);
        Assert.Contains("2026年11月30日 周一 08:30–09:30", text);
        Assert.Contains("张伟", text);
        Assert.Contains("陈静", text);
        // Attendees from the roll; absentees with the reason: leave marked.
        Assert.Contains("李娜（请假）", text);
        Assert.Contains("赵强（缺席）", text);
        var facts = card.Descendants().OfType<JObject>().Where(o => (string?)o["type"] == "FactSet").SelectMany(f => f["facts"]!.Children<JObject>()).ToDictionary(o => (string)o["title"]!, o => (string)o["value"]!);
        Assert.Contains("王小明", facts["与会人员"]);
        Assert.Contains("Lucy", facts["与会人员"]);
        Assert.DoesNotContain("赵强", facts["与会人员"]);
        // Due two working days after Monday 30 Nov: Wednesday 2 Dec.
        Assert.Equal("12月2日 周三", facts["应交日期"]);
        // The agenda's topics, each with a discussion record and an outcome.
        Assert.Contains("1. 十二月安全检查安排", text);
        Assert.Contains("2. 年终总结材料的报送", text);
        Assert.Equal("", (string?)Input(card, "discussion_t0")["value"]);
        Assert.NotNull(Input(card, "outcome_t1"));
        // Owners are chosen among the participants only.
        var owners = ((JArray)Input(card, "owner_0")["choices"]!).Select(c => (string)c["value"]!).ToList();
        Assert.Contains(Alice, owners);
        Assert.DoesNotContain(Stranger, owners);
        Assert.Equal(["保存草稿", "提交会议纪要"], Replies.Buttons(card));
    }

    private static string TopicLabel(JObject card, int index) =>
        (string)card.Descendants().OfType<JObject>().Where(o => ((string?)o["id"])?.StartsWith("title_") == true).ElementAt(index)["label"]!;

    [Fact]
    public async Task A_topic_slot_is_marked_optional_only_when_the_minutes_already_have_a_topic()
    {
        // Submitting needs at least one topic: with no agenda, the only slot must not say "可不填".
        await using var host = await StartAsync(agenda: false);
        Assert.Equal("议题（第 1 项）", TopicLabel(Replies.Card(await host.SayAsync(Recorder, "会议纪要")), 0));
        Assert.Equal("Topic (no. 1)", TopicLabel(Replies.Card(await host.SayAsync(Recorder, "minutes", "en-US")), 0));

        // With the agenda's two topics, a third one may be left empty.
        await using var withAgenda = await StartAsync();
        Assert.Equal("其他议题（第 3 项，可不填）", TopicLabel(Replies.Card(await withAgenda.SayAsync(Recorder, "会议纪要")), 0));
    }

    [Theory]
    [InlineData("会议纪要 2026-11-30")]
    [InlineData("会议纪要 11月30日")]
    [InlineData("纪要 周工作例会 11-30")]
    public async Task An_earlier_meeting_is_opened_by_its_date(string command)
    {
        await using var host = await StartAsync();
        // A week later: the latest meeting is Monday 7 Dec, but the 30 Nov minutes can still be reached.
        host.Feature.At(new DateOnly(2026, 12, 8), 10);
        Assert.Equal("2026-12-07", (string?)Input(Replies.Card(await host.SayAsync(Recorder, "会议纪要")), "date")["value"]);

        var card = Replies.Card(await host.SayAsync(Recorder, command));
        Assert.Equal("2026-11-30", (string?)Input(card, "date")["value"]);
        Assert.Contains("赵强（缺席）", Text(card));
    }

    [Fact]
    public async Task A_date_without_a_meeting_says_so()
    {
        await using var host = await StartAsync();
        host.Feature.At(new DateOnly(2026, 12, 8), 10);
        Assert.Equal("那天（2026-12-01）你参加的例会都没有开会。发送“会议纪要”查看最近一次会议的纪要。", Replies.All(await host.SayAsync(Recorder, "会议纪要 2026-12-01")));
        Assert.Equal("None of your meetings was held on 2026-12-01. Send \"minutes\" for the latest meeting's minutes.", Replies.All(await host.SayAsync(Lucy, "minutes 2026-12-01")));
        // Not a real day: read as part of a name, which matches nothing.
        Assert.Equal("没有找到名为“2026-13-45”的例会（或者你不参加它）。", Replies.All(await host.SayAsync(Recorder, "会议纪要 2026-13-45")));
    }

    [Fact]
    public async Task A_substitute_host_is_named_and_English_readers_get_English()
    {
        await using var host = await StartAsync();
        await host.Feature.Get<ChatRegs.Bot.Meetings.MeetingStore>().SaveChangeAsync(Tenant,
            new ChatRegs.Bot.Meetings.MeetingStore.OccurrenceChange(Meeting, false, null, null, Lucy, null, Office, host.Feature.Clock.GetUtcNow()), default);
        host.Feature.Get<ChatRegs.Bot.Meetings.MeetingCache>().Invalidate(Tenant, "weekly");
        var card = Replies.Card(await host.SayAsync(Recorder, "minutes", "en-US"));
        var text = Text(card);
        Assert.Contains("Meeting minutes", text);
        Assert.Contains("Lucy (substitute host)", text);
        Assert.Contains("李娜 (On leave)", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Wed 2 Dec", text);
        Assert.Contains("Mon 30 Nov 2026 08:30–09:30", text);
        Assert.Equal(["Save draft", "Submit the minutes"], Replies.Buttons(card));
    }

    [Fact]
    public async Task Submitting_with_required_fields_missing_marks_each_and_keeps_what_was_written()
    {
        await using var host = await StartAsync();
        var form = FilledForm();
        form["discussion_t1"] = "";
        form["outcome_t1"] = "";
        form["owner_0"] = "";
        var replies = await host.SubmitMinutesAsync(form);
        var card = Replies.Card(replies);
        var text = Text(card);
        Assert.Contains("有 3 处需要修改", text);
        Assert.Contains("会议纪要尚未提交", text);
        Assert.Equal(3, Replies.TextBlocks(card).Count(t => t == "此项必填。"));
        // What was written is kept in the form and in the draft.
        Assert.Equal("王小明：检查范围为航站楼和货运区。", (string?)Input(card, "discussion_t0")["value"]);
        Assert.Equal("完成消防通道清理", (string?)Input(card, "desc_0")["value"]);
        var doc = await host.Store.GetAsync(Tenant, Meeting, default);
        Assert.NotNull(doc);
        Assert.False(doc!.Submitted);
        Assert.Equal("同意按计划检查。", doc.Content.Topics[0].Outcome);
        Assert.Empty(await host.Store.VersionsAsync(Tenant, Meeting, default));
        Assert.Empty(await host.ItemsAsync());
        Assert.Empty(host.Feature.CardsTo(Gm));
    }

    [Fact]
    public async Task Bad_times_owners_and_due_dates_are_explained_next_to_the_field()
    {
        await using var host = await StartAsync();
        var form = FilledForm();
        form["end"] = "08:00";
        form["owner_0"] = Stranger;
        form["due_0"] = "2026-11-27";
        var card = Replies.Card(await host.SubmitMinutesAsync(form));
        var blocks = Replies.TextBlocks(card);
        Assert.Contains("结束时间必须晚于开始时间。", blocks);
        Assert.Contains("负责人必须是这次会议的参会人员。", blocks);
        Assert.Contains("完成日期不能早于今天。", blocks);
        // Each message follows its own input.
        var body = card.Descendants().OfType<JObject>().Where(o => o["type"] != null).ToList();
        var endInput = body.FindIndex(o => (string?)o["id"] == "end");
        Assert.Equal("结束时间必须晚于开始时间。", (string?)body[endInput + 1]["text"]);
        var dueInput = body.FindIndex(o => (string?)o["id"] == "due_0");
        Assert.Equal("完成日期不能早于今天。", (string?)body[dueInput + 1]["text"]);
        Assert.Equal("08:00", (string?)Input(card, "end")["value"]);

        form.Remove("rev");
        var en = Replies.Card(await host.SubmitFormAsync(form, locale: "en-US"));
        Assert.Contains("The end time must be after the start time.", Replies.TextBlocks(en));
        Assert.Contains("The owner must be a participant of this meeting.", Replies.TextBlocks(en));
        Assert.Contains("The due date can't be in the past.", Replies.TextBlocks(en));
        Assert.Empty(await host.Store.VersionsAsync(Tenant, Meeting, default));
    }

    [Fact]
    public async Task A_draft_is_saved_and_comes_back_when_the_minutes_are_opened_again()
    {
        await using var host = await StartAsync();
        var form = FilledForm("minutes.save");
        form.Remove("outcome_t1");
        form["title_x0"] = "其他：食堂排班";
        form["discussion_x0"] = "李娜请假，由赵强代为说明。";
        var saved = Replies.Card(await host.SubmitFormAsync(form));
        Assert.Contains("草稿已保存", Text(saved));
        Assert.DoesNotContain("此项必填。", Replies.TextBlocks(saved));

        var again = Replies.Card(await host.SayAsync(Recorder, "纪要"));
        Assert.Contains("草稿 · 保存于", Text(again));
        Assert.Equal("王小明：检查范围为航站楼和货运区。", (string?)Input(again, "discussion_t0")["value"]);
        Assert.Equal("其他：食堂排班", (string?)Input(again, "title_x0")["value"]);
        Assert.Equal("09:40", (string?)Input(again, "end")["value"]);
        // A fresh empty slot for yet another topic.
        Assert.NotNull(Input(again, "title_x1"));
        var doc = await host.Store.GetAsync(Tenant, Meeting, default);
        Assert.Equal(3, doc!.Content.Topics.Count);
        Assert.Equal("陈静", doc.SavedByName);
    }

    [Fact]
    public async Task Participants_cannot_write_the_minutes_and_strangers_cannot_read_them()
    {
        await using var host = await StartAsync();
        var refused = Replies.All(await host.SubmitFormAsync(FilledForm(), Alice));
        Assert.Contains("只有这次例会的记录员或主持人", refused);
        Assert.Null(await host.Store.GetAsync(Tenant, Meeting, default));

        // Before submission a participant is told the minutes are not in yet.
        Assert.Contains("还没有提交（应于 12月2日 周三 前提交）", Replies.All(await host.SayAsync(Alice, "会议纪要")));
        Assert.Contains("近期没有已召开的例会", Replies.All(await host.SayAsync(Stranger, "会议纪要")));

        await host.SubmitMinutesAsync();
        // A participant reads the minutes, without an edit button.
        var read = Replies.Card(await host.SayAsync(Alice, "会议纪要"));
        Assert.Contains("商议结果：同意按计划检查。", Text(read));
        Assert.DoesNotContain("修改（保存为新版本）", Replies.Buttons(read));
        // A stranger cannot read them, even with the button's data.
        Assert.Contains("只有这次例会的与会人员", Replies.All(await host.SubmitAsync(Stranger, new { verb = "minutes.version", occurrence = Meeting, version = 1 })));
        // Nor edit them.
        Assert.Contains("只有这次例会的记录员或主持人", Replies.All(await host.SubmitAsync(Alice, new { verb = "minutes.edit", occurrence = Meeting })));
    }

    [Fact]
    public async Task The_host_may_write_the_minutes_too()
    {
        await using var host = await StartAsync();
        var replies = await host.SubmitFormAsync(FilledForm(), Host);
        Assert.Contains("会议纪要已提交（第 1 版）", Replies.All(replies));
        var version = Assert.Single(await host.Store.VersionsAsync(Tenant, Meeting, default));
        Assert.Equal("张伟", version.ByName);
    }

    [Fact]
    public async Task The_first_form_is_still_current_after_its_own_first_press_saved_the_draft()
    {
        // QA: the first form opened right after Teams ended the meeting carried rev "", and 提交
        // from that card answered "这张表单不是最新的" instead of checking the fields. Its first
        // press saves the draft (a submit with a field missing too), and "" then no longer
        // matched the saved row ("0||") although the form's rows were the same.
        await using var host = await StartAsync(agenda: false);
        host.Feature.At(Monday.AddDays(7), 9, 20);
        await host.MeetingEventAsync("meetingEnd", new { Id = "MCMeeting-weekly", MeetingType = "Scheduled", EndTime = "2026-12-07T01:20:00Z" });

        var card = Replies.Card(await host.SayAsync(Recorder, "会议纪要"));
        Assert.Equal(NextMeeting, (string?)Replies.Button(card, "提交会议纪要")["occurrence"]);
        // Pressed before anything was typed: the fields are checked (a topic is needed) and the draft is saved.
        var incomplete = Replies.All(await host.Feature.PressAsync(Recorder, card, "提交会议纪要"));
        Assert.DoesNotContain("这张表单不是最新的", incomplete);
        Assert.Contains("未提交", incomplete);
        Assert.NotNull(await host.Store.GetAsync(Tenant, NextMeeting, default));

        // The same first card, completed and pressed again: its fields are checked and it is submitted.
        var replies = Replies.All(await host.Feature.PressAsync(Recorder, card, "提交会议纪要", new Dictionary<string, string>
        {
            ["title_x0"] = "年终工作安排",
            ["discussion_x0"] = "张伟：各部门12月15日前报送。",
            ["outcome_x0"] = "按期报送。",
        }));
        Assert.DoesNotContain("这张表单不是最新的", replies);
        Assert.Contains("会议纪要已提交（第 1 版）", replies);
    }

    [Fact]
    public async Task The_form_is_pre_filled_with_the_times_teams_reported_else_the_scheduled_ones()
    {
        await using var host = await StartAsync(agenda: false);
        var nextMonday = Monday.AddDays(7);
        // Teams: the meeting of 7 Dec started at 08:33:40 and ended at 09:17:05 (scheduled 08:30–09:30).
        host.Feature.At(nextMonday, 8, 33);
        host.Feature.Clock.Advance(TimeSpan.FromSeconds(40));
        await host.MeetingEventAsync("meetingStart", new { Id = "MCMeeting-weekly", MeetingType = "Scheduled", StartTime = "2026-12-07T00:33:40Z" });
        host.Feature.At(nextMonday, 9, 17);
        host.Feature.Clock.Advance(TimeSpan.FromSeconds(5));
        await host.MeetingEventAsync("meetingEnd", new { Id = "MCMeeting-weekly", MeetingType = "Scheduled", EndTime = "2026-12-07T01:17:05Z" });
        host.Feature.At(nextMonday, 9, 30);

        var card = Replies.Card(await host.SayAsync(Recorder, "会议纪要"));
        Assert.Equal("2026-12-07", (string?)Input(card, "date")["value"]);
        Assert.Equal("08:33", (string?)Input(card, "start")["value"]);
        Assert.Equal("09:17", (string?)Input(card, "end")["value"]);

        // The meeting of 30 Nov had no Teams events: the scheduled times.
        var earlier = Replies.Card(await host.SayAsync(Recorder, "会议纪要 11月30日"));
        Assert.Equal("2026-11-30", (string?)Input(earlier, "date")["value"]);
        Assert.Equal("08:30", (string?)Input(earlier, "start")["value"]);
        Assert.Equal("09:30", (string?)Input(earlier, "end")["value"]);
    }

    [Fact]
    public async Task A_form_from_before_the_last_save_is_not_applied_and_the_current_form_comes_back()
    {
        await using var host = await StartAsync();
        var first = FilledForm("minutes.save");
        await host.SubmitFormAsync(first);
        var rev = (string?)first["rev"];
        var newer = FilledForm("minutes.save");
        newer["outcome_t0"] = "改为下周检查。";
        await host.SubmitFormAsync(newer);

        // The first card again, with its old revision.
        var stale = FilledForm();
        stale["rev"] = rev;
        stale["outcome_t0"] = "旧卡片上的内容";
        var card = Replies.Card(await host.SubmitFormAsync(stale));
        Assert.Contains("这张表单不是最新的", TurnKit.Text(card));
        Assert.Equal("改为下周检查。", (string?)Input(card, "outcome_t0")["value"]);
        var doc = await host.Store.GetAsync(Tenant, Meeting, default);
        Assert.Equal("改为下周检查。", doc!.Content.Topics[0].Outcome);
        Assert.False(doc.Submitted);
    }

    [Fact]
    public async Task The_form_saves_and_submits_in_place_with_action_execute()
    {
        await using var host = await StartAsync();
        var (saved, _) = await host.ExecuteAsync(FilledForm("minutes.save"));
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)saved["type"]);
        var card = (JObject)saved["value"]!;
        Assert.Contains("草稿已保存", TurnKit.Text(card));
        Assert.Equal(["保存草稿", "提交会议纪要"], Replies.Buttons(card));

        var (submitted, replies) = await host.ExecuteAsync(FilledForm());
        Assert.Contains("第 1 版 · 陈静", TurnKit.Text((JObject)submitted["value"]!));
        Assert.Contains("会议纪要已提交（第 1 版）", Replies.All(replies));
        Assert.Single(await host.Store.VersionsAsync(Tenant, Meeting, default));
    }
}
