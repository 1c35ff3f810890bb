using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace ChatRegs.TestSupport;

/// <summary>Teams-shaped activity JSON for HTTP tests, posted with deliveryMode expectReplies.</summary>
public static class TeamsHttp
{
    /// <summary>An activity from user 29:1abc in tenant "tenant-http" (personal chat unless <paramref name="extra"/> says otherwise).</summary>
    public static string Activity(string type, string? text = null, string conversationId = "a:http-conv", string? locale = "zh-CN", string extra = "") => $$"""
        {
          "type": "{{type}}",
          "id": "{{Guid.NewGuid()}}",
          "timestamp": "2026-11-26T08:25:00.000Z",
          "serviceUrl": "http://127.0.0.1:9/",
          "channelId": "msteams",
          "from": { "id": "29:1abc", "name": "王小明", "aadObjectId": "00000000-0000-0000-0000-000000000001" },
          "conversation": { "id": "{{conversationId}}", "conversationType": "personal", "tenantId": "tenant-http" },
          "recipient": { "id": "28:bot-id", "name": "ChatRegs" },
          {{(text == null ? "" : $"\"text\": {System.Text.Json.JsonSerializer.Serialize(text)},")}}
          {{(locale == null ? "" : $"\"locale\": \"{locale}\",")}}
          {{extra}}
          "channelData": { "tenant": { "id": "tenant-http" } },
          "deliveryMode": "expectReplies"
        }
        """;

    /// <summary>
    /// What Teams posts when <paramref name="userId"/> of <paramref name="tenant"/> writes in their
    /// 1:1 chat with the bot (conversation "a:http-{user}"): a message (with expectReplies, so the
    /// replies come back in the response) or an invoke. Add text, value or attachments to it.
    /// </summary>
    public static JsonObject From(string tenant, string userId, string name, string locale, string type = "message", string serviceUrl = TeamsConnector.ServiceUrl)
    {
        var activity = new JsonObject
        {
            ["type"] = type,
            ["id"] = Guid.NewGuid().ToString(),
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("o", System.Globalization.CultureInfo.InvariantCulture),
            ["serviceUrl"] = serviceUrl,
            ["channelId"] = "msteams",
            ["from"] = new JsonObject { ["id"] = userId, ["name"] = name, ["aadObjectId"] = "aad-" + userId },
            ["conversation"] = new JsonObject { ["id"] = "a:http-" + userId, ["conversationType"] = "personal", ["tenantId"] = tenant },
            ["recipient"] = new JsonObject { ["id"] = "28:bot-id", ["name"] = "ChatRegs" },
            ["locale"] = locale,
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = tenant } },
        };
        if (type == "message")
        {
            activity["deliveryMode"] = "expectReplies";
        }
        return activity;
    }

    public static async Task<JsonArray> PostAsync(HttpClient client, string json)
    {
        var response = await client.PostAsync("/api/messages", new StringContent(json, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["activities"]!.AsArray();
    }
}
