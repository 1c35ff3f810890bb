using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace ChatRegs.Bot.Conversations;

/// <summary>
/// Captures the conversation and sender of every incoming turn before features run. The bot's
/// own proactive turns (ContinueConversation) are left out: their activity is made from a
/// reference read from the store, so there is nothing new to record, and writing it back would
/// cost two round trips per reminder on an instance that has not seen the person yet.
/// </summary>
public sealed class ConversationReferenceMiddleware : IMiddleware
{
    private readonly ConversationReferenceStore _store;

    public ConversationReferenceMiddleware(ConversationReferenceStore store)
    {
        _store = store;
    }

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        var activity = turnContext.Activity;
        if (!(activity.Type == ActivityTypes.Event && activity.Name == ActivityEventNames.ContinueConversation))
        {
            await _store.CaptureAsync(activity, cancellationToken).ConfigureAwait(false);
        }
        await next(cancellationToken).ConfigureAwait(false);
    }
}
