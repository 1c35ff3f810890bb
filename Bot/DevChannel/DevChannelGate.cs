using System.Net;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.WebUtilities;

namespace ChatRegs.Bot.DevChannel;

/// <summary>Marks the endpoints of the local chat channel; <see cref="DevChannelGate"/> guards every one.</summary>
public sealed class DevChannelEndpoint
{
    public static readonly DevChannelEndpoint Instance = new();

    private DevChannelEndpoint()
    {
    }
}

/// <summary>
/// Lets through only requests that come from the page the developer opened, on this machine.
/// Every endpoint of the channel (the page and its files, Direct Line, the connector endpoints
/// the bot calls, files, meeting buttons, notify) needs all of:
/// <list type="number">
/// <item>a loopback caller (otherwise the channel does not exist for it: 404);</item>
/// <item>a <c>Host</c> of <c>localhost</c>, <c>127.0.0.1</c> or <c>[::1]</c>, so a DNS-rebound
/// name (evil.example resolving to 127.0.0.1) or a tunnel that keeps its own host gets 403;</item>
/// <item>no foreign <c>Origin</c> (and no cross-site / same-site <c>Sec-Fetch-Site</c>), so a web
/// page open in the developer's browser, including one on another localhost port, gets 403;</item>
/// <item>the start-up secret (<see cref="DevChannelKey"/>): the cookie set when the printed
/// address is opened, or the <see cref="DevChannelKey.HeaderName"/> header (the bot's own calls,
/// scripts). Missing or wrong: 403.</item>
/// </list>
/// A GET carrying the right key in <c>?key=</c> gets the cookie and a redirect to the same
/// address without the key (so it stays out of the history and of Referer headers).
/// Refusals are logged as warnings (never the key), and answered in Chinese then English.
/// </summary>
public sealed class DevChannelGate(RequestDelegate next, DevChannelKey key, Localization.Localizer localizer, ILogger<DevChannelGate> logger)
{
    private static readonly string[] LoopbackNames = ["localhost", "127.0.0.1", "::1"];

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<DevChannelEndpoint>() == null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var request = context.Request;
        if (context.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote))
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, "notLoopback");
            return;
        }
        if (!IsLoopbackHost(request.Host))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "foreignHost");
            return;
        }
        if (!IsOwnOrigin(request))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "foreignOrigin");
            return;
        }

        var queryKey = request.Query[DevChannelKey.QueryName];
        if (queryKey.Count > 0)
        {
            if (!HttpMethods.IsGet(request.Method) || queryKey.Count != 1 || !key.Matches(queryKey[0]))
            {
                await RefuseAsync(context, StatusCodes.Status403Forbidden, "wrongKey");
                return;
            }
            SwapForCookie(context);
            return;
        }

        var presented = request.Headers[DevChannelKey.HeaderName];
        var cookie = request.Cookies[DevChannelKey.CookieName(request)];
        if (presented.Count == 0 && cookie == null)
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "noKey");
            return;
        }
        if (presented.Count > 1 || (presented.Count == 1 ? !key.Matches(presented[0]) : !key.Matches(cookie)))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "wrongKey");
            return;
        }
        await next(context).ConfigureAwait(false);
    }

    /// <summary>localhost, 127.0.0.1 or [::1] (any port); anything else is someone else's name for this machine.</summary>
    public static bool IsLoopbackHost(HostString host)
    {
        if (!host.HasValue)
        {
            return false;
        }
        var name = host.Host;
        if (name.StartsWith('[') && name.EndsWith(']'))
        {
            name = name[1..^1];
        }
        return LoopbackNames.Contains(name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>No Origin (not a cross-origin browser request) or exactly this server's; and no cross-site fetch metadata.</summary>
    private static bool IsOwnOrigin(HttpRequest request)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"];
        if (fetchSite.Any(s => string.Equals(s, "cross-site", StringComparison.OrdinalIgnoreCase) || string.Equals(s, "same-site", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }
        var origins = request.Headers.Origin;
        if (origins.Count == 0)
        {
            return true;
        }
        var own = request.Scheme + "://" + request.Host.Value;
        return origins.Count == 1 && string.Equals(origins[0], own, StringComparison.OrdinalIgnoreCase);
    }

    private void SwapForCookie(HttpContext context)
    {
        var request = context.Request;
        context.Response.Cookies.Append(DevChannelKey.CookieName(request), key.Value, new CookieOptions
        {
            Path = "/",
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = request.IsHttps,
            IsEssential = true,
        });
        var rest = new QueryBuilder(QueryHelpers.ParseQuery(request.QueryString.Value)
            .Where(p => !string.Equals(p.Key, DevChannelKey.QueryName, StringComparison.OrdinalIgnoreCase)));
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = request.PathBase + request.Path + rest.ToQueryString();
    }

    private async Task RefuseAsync(HttpContext context, int status, string reason)
    {
        var request = context.Request;
        logger.LogWarning("Local chat channel: refused {Method} {Path} ({Reason}; Host {Host}, Origin {Origin}).",
            request.Method, request.Path.Value, reason, request.Host.Value, request.Headers.Origin.ToString());
        if (status == StatusCodes.Status404NotFound)
        {
            context.Response.StatusCode = status;
            return;
        }
        var message = localizer.Get(Localization.Localizer.Chinese, "devchannel." + reason) + "\n" + localizer.Get(Localization.Localizer.English, "devchannel." + reason);
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        if (request.Path == "/" || request.Path.StartsWithSegments("/devchannel/page") || request.Path.StartsWithSegments("/devchannel/lib"))
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(message).ConfigureAwait(false);
            return;
        }
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(
            new Newtonsoft.Json.Linq.JObject { ["error"] = new Newtonsoft.Json.Linq.JObject { ["code"] = "DevChannelRefused", ["message"] = message } }.ToString(Newtonsoft.Json.Formatting.None)).ConfigureAwait(false);
    }
}

/// <summary>
/// The bot's own proof on calls to its serviceUrl: its connector client (and the file upload)
/// present the key in <see cref="DevChannelKey.HeaderName"/>, on any HttpClient from the
/// factory, but only to this channel's own endpoints (a serviceUrl the channel handed out, or
/// one of its listening addresses, under <c>/devchannel/</c>), so the key never goes anywhere else.
/// </summary>
public sealed class DevChannelBotProof(DevChannelKey key) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (key.IsOwnChannel(request.RequestUri))
        {
            request.Headers.Remove(DevChannelKey.HeaderName);
            request.Headers.Add(DevChannelKey.HeaderName, key.Value);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
