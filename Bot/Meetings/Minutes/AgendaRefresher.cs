using ChatRegs.Bot.Meetings.Agenda;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Meetings.Minutes;

/// <summary>
/// Keeps the posted agenda card of a series' next meeting in step with its 上次会议决议落实情况:
/// when an action item changes and that card was already posted to the meeting's conversation,
/// the card is updated in place (<see cref="AgendaPublisher"/>, the connector's UpdateActivity).
/// Never fails the change that triggered it: a problem is logged, and the host's review card
/// shows the posted agenda as out of date, to be posted again by hand.
/// </summary>
public sealed class AgendaRefresher(AgendaService agenda, AgendaPublisher publisher, ILogger<AgendaRefresher> logger)
{
    public async Task RefreshAsync(ITurnContext turn, string tenantId, string seriesId, CancellationToken cancellationToken)
    {
        try
        {
            var snapshot = await agenda.Cache.GetAsync(tenantId, seriesId, cancellationToken).ConfigureAwait(false);
            var next = snapshot == null ? null : agenda.NextOf(snapshot, notStarted: false);
            if (snapshot == null || next == null || string.IsNullOrEmpty(snapshot.Series.ConversationId))
            {
                return;
            }
            var context = await agenda.LoadAsync(tenantId, next.Key, cancellationToken).ConfigureAwait(false);
            var post = context?.State.Post;
            if (context == null || post is not { ActivityId.Length: > 0 }
                || !AgendaService.SameConversation(post.ConversationId, snapshot.Series.ConversationId)
                || post.Fingerprint == AgendaService.Fingerprint(context))
            {
                return;
            }
            var outcome = await publisher.PublishAsync(turn, context, cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Agenda card of {Occurrence} refreshed after an action item changed: {Published}.", next.Key, outcome.Published);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "The posted agenda of series {SeriesId} could not be refreshed.", seriesId);
        }
    }
}
