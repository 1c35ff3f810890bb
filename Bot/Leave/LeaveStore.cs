using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Leave;

/// <summary>
/// Leave requests in one table with a partition per tenant, so that a request, the index rows
/// that find it and its history line change together in one entity-group transaction. Row keys:
/// <list type="bullet">
/// <item><c>req|{id}</c> — the request (id starts with its first local day, yyyyMMdd: a month is one range);</item>
/// <item><c>user|{requester}|{id}</c> and <c>appr|{approver}|{id}</c> — mine / waiting for me;</item>
/// <item><c>occ|{occurrence key}|{id}</c> — leave for one meeting, read by the roll;</item>
/// <item><c>wk|{ISO week of the UTC date}|{id}</c> — a span of days, one row per week it touches,
/// read by the roll (meetings in the span) and the weekly-report reminder (leave at the deadline);</item>
/// <item><c>log|{id}|{revision}</c> — the history: submitted, approved, rejected, withdrawn;</item>
/// <item><c>card|{id}|{conversation}|{activity}</c> — approval cards sent, updated in place later;</item>
/// <item><c>sent|{id}|{what}</c> — notices delivered (so a retried delivery sends nothing twice).</item>
/// </list>
/// Index rows carry the status and are rewritten with the request in the same transaction, which
/// is conditional on the request's ETag: of two concurrent decisions exactly one is written.
/// </summary>
public sealed class LeaveStore(TableClient table)
{
    private const string Req = "req|";

    public TableClient Table => table;

    // ---- the request ----

    /// <summary>Stores a new request with its index rows and a "submitted" history line; returns it with its ETag.</summary>
    public async Task<LeaveRequest> CreateAsync(LeaveRequest request, CancellationToken cancellationToken = default)
    {
        await table.SubmitTransactionAsync(NewRequestRows(request), cancellationToken).ConfigureAwait(false);
        return await GetAsync(request.TenantId, request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Leave request {request.Id} vanished right after it was stored.");
    }

    /// <summary>
    /// Stores a new request once per form: a row keyed by <paramref name="formToken"/> (made when
    /// the form was shown, kept in the dialog's state) is added in the same transaction. The same
    /// form sent twice — a double click, two turns that read the same dialog state before either
    /// saved it, a retry after a lost answer — stores one request: the second gets the first back
    /// with <c>Created</c> false.
    /// </summary>
    public async Task<(LeaveRequest Request, bool Created)> CreateOnceAsync(LeaveRequest request, string formToken, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(formToken);
        var pk = Pk(request.TenantId);
        var actions = NewRequestRows(request);
        actions.Add(new(TableTransactionActionType.Add, new TableEntity(pk, FormKey(formToken)) { ["RequestId"] = request.Id }));
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException e) when (e.Status == 409)
        {
            var first = await table.GetEntityIfExistsAsync<TableEntity>(pk, FormKey(formToken), cancellationToken: cancellationToken).ConfigureAwait(false);
            if (first.HasValue && first.Value!.GetString("RequestId") is { } id
                && await GetAsync(request.TenantId, id, cancellationToken).ConfigureAwait(false) is { } existing && existing.UserId == request.UserId)
            {
                return (existing, false);
            }
            throw;
        }
        return (await GetAsync(request.TenantId, request.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Leave request {request.Id} vanished right after it was stored."), true);
    }

    /// <summary>A new request's rows, added in one transaction: the request, its index rows and its first history entry.</summary>
    private static List<TableTransactionAction> NewRequestRows(LeaveRequest request)
    {
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, ToEntity(request)) };
        actions.AddRange(IndexRows(request).Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)));
        actions.Add(new TableTransactionAction(TableTransactionActionType.Add,
            HistoryRow(Pk(request.TenantId), 0, new LeaveHistoryEntry(request.Id, request.SubmittedAt, "submitted", request.UserId, request.UserName, null))));
        return actions;
    }

    private static string FormKey(string formToken) => "form|" + TableKeys.Escape(formToken);

    public async Task<LeaveRequest?> GetAsync(string tenantId, string id, CancellationToken cancellationToken = default)
    {
        if (!IsId(id))
        {
            return null;
        }
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Pk(tenantId), Req + id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToRequest(tenantId, row.Value!) : null;
    }

    /// <summary>
    /// Writes <paramref name="updated"/> (a new status and decision) over the request if it is
    /// still at <c>updated.ETag</c>, rewrites its index rows and adds <paramref name="entry"/> to
    /// its history — all or nothing. <see cref="SaveOutcome.Changed"/> when someone changed the
    /// request first (nothing is written then).
    /// </summary>
    public async Task<Saved<LeaveRequest>> ChangeAsync(LeaveRequest updated, LeaveHistoryEntry entry, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(updated.ETag))
        {
            throw new ArgumentException("A change needs the ETag of the request it changes.", nameof(updated));
        }
        var pk = Pk(updated.TenantId);
        // The next revision numbers the history line: two changes of one version cannot both be written.
        updated = updated with { Revision = updated.Revision + 1 };
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.UpdateReplace, ToEntity(updated), new ETag(updated.ETag)) };
        actions.AddRange(IndexRows(updated).Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, e)));
        actions.Add(new TableTransactionAction(TableTransactionActionType.Add, HistoryRow(pk, updated.Revision, entry)));
        try
        {
            var response = await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            var etag = response.Value.Count > 0 ? response.Value[0].Headers.ETag?.ToString() : null;
            return Saved.Written(etag != null
                ? updated with { ETag = etag }
                : (await GetAsync(updated.TenantId, updated.Id, cancellationToken).ConfigureAwait(false))!, Req + updated.Id);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return Saved.Changed<LeaveRequest>(Req + updated.Id, updated.ETag);
        }
    }

    // ---- lists ----

    /// <summary>Every request whose leave starts in the month (local dates), in order of their first day.</summary>
    public async Task<IReadOnlyList<LeaveRequest>> ListMonthAsync(string tenantId, int year, int month, CancellationToken cancellationToken = default)
    {
        var prefix = Req + year.ToString("D4", CultureInfo.InvariantCulture) + month.ToString("D2", CultureInfo.InvariantCulture);
        var list = new List<LeaveRequest>();
        await foreach (var row in table.QueryAsync<TableEntity>(Range(tenantId, prefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(ToRequest(tenantId, row));
        }
        return list;
    }

    /// <summary>Every request of one person (as requester), any month.</summary>
    public Task<IReadOnlyList<LeaveRequest>> ListByRequesterAsync(string tenantId, string userId, CancellationToken cancellationToken = default) =>
        ListByIndexAsync(tenantId, "user|" + Part(userId) + "|", null, cancellationToken);

    /// <summary>The requests waiting for this approver's decision.</summary>
    public Task<IReadOnlyList<LeaveRequest>> ListPendingForApproverAsync(string tenantId, string approverId, CancellationToken cancellationToken = default) =>
        ListByIndexAsync(tenantId, "appr|" + Part(approverId) + "|", LeaveStatus.Pending, cancellationToken);

    private async Task<IReadOnlyList<LeaveRequest>> ListByIndexAsync(string tenantId, string prefix, LeaveStatus? status, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(Range(tenantId, prefix), select: ["Id", "Status"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (status == null || ParseStatus(row.GetString("Status")) == status)
            {
                ids.Add(row.GetString("Id") ?? "");
            }
        }
        var found = await Task.WhenAll(ids.Select(id => GetAsync(tenantId, id, cancellationToken))).ConfigureAwait(false);
        return found.OfType<LeaveRequest>().ToList();
    }

    /// <summary>A request as an index row holds it (no texts): enough to find overlaps without reading the requests.</summary>
    public sealed record IndexRow(string Id, string UserId, LeaveStatus Status, LeaveKind Kind, DateTimeOffset FromUtc, DateTimeOffset ToUtc, string? OccurrenceKey);

    /// <summary>A person's requests (as requester) from the index: one range query.</summary>
    public async Task<IReadOnlyList<IndexRow>> RequesterIndexAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        var rows = new List<IndexRow>();
        await foreach (var row in table.QueryAsync<TableEntity>(Range(tenantId, "user|" + Part(userId) + "|"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows.Add(new IndexRow(row.GetString("Id") ?? "", row.GetString("UserId") ?? "", ParseStatus(row.GetString("Status")),
                Enum.TryParse<LeaveKind>(row.GetString("Kind"), out var kind) ? kind : LeaveKind.Days,
                row.GetDateTimeOffset("FromUtc") ?? default, row.GetDateTimeOffset("ToUtc") ?? default, row.GetString("OccurrenceKey")));
        }
        return rows;
    }

    /// <summary>Every request of the tenant, any month (for the office's "all months").</summary>
    public async Task<IReadOnlyList<LeaveRequest>> ListAllAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var list = new List<LeaveRequest>();
        await foreach (var row in table.QueryAsync<TableEntity>(Range(tenantId, Req), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(ToRequest(tenantId, row));
        }
        return list;
    }

    /// <summary>Who has approved leave for this one meeting occurrence.</summary>
    public async Task<IReadOnlySet<string>> ApprovedForOccurrenceAsync(string tenantId, string occurrenceKey, CancellationToken cancellationToken = default)
    {
        var users = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(Range(tenantId, "occ|" + Part(occurrenceKey) + "|"), select: ["UserId", "Status"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (ParseStatus(row.GetString("Status")) == LeaveStatus.Approved)
            {
                users.Add(row.GetString("UserId") ?? "");
            }
        }
        return users;
    }

    /// <summary>A span of days as the index holds it.</summary>
    public sealed record SpanRow(string Id, string UserId, LeaveStatus Status, DateTimeOffset FromUtc, DateTimeOffset ToUtc);

    /// <summary>The spans of days (any status) that touch [<paramref name="fromUtc"/>, <paramref name="toUtc"/>).</summary>
    public async Task<IReadOnlyList<SpanRow>> SpansAsync(string tenantId, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken = default)
    {
        var spans = new Dictionary<string, SpanRow>(StringComparer.Ordinal);
        foreach (var week in Weeks(fromUtc, toUtc))
        {
            await foreach (var row in table.QueryAsync<TableEntity>(Range(tenantId, "wk|" + week + "|"), cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var span = new SpanRow(row.GetString("Id") ?? "", row.GetString("UserId") ?? "", ParseStatus(row.GetString("Status")),
                    row.GetDateTimeOffset("FromUtc") ?? default, row.GetDateTimeOffset("ToUtc") ?? default);
                if (span.FromUtc < toUtc && fromUtc < span.ToUtc)
                {
                    spans[span.Id] = span;
                }
            }
        }
        return spans.Values.ToList();
    }

    // ---- history, cards, deliveries ----

    public async Task<IReadOnlyList<LeaveHistoryEntry>> HistoryAsync(string tenantId, string id, CancellationToken cancellationToken = default)
    {
        var list = new List<LeaveHistoryEntry>();
        await foreach (var row in table.QueryAsync<TableEntity>(Range(tenantId, "log|" + id + "|"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(new LeaveHistoryEntry(id, row.GetDateTimeOffset("At") ?? default, row.GetString("Action") ?? "", row.GetString("ActorId") ?? "",
                row.GetString("ActorName") ?? "", row.GetString("Comment")));
        }
        return list;
    }

    public Task AddCardPostAsync(string tenantId, LeaveCardPost post, CancellationToken cancellationToken = default) =>
        table.UpsertEntityAsync(new TableEntity(Pk(tenantId), $"card|{post.RequestId}|{Part(post.ConversationId)}|{Part(post.ActivityId)}")
        {
            ["RequestId"] = post.RequestId,
            ["ConversationId"] = post.ConversationId,
            ["ActivityId"] = post.ActivityId,
            ["Locale"] = post.Locale,
            ["UserId"] = post.UserId,
            ["PostedAt"] = post.PostedAt,
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task<IReadOnlyList<LeaveCardPost>> CardPostsAsync(string tenantId, string id, CancellationToken cancellationToken = default)
    {
        var list = new List<LeaveCardPost>();
        await foreach (var row in table.QueryAsync<TableEntity>(Range(tenantId, "card|" + id + "|"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(new LeaveCardPost(id, row.GetString("ConversationId") ?? "", row.GetString("ActivityId") ?? "", row.GetString("Locale") ?? "",
                row.GetString("UserId") ?? "", row.GetDateTimeOffset("PostedAt") ?? default));
        }
        return list;
    }

    /// <summary>Records that <paramref name="what"/> was delivered for the request; <see cref="SaveOutcome.AlreadyExists"/> when it already was.</summary>
    public async Task<Saved<DateTimeOffset>> MarkSentAsync(string tenantId, string id, string what, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var key = $"sent|{id}|{what}";
        try
        {
            await table.AddEntityAsync(new TableEntity(Pk(tenantId), key) { ["At"] = at }, cancellationToken).ConfigureAwait(false);
            return Saved.Written(at, key);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return Saved.AlreadyExists<DateTimeOffset>(default, key);
        }
    }

    public async Task<bool> WasSentAsync(string tenantId, string id, string what, CancellationToken cancellationToken = default) =>
        (await table.GetEntityIfExistsAsync<TableEntity>(Pk(tenantId), $"sent|{id}|{what}", ["PartitionKey"], cancellationToken).ConfigureAwait(false)).HasValue;

    // ---- keys ----

    /// <summary>A request id as this store makes them: its first day, a dash, ten letters or digits.</summary>
    public static bool IsId(string? id) =>
        id is { Length: 19 } && id[8] == '-' && id[..8].All(char.IsAsciiDigit) && id[9..].All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c));

    public static string NewId(DateOnly firstLocalDay)
    {
        const string alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
        var random = string.Create(10, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
        return firstLocalDay.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-" + random;
    }

    /// <summary>The ISO weeks (of UTC dates) that [from, to) touches: the buckets a span is filed under.</summary>
    public static IReadOnlyList<string> Weeks(DateTimeOffset fromUtc, DateTimeOffset toUtc)
    {
        var weeks = new List<string>();
        var first = DateOnly.FromDateTime(fromUtc.UtcDateTime);
        var last = DateOnly.FromDateTime((toUtc > fromUtc ? toUtc.AddTicks(-1) : fromUtc).UtcDateTime);
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            var week = IsoWeek.Of(day);
            if (weeks.Count == 0 || weeks[^1] != week)
            {
                weeks.Add(week);
            }
        }
        return weeks;
    }

    private static string Pk(string tenantId) => TableKeys.Escape(tenantId);

    /// <summary>An id as one part of a row key: escaped, and '|' too, so parts never run together.</summary>
    /// <summary>An id made safe for a row key (and free of the key separator "|").</summary>
    public static string KeyPart(string id) => Part(id);

    private static string Part(string id) => TableKeys.Escape(id).Replace("|", "%7C", StringComparison.Ordinal);

    private static string Range(string tenantId, string prefix) =>
        TableRange.Rows(Pk(tenantId), prefix);

    private static IEnumerable<TableEntity> IndexRows(LeaveRequest r)
    {
        var pk = Pk(r.TenantId);
        TableEntity Row(string rowKey) => new(pk, rowKey)
        {
            ["Id"] = r.Id,
            ["UserId"] = r.UserId,
            ["ApproverId"] = r.ApproverId,
            ["Status"] = r.Status.ToString(),
            ["Kind"] = r.Kind.ToString(),
            ["FromUtc"] = r.FromUtc,
            ["ToUtc"] = r.ToUtc,
            ["OccurrenceKey"] = r.OccurrenceKey,
        };
        yield return Row($"user|{Part(r.UserId)}|{r.Id}");
        yield return Row($"appr|{Part(r.ApproverId)}|{r.Id}");
        if (r.Kind == LeaveKind.Meeting && r.OccurrenceKey != null)
        {
            yield return Row($"occ|{Part(r.OccurrenceKey)}|{r.Id}");
        }
        else if (r.Kind == LeaveKind.Days)
        {
            foreach (var week in Weeks(r.FromUtc, r.ToUtc))
            {
                yield return Row($"wk|{week}|{r.Id}");
            }
        }
    }

    private static TableEntity HistoryRow(string pk, int revision, LeaveHistoryEntry e) =>
        new(pk, $"log|{e.RequestId}|{revision:D5}")
        {
            ["RequestId"] = e.RequestId,
            ["At"] = e.At,
            ["Action"] = e.Action,
            ["ActorId"] = e.ActorId,
            ["ActorName"] = e.ActorName,
            ["Comment"] = e.Comment,
        };

    private static TableEntity ToEntity(LeaveRequest r) => new(Pk(r.TenantId), Req + r.Id)
    {
        ["Id"] = r.Id,
        ["UserId"] = r.UserId,
        ["UserName"] = r.UserName,
        ["Kind"] = r.Kind.ToString(),
        ["Type"] = r.Type,
        ["Reason"] = r.Reason,
        ["OccurrenceKey"] = r.OccurrenceKey,
        ["SeriesId"] = r.SeriesId,
        ["SeriesName"] = r.SeriesName,
        ["FromDate"] = r.FromDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["FromHalf"] = r.FromHalf.ToString(),
        ["ToDate"] = r.ToDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["ToHalf"] = r.ToHalf.ToString(),
        ["WorkingDays"] = r.WorkingDays,
        ["FromUtc"] = r.FromUtc,
        ["ToUtc"] = r.ToUtc,
        ["TimeZone"] = r.TimeZone,
        ["WorkSummary"] = r.WorkSummary,
        ["WorkPlan"] = r.WorkPlan,
        ["LinkedReportWeek"] = r.LinkedReportWeek,
        ["WeeklyKeys"] = r.WeeklyOccurrenceKeys.Count > 0 ? string.Join('\n', r.WeeklyOccurrenceKeys) : null,
        ["ApproverId"] = r.ApproverId,
        ["ApproverName"] = r.ApproverName,
        ["Late"] = r.Late,
        ["SubmittedAt"] = r.SubmittedAt,
        ["Status"] = r.Status.ToString(),
        ["DecidedById"] = r.DecidedById,
        ["DecidedByName"] = r.DecidedByName,
        ["DecidedAt"] = r.DecidedAt,
        ["Comment"] = r.Comment,
        ["Revision"] = r.Revision,
    };

    private static LeaveRequest ToRequest(string tenantId, TableEntity e) => new()
    {
        TenantId = tenantId,
        Id = e.GetString("Id") ?? e.RowKey[Req.Length..],
        UserId = e.GetString("UserId") ?? "",
        UserName = e.GetString("UserName") ?? "",
        Kind = Enum.TryParse<LeaveKind>(e.GetString("Kind"), out var kind) ? kind : LeaveKind.Days,
        Type = e.GetString("Type") ?? LeaveTypes.Other,
        Reason = e.GetString("Reason") ?? "",
        OccurrenceKey = e.GetString("OccurrenceKey"),
        SeriesId = e.GetString("SeriesId"),
        SeriesName = e.GetString("SeriesName"),
        FromDate = DateOnly.TryParseExact(e.GetString("FromDate"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from) ? from : null,
        FromHalf = Enum.TryParse<HalfDay>(e.GetString("FromHalf"), out var fh) ? fh : HalfDay.Morning,
        ToDate = DateOnly.TryParseExact(e.GetString("ToDate"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to) ? to : null,
        ToHalf = Enum.TryParse<HalfDay>(e.GetString("ToHalf"), out var th) ? th : HalfDay.Afternoon,
        WorkingDays = e.GetDouble("WorkingDays") ?? 0,
        FromUtc = e.GetDateTimeOffset("FromUtc") ?? default,
        ToUtc = e.GetDateTimeOffset("ToUtc") ?? default,
        TimeZone = e.GetString("TimeZone") ?? Core.TimeZones.DefaultId,
        WorkSummary = e.GetString("WorkSummary"),
        WorkPlan = e.GetString("WorkPlan"),
        LinkedReportWeek = e.GetString("LinkedReportWeek"),
        WeeklyOccurrenceKeys = e.GetString("WeeklyKeys") is { Length: > 0 } keys ? keys.Split('\n') : [],
        ApproverId = e.GetString("ApproverId") ?? "",
        ApproverName = e.GetString("ApproverName") ?? "",
        Late = e.GetBoolean("Late") ?? false,
        SubmittedAt = e.GetDateTimeOffset("SubmittedAt") ?? default,
        Status = ParseStatus(e.GetString("Status")),
        DecidedById = e.GetString("DecidedById"),
        DecidedByName = e.GetString("DecidedByName"),
        DecidedAt = e.GetDateTimeOffset("DecidedAt"),
        Comment = e.GetString("Comment"),
        Revision = e.GetInt32("Revision") ?? 0,
        ETag = e.ETag.ToString(),
    };

    private static LeaveStatus ParseStatus(string? text) => Enum.TryParse<LeaveStatus>(text, out var s) ? s : LeaveStatus.Pending;
}
