using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.CustomerService;

/// <summary>
/// Customer files, their notes and the reps' own papers, in one table with one partition per
/// tenant (PartitionKey = escaped tenant id). Row keys:
/// <list type="bullet">
/// <item><c>cust|{phone}</c> — a customer's file (<see cref="CustomerFile"/>); the key is the
/// normalized phone. Columns: Name, Title, Phone, IsMember, FirstServiceDate, DueDate, OwnerId,
/// OwnerName, Category, Priority, SortedById, SortedByName, SortedUtc, ContactedUtc,
/// ContactedByName, RemindedOn, CreatedUtc;</item>
/// <item><c>note|{phone}|{ticks}|{id}</c> — a note on the file, in order (AuthorId, AuthorName,
/// Text, Contact);</item>
/// <item><c>log|{yyyy-MM-dd}|{user}</c> — a rep's 工作日志 of that day;</item>
/// <item><c>month|{yyyy-MM}|{report or summary}|{user}</c> — a rep's 月报 or 工作总结.</item>
/// </list>
/// Papers keep Facts and Fields as JSON columns (<see cref="TableJson"/>); every text is capped
/// by the service before it gets here.
/// </summary>
public sealed class CustomerServiceStore(TableClient table)
{
    private const string CustomerPrefix = "cust|";
    private const string NotePrefix = "note|";
    private const string LogPrefix = "log|";
    private const string MonthPrefix = "month|";

    private static readonly JsonSerializerOptions Json = TableJson.Unescaped(new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static string Pk(string tenantId) => TableKeys.Escape(tenantId);

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly? Date(string? text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    // ---- customer files ----

    public async Task<CustomerFile?> GetCustomerAsync(string tenantId, string key, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 40)
        {
            return null;
        }
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Pk(tenantId), CustomerPrefix + TableKeys.Escape(key), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToCustomer(tenantId, row.Value!) : null;
    }

    public async Task<IReadOnlyList<CustomerFile>> ListCustomersAsync(string tenantId, CancellationToken cancellationToken)
    {
        var list = new List<CustomerFile>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableRange.Rows(Pk(tenantId), CustomerPrefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(ToCustomer(tenantId, row));
        }
        return list;
    }

    /// <summary>Adds a new file once: <see cref="SaveOutcome.AlreadyExists"/> when the customer has one (left as it is).</summary>
    public async Task<Saved<CustomerFile>> AddCustomerAsync(CustomerFile file, CancellationToken cancellationToken)
    {
        var entity = ToEntity(file);
        try
        {
            var response = await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return Saved.Written(file with { ETag = response.Headers.ETag?.ToString() }, entity.RowKey);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return Saved.AlreadyExists<CustomerFile>(null, entity.RowKey);
        }
    }

    /// <summary>Replaces the file at its ETag: <see cref="SaveOutcome.Changed"/> when someone changed it meanwhile.</summary>
    public async Task<Saved<CustomerFile>> UpdateCustomerAsync(CustomerFile file, CancellationToken cancellationToken)
    {
        var entity = ToEntity(file);
        try
        {
            var response = await table.UpdateEntityAsync(entity, new ETag(file.ETag ?? "*"), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return Saved.Written(file with { ETag = response.Headers.ETag?.ToString() }, entity.RowKey);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return Saved.Changed<CustomerFile>(entity.RowKey, file.ETag);
        }
    }

    /// <summary>
    /// Adds a note and, when given, the file's new state in one transaction (a contact note marks
    /// the first contact): both are saved or neither.
    /// </summary>
    public async Task<Saved<CustomerNote>> AddNoteAsync(string tenantId, CustomerNote note, CustomerFile? changedFile, CancellationToken cancellationToken)
    {
        var noteEntity = new TableEntity(Pk(tenantId), $"{NotePrefix}{TableKeys.Escape(note.Key)}|{note.AtUtc.UtcTicks:D19}|{Guid.NewGuid():N}")
        {
            ["AtUtc"] = note.AtUtc,
            ["AuthorId"] = note.AuthorId,
            ["AuthorName"] = note.AuthorName,
            ["Text"] = note.Text,
            ["Contact"] = note.Contact,
        };
        TableJson.CheckSize(noteEntity);
        var actions = new List<TableTransactionAction> { new(TableTransactionActionType.Add, noteEntity) };
        if (changedFile != null)
        {
            actions.Add(new(TableTransactionActionType.UpdateReplace, ToEntity(changedFile), new ETag(changedFile.ETag ?? "*")));
        }
        try
        {
            await table.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
            return Saved.Written(note, noteEntity.RowKey);
        }
        catch (TableTransactionFailedException e) when (e.Status is 412 or 404 or 409)
        {
            return Saved.Changed<CustomerNote>(noteEntity.RowKey, changedFile?.ETag);
        }
    }

    public async Task<IReadOnlyList<CustomerNote>> NotesAsync(string tenantId, string key, CancellationToken cancellationToken)
    {
        var list = new List<CustomerNote>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableRange.Rows(Pk(tenantId), $"{NotePrefix}{TableKeys.Escape(key)}|"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(new CustomerNote
            {
                Key = key,
                AtUtc = row.GetDateTimeOffset("AtUtc") ?? default,
                AuthorId = row.GetString("AuthorId") ?? "",
                AuthorName = row.GetString("AuthorName") ?? "",
                Text = row.GetString("Text") ?? "",
                Contact = row.GetBoolean("Contact") ?? false,
            });
        }
        return list;
    }

    private static TableEntity ToEntity(CustomerFile f) => new(Pk(f.TenantId), CustomerPrefix + TableKeys.Escape(f.Key))
    {
        ["Name"] = f.Name,
        ["Title"] = f.Title,
        ["Phone"] = f.Phone,
        ["IsMember"] = f.IsMember,
        ["FirstServiceDate"] = Iso(f.FirstServiceDate),
        ["DueDate"] = Iso(f.DueDate),
        ["OwnerId"] = f.OwnerId,
        ["OwnerName"] = f.OwnerName,
        ["Category"] = f.Category,
        ["Priority"] = f.Priority,
        ["SortedById"] = f.SortedById,
        ["SortedByName"] = f.SortedByName,
        ["SortedUtc"] = f.SortedUtc,
        ["ContactedUtc"] = f.ContactedUtc,
        ["ContactedByName"] = f.ContactedByName,
        ["RemindedOn"] = f.RemindedOn is { } r ? Iso(r) : null,
        ["CreatedUtc"] = f.CreatedUtc,
    };

    private static CustomerFile ToCustomer(string tenantId, TableEntity e) => new()
    {
        TenantId = tenantId,
        Key = TableKeys.Unescape(e.RowKey[CustomerPrefix.Length..]),
        Name = e.GetString("Name") ?? "",
        Title = e.GetString("Title") ?? "ms",
        Phone = e.GetString("Phone") ?? "",
        IsMember = e.GetBoolean("IsMember") ?? false,
        FirstServiceDate = Date(e.GetString("FirstServiceDate")) ?? default,
        DueDate = Date(e.GetString("DueDate")) ?? default,
        OwnerId = e.GetString("OwnerId"),
        OwnerName = e.GetString("OwnerName"),
        Category = e.GetString("Category") ?? "",
        Priority = e.GetString("Priority") ?? "",
        SortedById = e.GetString("SortedById"),
        SortedByName = e.GetString("SortedByName"),
        SortedUtc = e.GetDateTimeOffset("SortedUtc"),
        ContactedUtc = e.GetDateTimeOffset("ContactedUtc"),
        ContactedByName = e.GetString("ContactedByName"),
        RemindedOn = Date(e.GetString("RemindedOn")),
        CreatedUtc = e.GetDateTimeOffset("CreatedUtc") ?? default,
        ETag = e.ETag.ToString(),
    };

    // ---- the reps' papers ----

    private static string LogKey(DateOnly date, string userId) => $"{LogPrefix}{Iso(date)}|{TableKeys.Escape(userId)}";

    private static string MonthKey(string month, string kind, string userId) => $"{MonthPrefix}{month}|{kind}|{TableKeys.Escape(userId)}";

    public async Task<WorkLog?> GetLogAsync(string tenantId, DateOnly date, string userId, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Pk(tenantId), LogKey(date, userId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToLog(tenantId, row.Value!) : null;
    }

    /// <summary>Every rep's log of the days from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public async Task<IReadOnlyList<WorkLog>> LogsAsync(string tenantId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Pk(tenantId)} and RowKey ge {LogPrefix + Iso(from)} and RowKey lt {LogPrefix + Iso(to.AddDays(1))}");
        var list = new List<WorkLog>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(ToLog(tenantId, row));
        }
        return list;
    }

    /// <summary>Saves the day's log: inserted the first time (<see cref="SaveOutcome.AlreadyExists"/> when one appeared meanwhile), then replaced at its ETag.</summary>
    public async Task<Saved<WorkLog>> SaveLogAsync(WorkLog log, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Pk(log.TenantId), LogKey(log.Date, log.UserId))
        {
            ["UserId"] = log.UserId,
            ["UserName"] = log.UserName,
            ["Date"] = Iso(log.Date),
            ["FirstSavedUtc"] = log.FirstSavedUtc,
            ["SavedUtc"] = log.SavedUtc,
        };
        TableJson.Put(entity, "Facts", log.Facts, Json);
        TableJson.Put(entity, "Fields", log.Fields, Json);
        return await WriteAsync(entity, log.ETag, log, (l, etag) => l with { ETag = etag }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<MonthlyPaper?> GetPaperAsync(string tenantId, string month, string kind, string userId, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Pk(tenantId), MonthKey(month, kind, userId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToPaper(tenantId, row.Value!) : null;
    }

    public async Task<IReadOnlyList<MonthlyPaper>> PapersAsync(string tenantId, string month, CancellationToken cancellationToken)
    {
        var list = new List<MonthlyPaper>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableRange.Rows(Pk(tenantId), $"{MonthPrefix}{month}|"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(ToPaper(tenantId, row));
        }
        return list;
    }

    public async Task<Saved<MonthlyPaper>> SavePaperAsync(MonthlyPaper paper, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Pk(paper.TenantId), MonthKey(paper.Month, paper.Kind, paper.UserId))
        {
            ["UserId"] = paper.UserId,
            ["UserName"] = paper.UserName,
            ["Month"] = paper.Month,
            ["Kind"] = paper.Kind,
            ["FirstSavedUtc"] = paper.FirstSavedUtc,
            ["SavedUtc"] = paper.SavedUtc,
            ["Late"] = paper.Late,
        };
        TableJson.Put(entity, "Facts", paper.Facts, Json);
        TableJson.Put(entity, "Fields", paper.Fields, Json);
        return await WriteAsync(entity, paper.ETag, paper, (p, etag) => p with { ETag = etag }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Saved<T>> WriteAsync<T>(TableEntity entity, string? etag, T value, Func<T, string?, T> withETag, CancellationToken cancellationToken)
    {
        try
        {
            var response = etag == null
                ? await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                : await table.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return Saved.Written(withETag(value, response.Headers.ETag?.ToString()), entity.RowKey);
        }
        catch (RequestFailedException e) when (etag == null && e.Status == 409)
        {
            return Saved.AlreadyExists<T>(default, entity.RowKey);
        }
        catch (RequestFailedException e) when (etag != null && e.Status is 412 or 404)
        {
            return Saved.Changed<T>(entity.RowKey, etag);
        }
    }

    private static WorkLog ToLog(string tenantId, TableEntity e) => new()
    {
        TenantId = tenantId,
        UserId = e.GetString("UserId") ?? "",
        UserName = e.GetString("UserName") ?? "",
        Date = Date(e.GetString("Date")) ?? default,
        Facts = TableJson.Get<List<string>>(e, "Facts", Json, []),
        Fields = TableJson.Get<Dictionary<string, string>>(e, "Fields", Json, []),
        FirstSavedUtc = e.GetDateTimeOffset("FirstSavedUtc") ?? default,
        SavedUtc = e.GetDateTimeOffset("SavedUtc") ?? default,
        ETag = e.ETag.ToString(),
    };

    private static MonthlyPaper ToPaper(string tenantId, TableEntity e) => new()
    {
        TenantId = tenantId,
        UserId = e.GetString("UserId") ?? "",
        UserName = e.GetString("UserName") ?? "",
        Month = e.GetString("Month") ?? "",
        Kind = e.GetString("Kind") ?? "",
        Facts = TableJson.Get<List<string>>(e, "Facts", Json, []),
        Fields = TableJson.Get<Dictionary<string, string>>(e, "Fields", Json, []),
        FirstSavedUtc = e.GetDateTimeOffset("FirstSavedUtc") ?? default,
        SavedUtc = e.GetDateTimeOffset("SavedUtc") ?? default,
        Late = e.GetBoolean("Late") ?? false,
        ETag = e.ETag.ToString(),
    };
}
