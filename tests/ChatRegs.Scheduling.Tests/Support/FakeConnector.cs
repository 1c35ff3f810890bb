using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Proactive;

namespace ChatRegs.Scheduling.Tests.Support;

/// <summary>
/// The Bot Framework connector (Teams' side of /v3/conversations) as an HttpMessageHandler,
/// enforcing Teams' limits the way Teams does: more than <see cref="PerConversation"/>
/// requests to one conversation, or <see cref="PerTenant"/> requests for one tenant, within
/// any one second (of the given clock) are answered 429 with Retry-After: 1. It records every
/// request with the time it arrived.
/// </summary>
public sealed class FakeConnector : HttpMessageHandler
{
    public const string ServiceUrl = "https://smba.test/teams/";

    private readonly TimeProvider _clock;
    private readonly object _lock = new();
    private readonly List<Received> _received = [];
    private readonly Dictionary<string, List<DateTimeOffset>> _acceptedByConversation = [];
    private readonly Dictionary<string, List<DateTimeOffset>> _acceptedByTenant = [];
    private int _ids;

    public FakeConnector(TimeProvider clock, int perConversation = 7, int perTenant = 50)
    {
        _clock = clock;
        PerConversation = perConversation;
        PerTenant = perTenant;
    }

    public int PerConversation { get; }

    public int PerTenant { get; }

    /// <summary>People Teams lets the bot open a 1:1 chat with (the app is installed for them).</summary>
    public HashSet<string> Installed { get; } = [];

    /// <summary>Conversations that answer with an error (403 bot removed, 404 gone).</summary>
    public Dictionary<string, HttpStatusCode> Broken { get; } = [];

    /// <summary>Answers to give instead of the normal one (e.g. a 429 with Retry-After); null = normal.</summary>
    public Func<Received, HttpResponseMessage?>? Inject { get; set; }

    public IReadOnlyList<Received> Requests
    {
        get { lock (_lock) { return _received.ToList(); } }
    }

    /// <summary>Messages posted and accepted (200).</summary>
    public IReadOnlyList<Received> Delivered => Requests.Where(r => r.Kind == "activity" && r.Status == HttpStatusCode.OK).ToList();

    /// <summary>429s the limits caused (not injected ones).</summary>
    public IReadOnlyList<Received> Throttled => Requests.Where(r => r.Status == HttpStatusCode.TooManyRequests && !r.Injected).ToList();

    public int AcceptedCount
    {
        get { lock (_lock) { return _received.Count(r => r.Status == HttpStatusCode.OK); } }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The arrival time first: the limiter lets a request go at an exact time, and it arrives then.
        var now = _clock.GetUtcNow();
        var body = request.Content == null ? "" : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var json = body.Length > 0 ? JsonNode.Parse(body) as JsonObject : null;
        var conversationId = ConnectorThrottlingHandler.ConversationIdOf(request.RequestUri);
        var isCreate = conversationId == null && request.Method == HttpMethod.Post;
        var tenant = isCreate
            ? (string?)json?["tenantId"] ?? (string?)json?["channelData"]?["tenant"]?["id"]
            : (string?)json?["conversation"]?["tenantId"];
        var received = new Received(now, request.Method.Method, request.RequestUri!.AbsolutePath, isCreate ? "create" : "activity", conversationId, tenant,
            (string?)json?["text"], isCreate ? (string?)json?["members"]?[0]?["id"] : null);

        lock (_lock)
        {
            if (Inject?.Invoke(received) is { } injected)
            {
                _received.Add(received with { Status = injected.StatusCode, Injected = true });
                return injected;
            }
            if (Exceeds(_acceptedByConversation, conversationId, PerConversation, now) || Exceeds(_acceptedByTenant, tenant, PerTenant, now))
            {
                _received.Add(received with { Status = HttpStatusCode.TooManyRequests });
                var throttled = Error(HttpStatusCode.TooManyRequests, "TooManyRequests", "Too many requests.");
                throttled.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
                return throttled;
            }
            if (conversationId != null && Broken.TryGetValue(conversationId, out var broken))
            {
                _received.Add(received with { Status = broken });
                return broken == HttpStatusCode.Forbidden
                    ? Error(broken, "BotNotInConversationRoster", "The bot is not part of the conversation roster.")
                    : Error(broken, "ConversationNotFound", "Conversation not found.");
            }
            if (isCreate && (received.Member == null || !Installed.Contains(received.Member)))
            {
                _received.Add(received with { Status = HttpStatusCode.Forbidden });
                return Error(HttpStatusCode.Forbidden, "Forbidden", "The bot is not installed for this user.");
            }

            Remember(_acceptedByConversation, conversationId, now);
            Remember(_acceptedByTenant, tenant, now);
            _received.Add(received with { Status = HttpStatusCode.OK });
            var id = isCreate ? "a:1to1-" + received.Member : "msg-" + Interlocked.Increment(ref _ids);
            return new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent(new JsonObject { ["id"] = id }.ToJsonString(), Encoding.UTF8, "application/json"),
            };
        }
    }

    /// <summary>The most requests accepted for one key within any one second.</summary>
    public static int MaxInAnySecond(IEnumerable<DateTimeOffset> times)
    {
        var sorted = times.OrderBy(t => t).ToList();
        var max = 0;
        var start = 0;
        for (var end = 0; end < sorted.Count; end++)
        {
            while (sorted[end] - sorted[start] >= TimeSpan.FromSeconds(1))
            {
                start++;
            }
            max = Math.Max(max, end - start + 1);
        }
        return max;
    }

    public static HttpResponseMessage Error(HttpStatusCode status, string code, string message) => new(status)
    {
        Content = new StringContent(new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } }.ToJsonString(), Encoding.UTF8, "application/json"),
    };

    private static bool Exceeds(Dictionary<string, List<DateTimeOffset>> accepted, string? key, int limit, DateTimeOffset now)
    {
        if (key == null || !accepted.TryGetValue(key, out var times))
        {
            return false;
        }
        // A sliding one-second window: requests in (now - 1 s, now].
        times.RemoveAll(t => t <= now - TimeSpan.FromSeconds(1));
        return times.Count >= limit;
    }

    private static void Remember(Dictionary<string, List<DateTimeOffset>> accepted, string? key, DateTimeOffset now)
    {
        if (key == null)
        {
            return;
        }
        if (!accepted.TryGetValue(key, out var times))
        {
            accepted[key] = times = [];
        }
        times.Add(now);
    }

    public sealed record Received(DateTimeOffset At, string Method, string Path, string Kind, string? ConversationId, string? TenantId, string? Text, string? Member)
    {
        public HttpStatusCode Status { get; init; }

        public bool Injected { get; init; }
    }
}
