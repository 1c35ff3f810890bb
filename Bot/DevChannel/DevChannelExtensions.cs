using System.Net;

namespace ChatRegs.Bot.DevChannel;

/// <summary>
/// The local chat channel: talk to the bot without Teams. Development only — BotHost registers
/// and maps it only when the environment is Development, so in Production none of its routes
/// exist. It serves:
/// <list type="bullet">
/// <item>a page at <c>/</c> hosting Web Chat, with a switcher for the sample people and chats;</item>
/// <item>Direct Line 3.0-compatible endpoints (<c>/v3/directline/…</c>) for Web Chat;</item>
/// <item>the Bot Connector / Teams endpoints the bot calls on its serviceUrl (<c>/devchannel/v3/…</c>, <c>/devchannel/v1/meetings/…</c>);</item>
/// <item>the page's helpers (<c>/devchannel/people</c>, <c>session</c>, <c>notify</c>, <c>meeting</c>).</item>
/// </list>
/// What people send reaches the bot as Teams traffic does (channelId msteams, Teams ids and
/// channel data) through the bot's own CloudAdapter, so every feature runs its Teams code path.
/// Every route answers loopback callers only.
/// </summary>
public static class DevChannelExtensions
{
    public static IServiceCollection AddDevChannel(this IServiceCollection services)
    {
        services.AddSingleton<DevTranscripts>();
        services.AddSingleton<DevTeams>();
        services.AddSingleton<DevMeeting>();
        services.AddSingleton<DevSeeder>();
        services.AddSingleton<DevProactive>();
        services.AddSingleton<DevFiles>();
        return services;
    }

    public static void MapDevChannel(this WebApplication app)
    {
        var dev = app.MapGroup("").AddEndpointFilter(async (context, next) =>
            IsLoopback(context.HttpContext) ? await next(context).ConfigureAwait(false) : Results.NotFound());
        DevPage.Map(dev, app.Environment, app.Logger);
        DirectLineEndpoints.Map(dev);
        ConnectorEndpoints.Map(dev);
        DevChannelApi.Map(dev);
        app.Logger.LogInformation("Local chat channel (Development): open / in a browser to chat with the bot as the sample people.");
    }

    /// <summary>Loopback callers only (the in-memory test server has no remote address).</summary>
    private static bool IsLoopback(HttpContext context) =>
        context.Connection.RemoteIpAddress is not { } remote || IPAddress.IsLoopback(remote);
}
