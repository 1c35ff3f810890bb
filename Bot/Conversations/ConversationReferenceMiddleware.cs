using Microsoft.Bot.Builder;

using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace ChatRegs.Bot.Conversations;

/// <summary>Captures the conversation and sender of every incoming turn before features run.</summary>
public sealed class ConversationReferenceMiddleware : IMiddleware
{
    private readonly ConversationReferenceStore _store;

    public ConversationReferenceMiddleware(ConversationReferenceStore store)
    {
        _store = store;
    }

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        await _store.CaptureAsync(turnContext.Activity, cancellationToken).ConfigureAwait(false);
        await next(cancellationToken).ConfigureAwait(false);
    }
}
