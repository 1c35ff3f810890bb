using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.Callbacks;

/// <summary>
/// Callback tasks, their call records (回访记录表) and the supervisor's script settings, in one
/// table with one partition per tenant, so that closing a call — the task's new state and its
/// record — is one entity-group transaction: either both are saved or neither. Row keys:
/// <list type="bullet">
/// <item><c>task|{id}</c> — a task; the id is a hash of the customer's phone, the service item and
/// the service date, so a re-imported record finds its task (409) instead of adding one;</item>
/// <item><c>rec|{task id}|{001}</c> — the task's call records in order;</item>
/// <item><c>cfg|script|{service type}</c> and <c>cfg|toggles|{script id}</c> — settings;</item>
/// <item><c>rpt|{from}|{to}</c> — the analysis (分析结果) of the 回访总结报告 of that period
/// (yyyy-MM-dd): <c>Analysis</c> (at most <see cref="CallbackReportNote.MaxAnalysis"/> characters),
/// <c>WrittenBy</c>, <c>WrittenByName</c>, <c>WrittenUtc</c>, the figures it was written against
/// (<c>Figures</c>, JSON) and the id of the save that wrote it (<c>ChangeId</c>).</item>
/// </list>
/// Call records also keep how the callback was made (<c>Method</c>: Phone, Email or Message; none
/// on records written before it existed, read as Phone).
/// </summary>
public sealed class CallbackStore(TableClient table)
{
    private const string TaskPrefix = "task|";
    private const string RecordPrefix = "rec|";
    private const string ScriptChoicePrefix = "cfg|script|";
    private const string TogglesPrefix = "cfg|toggles|";
    private const string ReportPrefix = "rpt|";

    /// <summary>A Table Storage transaction holds at most 100 operations.</summary>
    public const int BatchSize = 100;

    /// <summary>The key that makes two imported rows the same record.</summary>
    public static string TaskId(string phone, string serviceItem, DateOnly serviceDate)
    {
        var key = $"{NormalizePhone(phone)}|{NormalizeText(serviceItem)}|{CallbackDates.Iso(serviceDate)}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..20];
    }

    /// <summary>Digits only, without China's country code: "+86 138-0013-8000" and "13800138000" are one phone.</summary>
    public static string NormalizePhone(string phone)
    {
        var digits = new string(phone.Where(char.IsAsciiDigit).ToArray());
        if (digits.StartsWith("0086", StringComparison.Ordinal))
        {
            digits = digits[4..];
        }
        else if (digits.Length == 13 && digits.StartsWith("861", StringComparison.Ordinal))
        {
            digits = digits[2..];
        }
        return digits;
    }

    /// <summary>Trimmed, inner white space collapsed, full-width folded, lower case.</summary>
    public static string NormalizeText(string text) =>
        string.Join(" ", text.Normalize(NormalizationForm.FormKC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    // ---- tasks ----

    public async Task<CallbackTask?> GetTaskAsync(string tenantId, string taskId, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(taskId) || taskId.Length > 100)
        {
            return null;
        }
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Pk(tenantId), TaskPrefix + TableKeys.Escape(taskId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToTask(tenantId, row.Value!) : null;
    }

    /// <summary>Every task of the tenant (open ones only when <paramref name="openOnly"/>).</summary>
    public async Task<IReadOnlyList<CallbackTask>> ListTasksAsync(string tenantId, bool openOnly, CancellationToken cancellationToken)
    {
        var pk = Pk(tenantId);
        var filter = openOnly
            ? TableRange.Rows(pk, TaskPrefix).And(TableClient.CreateQueryFilter($"Status eq {nameof(CallbackStatus.Open)}"))
            : TableRange.Rows(pk, TaskPrefix);
        var list = new List<CallbackTask>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(ToTask(tenantId, row));
        }
        return list;
    }

    /// <summary>The open tasks of one rep.</summary>
    public async Task<IReadOnlyList<CallbackTask>> OpenTasksOfAsync(string tenantId, string repId, CancellationToken cancellationToken)
    {
        var pk = Pk(tenantId);
        var filter = TableRange.Rows(pk, TaskPrefix).And(TableClient.CreateQueryFilter($"Status eq {nameof(CallbackStatus.Open)} and RepId eq {repId}"));
        var list = new List<CallbackTask>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(ToTask(tenantId, row));
        }
        return list;
    }

    /// <summary>
    /// Adds new tasks, <see cref="BatchSize"/> to a transaction. Answers one <see cref="Saved{T}"/>
    /// per task, in order: <see cref="SaveOutcome.Written"/>, or <see cref="SaveOutcome.AlreadyExists"/>
    /// when a task with its id is there already (the same record imported before: left as it is,
    /// not read). Every row carries the call's id (<c>ImportId</c>), so a transaction whose answer
    /// was lost is found stored and answered Written, and pressing again adds nothing twice. A
    /// storage failure throws; the transactions before it stay written, so a caller adding more than
    /// <see cref="BatchSize"/> tasks calls once per batch to know which (<c>CallbackService.ImportAsync</c>).
    /// </summary>
    public async Task<IReadOnlyList<Saved<CallbackTask>>> AddTasksAsync(string tenantId, IReadOnlyList<CallbackTask> tasks, CancellationToken cancellationToken)
    {
        var importId = Guid.NewGuid().ToString("N");
        var added = new HashSet<string>(StringComparer.Ordinal);
        TableEntity Entity(CallbackTask t)
        {
            var entity = ToEntity(t);
            entity["ImportId"] = importId;
            return entity;
        }
        foreach (var batch in tasks.Chunk(BatchSize))
        {
            try
            {
                await table.SubmitTransactionAsync(batch.Select(t => new TableTransactionAction(TableTransactionActionType.Add, Entity(t))), cancellationToken).ConfigureAwait(false);
                added.UnionWith(batch.Select(t => t.Id));
            }
            catch (TableTransactionFailedException e) when (e.Status == 409)
            {
                // Some were imported before: add the others one by one.
                foreach (var task in batch)
                {
                    try
                    {
                        await table.AddEntityAsync(Entity(task), cancellationToken).ConfigureAwait(false);
                        added.Add(task.Id);
                    }
                    catch (RequestFailedException one) when (one.Status == 409)
                    {
                        // Already there.
                    }
                    catch (RequestFailedException lost)
                    {
                        // Its answer may have been lost after it was stored.
                        await ThrowUnlessLandedAsync(tenantId, importId, [task], lost, cancellationToken).ConfigureAwait(false);
                        added.Add(task.Id);
                    }
                }
            }
            catch (RequestFailedException e) when (e is not TableTransactionFailedException)
            {
                // The transaction's answer may have been lost after it was applied.
                await ThrowUnlessLandedAsync(tenantId, importId, batch, e, cancellationToken).ConfigureAwait(false);
                added.UnionWith(batch.Select(t => t.Id));
            }
        }
        return tasks.Select(t => added.Contains(t.Id)
            ? Saved.Written(t, t.Id)
            : Saved.AlreadyExists<CallbackTask>(null, t.Id)).ToList();
    }

    /// <summary>Returns when every one of <paramref name="sent"/> is stored by this <see cref="AddTasksAsync"/> call (its ImportId); else throws <paramref name="failure"/> again.</summary>
    private async Task ThrowUnlessLandedAsync(string tenantId, string importId, IReadOnlyCollection<CallbackTask> sent, RequestFailedException failure, CancellationToken cancellationToken)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var filter = TableRange.Rows(Pk(tenantId), TaskPrefix).And(TableClient.CreateQueryFilter($"ImportId eq {importId}"));
            await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                ids.Add(TableKeys.Unescape(row.RowKey[TaskPrefix.Length..]));
            }
        }
        catch (RequestFailedException)
        {
            // Cannot tell: the first failure stands.
            ids.Clear();
        }
        if (!sent.All(t => ids.Contains(t.Id)))
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>Replaces a task if nobody changed it since it was read (its ETag); else <see cref="SaveOutcome.Changed"/>.</summary>
    public async Task<Saved<CallbackTask>> UpdateTaskAsync(CallbackTask task, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.UpdateEntityAsync(ToEntity(task), task.ETag is { Length: > 0 } e ? new ETag(e) : ETag.All, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return Saved.Written(task with { ETag = response.Headers.ETag?.ToString() }, task.Id);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return Saved.Changed<CallbackTask>(task.Id, task.ETag);
        }
    }

    /// <summary>
    /// Saves a call: the task's new state (if unchanged since read) and the call's record, in one
    /// transaction. <see cref="SaveOutcome.Changed"/> when the task changed meanwhile
    /// (reassigned, closed by someone else) — then nothing is saved. Written: the record.
    /// </summary>
    public async Task<Saved<CallRecord>> SaveCallAsync(CallbackTask task, CallRecord record, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(task), task.ETag is { Length: > 0 } e ? new ETag(e) : ETag.All),
                new TableTransactionAction(TableTransactionActionType.Add, ToEntity(record)),
            ], cancellationToken).ConfigureAwait(false);
            return Saved.Written(record, task.Id);
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return Saved.Changed<CallRecord>(task.Id, task.ETag);
        }
    }

    // ---- records ----

    /// <summary>Call records that ended in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), all when both are null.</summary>
    public async Task<IReadOnlyList<CallRecord>> ListRecordsAsync(string tenantId, DateTimeOffset? fromUtc, DateTimeOffset? toUtc, CancellationToken cancellationToken)
    {
        var pk = Pk(tenantId);
        var from = fromUtc ?? DateTimeOffset.MinValue.AddYears(1600);
        var to = toUtc ?? DateTimeOffset.MaxValue.AddYears(-1);
        var filter = TableRange.Rows(pk, RecordPrefix).And(TableClient.CreateQueryFilter($"EndedUtc ge {from} and EndedUtc lt {to}"));
        var list = new List<CallRecord>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(ToRecord(tenantId, row));
        }
        return list.OrderBy(r => r.EndedUtc).ThenBy(r => r.TaskId, StringComparer.Ordinal).ThenBy(r => r.Number).ToList();
    }

    public async Task<IReadOnlyList<CallRecord>> RecordsOfTaskAsync(string tenantId, string taskId, CancellationToken cancellationToken)
    {
        var prefix = RecordPrefix + TableKeys.Escape(taskId) + "|";
        var filter = TableRange.Rows(Pk(tenantId), prefix);
        var list = new List<CallRecord>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(ToRecord(tenantId, row));
        }
        return list;
    }

    /// <summary>Notes the complaint registered from a call on its record.</summary>
    public async Task SetComplaintIdAsync(CallRecord record, string complaintId, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Pk(record.TenantId), RecordKey(record.TaskId, record.Number)) { ["ComplaintId"] = complaintId };
        await table.UpdateEntityAsync(entity, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
    }

    // ---- settings ----

    /// <summary>Service type (normalized) → the script id the supervisor chose for it; the key "*" is every other type.</summary>
    public async Task<IReadOnlyDictionary<string, (string ServiceType, string ScriptId)>> ScriptChoicesAsync(string tenantId, CancellationToken cancellationToken)
    {
        var filter = TableRange.Rows(Pk(tenantId), ScriptChoicePrefix);
        var map = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var type = row.GetString("ServiceType") ?? "*";
            map[type == "*" ? "*" : NormalizeText(type)] = (type, row.GetString("ScriptId") ?? "");
        }
        return map;
    }

    public async Task SetScriptChoiceAsync(string tenantId, string serviceType, string scriptId, string changedBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = serviceType == "*" ? "*" : NormalizeText(serviceType);
        var entity = new TableEntity(Pk(tenantId), ScriptChoicePrefix + TableKeys.Escape(key))
        {
            ["ServiceType"] = serviceType,
            ["ScriptId"] = scriptId,
            ["ChangedBy"] = changedBy,
            ["ChangedUtc"] = now,
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ScriptSettings> ScriptSettingsAsync(string tenantId, string scriptId, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Pk(tenantId), TogglesPrefix + TableKeys.Escape(scriptId), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue)
        {
            return ScriptSettings.None;
        }
        var on = (row.Value!.GetString("TogglesOn") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        return new ScriptSettings(on, row.Value.GetString("ThemeText"));
    }

    public async Task SetScriptSettingsAsync(string tenantId, string scriptId, ScriptSettings settings, string changedBy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Pk(tenantId), TogglesPrefix + TableKeys.Escape(scriptId))
        {
            ["TogglesOn"] = string.Join(",", settings.TogglesOn.Order(StringComparer.Ordinal)),
            ["ThemeText"] = settings.ThemeText,
            ["ChangedBy"] = changedBy,
            ["ChangedUtc"] = now,
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    // ---- the report's analysis ----

    public async Task<CallbackReportNote?> GetReportNoteAsync(string tenantId, ReportPeriod period, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Pk(tenantId), ReportKey(period), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToNote(tenantId, period, row.Value!) : null;
    }

    /// <summary>
    /// Saves a period's analysis: the first one once (insert; 409 — someone saved first — is
    /// <see cref="SaveOutcome.Changed"/>), a later one only over the row read
    /// (<see cref="CallbackReportNote.ETag"/>; 412 is Changed). A save whose answer was lost is
    /// found stored by its <c>ChangeId</c> and answered Written; any other storage failure throws.
    /// </summary>
    public async Task<Saved<CallbackReportNote>> SaveReportNoteAsync(CallbackReportNote note, CancellationToken cancellationToken)
    {
        if (note.Analysis.Length > CallbackReportNote.MaxAnalysis)
        {
            throw new ArgumentException($"An analysis holds at most {CallbackReportNote.MaxAnalysis} characters.", nameof(note));
        }
        var changeId = Guid.NewGuid().ToString("N");
        var entity = new TableEntity(Pk(note.TenantId), ReportKey(note.Period))
        {
            ["Analysis"] = note.Analysis,
            ["WrittenBy"] = note.WrittenById,
            ["WrittenByName"] = note.WrittenByName,
            ["WrittenUtc"] = note.WrittenUtc,
            ["ChangeId"] = changeId,
        };
        if (note.Figures != null)
        {
            entity["Figures"] = JsonSerializer.Serialize(note.Figures);
        }
        var key = note.Period.FileSuffix;
        try
        {
            var response = note.ETag is { Length: > 0 } etag
                ? await table.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false)
                : await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return Saved.Written(note with { ETag = response.Headers.ETag?.ToString() }, key);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return Saved.Changed<CallbackReportNote>(key, note.ETag);
        }
        catch (RequestFailedException)
        {
            // The answer may have been lost after the row was written: this save's id on the row says so.
            TableEntity? stored = null;
            try
            {
                var row = await table.GetEntityIfExistsAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
                stored = row.HasValue ? row.Value : null;
            }
            catch (RequestFailedException)
            {
                // Cannot tell: the first failure stands.
            }
            if (stored?.GetString("ChangeId") != changeId)
            {
                throw;
            }
            return Saved.Written(note with { ETag = stored.ETag.ToString() }, key);
        }
    }

    private static string ReportKey(ReportPeriod period) => $"{ReportPrefix}{CallbackDates.Iso(period.From)}|{CallbackDates.Iso(period.To)}";

    private static CallbackReportNote ToNote(string tenantId, ReportPeriod period, TableEntity row)
    {
        ReportFigures? figures = null;
        if (row.GetString("Figures") is { Length: > 0 } json)
        {
            try
            {
                figures = JsonSerializer.Deserialize<ReportFigures>(json);
            }
            catch (JsonException)
            {
                figures = null;
            }
        }
        return new CallbackReportNote
        {
            TenantId = tenantId,
            Period = period,
            Analysis = row.GetString("Analysis") ?? "",
            WrittenById = row.GetString("WrittenBy") ?? "",
            WrittenByName = row.GetString("WrittenByName") ?? "",
            WrittenUtc = row.GetDateTimeOffset("WrittenUtc") ?? default,
            Figures = figures,
            ETag = row.ETag.ToString(),
        };
    }

    // ---- mapping ----

    private static string Pk(string tenantId) => TableKeys.Escape(tenantId);


    private static string RecordKey(string taskId, int number) => $"{RecordPrefix}{TableKeys.Escape(taskId)}|{number:D3}";

    private static string? Date(DateOnly? date) => date is { } d ? CallbackDates.Iso(d) : null;

    private static DateOnly ParseDate(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : default;

    private static TEnum ParseEnum<TEnum>(string? text, TEnum fallback) where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(text, out var value) ? value : fallback;

    private static TableEntity ToEntity(CallbackTask t) => new(Pk(t.TenantId), TaskPrefix + TableKeys.Escape(t.Id))
    {
        ["CustomerName"] = t.CustomerName,
        ["Title"] = t.Title,
        ["Phone"] = t.Phone,
        ["IsMember"] = t.IsMember,
        ["ServiceItem"] = t.ServiceItem,
        ["ServiceType"] = t.ServiceType,
        ["ServiceDate"] = Date(t.ServiceDate),
        ["DueDate"] = Date(t.DueDate),
        ["CustomerTimeZone"] = t.CustomerTimeZone,
        ["RepId"] = t.RepId,
        ["RepName"] = t.RepName,
        ["AssignedBy"] = t.AssignedBy,
        ["AssignedUtc"] = t.AssignedUtc,
        ["Status"] = t.Status.ToString(),
        ["FailedAttempts"] = t.FailedAttempts,
        ["Calls"] = t.Calls,
        ["NextAttemptUtc"] = t.NextAttemptUtc,
        ["BookedUtc"] = t.BookedUtc,
        ["LastOutcome"] = t.LastOutcome?.ToString(),
        ["LastCallUtc"] = t.LastCallUtc,
        ["FinishedUtc"] = t.FinishedUtc,
        ["Satisfaction"] = t.Satisfaction.ToString(),
        ["FollowUp"] = t.FollowUp,
        ["RemindedOn"] = Date(t.RemindedOn),
        ["EscalatedUtc"] = t.EscalatedUtc,
        ["ImportedUtc"] = t.ImportedUtc,
        ["ImportedBy"] = t.ImportedBy,
    };

    private static CallbackTask ToTask(string tenantId, TableEntity row) => new()
    {
        TenantId = tenantId,
        Id = TableKeys.Unescape(row.RowKey[TaskPrefix.Length..]),
        CustomerName = row.GetString("CustomerName") ?? "",
        Title = row.GetString("Title") ?? "",
        Phone = row.GetString("Phone") ?? "",
        IsMember = row.GetBoolean("IsMember") ?? false,
        ServiceItem = row.GetString("ServiceItem") ?? "",
        ServiceType = row.GetString("ServiceType") ?? row.GetString("ServiceItem") ?? "",
        ServiceDate = ParseDate(row.GetString("ServiceDate")),
        DueDate = ParseDate(row.GetString("DueDate")),
        CustomerTimeZone = row.GetString("CustomerTimeZone") ?? "Asia/Shanghai",
        RepId = string.IsNullOrEmpty(row.GetString("RepId")) ? null : row.GetString("RepId"),
        RepName = row.GetString("RepName"),
        AssignedBy = row.GetString("AssignedBy"),
        AssignedUtc = row.GetDateTimeOffset("AssignedUtc"),
        Status = ParseEnum(row.GetString("Status"), CallbackStatus.Open),
        FailedAttempts = row.GetInt32("FailedAttempts") ?? 0,
        Calls = row.GetInt32("Calls") ?? 0,
        NextAttemptUtc = row.GetDateTimeOffset("NextAttemptUtc"),
        BookedUtc = row.GetDateTimeOffset("BookedUtc"),
        LastOutcome = row.GetString("LastOutcome") is { } o && Enum.TryParse<CallOutcome>(o, out var outcome) ? outcome : null,
        LastCallUtc = row.GetDateTimeOffset("LastCallUtc"),
        FinishedUtc = row.GetDateTimeOffset("FinishedUtc"),
        Satisfaction = ParseEnum(row.GetString("Satisfaction"), Satisfaction.None),
        FollowUp = row.GetBoolean("FollowUp") ?? false,
        RemindedOn = row.GetString("RemindedOn") is { Length: > 0 } r ? ParseDate(r) : null,
        EscalatedUtc = row.GetDateTimeOffset("EscalatedUtc"),
        ImportedUtc = row.GetDateTimeOffset("ImportedUtc") ?? default,
        ImportedBy = row.GetString("ImportedBy") ?? "",
        ETag = row.ETag.ToString(),
    };

    private static readonly System.Text.Json.JsonSerializerOptions StepsJson = TableJson.Unescaped(CallbackScript.JsonOptions);

    private static TableEntity ToEntity(CallRecord r)
    {
        var entity = Row(r);
        TableJson.Put(entity, "Steps", r.Steps, StepsJson);
        return entity;
    }

    private static TableEntity Row(CallRecord r) => new(Pk(r.TenantId), RecordKey(r.TaskId, r.Number))
    {
        ["TaskId"] = r.TaskId,
        ["Number"] = r.Number,
        ["StartedUtc"] = r.StartedUtc,
        ["EndedUtc"] = r.EndedUtc,
        ["RepId"] = r.RepId,
        ["RepName"] = r.RepName,
        ["CustomerName"] = r.CustomerName,
        ["Title"] = r.Title,
        ["Phone"] = r.Phone,
        ["IsMember"] = r.IsMember,
        ["ServiceItem"] = r.ServiceItem,
        ["ServiceDate"] = CallbackDates.Iso(r.ServiceDate),
        ["DueDate"] = CallbackDates.Iso(r.DueDate),
        ["ScriptId"] = r.ScriptId,
        ["ScriptVersion"] = r.ScriptVersion,
        ["Language"] = r.Language,
        ["Outcome"] = r.Outcome.ToString(),
        ["Method"] = r.Method.ToString(),
        ["Attempt"] = r.Attempt,
        ["Satisfaction"] = r.Satisfaction.ToString(),
        ["ComplaintWords"] = r.ComplaintWords,
        ["SuggestionWords"] = r.SuggestionWords,
        ["FollowUp"] = r.FollowUp,
        ["FollowUpNote"] = r.FollowUpNote,
        ["ComplaintOffered"] = r.ComplaintOffered,
        ["ComplaintAccepted"] = r.ComplaintAccepted,
        ["ComplaintId"] = r.ComplaintId,
        ["BookedUtc"] = r.BookedUtc,
    };

    private static CallRecord ToRecord(string tenantId, TableEntity row) => new()
    {
        TenantId = tenantId,
        TaskId = row.GetString("TaskId") ?? "",
        Number = row.GetInt32("Number") ?? 0,
        StartedUtc = row.GetDateTimeOffset("StartedUtc") ?? default,
        EndedUtc = row.GetDateTimeOffset("EndedUtc") ?? default,
        RepId = row.GetString("RepId") ?? "",
        RepName = row.GetString("RepName") ?? "",
        CustomerName = row.GetString("CustomerName") ?? "",
        Title = row.GetString("Title") ?? "",
        Phone = row.GetString("Phone") ?? "",
        IsMember = row.GetBoolean("IsMember") ?? false,
        ServiceItem = row.GetString("ServiceItem") ?? "",
        ServiceDate = ParseDate(row.GetString("ServiceDate")),
        DueDate = ParseDate(row.GetString("DueDate")),
        ScriptId = row.GetString("ScriptId") ?? "",
        ScriptVersion = row.GetInt32("ScriptVersion") ?? 0,
        Language = row.GetString("Language") ?? "zh-CN",
        Outcome = ParseEnum(row.GetString("Outcome"), CallOutcome.Finished),
        Method = ParseEnum(row.GetString("Method"), CallMethod.Phone),
        Attempt = row.GetInt32("Attempt") ?? 0,
        Satisfaction = ParseEnum(row.GetString("Satisfaction"), Satisfaction.None),
        Steps = TableJson.Get<List<StepAnswer>>(row, "Steps", StepsJson, []),
        ComplaintWords = row.GetString("ComplaintWords"),
        SuggestionWords = row.GetString("SuggestionWords"),
        FollowUp = row.GetBoolean("FollowUp") ?? false,
        FollowUpNote = row.GetString("FollowUpNote"),
        ComplaintOffered = row.GetBoolean("ComplaintOffered") ?? false,
        ComplaintAccepted = row.GetBoolean("ComplaintAccepted") ?? false,
        ComplaintId = row.GetString("ComplaintId"),
        BookedUtc = row.GetDateTimeOffset("BookedUtc"),
    };
}
