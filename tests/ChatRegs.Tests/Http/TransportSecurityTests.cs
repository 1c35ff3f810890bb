using System.Net;
using System.Text;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;
using ChatRegs.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatRegs.Tests.Http;

/// <summary>Attacks on /api/messages: channels, remote callers without authentication, tokens, activity shape, sizes.</summary>
public sealed class TransportSecurityTests
{
    private const string FakeAppId = "6f0c4b1e-7a1d-4c55-9a3e-2f1d9f6b0c11";

    private static Dictionary<string, string?> AuthOn(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["MicrosoftAppType"] = "MultiTenant", ["MicrosoftAppId"] = FakeAppId, ["MicrosoftAppPassword"] = "not-a-real-secret" };
        foreach (var (k, v) in more)
        {
            settings[k] = v;
        }
        return settings;
    }

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Well formed, but signed by nobody the bot trusts.</summary>
    private static readonly string UnsignedJwt = B64("{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"x\"}") + "." + B64($"{{\"iss\":\"https://api.botframework.com\",\"aud\":\"{FakeAppId}\",\"exp\":4102444800,\"serviceurl\":\"http://127.0.0.1:9/\"}}") + "." + B64("not-a-signature");

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string body, string? authorization = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (authorization != null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        return await client.SendAsync(request);
    }

    private static void AssertNoErrors(BotFactory factory)
    {
        var errors = factory.Logs.Entries.Where(e => e.Level >= LogLevel.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => e.Message + " " + e.Exception?.GetType().Name)));
    }

    [Fact]
    public async Task With_an_app_id_only_msteams_is_accepted_unless_more_channels_are_listed()
    {
        await using var factory = new BotFactory(AuthOn());
        var client = factory.CreateClient();

        var webchat = await SendAsync(client, TeamsHttp.Activity("message", "帮助").Replace("\"msteams\"", "\"webchat\""), "Bearer " + UnsignedJwt);
        Assert.Equal(HttpStatusCode.Forbidden, webchat.StatusCode);
        Assert.Contains(factory.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("webchat"));
        var directline = await SendAsync(client, TeamsHttp.Activity("message", "帮助").Replace("\"msteams\"", "\"directline\""), "Bearer " + UnsignedJwt);
        Assert.Equal(HttpStatusCode.Forbidden, directline.StatusCode);

        // The same request from msteams passes the channel check and fails on its token.
        var teams = await SendAsync(client, TeamsHttp.Activity("message", "帮助"), "Bearer " + UnsignedJwt);
        Assert.Equal(HttpStatusCode.Unauthorized, teams.StatusCode);
        AssertNoErrors(factory);

        await using var widened = new BotFactory(AuthOn(("ChatRegs:AllowedChannels:0", "webchat")));
        var listed = await SendAsync(widened.CreateClient(), TeamsHttp.Activity("message", "帮助").Replace("\"msteams\"", "\"webchat\""), "Bearer " + UnsignedJwt);
        Assert.Equal(HttpStatusCode.Unauthorized, listed.StatusCode);
    }

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("10.0.0.5")]
    [InlineData("::ffff:203.0.113.7")]
    public async Task Without_an_app_id_a_caller_that_is_not_loopback_is_refused_and_nothing_runs(string remote)
    {
        await using var factory = new BotFactory(remoteAddress: IPAddress.Parse(remote));
        var response = await SendAsync(factory.CreateClient(), TeamsHttp.Activity("message", "帮助", conversationId: "a:remote"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(factory.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains(IPAddress.Parse(remote).ToString()));
        AssertNoErrors(factory);
    }

    [Fact]
    public async Task Without_an_app_id_ipv6_loopback_is_served()
    {
        await using var factory = new BotFactory(remoteAddress: IPAddress.IPv6Loopback);
        var replies = await TeamsHttp.PostAsync(factory.CreateClient(), TeamsHttp.Activity("message", "帮助"));
        Assert.NotEmpty(replies);
    }

    public static IEnumerable<object[]> BadAuthorizations()
    {
        foreach (var on in new[] { true, false })
        {
            yield return [on, "Bearer garbage.token.value"];
            yield return [on, "Bearer "];
            yield return [on, "Bearer"];
            yield return [on, "Basic dXNlcjpwYXNz"];
            yield return [on, "bearer " + UnsignedJwt];
            yield return [on, "Bearer " + new string('a', 100_000)];
            yield return [on, "Bearer a.b"];
            yield return [on, "Bearer " + B64("{\"alg\":\"none\"}") + "." + B64("{\"iss\":\"https://attacker.example\"}") + "."];
            yield return [on, "Bearer " + UnsignedJwt];
            yield return [on, "Bearer " + UnsignedJwt.Replace('.', '!')];
        }
    }

    [Theory]
    [MemberData(nameof(BadAuthorizations))]
    public async Task A_malformed_or_unverifiable_token_is_401_and_a_warning_never_a_500(bool authenticationOn, string authorization)
    {
        await using var factory = authenticationOn ? new BotFactory(AuthOn()) : new BotFactory();
        var response = await SendAsync(factory.CreateClient(), TeamsHttp.Activity("message", "帮助"), authorization);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(factory.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Refused"));
        AssertNoErrors(factory);
    }

    public static IEnumerable<object[]> BadShapes()
    {
        string A(string text = "帮助") => TeamsHttp.Activity("message", text);
        yield return ["lone surrogate in from.id", A().Replace("\"29:1abc\"", "\"29:\\ud800\"")];
        yield return ["lone surrogate in conversation.id", TeamsHttp.Activity("message", "帮助", conversationId: "a:\\udfff")];
        yield return ["lone surrogate in channelId", A().Replace("\"msteams\"", "\"ms\\ud800teams\"")];
        yield return ["lone surrogate in type", A().Replace("\"type\": \"message\"", "\"type\": \"message\\ud800\"")];
        yield return ["lone surrogate in recipient", A().Replace("\"28:bot-id\"", "\"28:\\ud800\"")];
        yield return ["lone surrogate in tenant", A().Replace("tenant-http", "tenant\\ud800")];
        yield return ["lone surrogate in locale", TeamsHttp.Activity("message", "帮助", locale: "zh\\ud800")];
        yield return ["lone surrogate in name", A().Replace("\"王小明\"", "\"王\\ud800\"")];
        yield return ["lone surrogate in a value string", TeamsHttp.Activity("message", extra: "\"value\": {\"verb\": \"x\\udbff\"},")];
        yield return ["lone surrogate in a property name", TeamsHttp.Activity("message", extra: "\"value\": {\"\\ud800\": 1},")];
        yield return ["no serviceUrl", A().Replace("\"serviceUrl\"", "\"notServiceUrl\"")];
        yield return ["ftp serviceUrl", A().Replace("http://127.0.0.1:9/", "ftp://127.0.0.1/")];
        yield return ["javascript serviceUrl", A().Replace("http://127.0.0.1:9/", "javascript:alert(1)")];
        yield return ["relative serviceUrl", A().Replace("http://127.0.0.1:9/", "/relative")];
        yield return ["serviceUrl with credentials", A().Replace("http://127.0.0.1:9/", "http://user:pw@127.0.0.1:9/")];
        yield return ["serviceUrl is a number", A().Replace("\"http://127.0.0.1:9/\"", "42")];
        yield return ["40,000-character serviceUrl", A().Replace("http://127.0.0.1:9/", "http://127.0.0.1:9/" + new string('x', 40_000))];
        yield return ["10,000-character sender id", A().Replace("\"29:1abc\"", "\"29:" + new string('1', 10_000) + "\"")];
        yield return ["2,000-character channel id", A().Replace("\"msteams\"", "\"" + new string('c', 2_000) + "\"")];
        yield return ["control characters in the conversation id", TeamsHttp.Activity("message", "帮助", conversationId: "a:x\\u0000y")];
        yield return ["sender id is an object", A().Replace("\"29:1abc\"", "{\"x\": 1}")];
        yield return ["entities [null]", TeamsHttp.Activity("message", "帮助", extra: "\"entities\": [null],")];
        yield return ["entities is a string", TeamsHttp.Activity("message", "帮助", extra: "\"entities\": \"x\",")];
        yield return ["attachments [1]", TeamsHttp.Activity("message", "帮助", extra: "\"attachments\": [1],")];
        yield return ["meetingStart time not a time", TeamsHttp.Activity("event", extra: "\"name\": \"application/vnd.microsoft.meetingStart\", \"value\": {\"StartTime\": \"yesterday\"},")];
        yield return ["meetingStart time an object", TeamsHttp.Activity("event", extra: "\"name\": \"application/vnd.microsoft.meetingStart\", \"value\": {\"StartTime\": {}},")];
        yield return ["meetingEnd time a number", TeamsHttp.Activity("event", extra: "\"name\": \"application/vnd.microsoft.meetingEnd\", \"value\": {\"EndTime\": 5},")];
        yield return ["meetingEnd value a string", TeamsHttp.Activity("event", extra: "\"name\": \"application/vnd.microsoft.meetingEnd\", \"value\": \"x\",")];
        yield return ["participant join value missing", TeamsHttp.Activity("event", extra: "\"name\": \"application/vnd.microsoft.meetingParticipantJoin\",")];
    }

    [Fact]
    public async Task Broken_activities_are_400_with_no_error_logged()
    {
        await using var factory = new BotFactory();
        var client = factory.CreateClient();
        foreach (var input in BadShapes())
        {
            var response = await SendAsync(client, (string)input[1]);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{input[0]}: HTTP {(int)response.StatusCode}");
        }
        AssertNoErrors(factory);
    }

    [Theory]
    [InlineData("\"boom\"")]
    [InlineData("42")]
    [InlineData("[1, 2]")]
    public async Task A_card_invoke_whose_data_is_not_an_object_gets_a_calm_answer(string data)
    {
        await using var factory = new BotFactory();
        var invoke = TeamsHttp.Activity("invoke", extra: $"\"name\": \"adaptiveCard/action\", \"value\": {{\"action\": {{\"type\": \"Action.Execute\", \"verb\": \"meetings.checkin\", \"data\": {data}}}}},");
        var response = await SendAsync(factory.CreateClient(), invoke);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("机器人出了点问题", body);
        AssertNoErrors(factory);
    }

    [Fact]
    public async Task Meeting_events_without_times_are_handled_calmly()
    {
        await using var factory = new BotFactory();
        var client = factory.CreateClient();
        foreach (var name in new[] { "meetingStart", "meetingEnd" })
        {
            var response = await SendAsync(client, TeamsHttp.Activity("event", extra: $"\"name\": \"application/vnd.microsoft.{name}\", \"value\": {{}},"));
            Assert.True((int)response.StatusCode < 500, name);
        }
        AssertNoErrors(factory);
    }

    [Fact]
    public async Task A_40000_character_name_does_not_make_every_turn_not_saved_the_stored_name_is_capped()
    {
        await using var factory = new BotFactory();
        var client = factory.CreateClient();
        var longName = new string('名', 40_000);
        for (var turn = 0; turn < 2; turn++)
        {
            var replies = await TeamsHttp.PostAsync(client, TeamsHttp.Activity("message", "帮助", conversationId: "a:long-name").Replace("\"王小明\"", "\"" + longName + "\""));
            var reply = Assert.Single(replies)!;
            Assert.NotNull(reply["attachments"]);
            Assert.DoesNotContain("没有保存成功", reply.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }
        var names = factory.Services.GetRequiredService<TableNames>();
        var references = factory.Services.GetRequiredService<TableServiceClient>().GetTableClient(names.ConversationReferences);
        var person = await references.GetEntityAsync<TableEntity>("tenant-http", "user|29:1abc");
        Assert.Equal(256, person.Value.GetString("Name")!.Length);
        AssertNoErrors(factory);
    }
}
