using System.Net;
using System.Text;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Integration;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;
using Newtonsoft.Json;

namespace ChatRegs.Bot.Hosting;

/// <summary>
/// <c>POST /api/messages</c>, where Teams delivers activities. Every request passes, in order:
/// <list type="number">
/// <item>authentication off (no MicrosoftAppId, Development only): the caller must be this
/// machine — the connection's remote address is loopback, checked per request (403);</item>
/// <item>the Authorization header: with authentication on, <c>Bearer</c> and a compact JWT of
/// sane length; with it off, no header at all, since no token could be verified (401);</item>
/// <item>the activity's shape (<see cref="ActivityShape"/>, <see cref="TeamsEventPayloads"/>, 400);</item>
/// <item>with authentication on, the channel: <c>msteams</c> only, unless
/// <c>ChatRegs:AllowedChannels</c> lists more (403);</item>
/// <item>the Bot Framework token, validated by the adapter's <see cref="BotFrameworkAuthentication"/>
/// (signature, issuer, audience, serviceUrl); any failure is 401.</item>
/// </list>
/// Every refusal is logged as a warning with its reason (no stack trace), then the turn runs
/// in the adapter with the identity the token proved.
/// </summary>
public sealed class MessagesEndpoint
{
    public const string Path = "/api/messages";
    public const string AllowedChannelsSetting = "ChatRegs:AllowedChannels";

    /// <summary>
    /// Teams' activities are well under 1 MB (a message holds at most about 28 KB of text); a
    /// million-character message is about 3 MB. Anything past this is refused (413) unread.
    /// </summary>
    public const long MaxBodyBytes = 8 * 1024 * 1024;

    /// <summary>Bot Framework tokens are 1–3 KB; anything past this is not one.</summary>
    public const int MaxAuthorizationHeaderLength = 8 * 1024;

    private static readonly JsonSerializerSettings SerializerSettings = MessageSerializerSettings.Create();
    private static readonly JsonSerializer Serializer = JsonSerializer.Create(SerializerSettings);

    private readonly ChatRegsAdapter _adapter;
    private readonly BotFrameworkAuthentication _authentication;
    private readonly IBot _bot;
    private readonly ILogger<MessagesEndpoint> _logger;
    private readonly bool _authenticationOn;
    private readonly HashSet<string> _allowedChannels;

    public MessagesEndpoint(ChatRegsAdapter adapter, BotFrameworkAuthentication authentication, IBot bot, IConfiguration configuration, ILogger<MessagesEndpoint> logger)
    {
        _adapter = adapter;
        _authentication = authentication;
        _bot = bot;
        _logger = logger;
        _authenticationOn = BotHost.AuthenticationOn(configuration);
        _allowedChannels = AllowedChannels(configuration);
    }

    /// <summary>The channels accepted with authentication on: <c>msteams</c>, plus whatever <c>ChatRegs:AllowedChannels</c> lists.</summary>
    public static HashSet<string> AllowedChannels(IConfiguration configuration)
    {
        var channels = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { Microsoft.Bot.Connector.Channels.Msteams };
        foreach (var channel in configuration.GetSection(AllowedChannelsSetting).Get<string[]>() ?? [])
        {
            if (!string.IsNullOrWhiteSpace(channel))
            {
                channels.Add(channel.Trim());
            }
        }
        return channels;
    }

    public async Task HandleAsync(HttpContext http)
    {
        var request = http.Request;
        var cancellationToken = http.RequestAborted;

        if (!_authenticationOn && !IsLoopback(http.Connection.RemoteIpAddress))
        {
            _logger.LogWarning(
                "Refused a request to {Path} from {RemoteAddress}: authentication is off (no MicrosoftAppId), so only loopback callers are served.",
                Path, http.Connection.RemoteIpAddress?.ToString() ?? "(no remote address)");
            await RefuseAsync(http, StatusCodes.Status403Forbidden, "Authentication is off: only this machine may call.").ConfigureAwait(false);
            return;
        }

        var tokenProblem = CheckAuthorizationHeader(request, out var authHeader);
        if (tokenProblem != null)
        {
            _logger.LogWarning("Refused a request to {Path}: {Reason}", Path, tokenProblem);
            await RefuseAsync(http, StatusCodes.Status401Unauthorized, "Unauthorized.").ConfigureAwait(false);
            return;
        }

        // A body past the cap is refused before it is read (Content-Length), or while it is read
        // (a chunked body: the server stops at the cap and says so with BadHttpRequestException).
        if (request.ContentLength > MaxBodyBytes)
        {
            _logger.LogWarning("Refused a request to {Path}: the body is {Length} bytes (at most {Max}).", Path, request.ContentLength, MaxBodyBytes);
            await RefuseAsync(http, StatusCodes.Status413PayloadTooLarge, "The request body is too large.").ConfigureAwait(false);
            return;
        }
        if (http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = MaxBodyBytes;
        }

        // Read the body twice: once to check its shape, once to read the activity.
        request.EnableBuffering();
        string? shapeProblem;
        try
        {
            shapeProblem = await ActivityShape.CheckAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException e)
        {
            // Too large while streaming, or the client stopped sending: the caller's problem, not an error here.
            _logger.LogWarning("Refused a request to {Path}: the body could not be read ({Reason}).", Path, e.Message);
            await RefuseAsync(http, e.StatusCode, "The request body could not be read.").ConfigureAwait(false);
            return;
        }
        if (shapeProblem != null)
        {
            _logger.LogInformation("Refused an activity: {Reason}", shapeProblem);
            await RefuseAsync(http, StatusCodes.Status400BadRequest, shapeProblem).ConfigureAwait(false);
            return;
        }

        var activity = await ReadActivityAsync(request).ConfigureAwait(false);
        if (activity == null || string.IsNullOrEmpty(activity.Type))
        {
            _logger.LogInformation("Refused an activity: it could not be read as a Bot Framework activity.");
            await RefuseAsync(http, StatusCodes.Status400BadRequest, "The body is not a Bot Framework activity.").ConfigureAwait(false);
            return;
        }

        if (TeamsEventPayloads.Check(activity) is { } payloadProblem)
        {
            _logger.LogInformation("Refused an activity: {Reason}", payloadProblem);
            await RefuseAsync(http, StatusCodes.Status400BadRequest, payloadProblem).ConfigureAwait(false);
            return;
        }

        if (_authenticationOn && !_allowedChannels.Contains(activity.ChannelId))
        {
            _logger.LogWarning(
                "Refused a {ActivityType} activity from channel {ChannelId}: only {AllowedChannels} are accepted (setting {Setting}).",
                activity.Type, activity.ChannelId, string.Join(", ", _allowedChannels.Order()), AllowedChannelsSetting);
            await RefuseAsync(http, StatusCodes.Status403Forbidden, "This channel is not served.").ConfigureAwait(false);
            return;
        }

        AuthenticateRequestResult identity;
        try
        {
            identity = await _authentication.AuthenticateRequestAsync(activity, authHeader, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // Malformed, unsigned, expired, foreign or unverifiable (signing keys unreachable):
            // all the same to the caller. The reason is for the log, without a stack trace.
            _logger.LogWarning("Refused a {ActivityType} activity from channel {ChannelId}: the token was not accepted ({Reason}).",
                activity.Type, activity.ChannelId, Reason(e));
            await RefuseAsync(http, StatusCodes.Status401Unauthorized, "Unauthorized.").ConfigureAwait(false);
            return;
        }

        var invokeResponse = await _adapter.ProcessAuthenticatedAsync(identity, activity, _bot, cancellationToken).ConfigureAwait(false);
        await WriteAsync(http.Response, invokeResponse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Null when the Authorization header is acceptable to pass on, else why not.</summary>
    private string? CheckAuthorizationHeader(HttpRequest request, out string authHeader)
    {
        authHeader = "";
        var present = request.Headers.TryGetValue("Authorization", out var values);
        if (!_authenticationOn)
        {
            return present
                ? "an Authorization header was sent but authentication is off (no MicrosoftAppId), so no token can be verified."
                : null;
        }
        if (!present || values.Count == 0)
        {
            return "no Authorization header.";
        }
        if (values.Count > 1)
        {
            return "more than one Authorization header.";
        }
        var header = values[0] ?? "";
        if (header.Length > MaxAuthorizationHeaderLength)
        {
            return $"the Authorization header is {header.Length} characters long (at most {MaxAuthorizationHeaderLength}).";
        }
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return "the Authorization header is not a Bearer token.";
        }
        var token = header["Bearer ".Length..];
        if (token.Length == 0 || token.Trim().Length == 0)
        {
            return "the Bearer token is empty.";
        }
        if (!IsCompactJws(token))
        {
            return "the Bearer token is not a signed JSON Web Token (three base64url segments).";
        }
        authHeader = header;
        return null;
    }

    /// <summary>header.payload.signature, each base64url (the signature may be checked, and refused, later).</summary>
    private static bool IsCompactJws(string token)
    {
        var parts = token.Split('.');
        return parts.Length == 3
            && parts[0].Length > 0 && parts[1].Length > 0
            && parts.All(p => p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
    }

    private static bool IsLoopback(IPAddress? remote) => remote != null && IPAddress.IsLoopback(remote);

    private static async Task<Activity?> ReadActivityAsync(HttpRequest request)
    {
        try
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
            var text = await reader.ReadToEndAsync().ConfigureAwait(false);
            using var json = new JsonTextReader(new StringReader(text));
            return Serializer.Deserialize<Activity>(json);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException or InvalidCastException or OverflowException or NotSupportedException)
        {
            return null;
        }
    }

    private static async Task WriteAsync(HttpResponse response, InvokeResponse? invokeResponse, CancellationToken cancellationToken)
    {
        if (invokeResponse == null)
        {
            response.StatusCode = StatusCodes.Status200OK;
            return;
        }
        response.StatusCode = invokeResponse.Status;
        if (invokeResponse.Body != null)
        {
            response.ContentType = "application/json";
            var json = JsonConvert.SerializeObject(invokeResponse.Body, SerializerSettings);
            await response.WriteAsync(json, Encoding.UTF8, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Task RefuseAsync(HttpContext http, int status, string error)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new { error }, http.RequestAborted);
    }

    /// <summary>The first line of what went wrong, short: identity libraries put whole stack traces into messages.</summary>
    private static string Reason(Exception e)
    {
        var message = e.Message;
        var end = message.IndexOfAny(['\r', '\n']);
        if (end >= 0)
        {
            message = message[..end];
        }
        if (message.Length > 300)
        {
            message = message[..300] + "…";
        }
        return e.GetType().Name + ": " + message;
    }
}
