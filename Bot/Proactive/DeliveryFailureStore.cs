using System.Globalization;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.Proactive;

/// <summary>Why a message could not be delivered; each has a localized text under <c>proactive.reasons</c>.</summary>
public static class DeliveryFailureReasons
{
    /// <summary>403: the bot was removed from the conversation, uninstalled, blocked, or disabled by an admin.</summary>
    public const string BotRemoved = "botRemoved";

    /// <summary>404: the conversation (or the person) no longer exists.</summary>
    public const string ConversationGone = "conversationGone";

    /// <summary>The person has no 1:1 chat with the bot and Teams would not open one (the app is not installed for them).</summary>
    public const string NoPersonalChat = "noPersonalChat";

    /// <summary>The bot has never seen this conversation, or any conversation of the tenant (so it knows no service URL to open one).</summary>
    public const string UnknownConversation = "unknownConversation";

    public static readonly IReadOnlyList<string> All = [BotRemoved, ConversationGone, NoPersonalChat, UnknownConversation];
}

/// <summary>One message the bot gave up on.</summary>
public sealed record DeliveryFailure(
    string TenantId,
    string Target,
    string TargetKind,
    string Reason,
    int? StatusCode,
    string? ErrorCode,
    string? Detail,
    string? Purpose,
    DateTimeOffset OccurredUtc);

/// <summary>
/// The "DeliveryFailures" table: messages that could not be delivered for a reason retrying
/// cannot fix, kept for the office instead of being retried forever. PartitionKey = tenant;
/// RowKey = inverted time + a random suffix, so the newest come first in one partition read.
/// </summary>
public sealed class DeliveryFailureStore
{
    private readonly TableClient _table;

    public DeliveryFailureStore(TableClient table)
    {
        _table = table;
    }

    public async Task RecordAsync(DeliveryFailure failure, CancellationToken cancellationToken)
    {
        var inverted = (DateTimeOffset.MaxValue.UtcTicks - failure.OccurredUtc.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
        var entity = new TableEntity(TableKeys.Escape(failure.TenantId), inverted + "|" + Guid.NewGuid().ToString("N")[..8])
        {
            ["TenantId"] = failure.TenantId,
            ["Target"] = failure.Target,
            ["TargetKind"] = failure.TargetKind,
            ["Reason"] = failure.Reason,
            ["StatusCode"] = failure.StatusCode,
            ["ErrorCode"] = failure.ErrorCode,
            ["Detail"] = Shorten(failure.Detail),
            ["Purpose"] = Shorten(failure.Purpose),
            ["OccurredUtc"] = failure.OccurredUtc.UtcDateTime,
        };
        foreach (var key in entity.Keys.Where(k => entity[k] == null).ToList())
        {
            entity.Remove(key);
        }
        await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tenant's most recent failures, newest first.</summary>
    public async Task<IReadOnlyList<DeliveryFailure>> ListRecentAsync(string tenantId, int max, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Escape(tenantId);
        var result = new List<DeliveryFailure>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(new DeliveryFailure(
                row.GetString("TenantId") ?? tenantId,
                row.GetString("Target") ?? "",
                row.GetString("TargetKind") ?? "",
                row.GetString("Reason") ?? "",
                row.GetInt32("StatusCode"),
                row.GetString("ErrorCode"),
                row.GetString("Detail"),
                row.GetString("Purpose"),
                row.GetDateTimeOffset("OccurredUtc") ?? DateTimeOffset.MinValue));
            if (result.Count >= max)
            {
                break;
            }
        }
        return result;
    }

    private static string? Shorten(string? text) => text == null || text.Length <= 1000 ? text : text[..1000] + "…";
}
