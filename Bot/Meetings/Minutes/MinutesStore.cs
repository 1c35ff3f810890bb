using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.Meetings.Minutes;

/// <summary>
/// Minutes, their versions, action items and the reminders already sent, in one table with one
/// partition per tenant. Rows: "doc|{occurrence}" (working copy), "ver|{occurrence}|{0001}"
/// (submitted versions, insert-only), "item|{id}" (action items), "sent|{marker}" (a reminder
/// sent once), "rev|{occurrence}" (a reviewer's check, the latest one). Content is JSON split over properties (Table Storage keeps a string property
/// under 64 KiB). Every update carries the ETag read (a stale write answers <see cref="SaveOutcome.Changed"/>).
/// </summary>
public sealed class MinutesStore(TableClient table)
{
    private static readonly JsonSerializerOptions Json = TableJson.Unescaped(new(JsonSerializerDefaults.Web));

    /// <summary>
    /// Text one minutes' content may take once written as JSON: what one entity holds
    /// (<see cref="TableJson.MaxEntityChars"/>) less <see cref="RowRoomChars"/> for the rest of the
    /// row (ids, who saved it, when). The roll snapshot (attendees, absentees) is part of the content.
    /// </summary>
    public const int MaxContentJsonChars = TableJson.MaxEntityChars - RowRoomChars;

    /// <summary>What a minutes row holds besides its content: keys, ids, names, dates (all short), with room to spare.</summary>
    public const int RowRoomChars = 4_000;

    /// <summary>How long the content is as stored (the form refuses content past <see cref="MaxContentJsonChars"/>).</summary>
    public static int ContentJsonLength(MinutesContent content) => JsonSerializer.Serialize(content, Json).Length;

    public static string DocKey(string occurrenceKey) => "doc|" + TableKeys.Escape(occurrenceKey);

    public static string VersionKey(string occurrenceKey, int number) => $"ver|{TableKeys.Escape(occurrenceKey)}|{number:D4}";

    public static string ItemKey(string id) => "item|" + TableKeys.Escape(id);

    private static string Partition(string tenantId) => TableKeys.Escape(tenantId);

    public async Task<MinutesDoc?> GetAsync(string tenantId, string occurrenceKey, CancellationToken cancellationToken)
    {
        var e = await GetEntityAsync(tenantId, DocKey(occurrenceKey), cancellationToken).ConfigureAwait(false);
        return e == null ? null : Read<MinutesDoc>(e) with { ETag = e.ETag.ToString() };
    }

    /// <summary>Inserts (no ETag) or replaces (ETag) the working copy; <see cref="SaveOutcome.Changed"/> when it is there already or moved on.</summary>
    public async Task<Saved<MinutesDoc>> SaveAsync(MinutesDoc doc, CancellationToken cancellationToken) =>
        await UpsertAsync(DocEntity(doc), doc, doc.ETag, (d, etag) => d with { ETag = etag }, cancellationToken).ConfigureAwait(false);

    private static TableEntity DocEntity(MinutesDoc doc)
    {
        var entity = Write(Partition(doc.TenantId), DocKey(doc.OccurrenceKey), doc with { ETag = null });
        entity["SeriesId"] = doc.SeriesId;
        entity["Version"] = doc.Version;
        return entity;
    }

    /// <summary>
    /// JSON text an action item's history may take in its row. Every status report adds an entry
    /// (a note of up to <see cref="MaxNoteChars"/>), so an item followed up for months would
    /// otherwise outgrow its entity: the row keeps the first entry (who assigned it, when) and
    /// the latest entries that fit, always at least the latest one.
    /// </summary>
    public const int HistoryBudgetChars = 24_000;

    /// <summary>The longest note one status report keeps.</summary>
    public const int MaxNoteChars = 1000;

    /// <summary>The history as the row keeps it (see <see cref="HistoryBudgetChars"/>).</summary>
    public static List<ActionItemUpdate> KeptHistory(IReadOnlyList<ActionItemUpdate> history)
    {
        if (history.Count <= 2 || JsonSerializer.Serialize(history, Json).Length <= HistoryBudgetChars)
        {
            return [.. history];
        }
        var budget = HistoryBudgetChars - JsonSerializer.Serialize(history[0], Json).Length;
        var latest = new List<ActionItemUpdate>();
        for (var i = history.Count - 1; i > 0; i--)
        {
            budget -= JsonSerializer.Serialize(history[i], Json).Length + 1;
            if (budget < 0 && latest.Count > 0)
            {
                break;
            }
            latest.Add(history[i]);
        }
        latest.Reverse();
        return [history[0], .. latest];
    }

    private static TableEntity ItemEntity(ActionItem item)
    {
        var entity = Write(Partition(item.TenantId), ItemKey(item.Id), item with { ETag = null, History = KeptHistory(item.History) });
        entity["OwnerId"] = item.OwnerId;
        entity["SeriesId"] = item.SeriesId;
        entity["Status"] = item.Status.ToString();
        return entity;
    }

    /// <summary>
    /// A submission, all or nothing (one entity-group transaction): the action items (inserted
    /// when they have no ETag, else replaced if unchanged since read), the new version (inserted:
    /// an existing version N is never replaced) and the working copy. A conflict on any row saves
    /// nothing: <see cref="SaveOutcome.Changed"/>. Written: the items as stored.
    /// </summary>
    public async Task<Saved<IReadOnlyList<ActionItem>>> SubmitAsync(MinutesDoc doc, MinutesVersion version, IReadOnlyList<ActionItem> items, CancellationToken cancellationToken)
    {
        var actions = new List<TableTransactionAction>();
        foreach (var item in items)
        {
            actions.Add(item.ETag is { Length: > 0 } e
                ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, ItemEntity(item), new ETag(e))
                : new TableTransactionAction(TableTransactionActionType.Add, ItemEntity(item)));
        }
        actions.Add(new TableTransactionAction(TableTransactionActionType.Add, Write(Partition(version.TenantId), VersionKey(version.OccurrenceKey, version.Number), version)));
        var docEntity = DocEntity(doc);
        actions.Add(doc.ETag is { Length: > 0 } etag
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, docEntity, new ETag(etag))
            : new TableTransactionAction(TableTransactionActionType.Add, docEntity));
        try
        {
            var response = await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<ActionItem> stored = items.Select((item, i) => item with { ETag = response.Value[i].Headers.ETag?.ToString() }).ToList();
            return Saved.Written(stored, DocKey(doc.OccurrenceKey));
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return Saved.Changed<IReadOnlyList<ActionItem>>(DocKey(doc.OccurrenceKey), doc.ETag);
        }
    }

    public async Task<IReadOnlyList<MinutesVersion>> VersionsAsync(string tenantId, string occurrenceKey, CancellationToken cancellationToken)
    {
        var prefix = $"ver|{TableKeys.Escape(occurrenceKey)}|";
        var list = new List<MinutesVersion>();
        await foreach (var e in Range(tenantId, prefix, cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read<MinutesVersion>(e));
        }
        return list.OrderBy(v => v.Number).ToList();
    }

    /// <summary>Every working copy of the tenant (for the daily sweep).</summary>
    public async Task<IReadOnlyList<MinutesDoc>> ListDocsAsync(string tenantId, CancellationToken cancellationToken)
    {
        var list = new List<MinutesDoc>();
        await foreach (var e in Range(tenantId, "doc|", cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read<MinutesDoc>(e) with { ETag = e.ETag.ToString() });
        }
        return list;
    }

    /// <summary>Records a reviewer's check of a meeting's minutes (the latest check replaces an earlier one).</summary>
    public async Task<Saved<MinutesReview>> SaveReviewAsync(MinutesReview review, CancellationToken cancellationToken)
    {
        var key = "rev|" + TableKeys.Escape(review.OccurrenceKey);
        await table.UpsertEntityAsync(Write(Partition(review.TenantId), key, review), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return Saved.Written(review, key);
    }

    /// <summary>Every reviewer's check of the tenant, by occurrence.</summary>
    public async Task<IReadOnlyDictionary<string, MinutesReview>> ListReviewsAsync(string tenantId, CancellationToken cancellationToken)
    {
        var map = new Dictionary<string, MinutesReview>(StringComparer.Ordinal);
        await foreach (var e in Range(tenantId, "rev|", cancellationToken).ConfigureAwait(false))
        {
            var review = Read<MinutesReview>(e);
            map[review.OccurrenceKey] = review;
        }
        return map;
    }

    public async Task<ActionItem?> GetItemAsync(string tenantId, string id, CancellationToken cancellationToken)
    {
        var e = await GetEntityAsync(tenantId, ItemKey(id), cancellationToken).ConfigureAwait(false);
        return e == null ? null : Read<ActionItem>(e) with { ETag = e.ETag.ToString() };
    }

    /// <summary>Inserts (no ETag) or replaces (ETag) an action item; <see cref="SaveOutcome.Changed"/> when it is there already or moved on.</summary>
    public async Task<Saved<ActionItem>> SaveItemAsync(ActionItem item, CancellationToken cancellationToken) =>
        await UpsertAsync(ItemEntity(item), item, item.ETag, (i, etag) => i with { ETag = etag }, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<ActionItem>> ListItemsAsync(string tenantId, CancellationToken cancellationToken)
    {
        var list = new List<ActionItem>();
        await foreach (var e in Range(tenantId, "item|", cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read<ActionItem>(e) with { ETag = e.ETag.ToString() });
        }
        return list;
    }

    /// <summary>Records that a reminder went out; <see cref="SaveOutcome.AlreadyExists"/> when it already had (so a job run twice sends nothing twice).</summary>
    public async Task<Saved<DateTimeOffset>> MarkSentAsync(string tenantId, string marker, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var key = "sent|" + TableKeys.Escape(marker);
        try
        {
            await table.AddEntityAsync(new TableEntity(Partition(tenantId), key) { ["At"] = at }, cancellationToken).ConfigureAwait(false);
            return Saved.Written(at, key);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return Saved.AlreadyExists<DateTimeOffset>(default, key);
        }
    }

    /// <summary>Forgets a marker (the reminder could not be delivered: the next run tries again).</summary>
    public async Task UnmarkAsync(string tenantId, string marker, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(Partition(tenantId), "sent|" + TableKeys.Escape(marker), ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
        }
    }

    private async Task<TableEntity?> GetEntityAsync(string tenantId, string rowKey, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(Partition(tenantId), rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue ? response.Value : null;
    }

    private IAsyncEnumerable<TableEntity> Range(string tenantId, string prefix, CancellationToken cancellationToken)
    {
        return table.QueryAsync<TableEntity>(TableRange.Rows(Partition(tenantId), prefix), cancellationToken: cancellationToken);
    }

    private async Task<Saved<T>> UpsertAsync<T>(TableEntity entity, T value, string? etag, Func<T, string, T> stamped, CancellationToken cancellationToken)
    {
        try
        {
            var response = etag == null
                ? await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                : await table.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return Saved.Written(stamped(value, response.Headers.ETag?.ToString() ?? ""), entity.RowKey);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return Saved.Changed<T>(entity.RowKey, etag);
        }
    }

    private static TableEntity Write<T>(string partition, string rowKey, T value)
    {
        var entity = new TableEntity(partition, rowKey);
        TableJson.Put(entity, "Json", value, Json);
        return entity;
    }

    private static T Read<T>(TableEntity e)
    {
        // Rows written before TableJson kept their parts as Json0, Json1… with a count in Parts.
        if (e.GetInt32("Parts") is { } parts)
        {
            var old = new StringBuilder();
            for (var i = 0; i < parts; i++)
            {
                old.Append(e.GetString("Json" + i));
            }
            return JsonSerializer.Deserialize<T>(old.ToString(), Json)!;
        }
        return TableJson.Get<T>(e, "Json", Json, default!)!;
    }
}
