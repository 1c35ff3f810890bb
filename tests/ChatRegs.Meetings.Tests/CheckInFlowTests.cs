using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.Meetings.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Meetings.Tests;

/// <summary>Checking in from the card, by typing and by joining the Teams meeting, as people see it, in both languages.</summary>
public sealed class CheckInFlowTests(MeetingsBot bot) : IAsyncLifetime, IClassFixture<MeetingsBot>
{
    private const string Key = "weekly@202611300830";
    private MeetingsHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await bot.StartAsync();
        await _host.KnowAsync((MeetingsHost.Host, "张伟"), (MeetingsHost.Recorder, "陈静"), ("29:a", "王小明"), ("29:b", "李娜"), ("29:c-en", "Lucy"));
        await _host.WeeklyAsync(["29:a", "29:b", "29:c-en"]);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<JObject> Click(string userId, string? locale = null) =>
        _host.ExecuteAsync(_host.Adapter(userId, locale, MeetingsHost.MeetingChat, "channel"), "meetings.checkin", new { occurrence = Key });

    private static string CardText(JObject response)
    {
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)response["type"]);
        return TurnKit.Text((JObject)response["value"]!);
    }

    [Fact]
    public async Task One_click_checks_the_clicker_in_and_the_card_says_when_and_how()
    {
        _host.At(8, 24);
        var text = CardText(await Click("29:a"));
        Assert.Contains("王小明：已签到 08:24（提前）", text);
        Assert.Contains("周工作例会", text);
        var stored = await _host.CheckIns.GetAsync(_host.TenantId, Key, "29:a", default);
        Assert.Equal(CheckInStatus.Early, stored!.Status);
        Assert.Equal(CheckInSources.Card, stored.Source);

        // The same person again, later: told when they checked in; nothing changes.
        _host.At(8, 40);
        Assert.Contains("你已经在 08:24 签到过了（提前）", CardText(await Click("29:a")));
        var (all, _) = await _host.CheckIns.ReadAsync(_host.TenantId, Key, default);
        Assert.Single(all);
    }

    [Theory]
    [InlineData(8, 25, "提前")]
    // 提前五分钟到达会场 (第八条): inside the last five minutes is on time but not early enough.
    [InlineData(8, 26, "未提前签到")]
    [InlineData(8, 30, "未提前签到")]
    [InlineData(8, 31, "迟到")]
    public async Task The_status_follows_the_clock(int h, int m, string status)
    {
        _host.At(h, m);
        // A late check-in shows its seconds (late from one second after the start).
        Assert.Contains($"已签到 {h:D2}:{m:D2}{(status == "迟到" ? ":00" : "")}（{status}）", CardText(await Click("29:b")));
    }

    [Fact]
    public async Task A_late_check_in_shows_its_seconds_on_the_reply_and_the_roll()
    {
        // QA: 19 seconds after the start showed "08:30 签到（迟到）" — the minute alone contradicts 迟到.
        _host.At(8, 24);
        Assert.Contains("已签到 08:24（提前）", CardText(await Click("29:a")));
        _host.At(8, 30, 19);
        Assert.Contains("已签到 08:30:19（迟到）", CardText(await Click("29:b")));
        Assert.Contains("你已经在 08:30:19 签到过了（迟到）", CardText(await Click("29:b")));
        _host.At(8, 30, 25);
        Assert.Contains("Checked in at 08:30:25 (late)", CardText(await Click("29:c-en", "en-US")));

        _host.At(9, 40);
        var roll = TurnKit.Text(Replies.Card(await _host.SayAsync(_host.Adapter(MeetingsHost.Host), "签到表")));
        Assert.Contains("08:30:19 签到（迟到）", roll);
        Assert.Contains("08:24 签到（提前）", roll);
        var en = TurnKit.Text(Replies.Card(await _host.SayAsync(_host.Adapter(MeetingsHost.Recorder, "en-US"), "attendance")));
        Assert.Contains("checked in 08:30:19 (late)", en);
        Assert.Contains("checked in 08:24 (early)", en);
    }

    [Fact]
    public async Task In_english()
    {
        _host.At(8, 33);
        Assert.Contains("Checked in at 08:33:00 (late)", CardText(await Click("29:c-en", "en-US")));
        Assert.Contains("You already checked in at 08:33:00 (late)", CardText(await Click("29:c-en", "en-US")));
    }

    [Fact]
    public async Task Someone_not_expected_is_refused_with_the_window_and_the_host()
    {
        _host.At(8, 20);
        // The reason only, as a message: the meeting's card (where, who hosts) is for those expected at it.
        var response = await Click("29:stranger");
        Assert.Equal("application/vnd.microsoft.activity.message", (string?)response["type"]);
        var text = (string?)response["value"] ?? "";
        Assert.Contains("你不是周工作例会", text);
        Assert.Contains("不能签到", text);
        Assert.Contains("签到时间：08:00–09:30", text);
        Assert.Contains("张伟", text);
        Assert.Null(await _host.CheckIns.GetAsync(_host.TenantId, Key, "29:stranger", default));
    }

    [Fact]
    public async Task Outside_the_window_is_refused_with_its_times()
    {
        _host.At(7, 59);
        Assert.Contains("签到还没有开始。签到时间：08:00–09:30", CardText(await Click("29:a")));
        _host.At(9, 31);
        Assert.Contains("签到已经结束。签到时间：08:00–09:30", CardText(await Click("29:a")));
        _host.At(9, 31);
        Assert.Contains("Check-in for 周工作例会 (Mon 30 Nov 08:30–09:30) has closed. Check-in was: 08:00–09:30.", CardText(await Click("29:c-en", "en")));
        var (all, _) = await _host.CheckIns.ReadAsync(_host.TenantId, Key, default);
        Assert.Empty(all);
    }

    [Fact]
    public async Task Host_and_recorder_check_in_too()
    {
        _host.At(8, 10);
        Assert.Contains("已签到 08:10（提前）", CardText(await Click(MeetingsHost.Host)));
        Assert.Contains("已签到 08:10（提前）", CardText(await Click(MeetingsHost.Recorder)));
    }

    [Fact]
    public async Task A_forged_or_unknown_occurrence_is_refused()
    {
        _host.At(8, 20);
        var adapter = _host.Adapter("29:a", conversationId: MeetingsHost.MeetingChat, conversationType: "channel");
        foreach (var data in new object[] { new { occurrence = "weekly@202611310830" }, new { occurrence = "nope" }, new { occurrence = 42 }, new { } })
        {
            var response = await _host.ExecuteAsync(adapter, "meetings.checkin", data);
            Assert.Equal("application/vnd.microsoft.activity.message", (string?)response["type"]);
            Assert.Contains("找不到这个会议", (string?)response["value"]);
        }
    }

    [Fact]
    public async Task The_submit_button_of_the_list_answers_with_a_message()
    {
        _host.At(8, 26);
        var reply = Assert.Single(await _host.SubmitAsync(_host.Adapter("29:a"), new { verb = "meetings.checkin", occurrence = Key }));
        Assert.StartsWith("已签到 08:26（未提前签到）", reply.AsMessageActivity().Text);
    }

    [Fact]
    public async Task Typing_check_in_checks_me_into_my_open_meeting()
    {
        _host.At(7, 50);
        var early = Assert.Single(await _host.SayAsync(_host.Adapter("29:a"), "签到"));
        Assert.Equal("你现在没有正在签到的会议。下一次：周工作例会（11月30日 周一 08:30–09:30），签到时间 08:00–09:30。", early.AsMessageActivity().Text);

        _host.At(8, 31);
        var late = Assert.Single(await _host.SayAsync(_host.Adapter("29:a"), "签到"));
        Assert.StartsWith("已签到 08:31:00（迟到）：周工作例会", late.AsMessageActivity().Text);

        var en = Assert.Single(await _host.Bot.SayAsync(_host.Adapter("29:c-en", "en-US"), "check in", "en-US"));
        Assert.StartsWith("Checked in at 08:31:00 (late): 周工作例会", en.AsMessageActivity().Text);

        var nobody = Assert.Single(await _host.SayAsync(_host.Adapter("29:nobody"), "签到"));
        Assert.Contains("你没有需要签到的会议", nobody.AsMessageActivity().Text);
    }

    [Fact]
    public async Task Typing_check_in_in_the_meeting_chat_as_an_outsider_explains_why_not()
    {
        _host.At(8, 20);
        var reply = Assert.Single(await _host.SayAsync(_host.Adapter("29:outsider", conversationId: MeetingsHost.MeetingChat, conversationType: "channel"), "签到"));
        Assert.Contains("不能签到。签到时间：08:00–09:30", reply.AsMessageActivity().Text);
    }

    [Fact]
    public async Task With_two_meetings_open_it_asks_which()
    {
        await _host.WeeklyAsync(["29:a"], id: "safety", name: "安全生产会议", schedule: ChatRegs.Bot.Meetings.MeetingSchedule.WeeklyOn(new(8, 45), new(9, 45), DayOfWeek.Monday));
        _host.At(8, 20);
        var adapter = _host.Adapter("29:a");
        var question = await _host.SayAsync(adapter, "签到");
        var asked = string.Join("\n", question.Select(q => q.AsMessageActivity().Text));
        Assert.Contains("你有几个会议正在签到，要签到哪一个？", asked);
        var options = question.SelectMany(q => q.AsMessageActivity().SuggestedActions?.Actions ?? []).Select(a => a.Title)
            .Concat(question.SelectMany(q => q.AsMessageActivity().Attachments ?? []).SelectMany(a => (a.Content as HeroCard)?.Buttons ?? []).Select(b => b.Title)).ToList();
        Assert.Contains(options.Concat([asked]), o => o.Contains("安全生产会议"));

        var done = Assert.Single(await _host.SayAsync(adapter, "2"));
        Assert.StartsWith("已签到 08:20（提前）：安全生产会议", done.AsMessageActivity().Text);
        Assert.NotNull(await _host.CheckIns.GetAsync(_host.TenantId, "safety@202611300845", "29:a", default));
        Assert.Null(await _host.CheckIns.GetAsync(_host.TenantId, Key, "29:a", default));

        // With the name after the command, no question.
        var named = Assert.Single(await _host.SayAsync(adapter, "签到 周工作"));
        Assert.StartsWith("已签到 08:20（提前）：周工作例会", named.AsMessageActivity().Text);
    }

    [Fact]
    public async Task Joining_the_teams_meeting_checks_participants_in_silently()
    {
        _host.At(8, 27);
        var adapter = _host.Adapter(MeetingsHost.Host, conversationId: MeetingsHost.MeetingChat, conversationType: "channel");
        var replies = await _host.Bot.SendAsync(adapter, new Activity
        {
            Type = ActivityTypes.Event,
            Name = "application/vnd.microsoft.meetingParticipantJoin",
            Value = JObject.Parse("""
                { "members": [
                  { "user": { "id": "29:b", "name": "李娜", "aadObjectId": "aad-29:b" }, "meeting": { "inMeeting": true, "role": "Attendee" } },
                  { "user": { "id": "29:guest", "name": "访客" }, "meeting": { "inMeeting": true, "role": "Attendee" } }
                ] }
                """),
        });
        Assert.DoesNotContain(replies, r => r.Type == ActivityTypes.Message);
        var stored = await _host.CheckIns.GetAsync(_host.TenantId, Key, "29:b", default);
        Assert.Equal(CheckInSources.MeetingJoin, stored!.Source);
        Assert.Equal(CheckInStatus.OnTime, stored.Status);
        Assert.Null(await _host.CheckIns.GetAsync(_host.TenantId, Key, "29:guest", default));
    }

    [Fact]
    public async Task A_cancelled_occurrence_needs_no_check_in()
    {
        await _host.Store.SaveChangeAsync(_host.TenantId, new(Key, true, null, null, null, "放假", MeetingsHost.Host, DateTimeOffset.UtcNow), default);
        _host.Cache.Invalidate(_host.TenantId, "weekly");
        _host.At(8, 20);
        Assert.Contains("本次已取消，不需要签到", CardText(await Click("29:a")));
    }
}
