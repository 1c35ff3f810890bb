using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Meetings;
using ChatRegs.TestSupport;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatRegs.Meetings.Tests;

/// <summary>
/// The main flows over HTTP, as Teams drives the bot: the office creates a series from the
/// meeting's channel, a participant checks in with the card's button (an adaptiveCard/action
/// invoke) and again, an outsider is refused, the host reads the roll.
/// </summary>
public sealed class HttpFlowTests
{
    private const string Tenant = "tenant-http";
    private const string Channel = "19:weekly-http@thread.tacv2";
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private static string Activity(string type, string userId, string name, string conversationId, string conversationType, string? text = null, string locale = "zh-CN", string extra = "", bool expectReplies = true) => $$"""
        {
          "type": "{{type}}",
          "id": "{{Guid.NewGuid()}}",
          "serviceUrl": "http://127.0.0.1:9/",
          "channelId": "msteams",
          "from": { "id": "{{userId}}", "name": "{{name}}", "aadObjectId": "aad-{{userId}}" },
          "conversation": { "id": "{{conversationId}}", "conversationType": "{{conversationType}}", "tenantId": "{{Tenant}}" },
          "recipient": { "id": "28:bot-id", "name": "ChatRegs" },
          {{(text == null ? "" : $"\"text\": {System.Text.Json.JsonSerializer.Serialize(text)},")}}
          "locale": "{{locale}}",
          {{extra}}
          "channelData": { "tenant": { "id": "{{Tenant}}" } }{{(expectReplies ? ",\n  \"deliveryMode\": \"expectReplies\"" : "")}}
        }
        """;

    private static async Task<JsonNode> PostAsync(HttpClient client, string json)
    {
        var response = await client.PostAsync("/api/messages", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    private static string Json(JsonNode? node) => node?.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "";

    [Fact]
    public async Task Create_check_in_twice_refuse_an_outsider_and_read_the_roll()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 16, 0, 0, China)); // Thursday
        await using var bot = new BotFactory(new Dictionary<string, string?>
        {
            [$"ChatRegs:Bootstrap:OfficeAdmins:{Tenant}:0"] = "aad-29:office",
            ["ChatRegs:Jobs:RunnerEnabled"] = "false",
        });
        // Teams' connector: the channel's members (刘洋 has never talked to the bot).
        var connector = new TeamsConnector();
        connector.Members.AddRange([("29:office", "陈静"), ("29:host", "张伟"), ("29:a", "王小明"), ("29:b", "李娜"), ("29:c", "刘洋")]);
        using var factory = bot.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(clock);
            s.AddHttpClient(ChatRegs.Bot.Proactive.ProactiveOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => connector);
        }));
        var client = factory.CreateClient();

        // Everyone has talked to the bot once, so the directory knows them.
        foreach (var (id, name) in new[] { ("29:host", "张伟"), ("29:a", "王小明"), ("29:b", "李娜") })
        {
            await PostAsync(client, Activity("message", id, name, "a:1to1-" + id, "personal", "我是谁"));
        }

        // The office opens the form in the meeting's channel and submits it.
        var form = await PostAsync(client, Activity("message", "29:office", "陈静", Channel, "channel", "新建例会"));
        Assert.Contains("新建例会", Json(form["activities"]));
        // The channel's members are offered, and are the participants to start with.
        Assert.Contains("刘洋", Json(form["activities"]));
        Assert.Contains("\"value\":\"29:office,29:host,29:a,29:b,29:c\"", Json(form["activities"]));
        var values = """
            "value": { "verb": "meetings.saveSeries", "name": "周工作例会", "conversation": "19:weekly-http@thread.tacv2", "location": "三楼会议室",
              "hostId": "29:host", "recorder": "-", "participants": "29:a,29:b,29:c", "kind": "weekly", "days": "Monday", "start": "08:30", "end": "09:30",
              "summerStart": "14:30", "summerEnd": "18:00", "summerFrom": "05-05", "winterFrom": "11-07", "dayOfMonth": "29", "date": "2026-12-01",
              "leaveApprover": "host", "lateGrace": "0", "windowBefore": "30", "speakingLimit": "5" },
            """;
        var created = await PostAsync(client, Activity("message", "29:office", "陈静", Channel, "channel", extra: values));
        Assert.Contains("已新建例会“周工作例会”：每星期一 08:30–09:30", Json(created["activities"]));
        var series = Assert.Single(await factory.Services.GetRequiredService<MeetingStore>().ListSeriesAsync(Tenant, default));
        var key = series.Id + "@202611300830";

        // Monday 08:24: 王小明 presses 签到 on the card in the channel.
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 8, 24, 0, China));
        var press = $$"""
            "name": "adaptiveCard/action",
            "value": { "action": { "type": "Action.Execute", "verb": "meetings.checkin", "data": { "verb": "meetings.checkin", "occurrence": "{{key}}" } }, "trigger": "manual" },
            """;
        var first = await PostAsync(client, Activity("invoke", "29:a", "王小明", Channel, "channel", extra: press, expectReplies: false));
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)first["type"]);
        Assert.Contains("已签到 08:24（提前）", Json(first["value"]));

        clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 8, 35, 0, China));
        var second = await PostAsync(client, Activity("invoke", "29:a", "王小明", Channel, "channel", extra: press, expectReplies: false));
        Assert.Contains("你已经在 08:24 签到过了（提前）", Json(second["value"]));

        var outsider = await PostAsync(client, Activity("invoke", "29:z", "访客", Channel, "channel", extra: press, locale: "en-US", expectReplies: false));
        Assert.Contains("You are not a participant of 周工作例会", Json(outsider["value"]));
        Assert.Contains("Check-in: 08:00–09:30", Json(outsider["value"]));

        // 李娜 types 签到 in her own chat: late.
        var typed = await PostAsync(client, Activity("message", "29:b", "李娜", "a:1to1-29:b", "personal", "签到"));
        Assert.StartsWith("已签到 08:35:00（迟到）", (string?)typed["activities"]![0]!["text"]);

        // After the meeting the host reads the roll.
        clock.SetUtcNow(new DateTimeOffset(2026, 11, 30, 9, 45, 0, China));
        var roll = Json((await PostAsync(client, Activity("message", "29:host", "张伟", "a:1to1-29:host", "personal", "签到表")))["activities"]);
        Assert.Contains("应到 4 人，实到 2 人。", roll);
        Assert.Contains("王小明", roll);
        Assert.Contains("08:35:00 签到（迟到）", roll);
        Assert.Contains("缺席（2）", roll);
        Assert.Contains("刘洋", roll);
    }
}
