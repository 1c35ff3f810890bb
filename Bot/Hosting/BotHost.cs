using System.Net;
using ChatRegs.Bot.DevChannel;
using ChatRegs.Bot.Storage;
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
            // No app id means no Bot Framework authentication: only ever reachable from this
            // machine. MessagesEndpoint checks every request's remote address as well, since
            // Kestrel:Endpoints, IIS or a reverse proxy can bypass the urls setting.
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
        // Traces and metrics, exported only where the configuration says (Hosting/TelemetrySetup.cs).
        builder.Services.AddChatRegsTelemetry(builder.Configuration);
        builder.Services.AddSingleton<MessagesEndpoint>();
        if (DevChannelExtensions.IsEnabled(builder.Environment, builder.Configuration))
        {
            // The local chat channel (Web Chat at /): Development with no app id only, never in Production.
            builder.Services.AddDevChannel();
        }
    }

    public const string AppIdSetting = "MicrosoftAppId";
    public const string AllowedTenantsSetting = "ChatRegs:AllowedTenants";

    /// <summary>Bot Framework authentication is on when an app id is configured.</summary>
    public static bool AuthenticationOn(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[AppIdSetting]);

    /// <summary>
    /// Refuses to start a deployment that would trust what it cannot check: outside
    /// Development, an app id (so Bot Framework authentication is on) and an explicit tenant
    /// allow-list (tenant ids, or <c>"*"</c> for a bot that truly serves any tenant) are required.
    /// </summary>
    public static void Validate(IConfiguration configuration, IHostEnvironment environment)
    {
        // The storage account, in every environment: a clear message now rather than a failing first turn.
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        if (StorageAccount.Problem(storage) is { } storageProblem)
        {
            throw new InvalidOperationException(storageProblem);
        }
        if (environment.IsDevelopment())
        {
            return;
        }
        if (!AuthenticationOn(configuration))
        {
            throw new InvalidOperationException(
                $"{AppIdSetting} is not configured, so Bot Framework authentication would be off; that is allowed in the Development environment only " +
                $"(this is '{environment.EnvironmentName}'). Set {AppIdSetting} and its secret MicrosoftAppPassword (App Service settings, Key Vault references), " +
                "or run with ASPNETCORE_ENVIRONMENT=Development for local development on loopback.");
        }
        var tenants = configuration.GetSection(AllowedTenantsSetting).Get<string[]>() ?? [];
        if (!tenants.Any(t => !string.IsNullOrWhiteSpace(t)))
        {
            throw new InvalidOperationException(
                $"{AllowedTenantsSetting} is empty: outside Development the tenants the bot serves must be listed (their tenant ids), " +
                $"or [\"*\"] set explicitly for a bot that serves any tenant.");
        }
    }

    public static void Map(WebApplication app)
    {
        Validate(app.Configuration, app.Environment);
        if (!AuthenticationOn(app.Configuration))
        {
            app.Logger.LogWarning(
                "No {Setting} configured: Bot Framework authentication is OFF. Development only; {Path} answers loopback callers only.",
                AppIdSetting, MessagesEndpoint.Path);
        }
        else
        {
            app.Logger.LogInformation("Bot Framework authentication is on for app id {AppId}; channels accepted: {Channels}.",
                app.Configuration[AppIdSetting], string.Join(", ", MessagesEndpoint.AllowedChannels(app.Configuration).Order()));
        }

        app.Logger.LogInformation("Table Storage: {Account}.", StorageAccount.Describe(app.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions()));
        var exporters = TelemetrySetup.Exporters(app.Configuration);
        app.Logger.LogInformation("Telemetry (traces and metrics): {Exporters}.", exporters.Count == 0 ? "not exported (no exporter configured)" : "exported to " + string.Join(" and ", exporters));

        app.MapPost(MessagesEndpoint.Path, (HttpContext http, MessagesEndpoint endpoint) => endpoint.HandleAsync(http));
        // A readiness probe: Microsoft 365 Agents Playground and the Agents Toolkit wait for the bot
        // with HEAD before they connect. No turn, no body; what it tells (the path exists) a 405 told too.
        app.MapMethods(MessagesEndpoint.Path, [HttpMethods.Head], () => Results.Ok());

        // Anonymous callers learn up or down, nothing else: the reason goes to the log.
        app.MapGet("/healthz", async (StorageHealthCheck health, ILoggerFactory loggers, CancellationToken ct) =>
        {
            var problem = await health.CheckAsync(ct);
            if (problem == null)
            {
                return Results.Json(new { status = "ok" });
            }
            loggers.CreateLogger(typeof(BotHost).FullName!).LogWarning("Health check: unavailable. {Reason}", problem);
            return Results.Json(new { status = "unavailable" }, statusCode: StatusCodes.Status503ServiceUnavailable);
        });

        // The Teams tabs' pages and JSON API (Tabs/TabsServices.cs): every environment, SSO-guarded.
        Tabs.TabsServices.MapTabs(app);

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
