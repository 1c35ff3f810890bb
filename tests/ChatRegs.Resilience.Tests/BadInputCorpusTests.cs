using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Storage;
using ChatRegs.Resilience.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatRegs.Resilience.Tests;

/// <summary>
/// Hostile and broken inputs, posted to /api/messages and to every card action the bot
/// registers (new features are covered as soon as they register a verb). Each must get a
/// 4xx or an answer in the user's language; none may get a 500, log an unhandled error, or
/// change a stored record. Every command with odd arguments: <see cref="OddCommandArgumentTests"/>
/// (a class of its own, so xunit runs it beside this one).
/// </summary>
public sealed class BadInputCorpusTests : IAsyncLifetime
{
    private BadInputBot _bot = null!;

    private BotFactory _factory => _bot.Factory;

    private HttpClient _client => _bot.Client;

    private int _tried => _bot.Tried;

    public async Task InitializeAsync() => _bot = await BadInputBot.StartAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    private static string Activity(string type, string? text = null, string extra = "", string conversationId = "a:attacker", string? locale = "zh-CN") =>
        BadInputBot.Activity(type, text, extra, conversationId, locale);

    private Task<Dictionary<string, string>> SnapshotAsync() => _bot.SnapshotAsync();

    private Task PostRawAsync(string label, string body, string contentType = "application/json") => _bot.PostRawAsync(label, body, contentType);

    private void AssertNoUnhandledErrors() => _bot.AssertNoUnhandledErrors();

    /// <summary>The activity without <c>deliveryMode</c>: Teams never asks for expectReplies, so an invoke's answer is its own status.</summary>
    private static string AsTeamsSendsIt(string activity)
    {
        var json = JsonNode.Parse(activity)!.AsObject();
        json.Remove("deliveryMode");
        return json.ToJsonString();
    }

    public static IEnumerable<object[]> RawInputs()
    {
        var big = new string('长', 1_000_000);
        yield return ["malformed JSON", "{ not json"];
        yield return ["empty body", ""];
        yield return ["JSON array", "[]"];
        yield return ["JSON null", "null"];
        yield return ["a number", "42"];
        yield return ["no type", Activity("message", "帮助").Replace("\"type\": \"message\",", "")];
        yield return ["unknown activity type", Activity("fooBar", "帮助")];
        yield return ["typing", Activity("typing")];
        yield return ["event", Activity("event", extra: "\"name\": \"whatever\",")];
        yield return ["message reaction", Activity("messageReaction", extra: "\"reactionsAdded\": [{\"type\": \"like\"}],")];
        yield return ["text is a number", Activity("message", extra: "\"text\": 12345,")];
        yield return ["text is an object", Activity("message", extra: "\"text\": {\"a\": 1},")];
        yield return ["value is a string", Activity("message", extra: "\"value\": \"meetings.checkin\",")];
        yield return ["value is an array", Activity("message", extra: "\"value\": [1, 2, 3],")];
        yield return ["value verb is a number", Activity("message", extra: "\"value\": {\"verb\": 7},")];
        yield return ["value verb unknown", Activity("message", extra: "\"value\": {\"verb\": \"no.such.verb\"},")];
        yield return ["value nested 100 deep", Activity("message", extra: "\"value\": " + string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100) + ",")];
        yield return ["1 MB text", Activity("message", big)];
        yield return ["control characters", Activity("message", "帮\u0001助\u0007\u001b[31m")];
        yield return ["lone surrogate", Activity("message").Replace("\"deliveryMode\"", "\"text\": \"\\ud800帮助\\udfff\", \"deliveryMode\"")];
        yield return ["zero-width padding", Activity("message", "帮" + new string('\u200b', 10_000) + "助")];
        yield return ["key-unsafe user id", Activity("message", "帮助").Replace("\"29:1abc\"", "\"29:a/b#c?d\\\\e%2F\"")];
        yield return ["key-unsafe conversation id", Activity("message", "帮助", conversationId: "a:x/y#z?w\\\\v")];
        yield return ["key-unsafe tenant", Activity("message", "帮助").Replace("tenant-http", "t/e#n?a\\\\nt")];
        yield return ["template in name", Activity("message", "我是谁").Replace("\"王小明\"", "\"${$root.strings} {{x}}\"")];
        yield return ["markdown link in name", Activity("message", "我是谁").Replace("\"王小明\"", "\"[点我](http://evil.example) **粗体** <script>alert(1)</script>\"")];
        yield return ["garbage locale", Activity("message", "帮助", locale: "xx-INVALID-🙂")];
        yield return ["timestamp out of range", Activity("message", "帮助").Replace("2026-11-26T08:25:00.000Z", "9999-99-99T99:99:99Z")];
        yield return ["unknown delivery mode", Activity("message", "帮助").Replace("expectReplies", "expectReplies\", \"extra\": \"x")];
        yield return ["no from", Activity("message", "帮助").Replace("\"from\":", "\"notFrom\":")];
        yield return ["no conversation", Activity("message", "帮助").Replace("\"conversation\":", "\"notConversation\":")];
        yield return ["no channel id", Activity("message", "帮助").Replace("\"channelId\": \"msteams\",", "")];
        yield return ["invoke without a name", Activity("invoke", extra: "\"value\": {},")];
        yield return ["card invoke without a value", Activity("invoke", extra: "\"name\": \"adaptiveCard/action\",")];
        yield return ["card invoke, unknown verb", Activity("invoke", extra: "\"name\": \"adaptiveCard/action\", \"value\": {\"action\": {\"type\": \"Action.Execute\", \"verb\": \"no.such\", \"data\": {}}},")];
        yield return ["card invoke, value is a string", Activity("invoke", extra: "\"name\": \"adaptiveCard/action\", \"value\": \"boom\",")];
        yield return ["unknown invoke", Activity("invoke", extra: "\"name\": \"composeExtension/query\", \"value\": {},")];
        yield return ["members added of the wrong type", Activity("conversationUpdate", extra: "\"membersAdded\": \"everyone\",")];
        yield return ["members added with nulls", Activity("conversationUpdate", extra: "\"membersAdded\": [null, {}, {\"id\": null}],")];
        yield return ["installation with an unknown action", Activity("installationUpdate", extra: "\"action\": \"explode\",")];
        yield return ["attachments garbage", Activity("message", "帮助", extra: "\"attachments\": [{\"contentType\": 5, \"content\": [[[]]]}],")];
        yield return ["entities garbage", Activity("message", "帮助", extra: "\"entities\": [{\"type\": \"mention\", \"mentioned\": 3, \"text\": {}}],")];
        yield return ["channel data garbage", Activity("message", "帮助").Replace("\"channelData\": { \"tenant\": { \"id\": \"tenant-http\" } }", "\"channelData\": [1, \"x\"]")];
        yield return ["wrong content type", "帮助"];
        // Transport and shape (docs/security.md, "Identity and transport").
        var longName = new string('名', 40_000);
        yield return ["lone surrogate in from.id", Activity("message", "帮助").Replace("\"29:1abc\"", "\"29:\\ud800\"")];
        yield return ["lone surrogate in conversation.id", Activity("message", "帮助", conversationId: "a:\\udfff")];
        yield return ["lone surrogate in channelId", Activity("message", "帮助").Replace("\"msteams\"", "\"\\ud800\"")];
        yield return ["lone surrogate in type", Activity("message", "帮助").Replace("\"type\": \"message\"", "\"type\": \"\\ud800\"")];
        yield return ["lone surrogate in recipient.id", Activity("message", "帮助").Replace("\"28:bot-id\"", "\"\\ud800\"")];
        yield return ["lone surrogate in tenant", Activity("message", "帮助").Replace("tenant-http", "\\ud800")];
        yield return ["lone surrogate in locale", Activity("message", "帮助", locale: "\\ud800")];
        yield return ["lone surrogate in from.name", Activity("message", "帮助").Replace("\"王小明\"", "\"\\ud800\"")];
        yield return ["lone surrogate in a value string", Activity("message", extra: "\"value\": {\"verb\": \"\\udbff\"},")];
        yield return ["lone surrogate in a property name", Activity("message", extra: "\"value\": {\"\\ud800\": 1},")];
        yield return ["no serviceUrl", Activity("message", "帮助").Replace("\"serviceUrl\"", "\"noServiceUrl\"")];
        yield return ["ftp serviceUrl", Activity("message", "帮助").Replace("http://127.0.0.1:9/", "ftp://127.0.0.1/")];
        yield return ["javascript serviceUrl", Activity("message", "帮助").Replace("http://127.0.0.1:9/", "javascript:alert(1)")];
        yield return ["40,000-character serviceUrl", Activity("message", "帮助").Replace("http://127.0.0.1:9/", "http://127.0.0.1:9/" + new string('x', 40_000))];
        yield return ["40,000-character from.name", Activity("message", "帮助").Replace("\"王小明\"", "\"" + longName + "\"")];
        yield return ["40,000-character conversation name", Activity("message", "帮助").Replace("\"conversationType\": \"personal\"", "\"conversationType\": \"personal\", \"name\": \"" + longName + "\"")];
        yield return ["10,000-character sender id", Activity("message", "帮助").Replace("\"29:1abc\"", "\"29:" + new string('1', 10_000) + "\"")];
        yield return ["2,000-character channel id", Activity("message", "帮助").Replace("\"msteams\"", "\"" + new string('c', 2_000) + "\"")];
        yield return ["entities [null]", Activity("message", "帮助", extra: "\"entities\": [null],")];
        yield return ["attachments [1]", Activity("message", "帮助", extra: "\"attachments\": [1],")];
        yield return ["card invoke, data is a string", Activity("invoke", extra: "\"name\": \"adaptiveCard/action\", \"value\": {\"action\": {\"type\": \"Action.Execute\", \"verb\": \"meetings.checkin\", \"data\": \"boom\"}},")];
        yield return ["card invoke, data is a number", Activity("invoke", extra: "\"name\": \"adaptiveCard/action\", \"value\": {\"action\": {\"type\": \"Action.Execute\", \"verb\": \"meetings.checkin\", \"data\": 7}},")];
        yield return ["card invoke, data is an array", Activity("invoke", extra: "\"name\": \"adaptiveCard/action\", \"value\": {\"action\": {\"type\": \"Action.Execute\", \"verb\": \"meetings.checkin\", \"data\": [1]}},")];
        yield return ["meetingStart time not a time", Activity("event", extra: "\"name\": \"application/vnd.microsoft.meetingStart\", \"value\": {\"StartTime\": \"yesterday\"},")];
        yield return ["meetingStart time missing", Activity("event", extra: "\"name\": \"application/vnd.microsoft.meetingStart\", \"value\": {},")];
        yield return ["meetingStart time an object", Activity("event", extra: "\"name\": \"application/vnd.microsoft.meetingStart\", \"value\": {\"StartTime\": {}},")];
        yield return ["meetingEnd time a number", Activity("event", extra: "\"name\": \"application/vnd.microsoft.meetingEnd\", \"value\": {\"EndTime\": 5},")];
        // Invokes as Teams sends them (no deliveryMode): the answer is the invoke's own status.
        // (fileConsent/invoke answers in the chat, through a connector this factory does not have.)
        foreach (var name in new[] { "composeExtension/query", "composeExtension/fetchTask", "composeExtension/submitAction", "composeExtension/selectItem", "composeExtension/queryLink",
            "task/fetch", "task/submit", "tab/fetch", "tab/submit", "config/fetch", "config/submit", "signin/verifyState", "signin/tokenExchange", "signin/failure",
            "actionableMessage/executeAction", "message/submitAction", "handoff/action", "healthCheck", "adaptiveCard/action", "no/such/invoke" })
        {
            foreach (var value in new[] { "null", "{}", "\"x\"", "[1]", "{\"data\": {\"verb\": \"complaints.view\", \"number\": \"TS-20261126-001\"}}" })
            {
                yield return [$"invoke {name} with {value}, as Teams sends it", AsTeamsSendsIt(Activity("invoke", extra: $"\"name\": \"{name}\", \"value\": {value},"))];
            }
        }
        yield return ["meetingEnd value a string", Activity("event", extra: "\"name\": \"application/vnd.microsoft.meetingEnd\", \"value\": \"x\",")];
    }

    [Fact]
    public async Task Broken_and_hostile_activities_get_a_4xx_or_an_answer_and_change_nothing()
    {
        var before = await SnapshotAsync();
        foreach (var input in RawInputs())
        {
            await PostRawAsync((string)input[0], (string)input[1], (string)input[0] == "wrong content type" ? "text/plain" : "application/json");
        }
        Assert.Equal(before, await SnapshotAsync());
        AssertNoUnhandledErrors();
        Assert.True(_tried >= 40, $"only {_tried} raw inputs tried");
    }

    [Fact]
    public async Task Lists_longer_than_Teams_sends_are_refused_before_the_turn()
    {
        // Each mention of the bot is removed from the text one by one: 20,000 of them in a long
        // text would keep one turn busy for many seconds (minutes at the body size limit).
        var mentions = string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"{{\"type\": \"mention\", \"mentioned\": {{\"id\": \"28:bot-id\"}}, \"text\": \"<at>b{i}</at>\"}}"));
        var attachments = string.Join(",", Enumerable.Repeat("{\"contentType\": \"text/plain\", \"content\": \"x\"}", 1_000));
        foreach (var (label, body) in new[]
        {
            ("20,000 mentions of the bot in a 200,000-character text", Activity("message", "帮助 " + new string('字', 200_000), extra: $"\"entities\": [{mentions}],")),
            ("1,000 attachments", Activity("message", "帮助", extra: $"\"attachments\": [{attachments}],")),
        })
        {
            var response = await _client.PostAsync("/api/messages", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{label}: HTTP {(int)response.StatusCode}");
        }

        // A body past the endpoint's cap is refused unread (413), as a warning, not an error.
        var huge = Activity("message", new string('x', (int)Bot.Hosting.MessagesEndpoint.MaxBodyBytes));
        var tooLarge = await _client.PostAsync("/api/messages", new StringContent(huge, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        AssertNoUnhandledErrors();
    }

    /// <summary>What a forged, broken or hostile card submit can carry.</summary>
    private static IEnumerable<(string Label, JsonObject Data)> HostilePayloads(string verb)
    {
        JsonObject With(params (string Key, JsonNode? Value)[] fields)
        {
            var o = new JsonObject { ["verb"] = verb };
            foreach (var (k, v) in fields)
            {
                o[k] = v;
            }
            return o;
        }
        string[] idFields = ["userId", "occurrence", "seriesId", "requestId", "taskId", "id", "key", "week", "team", "reportId", "topicId", "complaintId", "meetingId",
            "number", "version", "rev", "formId", "etag", "item", "topic", "month", "period", "status", "format", "minutes", "rank", "index"];
        yield return ("only the verb", With());
        yield return ("nulls", With(idFields.Select(f => (f, (JsonNode?)null)).ToArray()));
        yield return ("numbers", With(idFields.Select(f => (f, (JsonNode?)JsonValue.Create(-1))).ToArray()));
        yield return ("arrays and objects", With(idFields.Select(f => (f, (JsonNode?)new JsonArray(new JsonObject { ["x"] = 1 }))).ToArray()));
        yield return ("other people's and tenants' ids", With(idFields.Select(f => (f, (JsonNode?)JsonValue.Create(f == "occurrence" ? "someone-elses@202611300830" : "29:someone-else"))).ToArray()));
        yield return ("hostile strings", With(idFields.Concat(["reason", "details", "title", "query", "comment", "text", "roles", "name"])
            .Select(f => (f, (JsonNode?)JsonValue.Create("${$root} \"}{ <script>alert(1)</script> [x](http://evil) \u0000\u001b " + new string('字', 5000)))).ToArray()));
        yield return ("numbers past every integer type", With(idFields.Select((f, i) => (f, (JsonNode?)(i % 3 == 0 ? JsonValue.Create(9223372036854775808UL) : i % 3 == 1 ? JsonValue.Create(-1e308) : JsonValue.Create(1e-320)))).ToArray()));
        yield return ("full-width and other scripts' digits", With(
            ("date", "２０２６－１２－０５"), ("from", "２０２６年１２月０１日"), ("to", "٢٠٢٦-١٢-٣١"), ("start", "０８：３０"), ("end", "०९:३०"), ("due", "２０２６－１２－３１"),
            ("week", "２０２６－Ｗ４９"), ("month", "２０２６年１２月"), ("period", "٢٠٢٦-١٢"), ("version", "２"), ("number", "ＴＳ－２０２６１２０５－００１"), ("minutes", "１５"),
            ("receivedDate", "２０２６－１２－０５"), ("receivedTime", "０９：３０"), ("due_0", "２０２６－１２－３１"), ("startDate", "１２月５日"), ("endDate", "１２/６"), ("time", "０８:３０")));
        yield return ("dates out of range", With(("date", "0001-01-01"), ("from", "9999-12-31"), ("to", "2026-13-45"), ("start", "25:61"), ("end", "-1"), ("due", "yesterday")));
    }

    [Fact]
    public async Task Every_card_action_survives_forged_broken_and_replayed_payloads()
    {
        var verbs = _factory.Services.GetRequiredService<CardActionRouter>().Verbs.OrderBy(v => v).ToList();
        Assert.NotEmpty(verbs);
        var before = await SnapshotAsync();
        foreach (var verb in verbs)
        {
            foreach (var (label, data) in HostilePayloads(verb))
            {
                var submit = Activity("message", extra: $"\"value\": {data.ToJsonString()},");
                await PostRawAsync($"{verb}: {label}", submit);
                if (label == "other people's and tenants' ids")
                {
                    // Replayed: the same submit again (a new activity, as a second click is).
                    await PostRawAsync($"{verb}: {label} (replayed)", Activity("message", extra: $"\"value\": {data.ToJsonString()},"));
                }
                var invoke = Activity("invoke", extra: $"\"name\": \"adaptiveCard/action\", \"value\": {{\"action\": {{\"type\": \"Action.Execute\", \"verb\": \"{verb}\", \"data\": {data.ToJsonString()}}}}},");
                await PostRawAsync($"{verb}: {label} (Action.Execute)", invoke);
            }
        }
        Assert.Equal(before, await SnapshotAsync());
        AssertNoUnhandledErrors();
        Assert.True(_tried >= 60, $"only {_tried} inputs tried");
    }

    /// <summary>
    /// Versions a card can carry that storage never issued: "*" (If-Match any: an unconditional
    /// overwrite), an ETag cut short or unquoted, one of a time that never was, an empty one, text.
    /// A card's version is compared with the record just read, never handed to storage as a condition.
    /// </summary>
    public static readonly string[] ForgedVersions =
    [
        "*", "W/\\", "W/\"datetime'9999-12-31T23%3A59%3A59.9999999Z'\"", "not an etag", "\u0000", "W/\"datetime'2026-11-26T08%3A25%3A00.0000000Z'\", \"x\"",
    ];

    [Fact]
    public async Task Forged_card_versions_from_someone_who_may_act_are_refused_as_outdated()
    {
        // The attacker may act (every role) and the records exist: the forged version is the only fault.
        const string tenant = "tenant-http";
        var services = _factory.Services;
        await BotSeed.DepartmentAsync(services, tenant, "客服部", "29:1abc");
        await BotSeed.PersonAsync(services, tenant, "29:1abc", "王小明", "zh-CN", team: "客服部", roles: [Roles.Office, Roles.Manager, Roles.CsSupervisor, Roles.CsRep]);
        var target = await BotSeed.PersonAsync(services, tenant, "29:target", "李四", "zh-CN", team: "客服部");
        var settingsStore = services.GetRequiredService<Bot.WeeklyReports.TeamSettingsStore>();
        var settings = (await settingsStore.SaveAsync(new Bot.WeeklyReports.TeamSettings { TenantId = tenant, Team = "客服部" }, null)).OrThrow();
        var people = services.GetRequiredService<PeopleDirectory>();
        var verbs = _factory.Services.GetRequiredService<CardActionRouter>().Verbs.OrderBy(v => v).ToList();

        foreach (var version in ForgedVersions)
        {
            // A form that would be saved but for its version: every verb, with the real ids.
            foreach (var verb in verbs)
            {
                var data = new JsonObject
                {
                    ["verb"] = verb, ["etag"] = version, ["version"] = version, ["userId"] = target.UserId, ["team"] = "客服部", ["roles"] = Roles.Manager, ["onDuty"] = "false",
                    ["deadlineDay"] = "Thursday", ["deadlineTime"] = "16:00", ["reminderTime"] = "10:00", ["includeApprover"] = "true", ["includeOffice"] = "false",
                    ["digestAtDeadline"] = "true", ["extraRecipients"] = "",
                };
                await PostRawAsync($"{verb} with version {version}", Activity("message", extra: $"\"value\": {data.ToJsonString()},"));
                await PostRawAsync($"{verb} with version {version} (Action.Execute)",
                    Activity("invoke", extra: $"\"name\": \"adaptiveCard/action\", \"value\": {{\"action\": {{\"type\": \"Action.Execute\", \"verb\": \"{verb}\", \"data\": {data.ToJsonString()}}}}},"));
            }
        }

        var after = (await people.GetAsync(tenant, target.UserId))!;
        Assert.Equal(target.ETag, after.ETag);
        Assert.Empty(after.Roles);
        var settingsAfter = await services.GetRequiredService<Bot.WeeklyReports.WeeklyReportService>().SettingsAsync(tenant, "客服部");
        Assert.Equal(settings.ETag, settingsAfter.ETag);
        AssertNoUnhandledErrors();
    }
}
