using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.DevChannel;

/// <summary>
/// Direct Line 3.0-compatible endpoints (polling; no WebSocket), as Web Chat's DirectLineJS
/// calls them: start a conversation (→ conversation id and token), reconnect, refresh the
/// token, post an activity, get activities since a watermark.
/// <para>
/// A Direct Line conversation here is a Teams conversation of the local channel (a person's
/// 1:1 chat or the meeting chat): its id is the Teams conversation id, and every page watching
/// it polls the same transcript. The token says who is chatting (<see cref="DevTokens"/>).
/// </para>
/// </summary>
internal static class DirectLineEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var dl = routes.MapGroup("/v3/directline");
        dl.MapPost("/tokens/generate", GenerateAsync);
        dl.MapPost("/tokens/refresh", Refresh);
        dl.MapPost("/conversations", StartAsync);
        dl.MapGet("/conversations/{conversationId}", Reconnect);
        dl.MapPost("/conversations/{conversationId}/activities", PostAsync);
        dl.MapGet("/conversations/{conversationId}/activities", Get);
        dl.MapPost("/conversations/{conversationId}/upload", () =>
            DevJson.Error(StatusCodes.Status501NotImplemented, "NotSupported", "File uploads are not supported by the local chat channel."));
    }

    private static JObject Conversation(string token, DevChat chat) => new()
    {
        ["conversationId"] = chat.ConversationId,
        ["token"] = token,
        ["expires_in"] = DevTokens.ExpiresInSeconds,
    };

    private static IResult Forbidden(string why) => DevJson.Error(StatusCodes.Status403Forbidden, "TokenInvalid", why);

    /// <summary>Like Direct Line's secret → token exchange: a token for the person named in <c>user.id</c> (their 1:1 chat).</summary>
    private static async Task<IResult> GenerateAsync(HttpRequest request)
    {
        var body = await DevJson.ReadAsync(request).ConfigureAwait(false);
        var person = DevPeople.ById(DevJson.Text(body?["user"], "id")) ?? DevPeople.ByKey(DevJson.Text(body?["user"], "id")) ?? DevPeople.Employee;
        var token = DevTokens.Create(person, "personal");
        return DevJson.Result(Conversation(token, DevPeople.PersonalChat(person)));
    }

    private static IResult Refresh(HttpRequest request)
    {
        var token = DevTokens.FromRequest(request);
        var session = DevTokens.Read(token);
        return session == null ? Forbidden("Unknown token.") : DevJson.Result(Conversation(token!, session.Value.Chat));
    }

    /// <summary>
    /// POST /conversations: the token names the person and chat. A client without one of our
    /// tokens may name a sample person in <c>user.id</c> and gets that person's 1:1 chat.
    /// </summary>
    private static async Task<IResult> StartAsync(HttpRequest request, DevSeeder seeder)
    {
        var token = DevTokens.FromRequest(request);
        var session = DevTokens.Read(token);
        if (session == null)
        {
            var body = await DevJson.ReadAsync(request).ConfigureAwait(false);
            var person = DevPeople.ById(DevJson.Text(body?["user"], "id"));
            if (person == null)
            {
                return Forbidden("Get a token from POST /devchannel/session (or name a sample person in user.id).");
            }
            token = DevTokens.Create(person, "personal");
            session = DevTokens.Read(token);
        }
        await seeder.EnsureSeededAsync(DevTeams.ServiceUrlFor(request), request.HttpContext.RequestAborted).ConfigureAwait(false);
        return DevJson.Result(Conversation(token!, session!.Value.Chat), StatusCodes.Status201Created);
    }

    private static IResult Reconnect(string conversationId, HttpRequest request)
    {
        var token = DevTokens.FromRequest(request);
        var session = DevTokens.Read(token);
        if (session == null || session.Value.Chat.ConversationId != conversationId)
        {
            return Forbidden("The token is not for this conversation.");
        }
        return DevJson.Result(Conversation(token!, session.Value.Chat));
    }

    /// <summary>
    /// A person posts: a message (typed text, or a card's Action.Submit) is echoed into the
    /// transcript with an id and the client's clientActivityID, then delivered to the bot; an
    /// invoke (the page's Action.Execute) is delivered and its response applied. The call
    /// returns once the bot has handled the turn, so its replies are already in the transcript.
    /// </summary>
    private static async Task<IResult> PostAsync(string conversationId, HttpRequest request, DevTeams teams, DevTranscripts transcripts, DevSeeder seeder, DevFiles files, ILoggerFactory loggers)
    {
        var session = DevTokens.Read(DevTokens.FromRequest(request));
        if (session == null || session.Value.Chat.ConversationId != conversationId)
        {
            return Forbidden("The token is not for this conversation.");
        }
        var posted = await DevJson.ReadAsync(request).ConfigureAwait(false);
        if (posted == null)
        {
            return DevJson.Error(StatusCodes.Status400BadRequest, "BadArgument", "The body must be an activity (JSON object).");
        }
        var (person, chat, _) = session.Value;
        var serviceUrl = DevTeams.ServiceUrlFor(request);
        var ct = request.HttpContext.RequestAborted;
        await seeder.EnsureSeededAsync(serviceUrl, ct).ConfigureAwait(false);

        var type = DevJson.Text(posted, "type") ?? "message";
        var id = DevTranscripts.NewActivityId();
        var transcript = transcripts.For(chat.ConversationId);

        // 允许/拒绝 on a file consent card: Teams sends the bot an invoke, not a message.
        if (type == "message" && files.ConsentInvoke(posted["value"], serviceUrl) is { } consent)
        {
            consent["locale"] = posted["locale"];
            var (status, _) = await teams.DeliverAsync(teams.FromPerson(consent, person, chat, serviceUrl, id), ct).ConfigureAwait(false);
            return status >= 500
                ? DevJson.Error(StatusCodes.Status502BadGateway, "BotError", $"The bot answered HTTP {status}.")
                : DevJson.Result(new JObject { ["id"] = id });
        }

        if (type == "message")
        {
            transcript.Append(Echo(posted, person, chat, id));
            var (status, _) = await teams.DeliverAsync(teams.FromPerson(posted, person, chat, serviceUrl, id), ct).ConfigureAwait(false);
            return status >= 500
                ? DevJson.Error(StatusCodes.Status502BadGateway, "BotError", $"The bot answered HTTP {status}.")
                : DevJson.Result(new JObject { ["id"] = id });
        }

        if (type == "invoke")
        {
            var activity = teams.FromPerson(posted, person, chat, serviceUrl, id);
            var (status, body) = await teams.DeliverAsync(activity, ct).ConfigureAwait(false);
            DevInvokes.Apply(transcript, activity, person, status, body);
            return DevJson.Result(new JObject
            {
                ["id"] = id,
                ["invokeResponse"] = new JObject { ["status"] = status, ["body"] = body },
            });
        }

        // Typing indicators, events (e.g. Web Chat's own): accepted, not relayed (Teams does not relay them either).
        loggers.CreateLogger(typeof(DirectLineEndpoints)).LogDebug("Local chat: ignored a {Type} activity from {User}.", type, person.Id);
        return DevJson.Result(new JObject { ["id"] = id });
    }

    /// <summary>The user's own activity as the feed returns it: with its id and the client's channelData (clientActivityID).</summary>
    private static JObject Echo(JObject posted, DevPerson person, DevChat chat, string id)
    {
        var echo = (JObject)posted.DeepClone();
        echo["id"] = id;
        echo["timestamp"] = DevJson.Now();
        echo["channelId"] = "msteams";
        echo["from"] = new JObject { ["id"] = person.Id, ["name"] = person.Name, ["role"] = "user" };
        echo["conversation"] = new JObject { ["id"] = chat.ConversationId };
        echo.Remove("serviceUrl");
        return echo;
    }

    private static IResult Get(string conversationId, string? watermark, HttpRequest request, DevTranscripts transcripts)
    {
        var session = DevTokens.Read(DevTokens.FromRequest(request));
        if (session == null || session.Value.Chat.ConversationId != conversationId)
        {
            return Forbidden("The token is not for this conversation.");
        }
        var from = int.TryParse(watermark, out var w) ? w : 0;
        var (activities, next) = transcripts.For(conversationId).Since(from, session.Value.Person.Id);
        return DevJson.Result(new JObject
        {
            ["activities"] = new JArray(activities),
            ["watermark"] = next.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }
}
