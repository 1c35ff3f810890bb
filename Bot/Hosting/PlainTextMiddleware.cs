using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace ChatRegs.Bot.Hosting;

/// <summary>
/// Every text message the bot sends (replies, updates and proactive messages alike) is marked
/// <c>textFormat: plain</c> unless the sender chose a format on purpose. Teams renders a
/// message's text as Markdown by default, so a suggestion title, a meeting name or a person's
/// display name quoted in a plain message could otherwise show as a link, an image or bold
/// text. None of the bot's own strings use Markdown; cards escape user text themselves
/// (<see cref="ChatRegs.Bot.Cards.CardFactory"/>), this does the same for text messages, in one place.
/// </summary>
public sealed class PlainTextMiddleware : IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(next);
        turnContext.OnSendActivities((_, activities, nextSend) =>
        {
            foreach (var activity in activities)
            {
                MarkPlain(activity);
            }
            return nextSend();
        });
        turnContext.OnUpdateActivity((_, activity, nextUpdate) =>
        {
            MarkPlain(activity);
            return nextUpdate();
        });
        await next(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Marks a message with text and no chosen format as plain text.</summary>
    public static void MarkPlain(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (activity.Type == ActivityTypes.Message && !string.IsNullOrEmpty(activity.Text) && string.IsNullOrEmpty(activity.TextFormat))
        {
            activity.TextFormat = TextFormatTypes.Plain;
        }
    }
}
