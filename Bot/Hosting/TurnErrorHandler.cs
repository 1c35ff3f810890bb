using Azure;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.TraceExtensions;
using Microsoft.Bot.Schema;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Hosting;

/// <summary>
/// What happens when a turn throws (the adapter's OnTurnError). Logs the failure, tells the
/// user in their language (never the exception text), and decides about conversation state:
/// <list type="bullet">
/// <item>a storage conflict (another turn or bot instance saved first) or a storage outage:
/// the user is told it was not saved and to try again; state is left alone, because it is not
/// broken and may hold someone else's newer write;</item>
/// <item>anything else: the conversation state is cleared, so a broken dialog cannot fail
/// every following turn.</item>
/// </list>
/// Only turns a person caused (a message or a card action) get a message; a failed
/// conversation update is logged only.
/// </summary>
public sealed class TurnErrorHandler
{
    private readonly ILogger<TurnErrorHandler> _logger;
    private readonly ConversationState _conversationState;
    private readonly Localizer _localizer;
    private readonly PrivateConversationState? _privateState;

    public TurnErrorHandler(ILogger<TurnErrorHandler> logger, ConversationState conversationState, Localizer localizer, PrivateConversationState? privateState = null)
    {
        _privateState = privateState;
        _logger = logger;
        _conversationState = conversationState;
        _localizer = localizer;
    }

    public async Task HandleAsync(ITurnContext turnContext, Exception exception)
    {
        var storageProblem = StorageProblems.Is(exception);
        _logger.LogError(exception, "Unhandled error in a {ActivityType} turn of conversation {ConversationId} (storage problem: {StorageProblem}).",
            turnContext.Activity?.Type, turnContext.Activity?.Conversation?.Id, storageProblem);

        try
        {
            if (turnContext.Activity?.Type is ActivityTypes.Message or ActivityTypes.Invoke)
            {
                var message = _localizer.Get(turnContext.Activity.Locale ?? "", storageProblem ? "common.notSaved" : "common.error");
                await turnContext.SendActivityAsync(MessageFactory.Text(message)).ConfigureAwait(false);
            }
            await turnContext.TraceActivityAsync("OnTurnError Trace", exception.GetType().Name, "https://www.botframework.com/schemas/error", "TurnError").ConfigureAwait(false);
        }
        catch (Exception sendFailure)
        {
            _logger.LogError(sendFailure, "Could not tell the user about the error.");
        }

        if (!storageProblem)
        {
            try
            {
                await _conversationState.DeleteAsync(turnContext).ConfigureAwait(false);
                // The sender's own flow in a group chat or channel (Routing/DialogHost).
                if (_privateState != null && turnContext.Activity != null && Routing.DialogHost.IsShared(turnContext.Activity) && !string.IsNullOrEmpty(turnContext.Activity.From?.Id))
                {
                    await _privateState.DeleteAsync(turnContext).ConfigureAwait(false);
                }
            }
            catch (Exception deleteFailure)
            {
                _logger.LogError(deleteFailure, "Could not clear the conversation state after an error.");
            }
        }
    }
}
