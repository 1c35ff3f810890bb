using Azure;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.Meetings.Agenda;

public enum TopicStatus
{
    /// <summary>Submitted, waiting for the host (待审).</summary>
    Pending,

    /// <summary>On the agenda (已列入).</summary>
    Accepted,

    /// <summary>Not on the agenda (未列入).</summary>
    Rejected,
}

/// <summary>A topic (议题) submitted for one meeting, with its written material (书面材料/要点提纲/图表说明).</summary>
public sealed record Topic
{
    public required string TenantId { get; init; }

    public required string OccurrenceKey { get; init; }

    /// <summary>The id of the form it was submitted with: submitting the same form twice files it once.</summary>
    public required string Id { get; init; }

    public required string Title { get; init; }

    public required string PresenterId { get; init; }

    public string PresenterName { get; init; } = "";

    public required string Material { get; init; }

    public int Minutes { get; init; }

    public required string SubmittedById { get; init; }

    public string SubmittedByName { get; init; } = "";

    public DateTimeOffset SubmittedAt { get; init; }

    /// <summary>Submitted after the deadline (only hosts, recorders and the office may).</summary>
    public bool Late { get; init; }

    public TopicStatus Status { get; init; }

    /// <summary>Position among the accepted topics (smaller first); starts as the submission time's ticks, swapped by "move up/down".</summary>
    public long Order { get; init; }

    /// <summary>
    /// The item of the series' fixed order of business it goes under (<see cref="AgendaContext.Sections"/>, 0-based);
    /// -1 for a series without one (or a topic filed before it had one): after the fixed order.
    /// </summary>
    public int Section { get; init; } = -1;

    public string? DecidedById { get; init; }

    public string? DecidedByName { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    public string? ETag { get; init; }
}

/// <summary>Where the agenda card of a meeting was posted, so that posting again updates it.</summary>
public sealed record AgendaPost
{
    public required string TenantId { get; init; }

    public required string OccurrenceKey { get; init; }

    /// <summary>The conversation the card is in (the meeting's conversation, or a thread of it).</summary>
    public required string ConversationId { get; init; }

    /// <summary>The posted activity's id; null when the channel gave none (then the next post is a new message).</summary>
    public string? ActivityId { get; init; }

    public DateTimeOffset PostedAt { get; init; }

    public string PostedById { get; init; } = "";

    public string PostedByName { get; init; } = "";

    /// <summary>1 for the first post, +1 for every update.</summary>
    public int Revision { get; init; }

    /// <summary>What the posted card showed (<see cref="AgendaService.Fingerprint"/>): tells the host whether it is out of date.</summary>
    public string Fingerprint { get; init; } = "";

    public string? ETag { get; init; }
}

/// <summary>Everything stored about one meeting's agenda.</summary>
public sealed record AgendaState(IReadOnlyList<Topic> Topics, AgendaPost? Post)
{
    /// <summary>The agenda: accepted topics in order (by their item of the fixed order of business first, if the series has one).</summary>
    public IReadOnlyList<Topic> Items => Topics.Where(t => t.Status == TopicStatus.Accepted)
        .OrderBy(t => t.Section < 0 ? int.MaxValue : t.Section).ThenBy(t => t.Order).ThenBy(t => t.SubmittedAt).ToList();

    public IReadOnlyList<Topic> With(TopicStatus status) => Topics.Where(t => t.Status == status).OrderBy(t => t.SubmittedAt).ToList();
}

/// <summary>
/// Topics and the posted agenda, one partition per tenant and meeting occurrence
/// (PartitionKey = tenant|occurrence key, the key stays the same when the meeting is moved):
/// the whole agenda is one partition read, a topic is one insert (RowKey = topic|form id, so
/// a form submitted twice is filed once), and a reorder swaps two rows in one entity-group
/// transaction. RowKey "post" remembers where the card was posted; RowKey "posting" is a short
/// claim held while someone posts it. Every update carries the
/// ETag it read: two hosts clicking at once cannot overwrite each other.
/// </summary>
public sealed class AgendaStore(TableClient table)
{
    private const string TopicPrefix = "topic|";
    private const string PostKey = "post";
    private const string PostingKey = "posting";

    public static string PartitionOf(string tenantId, string occurrenceKey) => TableKeys.Escape(tenantId) + "|" + TableKeys.Escape(occurrenceKey);

    public async Task<AgendaState> ReadAsync(string tenantId, string occurrenceKey, CancellationToken cancellationToken)
    {
        var topics = new List<Topic>();
        AgendaPost? post = null;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(tenantId, occurrenceKey)}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey == PostKey)
            {
                post = ToPost(tenantId, occurrenceKey, row);
            }
            else if (row.RowKey.StartsWith(TopicPrefix, StringComparison.Ordinal))
            {
                topics.Add(ToTopic(tenantId, occurrenceKey, row));
            }
        }
        return new AgendaState(topics, post);
    }

    public async Task<Topic?> GetTopicAsync(string tenantId, string occurrenceKey, string topicId, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionOf(tenantId, occurrenceKey), TopicPrefix + TableKeys.Escape(topicId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToTopic(tenantId, occurrenceKey, row.Value!) : null;
    }

    /// <summary>Files a topic. When a topic with its id exists already, nothing is written: <see cref="SaveOutcome.AlreadyExists"/> with that one.</summary>
    public async Task<Saved<Topic>> AddTopicAsync(Topic topic, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.AddEntityAsync(ToEntity(topic), cancellationToken).ConfigureAwait(false);
            return Saved.Written(topic with { ETag = response.Headers.ETag?.ToString() }, TopicPrefix + topic.Id);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await GetTopicAsync(topic.TenantId, topic.OccurrenceKey, topic.Id, cancellationToken).ConfigureAwait(false);
            return Saved.AlreadyExists(existing ?? topic, TopicPrefix + topic.Id);
        }
    }

    /// <summary>Replaces the topic if it is still at its <see cref="Topic.ETag"/>; else <see cref="SaveOutcome.Changed"/>.</summary>
    public async Task<Saved<Topic>> UpdateTopicAsync(Topic topic, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.UpdateEntityAsync(ToEntity(topic), new ETag(topic.ETag ?? throw new ArgumentException("The topic has no ETag.", nameof(topic))),
                TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return Saved.Written(topic with { ETag = response.Headers.ETag?.ToString() }, TopicPrefix + topic.Id);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return Saved.Changed<Topic>(TopicPrefix + topic.Id, topic.ETag);
        }
    }

    /// <summary>Swaps the positions of two topics of the same meeting, both or neither (one transaction, both ETags checked; <see cref="SaveOutcome.Changed"/> when either moved on). Written: <paramref name="a"/> at its new place.</summary>
    public async Task<Saved<Topic>> SwapOrderAsync(Topic a, Topic b, CancellationToken cancellationToken)
    {
        if (a.TenantId != b.TenantId || a.OccurrenceKey != b.OccurrenceKey)
        {
            throw new ArgumentException("Only topics of one meeting can be swapped.");
        }
        var actions = new[]
        {
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(a with { Order = b.Order }), new ETag(a.ETag!)),
            new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(b with { Order = a.Order }), new ETag(b.ETag!)),
        };
        try
        {
            var response = await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return Saved.Written(a with { Order = b.Order, ETag = response.Value[0].Headers.ETag?.ToString() }, TopicPrefix + a.Id + "," + b.Id);
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 404)
        {
            return Saved.Changed<Topic>(TopicPrefix + a.Id + "," + b.Id, a.ETag);
        }
    }

    /// <summary>Records where the card was posted: inserted the first time, then replaced if still at its ETag (else <see cref="SaveOutcome.Changed"/>).</summary>
    public async Task<Saved<AgendaPost>> SavePostAsync(AgendaPost post, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(PartitionOf(post.TenantId, post.OccurrenceKey), PostKey)
        {
            ["ConversationId"] = post.ConversationId,
            ["ActivityId"] = post.ActivityId,
            ["PostedAt"] = post.PostedAt,
            ["PostedById"] = post.PostedById,
            ["PostedByName"] = post.PostedByName,
            ["Revision"] = post.Revision,
            ["Fingerprint"] = post.Fingerprint,
        };
        try
        {
            var response = post.ETag == null
                ? await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                : await table.UpdateEntityAsync(entity, new ETag(post.ETag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return Saved.Written(post with { ETag = response.Headers.ETag?.ToString() }, PostKey);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return Saved.Changed<AgendaPost>(PostKey, post.ETag);
        }
    }

    /// <summary>
    /// Claims the posting of this meeting's agenda for <paramref name="lease"/> (row "posting",
    /// insert-once; an expired claim is taken over under its ETag): two people pressing 发布议程
    /// at the same moment post one card. Returns the claim's ETag, or null with the name of whoever
    /// holds it.
    /// </summary>
    public async Task<(string? ETag, string Holder)> TryClaimPostingAsync(string tenantId, string occurrenceKey, string byId, string byName, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(PartitionOf(tenantId, occurrenceKey), PostingKey)
        {
            ["Until"] = now + lease,
            ["ById"] = byId,
            ["ByName"] = byName,
        };
        try
        {
            var added = await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return (added.Headers.ETag?.ToString() ?? "", byName);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
        }
        var held = await table.GetEntityIfExistsAsync<TableEntity>(entity.PartitionKey, PostingKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (held.HasValue && held.Value!.GetDateTimeOffset("Until") is { } until && until > now)
        {
            return (null, held.Value.GetString("ByName") ?? "");
        }
        try
        {
            var taken = held.HasValue
                ? await table.UpdateEntityAsync(entity, held.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false)
                : await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return (taken.Headers.ETag?.ToString() ?? "", byName);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return (null, "");
        }
    }

    /// <summary>Ends a claim of <see cref="TryClaimPostingAsync"/> (only if it is still this one); gone already is fine.</summary>
    public async Task ReleasePostingAsync(string tenantId, string occurrenceKey, string etag, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(PartitionOf(tenantId, occurrenceKey), PostingKey, etag.Length == 0 ? ETag.All : new ETag(etag), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
        }
    }

    private static TableEntity ToEntity(Topic t) => new(PartitionOf(t.TenantId, t.OccurrenceKey), TopicPrefix + TableKeys.Escape(t.Id))
    {
        ["Id"] = t.Id,
        ["Title"] = t.Title,
        ["PresenterId"] = t.PresenterId,
        ["PresenterName"] = t.PresenterName,
        ["Material"] = t.Material,
        ["Minutes"] = t.Minutes,
        ["SubmittedById"] = t.SubmittedById,
        ["SubmittedByName"] = t.SubmittedByName,
        ["SubmittedAt"] = t.SubmittedAt,
        ["Late"] = t.Late,
        ["Status"] = t.Status.ToString(),
        ["Order"] = t.Order,
        ["Section"] = t.Section,
        ["DecidedById"] = t.DecidedById,
        ["DecidedByName"] = t.DecidedByName,
        ["DecidedAt"] = t.DecidedAt,
    };

    private static Topic ToTopic(string tenantId, string occurrenceKey, TableEntity e) => new()
    {
        TenantId = tenantId,
        OccurrenceKey = occurrenceKey,
        Id = e.GetString("Id") ?? TableKeys.Unescape(e.RowKey[TopicPrefix.Length..]),
        Title = e.GetString("Title") ?? "",
        PresenterId = e.GetString("PresenterId") ?? "",
        PresenterName = e.GetString("PresenterName") ?? "",
        Material = e.GetString("Material") ?? "",
        Minutes = e.GetInt32("Minutes") ?? 0,
        SubmittedById = e.GetString("SubmittedById") ?? "",
        SubmittedByName = e.GetString("SubmittedByName") ?? "",
        SubmittedAt = e.GetDateTimeOffset("SubmittedAt") ?? default,
        Late = e.GetBoolean("Late") ?? false,
        Status = Enum.TryParse<TopicStatus>(e.GetString("Status"), out var s) ? s : TopicStatus.Pending,
        Order = e.GetInt64("Order") ?? 0,
        Section = e.GetInt32("Section") ?? -1,
        DecidedById = e.GetString("DecidedById"),
        DecidedByName = e.GetString("DecidedByName"),
        DecidedAt = e.GetDateTimeOffset("DecidedAt"),
        ETag = e.ETag.ToString(),
    };

    private static AgendaPost ToPost(string tenantId, string occurrenceKey, TableEntity e) => new()
    {
        TenantId = tenantId,
        OccurrenceKey = occurrenceKey,
        ConversationId = e.GetString("ConversationId") ?? "",
        ActivityId = e.GetString("ActivityId"),
        PostedAt = e.GetDateTimeOffset("PostedAt") ?? default,
        PostedById = e.GetString("PostedById") ?? "",
        PostedByName = e.GetString("PostedByName") ?? "",
        Revision = e.GetInt32("Revision") ?? 1,
        Fingerprint = e.GetString("Fingerprint") ?? "",
        ETag = e.ETag.ToString(),
    };
}
