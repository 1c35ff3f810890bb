using Azure;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.TraceExtensions;
using Microsoft.Bot.Schema;

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

    /// <summary>
    /// Set by a feature once the turn's change is saved and the user told so
    /// (<see cref="MarkSaved"/>): a storage failure after that (typically the conversation state
    /// written at the end of the turn) must not add "not saved" to the "saved" the user already
    /// has. The change is idempotent, so a form left open by the failed state write saves the same
    /// change again if pressed.
    /// </summary>
    public const string SavedKey = "ChatRegs.ChangeSaved";

    public static void MarkSaved(ITurnContext turnContext) => turnContext.TurnState[SavedKey] = true;

    public async Task HandleAsync(ITurnContext turnContext, Exception exception)
    {
        var storageProblem = IsStorageProblem(exception);
        var savedAlready = storageProblem && turnContext.TurnState.ContainsKey(SavedKey);
        if (savedAlready)
        {
            _logger.LogWarning(exception, "Storage failed in a {ActivityType} turn of conversation {ConversationId} after its change was saved and confirmed.",
                turnContext.Activity?.Type, turnContext.Activity?.Conversation?.Id);
            return;
        }
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

    public static bool IsStorageProblem(Exception exception) => exception switch
    {
        StorageConflictException => true,
        RequestFailedException => true,
        // The Azure SDK's network timeout (retries exhausted) arrives as a cancellation whose
        // inner exception is a TimeoutException: storage did not answer, nothing may be saved.
        TimeoutException => true,
        OperationCanceledException { InnerException: TimeoutException } => true,
        AggregateException agg => agg.InnerExceptions.Any(IsStorageProblem),
        _ when exception.InnerException != null => IsStorageProblem(exception.InnerException),
        _ => false,
    };
}
