using System.Net;
using ChatRegs.Bot.Diagnostics;
using Microsoft.Extensions.Options;

namespace ChatRegs.Bot.Proactive;

/// <summary>
/// A handler on the connector's HttpClient, so that every call the bot makes to the Bot
/// Framework connector — proactive messages and ordinary replies in a turn alike — is paced
/// by <see cref="ConnectorRateLimiter"/> and retried the same way. A handler rather than a
/// gate around the sends: it also covers calls the SDK makes on its own (replies, updates,
/// creating conversations), and it sees the HTTP status and the Retry-After header.
/// <para>
/// Calls under <c>/v3/conversations</c> are paced (per conversation and per tenant); calls
/// answered 429, 412, 502 or 504 are retried up to <see cref="ProactiveOptions.MaxRetries"/>
/// times after an exponential backoff with jitter, never sooner than Retry-After says. The
/// final answer, success or not, goes back to the SDK, which throws on errors; permanent
/// ones (403, 404) are never retried here. Calls elsewhere (token and metadata endpoints)
/// pass through, with the same per-attempt timeout.
/// </para>
/// </summary>
public sealed class ConnectorThrottlingHandler : DelegatingHandler
{
    private readonly ConnectorRateLimiter _limiter;
    private readonly TimeProvider _time;
    private readonly ProactiveOptions _options;
    private readonly ILogger<ConnectorThrottlingHandler> _logger;

    public ConnectorThrottlingHandler(ConnectorRateLimiter limiter, TimeProvider time, IOptions<ProactiveOptions> options, ILogger<ConnectorThrottlingHandler> logger)
    {
        _limiter = limiter;
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    public static bool IsRetried(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.PreconditionFailed or HttpStatusCode.BadGateway or HttpStatusCode.GatewayTimeout;

    /// <summary>The conversation a connector URL addresses (…/v3/conversations/{id}/…), or null.</summary>
    public static string? ConversationIdOf(Uri? uri)
    {
        if (uri == null)
        {
            return null;
        }
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 2 < segments.Length; i++)
        {
            if (segments[i] == "v3" && segments[i + 1] == "conversations")
            {
                return Uri.UnescapeDataString(segments[i + 2]);
            }
        }
        return null;
    }

    public static bool IsConnectorCall(Uri? uri) =>
        uri != null && uri.AbsolutePath.Contains("/v3/conversations", StringComparison.Ordinal);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!IsConnectorCall(request.RequestUri))
        {
            // The client has no overall timeout (connector calls may queue here): give these one.
            using var timeout = new CancellationTokenSource(_options.AttemptTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            return await base.SendAsync(request, linked.Token).ConfigureAwait(false);
        }

        var conversationId = ConversationIdOf(request.RequestUri);
        var tenant = ConnectorContext.TenantId ?? "host:" + request.RequestUri!.Authority;
        if (request.Content != null)
        {
            // A retry sends the same content again.
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        for (var attempt = 0; ; attempt++)
        {
            await _limiter.AcquireAsync(tenant, conversationId, cancellationToken).ConfigureAwait(false);
            HttpResponseMessage response;
            using (var timeout = new CancellationTokenSource(_options.AttemptTimeout, _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                response = await base.SendAsync(request, linked.Token).ConfigureAwait(false);
            }
            ChatRegsTelemetry.ConnectorRequests.Add(1, new("http.request.method", request.Method.Method), new("http.response.status_code", (int)response.StatusCode));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                ChatRegsTelemetry.Throttled.Add(1);
            }
            if (!IsRetried(response.StatusCode) || attempt >= _options.MaxRetries)
            {
                return response;
            }

            var retryAfter = RetryAfter(response);
            var delay = Backoff(attempt);
            if (retryAfter is { } wait && wait > delay)
            {
                delay = wait;
            }
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                _limiter.Penalize(tenant, conversationId, _time.GetUtcNow() + (retryAfter ?? delay));
            }
            _logger.LogInformation("Connector answered {Status} to {Method} {Path}; retry {Retry} of {Max} in {Delay} (Retry-After: {RetryAfter}).",
                (int)response.StatusCode, request.Method, request.RequestUri!.AbsolutePath, attempt + 1, _options.MaxRetries, delay, retryAfter?.ToString() ?? "none");
            response.Dispose();
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>base × 2^attempt, at most the maximum, "equal jitter": between half and all of it.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var ms = Math.Min(_options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 20)), _options.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((ms / 2) + (Random.Shared.NextDouble() * ms / 2));
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }
}
