using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.Complaints;

/// <summary>
/// Complaints, their events and the number counters, in one table with one partition per
/// tenant, so that a complaint's change and the event that says who made it are one
/// entity-group transaction. Row keys:
/// <list type="bullet">
/// <item><c>c|{number}</c> — a complaint (its record as JSON, plus Stage for queries);</item>
/// <item><c>e|{number}|{0001}</c> — its events in order (only ever added), each with the id of the
/// save that wrote it (<c>ChangeId</c>: a save whose answer was lost finds itself stored);</item>
/// <item><c>n|{yyyyMMdd}</c> — the last number given that day (ETag-checked).</item>
/// <item><c>form|{form id}</c> — which complaint a registration form registered (written in the
/// complaint's transaction, so the same form submitted twice registers one complaint).</item>
/// </list>
/// </summary>
public sealed class ComplaintStore(TableClient table)
{
    private const string ComplaintPrefix = "c|";
    private const string EventPrefix = "e|";
    private const string CounterPrefix = "n|";

    private static readonly JsonSerializerOptions Json = TableJson.Unescaped(new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    });

    /// <summary>The next number of the day: PREFIX-yyyyMMdd-001, -002… (ETag-checked counter: two registrations never get the same).</summary>
    public async Task<string> NextNumberAsync(string tenantId, string prefix, DateOnly day, CancellationToken cancellationToken)
    {
        var dayKey = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var rowKey = CounterPrefix + dayKey;
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(Pk(tenantId), rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            try
            {
                int next;
                if (!row.HasValue)
                {
                    next = 1;
                    await table.AddEntityAsync(new TableEntity(Pk(tenantId), rowKey) { ["Last"] = next }, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    next = (row.Value!.GetInt32("Last") ?? 0) + 1;
                    await table.UpdateEntityAsync(new TableEntity(Pk(tenantId), rowKey) { ["Last"] = next }, row.Value.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                }
                return $"{prefix}-{dayKey}-{next:D3}";
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Someone else took this number: read again.
            }
        }
        throw new StorageConflictException(rowKey, null);
    }

    public async Task<Complaint?> GetAsync(string tenantId, string number, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(number) || number.Length > 40)
        {
            return null;
        }
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Pk(tenantId), ComplaintPrefix + TableKeys.Escape(number.Trim().ToUpperInvariant()), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? FromEntity(row.Value!) : null;
    }

    public async Task<IReadOnlyList<Complaint>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        var filter = TableRange.Rows(Pk(tenantId), ComplaintPrefix);
        var list = new List<Complaint>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(FromEntity(row));
        }
        return list.OrderBy(c => c.Number, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<ComplaintEvent>> EventsAsync(string tenantId, string number, CancellationToken cancellationToken)
    {
        var prefix = EventPrefix + TableKeys.Escape(number) + "|";
        var filter = TableRange.Rows(Pk(tenantId), prefix);
        var list = new List<ComplaintEvent>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(new ComplaintEvent
            {
                Number = number,
                Seq = row.GetInt32("Seq") ?? 0,
                AtUtc = row.GetDateTimeOffset("AtUtc") ?? default,
                ActorId = row.GetString("ActorId") ?? "",
                ActorName = row.GetString("ActorName") ?? "",
                Stage = Enum.TryParse<ComplaintStage>(row.GetString("Stage"), out var s) ? s : default,
                Action = row.GetString("Action") ?? "",
                Details = row.GetString("Details") ?? "",
            });
        }
        return list.OrderBy(e => e.Seq).ToList();
    }

    private const string FormPrefix = "form|";

    /// <summary>A registration form's id as a row key part, or null when the card carried none (or a malformed one).</summary>
    public static string? FormKey(string? formId) =>
        formId is { Length: >= 8 and <= 64 } id && id.All(char.IsAsciiLetterOrDigit) ? id : null;

    /// <summary>The complaint a registration form already registered, if any.</summary>
    public async Task<Complaint?> RegisteredByFormAsync(string tenantId, string formKey, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Pk(tenantId), FormPrefix + formKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value!.GetString("Number") is { } number ? await GetAsync(tenantId, number, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>
    /// A new complaint and its first event, together — and, given the registration form's id, a
    /// row marking that form as used, in the same transaction (a second registration from the
    /// same form then fails as a whole: <see cref="SaveOutcome.AlreadyExists"/> with the complaint
    /// that form registered first).
    /// </summary>
    public async Task<Saved<Complaint>> AddAsync(Complaint complaint, ComplaintEvent first, CancellationToken cancellationToken, string? formKey = null)
    {
        var stored = complaint with { Events = 1 };
        var actions = new List<TableTransactionAction>
        {
            new(TableTransactionActionType.Add, ToEntity(stored)),
            new(TableTransactionActionType.Add, ToEntity(stored.TenantId, first with { Seq = 1 })),
        };
        if (formKey != null)
        {
            actions.Add(new(TableTransactionActionType.Add, new TableEntity(Pk(stored.TenantId), FormPrefix + formKey) { ["Number"] = stored.Number }));
        }
        try
        {
            var response = await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return Saved.Written(stored with { ETag = response.Value[0].Headers.ETag?.ToString() }, stored.Number);
        }
        catch (TableTransactionFailedException e) when (formKey != null && e.Status == 409)
        {
            var earlier = await RegisteredByFormAsync(stored.TenantId, formKey, cancellationToken).ConfigureAwait(false);
            return Saved.AlreadyExists(earlier, FormPrefix + formKey);
        }
    }

    /// <summary>
    /// The complaint's new state (if nobody changed it since it was read) and the event saying
    /// what changed, in one transaction; else <see cref="SaveOutcome.Changed"/> and nothing is saved.
    /// </summary>
    public async Task<Saved<Complaint>> SaveAsync(Complaint complaint, ComplaintEvent change, CancellationToken cancellationToken)
    {
        var seq = complaint.Events + 1;
        var stored = complaint with { Events = seq };
        var eventRow = ToEntity(stored.TenantId, change with { Seq = seq });
        var changeId = Guid.NewGuid().ToString("N");
        eventRow["ChangeId"] = changeId;
        try
        {
            var response = await table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(stored), complaint.ETag is { Length: > 0 } e ? new ETag(e) : ETag.All),
                new TableTransactionAction(TableTransactionActionType.Add, eventRow),
            ], cancellationToken).ConfigureAwait(false);
            return Saved.Written(stored with { ETag = response.Value[0].Headers.ETag?.ToString() }, stored.Number);
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return Saved.Changed<Complaint>(complaint.Number, complaint.ETag);
        }
        catch (RequestFailedException e) when (e is not TableTransactionFailedException)
        {
            // The answer may have been lost after the transaction was applied: this save's event says so.
            Complaint? landed = null;
            try
            {
                var ev = await table.GetEntityIfExistsAsync<TableEntity>(eventRow.PartitionKey, eventRow.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (ev.HasValue && ev.Value!.GetString("ChangeId") == changeId)
                {
                    landed = await GetAsync(stored.TenantId, stored.Number, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (RequestFailedException)
            {
                // Cannot tell: the first failure stands.
            }
            if (landed == null)
            {
                throw;
            }
            return Saved.Written(stored with { ETag = landed.Events == seq ? landed.ETag : null }, stored.Number);
        }
    }

    private static string Pk(string tenantId) => TableKeys.Escape(tenantId);


    private static TableEntity ToEntity(Complaint c)
    {
        var entity = new TableEntity(Pk(c.TenantId), ComplaintPrefix + TableKeys.Escape(c.Number))
        {
            ["Stage"] = c.Stage.ToString(),
            ["ReceivedUtc"] = c.ReceivedUtc,
        };
        TableJson.Put(entity, "Data", c with { ETag = null }, Json);
        return entity;
    }

    private static Complaint FromEntity(TableEntity row) =>
        TableJson.Get<Complaint?>(row, "Data", Json, null)! with { ETag = row.ETag.ToString() };

    private static TableEntity ToEntity(string tenantId, ComplaintEvent e) => new(Pk(tenantId), $"{EventPrefix}{TableKeys.Escape(e.Number)}|{e.Seq:D4}")
    {
        ["Seq"] = e.Seq,
        ["AtUtc"] = e.AtUtc,
        ["ActorId"] = e.ActorId,
        ["ActorName"] = e.ActorName,
        ["Stage"] = e.Stage.ToString(),
        ["Action"] = e.Action,
        ["Details"] = e.Details,
    };
}
