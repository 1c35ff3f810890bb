using System.Net;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Proactive;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.Meetings.Agenda;

/// <summary>What <see cref="AgendaPublisher.PublishAsync"/> did, in words for the person who asked.</summary>
public sealed record PublishOutcome(bool Published, string Message, AgendaContext Context);

/// <summary>
/// Posts the agenda card to the meeting's conversation (<see cref="MeetingSeries.ConversationId"/>):
/// through <see cref="ProactiveSender"/> and the stored conversation reference, or as a reply
/// when the command was typed in that conversation. The posted activity's id is stored
/// (<see cref="AgendaPost"/>); posting again after a change updates that card (the
/// connector's UpdateActivity, a PUT) instead of adding another. When the card is gone
/// (deleted in Teams: 404) or the series moved to another conversation, a new card is posted.
/// One person posts at a time (a claim row held while posting, <see cref="AgendaService.ClaimPostingAsync"/>):
/// two people pressing 发布议程 at the same moment post one card, and the other is told who is posting it.
/// The card is written in the meeting chat's own language (本群语言, else the tenant's default: docs/language.md), whoever posts it.
/// </summary>
public sealed class AgendaPublisher(AgendaService agenda, AgendaCards cards, ProactiveSender sender, ConversationReferenceStore references, Localizer localizer, ILogger<AgendaPublisher> logger)
{
    public async Task<PublishOutcome> PublishAsync(ITurnContext turn, AgendaContext context, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale ?? "";
        string L(string key, params object?[] args) => localizer.Get(locale, "agenda.post." + key, args);
        var series = context.Series;
        var now = agenda.Now;
        if (context.Occurrence.End <= now)
        {
            return new PublishOutcome(false, L("over"), context);
        }
        var target = series.ConversationId;
        if (string.IsNullOrEmpty(target))
        {
            // Nowhere to post: the card comes here, to be forwarded.
            await turn.SendActivityAsync(MessageFactory.Attachment(cards.Agenda(context, locale, now, 1, posted: true)), cancellationToken).ConfigureAwait(false);
            return new PublishOutcome(false, L("noConversation", series.Name), context);
        }

        // One poster at a time: two people pressing 发布议程 at once would both see no card posted yet.
        var from = turn.Activity.From;
        var (claim, holder) = await agenda.ClaimPostingAsync(context, from?.Id ?? "", from?.Name ?? "", cancellationToken).ConfigureAwait(false);
        if (claim == null)
        {
            return new PublishOutcome(false, L("busy", holder.Length > 0 ? holder : L("someoneElse")), context);
        }
        try
        {
            // Read again under the claim: whoever held it before may have posted the card meanwhile.
            context = await agenda.ReloadAsync(context, cancellationToken).ConfigureAwait(false) ?? context;
            return await PublishClaimedAsync(turn, context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try
            {
                await agenda.ReleasePostingAsync(context, claim, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (Core.StorageProblems.Is(e))
            {
                // The claim runs out by itself (AgendaService.PostingLease).
                logger.LogWarning("The claim to post the agenda of {Occurrence} was not released ({Reason}); it runs out in {Lease}.", context.Occurrence.Key, e.GetBaseException().Message, AgendaService.PostingLease);
            }
        }
    }

    private async Task<PublishOutcome> PublishClaimedAsync(ITurnContext turn, AgendaContext context, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale ?? "";
        string L(string key, params object?[] args) => localizer.Get(locale, "agenda.post." + key, args);
        var series = context.Series;
        var now = agenda.Now;
        var target = series.ConversationId!;
        var here = turn.Activity.Conversation?.Id ?? "";
        var post = context.State.Post;
        var existing = post is { ActivityId.Length: > 0 } && AgendaService.SameConversation(post.ConversationId, target) ? post : null;
        var fingerprint = AgendaService.Fingerprint(context);
        string? conversationUsed = null;
        string? activityId = null;
        var revision = 1;
        var where = string.IsNullOrWhiteSpace(series.ConversationName) ? L("theMeetingChat") : series.ConversationName!;

        try
        {
            if (existing != null)
            {
                revision = existing.Revision + 1;
                var updated = existing.ConversationId == here
                    ? await TryUpdateAsync(turn, existing.ActivityId!, context, revision, cancellationToken).ConfigureAwait(false)
                    : await TryUpdateProactivelyAsync(context, existing, revision, cancellationToken).ConfigureAwait(false);
                if (updated == null)
                {
                    return new PublishOutcome(false, L("undeliverable", where), context);
                }
                if (updated == true)
                {
                    conversationUsed = existing.ConversationId;
                    activityId = existing.ActivityId;
                }
                else
                {
                    logger.LogInformation("The agenda card {ActivityId} of {Occurrence} is gone from {ConversationId}; posting a new one.", existing.ActivityId, context.Occurrence.Key, existing.ConversationId);
                    revision = 1;
                }
            }
            if (conversationUsed == null)
            {
                if (AgendaService.SameConversation(here, target))
                {
                    // Posted for everyone in the chat: the chat's language, not the asker's.
                    var response = await turn.SendActivityAsync(MessageFactory.Attachment(cards.Agenda(context, TurnLanguage.Chat(turn), now, 1, posted: true)), cancellationToken).ConfigureAwait(false);
                    conversationUsed = here;
                    activityId = response?.Id;
                }
                else
                {
                    string? sentId = null;
                    var result = await sender.SendToConversationAsync(series.TenantId, target, async (t, ct) =>
                    {
                        var response = await t.SendActivityAsync(MessageFactory.Attachment(cards.Agenda(context, t.Activity.Locale ?? "", now, 1, posted: true)), ct).ConfigureAwait(false);
                        sentId = response?.Id;
                    }, $"agenda.post {context.Occurrence.Key}", cancellationToken).ConfigureAwait(false);
                    if (!result.Delivered)
                    {
                        return new PublishOutcome(false, L("undeliverable", where), context);
                    }
                    conversationUsed = result.ConversationId ?? target;
                    activityId = sentId;
                }
            }
        }
        catch (ProactiveDeliveryException e)
        {
            logger.LogWarning(e, "The agenda of {Occurrence} could not be posted to {ConversationId} for now.", context.Occurrence.Key, target);
            return new PublishOutcome(false, L("tryLater", where), context);
        }

        var from = turn.Activity.From;
        await agenda.RecordPostAsync(new AgendaPost
        {
            TenantId = series.TenantId,
            OccurrenceKey = context.Occurrence.Key,
            ConversationId = conversationUsed,
            ActivityId = string.IsNullOrEmpty(activityId) ? null : activityId,
            PostedAt = now,
            PostedById = from?.Id ?? "",
            PostedByName = from?.Name ?? "",
            Revision = revision,
            Fingerprint = fingerprint,
            ETag = post?.ETag,
        }, cancellationToken).ConfigureAwait(false);
        var fresh = await agenda.ReloadAsync(context, cancellationToken).ConfigureAwait(false) ?? context;
        var message = revision > 1 ? L("updated", where, revision) : L("posted", where);
        if (string.IsNullOrEmpty(activityId))
        {
            message += L("noId");
        }
        return new PublishOutcome(true, message, fresh);
    }

    private Activity CardActivity(AgendaContext context, string locale, int revision, string activityId)
    {
        var activity = (Activity)MessageFactory.Attachment(cards.Agenda(context, locale, agenda.Now, revision, posted: true));
        activity.Id = activityId;
        return activity;
    }

    /// <returns>True when updated, false when the card is gone (post a new one).</returns>
    private async Task<bool> TryUpdateAsync(ITurnContext turn, string activityId, AgendaContext context, int revision, CancellationToken cancellationToken)
    {
        try
        {
            await turn.UpdateActivityAsync(CardActivity(context, TurnLanguage.Chat(turn), revision, activityId), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ErrorResponseException e) when (e.Response?.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
        {
            return false;
        }
    }

    /// <returns>True when updated, false when the card is gone, null when the conversation cannot be reached at all.</returns>
    private async Task<bool?> TryUpdateProactivelyAsync(AgendaContext context, AgendaPost existing, int revision, CancellationToken cancellationToken)
    {
        var tenant = context.TenantId;
        var reference = await references.GetConversationAsync(tenant, existing.ConversationId, cancellationToken).ConfigureAwait(false);
        if (reference == null)
        {
            // Posted in a thread of the channel: reach the thread through the channel's reference.
            reference = await references.GetConversationAsync(tenant, context.Series.ConversationId!, cancellationToken).ConfigureAwait(false);
            if (reference == null)
            {
                return false;
            }
            reference.Conversation = new ConversationAccount(reference.Conversation.IsGroup, reference.Conversation.ConversationType, existing.ConversationId,
                reference.Conversation.Name, tenantId: reference.Conversation.TenantId);
        }
        var gone = false;
        var result = await sender.SendAsync(tenant, reference, async (t, ct) =>
        {
            gone = !await TryUpdateAsync(t, existing.ActivityId!, context, revision, ct).ConfigureAwait(false);
        }, $"agenda.update {context.Occurrence.Key}", cancellationToken).ConfigureAwait(false);
        if (!result.Delivered)
        {
            return null;
        }
        return !gone;
    }
}
