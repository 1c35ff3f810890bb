using System.Text.Json.Nodes;

namespace ChatRegs.Bench;

/// <summary>Teams-shaped activities as the channel posts them to /api/messages, with deliveryMode expectReplies.</summary>
public static class TeamsActivity
{
    public const string Tenant = "bench-tenant";
    public const string BotId = "28:bench-bot";

    /// <summary>
    /// Nothing listens here: the replies come back in the HTTP response (expectReplies), so a
    /// turn that tried to call the connector anyway would fail loudly instead of going unnoticed.
    /// </summary>
    public const string ServiceUrl = "http://127.0.0.1:9/";

    public static string Message(string userId, string userName, string conversationId, bool isGroup, string? text = null, JsonObject? value = null, string locale = "zh-CN")
    {
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["id"] = Guid.NewGuid().ToString("N"),
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("o"),
            ["serviceUrl"] = ServiceUrl,
            ["channelId"] = "msteams",
            ["from"] = new JsonObject { ["id"] = userId, ["name"] = userName, ["aadObjectId"] = AadOf(userId) },
            ["conversation"] = new JsonObject
            {
                ["id"] = conversationId,
                ["conversationType"] = isGroup ? "groupChat" : "personal",
                ["isGroup"] = isGroup,
                ["tenantId"] = Tenant,
            },
            ["recipient"] = new JsonObject { ["id"] = BotId, ["name"] = "ChatRegs" },
            ["locale"] = locale,
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = Tenant } },
            ["deliveryMode"] = "expectReplies",
        };
        if (text != null)
        {
            activity["text"] = text;
        }
        if (value != null)
        {
            activity["value"] = value;
        }
        return activity.ToJsonString();
    }

    /// <summary>A stable, made-up AAD object id for a user id.</summary>
    public static string AadOf(string userId)
    {
        var hash = System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(userId));
        return new Guid(hash).ToString();
    }
}
