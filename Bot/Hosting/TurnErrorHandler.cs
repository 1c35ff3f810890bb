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
/// <item>a record too large for Table Storage (<see cref="RecordTooLargeException"/>, or the
/// service's own EntityTooLarge / PropertyValueTooLarge): nothing was saved and retrying cannot
/// help, so the user is told to shorten what they entered; state is left alone so the form they
/// sent is still there to shorten. Logged as a warning: it is the input, not the bot.</item>
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
        var tooLarge = IsTooLarge(exception);
        var storageProblem = tooLarge || StorageProblems.Is(exception);
        if (storageProblem && !tooLarge && SavedTurns.IsSaved(turnContext))
        {
            _logger.LogWarning(exception, "Storage failed in a {ActivityType} turn of conversation {ConversationId} after its change was saved and confirmed.",
                turnContext.Activity?.Type, turnContext.Activity?.Conversation?.Id);
            return;
        }
        if (tooLarge)
        {
            _logger.LogWarning("A record too large for Table Storage was refused in a {ActivityType} turn of conversation {ConversationId}: {Reason}",
                turnContext.Activity?.Type, turnContext.Activity?.Conversation?.Id, exception.GetBaseException().Message);
        }
        else if (storageProblem && StorageProblems.IsTransient(exception))
        {
            // Busy, slow or changed meanwhile: the person is told "not saved, try again", and that works.
            _logger.LogWarning("Storage was busy, slow or changed meanwhile in a {ActivityType} turn of conversation {ConversationId}; the person was told it was not saved: {Reason}",
                turnContext.Activity?.Type, turnContext.Activity?.Conversation?.Id, exception.GetBaseException().Message);
        }
        else
        {
            _logger.LogError(exception, "Unhandled error in a {ActivityType} turn of conversation {ConversationId} (storage problem: {StorageProblem}).",
                turnContext.Activity?.Type, turnContext.Activity?.Conversation?.Id, storageProblem);
        }

        try
        {
            if (turnContext.Activity?.Type is ActivityTypes.Message or ActivityTypes.Invoke)
            {
                var message = _localizer.Get(turnContext.Activity.Locale ?? "", tooLarge ? "common.tooLarge" : storageProblem ? "common.notSaved" : "common.error");
                if (turnContext.Activity.Type == ActivityTypes.Invoke)
                {
                    await AnswerInvokeAsync(turnContext, message).ConfigureAwait(false);
                }
                else
                {
                    await turnContext.SendActivityAsync(MessageFactory.Text(message)).ConfigureAwait(false);
                }
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

    /// <summary>
    /// An invoke whose turn failed before it was answered would get the adapter's 501 (no
    /// answer set): Teams then shows its own "something went wrong" on the card. It is answered
    /// instead, 200, with the same message a chat turn gets, in the card's own message area
    /// (an Action.Execute's "message" response), and no separate chat message: the connector
    /// may be what failed, and the person is looking at the card.
    /// </summary>
    private static async Task AnswerInvokeAsync(ITurnContext turnContext, string message)
    {
        if (turnContext.TurnState.ContainsKey(BotAdapter.InvokeResponseKey))
        {
            // Already answered (e.g. file consent is acknowledged before its upload runs).
            return;
        }
        var answer = new AdaptiveCardInvokeResponse { StatusCode = 200, Type = "application/vnd.microsoft.activity.message", Value = message };
        await turnContext.SendActivityAsync(new Activity { Type = ActivityTypesEx.InvokeResponse, Value = new InvokeResponse { Status = 200, Body = answer } }).ConfigureAwait(false);
    }

    /// <summary>A record Table Storage would not (or did not) take for its size: saving it again cannot succeed.</summary>
    public static bool IsTooLarge(Exception exception) => exception switch
    {
        RecordTooLargeException => true,
        RequestFailedException { ErrorCode: "EntityTooLarge" or "PropertyValueTooLarge" or "RequestBodyTooLarge" } => true,
        AggregateException agg => agg.InnerExceptions.Any(IsTooLarge),
        _ when exception.InnerException != null => IsTooLarge(exception.InnerException),
        _ => false,
    };
}
