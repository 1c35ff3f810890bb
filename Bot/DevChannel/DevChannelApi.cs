using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.DevChannel;

/// <summary>
/// What the page needs besides Direct Line: the sample people, a Direct Line token for a person
/// and chat, the test notice (proactive message) and the meeting events.
/// </summary>
internal static class DevChannelApi
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/devchannel");
        api.MapGet("/people", People);
        api.MapPost("/session", SessionAsync);
        api.MapPost("/notify", NotifyAsync);
        api.MapPost("/meeting", MeetingAsync);
        api.MapPost("/tab-token", TabTokenAsync);
    }

    /// <summary>
    /// <c>{"person":"host"}</c> → an SSO token for that sample person, as Teams' getAuthToken
    /// gives the tab (the page's Teams host, tabhost.js, answers the tab with it). Minted with the
    /// development signing key (<see cref="Tabs.TabTokens"/>), which exists only in Development with
    /// <c>ChatRegs:Tabs:DevTokens</c> on (scripts/run.sh turns it on): otherwise 409 saying so.
    /// </summary>
    private static async Task<IResult> TabTokenAsync(HttpRequest request, Tabs.TabTokens tokens, DevSeeder seeder)
    {
        var body = await DevJson.ReadAsync(request).ConfigureAwait(false);
        var person = DevPeople.ByKey(DevJson.Text(body, "person"));
        if (person == null)
        {
            return DevJson.Error(StatusCodes.Status400BadRequest, "BadArgument", "Name a sample person (" + string.Join(", ", DevPeople.All.Select(p => p.Key)) + ").");
        }
        var token = tokens.Mint(DevPeople.TenantId, person.AadObjectId, person.Name);
        if (token == null)
        {
            return DevJson.Error(StatusCodes.Status409Conflict, "DevTokensOff",
                "Development tab tokens are off: start the bot with ChatRegs:Tabs:DevTokens=true (scripts/run.sh does). 开发用标签页令牌未开启。");
        }
        await seeder.EnsureSeededAsync(DevTeams.ServiceUrlFor(request), request.HttpContext.RequestAborted).ConfigureAwait(false);
        return DevJson.Result(new JObject { ["token"] = token });
    }

    private static IResult People(DevMeeting meeting, DevTranscripts transcripts) => DevJson.Result(new JObject
    {
        ["tenantId"] = DevPeople.TenantId,
        ["people"] = new JArray(DevPeople.All.Select(p => new JObject
        {
            ["key"] = p.Key,
            ["id"] = p.Id,
            ["aadObjectId"] = p.AadObjectId,
            ["name"] = p.Name,
            ["role"] = p.Role,
            ["roleZh"] = p.RoleZh,
            ["roleEn"] = p.RoleEn,
            ["userPrincipalName"] = p.UserPrincipalName,
            ["conversationId"] = p.PersonalConversationId,
            ["activityCount"] = transcripts.For(p.PersonalConversationId).Count,
        })),
        ["meeting"] = new JObject
        {
            ["conversationId"] = DevPeople.MeetingConversationId,
            ["name"] = DevPeople.MeetingChannelName,
            ["team"] = DevPeople.TeamName,
            ["meetingId"] = DevPeople.MeetingId,
            ["running"] = meeting.Running,
            ["activityCount"] = transcripts.For(DevPeople.MeetingConversationId).Count,
        },
    });

    /// <summary>
    /// <c>{"person":"host","chat":"personal"|"meeting"}</c> → a Direct Line token for that person
    /// in that chat. The first one after a start installs the app for the sample people.
    /// </summary>
    private static async Task<IResult> SessionAsync(HttpRequest request, DevSeeder seeder)
    {
        var body = await DevJson.ReadAsync(request).ConfigureAwait(false);
        var person = DevPeople.ByKey(DevJson.Text(body, "person")) ?? DevPeople.ById(DevJson.Text(body, "person"));
        var chatKey = DevJson.Text(body, "chat") ?? "personal";
        var chat = person == null ? null : DevPeople.ChatFor(person, chatKey);
        if (person == null || chat == null)
        {
            return DevJson.Error(StatusCodes.Status400BadRequest, "BadArgument",
                "Name a sample person (" + string.Join(", ", DevPeople.All.Select(p => p.Key)) + ") and a chat (personal or meeting).");
        }
        await seeder.EnsureSeededAsync(DevTeams.ServiceUrlFor(request), request.HttpContext.RequestAborted).ConfigureAwait(false);
        return DevJson.Result(new JObject
        {
            ["token"] = DevTokens.Create(person, chatKey),
            ["conversationId"] = chat.ConversationId,
            ["expires_in"] = DevTokens.ExpiresInSeconds,
            ["user"] = new JObject { ["id"] = person.Id, ["name"] = person.Name },
        });
    }

    /// <summary>
    /// <c>{"tenantId":"dev-tenant","userId":"29:dev-host","text":"…"}</c>: a proactive message to
    /// the person's 1:1 chat (see <see cref="DevProactive"/>; the scheduler will be the real sender).
    /// Only the sample tenant's people (by Teams id or AAD object id): anyone else, or another
    /// tenant, is refused with 403 and nothing is sent.
    /// </summary>
    private static async Task<IResult> NotifyAsync(HttpRequest request, DevProactive proactive, DevSeeder seeder, Localization.Localizer localizer, ILoggerFactory loggers)
    {
        var body = await DevJson.ReadAsync(request).ConfigureAwait(false);
        var tenantToken = body?["tenantId"];
        var userToken = body?["userId"];
        var textToken = body?["text"];
        if (userToken is not JValue { Type: JTokenType.String } || textToken is not JValue { Type: JTokenType.String }
            || (tenantToken != null && tenantToken is not JValue { Type: JTokenType.String or JTokenType.Null })
            || string.IsNullOrWhiteSpace((string?)userToken) || string.IsNullOrWhiteSpace((string?)textToken))
        {
            return DevJson.Error(StatusCodes.Status400BadRequest, "BadArgument", "userId and text are required (strings).");
        }
        var tenantId = (string?)tenantToken ?? DevPeople.TenantId;
        var text = (string)textToken!;
        var logger = loggers.CreateLogger(typeof(DevChannelApi));
        if (!string.Equals(tenantId, DevPeople.TenantId, StringComparison.Ordinal))
        {
            logger.LogWarning("Local chat: refused a test notice to tenant {TenantId} (only {SampleTenant}).", tenantId, DevPeople.TenantId);
            return DevJson.Error(StatusCodes.Status403Forbidden, "Forbidden", Both(localizer, "devchannel.notSampleTenant", DevPeople.TenantId));
        }
        var person = DevPeople.ById((string?)userToken);
        if (person == null)
        {
            logger.LogWarning("Local chat: refused a test notice to {UserId}, not one of the sample people.", (string?)userToken);
            return DevJson.Error(StatusCodes.Status403Forbidden, "Forbidden",
                Both(localizer, "devchannel.notSamplePerson", (string?)userToken, string.Join(", ", DevPeople.All.Select(p => p.Id))));
        }
        var userId = person.Id;
        var serviceUrl = DevTeams.ServiceUrlFor(request);
        await seeder.EnsureSeededAsync(serviceUrl, request.HttpContext.RequestAborted).ConfigureAwait(false);
        try
        {
            var (via, conversationId, activityId) = await proactive.NotifyAsync(tenantId, userId, text.Trim(), serviceUrl, request.HttpContext.RequestAborted).ConfigureAwait(false);
            return DevJson.Result(new JObject { ["via"] = via, ["conversationId"] = conversationId, ["activityId"] = activityId });
        }
        catch (Microsoft.Rest.HttpOperationException e)
        {
            return DevJson.Error(StatusCodes.Status502BadGateway, "SendFailed", $"The connector refused: HTTP {(int?)e.Response?.StatusCode} {e.Response?.Content}");
        }
    }

    /// <summary>A refusal in Chinese, then English.</summary>
    private static string Both(Localization.Localizer localizer, string key, params object?[] args) =>
        localizer.Get(Localization.Localizer.Chinese, key, args) + "\n" + localizer.Get(Localization.Localizer.English, key, args);

    /// <summary>
    /// <c>{"event":"start"|"end"|"join"|"leave","person":"host"}</c>: the Teams meeting event, delivered to the bot in the meeting
    /// chat; the answer's <c>result</c> says what it caused (<see cref="DevMeetingEffect"/>).
    /// </summary>
    private static async Task<IResult> MeetingAsync(HttpRequest request, DevTeams teams, DevMeeting meeting, DevSeeder seeder, DevMeetingEffect effect)
    {
        var body = await DevJson.ReadAsync(request).ConfigureAwait(false);
        var person = DevPeople.ByKey(DevJson.Text(body, "person")) ?? DevPeople.ById(DevJson.Text(body, "person")) ?? DevPeople.Host;
        var serviceUrl = DevTeams.ServiceUrlFor(request);
        var activity = meeting.Event(teams, DevJson.Text(body, "event") ?? "", person, serviceUrl, DevJson.Text(body, "locale"));
        if (activity == null)
        {
            return DevJson.Error(StatusCodes.Status400BadRequest, "BadArgument", "event must be start, end, join or leave.");
        }
        await seeder.EnsureSeededAsync(serviceUrl, request.HttpContext.RequestAborted).ConfigureAwait(false);
        var (status, _) = await teams.DeliverAsync(activity, request.HttpContext.RequestAborted).ConfigureAwait(false);
        var result = status < 400
            ? await effect.DescribeAsync(DevJson.Text(body, "event") ?? "", person, DevJson.Text(body, "locale"), request.HttpContext.RequestAborted).ConfigureAwait(false)
            : null;
        return DevJson.Result(new JObject { ["name"] = activity["name"], ["status"] = status, ["running"] = meeting.Running, ["result"] = result });
    }
}
