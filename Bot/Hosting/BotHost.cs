using System.Net;
using ChatRegs.Bot.DevChannel;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace ChatRegs.Bot.Hosting;

/// <summary>How the web app is put together: configuration, listening addresses, endpoints.</summary>
public static class BotHost
{
    public const string DefaultLocalUrl = "http://localhost:3978";

    public static void Configure(WebApplicationBuilder builder)
    {
        // The one configuration file sits at the repository root and is copied next to the
        // binaries; it goes first so environment variables and the command line override it.
        builder.Configuration.Sources.Insert(0, new JsonConfigurationSource
        {
            Path = "appsettings.json",
            Optional = true,
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
        });

        var appId = builder.Configuration["MicrosoftAppId"];
        var urls = builder.Configuration["urls"] ?? builder.Configuration["ASPNETCORE_URLS"];
        if (string.IsNullOrWhiteSpace(appId))
        {
            // No app id means no Bot Framework authentication: only ever reachable from this machine.
            if (string.IsNullOrWhiteSpace(urls))
            {
                builder.WebHost.UseUrls(DefaultLocalUrl);
            }
            else if (!AllLoopback(urls))
            {
                throw new InvalidOperationException(
                    $"MicrosoftAppId is not configured, so authentication is off; refusing to listen on '{urls}'. " +
                    "Without an app id the bot listens on loopback only (e.g. http://localhost:3978).");
            }
        }
        else if (string.IsNullOrWhiteSpace(urls))
        {
            builder.WebHost.UseUrls(DefaultLocalUrl);
        }

        builder.Services.AddChatRegs(builder.Configuration);
        if (DevChannelExtensions.IsEnabled(builder.Environment, builder.Configuration))
        {
            // The local chat channel (Web Chat at /): Development with no app id only, never in Production.
            builder.Services.AddDevChannel();
        }
    }

    public static void Map(WebApplication app)
    {
        var appId = app.Configuration["MicrosoftAppId"];
        if (string.IsNullOrWhiteSpace(appId))
        {
            app.Logger.LogWarning(
                "No MicrosoftAppId configured: Bot Framework authentication is OFF. Local development only; listening on loopback ({Urls}).",
                app.Configuration["urls"] ?? DefaultLocalUrl);
        }
        else
        {
            app.Logger.LogInformation("Bot Framework authentication is on for app id {AppId}.", appId);
        }

        app.MapPost("/api/messages", async (HttpContext http, IBotFrameworkHttpAdapter adapter, IBot bot) =>
        {
            // Read the body twice: once to check its shape, once in the adapter.
            http.Request.EnableBuffering();
            var problem = await ActivityShape.CheckAsync(http.Request, http.RequestAborted);
            if (problem != null)
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                await http.Response.WriteAsJsonAsync(new { error = problem }, http.RequestAborted);
                return;
            }
            await adapter.ProcessAsync(http.Request, http.Response, bot, http.RequestAborted);
        });

        app.MapGet("/healthz", async (StorageHealthCheck health, CancellationToken ct) =>
        {
            var problem = await health.CheckAsync(ct);
            return problem == null
                ? Results.Json(new { status = "ok", storage = "ok" })
                : Results.Json(new { status = "unavailable", storage = problem }, statusCode: StatusCodes.Status503ServiceUnavailable);
        });

        if (DevChannelExtensions.IsEnabled(app.Environment, app.Configuration))
        {
            app.MapDevChannel();
        }
    }

    public static bool AllLoopback(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(url =>
        {
            var host = url.Contains("://") ? url.Split("://", 2)[1] : url;
            host = host.Split('/')[0];
            if (host.StartsWith('['))
            {
                host = host[1..host.IndexOf(']')];
            }
            else if (host.Contains(':'))
            {
                host = host[..host.LastIndexOf(':')];
            }
            return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
        });
}
