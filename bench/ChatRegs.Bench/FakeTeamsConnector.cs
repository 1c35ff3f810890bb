using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatRegs.Bench;

/// <summary>
/// Teams' side of the Bot Framework connector (POST /v3/conversations/{id}/activities), on a
/// loopback port, enforcing Teams' limits the way Teams does: a request beyond
/// <see cref="PerConversation"/> accepted requests to one conversation, or
/// <see cref="PerTenant"/> for one tenant, within the last second is answered 429 with
/// Retry-After: 1. Records what it accepted, per conversation, with arrival times.
/// </summary>
public sealed class FakeTeamsConnector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly object _lock = new();
    private readonly Dictionary<string, Queue<long>> _byConversation = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<long>> _byTenant = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _acceptedPerConversation = new(StringComparer.Ordinal);
    private readonly List<long> _acceptedAt = [];
    private int _throttled;
    private int _other;

    private FakeTeamsConnector(WebApplication app, int perConversation, int perTenant, Uri url)
    {
        _app = app;
        PerConversation = perConversation;
        PerTenant = perTenant;
        Url = url;
    }

    public int PerConversation { get; }

    public int PerTenant { get; }

    /// <summary>The service URL the bot's conversation references point at.</summary>
    public Uri Url { get; }

    public int Throttled => Volatile.Read(ref _throttled);

    /// <summary>Requests that were neither a message post nor throttled (unexpected).</summary>
    public int Other => Volatile.Read(ref _other);

    public int Accepted
    {
        get { lock (_lock) { return _acceptedAt.Count; } }
    }

    public IReadOnlyDictionary<string, int> AcceptedPerConversation
    {
        get { lock (_lock) { return new Dictionary<string, int>(_acceptedPerConversation, StringComparer.Ordinal); } }
    }

    /// <summary>Arrival times (Stopwatch timestamps) of accepted messages.</summary>
    public IReadOnlyList<long> AcceptedAt
    {
        get { lock (_lock) { return _acceptedAt.ToList(); } }
    }

    public static async Task<FakeTeamsConnector> StartAsync(int perConversation, int perTenant)
    {
        var port = ChildProcess.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var connector = new FakeTeamsConnector(app, perConversation, perTenant, new Uri($"http://127.0.0.1:{port}/"));
        app.MapPost("/v3/conversations/{conversationId}/activities", connector.PostActivityAsync);
        app.MapPost("/v3/conversations/{conversationId}/activities/{replyTo}", connector.PostActivityAsync);
        app.Map("/{**rest}", (HttpContext http) =>
        {
            Interlocked.Increment(ref connector._other);
            return Results.Json(new { error = new { code = "NotFound", message = "The bench's fake connector only takes messages." } }, statusCode: 404);
        });
        await app.StartAsync().ConfigureAwait(false);
        return connector;
    }

    private async Task<IResult> PostActivityAsync(HttpContext http, string conversationId)
    {
        var now = Stopwatch.GetTimestamp();
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return Results.Json(new { error = new { code = "BadSyntax", message = "Not JSON." } }, statusCode: 400);
        }
        var tenant = (string?)body?["conversation"]?["tenantId"] ?? (string?)body?["channelData"]?["tenant"]?["id"] ?? "(no tenant)";
        lock (_lock)
        {
            if (Full(_byConversation, conversationId, PerConversation, now) || Full(_byTenant, tenant, PerTenant, now))
            {
                _throttled++;
                http.Response.Headers.RetryAfter = "1";
                return Results.Json(new { error = new { code = "TooManyRequests", message = "Too many requests." } }, statusCode: 429);
            }
            Add(_byConversation, conversationId, now);
            Add(_byTenant, tenant, now);
            _acceptedPerConversation[conversationId] = _acceptedPerConversation.GetValueOrDefault(conversationId) + 1;
            _acceptedAt.Add(now);
            return Results.Json(new { id = "msg-" + _acceptedAt.Count });
        }
    }

    /// <summary>Are there already <paramref name="limit"/> accepted requests for the key within the last second?</summary>
    private static bool Full(Dictionary<string, Queue<long>> accepted, string key, int limit, long now)
    {
        if (!accepted.TryGetValue(key, out var times))
        {
            return false;
        }
        var windowStart = now - Stopwatch.Frequency;
        while (times.Count > 0 && times.Peek() <= windowStart)
        {
            times.Dequeue();
        }
        return times.Count >= limit;
    }

    private static void Add(Dictionary<string, Queue<long>> accepted, string key, long now)
    {
        if (!accepted.TryGetValue(key, out var times))
        {
            accepted[key] = times = new Queue<long>();
        }
        times.Enqueue(now);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
