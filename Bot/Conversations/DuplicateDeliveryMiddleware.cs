using Azure;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Conversations;

/// <summary>
/// Teams redelivers an activity (same id) when the bot was slow to answer. The first delivery
/// of an activity id in a conversation inserts a row (ProcessedActivities: PartitionKey =
/// tenant|conversation, RowKey = activity id); a redelivery finds the row (409) and is dropped,
/// on whichever bot instance it lands. Only what a person sent is checked (messages and
/// invokes): conversation updates are idempotent already.
/// </summary>
public sealed class DuplicateDeliveryMiddleware(TableClient table, TimeProvider time, ILogger<DuplicateDeliveryMiddleware> logger) : IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        var activity = turnContext.Activity;
        if (activity.Type is ActivityTypes.Message or ActivityTypes.Invoke && !string.IsNullOrEmpty(activity.Id) && activity.Conversation?.Id != null)
        {
            var tenant = Tenants.Of(activity) ?? "";
            // The claim tells our own insert apart from an earlier delivery's: when the SDK
            // retries an insert whose first try landed but timed out, the 409 is our own row.
            var claim = Guid.NewGuid().ToString("N");
            var row = new TableEntity(TableKeys.Escape(tenant) + "|" + TableKeys.Escape(activity.Conversation.Id), TableKeys.Escape(activity.Id))
            {
                ["ReceivedAt"] = time.GetUtcNow(),
                ["Claim"] = claim,
            };
            var duplicate = false;
            try
            {
                await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                duplicate = !await IsOwnClaimAsync(row, claim, cancellationToken).ConfigureAwait(false);
            }
            if (duplicate)
            {
                logger.LogInformation("Ignored a second delivery of activity {ActivityId} in conversation {ConversationId}.", activity.Id, activity.Conversation.Id);
                return;
            }
        }
        await next(cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> IsOwnClaimAsync(TableEntity row, string claim, CancellationToken cancellationToken)
    {
        var stored = await table.GetEntityIfExistsAsync<TableEntity>(row.PartitionKey, row.RowKey, ["Claim"], cancellationToken).ConfigureAwait(false);
        return stored.HasValue && stored.Value!.GetString("Claim") == claim;
    }
}

/// <summary>Deletes ProcessedActivities rows older than two days, every six hours: redeliveries come within minutes.</summary>
public sealed class ProcessedActivityPruner(TableServiceClient service, TableNames names, TimeProvider time, ILogger<ProcessedActivityPruner> logger) : BackgroundService
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

    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var table = service.GetTableClient(names.ProcessedActivities);
        var cutoff = time.GetUtcNow() - KeepFor;
        var deleted = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"ReceivedAt lt {cutoff}"), select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken).ConfigureAwait(false);
            deleted++;
        }
        return deleted;
    }
}
