using System.Net;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.Bot.Tabs;
using ChatRegs.Tabs.Tests.Support;
using ChatRegs.TestSupport;

namespace ChatRegs.Tabs.Tests;

/// <summary>
/// The tab's JSON API over HTTP, as the meeting panel and the personal tab call it with the Teams
/// SSO token: who gets in (valid / missing / spoiled / other-tenant tokens), what each person
/// sees (host, member, outsider), and that 签到 in the panel is the chat's check-in (one record,
/// same rules). Both languages.
/// </summary>
public sealed class TabApiTests(TabsBot bot) : IAsyncLifetime, IClassFixture<TabsBot>
{
    private TabsHost _host = null!;

    public async Task InitializeAsync() => _host = await TabsHost.StartAsync(bot);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string Chat => "?chat=" + Uri.EscapeDataString(TabsHost.MeetingChat);

    [Fact]
    public async Task Without_a_token_the_panel_is_refused_with_401_in_the_readers_language()
    {
        var (status, body) = await _host.GetAsync("/meeting" + Chat, token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("无法确认你的身份", (string?)body["message"]);
        Assert.DoesNotContain("周工作例会", body.ToJsonString());

        (status, body) = await _host.GetAsync("/me", token: null, lang: "en-US");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("sign-in could not be confirmed", (string?)body["message"]);
    }

    public static TheoryData<string> SpoiledTokens => new()
    {
        "expired", "wrongKey", "wrongAudience", "otherIssuer", "garbage", "notAllowedTenant", "unsigned",
    };

    [Theory]
    [MemberData(nameof(SpoiledTokens))]
    public async Task A_spoiled_token_is_refused_with_401_never_a_500(string how)
    {
        var token = how switch
        {
            "expired" => _host.TokenFor(TabsHost.Employee, expires: _host.Clock.GetUtcNow().UtcDateTime.AddMinutes(-10)),
            "wrongKey" => _host.TokenFor(TabsHost.Employee, key: "another-key-another-key-another-key-123456"u8.ToArray()),
            "wrongAudience" => _host.TokenFor(TabsHost.Employee, audience: "api://evil.example/other-app"),
            "otherIssuer" => _host.TokenFor(TabsHost.Employee, issuerTenant: "tenant-evil"),
            "garbage" => "not.a.jwt",
            "notAllowedTenant" => _host.TokenFor(TabsHost.Employee, tenant: "tenant-not-served"),
            "unsigned" => Unsigned(TabsHost.Employee),
            _ => throw new ArgumentOutOfRangeException(nameof(how)),
        };
        foreach (var path in new[] { "/meeting" + Chat, "/me" })
        {
            var (status, body) = await _host.GetAsync(path, token);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("unauthorized", (string?)body["error"]);
        }
        var (postStatus, _) = await _host.CheckInAsync(token, TabsHost.CheckInBody());
        Assert.Equal(HttpStatusCode.Unauthorized, postStatus);
        Assert.Null(await _host.Get<CheckInStore>().GetAsync(_host.Tenant, TabsHost.Key, TabsHost.Employee, default));
    }

    private string Unsigned(string userId)
    {
        static string B64(string json) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return B64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." +
            B64($"{{\"iss\":\"https://login.microsoftonline.com/{_host.Tenant}/v2.0\",\"aud\":\"{TabTokens.DevAudience}\",\"tid\":\"{_host.Tenant}\",\"oid\":\"{TabsHost.Oid(userId)}\",\"exp\":{exp}}}") + ".";
    }

    [Fact]
    public async Task A_member_sees_the_agenda_in_order_and_their_check_in_but_not_the_roll()
    {
        await _host.AgendaAsync();
        var (status, body) = await _host.GetAsync("/meeting" + Chat, _host.TokenFor(TabsHost.Employee));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("周工作例会", (string?)body["meeting"]!["name"]);
        Assert.Equal(TabsHost.Key, (string?)body["meeting"]!["occurrence"]);
        Assert.Equal("张伟", (string?)body["meeting"]!["host"]);
        var items = body["agenda"]!["items"]!.AsArray();
        Assert.Equal(["上周工作回顾", "客服投诉处理情况"], items.Select(i => (string?)i!["title"]));
        Assert.Equal([10, 5], items.Select(i => (int)i!["minutes"]!));
        Assert.Equal(["王小明", "Lina"], items.Select(i => (string?)i!["presenter"]));
        Assert.True((bool)body["checkIn"]!["canCheckIn"]!);
        Assert.False((bool)body["checkIn"]!["done"]!);
        Assert.Null(body["roll"]);
    }

    [Fact]
    public async Task The_host_and_the_recorder_see_the_live_roll()
    {
        foreach (var who in new[] { TabsHost.Host, TabsHost.Recorder })
        {
            var (status, body) = await _host.GetAsync("/meeting" + Chat, _host.TokenFor(who));
            Assert.Equal(HttpStatusCode.OK, status);
            var names = body["roll"]!["entries"]!.AsArray().Select(e => (string?)e!["name"]).ToList();
            Assert.Contains("王小明", names);
            Assert.Contains("Lina", names);
            Assert.Equal(0, (int)body["roll"]!["present"]!);
        }
    }

    [Fact]
    public async Task Someone_not_on_the_meeting_gets_403_and_nothing_of_it()
    {
        var (status, body) = await _host.GetAsync("/meeting" + Chat, _host.TokenFor(TabsHost.Outsider));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("参会名单", (string?)body["message"]);
        Assert.DoesNotContain("周工作例会", body.ToJsonString());
        Assert.DoesNotContain("王小明", body.ToJsonString());

        // Nor can they check in by naming the occurrence themselves.
        var (post, _) = await _host.CheckInAsync(_host.TokenFor(TabsHost.Outsider), TabsHost.CheckInBody());
        Assert.Equal(HttpStatusCode.Forbidden, post);
        Assert.Null(await _host.Get<CheckInStore>().GetAsync(_host.Tenant, TabsHost.Key, TabsHost.Outsider, default));
    }

    [Fact]
    public async Task A_valid_token_of_another_tenant_does_not_reach_this_tenants_people_or_meetings()
    {
        // The same object id, signed for the other (served) tenant: nobody the bot knows there.
        var token = _host.TokenFor(TabsHost.Host, tenant: TabsHost.OtherTenant);
        var (status, body) = await _host.GetAsync("/meeting" + Chat, token);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("unknownPerson", (string?)body["error"]);
        (status, _) = await _host.CheckInAsync(token, TabsHost.CheckInBody());
        Assert.Equal(HttpStatusCode.Forbidden, status);
        (status, _) = await _host.GetAsync("/me", token);
        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Fact]
    public async Task Someone_the_bot_has_never_met_is_asked_to_say_hello_first()
    {
        var (status, body) = await _host.GetAsync("/meeting" + Chat, _host.TokenFor("29:stranger", oid: "aad-nobody"), lang: "en");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("does not know you yet", (string?)body["message"]);
    }

    [Fact]
    public async Task Checking_in_from_the_panel_is_the_chats_check_in_one_record_same_rules()
    {
        var token = _host.TokenFor(TabsHost.Employee);
        var (status, body) = await _host.CheckInAsync(token, TabsHost.CheckInBody());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("CheckedIn", (string?)body["result"]);
        Assert.True((bool)body["checkIn"]!["done"]!);
        Assert.Equal("08:10", (string?)body["checkIn"]!["at"]);
        Assert.False((bool)body["checkIn"]!["canCheckIn"]!);
        Assert.Contains("已签到 08:10", (string?)body["checkIn"]!["text"]);

        var stored = await _host.Get<CheckInStore>().GetAsync(_host.Tenant, TabsHost.Key, TabsHost.Employee, default);
        Assert.NotNull(stored);
        Assert.Equal(TabMeetingPanel.CheckInSource, stored!.Source);

        // Pressing again, or 签到 in chat afterwards: already checked in, the first time kept.
        _host.MoveTo(TabsHost.At(8, 12));
        (status, body) = await _host.CheckInAsync(token, TabsHost.CheckInBody());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("AlreadyCheckedIn", (string?)body["result"]);
        Assert.Equal("08:10", (string?)body["checkIn"]!["at"]);
        var replies = await _host.SayAsync(TabsHost.Employee, "签到");
        Assert.Contains("08:10", replies.ToJsonString());

        // The host's roll counts them once.
        (_, body) = await _host.GetAsync("/meeting" + Chat, _host.TokenFor(TabsHost.Host));
        Assert.Equal(1, (int)body["roll"]!["present"]!);
        Assert.Equal("08:10", (string?)body["roll"]!["entries"]!.AsArray().Single(e => (string?)e!["name"] == "王小明")!["at"]);
    }

    [Fact]
    public async Task A_late_check_in_from_the_panel_shows_its_seconds_there_and_on_the_hosts_roll_as_in_chat()
    {
        // 19 seconds after the 08:30 start: late, and "08:30" alone would say otherwise.
        _host.MoveTo(TabsHost.At(8, 30).AddSeconds(19));
        var (status, body) = await _host.CheckInAsync(_host.TokenFor(TabsHost.Employee), TabsHost.CheckInBody());
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("08:30:19", (string?)body["checkIn"]!["at"]);
        Assert.Contains("08:30:19", (string?)body["checkIn"]!["text"]);

        (_, body) = await _host.GetAsync("/meeting" + Chat, _host.TokenFor(TabsHost.Host));
        Assert.Equal("08:30:19", (string?)body["roll"]!["entries"]!.AsArray().Single(e => (string?)e!["name"] == "王小明")!["at"]);
    }

    [Fact]
    public async Task Before_check_in_opens_the_panel_says_when_and_the_service_refuses_as_in_chat()
    {
        await using var early = await TabsHost.StartAsync(bot, TabsHost.At(7, 30));
        var token = early.TokenFor(TabsHost.Rep);
        var (_, body) = await early.GetAsync("/meeting" + Chat, token, lang: "en");
        Assert.False((bool)body["checkIn"]!["canCheckIn"]!);
        Assert.Contains("Check-in opens 08:00", (string?)body["checkIn"]!["text"]);
        var (status, post) = await early.CheckInAsync(token, TabsHost.CheckInBody(), lang: "en");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("NotOpenYet", (string?)post["result"]);
        Assert.Null(await early.Get<CheckInStore>().GetAsync(early.Tenant, TabsHost.Key, TabsHost.Rep, default));
    }

    public static TheoryData<string> BadBodies => new()
    {
        "", "not json", "[]", "{}", "{\"occurrence\":42}", "{\"occurrence\":\"weekly@209901010830\",\"chat\":\"19:weekly-tabs@thread.tacv2\"}",
        "{\"occurrence\":\"weekly@202611300830\",\"chat\":\"19:another-chat@thread.tacv2\"}", "{\"occurrence\":\"" + new string('x', 600) + "\"}",
        "{\"occurrence\":\"weekly@202611300830\",\"chat\":\"19:weekly-tabs@thread.tacv2\",\"pad\":\"" + new string('x', 20_000) + "\"}",
        // JSON escapes of lone surrogates: valid JSON, but no string .NET can read.
        "{\"occurrence\":\"\\ud800\"}", "{\"occurrence\":\"weekly@202611300830\\udc00\",\"chat\":\"19:weekly-tabs@thread.tacv2\"}",
        "{\"occurrence\":\"weekly@202611300830\",\"chat\":\"19:weekly-tabs@thread.tacv2\\ud800\"}",
        "{\"\\ud800\":1,\"occurrence\":\"weekly@202611300830\",\"chat\":\"19:weekly-tabs@thread.tacv2\"}",
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_malformed_or_forged_check_in_is_a_4xx_and_records_nothing(string json)
    {
        var (status, body) = await _host.CheckInAsync(_host.TokenFor(TabsHost.Employee), json);
        Assert.InRange((int)status, 400, 499);
        Assert.False(string.IsNullOrEmpty((string?)body["message"]));
        Assert.Null(await _host.Get<CheckInStore>().GetAsync(_host.Tenant, TabsHost.Key, TabsHost.Employee, default));
        Assert.DoesNotContain(_host.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    private static JsonObject Correction(string person, string status, string reason) => new()
    {
        ["chat"] = TabsHost.MeetingChat, ["occurrence"] = TabsHost.Key, ["person"] = person, ["status"] = status, ["reason"] = reason,
    };

    [Fact]
    public async Task The_host_corrects_the_roll_from_the_panel_with_a_reason_and_a_member_may_not()
    {
        var (status, body) = await _host.GetAsync("/meeting" + Chat, _host.TokenFor(TabsHost.Recorder));
        Assert.True((bool)body["roll"]!["canCorrect"]!);
        Assert.Contains(body["roll"]!["corrections"]!.AsArray(), c => (string?)c!["code"] == "Excused" && (string?)c["name"] == "准假");

        (status, body) = await _host.CorrectAsync(_host.TokenFor(TabsHost.Host), Correction(TabsHost.Employee, "Excused", "出差"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("已更正：王小明 → 准假（出差）。", (string?)body["message"]);
        Assert.Equal("准假", (string?)body["roll"]!["entries"]!.AsArray().Single(e => (string?)e!["id"] == TabsHost.Employee)!["status"]);

        // A member neither sees the form nor gets through by posting.
        (status, body) = await _host.CorrectAsync(_host.TokenFor(TabsHost.Rep), Correction(TabsHost.Rep, "OnTime", "我到了"), lang: "en");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("host", (string?)body["message"]);
        (_, body) = await _host.GetAsync("/meeting" + Chat, _host.TokenFor(TabsHost.Host));
        Assert.Equal("缺席", (string?)body["roll"]!["entries"]!.AsArray().Single(e => (string?)e!["id"] == TabsHost.Rep)!["status"]);
    }

    [Theory]
    [InlineData("29:nobody", "Excused", "出差", "person")]
    [InlineData(TabsHost.Employee, "Early", "出差", "status")]
    [InlineData(TabsHost.Employee, "0", "出差", "status")]
    [InlineData(TabsHost.Employee, "99", "出差", "status")]
    [InlineData(TabsHost.Employee, "Excused", "  ", "reason")]
    [InlineData(TabsHost.Employee, "Excused", " \u200b\u200d\u202e\ufeff\u2060 ", "reason")]
    [InlineData(TabsHost.Employee, "Excused", null, "reason")]
    [InlineData(TabsHost.Employee, "Absent; drop table", "出差", "status")]
    [InlineData("", "", "", "person")]
    public async Task A_bad_correction_is_a_400_with_the_rolls_own_message_and_changes_nothing(string person, string status, string? reason, string error)
    {
        var (code, body) = await _host.CorrectAsync(_host.TokenFor(TabsHost.Host), Correction(person, status, reason ?? new string('理', 201)));
        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal(error, (string?)body["error"]);
        Assert.False(string.IsNullOrEmpty((string?)body["message"]));
        var (_, corrections) = await _host.Get<CheckInStore>().ReadAsync(_host.Tenant, TabsHost.Key, default);
        Assert.Empty(corrections);
    }

    [Theory]
    [InlineData("person")]
    [InlineData("status")]
    [InlineData("reason")]
    [InlineData("occurrence")]
    public async Task A_correction_with_a_lone_surrogate_in_any_field_is_a_400_never_a_500(string field)
    {
        var body = Correction(TabsHost.Employee, "Excused", "出差");
        body[field] = "LONE-SURROGATE";
        var raw = body.ToJsonString().Replace("LONE-SURROGATE", "\\ud800", StringComparison.Ordinal);
        var messages = new List<string?>();
        foreach (var lang in new[] { "zh-CN", "en" })
        {
            var (code, answer) = await _host.CorrectAsync(_host.TokenFor(TabsHost.Host), raw, lang);
            Assert.Equal(HttpStatusCode.BadRequest, code);
            Assert.False(string.IsNullOrEmpty((string?)answer["message"]));
            messages.Add((string?)answer["message"]);
        }
        Assert.NotEqual(messages[0], messages[1]);
        var (_, corrections) = await _host.Get<CheckInStore>().ReadAsync(_host.Tenant, TabsHost.Key, default);
        Assert.Empty(corrections);
        Assert.DoesNotContain(_host.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task A_reason_of_exactly_200_characters_is_kept_whole_and_trimmed_and_a_padded_status_is_read()
    {
        var reason = TextAtCap.Full(200, "出差");
        var (code, body) = await _host.CorrectAsync(_host.TokenFor(TabsHost.Host), Correction(TabsHost.Employee, " Excused ", "  " + reason + "\n"));
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.StartsWith("已更正：王小明 → 准假", (string?)body["message"]);
        var (_, corrections) = await _host.Get<CheckInStore>().ReadAsync(_host.Tenant, TabsHost.Key, default);
        Assert.Equal(reason, Assert.Single(corrections).Reason);
    }

    [Fact]
    public async Task When_storage_fails_the_panel_says_not_saved_try_again_with_503_never_500()
    {
        StorageFaults faults = null!;
        await using var host = await TabsHost.StartAsync(configure: s => faults = StorageFaults.Install(s));
        var token = host.TokenFor(TabsHost.Employee);
        foreach (var (path, post) in new[] { ("/meeting" + Chat, false), ("/me", false), ("/meeting/checkin", true) })
        {
            faults.FailAt(1, StorageFault.BeforeSending);
            var (status, body) = post ? await host.CheckInAsync(token, TabsHost.CheckInBody()) : await host.GetAsync(path, token);
            faults.Off();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("没有保存成功，请稍后再试。已保存的内容不受影响。", (string?)body["message"]);
        }
        // Storage back: the same press checks in.
        var (again, _) = await host.CheckInAsync(token, TabsHost.CheckInBody());
        Assert.Equal(HttpStatusCode.OK, again);
    }

    [Fact]
    public async Task A_chat_without_a_meeting_is_404_with_a_readable_message()
    {
        var (status, body) = await _host.GetAsync("/meeting?chat=" + Uri.EscapeDataString("19:nothing@thread.v2"), _host.TokenFor(TabsHost.Employee), lang: "en");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("No regular meeting", (string?)body["message"]);
        (status, _) = await _host.GetAsync("/meeting", _host.TokenFor(TabsHost.Employee));
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task The_personal_tab_shows_my_meetings_and_my_weekly_report_status_in_both_languages()
    {
        var (status, body) = await _host.GetAsync("/me", _host.TokenFor(TabsHost.Employee));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("王小明", (string?)body["me"]!["name"]);
        Assert.Contains(body["meetings"]!.AsArray(), m => (string?)m!["name"] == "周工作例会");
        Assert.False((bool)body["weeklyReport"]!["submitted"]!);
        Assert.Contains("还没有提交", (string?)body["weeklyReport"]!["text"]);
        Assert.Empty(body["leave"]!.AsArray());

        (_, body) = await _host.GetAsync("/me", _host.TokenFor(TabsHost.Outsider), lang: "en");
        Assert.Empty(body["meetings"]!.AsArray());
        Assert.Contains("not in yet", (string?)body["weeklyReport"]!["text"]);
    }

    [Fact]
    public async Task The_page_strings_come_from_the_string_tables_in_both_languages()
    {
        var zh = JsonNode.Parse(await _host.Client.GetStringAsync("/tabs/api/strings?lang=zh-CN"))!;
        var en = JsonNode.Parse(await _host.Client.GetStringAsync("/tabs/api/strings?lang=en-US"))!;
        Assert.Equal("签到", (string?)zh["strings"]!["page"]!["checkInButton"]);
        Assert.Equal("Check in", (string?)en["strings"]!["page"]!["checkInButton"]);
        Assert.Equal("en", (string?)en["language"]);
    }
}
