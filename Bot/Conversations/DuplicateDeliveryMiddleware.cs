using Azure;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.Routing;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.Conversations;

/// <summary>
/// Teams redelivers an activity (same id) when the bot was slow to answer; it must run once,
/// on whichever bot instance it lands. Only what a person sent is checked (messages and
/// invokes): conversation updates are idempotent already. Three guards, the cheapest that holds
/// for the turn (see <see cref="RedeliveryRoutes"/>):
/// <list type="bullet">
/// <item><b>The action itself</b>: a card action that is insert-once (the check-in: 409 = already
/// checked in, <see cref="Routing.ICardActionHandler.GuardsRedelivery"/>) answers a redelivery as
/// it answered the first delivery and counts it once, at no extra request.</item>
/// <item><b>The state row</b>: a message that goes to the guided flows (typed text, a flow's
/// form) reads the dialog state anyway; the state remembers the last
/// <see cref="AppliedActivities.Keep"/> activity ids it applied and is saved with them under its
/// ETag at the end of the turn, so a redelivery that finds its id there is dropped at the cost
/// of the read the turn makes anyway.</item>
/// <item><b>Everything else</b> (other card actions, invokes): the first delivery inserts a row
/// (<see cref="ProcessedActivityStore.ClaimAsync"/>); a redelivery finds it
/// (<see cref="SaveOutcome.AlreadyExists"/>) and is dropped.</item>
/// </list>
/// A dropped redelivery gets no reply (the first delivery answered).
/// </summary>
public sealed class DuplicateDeliveryMiddleware(ProcessedActivityStore processed, TimeProvider time, ILogger<DuplicateDeliveryMiddleware> logger, RedeliveryRoutes? routes = null) : IMiddleware
{
    private readonly ProcessedActivityStore _processed = processed;

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        var activity = turnContext.Activity;
        if (activity.Type is ActivityTypes.Message or ActivityTypes.Invoke && !string.IsNullOrEmpty(activity.Id) && activity.Conversation?.Id != null)
        {
            var route = routes?.For(activity) ?? RedeliveryRoute.Insert;
            if (route == RedeliveryRoute.Action)
            {
                await next(cancellationToken).ConfigureAwait(false);
                return;
            }
            if (route == RedeliveryRoute.State)
            {
                var applied = await routes!.AppliedAsync(turnContext, cancellationToken).ConfigureAwait(false);
                if (applied.Contains(activity.Id))
                {
                    logger.LogInformation("Ignored a second delivery of activity {ActivityId} in conversation {ConversationId} (already applied to its state).", activity.Id, activity.Conversation.Id);
                    return;
                }
                // Saved with the state at the end of the turn (ChatRegsBot), under the same ETag.
                applied.Remember(activity.Id);
                await next(cancellationToken).ConfigureAwait(false);
                return;
            }

            var claimed = await _processed.ClaimAsync(Tenants.Of(activity) ?? "", activity.Conversation.Id, activity.Id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (claimed.IsAlreadyExisting)
            {
                logger.LogInformation("Ignored a second delivery of activity {ActivityId} in conversation {ConversationId}.", activity.Id, activity.Conversation.Id);
                return;
            }
        }
        await next(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// The ProcessedActivities table: PartitionKey <c>{tenant}|{conversation}</c>, RowKey <c>{activity id}</c>
/// (both <see cref="TableKeys.Escape"/>d); columns <c>ReceivedAt</c> (for <see cref="ProcessedActivityPruner"/>)
/// and <c>Claim</c> (which delivery inserted the row).
/// </summary>
public sealed class ProcessedActivityStore(TableClient table)
{
    /// <summary>
    /// Records that this delivery of the activity is being processed: <see cref="SaveOutcome.Written"/>
    /// when it is the first, <see cref="SaveOutcome.AlreadyExists"/> (with the earlier delivery's
    /// claim) when an earlier delivery did. The claim tells our own insert apart from an earlier
    /// delivery's: when the SDK retries an insert whose first try landed but timed out, or the
    /// answer of an insert that landed is lost, the row found is our own (Written).
    /// </summary>
    public async Task<Saved<string>> ClaimAsync(string tenantId, string conversationId, string activityId, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        var claim = Guid.NewGuid().ToString("N");
        var row = new TableEntity(TableKeys.Escape(tenantId) + "|" + TableKeys.Escape(conversationId), TableKeys.Escape(activityId))
        {
            ["ReceivedAt"] = receivedAt,
            ["Claim"] = claim,
        };
        try
        {
            await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            return Saved.Written(claim, activityId);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var stored = await StoredClaimAsync(row, cancellationToken).ConfigureAwait(false);
            return stored == claim ? Saved.Written(claim, activityId) : Saved.AlreadyExists(stored, activityId);
        }
        catch (RequestFailedException e)
        {
            string? stored = null;
            try
            {
                stored = await StoredClaimAsync(row, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException)
            {
                // Cannot tell: the first failure stands.
            }
            if (stored != claim)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
            }
            return Saved.Written(claim, activityId);
        }
    }

    private async Task<string?> StoredClaimAsync(TableEntity row, CancellationToken cancellationToken)
    {
        var stored = await table.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey, ["Claim"], cancellationToken).ConfigureAwait(false);
        return stored.HasValue ? stored.Value!.GetString("Claim") : null;
    }

    /// <summary>Deletes the rows of activities received before <paramref name="cutoff"/>; returns how many.</summary>
    public async Task<int> PruneAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var deleted = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"ReceivedAt lt {cutoff}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
            deleted++;
        }
        return deleted;
    }
}

/// <summary>Deletes ProcessedActivities rows older than two days, every six hours: redeliveries come within minutes.</summary>
public sealed class ProcessedActivityPruner(ProcessedActivityStore store, TimeProvider time, ILogger<ProcessedActivityPruner> logger) : BackgroundService
{
    public static readonly TimeSpan KeepFor = TimeSpan.FromDays(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromHours(6), time, stoppingToken).ConfigureAwait(false);
                await PruneAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not prune ProcessedActivities; will try again later.");
            }
        }
    }

    public Task<int> PruneAsync(CancellationToken cancellationToken) => store.PruneAsync(time.GetUtcNow() - KeepFor, cancellationToken);
}

/// <summary>Which guard a turn needs (<see cref="DuplicateDeliveryMiddleware"/>).</summary>
public enum RedeliveryRoute
{
    /// <summary>A ProcessedActivities insert before the turn runs.</summary>
    Insert,

    /// <summary>The card action is its own guard (insert-once).</summary>
    Action,

    /// <summary>The ids the dialog state row remembers, saved with it.</summary>
    State,
}

/// <summary>
/// Decides the guard from the activity alone, as <see cref="ChatRegsBot"/> will route it: a
/// feature's card action that <see cref="CardActionRouter.GuardsRedelivery">guards itself</see>
/// → <see cref="RedeliveryRoute.Action"/>; a message that goes to the guided flows (no verb, or a
/// verb no feature handles: a flow's form) → <see cref="RedeliveryRoute.State"/>, in the state the
/// flows use (<see cref="DialogHost"/>: the conversation's in a 1:1 chat, the sender's own in a
/// shared one); anything else → <see cref="RedeliveryRoute.Insert"/>.
/// </summary>
public sealed class RedeliveryRoutes
{
    private readonly Lazy<CardActionRouter> _cardActions;
    private readonly IStatePropertyAccessor<AppliedActivities> _inConversation;
    private readonly IStatePropertyAccessor<AppliedActivities> _perPerson;

    public RedeliveryRoutes(Func<CardActionRouter> cardActions, ConversationState conversationState, PrivateConversationState privateState)
    {
        // Resolved on first use: the router's handlers are built after the middleware.
        _cardActions = new Lazy<CardActionRouter>(cardActions);
        _inConversation = conversationState.CreateProperty<AppliedActivities>(nameof(AppliedActivities));
        _perPerson = privateState.CreateProperty<AppliedActivities>(nameof(AppliedActivities));
    }

    public RedeliveryRoute For(Activity activity)
    {
        var verb = activity.Type == ActivityTypes.Invoke ? InvokeVerb(activity) : CardActionRouter.VerbOf(activity.Value);
        if (verb != null && _cardActions.Value.GuardsRedelivery(verb))
        {
            return RedeliveryRoute.Action;
        }
        if (activity.Type == ActivityTypes.Message && (verb == null || !_cardActions.Value.Handles(verb))
            && (!DialogHost.IsShared(activity) || !string.IsNullOrEmpty(activity.From?.Id)))
        {
            return RedeliveryRoute.State;
        }
        return RedeliveryRoute.Insert;
    }

    /// <summary>The ids the turn's dialog state remembers (loaded with the state: the read the flows make anyway).</summary>
    public Task<AppliedActivities> AppliedAsync(ITurnContext turnContext, CancellationToken cancellationToken) =>
        (DialogHost.IsShared(turnContext.Activity) ? _perPerson : _inConversation).GetAsync(turnContext, () => new AppliedActivities(), cancellationToken);

    /// <summary>An Action.Execute's verb (as <see cref="CardActionRouter.HandleExecuteAsync"/> reads it), or null.</summary>
    private static string? InvokeVerb(Activity activity) =>
        activity is { Name: "adaptiveCard/action" } && activity.Value is JObject value && value["action"] is JObject action
            ? (CardFields.Raw(action, "verb") ?? CardActionRouter.VerbOf(action["data"]))
            : null;
}

/// <summary>The last activity ids a conversation's (or a person's) dialog state applied: kept in that state row.</summary>
public sealed class AppliedActivities
{
    /// <summary>Teams redelivers within minutes, and a conversation does not get this many turns in between.</summary>
    public const int Keep = 20;

    public List<string> Ids { get; set; } = [];

    public bool Contains(string id) => Ids.Contains(id, StringComparer.Ordinal);

    public void Remember(string id)
    {
        Ids.Add(id);
        if (Ids.Count > Keep)
        {
            Ids.RemoveRange(0, Ids.Count - Keep);
        }
    }
}
