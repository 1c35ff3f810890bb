using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Agenda.Tests.Support;

/// <summary>One call the bot made to the Bot Framework connector.</summary>
public sealed record ConnectorCall(string Method, string ConversationId, string? ActivityId, JsonObject? Body)
{
    /// <summary>The Adaptive Card the call carried, as the bot sent it.</summary>
    public JObject? Card => Body?["attachments"] is JsonArray { Count: > 0 } attachments && attachments[0]?["content"] is JsonNode content
        ? JObject.Parse(content.ToJsonString())
        : null;
}

/// <summary>
/// Teams' connector, faked behind the bot's connector HttpClient: records every call with its
/// HTTP method — POST (a new message; answered with a fresh id "m-N") and PUT (an update of
/// the message with that id) — and can pretend a message was deleted (its PUT answers 404).
/// </summary>
public sealed class FakeConnector : HttpMessageHandler
{
    public const string ServiceUrl = "https://smba.test/teams/";

    private readonly List<ConnectorCall> _calls = [];
    private readonly HashSet<string> _deleted = [];
    private int _ids;

    public IReadOnlyList<ConnectorCall> Calls
    {
        get { lock (_calls) { return _calls.ToList(); } }
    }

    /// <summary>Messages (POST) and updates (PUT) to one conversation, in order.</summary>
    public IReadOnlyList<ConnectorCall> To(string conversationId) =>
        Calls.Where(c => c.ConversationId == conversationId && c.Method is "POST" or "PUT").ToList();

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
        const string marker = "/v3/conversations/";
        var at = path.IndexOf(marker, StringComparison.Ordinal);
        var rest = at < 0 ? "" : path[(at + marker.Length)..];
        if (request.Method == HttpMethod.Post && rest.Length == 0)
        {
            // Create a 1:1 chat.
            var member = (string?)JsonNode.Parse(body)?["members"]?[0]?["id"] ?? "x";
            return Json(HttpStatusCode.OK, new JsonObject { ["id"] = "a:1to1-" + member });
        }
        var parts = rest.Split('/');
        var conversationId = Uri.UnescapeDataString(parts[0]);
        var activityId = parts.Length >= 3 && parts[1] == "activities" ? Uri.UnescapeDataString(parts[2]) : null;
        var json = body.Length > 0 ? JsonNode.Parse(body) as JsonObject : null;
        lock (_calls)
        {
            if (request.Method == HttpMethod.Put && activityId != null && _deleted.Contains(activityId))
            {
                _calls.Add(new ConnectorCall("PUT(404)", conversationId, activityId, json));
                return Json(HttpStatusCode.NotFound, new JsonObject { ["error"] = new JsonObject { ["code"] = "NotFound", ["message"] = "The message was deleted." } });
            }
            _calls.Add(new ConnectorCall(request.Method.Method, conversationId, activityId, json));
        }
        if (request.Method == HttpMethod.Put)
        {
            return Json(HttpStatusCode.OK, new JsonObject { ["id"] = activityId });
        }
        return Json(HttpStatusCode.OK, new JsonObject { ["id"] = "m-" + Interlocked.Increment(ref _ids) });
    }

    private static HttpResponseMessage Json(HttpStatusCode status, JsonObject body) =>
        new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
}
