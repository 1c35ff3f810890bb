using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.DevChannel;

/// <summary>
/// The Bot Connector (and Teams) REST calls the bot makes on its serviceUrl, served by the
/// local chat channel at <c>/devchannel/</c>: what the bot sends lands in the channel's
/// transcript, so the page shows it. Send to a conversation, reply, update (the page's card
/// is replaced), delete, create a 1:1 conversation, list members (plain and paged), get one
/// member, team details and channels, meeting info and a meeting participant.
/// </summary>
internal static class ConnectorEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        var c = routes.MapGroup("/devchannel");
        c.MapPost("/v3/conversations", CreateConversationAsync);
        c.MapPost("/v3/conversations/{conversationId}/activities", (string conversationId, HttpRequest request, DevTranscripts transcripts, DevFiles files) =>
            SendAsync(conversationId, null, request, transcripts, files));
        c.MapPost("/v3/conversations/{conversationId}/activities/{activityId}", (string conversationId, string activityId, HttpRequest request, DevTranscripts transcripts, DevFiles files) =>
            SendAsync(conversationId, activityId, request, transcripts, files));
        c.MapPut("/v3/conversations/{conversationId}/activities/{activityId}", UpdateAsync);
        c.MapDelete("/v3/conversations/{conversationId}/activities/{activityId}", Delete);
        c.MapGet("/v3/conversations/{conversationId}/members", Members);
        c.MapGet("/v3/conversations/{conversationId}/activities/{activityId}/members", (string conversationId) => Members(conversationId));
        c.MapGet("/v3/conversations/{conversationId}/pagedmembers", PagedMembers);
        c.MapGet("/v3/conversations/{conversationId}/members/{memberId}", Member);
        c.MapGet("/v3/teams/{teamId}", Team);
        c.MapGet("/v3/teams/{teamId}/conversations", Channels);
        c.MapGet("/v1/meetings/{meetingId}", Meeting);
        c.MapGet("/v1/meetings/{meetingId}/participants/{participantId}", Participant);
        c.MapPost("/v1/meetings/{meetingId}/notification", NotifyAsync);
        // Where the bot uploads a file the person allowed (the OneDrive upload URL, in Teams), and its download link.
        c.MapPut("/files/{fileId}", UploadAsync);
        c.MapGet("/files/{fileId}", Download);
    }

    private static async Task<IResult> UploadAsync(string fileId, HttpRequest request, DevFiles files)
    {
        if (request.ContentLength > DevFiles.MaxFileBytes)
        {
            return DevJson.Error(StatusCodes.Status413PayloadTooLarge, "TooLarge", $"At most {DevFiles.MaxFileBytes} bytes.");
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
        if (buffer.Length > DevFiles.MaxFileBytes)
        {
            return DevJson.Error(StatusCodes.Status413PayloadTooLarge, "TooLarge", $"At most {DevFiles.MaxFileBytes} bytes.");
        }
        return files.Store(fileId, buffer.ToArray())
            ? DevJson.Result(new JObject { ["id"] = fileId, ["size"] = buffer.Length }, StatusCodes.Status201Created)
            : DevJson.Error(StatusCodes.Status404NotFound, "itemNotFound", "No upload was offered at this address.");
    }

    private static IResult Download(string fileId, DevFiles files)
    {
        if (files.Get(fileId) is not { } file)
        {
            return DevJson.Error(StatusCodes.Status404NotFound, "itemNotFound", "No such file (files are kept in memory until the bot restarts).");
        }
        var type = Path.GetExtension(file.Name).ToLowerInvariant() switch
        {
            ".csv" => "text/csv; charset=utf-8",
            ".md" => "text/markdown; charset=utf-8",
            ".txt" => "text/plain; charset=utf-8",
            ".json" => "application/json",
            _ => "application/octet-stream",
        };
        return Results.File(file.Bytes, type, file.Name);
    }

    private static IResult ConversationNotFound(string conversationId) =>
        DevJson.Error(StatusCodes.Status404NotFound, "ConversationNotFound", $"Conversation '{conversationId}' is not one of the local chat channel's.");

    /// <summary>
    /// The bot sends an activity (or replies to one). Messages, typing and events go into the
    /// transcript with a new id and a timestamp; anything else (e.g. trace) is acknowledged only.
    /// </summary>
    private static async Task<IResult> SendAsync(string conversationId, string? replyToId, HttpRequest request, DevTranscripts transcripts, DevFiles files)
    {
        var activity = await DevJson.ReadAsync(request).ConfigureAwait(false);
        if (activity == null)
        {
            return DevJson.Error(StatusCodes.Status400BadRequest, "BadArgument", "The body must be an activity.");
        }
        var id = Post(transcripts, conversationId, activity, replyToId, files);
        return DevJson.Result(new JObject { ["id"] = id });
    }

    private static readonly HashSet<string> Shown = ["message", "typing", "event", "endOfConversation"];

    private static string Post(DevTranscripts transcripts, string conversationId, JObject activity, string? replyToId, DevFiles? files = null)
    {
        var id = DevTranscripts.NewActivityId();
        var type = (string?)activity["type"] ?? "message";
        if (!Shown.Contains(type))
        {
            return id;
        }
        activity = (JObject)activity.DeepClone();
        activity["id"] = id;
        activity["timestamp"] = DevJson.Now();
        if (replyToId != null)
        {
            activity["replyToId"] = replyToId;
        }
        AsBot(activity);
        files?.Present(activity);
        activity["conversation"] = new JObject { ["id"] = DevTranscripts.Key(conversationId) };
        transcripts.For(conversationId).Append(activity);
        return id;
    }

    /// <summary>Web Chat puts an activity on the bot's side when <c>from.role</c> is "bot".</summary>
    private static void AsBot(JObject activity)
    {
        if (activity["from"] is not JObject from)
        {
            activity["from"] = from = new JObject { ["id"] = "28:bot", ["name"] = DevTeams.BotName };
        }
        from["role"] = "bot";
    }

    /// <summary>The bot edits a message it sent: a new version with the same id (and place) replaces it for everyone.</summary>
    private static async Task<IResult> UpdateAsync(string conversationId, string activityId, HttpRequest request, DevTranscripts transcripts)
    {
        var update = await DevJson.ReadAsync(request).ConfigureAwait(false);
        if (update == null)
        {
            return DevJson.Error(StatusCodes.Status400BadRequest, "BadArgument", "The body must be an activity.");
        }
        var transcript = transcripts.For(conversationId);
        var original = transcript.Latest(activityId);
        if (original == null)
        {
            return DevJson.Error(StatusCodes.Status404NotFound, "ActivityNotFound", $"No activity '{activityId}' in '{conversationId}'.");
        }
        var replaced = (JObject)update.DeepClone();
        replaced["id"] = activityId;
        replaced["type"] = (string?)update["type"] ?? (string?)original["type"] ?? "message";
        replaced["timestamp"] = original["timestamp"];
        replaced["from"] = original["from"]?.DeepClone() ?? update["from"]?.DeepClone();
        replaced["conversation"] = new JObject { ["id"] = transcript.ConversationId };
        if (original["replyToId"] != null && replaced["replyToId"] == null)
        {
            replaced["replyToId"] = original["replyToId"];
        }
        AsBot(replaced);
        transcript.Append(replaced);
        return DevJson.Result(new JObject { ["id"] = activityId });
    }

    /// <summary>The bot deletes a message: it stays in place as "此消息已被删除。" (Teams shows the same note).</summary>
    private static IResult Delete(string conversationId, string activityId, DevTranscripts transcripts)
    {
        var transcript = transcripts.For(conversationId);
        var original = transcript.Latest(activityId);
        if (original == null)
        {
            return DevJson.Error(StatusCodes.Status404NotFound, "ActivityNotFound", $"No activity '{activityId}' in '{conversationId}'.");
        }
        transcript.Append(new JObject
        {
            ["type"] = "message",
            ["id"] = activityId,
            ["timestamp"] = original["timestamp"],
            ["from"] = original["from"],
            ["conversation"] = new JObject { ["id"] = transcript.ConversationId },
            ["text"] = "此消息已被删除。(This message has been deleted.)",
            ["channelData"] = new JObject { ["devchannel:deleted"] = true },
        });
        return Results.Ok();
    }

    /// <summary>
    /// Creates a conversation, as Teams allows a bot to: a 1:1 chat with one person (Teams
    /// answers with the existing chat if there is one, and so does this), or a new thread in a
    /// channel (which shows in that channel's chat). The optional first activity is posted.
    /// </summary>
    private static async Task<IResult> CreateConversationAsync(HttpRequest request, DevTranscripts transcripts)
    {
        var parameters = await DevJson.ReadAsync(request).ConfigureAwait(false);
        if (parameters == null)
        {
            return DevJson.Error(StatusCodes.Status400BadRequest, "BadArgument", "The body must be ConversationParameters.");
        }
        string conversationId;
        var channelId = (string?)parameters["channelData"]?["channel"]?["id"];
        if (channelId != null)
        {
            if (DevPeople.ChatById(DevTranscripts.Key(channelId)) == null)
            {
                return ConversationNotFound(channelId);
            }
            conversationId = DevTranscripts.Key(channelId);
        }
        else
        {
            var members = parameters["members"] as JArray;
            if (members == null || members.Count != 1 || parameters.Value<bool?>("isGroup") == true)
            {
                return DevJson.Error(StatusCodes.Status400BadRequest, "BadArgument",
                    "Teams lets a bot create a 1:1 conversation (exactly one member) or a channel thread (channelData.channel.id).");
            }
            var person = DevPeople.ById((string?)members[0]?["id"]) ?? DevPeople.ById((string?)members[0]?["aadObjectId"]);
            if (person == null)
            {
                return DevJson.Error(StatusCodes.Status404NotFound, "NotFound", $"User '{members[0]?["id"]}' is not one of the sample people.");
            }
            conversationId = person.PersonalConversationId;
        }

        string? activityId = null;
        if (parameters["activity"] is JObject first)
        {
            activityId = Post(transcripts, conversationId, first, null);
        }
        if (channelId != null && activityId != null)
        {
            // A new channel thread is addressed as "<channel>;messageid=<root message id>".
            conversationId += ";messageid=" + activityId;
        }
        var response = new JObject { ["id"] = conversationId, ["serviceUrl"] = DevTeams.ServiceUrlFor(request) };
        if (activityId != null)
        {
            response["activityId"] = activityId;
        }
        return DevJson.Result(response, StatusCodes.Status201Created);
    }

    private static IResult Members(string conversationId)
    {
        var chat = DevPeople.ChatById(DevTranscripts.Key(conversationId));
        return chat == null ? ConversationNotFound(conversationId) : DevJson.Result(new JArray(chat.Members.Select(DevTeams.Member)));
    }

    private static IResult PagedMembers(string conversationId, int? pageSize, string? continuationToken)
    {
        var chat = DevPeople.ChatById(DevTranscripts.Key(conversationId));
        if (chat == null)
        {
            return ConversationNotFound(conversationId);
        }
        var size = Math.Clamp(pageSize ?? 200, 1, 500);
        var start = int.TryParse(continuationToken, out var s) ? s : 0;
        var page = chat.Members.Skip(start).Take(size).Select(DevTeams.Member).ToList();
        var next = start + page.Count < chat.Members.Count ? (start + page.Count).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return DevJson.Result(new JObject { ["continuationToken"] = next, ["members"] = new JArray(page) });
    }

    private static IResult Member(string conversationId, string memberId)
    {
        var chat = DevPeople.ChatById(DevTranscripts.Key(conversationId));
        if (chat == null)
        {
            return ConversationNotFound(conversationId);
        }
        var person = chat.Members.FirstOrDefault(p => p.Id == memberId || string.Equals(p.AadObjectId, memberId, StringComparison.OrdinalIgnoreCase));
        return person == null
            ? DevJson.Error(StatusCodes.Status404NotFound, "MemberNotFoundInConversation", $"'{memberId}' is not a member of '{conversationId}'.")
            : DevJson.Result(DevTeams.Member(person));
    }

    private static IResult Team(string teamId) =>
        teamId != DevPeople.TeamId
            ? DevJson.Error(StatusCodes.Status404NotFound, "NotFound", $"Team '{teamId}' is not the sample team.")
            : DevJson.Result(new JObject
            {
                ["id"] = DevPeople.TeamId,
                ["name"] = DevPeople.TeamName,
                ["aadGroupId"] = DevPeople.TeamAadGroupId,
                ["channelCount"] = 2,
                ["memberCount"] = DevPeople.All.Count,
                ["type"] = "standard",
            });

    private static IResult Channels(string teamId) =>
        teamId != DevPeople.TeamId
            ? DevJson.Error(StatusCodes.Status404NotFound, "NotFound", $"Team '{teamId}' is not the sample team.")
            : DevJson.Result(new JObject
            {
                ["conversations"] = new JArray(
                    new JObject { ["id"] = DevPeople.TeamId }, // the General channel has the team's id and no name
                    new JObject { ["id"] = DevPeople.MeetingConversationId, ["name"] = DevPeople.MeetingChannelName }),
            });

    private static IResult Meeting(string meetingId, DevMeeting meeting)
    {
        if (meetingId != DevPeople.MeetingId)
        {
            return DevJson.Error(StatusCodes.Status404NotFound, "NotFound", $"Meeting '{meetingId}' is not the sample meeting.");
        }
        var organizer = DevPeople.All.First(p => p.MeetingRole == "Organizer");
        return DevJson.Result(new JObject
        {
            ["details"] = meeting.Details(),
            ["conversation"] = DevTeams.Conversation(DevPeople.MeetingChat),
            ["organizer"] = DevTeams.Member(organizer),
        });
    }

    /// <summary>
    /// A targeted in-meeting notification, as Teams takes it: shown only to the recipients who are
    /// in the sample meeting now — on the page, in the meeting chat, visible to that person alone
    /// (where Teams shows a dialog on the meeting stage), with the title and a link to the page it
    /// opens. 202 when all were reached, else 207 naming the others, as Teams answers.
    /// </summary>
    private static async Task<IResult> NotifyAsync(string meetingId, HttpRequest request, DevMeeting meeting, DevTranscripts transcripts)
    {
        var body = await DevJson.ReadAsync(request).ConfigureAwait(false);
        if (meetingId != DevPeople.MeetingId)
        {
            return DevJson.Error(StatusCodes.Status404NotFound, "NotFound", $"Meeting '{meetingId}' is not the sample meeting.");
        }
        if (body?["value"]?["recipients"] is not JArray { Count: > 0 } recipients || body["value"]?["surfaces"] is not JArray { Count: > 0 } surfaces)
        {
            return DevJson.Error(StatusCodes.Status400BadRequest, "BadArgument", "A targeted meeting notification names its recipients and surfaces.");
        }
        var task = surfaces[0]["content"]?["value"];
        var title = (string?)task?["title"] ?? "";
        var url = (string?)task?["url"] ?? "";
        var failed = new JArray();
        foreach (var id in recipients.Select(r => r.Type == JTokenType.String ? (string?)r : null))
        {
            var person = id == null ? null : DevPeople.ById(id);
            if (person == null || !meeting.IsIn(person))
            {
                failed.Add(new JObject { ["recipientMri"] = id, ["errorcode"] = "7505", ["failureReason"] = "The recipient is not in the meeting." });
                continue;
            }
            var shown = new JObject
            {
                ["type"] = "message",
                ["id"] = DevTranscripts.NewActivityId(),
                ["timestamp"] = DevJson.Now(),
                ["textFormat"] = "markdown",
                ["text"] = $"🔔 **{ChatRegs.Cards.MarkdownText.EscapeOneLine(title)}** — {url}",
                ["channelData"] = new JObject { ["devchannel"] = new JObject { ["inMeetingNotification"] = true, ["url"] = url } },
                ["conversation"] = new JObject { ["id"] = DevTranscripts.Key(DevPeople.MeetingConversationId) },
            };
            AsBot(shown);
            transcripts.For(DevPeople.MeetingConversationId).Append(shown, visibleTo: person.Id);
        }
        return failed.Count == 0
            ? Results.StatusCode(StatusCodes.Status202Accepted)
            : DevJson.Result(new JObject { ["recipientsFailureInfo"] = failed }, StatusCodes.Status207MultiStatus);
    }

    private static IResult Participant(string meetingId, string participantId, DevMeeting meeting)
    {
        var person = DevPeople.ById(participantId);
        if (meetingId != DevPeople.MeetingId || person == null)
        {
            return DevJson.Error(StatusCodes.Status404NotFound, "NotFound", $"'{participantId}' is not a participant of meeting '{meetingId}'.");
        }
        return DevJson.Result(new JObject
        {
            ["user"] = DevTeams.Member(person),
            ["meeting"] = new JObject { ["role"] = person.MeetingRole, ["inMeeting"] = meeting.IsIn(person) },
            ["conversation"] = DevTeams.Conversation(DevPeople.MeetingChat),
        });
    }
}
