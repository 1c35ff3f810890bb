using Azure;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Integration.AspNet.Core;
using Microsoft.Bot.Builder.TraceExtensions;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;

using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace ChatRegs.Bot.Hosting;

/// <summary>
/// The CloudAdapter every turn goes through (Teams traffic and the local dev channel alike),
/// with the bot's middleware and its error handler.
/// </summary>
public sealed class ChatRegsAdapter : CloudAdapter
{
    public ChatRegsAdapter(
        BotFrameworkAuthentication auth,
        ILogger<ChatRegsAdapter> logger,
        TurnErrorHandler errorHandler,
        IEnumerable<IMiddleware> middleware)
        : base(auth, logger)
    {
        foreach (var m in middleware)
        {
            Use(m);
        }
        OnTurnError = errorHandler.HandleAsync;
    }

    /// <summary>
    /// Runs the turn of an activity whose request <see cref="MessagesEndpoint"/> has already
    /// authenticated (so a refused token is its 401 and warning, not an error logged here).
    /// </summary>
    public Task<InvokeResponse> ProcessAuthenticatedAsync(AuthenticateRequestResult identity, Activity activity, IBot bot, CancellationToken cancellationToken)
    {
        ActivityLimits.Apply(activity);
        return ProcessActivityAsync(identity, activity, bot.OnTurnAsync, cancellationToken);
    }
}
