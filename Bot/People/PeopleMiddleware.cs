using ChatRegs.Bot.Conversations;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.People;

/// <summary>
/// First contact: whoever sends a message or presses a card button is in the directory from
/// then on, with their current name and language. (Cached per process: no extra round trip
/// on later turns; the first one is buffered and written in a batch off the turn's path.)
/// </summary>
public sealed class PeopleMiddleware(PeopleDirectory people) : IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        var activity = turnContext.Activity;
        var tenant = Tenants.Of(activity);
        if (tenant != null && activity.From?.Id != null && activity.From.Role != RoleTypes.Bot
            && activity.Type is ActivityTypes.Message or ActivityTypes.Invoke)
        {
            await people.EnsureKnownAsync(tenant, activity.From.Id, activity.From.Name, activity.From.AadObjectId, null, activity.Locale, cancellationToken, offThePath: true).ConfigureAwait(false);
        }
        await next(cancellationToken).ConfigureAwait(false);
    }
}
