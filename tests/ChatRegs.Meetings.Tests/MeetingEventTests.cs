using System.Net;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Attendance;
using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatRegs.Meetings.Tests;

/// <summary>
/// Teams' own meeting events, posted to /api/messages as Teams sends them to a bot in the
/// meeting's chat (event activities application/vnd.microsoft.meetingStart, meetingEnd,
/// meetingParticipantJoin and meetingParticipantLeave), and what people then see: the reminder
/// in their own chat, the roll the host and recorder get, 早退 on the roll.
/// </summary>
public sealed class MeetingEventTests : IAsyncLifetime
{
    private const string Tenant = "tenant-ev";
    private const string Chat = "19:weekly-ev@thread.tacv2";
    private const string Key = "weekly@202611300830";
    private const string MeetingId = "MCMeeting-weekly";
    private const string PanelUrl = "https://chatregs.test/tabs/meeting.html";
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private HttpFeatureHost _host = null!;

    /// <summary>刘洋 (29:d) has approved leave from the meeting.</summary>
    private sealed class OnLeave : ILeaveRoster
    {
        public Task<IReadOnlySet<string>> ApprovedLeaveAsync(string tenantId, string occurrenceKey, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlySet<string>>(new HashSet<string> { "29:d" });
    }

    public async Task InitializeAsync()
    {
        _host = await HttpFeatureHost.StartAsync(Tenant, At(8, 0), configure: s =>
        {
            s.AddSingleton<ILeaveRoster, OnLeave>();
            s.Configure<MeetingOptions>(o => o.InMeetingNotificationUrl = PanelUrl);
        });
        await _host.PersonAsync("29:host", "张伟");
        await _host.PersonAsync("29:recorder-en", "Chen Jing", locale: "en-US");
        await _host.PersonAsync("29:a", "王小明");
        await _host.PersonAsync("29:b", "李娜");
        await _host.PersonAsync("29:c-en", "Lucy", locale: "en-US");
        await _host.PersonAsync("29:d", "刘洋");
        await _host.KnowChatAsync(Chat, "29:host", "张伟", "channel");
        await BotSeed.WeeklySeriesAsync(_host.Services, Tenant, Chat, "29:host", "29:recorder-en", ["29:a", "29:b", "29:c-en", "29:d"], At(7, 0));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static DateTimeOffset At(int hour, int minute) => new(2026, 11, 30, hour, minute, 0, China);

    private void Now(int hour, int minute) => _host.MoveTo(At(hour, minute));

    /// <summary>A Teams meeting event in the meeting's chat, as Teams sends it (from the organizer, with the meeting in the channel data).</summary>
    private JsonObject Event(string name, JsonNode? value, string conversationId = Chat, string? tenant = null, string locale = "zh-CN")
    {
        var activity = _host.Activity("29:host", locale, "event", conversationId, "channel");
        activity["name"] = "application/vnd.microsoft." + name;
        activity["value"] = value;
        activity["channelData"] = new JsonObject
        {
            ["tenant"] = new JsonObject { ["id"] = tenant ?? Tenant },
            ["meeting"] = new JsonObject { ["id"] = "MCMeeting-weekly" },
        };
        if (tenant != null)
        {
            activity["conversation"]!["tenantId"] = tenant;
        }
        return activity;
    }

    private static JsonObject Members(bool inMeeting, params (string Id, string Name)[] people) => new()
    {
        ["members"] = new JsonArray(people.Select(p => (JsonNode)new JsonObject
        {
            ["user"] = new JsonObject { ["id"] = p.Id, ["name"] = p.Name, ["aadObjectId"] = "aad-" + p.Id, ["tenantId"] = Tenant },
            ["meeting"] = new JsonObject { ["inMeeting"] = inMeeting, ["role"] = "Attendee" },
        }).ToArray()),
    };

    /// <summary>Posts the event; Teams gets 200 and the meeting chat no message.</summary>
    private async Task SendAsync(JsonObject activity)
    {
        var replies = await _host.PostAsync(activity);
        Assert.DoesNotContain(replies, r => (string?)r?["type"] == "message");
    }

    private Task JoinAsync(params (string Id, string Name)[] people) => SendAsync(Event("meetingParticipantJoin", Members(true, people)));

    private Task LeaveAsync(params (string Id, string Name)[] people) => SendAsync(Event("meetingParticipantLeave", Members(false, people)));

    private static JsonObject StartValue() => new() { ["Id"] = "MCMeeting-weekly", ["MeetingType"] = "Scheduled", ["JoinUrl"] = "https://teams.microsoft.com/l/meetup-join/x", ["Title"] = "周工作例会", ["StartTime"] = "2026-11-30T00:31:00Z" };

    private static JsonObject EndValue() => new() { ["Id"] = "MCMeeting-weekly", ["MeetingType"] = "Scheduled", ["JoinUrl"] = "https://teams.microsoft.com/l/meetup-join/x", ["Title"] = "周工作例会", ["EndTime"] = "2026-11-30T01:10:00Z" };

    private IReadOnlyList<ConnectorCall> To(string userId) => _host.Connector.PostedTo(FeatureHost.ChatOf(userId));

    private async Task<string> RollAsync(string userId = "29:host", string locale = "zh-CN") =>
        JsonReplies.ReadableText(await _host.SayAsync(userId, locale == "zh-CN" ? "签到表" : "attendance", locale));

    [Fact]
    public async Task Meeting_start_reminds_each_person_not_checked_in_once_in_their_own_chat_and_language()
    {
        Now(8, 26);
        await JoinAsync(("29:a", "王小明"), ("29:host", "张伟"));
        Now(8, 31);
        var start = Event("meetingStart", StartValue());
        await SendAsync(start);
        await _host.RunDueJobsAsync();

        // 李娜 and Lucy (and the recorder) have not checked in: one notice each, in their language.
        var toB = Assert.Single(To("29:b"));
        Assert.Equal("【会议已开始】周工作例会（11月30日 周一 08:30–09:30，三楼会议室）已经开始，你还没有签到。请尽快到会：加入会议即自动签到，也可以在这里发送“签到”。如不能参加，请向主持人张伟说明。", toB.Text);
        var toC = Assert.Single(To("29:c-en"));
        Assert.StartsWith("[Meeting started] 周工作例会 (Mon 30 Nov 08:30–09:30, 三楼会议室) has started and you have not checked in.", toC.Text);
        Assert.Single(To("29:recorder-en"));
        // Checked in (by joining), or on approved leave: nothing. Nobody is named in the meeting chat.
        Assert.Empty(To("29:a"));
        Assert.Empty(To("29:host"));
        Assert.Empty(To("29:d"));
        Assert.Empty(_host.Connector.PostedTo(Chat));

        // Teams delivering the same event again, and a second meetingStart (the meeting restarted): nothing more.
        await SendAsync(start);
        Now(8, 40);
        await SendAsync(Event("meetingStart", StartValue()));
        await _host.RunDueJobsAsync();
        Assert.Single(To("29:b"));
        Assert.Single(To("29:c-en"));
        Assert.Single(To("29:recorder-en"));
    }

    [Fact]
    public async Task Those_in_the_meeting_but_not_checked_in_get_a_targeted_in_meeting_notification_in_their_language_and_the_rest_a_message()
    {
        // 李娜 and Lucy are in the Teams meeting without a check-in (e.g. they joined before the bot was added); the recorder is not in it.
        _host.Connector.InMeeting[MeetingId] = ["29:b", "29:c-en", "29:a", "29:host"];
        Now(8, 26);
        await JoinAsync(("29:a", "王小明"), ("29:host", "张伟"));
        Now(8, 31);
        await SendAsync(Event("meetingStart", StartValue()));
        await _host.RunDueJobsAsync();

        var notifications = _host.Connector.NotificationsIn(MeetingId);
        Assert.Equal(2, notifications.Count);
        var zh = Assert.Single(notifications, n => (string?)n.Body!["value"]!["surfaces"]![0]!["content"]!["value"]!["title"] == "周工作例会 已开始，请签到");
        Assert.Equal(["29:b"], zh.Body!["value"]!["recipients"]!.AsArray().Select(r => (string?)r));
        Assert.Equal("targetedMeetingNotification", (string?)zh.Body["type"]);
        var stage = zh.Body["value"]!["surfaces"]![0]!;
        // As the Bot Framework SDK writes them ("MeetingStage", "Task"); Teams reads the names case-insensitively.
        Assert.Equal("meetingStage", (string?)stage["surface"], ignoreCase: true);
        Assert.Equal("task", (string?)stage["contentType"], ignoreCase: true);
        Assert.Equal(PanelUrl, (string?)stage["content"]!["value"]!["url"]);
        var en = Assert.Single(notifications, n => (string?)n.Body!["value"]!["surfaces"]![0]!["content"]!["value"]!["title"] == "周工作例会 has started: please check in");
        Assert.Equal(["29:c-en", "29:recorder-en"], en.Body!["value"]!["recipients"]!.AsArray().Select(r => (string?)r).Order(StringComparer.Ordinal));

        // Shown in the meeting: no message in their chat. Not in the meeting (Teams said so): the personal message.
        Assert.Empty(To("29:b"));
        Assert.Empty(To("29:c-en"));
        Assert.StartsWith("[Meeting started] 周工作例会", Assert.Single(To("29:recorder-en")).Text);
        // Checked in or on leave: neither.
        Assert.DoesNotContain(notifications, n => n.Body!["value"]!["recipients"]!.AsArray().Any(r => (string?)r is "29:a" or "29:d" or "29:host"));

        // The same event again, or the meeting restarted: nobody is told twice.
        Now(8, 40);
        await SendAsync(Event("meetingStart", StartValue()));
        await _host.RunDueJobsAsync();
        Assert.Equal(2, _host.Connector.NotificationsIn(MeetingId).Count);
        Assert.Single(To("29:recorder-en"));
        Assert.Empty(To("29:b"));
    }

    [Fact]
    public async Task When_Teams_refuses_the_in_meeting_notification_everyone_not_checked_in_gets_the_message_instead()
    {
        _host.Connector.InMeeting[MeetingId] = ["29:b", "29:c-en", "29:recorder-en"];
        _host.Connector.RefuseNotifications[MeetingId] = System.Net.HttpStatusCode.Forbidden;
        Now(8, 31);
        await SendAsync(Event("meetingStart", StartValue()));
        await _host.RunDueJobsAsync();

        Assert.All(_host.Connector.NotificationsIn(MeetingId), n => Assert.Equal("POST(403)", n.Method));
        Assert.NotEmpty(_host.Connector.NotificationsIn(MeetingId));
        Assert.StartsWith("【会议已开始】周工作例会", Assert.Single(To("29:b")).Text);
        Assert.Single(To("29:c-en"));
        Assert.Single(To("29:recorder-en"));
        Assert.DoesNotContain(_host.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task A_meeting_start_without_the_meeting_id_falls_back_to_personal_messages()
    {
        _host.Connector.InMeeting[MeetingId] = ["29:b"];
        Now(8, 31);
        var start = Event("meetingStart", new JsonObject { ["MeetingType"] = "Scheduled", ["Title"] = "周工作例会" });
        start["channelData"]!.AsObject().Remove("meeting");
        await SendAsync(start);
        await _host.RunDueJobsAsync();

        Assert.Empty(_host.Connector.NotificationsIn(MeetingId));
        Assert.Single(To("29:b"));
    }

    [Fact]
    public async Task Meeting_end_before_the_scheduled_end_makes_the_roll_final_and_sends_it_once()
    {
        Now(8, 25);
        await JoinAsync(("29:a", "王小明"));
        Now(8, 35);
        await JoinAsync(("29:b", "李娜"));
        Now(9, 10);
        var end = Event("meetingEnd", EndValue());
        await SendAsync(end);
        await _host.RunDueJobsAsync();

        // The roll goes to the host and the recorder now, final, each in their language.
        var toHost = Assert.Single(To("29:host")).ReadableText;
        Assert.Contains("会议已于 09:10 结束，以下为最终签到表。", toHost);
        Assert.Contains("缺席（3）", toHost);
        Assert.DoesNotContain("签到进行中", toHost);
        var toRecorder = Assert.Single(To("29:recorder-en")).ReadableText;
        Assert.Contains("The meeting ended at 09:10; this is the final roll.", toRecorder);

        // Afterwards it is not in progress: the roll says so and check-in has closed.
        Now(9, 12);
        Assert.Contains("会议已于 09:10 结束", await RollAsync());
        Assert.Contains("周工作例会（11月30日 周一 08:30–09:30）的签到已经结束", JsonReplies.ReadableText(await _host.SayAsync("29:c-en", "签到")));
        Assert.Contains("Check-in for 周工作例会 (Mon 30 Nov 08:30–09:30) has closed.", JsonReplies.ReadableText(await _host.SayAsync("29:c-en", "check in", "en-US")));
        Assert.Null(await _host.Get<CheckInStore>().GetAsync(Tenant, Key, "29:c-en", default));

        // The end delivered again, and the scheduled end passing: the roll is not sent twice.
        await SendAsync(end);
        await SendAsync(Event("meetingEnd", EndValue()));
        await _host.RunDueJobsAsync();
        Now(9, 31);
        await _host.RunDueJobsAsync();
        Assert.Single(To("29:host"));
        Assert.Single(To("29:recorder-en"));
    }

    [Fact]
    public async Task Leaving_before_the_end_marks_left_early_with_the_time_and_coming_back_clears_it()
    {
        Now(8, 25);
        await JoinAsync(("29:a", "王小明"), ("29:b", "李娜"), ("29:c-en", "Lucy"));
        Now(9, 0);
        await LeaveAsync(("29:a", "王小明"), ("29:b", "李娜"));
        Now(9, 5);
        await JoinAsync(("29:b", "李娜"));

        var roll = await RollAsync();
        Assert.Contains("早退（1）", roll);
        Assert.Contains("09:00 离开会议", roll);
        var entries = (await _host.Get<AttendanceService>().GetRollAsync(Tenant, Key, default))!.Entries;
        Assert.Equal(AttendanceStatus.LeftEarly, entries.Single(e => e.UserId == "29:a").Status);
        Assert.Equal(AttendanceStatus.Early, entries.Single(e => e.UserId == "29:b").Status);
        Assert.Contains("left the meeting at 09:00", await RollAsync("29:recorder-en", "en-US"));

        // Hanging up in the last minutes is the meeting ending, not 早退; leaving after the end changes nothing.
        Now(9, 27);
        await LeaveAsync(("29:b", "李娜"));
        Now(9, 31);
        await LeaveAsync(("29:c-en", "Lucy"));
        entries = (await _host.Get<AttendanceService>().GetRollAsync(Tenant, Key, default))!.Entries;
        Assert.Equal(AttendanceStatus.Early, entries.Single(e => e.UserId == "29:b").Status);
        Assert.Equal(AttendanceStatus.Early, entries.Single(e => e.UserId == "29:c-en").Status);

        // The host can still correct it: the correction made after the leave counts.
        Now(9, 40);
        var fixedRoll = JsonReplies.ReadableText(await _host.SubmitAsync("29:host", new JsonObject { ["verb"] = "meetings.correct", ["occurrence"] = Key, ["person"] = "29:a", ["status"] = "Excused", ["reason"] = "客户来访" }));
        Assert.Contains("已更正：王小明 → 准假（客户来访）。", fixedRoll);
        Assert.DoesNotContain("早退（", fixedRoll);
    }

    [Fact]
    public async Task Someone_who_never_checked_in_and_leaves_stays_absent_and_a_leave_before_a_later_check_in_does_not_count()
    {
        // 李娜 was in the call before check-in opened (not checked in) and left at 08:10: absent, not 早退.
        Now(8, 10);
        await LeaveAsync(("29:b", "李娜"));
        var entries = (await _host.Get<AttendanceService>().GetRollAsync(Tenant, Key, default))!.Entries;
        Assert.Equal(AttendanceStatus.Absent, entries.Single(e => e.UserId == "29:b").Status);
        // She checks in later by typing: present, not 早退.
        Now(8, 20);
        await _host.SayAsync("29:b", "签到");
        entries = (await _host.Get<AttendanceService>().GetRollAsync(Tenant, Key, default))!.Entries;
        Assert.Equal(AttendanceStatus.Early, entries.Single(e => e.UserId == "29:b").Status);
    }

    [Fact]
    public async Task Events_of_a_chat_without_a_series_or_of_another_tenant_are_ignored_politely()
    {
        Now(8, 40);
        foreach (var activity in new[]
        {
            Event("meetingStart", StartValue(), conversationId: "19:other-meeting@thread.v2"),
            Event("meetingParticipantJoin", Members(true, ("29:a", "王小明")), conversationId: "19:other-meeting@thread.v2"),
            Event("meetingParticipantLeave", Members(false, ("29:a", "王小明")), conversationId: "19:other-meeting@thread.v2"),
            Event("meetingEnd", EndValue(), conversationId: "19:other-meeting@thread.v2"),
            // The same chat id, another tenant: not this tenant's meeting.
            Event("meetingStart", StartValue(), tenant: "tenant-other"),
            Event("meetingParticipantJoin", Members(true, ("29:a", "王小明")), tenant: "tenant-other"),
            Event("meetingParticipantLeave", Members(false, ("29:a", "王小明")), tenant: "tenant-other"),
            Event("meetingEnd", EndValue(), tenant: "tenant-other"),
        })
        {
            await SendAsync(activity);
        }
        // A member who says they are of another tenant, in our meeting: not checked in.
        var guest = Members(true, ("29:a", "王小明"));
        guest["members"]![0]!["user"]!["tenantId"] = "tenant-other";
        await SendAsync(Event("meetingParticipantJoin", guest));

        await _host.RunDueJobsAsync();
        var (checkIns, corrections) = await _host.Get<CheckInStore>().ReadAsync(Tenant, Key, default);
        Assert.Empty(checkIns);
        Assert.Empty(corrections);
        Assert.Null(await _host.Get<CheckInStore>().EndedAtAsync(Tenant, Key, default));
        Assert.DoesNotContain(_host.Connector.Calls, c => c.Method == "POST");
        Assert.DoesNotContain(_host.Logs.Entries, e => e.Level >= LogLevel.Error);
        // Still on: the roll is in progress.
        Assert.Contains("签到进行中", await RollAsync());
    }

    public static IEnumerable<object[]> Malformed()
    {
        yield return ["meetingParticipantJoin", """{"members": [{}]}"""];
        yield return ["meetingParticipantJoin", """{"members": [{"user": {}}, {"user": {"id": ""}}, {"user": null}, null]}"""];
        yield return ["meetingParticipantLeave", """{"members": [{"user": {"name": "王小明"}, "meeting": {"inMeeting": false}}]}"""];
        yield return ["meetingParticipantJoin", """{"members": "29:a"}"""];
        yield return ["meetingParticipantJoin", """{"members": [1, 2]}"""];
        yield return ["meetingParticipantJoin", """{"members": [{"user": "29:a"}]}"""];
        yield return ["meetingParticipantLeave", """{"members": [{"user": {"id": 5}, "meeting": {"inMeeting": "no"}}]}"""];
        yield return ["meetingParticipantJoin", """{"members": {"user": {"id": "29:a"}}}"""];
        yield return ["meetingParticipantJoin", "\"x\""];
        yield return ["meetingParticipantLeave", "{}"];
        yield return ["meetingParticipantJoin", """{"members": [{"user": {"id": "29:""" + new string('x', 5000) + """ "}}]}"""];
        yield return ["meetingStart", """{"StartTime": "yesterday"}"""];
        yield return ["meetingStart", "{}"];
        yield return ["meetingEnd", """{"EndTime": 5}"""];
        yield return ["meetingEnd", "[]"];
    }

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task Forged_or_malformed_event_values_get_a_clear_answer_never_an_exception(string name, string value)
    {
        Now(8, 40);
        var activity = Event(name, JsonNode.Parse(value));
        activity["deliveryMode"] = "expectReplies";
        var response = await _host.SendAsync(activity);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        Assert.DoesNotContain(_host.Logs.Entries, e => e.Level >= LogLevel.Error);
        var (checkIns, _) = await _host.Get<CheckInStore>().ReadAsync(Tenant, Key, default);
        Assert.Empty(checkIns);
        // The bot is fine afterwards: a real join checks in.
        await JoinAsync(("29:a", "王小明"));
        Assert.NotNull(await _host.Get<CheckInStore>().GetAsync(Tenant, Key, "29:a", default));
    }

    [Fact]
    public async Task A_huge_member_list_is_looked_at_up_to_the_cap_without_failing()
    {
        Now(8, 40);
        var many = Enumerable.Range(0, 3000).Select(i => ($"29:x{i}", $"访客{i}")).Append(("29:a", "王小明")).ToArray();
        await SendAsync(Event("meetingParticipantJoin", Members(true, many)));
        // Past the first 500 entries: not looked at (and nobody unexpected was checked in).
        var (checkIns, _) = await _host.Get<CheckInStore>().ReadAsync(Tenant, Key, default);
        Assert.Empty(checkIns);
        Assert.Contains(_host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("3001 people"));
        await JoinAsync(("29:a", "王小明"));
        Assert.NotNull(await _host.Get<CheckInStore>().GetAsync(Tenant, Key, "29:a", default));
    }
}
