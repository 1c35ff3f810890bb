using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Newtonsoft.Json.Linq;

namespace ChatRegs.TestSupport;

/// <summary>One call the bot made to the Bot Framework connector.</summary>
public sealed record ConnectorCall(string Method, string ConversationId, string? ActivityId, JsonObject? Body)
{
    /// <summary>The Adaptive Card the call carried, as the bot sent it (null for plain text).</summary>
    public JObject? Card => Body?["attachments"] is JsonArray { Count: > 0 } attachments && attachments[0]?["content"] is JsonNode content
        ? JObject.Parse(content.ToJsonString())
        : null;

    /// <summary>The message's text (null for a card without text).</summary>
    public string? Text => (string?)Body?["text"];

    /// <summary>The id of the message the call posted or updated, as Teams answered it (null for other calls).</summary>
    public string? MessageId { get; init; }

    /// <summary>Every text a person can read in the message and its cards (<see cref="JsonReplies.ReadableText(JsonNode?)"/>).</summary>
    public string ReadableText => JsonReplies.ReadableText(Body);

    /// <summary>The first attachment's content (the card) as the bot sent it, as JSON.</summary>
    public JsonObject? CardJson => Body?["attachments"]?[0]?["content"] as JsonObject;
}

/// <summary>
/// Teams' connector behind the bot's proactive HttpClient (<c>ProactiveOptions.HttpClientName</c>):
/// answers "create a 1:1 chat" with <c>a:1to1-{member}</c>, records every POST (a new message,
/// answered with a fresh id "m-N") and PUT (an update of the message with that id), and can
/// pretend a message was deleted (updating it then answers 404).
/// </summary>
public sealed class TeamsConnector : HttpMessageHandler
{
    /// <summary>The service URL conversation references captured by <see cref="FeatureHost"/> carry.</summary>
    public const string ServiceUrl = "https://smba.test/teams/";

    private readonly List<ConnectorCall> _calls = [];
    private readonly HashSet<string> _deleted = [];
    private int _ids;

    /// <summary>Every call so far, in order.</summary>
    public IReadOnlyList<ConnectorCall> Calls
    {
        get { lock (_calls) { return _calls.ToList(); } }
    }

    /// <summary>How many calls so far (without copying them: a corpus reads it before every request).</summary>
    public int Count
    {
        get { lock (_calls) { return _calls.Count; } }
    }

    /// <summary>The calls made since there were <paramref name="count"/> (<see cref="Count"/> read before a request), in order.</summary>
    public IReadOnlyList<ConnectorCall> CallsSince(int count)
    {
        lock (_calls)
        {
            return count >= _calls.Count ? [] : _calls.GetRange(count, _calls.Count - count);
        }
    }

    /// <summary>Messages (POST) and updates (PUT) to one conversation, in order.</summary>
    public IReadOnlyList<ConnectorCall> To(string conversationId) =>
        Calls.Where(c => c.ConversationId == conversationId && c.Method is "POST" or "PUT").ToList();

    /// <summary>New messages (POST) to one conversation, in order (not updates).</summary>
    public IReadOnlyList<ConnectorCall> PostedTo(string conversationId) =>
        Calls.Where(c => c.ConversationId == conversationId && c.Method == "POST").ToList();

    /// <summary>Updates in place (PUT) in one conversation, in order.</summary>
    public IReadOnlyList<ConnectorCall> UpdatedIn(string conversationId) =>
        Calls.Where(c => c.ConversationId == conversationId && c.Method == "PUT").ToList();

    /// <summary>What GET …/pagedmembers answers for any conversation (member discovery).</summary>
    public List<(string Id, string Name)> Members { get; } = [];

    /// <summary>
    /// Messages posted to these conversations are refused with the given status (e.g. 503 for
    /// "Teams is having trouble", 403 for "the bot was removed"), until the entry is removed.
    /// Refused calls are recorded with Method "POST(503)" and so on.
    /// </summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, HttpStatusCode> Refuse { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Conversations Teams cannot be reached for at all (connection refused, a network timeout):
    /// posting to them throws <see cref="HttpRequestException"/> instead of answering, until the entry is removed.
    /// </summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, bool> Unreachable { get; } = new(StringComparer.Ordinal);

    /// <summary>People whose 1:1 chat cannot be created (e.g. the app is not installed for them), with the status Teams answers.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, HttpStatusCode> RefuseCreate { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Who is in each Teams meeting now (by meeting id): a targeted in-meeting notification
    /// (POST v1/meetings/{id}/notification) reaches them, and Teams answers 207 naming the other
    /// recipients; 202 when it reached all. Calls are recorded with the conversation "meeting:{id}".
    /// </summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, HashSet<string>> InMeeting { get; } = new(StringComparer.Ordinal);

    /// <summary>Meetings whose notifications Teams refuses with the given status (e.g. 403: the app may not notify in this meeting).</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, HttpStatusCode> RefuseNotifications { get; } = new(StringComparer.Ordinal);

    /// <summary>The targeted in-meeting notifications sent to a meeting (refused ones too: Method "POST(403)" and so on).</summary>
    public IReadOnlyList<ConnectorCall> NotificationsIn(string meetingId) => Calls.Where(c => c.ConversationId == "meeting:" + meetingId).ToList();

    /// <summary>Someone deleted this message in Teams: updating it answers 404.</summary>
    public void Delete(string activityId)
    {
        lock (_calls)
        {
            _deleted.Add(activityId);
        }
    }

    public void Clear()
    {
        lock (_calls)
        {
            _calls.Clear();
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content == null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var path = request.RequestUri!.AbsolutePath;
        const string meetings = "/v1/meetings/";
        if (request.Method == HttpMethod.Post && path.IndexOf(meetings, StringComparison.Ordinal) is var m and >= 0 && path.EndsWith("/notification", StringComparison.Ordinal))
        {
            return MeetingNotification(Uri.UnescapeDataString(path[(m + meetings.Length)..^"/notification".Length]), body);
        }
        const string marker = "/v3/conversations/";
        var at = path.IndexOf(marker, StringComparison.Ordinal);
        var rest = at < 0 ? "" : path[(at + marker.Length)..];
        if (request.Method == HttpMethod.Post && rest.Length == 0)
        {
            var member = (string?)JsonNode.Parse(body)?["members"]?[0]?["id"] ?? "x";
            if (RefuseCreate.TryGetValue(member, out var refusedCreate))
            {
                return Json(refusedCreate, new JsonObject { ["error"] = new JsonObject { ["code"] = "BotNotInConversationRoster", ["message"] = "The bot cannot start a chat with this person." } });
            }
            return Json(HttpStatusCode.OK, new JsonObject { ["id"] = "a:1to1-" + member });
        }
        var parts = rest.Split('/');
        var conversationId = Uri.UnescapeDataString(parts[0]);
        var activityId = parts.Length >= 3 && parts[1] == "activities" ? Uri.UnescapeDataString(parts[2]) : null;
        if (request.Method == HttpMethod.Get && rest.EndsWith("/pagedmembers", StringComparison.Ordinal))
        {
            return Json(HttpStatusCode.OK, new JsonObject { ["members"] = new JsonArray(Members.Select(m => (JsonNode)new JsonObject { ["id"] = m.Id, ["name"] = m.Name }).ToArray()) });
        }
        var json = body.Length > 0 ? JsonNode.Parse(body) as JsonObject : null;
        if (request.Method == HttpMethod.Post && Unreachable.ContainsKey(conversationId))
        {
            throw new HttpRequestException("Connection refused (the test made Teams unreachable).");
        }
        lock (_calls)
        {
            if (request.Method == HttpMethod.Post && Refuse.TryGetValue(conversationId, out var refused))
            {
                _calls.Add(new ConnectorCall($"POST({(int)refused})", conversationId, activityId, json));
                return Json(refused, new JsonObject { ["error"] = new JsonObject { ["code"] = refused.ToString(), ["message"] = "Refused by the test." } });
            }
            if (request.Method == HttpMethod.Put && activityId != null && _deleted.Contains(activityId))
            {
                _calls.Add(new ConnectorCall("PUT(404)", conversationId, activityId, json));
                return Json(HttpStatusCode.NotFound, new JsonObject { ["error"] = new JsonObject { ["code"] = "NotFound", ["message"] = "The message was deleted." } });
            }
            var id = request.Method == HttpMethod.Put ? activityId : "m-" + Interlocked.Increment(ref _ids);
            _calls.Add(new ConnectorCall(request.Method.Method, conversationId, activityId, json) { MessageId = id });
            return Json(HttpStatusCode.OK, new JsonObject { ["id"] = id });
        }
    }

    private HttpResponseMessage MeetingNotification(string meetingId, string body)
    {
        var json = JsonNode.Parse(body) as JsonObject;
        lock (_calls)
        {
            if (RefuseNotifications.TryGetValue(meetingId, out var refused))
            {
                _calls.Add(new ConnectorCall($"POST({(int)refused})", "meeting:" + meetingId, null, json));
                return Json(refused, new JsonObject { ["error"] = new JsonObject { ["code"] = refused.ToString(), ["message"] = "Refused by the test." } });
            }
            _calls.Add(new ConnectorCall("POST", "meeting:" + meetingId, null, json));
        }
        var present = InMeeting.TryGetValue(meetingId, out var inMeeting) ? inMeeting : [];
        var failed = (json?["value"]?["recipients"] as JsonArray ?? []).Select(r => (string?)r).Where(r => r == null || !present.Contains(r)).ToList();
        if (failed.Count == 0)
        {
            return new HttpResponseMessage(HttpStatusCode.Accepted);
        }
        return Json(HttpStatusCode.MultiStatus, new JsonObject
        {
            ["recipientsFailureInfo"] = new JsonArray(failed.Select(r => (JsonNode)new JsonObject
            {
                ["recipientMri"] = r,
                ["errorcode"] = "7505",
                ["failureReason"] = "The recipient is not in the meeting.",
            }).ToArray()),
        });
    }

    private static HttpResponseMessage Json(HttpStatusCode status, JsonObject body) =>
        new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
}
