using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Jobs;
using ChatRegs.Meetings.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Meetings.Tests;

/// <summary>"新建例会" / "new meeting" and "修改例会": the form, its checks on the server, who may, and what is saved.</summary>
public sealed class SeriesFormFlowTests : IAsyncLifetime
{
    private MeetingsHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await MeetingsHost.StartAsync();
        await _host.KnowAsync((MeetingsHost.Host, "张伟"), (MeetingsHost.Recorder, "陈静"), (MeetingsHost.Office, "办公室主任"), ("29:a", "王小明"), ("29:b", "李娜"));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Microsoft.Bot.Builder.Adapters.TestAdapter InMeetingChat(string userId, string? locale = null) =>
        _host.Adapter(userId, locale, MeetingsHost.MeetingChat, "channel");

    private static object Form(params (string Key, string Value)[] changes)
    {
        var values = new Dictionary<string, string>
        {
            ["verb"] = "meetings.saveSeries", ["name"] = "周工作例会", ["conversation"] = MeetingsHost.MeetingChat, ["location"] = "三楼会议室",
            ["hostId"] = MeetingsHost.Host, ["recorder"] = MeetingsHost.Recorder, ["participants"] = "29:a,29:b", ["kind"] = "weekly", ["days"] = "Monday,Thursday",
            ["start"] = "08:30", ["end"] = "09:30", ["summerStart"] = "14:30", ["summerEnd"] = "18:00", ["summerFrom"] = "05-05", ["winterFrom"] = "11-07",
            ["dayOfMonth"] = "29", ["date"] = "2026-12-01", ["leaveApprover"] = "host", ["lateGrace"] = "5", ["windowBefore"] = "30", ["speakingLimit"] = "5",
        };
        foreach (var (k, v) in changes)
        {
            values[k] = v;
        }
        return values;
    }

    [Fact]
    public async Task An_employee_cannot_create_a_series()
    {
        var reply = Assert.Single(await _host.SayAsync(InMeetingChat("29:a"), "新建例会"));
        Assert.Equal("只有办公室或经理可以新建例会。", reply.AsMessageActivity().Text);
        var en = Assert.Single(await _host.Bot.SayAsync(InMeetingChat("29:a", "en-US"), "new meeting", "en-US"));
        Assert.Equal("Only the office or a manager can create a regular meeting.", en.AsMessageActivity().Text);
    }

    [Fact]
    public async Task The_office_creates_a_series_after_fixing_the_form()
    {
        var adapter = InMeetingChat(MeetingsHost.Office);
        var form = TurnKit.Card(Assert.Single(await _host.SayAsync(adapter, "新建例会")));
        Assert.Contains("新建例会", TurnKit.Text(form));
        // Defaults: this conversation, me as host, Monday 08:30–09:30, window 30 minutes.
        Assert.Equal(MeetingsHost.MeetingChat, (string?)TurnKit.Input(form, "conversation")["value"]);
        Assert.Equal(MeetingsHost.Office, (string?)TurnKit.Input(form, "hostId")["value"]);
        Assert.Equal("Monday", (string?)TurnKit.Input(form, "days")["value"]);
        Assert.Equal("30", (string?)TurnKit.Input(form, "windowBefore")["value"]);
        Assert.Contains("王小明", TurnKit.Input(form, "participants").ToString());

        // End before start and nobody invited: both errors, next to their fields, with the input kept.
        var bad = await _host.SubmitAsync(adapter, Form(("participants", ""), ("start", "10:00"), ("end", "09:00")));
        Assert.Contains("表单中有 2 处需要修改", string.Join("\n", bad.Select(b => b.AsMessageActivity().Text)));
        var again = TurnKit.Card(bad.Single(b => b.AsMessageActivity().Attachments?.Count > 0));
        var text = TurnKit.Text(again);
        Assert.Contains("结束时间必须晚于开始时间。", text);
        Assert.Contains("请至少选择一名参会人员。", text);
        Assert.Equal("周工作例会", (string?)TurnKit.Input(again, "name")["value"]);
        Assert.Equal("10:00", (string?)TurnKit.Input(again, "start")["value"]);
        Assert.Empty(await _host.Store.ListSeriesAsync(MeetingsHost.Tenant, default));

        var done = Assert.Single(await _host.SubmitAsync(adapter, Form()));
        Assert.Equal("已新建例会“周工作例会”：每星期一、星期四 08:30–09:30，地点 三楼会议室，主持人 张伟，参会 2 人。下一次：11月30日 周一 08:30–09:30，签到时间 08:00–09:30。", done.AsMessageActivity().Text);

        var series = Assert.Single(await _host.Store.ListSeriesAsync(MeetingsHost.Tenant, default));
        Assert.Equal(MeetingsHost.MeetingChat, series.ConversationId);
        Assert.Equal(MeetingsHost.Host, series.HostId);
        Assert.Equal(MeetingsHost.Recorder, series.RecorderId);
        Assert.Null(series.LeaveApproverId);
        Assert.Equal(5, series.LateGraceMinutes);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Thursday], series.Schedule.Days);
        Assert.Equal(MeetingsHost.Office, series.CreatedBy);
        Assert.Equal(["29:a", "29:b"], (await _host.Store.ListParticipantsAsync(MeetingsHost.Tenant, series.Id, default)).Order());

        // Its first check-in is scheduled.
        var (_, first) = await _host.Cache.GetOccurrenceAsync(MeetingsHost.Tenant, series.Id + "@202611300830", default);
        Assert.NotNull(await _host.Scheduler.GetAsync(MeetingsHost.Tenant, MeetingJobs.OpenJobId(first!)));

        // The flow is over: 帮助 is a command again.
        Assert.Contains("制度助手", TurnKit.Text(TurnKit.Card(Assert.Single(await _host.SayAsync(adapter, "帮助")))));
    }

    [Fact]
    public async Task The_office_sets_minutes_recipients_arrive_by_and_topic_cutoff_and_bad_values_come_back_next_to_their_fields()
    {
        await _host.Get<ChatRegs.Bot.People.NamedGroups>().SaveAsync(MeetingsHost.Tenant, "总经理室", ["29:b"], MeetingsHost.Office, null, default);
        var adapter = InMeetingChat(MeetingsHost.Office);
        var form = TurnKit.Card(Assert.Single(await _host.SayAsync(adapter, "新建例会")));
        // The defaults: five minutes early, topics until the agenda is posted, attendees get the minutes.
        Assert.Equal("5", (string?)TurnKit.Input(form, "arriveBy")["value"]);
        Assert.Equal("agenda", (string?)TurnKit.Input(form, "topicCutoff")["value"]);
        Assert.Equal("true", (string?)TurnKit.Input(form, "minutesToAttendees")["value"]);
        Assert.Contains("总经理室（分组）", TurnKit.Input(form, "minutesRecipients").ToString());
        Assert.Contains("主持人发布议程时（默认）", TurnKit.Input(form, "topicCutoff").ToString());

        // Out of range, forged recipient, forged choice: each message next to its field, what was typed kept, nothing saved.
        var bad = await _host.SubmitAsync(adapter, Form(("arriveBy", "90"), ("minutesRecipients", "group:董事会,29:a"), ("topicCutoff", "never"), ("minutesToAttendees", "maybe")));
        var card = TurnKit.Card(bad.Single(b => b.AsMessageActivity().Attachments?.Count > 0));
        var body = card.Descendants().OfType<JObject>().ToList();
        string After(string id) => (string?)body.Skip(body.FindIndex(o => (string?)o["id"] == id) + 1).First(o => (string?)o["type"] == "TextBlock")["text"] ?? "";
        Assert.Equal("请填写 0 到 60 之间的整数。", After("arriveBy"));
        Assert.Equal("这个人不在名单中，请从列表中选择。", After("minutesRecipients"));
        Assert.Equal("请从列表中选择。", After("topicCutoff"));
        Assert.Equal("请从列表中选择。", After("minutesToAttendees"));
        Assert.Equal("90", (string?)TurnKit.Input(card, "arriveBy")["value"]);
        Assert.Empty(await _host.Store.ListSeriesAsync(MeetingsHost.Tenant, default));

        Assert.Single(await _host.SubmitAsync(adapter, Form(("arriveBy", "10"), ("minutesRecipients", "group:总经理室,29:a"), ("topicCutoff", "dayBefore"), ("minutesToAttendees", "false"))));
        var series = Assert.Single(await _host.Store.ListSeriesAsync(MeetingsHost.Tenant, default));
        Assert.Equal(10, series.ArriveByMinutes);
        Assert.Equal(TopicCutoffs.WorkingDayBefore, series.TopicCutoff);
        Assert.Equal(["group:总经理室", "29:a"], series.MinutesRecipients);
        Assert.False(series.MinutesToAttendees);

        // 修改例会 opens on the saved values.
        var edit = TurnKit.Card(Assert.Single(await _host.SubmitAsync(adapter, new { verb = "meetings.editSeries", series = series.Id })));
        Assert.Equal("10", (string?)TurnKit.Input(edit, "arriveBy")["value"]);
        Assert.Equal("group:总经理室,29:a", (string?)TurnKit.Input(edit, "minutesRecipients")["value"]);
        Assert.Equal("false", (string?)TurnKit.Input(edit, "minutesToAttendees")["value"]);
    }

    [Fact]
    public async Task In_english_the_new_settings_have_english_labels_and_messages()
    {
        var adapter = InMeetingChat(MeetingsHost.Office, "en-US");
        var form = TurnKit.Text(TurnKit.Card(Assert.Single(await _host.Bot.SayAsync(adapter, "new meeting", "en-US"))));
        Assert.Contains("Arrive early by (minutes", form);
        Assert.Contains("Topics accepted until", form);
        Assert.Contains("Minutes recipients", form);
        var replies = await _host.Bot.SubmitAsync(adapter, Form(("arriveBy", "-1"), ("minutesRecipients", "29:ceo")), "en-US");
        var text = TurnKit.Text(TurnKit.Card(replies.Single(r => r.AsMessageActivity().Attachments?.Count > 0)));
        Assert.Contains("Enter a whole number from 0 to 60.", text);
        Assert.Contains("This person is not on the list; choose from the list.", text);
    }

    [Fact]
    public async Task A_series_stored_before_the_new_settings_loads_with_the_defaults()
    {
        await _host.WeeklyAsync(["29:a"]);
        var table = _host.Services.GetRequiredService<Azure.Data.Tables.TableServiceClient>()
            .GetTableClient(_host.Services.GetRequiredService<ChatRegs.Bot.Storage.TableNames>().Meetings);
        var row = (await table.GetEntityAsync<Azure.Data.Tables.TableEntity>(MeetingsHost.Tenant, "series|weekly")).Value;
        foreach (var column in new[] { "ArriveByMinutes", "TopicCutoff", "MinutesToAttendees" })
        {
            Assert.True(row.Remove(column));
        }
        await table.UpdateEntityAsync(row, Azure.ETag.All, Azure.Data.Tables.TableUpdateMode.Replace);
        var old = (await _host.Store.GetSeriesAsync(MeetingsHost.Tenant, "weekly", default))!;
        Assert.Equal(5, old.ArriveByMinutes);
        Assert.Equal(TopicCutoffs.AgendaPosted, old.TopicCutoff);
        Assert.True(old.MinutesToAttendees);
    }

    [Fact]
    public async Task A_forged_participant_or_conversation_is_refused_and_nothing_saved()
    {
        var adapter = InMeetingChat(MeetingsHost.Office);
        await _host.SayAsync(adapter, "新建例会");
        var replies = await _host.SubmitAsync(adapter, Form(("participants", "29:a,29:ceo"), ("conversation", "19:other@thread"), ("days", "Monday,Funday")));
        var text = TurnKit.Text(TurnKit.Card(replies.Single(r => r.AsMessageActivity().Attachments?.Count > 0)));
        Assert.Contains("这个人不在名单中，请从列表中选择。", text);
        Assert.Contains("请从列表中选择会议所在的聊天。", text);
        Assert.Contains("星期几无法识别，请从列表中选择。", text);
        Assert.Empty(await _host.Store.ListSeriesAsync(MeetingsHost.Tenant, default));
    }

    [Fact]
    public async Task In_english_a_past_date_for_a_one_off_meeting()
    {
        var adapter = InMeetingChat(MeetingsHost.Office, "en-US");
        var form = TurnKit.Text(TurnKit.Card(Assert.Single(await _host.Bot.SayAsync(adapter, "new meeting", "en-US"))));
        Assert.Contains("New regular meeting", form);
        var replies = await _host.Bot.SubmitAsync(adapter, Form(("kind", "once"), ("date", "2026-11-29")), "en-US");
        Assert.Contains("That time has passed; choose a later one.", TurnKit.Text(TurnKit.Card(replies.Single(r => r.AsMessageActivity().Attachments?.Count > 0))));
        var done = Assert.Single(await _host.Bot.SubmitAsync(adapter, Form(("kind", "once"), ("date", "2026-12-03")), "en-US"));
        Assert.StartsWith("Created \"周工作例会\": 2026-12-03 08:30–09:30, at 三楼会议室, host 张伟, 2 participants. Next: Thu 3 Dec 08:30–09:30", done.AsMessageActivity().Text);
    }

    [Fact]
    public async Task The_host_edits_the_series_a_participant_may_not()
    {
        await _host.WeeklyAsync(["29:a"]);
        var refused = Assert.Single(await _host.SubmitAsync(_host.Adapter("29:a"), new { verb = "meetings.editSeries", series = "weekly" }));
        Assert.Equal("只有办公室、经理或这个例会的主持人、记录员可以修改它。", refused.AsMessageActivity().Text);

        var adapter = _host.Adapter(MeetingsHost.Host);
        var form = TurnKit.Card(Assert.Single(await _host.SubmitAsync(adapter, new { verb = "meetings.editSeries", series = "weekly" })));
        Assert.Contains("修改例会", TurnKit.Text(form));
        Assert.Equal("周工作例会", (string?)TurnKit.Input(form, "name")["value"]);
        Assert.Equal("29:a", (string?)TurnKit.Input(form, "participants")["value"]);

        var saved = Assert.Single(await _host.SubmitAsync(adapter, Form(("name", "周工作例会（新）"), ("conversation", MeetingsHost.MeetingChat), ("participants", "29:a,29:b"), ("days", "Monday"))));
        Assert.StartsWith("已保存例会“周工作例会（新）”", saved.AsMessageActivity().Text);
        var series = await _host.Store.GetSeriesAsync(MeetingsHost.Tenant, "weekly", default);
        Assert.Equal("周工作例会（新）", series!.Name);
        Assert.Equal(["29:a", "29:b"], (await _host.Store.ListParticipantsAsync(MeetingsHost.Tenant, "weekly", default)).Order());
    }

    [Fact]
    public async Task Giving_up_after_five_bad_forms_saves_nothing_and_cancel_works()
    {
        var adapter = InMeetingChat(MeetingsHost.Office);
        await _host.SayAsync(adapter, "新建例会");
        var cancelled = Assert.Single(await _host.SayAsync(adapter, "取消"));
        Assert.Equal("已取消。", cancelled.AsMessageActivity().Text);
        await _host.SayAsync(adapter, "新建例会");
        var last = new List<IActivity>();
        for (var i = 0; i < 5; i++)
        {
            last = await _host.SubmitAsync(adapter, Form(("name", "")));
        }
        Assert.Contains("表单已经尝试了 5 次仍未通过", string.Join("\n", last.Select(l => l.AsMessageActivity().Text)));
        Assert.Empty(await _host.Store.ListSeriesAsync(MeetingsHost.Tenant, default));
        Assert.Contains("制度助手", TurnKit.Text(TurnKit.Card(Assert.Single(await _host.SayAsync(adapter, "帮助")))));
    }
}
