using System.Globalization;
using System.Text;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.DevChannel;

/// <summary>
/// The "Teams" side of the local chat channel: turns what a person does in the page into the
/// activity Teams would send (channelId <c>msteams</c>, Teams ids, tenant/team/meeting channel
/// data, the serviceUrl pointing back at this channel's connector endpoints), and delivers it
/// to the bot through the same <see cref="IBotFrameworkHttpAdapter"/> (the bot's CloudAdapter)
/// and <see cref="IBot"/> that serve <c>POST /api/messages</c>: the same JSON, the same
/// authentication step, the same middleware and handlers.
/// </summary>
public sealed class DevTeams
{
    public const string BotName = "ChatRegs";
    public const string TimeZone = "Asia/Shanghai";
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    private readonly IBotFrameworkHttpAdapter _adapter;
    private readonly IBot _bot;
    private readonly ILogger<DevTeams> _logger;

    public DevTeams(IBotFrameworkHttpAdapter adapter, IBot bot, IConfiguration configuration, ILogger<DevTeams> logger)
    {
        _adapter = adapter;
        _bot = bot;
        _logger = logger;
        AppId = configuration["MicrosoftAppId"] ?? "";
        BotId = "28:" + (string.IsNullOrWhiteSpace(AppId) ? "chatregs-dev-bot" : AppId);
    }

    /// <summary>The configured Microsoft App ID (empty in local development).</summary>
    public string AppId { get; }

    /// <summary>The bot's Teams id ("28:" + app id), the recipient of everything people send.</summary>
    public string BotId { get; }

    public JObject BotAccount => new() { ["id"] = BotId, ["name"] = BotName };

    /// <summary>The channel's connector base address, the serviceUrl the bot calls back on.</summary>
    public static string ServiceUrlFor(HttpRequest request)
    {
        var serviceUrl = $"{request.Scheme}://{request.Host}{request.PathBase}/devchannel/";
        request.HttpContext.RequestServices.GetService<DevChannelKey>()?.Trust(serviceUrl);
        return serviceUrl;
    }

    public static JObject Account(DevPerson person) => new()
    {
        ["id"] = person.Id,
        ["name"] = person.Name,
        ["aadObjectId"] = person.AadObjectId,
    };

    /// <summary>A Teams member, as the members APIs return it (TeamsChannelAccount).</summary>
    public static JObject Member(DevPerson person) => new()
    {
        ["id"] = person.Id,
        ["name"] = person.Name,
        ["aadObjectId"] = person.AadObjectId,
        ["givenName"] = person.Name[1..],
        ["surname"] = person.Name[..1],
        ["email"] = person.UserPrincipalName,
        ["userPrincipalName"] = person.UserPrincipalName,
        ["tenantId"] = DevPeople.TenantId,
        ["userRole"] = "user",
    };

    public static JObject Conversation(DevChat chat)
    {
        var conversation = new JObject
        {
            ["id"] = chat.ConversationId,
            ["conversationType"] = chat.ConversationType,
            ["tenantId"] = DevPeople.TenantId,
        };
        if (chat.IsMeetingChat)
        {
            conversation["isGroup"] = true;
            conversation["name"] = chat.Name;
        }
        return conversation;
    }

    /// <summary>Teams channel data: the tenant always; team, channel and meeting in the meeting chat.</summary>
    public static JObject ChannelData(DevChat chat)
    {
        var data = new JObject { ["tenant"] = new JObject { ["id"] = DevPeople.TenantId } };
        if (chat.IsMeetingChat)
        {
            data["team"] = new JObject { ["id"] = DevPeople.TeamId, ["name"] = DevPeople.TeamName, ["aadGroupId"] = DevPeople.TeamAadGroupId };
            data["channel"] = new JObject { ["id"] = DevPeople.MeetingConversationId, ["name"] = DevPeople.MeetingChannelName };
            data["meeting"] = new JObject { ["id"] = DevPeople.MeetingId };
        }
        return data;
    }

    /// <summary>The envelope every activity from Teams has.</summary>
    public JObject Envelope(string type, DevPerson from, DevChat chat, string serviceUrl, string? locale)
    {
        var now = DateTimeOffset.UtcNow;
        return new JObject
        {
            ["type"] = type,
            ["id"] = DevTranscripts.NewActivityId(),
            ["timestamp"] = now.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["localTimestamp"] = now.ToOffset(ChinaOffset).ToString("yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
            ["localTimezone"] = TimeZone,
            ["serviceUrl"] = serviceUrl,
            ["channelId"] = "msteams",
            ["from"] = Account(from),
            ["conversation"] = Conversation(chat),
            ["recipient"] = BotAccount,
            ["locale"] = string.IsNullOrWhiteSpace(locale) ? "zh-CN" : locale,
            ["entities"] = new JArray(new JObject
            {
                ["type"] = "clientInfo",
                ["locale"] = string.IsNullOrWhiteSpace(locale) ? "zh-CN" : locale,
                ["country"] = "CN",
                ["platform"] = "Web",
                ["timezone"] = TimeZone,
            }),
            ["channelData"] = ChannelData(chat),
        };
    }

    /// <summary>
    /// What Teams would send the bot for an activity a person posted from Web Chat: a message
    /// (text, or a card submit's value) or an invoke. In the meeting chat a typed message
    /// @mentions the bot, as it must in a Teams channel.
    /// </summary>
    public JObject FromPerson(JObject posted, DevPerson person, DevChat chat, string serviceUrl, string id)
    {
        var type = DevJson.Text(posted, "type") ?? "message";
        var activity = Envelope(type, person, chat, serviceUrl, DevJson.Text(posted, "locale"));
        activity["id"] = id;
        if (posted["replyToId"] is JValue { Type: JTokenType.String } replyTo)
        {
            activity["replyToId"] = replyTo;
        }
        if (type == "invoke")
        {
            activity["name"] = posted["name"];
            activity["value"] = posted["value"]?.DeepClone();
            return activity;
        }

        var text = DevJson.Text(posted, "text");
        var value = posted["value"];
        if (value != null && value.Type != JTokenType.Null)
        {
            activity["value"] = value.DeepClone();
        }
        if (!string.IsNullOrEmpty(text))
        {
            if (chat.IsMeetingChat && activity["value"] == null)
            {
                var mention = $"<at>{BotName}</at>";
                text = mention + " " + text;
                ((JArray)activity["entities"]!).Add(new JObject
                {
                    ["type"] = "mention",
                    ["text"] = mention,
                    ["mentioned"] = BotAccount,
                });
            }
            activity["text"] = text;
            activity["textFormat"] = "plain";
        }
        return activity;
    }

    /// <summary>The two activities Teams sends when the app is installed: installationUpdate (add) and conversationUpdate (bot added).</summary>
    public IEnumerable<JObject> Installation(DevPerson installer, DevChat chat, string serviceUrl)
    {
        var install = Envelope("installationUpdate", installer, chat, serviceUrl, "zh-CN");
        install["action"] = "add";
        yield return install;

        var added = Envelope("conversationUpdate", installer, chat, serviceUrl, "zh-CN");
        added["membersAdded"] = new JArray(BotAccount);
        if (chat.IsMeetingChat)
        {
            added["channelData"]!["eventType"] = "teamMemberAdded";
        }
        yield return added;
    }

    /// <summary>
    /// Delivers an activity to the bot exactly as <c>POST /api/messages</c> would: serialized,
    /// handed to the CloudAdapter with no Authorization header (local development has no app
    /// id; with one configured the adapter refuses, as it should), and the bot's HTTP answer
    /// (the invoke response, if any) returned.
    /// </summary>
    public async Task<(int Status, JObject? Body)> DeliverAsync(JObject activity, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(activity.ToString(Newtonsoft.Json.Formatting.None));
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Post;
        context.Request.ContentType = "application/json; charset=utf-8";
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        var responseBody = new MemoryStream();
        context.Response.Body = responseBody;

        await _adapter.ProcessAsync(context.Request, context.Response, _bot, cancellationToken).ConfigureAwait(false);

        var status = context.Response.StatusCode;
        var body = DevJson.Parse(Encoding.UTF8.GetString(responseBody.ToArray()));
        if (status >= 400)
        {
            _logger.LogWarning("The bot answered HTTP {Status} to a {Type} activity in {ConversationId} from the local chat channel.",
                status, (string?)activity["type"], (string?)activity["conversation"]?["id"]);
        }
        return (status, body);
    }
}
