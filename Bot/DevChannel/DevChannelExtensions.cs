using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Net;

namespace ChatRegs.Bot.DevChannel;

/// <summary>
/// The local chat channel: talk to the bot without Teams. It exists only in Development AND
/// with no MicrosoftAppId configured (<see cref="IsEnabled"/>): BotHost registers and maps it
/// only then, so in Production, or wherever the bot authenticates as a real app, none of its
/// routes exist. It serves:
/// <list type="bullet">
/// <item>a page at <c>/</c> hosting Web Chat, with a switcher for the sample people and chats;</item>
/// <item>Direct Line 3.0-compatible endpoints (<c>/v3/directline/…</c>) for Web Chat;</item>
/// <item>the Bot Connector / Teams endpoints the bot calls on its serviceUrl (<c>/devchannel/v3/…</c>, <c>/devchannel/v1/meetings/…</c>);</item>
/// <item>the page's helpers (<c>/devchannel/people</c>, <c>session</c>, <c>notify</c>, <c>meeting</c>).</item>
/// </list>
/// What people send reaches the bot as Teams traffic does (channelId msteams, Teams ids and
/// channel data) through the bot's own CloudAdapter, so every feature runs its Teams code path.
/// Every route answers only a loopback caller addressing localhost that proves it holds the
/// start-up key (<see cref="DevChannelGate"/>); the bot logs the page's address with the key
/// when it starts ("Local chat page: http://localhost:3978/?key=…").
/// </summary>
public static class DevChannelExtensions
{
    /// <summary>Development, and no app id: the only setting where the channel exists.</summary>
    public static bool IsEnabled(IHostEnvironment environment, IConfiguration configuration) =>
        environment.IsDevelopment() && string.IsNullOrWhiteSpace(configuration["MicrosoftAppId"]);

    public static IServiceCollection AddDevChannel(this IServiceCollection services)
    {
        services.AddSingleton<DevChannelKey>();
        services.AddSingleton<DevTranscripts>();
        services.AddSingleton<DevTeams>();
        services.AddSingleton<DevMeeting>();
        services.AddSingleton<DevMeetingEffect>();
        services.AddSingleton<DevSeeder>();
        services.AddSingleton<DevProactive>();
        services.AddSingleton<DevFiles>();
        // Accepted exports are uploaded to the channel's own files endpoint (under its loopback serviceUrl).
        services.Replace(ServiceDescriptor.Singleton(Exports.ExportUploadNetwork.LocalChannel));
        // The bot's calls to its own serviceUrl (connector, file upload) present the key.
        services.AddTransient<DevChannelBotProof>();
        services.ConfigureHttpClientDefaults(client => client.AddHttpMessageHandler<DevChannelBotProof>());
        return services;
    }

    public static void MapDevChannel(this WebApplication app)
    {
        if (!IsEnabled(app.Environment, app.Configuration))
        {
            // Belt and braces: BotHost already asks IsEnabled before calling this.
            app.Logger.LogWarning("Local chat channel: not mapped (it exists only in Development with no MicrosoftAppId).");
            return;
        }
        var key = app.Services.GetRequiredService<DevChannelKey>();
        app.UseMiddleware<DevChannelGate>();
        var dev = app.MapGroup("").WithMetadata(DevChannelEndpoint.Instance);
        DevPage.Map(dev, app.Environment, app.Logger);
        DirectLineEndpoints.Map(dev);
        ConnectorEndpoints.Map(dev);
        DevChannelApi.Map(dev);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = ListeningAddresses(app);
            foreach (var address in addresses)
            {
                // References stored before a restart name this port under any loopback name.
                if (Uri.TryCreate(PageBase([address]), UriKind.Absolute, out var own))
                {
                    foreach (var host in new[] { "localhost", "127.0.0.1", "[::1]" })
                    {
                        key.Trust($"{own.Scheme}://{host}:{own.Port}/devchannel/");
                    }
                }
            }
            app.Logger.LogInformation("Local chat page: {Address} (Development only; the key is new at every start)", key.PageAddress(PageBase(addresses)));
        });
    }

    private static ICollection<string> ListeningAddresses(WebApplication app) =>
        app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];

    /// <summary>The address a developer opens: the first listening address, "localhost" for a wildcard or none.</summary>
    public static string PageBase(ICollection<string> urls)
    {
        var url = urls.FirstOrDefault(u => u.Contains("://localhost", StringComparison.OrdinalIgnoreCase)) ?? urls.FirstOrDefault();
        if (url == null)
        {
            return "http://localhost";
        }
        if (Uri.TryCreate(url.Replace("://+", "://localhost").Replace("://*", "://localhost"), UriKind.Absolute, out var uri))
        {
            var host = uri.Host is "0.0.0.0" or "[::]" || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && !IPAddress.IsLoopback(ip)) ? "localhost" : uri.Host;
            return $"{uri.Scheme}://{host}:{uri.Port}";
        }
        return url.TrimEnd('/');
    }
}
