using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChatRegs.TestSupport;

namespace ChatRegs.Tests.Http;

/// <summary>Real activity JSON posted to /api/messages, replies read from the HTTP response.</summary>
public sealed class MessagesEndpointTests
{
    internal static string TeamsActivity(string type, string? text = null, string conversationId = "a:http-conv", string? locale = "zh-CN", string extra = "") =>
        TeamsHttp.Activity(type, text, conversationId, locale, extra);

    internal static Task<JsonArray> PostAsync(HttpClient client, string json) => TeamsHttp.PostAsync(client, json);

    [Fact]
    public async Task Help_over_http_answers_with_a_Chinese_card_in_the_response()
    {
        await using var factory = new BotFactory();
        var replies = await PostAsync(factory.CreateClient(), TeamsActivity("message", "帮助"));

        var reply = Assert.Single(replies)!;
        Assert.Equal("message", (string?)reply["type"]);
        var attachment = reply["attachments"]![0]!;
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)attachment["contentType"]);
        Assert.Contains("ChatRegs 制度助手", attachment["content"]!.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public async Task English_locale_over_http_gets_English()
    {
        await using var factory = new BotFactory();
        var replies = await PostAsync(factory.CreateClient(), TeamsActivity("message", "help", locale: "en-GB"));
        Assert.Contains("ChatRegs regulations assistant", replies[0]!["attachments"]![0]!["content"]!.ToJsonString());
    }

    [Fact]
    public async Task Conversation_state_survives_a_restart_of_the_bot()
    {
        string prefix;
        var botAdded = TeamsActivity("conversationUpdate", conversationId: "a:restart", extra: "\"membersAdded\": [{ \"id\": \"28:bot-id\" }],");
        await using (var first = new BotFactory())
        {
            prefix = first.TablePrefix;
            var welcome = await PostAsync(first.CreateClient(), botAdded);
            Assert.Single(welcome);
        }

        // A new process over the same storage remembers the conversation was welcomed.
        await using var second = new BotFactory(tablePrefix: prefix);
        Assert.Empty(await PostAsync(second.CreateClient(), botAdded));
    }

    [Fact]
    public async Task Without_a_valid_bot_framework_token_a_configured_bot_answers_401()
    {
        await using var factory = new BotFactory(new()
        {
            ["MicrosoftAppType"] = "MultiTenant",
            ["MicrosoftAppId"] = "6f0c4b1e-7a1d-4c55-9a3e-2f1d9f6b0c11",
            ["MicrosoftAppPassword"] = "not-a-real-secret",
        });
        var client = factory.CreateClient();

        var anonymous = await client.PostAsync("/api/messages", new StringContent(TeamsActivity("message", "帮助"), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        // A token that Bot Framework did not issue (unsigned, foreign issuer) is refused too.
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var forged = B64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + B64("{\"iss\":\"https://attacker.example\",\"aud\":\"6f0c4b1e-7a1d-4c55-9a3e-2f1d9f6b0c11\",\"exp\":4102444800}") + ".";
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new StringContent(TeamsActivity("message", "帮助"), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", forged);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Malformed_json_is_a_client_error_not_a_crash()
    {
        await using var factory = new BotFactory();
        var response = await factory.CreateClient().PostAsync("/api/messages", new StringContent("{ not json", Encoding.UTF8, "application/json"));
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"got {(int)response.StatusCode}");
    }

    [Fact]
    public async Task A_HEAD_probe_of_the_endpoint_is_answered_200_and_runs_no_turn()
    {
        // Microsoft 365 Agents Playground (and the Agents Toolkit) wait for the bot with HEAD
        // /api/messages before connecting; it was answered 405 on every start.
        await using var factory = new BotFactory();
        var client = factory.CreateClient();
        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/messages"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.GetAsync("/api/messages")).StatusCode);
        Assert.DoesNotContain(factory.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("Refused", StringComparison.Ordinal));
    }
}

public sealed class HealthTests
{
    [Fact]
    public async Task Healthz_is_200_when_table_storage_answers()
    {
        await using var factory = new BotFactory();
        var client = factory.CreateClient();
        // Tables are created at start-up; give the initializer its moment.
        HttpResponseMessage response = null!;
        for (var i = 0; i < 20; i++)
        {
            response = await client.GetAsync("/healthz");
            if (response.StatusCode == HttpStatusCode.OK) break;
            await Task.Delay(250);
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"status":"ok"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Healthz_is_503_and_tells_anonymous_callers_nothing_but_the_status_the_reason_goes_to_the_log()
    {
        var nothingListens = Azurite.FreePort();
        await using var factory = new BotFactory(new() { ["ChatRegs:Storage:ConnectionString"] = Azurite.ForPort(nothingListens) });
        var response = await factory.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("""{"status":"unavailable"}""", await response.Content.ReadAsStringAsync());
        Assert.Contains(factory.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.Contains("Table Storage"));
    }

    [Fact]
    public async Task A_message_while_storage_is_down_is_told_not_saved_try_again()
    {
        var nothingListens = Azurite.FreePort();
        await using var factory = new BotFactory(new() { ["ChatRegs:Storage:ConnectionString"] = Azurite.ForPort(nothingListens) });
        var replies = await PostAsync(factory.CreateClient(), MessagesEndpointTests.TeamsActivity("message", "帮助"));
        var message = Assert.Single(replies, r => (string?)r!["type"] == "message");
        Assert.Equal("没有保存成功，请稍后再试。已保存的内容不受影响。", (string?)message!["text"]);
    }

    private static Task<JsonArray> PostAsync(HttpClient client, string json) => MessagesEndpointTests.PostAsync(client, json);
}

public sealed class RedeliveryTests
{
    [Fact]
    public async Task The_same_activity_delivered_twice_is_processed_once()
    {
        await using var factory = new BotFactory();
        var client = factory.CreateClient();
        var activity = TeamsHttp.Activity("message", "建议", conversationId: "a:redelivery");
        var first = await TeamsHttp.PostAsync(client, activity);
        Assert.Contains("建议标题", (string?)Assert.Single(first)!["text"]);

        // Teams resends the very same activity (same id) when the bot was slow.
        var again = await TeamsHttp.PostAsync(client, activity);
        Assert.Empty(again);

        // The flow is at its first step still: the title is taken once, not twice.
        var next = await TeamsHttp.PostAsync(client, TeamsHttp.Activity("message", "周会提前发材料", conversationId: "a:redelivery"));
        Assert.NotNull(Assert.Single(next)!["attachments"]);
    }
}
