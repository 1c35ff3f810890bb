using System.Net;
using System.Net.Http.Headers;
using ChatRegs.Bot.DevChannel;
using ChatRegs.Bot.Localization;
using ChatRegs.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace ChatRegs.DevChannel.Tests;

/// <summary>
/// Nobody but the page the developer opened can drive the local chat channel: not another
/// program without the start-up key, not a wrong key, not a DNS-rebound name, not a web page
/// open in the developer's browser; with an app id it does not exist; notices reach only the
/// sample tenant's people.
/// </summary>
public sealed class SecurityTests
{
    /// <summary>Every endpoint of the channel, with a body that would do something if let through.</summary>
    public static readonly (string Method, string Path, string? Body)[] Endpoints =
    [
        ("GET", "/", null),
        ("GET", "/favicon.ico", null),
        ("GET", "/devchannel/page/devchannel.js", null),
        ("GET", "/devchannel/lib/adaptivecards.js", null),
        ("GET", "/devchannel/people", null),
        ("POST", "/devchannel/session", """{"person":"employee","chat":"personal"}"""),
        ("POST", "/devchannel/notify", """{"tenantId":"dev-tenant","userId":"29:dev-host","text":"forged notice"}"""),
        ("POST", "/devchannel/meeting", """{"event":"start","person":"host"}"""),
        ("POST", "/v3/directline/tokens/generate", """{"user":{"id":"29:dev-host"}}"""),
        ("POST", "/v3/directline/tokens/refresh", null),
        ("POST", "/v3/directline/conversations", """{"user":{"id":"29:dev-host"}}"""),
        ("GET", "/v3/directline/conversations/a:dev-host", null),
        ("GET", "/v3/directline/conversations/a:dev-host/activities?watermark=", null),
        ("POST", "/v3/directline/conversations/a:dev-host/activities", """{"type":"message","text":"帮助"}"""),
        ("POST", "/v3/directline/conversations/a:dev-host/upload", null),
        ("POST", "/devchannel/v3/conversations", """{"members":[{"id":"29:dev-host"}],"activity":{"type":"message","text":"forged"}}"""),
        ("POST", "/devchannel/v3/conversations/a:dev-host/activities", """{"type":"message","text":"forged"}"""),
        ("POST", "/devchannel/v3/conversations/a:dev-host/activities/x1", """{"type":"message","text":"forged"}"""),
        ("PUT", "/devchannel/v3/conversations/a:dev-host/activities/x1", """{"type":"message","text":"forged"}"""),
        ("DELETE", "/devchannel/v3/conversations/a:dev-host/activities/x1", null),
        ("GET", "/devchannel/v3/conversations/a:dev-host/members", null),
        ("GET", "/devchannel/v3/conversations/a:dev-host/activities/x1/members", null),
        ("GET", "/devchannel/v3/conversations/a:dev-host/pagedmembers", null),
        ("GET", "/devchannel/v3/conversations/a:dev-host/members/29:dev-host", null),
        ("GET", "/devchannel/v3/teams/19:dev-team-general@thread.tacv2", null),
        ("GET", "/devchannel/v3/teams/19:dev-team-general@thread.tacv2/conversations", null),
        ("GET", "/devchannel/v1/meetings/MCMeeting-dev-weekly", null),
        ("GET", "/devchannel/v1/meetings/MCMeeting-dev-weekly/participants/29:dev-host", null),
        ("PUT", "/devchannel/files/0123456789abcdef", "bytes"),
        ("GET", "/devchannel/files/0123456789abcdef", null),
    ];

    private static HttpRequestMessage Request((string Method, string Path, string? Body) endpoint, string? baseAddress = null) =>
        new(new HttpMethod(endpoint.Method), (baseAddress ?? "") + endpoint.Path)
        {
            Content = endpoint.Body == null ? null : new StringContent(endpoint.Body, System.Text.Encoding.UTF8, "application/json"),
        };

    /// <summary>The gate's answer for <paramref name="reason"/>: 403 and the message in Chinese, then English.</summary>
    private static async Task<string?> RefusalProblemAsync(HttpResponseMessage response, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Forbidden)
        {
            return $"HTTP {(int)response.StatusCode} {Truncate(body)}";
        }
        var zh = Localizer.Default.Get("zh-CN", "devchannel." + reason);
        var en = Localizer.Default.Get("en", "devchannel." + reason);
        var text = response.Content.Headers.ContentType?.MediaType == "application/json"
            ? (string?)JObject.Parse(body)["error"]?["message"] ?? ""
            : body;
        return text == zh + "\n" + en ? null : $"403 but not the '{reason}' refusal: {Truncate(body)}";
    }

    private static bool IsGateRefusal(HttpResponseMessage response, string body) =>
        response.StatusCode == HttpStatusCode.Forbidden
        && new[] { "noKey", "wrongKey", "foreignHost", "foreignOrigin" }.Any(r => body.Contains(Localizer.Default.Get("en", "devchannel." + r).Replace("\"", "\\\""), StringComparison.Ordinal)
            || body.Contains(Localizer.Default.Get("en", "devchannel." + r), StringComparison.Ordinal));

    private static string Truncate(string text) => text.Length > 200 ? text[..200] + "…" : text;

    private static void AssertNothingReachedTheChannel(DevChannelFactory factory)
    {
        var transcripts = factory.Services.GetRequiredService<DevTranscripts>();
        foreach (var person in DevPeople.All)
        {
            Assert.Equal(0, transcripts.For(person.PersonalConversationId).Count);
        }
        Assert.Equal(0, transcripts.For(DevPeople.MeetingConversationId).Count);
        Assert.False(factory.Services.GetRequiredService<DevMeeting>().Running, "a refused meeting event started the meeting");
    }

    private static void AssertRefusalsWereWarnings(DevChannelFactory factory, int atLeast)
    {
        var refusals = factory.Logs.Entries.Where(e => e.Message.StartsWith("Local chat channel: refused", StringComparison.Ordinal)).ToList();
        Assert.True(refusals.Count >= atLeast, $"{refusals.Count} refusals logged, expected at least {atLeast}");
        Assert.All(refusals, e => Assert.Equal(LogLevel.Warning, e.Level));
        Assert.DoesNotContain(factory.Logs.Entries, e => e.Level >= LogLevel.Error);
        Assert.DoesNotContain(refusals, e => e.Message.Contains(factory.Key, StringComparison.Ordinal));
    }

    /// <summary>Runs every endpoint with <paramref name="attack"/> applied; each must get the gate's <paramref name="reason"/> refusal.</summary>
    private static async Task AssertEveryEndpointRefusesAsync(DevChannelFactory factory, HttpClient client, string reason, Action<HttpRequestMessage> attack, string? baseAddress = null)
    {
        var problems = new List<string>();
        foreach (var endpoint in Endpoints)
        {
            using var request = Request(endpoint, baseAddress);
            attack(request);
            using var response = await client.SendAsync(request);
            if (await RefusalProblemAsync(response, reason) is { } problem)
            {
                problems.Add($"{endpoint.Method} {endpoint.Path}: {problem}");
            }
        }
        Assert.True(problems.Count == 0, "Not refused:\n" + string.Join("\n", problems));
        AssertNothingReachedTheChannel(factory);
        AssertRefusalsWereWarnings(factory, Endpoints.Length);
    }

    [Fact]
    public async Task Without_the_key_every_endpoint_is_refused_and_nothing_happens()
    {
        await using var factory = new DevChannelFactory();
        await AssertEveryEndpointRefusesAsync(factory, factory.StrangerClient(), "noKey", _ => { });
    }

    [Fact]
    public async Task A_wrong_key_in_the_header_or_the_cookie_is_refused()
    {
        await using var factory = new DevChannelFactory();
        var client = factory.StrangerClient();
        var wrong = new string('A', factory.Key.Length);
        await AssertEveryEndpointRefusesAsync(factory, client, "wrongKey", r => r.Headers.Add(DevChannelKey.HeaderName, wrong));
        await AssertEveryEndpointRefusesAsync(factory, client, "wrongKey", r => r.Headers.Add("Cookie", "chatregs-devchannel-80=" + wrong));
        // The key with something after it, a truncated key, and the key twice are not the key.
        await AssertEveryEndpointRefusesAsync(factory, client, "wrongKey", r => r.Headers.Add(DevChannelKey.HeaderName, factory.Key + "x"));
        await AssertEveryEndpointRefusesAsync(factory, client, "wrongKey", r => r.Headers.Add(DevChannelKey.HeaderName, factory.Key[..^1]));
        await AssertEveryEndpointRefusesAsync(factory, client, "wrongKey", r => r.Headers.Add(DevChannelKey.HeaderName, [factory.Key, "x"]));
        // The key of another bot on another port (its cookie name) does not open this one.
        await AssertEveryEndpointRefusesAsync(factory, client, "noKey", r => r.Headers.Add("Cookie", "chatregs-devchannel-3978=" + factory.Key));
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:3978")]
    [InlineData("localhost.evil.example")]
    [InlineData("127.0.0.1.nip.io")]
    [InlineData("192.168.1.20")]
    public async Task The_right_key_under_another_host_name_is_refused_as_DNS_rebinding(string host)
    {
        await using var factory = new DevChannelFactory();
        await AssertEveryEndpointRefusesAsync(factory, factory.CreateClient(), "foreignHost", _ => { }, baseAddress: "http://" + host);
    }

    [Theory]
    [InlineData("Origin", "http://evil.example")]
    [InlineData("Origin", "http://localhost:8080")] // another local web app in the same browser
    [InlineData("Origin", "https://localhost")]
    [InlineData("Origin", "null")] // a sandboxed frame or a file:// page
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    public async Task The_right_key_from_a_foreign_origin_is_refused(string header, string value)
    {
        await using var factory = new DevChannelFactory();
        await AssertEveryEndpointRefusesAsync(factory, factory.CreateClient(), "foreignOrigin", r => r.Headers.TryAddWithoutValidation(header, value));
    }

    [Fact]
    public async Task With_the_key_and_the_pages_own_origin_every_endpoint_answers()
    {
        await using var factory = new DevChannelFactory();
        var client = factory.CreateClient();
        var problems = new List<string>();
        foreach (var endpoint in Endpoints)
        {
            using var request = Request(endpoint);
            request.Headers.TryAddWithoutValidation("Origin", "http://localhost");
            request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if (IsGateRefusal(response, body) || response.StatusCode == HttpStatusCode.InternalServerError)
            {
                problems.Add($"{endpoint.Method} {endpoint.Path}: HTTP {(int)response.StatusCode} {Truncate(body)}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.DoesNotContain(factory.Logs.Entries, e => e.Message.StartsWith("Local chat channel: refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Opening_the_printed_address_swaps_the_key_for_a_same_site_cookie_that_then_opens_everything()
    {
        await using var factory = new DevChannelFactory();
        var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        browser.DefaultRequestHeaders.Remove(DevChannelKey.HeaderName);

        // Before: the page is not served.
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/?as=host")).StatusCode);

        var address = new Uri(factory.LoggedPageAddress());
        Assert.Equal("localhost", address.Host);
        Assert.Equal("?key=" + factory.Key, address.Query);

        var opened = await browser.GetAsync(address.PathAndQuery + "&as=host&chat=meeting");
        Assert.Equal(HttpStatusCode.SeeOther, opened.StatusCode);
        Assert.Equal("/?as=host&chat=meeting", opened.Headers.Location?.OriginalString); // the key leaves the address bar
        var cookie = Assert.Single(opened.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("chatregs-devchannel-80=" + factory.Key + ";", cookie);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);

        var page = await browser.GetAsync("/?as=host&chat=meeting");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("/devchannel/lib/webchat.js", await page.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/devchannel/page/devchannel.js")).StatusCode);

        // The cookie is all the page needs: a Direct Line conversation, a message, the bot's answer.
        var chat = await DirectLineClient.StartAsync(browser, "host");
        await chat.PollAsync();
        await chat.SayAsync("帮助");
        Assert.Contains(await chat.PollAsync(), a => (string?)a["from"]?["role"] == "bot");
    }

    [Fact]
    public async Task A_wrong_key_in_the_address_gets_no_cookie_and_the_key_in_the_address_of_a_post_is_refused()
    {
        await using var factory = new DevChannelFactory();
        var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        browser.DefaultRequestHeaders.Remove(DevChannelKey.HeaderName);

        var wrong = await browser.GetAsync("/?key=" + new string('A', factory.Key.Length));
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));
        Assert.Equal("text/plain", wrong.Content.Headers.ContentType?.MediaType);
        var text = await wrong.Content.ReadAsStringAsync();
        Assert.Contains(Localizer.Default.Get("zh-CN", "devchannel.wrongKey"), text);
        Assert.Contains(Localizer.Default.Get("en", "devchannel.wrongKey"), text);

        // A form on some page can put the key it does not know in a URL, but not the one it knows: still, a POST never takes it.
        var post = await browser.PostAsync("/devchannel/notify?key=" + factory.Key,
            DirectLineClient.Json(new JObject { ["userId"] = "29:dev-host", ["text"] = "forged" }));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(0, factory.Services.GetRequiredService<DevTranscripts>().For(DevPeople.Host.PersonalConversationId).Count);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/")).StatusCode);
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Production")]
    public async Task With_an_app_id_the_channel_does_not_exist_even_in_Development(string environment)
    {
        await using var factory = new DevChannelFactory(
            new Dictionary<string, string?> { ["MicrosoftAppId"] = "00000000-0000-0000-0000-00000000abcd", ["MicrosoftAppPassword"] = "not-a-real-secret", ["ChatRegs:AllowedTenants:0"] = "*" },
            environment: environment);
        var client = factory.CreateClient();
        Assert.Null(factory.Services.GetService<DevChannelKey>());
        Assert.Null(factory.Services.GetService<DevTranscripts>());
        var problems = new List<string>();
        foreach (var endpoint in Endpoints)
        {
            using var request = Request(endpoint);
            using var response = await client.SendAsync(request);
            if (response.StatusCode is not (HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed))
            {
                problems.Add($"{endpoint.Method} {endpoint.Path}: HTTP {(int)response.StatusCode}");
            }
        }
        Assert.True(problems.Count == 0, "These exist with an app id:\n" + string.Join("\n", problems));
        Assert.DoesNotContain(factory.Logs.Entries, e => e.Message.StartsWith("Local chat page:", StringComparison.Ordinal));
        Assert.NotEqual(HttpStatusCode.NotFound, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Theory]
    [InlineData("other-tenant", "29:dev-host")]
    [InlineData("", "29:dev-host")]
    [InlineData("DEV-TENANT", "29:dev-host")]
    [InlineData("dev-tenant", "29:someone-in-another-tenant")]
    [InlineData("dev-tenant", "8:orgid:6e2f6a40-1c3b-4d9a-9a51-3b8f0c2d1e99")]
    [InlineData(null, "29:someone-else")]
    public async Task A_notice_reaches_only_the_sample_tenants_people(string? tenantId, string userId)
    {
        await using var factory = new DevChannelFactory();
        var http = factory.CreateClient();
        var host = await DirectLineClient.StartAsync(http, "host");
        await host.PollAsync();
        var before = factory.Services.GetRequiredService<DevTranscripts>().For(DevPeople.Host.PersonalConversationId).Count;

        var body = new JObject { ["userId"] = userId, ["text"] = "【伪造】通知" };
        if (tenantId != null)
        {
            body["tenantId"] = tenantId;
        }
        var response = await http.PostAsync("/devchannel/notify", DirectLineClient.Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"HTTP {(int)response.StatusCode} {text}");
        var message = (string?)JObject.Parse(text)["error"]?["message"];
        Assert.Contains("测试通知只能发给", message);
        Assert.Contains("Test notices go only to", message);

        Assert.Empty(await host.PollAsync());
        Assert.Equal(before, factory.Services.GetRequiredService<DevTranscripts>().For(DevPeople.Host.PersonalConversationId).Count);
        Assert.Contains(factory.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("refused a test notice", StringComparison.Ordinal));
        Assert.DoesNotContain(factory.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Theory]
    [InlineData("""{"userId":42,"text":"x"}""")]
    [InlineData("""{"userId":"29:dev-host","text":{"a":1}}""")]
    [InlineData("""{"tenantId":["dev-tenant"],"userId":"29:dev-host","text":"x"}""")]
    [InlineData("""[1,2]""")]
    [InlineData("""not json""")]
    public async Task A_malformed_notice_is_a_400_not_a_500(string body)
    {
        await using var factory = new DevChannelFactory();
        var response = await factory.CreateClient().PostAsync("/devchannel/notify", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("/devchannel/session", """{"person":["host"]}""")]
    [InlineData("/devchannel/session", """{"person":{"a":1},"chat":"personal"}""")]
    [InlineData("/devchannel/session", """{"person":"host","chat":["meeting"]}""")]
    [InlineData("/devchannel/tab-token", """{"person":["host"]}""")]
    [InlineData("/devchannel/meeting", """{"event":["start"]}""")]
    [InlineData("/devchannel/meeting", """{"person":{"id":"29:dev-host"},"event":"start"}""")]
    [InlineData("/devchannel/meeting", """{"event":"start","locale":["en"]}""")]
    [InlineData("/v3/directline/tokens/generate", """{"user":"29:dev-host"}""")]
    [InlineData("/v3/directline/tokens/generate", """{"user":{"id":["29:dev-host"]}}""")]
    [InlineData("/v3/directline/conversations", """{"user":[1]}""")]
    public async Task A_wrongly_typed_field_on_a_local_chat_endpoint_is_a_4xx_not_a_500(string path, string body)
    {
        await using var factory = new DevChannelFactory();
        var response = await factory.CreateClient().PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.InRange((int)response.StatusCode, 200, 499);
        Assert.DoesNotContain(factory.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task An_activity_whose_type_is_not_text_is_posted_as_a_message_not_a_500()
    {
        await using var factory = new DevChannelFactory();
        var chat = await DirectLineClient.StartAsync(factory.CreateClient(), "employee");
        var answer = await chat.PostAsync(new JObject { ["type"] = new JArray("invoke"), ["text"] = "帮助" });
        Assert.False(string.IsNullOrEmpty((string?)answer["id"]));
        answer = await chat.PostAsync(new JObject { ["text"] = new JObject { ["a"] = 1 }, ["locale"] = new JArray("en") });
        Assert.False(string.IsNullOrEmpty((string?)answer["id"]));
        Assert.DoesNotContain(factory.Logs.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task A_notice_by_the_sample_persons_AAD_object_id_reaches_them()
    {
        await using var factory = new DevChannelFactory();
        var http = factory.CreateClient();
        var host = await DirectLineClient.StartAsync(http, "host");
        await host.PollAsync();
        var result = await DirectLineClient.PostJsonAsync(http, "/devchannel/notify", new JObject { ["userId"] = DevPeople.Host.AadObjectId, ["text"] = "按对象 ID 发送" });
        Assert.Equal("a:dev-host", (string?)result["conversationId"]);
        Assert.Contains(await host.PollAsync(), a => (string?)a["text"] == "按对象 ID 发送");
    }

    /// <summary>
    /// On a real socket: the bot reaches its own connector endpoints (its replies arrive) through
    /// its real HttpClient pipeline, which presents the key; a caller on the same machine without
    /// it, or under a rebound name, is refused.
    /// </summary>
    [Fact]
    public async Task On_a_real_server_the_bots_own_calls_carry_the_key_and_nobody_elses_do()
    {
        await using var factory = new DevChannelFactory(kestrelPort: Azurite.FreePort());
        factory.StartServer();
        var address = new Uri(factory.LoggedPageAddress());
        Assert.Equal(new Uri(factory.BaseUrl!).Port, address.Port);

        using var page = new HttpClient { BaseAddress = new Uri(factory.BaseUrl!) };
        page.DefaultRequestHeaders.Add(DevChannelKey.HeaderName, factory.Key);
        var chat = await DirectLineClient.StartAsync(page, "employee");
        Assert.Contains(await chat.PollAsync(), a => (string?)a["from"]?["role"] == "bot"); // the welcome card, sent by the bot over HTTP
        await chat.SayAsync("帮助");
        Assert.Contains(await chat.PollAsync(), a => (string?)a["from"]?["role"] == "bot");

        using var stranger = new HttpClient { BaseAddress = new Uri(factory.BaseUrl!) };
        var forged = await stranger.PostAsync("/devchannel/v3/conversations/a:dev-employee/activities", DirectLineClient.Json(new JObject { ["type"] = "message", ["text"] = "forged" }));
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);

        var rebound = new HttpRequestMessage(HttpMethod.Get, "/devchannel/people");
        rebound.Headers.Host = "evil.example";
        rebound.Headers.Add(DevChannelKey.HeaderName, factory.Key);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.SendAsync(rebound)).StatusCode);
        Assert.DoesNotContain(await chat.PollAsync(), a => (string?)a["text"] == "forged");

        // The bot's handler never hands the key to anything but this server's own channel.
        var port = new Uri(factory.BaseUrl!).Port;
        var seen = await KeySentToAsync(factory, $"http://127.0.0.1:{port}/devchannel/v3/conversations/x/activities");
        Assert.Equal(factory.Key, seen);
        Assert.Null(await KeySentToAsync(factory, $"http://127.0.0.1:{(port == 65535 ? port - 1 : port + 1)}/devchannel/v3/conversations/x/activities"));
        Assert.Null(await KeySentToAsync(factory, $"http://evil.example:{port}/devchannel/v3/conversations/x/activities"));
        Assert.Null(await KeySentToAsync(factory, "https://smba.trafficmanager.net/amer/v3/conversations/x/activities"));
        Assert.Null(await KeySentToAsync(factory, $"http://127.0.0.1:{port}/api/messages"));
    }

    /// <summary>What key header the bot's HttpClient pipeline would send to <paramref name="url"/> (nothing is sent).</summary>
    private static async Task<string?> KeySentToAsync(DevChannelFactory factory, string url)
    {
        var capture = new CaptureHandler();
        var proof = factory.Services.GetRequiredService<DevChannelBotProof>();
        proof.InnerHandler = capture;
        using var client = new HttpClient(proof);
        await client.GetAsync(url);
        return capture.Key;
    }

    private sealed class CaptureHandler : HttpMessageHandler
    {
        public string? Key { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Key = request.Headers.TryGetValues(DevChannelKey.HeaderName, out var values) ? values.Single() : null;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));
        }
    }
}
