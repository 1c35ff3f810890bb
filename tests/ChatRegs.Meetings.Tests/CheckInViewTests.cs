using System.Text.Json.Nodes;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Attendance;
using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.Meetings.Tests;

/// <summary>
/// The check-in card posted to the meeting's chat shows each person their own state (Adaptive
/// Card <c>refresh</c>, Universal Actions): Teams sends the card's refresh (an
/// <c>adaptiveCard/action</c> invoke, trigger "automatic") for each person in
/// <c>refresh.userIds</c>, over HTTP as here, and shows them the card the bot answers with.
/// </summary>
public sealed class CheckInViewTests
{
    private const string Tenant = "tenant-view";
    private const string MeetingChat = "19:weekly-view@thread.tacv2";
    private const string Host = "29:host";
    private const string Recorder = "29:recorder";
    private const string Wang = "29:wang";   // checks in at 08:24
    private const string Li = "29:li";       // on approved leave
    private const string Liu = "29:liu";     // has not checked in
    private const string Guest = "29:guest"; // in the tenant, not expected at the meeting
    private const string Key = "weekly@202611300830";

    /// <summary>Monday 30 Nov 2026 in Shanghai.</summary>
    private static DateTimeOffset Monday(int hour, int minute) => new(2026, 11, 30, hour, minute, 0, FeatureHost.Shanghai);

    /// <summary>The leave feature's answer for the roll (its own tests cover how leave is approved): 李娜 is on approved leave for the meeting.</summary>
    private sealed class LiOnLeave : ILeaveRoster
    {
        public Task<IReadOnlySet<string>> ApprovedLeaveAsync(string tenantId, string occurrenceKey, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlySet<string>>(tenantId == Tenant && occurrenceKey == Key ? new HashSet<string> { Li } : new HashSet<string>());
    }

    private static async Task<HttpFeatureHost> StartAsync(int participants = 0)
    {
        var host = await HttpFeatureHost.StartAsync(Tenant, Monday(7, 0), configure: s => s.AddSingleton<ILeaveRoster, LiOnLeave>());
        foreach (var (id, name) in new[] { (Host, "张伟"), (Recorder, "刘芳"), (Wang, "王小明"), (Li, "李娜"), (Liu, "刘洋"), (Guest, "访客") })
        {
            await host.PersonAsync(id, name);
        }
        await host.KnowChatAsync(MeetingChat, Host, "张伟", "channel");
        var others = Enumerable.Range(0, participants).Select(i => $"29:p{i:D3}");
        await BotSeed.WeeklySeriesAsync(host.Services, Tenant, MeetingChat, Host, Recorder, [Wang, Li, Liu, .. others], Monday(7, 0), createdBy: Host);
        return host;
    }

    private static JsonObject Occurrence => new() { ["occurrence"] = Key };

    /// <summary>The refresh Teams sends for <paramref name="userId"/> seeing the card in the meeting's chat.</summary>
    private static Task<JsonObject> RefreshAsync(HttpFeatureHost host, string userId, string locale = "zh-CN", string conversationId = MeetingChat, string conversationType = "channel", string? tenant = null) =>
        host.ExecuteInAsync(userId, CheckInCard.ViewVerb, Occurrence, conversationId, conversationType, trigger: "automatic", locale: locale, tenant: tenant);

    private static JsonObject CardOf(JsonObject response) => JsonReplies.InvokeCard(response);

    private static string Text(JsonObject card) => JsonReplies.CardText(card);

    private static List<string> Buttons(JsonObject card) =>
        (card["actions"] as JsonArray ?? []).Select(a => (string?)a?["title"] ?? "").ToList();

    [Theory]
    [InlineData(5, "zh-CN", "请提前五分钟到达会场；会议期间手机调至振动或静音；不能参加请事先请假。")]
    [InlineData(10, "zh-CN", "请提前 10 分钟到达会场；会议期间手机调至振动或静音；不能参加请事先请假。")]
    [InlineData(0, "zh-CN", "会议期间手机调至振动或静音；不能参加请事先请假。")]
    [InlineData(10, "en", "Please arrive 10 minutes early; phones on vibrate or silent during the meeting; if you cannot come, ask for leave beforehand.")]
    public async Task The_card_states_the_series_own_arrive_early_rule(int arriveBy, string locale, string rules)
    {
        // The series' "arrive early by" decides 提前 / 未提前 on the roll: the card must not promise another.
        await using var host = await HttpFeatureHost.StartAsync(Tenant, Monday(7, 0));
        await host.PersonAsync(Host, "张伟");
        await BotSeed.WeeklySeriesAsync(host.Services, Tenant, MeetingChat, Host, Recorder, [Wang], Monday(7, 0), createdBy: Host,
            change: s => s with { ArriveByMinutes = arriveBy });
        var (snapshot, occurrence) = await host.Get<MeetingCache>().GetOccurrenceAsync(Tenant, Key, default);
        var card = JsonNode.Parse(host.Get<CheckInCard>().Create(snapshot!, occurrence!, locale).Content.ToString()!)!.AsObject();
        Assert.Contains(rules, Text(card).Split('\n'));
    }

    [Fact]
    public async Task Each_person_sees_their_own_state_and_only_the_buttons_they_may_use()
    {
        await using var host = await StartAsync();
        host.MoveTo(Monday(8, 24));
        var pressed = await host.ExecuteInAsync(Wang, CheckInCard.Verb, Occurrence, MeetingChat, "channel");
        Assert.Contains("已签到 08:24（提前）", Text(CardOf(pressed)));
        host.MoveTo(Monday(8, 26));

        // The card as posted: a refresh for the expected people, host and recorder first.
        var (snapshot, occurrence) = await host.Get<MeetingCache>().GetOccurrenceAsync(Tenant, Key, default);
        var posted = JsonNode.Parse(host.Get<CheckInCard>().Create(snapshot!, occurrence!, "zh-CN").Content.ToString()!)!.AsObject();
        Assert.Equal("Action.Execute", (string?)posted["refresh"]!["action"]!["type"]);
        Assert.Equal(CheckInCard.ViewVerb, (string?)posted["refresh"]!["action"]!["verb"]);
        Assert.Equal([Host, Recorder, Li, Liu, Wang], posted["refresh"]!["userIds"]!.AsArray().Select(n => (string?)n).ToList());
        Assert.Equal(["签到"], Buttons(posted));

        // 王小明 checked in: his time and status, no button left to press.
        var wang = CardOf(await RefreshAsync(host, Wang));
        Assert.Contains("已签到 08:24（提前）", Text(wang));
        Assert.DoesNotContain("未签到", Text(wang));
        Assert.Empty(Buttons(wang));

        // 刘洋 has not: 未签到 and the 签到 button, not the roll.
        var liu = CardOf(await RefreshAsync(host, Liu));
        Assert.Contains("未签到", Text(liu));
        Assert.Equal(["签到"], Buttons(liu));

        // 李娜's leave was approved.
        var li = CardOf(await RefreshAsync(host, Li));
        Assert.Contains("请假已批准", Text(li));
        Assert.DoesNotContain("签到表", Buttons(li));

        // The host: his own state, and the roll (where corrections are made).
        var hostView = CardOf(await RefreshAsync(host, Host));
        Assert.Contains("未签到", Text(hostView));
        Assert.Equal(["签到", "签到表"], Buttons(hostView));
        var roll = await host.ExecuteInAsync(Host, "meetings.roll", Occurrence, MeetingChat, "channel");
        Assert.Contains("更正", Text(CardOf(roll)));
        // The recorder too.
        Assert.Contains("签到表", Buttons(CardOf(await RefreshAsync(host, Recorder))));

        // Someone in the chat who is not expected: the shared card, nobody's state, no roll.
        var guest = CardOf(await RefreshAsync(host, Guest));
        Assert.DoesNotContain("未签到", Text(guest));
        Assert.DoesNotContain("已签到", Text(guest));
        Assert.Equal(["签到"], Buttons(guest));
        // …and the roll button pressed anyway is refused.
        var forgedRoll = await host.ExecuteInAsync(Guest, "meetings.roll", Occurrence, MeetingChat, "channel");
        Assert.DoesNotContain("王小明", forgedRoll.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public async Task The_card_answering_the_press_shows_the_check_in_without_the_button()
    {
        // QA: the card returned for 签到 still showed 签到; pressing again only repeated "already checked in".
        await using var host = await StartAsync();
        host.MoveTo(Monday(8, 24));
        var pressed = CardOf(await host.ExecuteInAsync(Wang, CheckInCard.Verb, Occurrence, MeetingChat, "channel"));
        Assert.Contains("已签到 08:24（提前）", Text(pressed));
        Assert.DoesNotContain("签到", Buttons(pressed));
        Assert.Empty(Buttons(pressed));

        // The same card pressed again (another client still showing it): the checked-in state, no button.
        host.MoveTo(Monday(8, 26));
        var again = CardOf(await host.ExecuteInAsync(Wang, CheckInCard.Verb, Occurrence, MeetingChat, "channel"));
        Assert.DoesNotContain("签到", Buttons(again));

        // In English too.
        var inEnglish = CardOf(await host.ExecuteInAsync(Liu, CheckInCard.Verb, Occurrence, MeetingChat, "channel", locale: "en"));
        Assert.DoesNotContain("Check in", Buttons(inEnglish));
        Assert.Empty(Buttons(inEnglish));
    }

    [Fact]
    public async Task A_refresh_from_elsewhere_or_another_tenant_gets_no_card()
    {
        await using var host = await StartAsync();
        host.MoveTo(Monday(8, 26));

        // The guest forges the refresh from their 1:1 chat: the reason only, never the meeting's card.
        var forged = await RefreshAsync(host, Guest, conversationId: "a:1to1-" + Guest, conversationType: "personal");
        Assert.NotEmpty(JsonReplies.InvokeMessage(forged));
        Assert.DoesNotContain("三楼会议室", JsonReplies.InvokeMessage(forged));

        // The same occurrence key from another organisation's Teams (even a person with the same id): not found there.
        var other = await RefreshAsync(host, Wang, tenant: "tenant-other");
        var text = JsonReplies.InvokeMessage(other);
        Assert.DoesNotContain("周工作例会", text);
        Assert.DoesNotContain("三楼会议室", text);

        // A forged key, and no key at all: answered, not a failure.
        var missing = await host.ExecuteInAsync(Wang, CheckInCard.ViewVerb, new JsonObject { ["occurrence"] = "weekly@209901010830" }, MeetingChat, "channel", trigger: "automatic");
        Assert.NotEmpty(JsonReplies.InvokeMessage(missing));
        var empty = await host.ExecuteInAsync(Wang, CheckInCard.ViewVerb, new JsonObject(), MeetingChat, "channel", trigger: "automatic");
        Assert.NotEmpty(JsonReplies.InvokeMessage(empty));
    }

    [Fact]
    public async Task The_personal_view_is_in_english_for_an_english_client()
    {
        await using var host = await StartAsync();
        host.MoveTo(Monday(8, 24));
        await host.ExecuteInAsync(Wang, CheckInCard.Verb, Occurrence, MeetingChat, "channel", locale: "en-US");

        var wang = CardOf(await RefreshAsync(host, Wang, "en-US"));
        Assert.Contains("Checked in 08:24", Text(wang));
        var liu = CardOf(await RefreshAsync(host, Liu, "en-US"));
        Assert.Contains("Not checked in", Text(liu));
        Assert.Equal(["Check in"], Buttons(liu));
        Assert.Contains("Leave approved", Text(CardOf(await RefreshAsync(host, Li, "en-US"))));
        Assert.Equal(["Check in", "Roll"], Buttons(CardOf(await RefreshAsync(host, Host, "en-US"))));
    }

    [Fact]
    public async Task After_check_in_closes_nobody_is_offered_the_button()
    {
        await using var host = await StartAsync();
        host.MoveTo(Monday(9, 45));
        var liu = CardOf(await RefreshAsync(host, Liu));
        Assert.Contains("未签到", Text(liu));
        Assert.Empty(Buttons(liu));
        Assert.Equal(["签到表"], Buttons(CardOf(await RefreshAsync(host, Host))));
    }

    [Fact]
    public async Task A_large_meeting_names_at_most_sixty_people_for_the_refresh_host_and_recorder_among_them()
    {
        await using var host = await StartAsync(participants: 70);
        var (snapshot, occurrence) = await host.Get<MeetingCache>().GetOccurrenceAsync(Tenant, Key, default);
        var posted = JsonNode.Parse(host.Get<CheckInCard>().Create(snapshot!, occurrence!, "zh-CN").Content.ToString()!)!.AsObject();
        var ids = posted["refresh"]!["userIds"]!.AsArray().Select(n => (string?)n).ToList();
        Assert.Equal(60, ids.Count);
        Assert.Equal([Host, Recorder], ids.Take(2));

        // Beyond the sixty, a person still checks in with the shared card's button.
        var last = snapshot!.AttendeesOf(occurrence!).Except(ids).Order(StringComparer.Ordinal).Last()!;
        await host.PersonAsync(last, "最后一位");
        host.MoveTo(Monday(8, 24));
        var pressed = await host.ExecuteInAsync(last, CheckInCard.Verb, Occurrence, MeetingChat, "channel");
        Assert.Contains("已签到 08:24", Text(CardOf(pressed)));
    }
}
