using System.Collections.Concurrent;
using Azure;
using Azure.Data.Tables;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.People;

/// <summary>
/// People, departments and the audit of every change to them, in one table with one
/// partition per tenant, so that a role change and its audit entry are written together in
/// one entity-group transaction. Row keys:
/// <list type="bullet">
/// <item><c>person|{user id}</c> — a person;</item>
/// <item><c>dept|{name}</c> — a department and its leave approver;</item>
/// <item><c>audit|{reversed ticks}|{guid}</c> — a change, newest first in a range query;</item>
/// <item><c>group|{name}</c> — a named group (<see cref="NamedGroupStore"/> writes these).</item>
/// <item><c>chatlang|{conversation id}</c> — a shared chat's language (<c>本群语言</c>).</item>
/// </list>
/// A person's row keeps the language of the locale their client last sent (<c>PreferredLanguage</c>)
/// and, apart, the language they chose (<c>ChosenLanguage</c>); <see cref="Person.PreferredLanguage"/>
/// reads the choice first.
/// </summary>
public sealed class PeopleDirectory
{
    private const string PersonPrefix = "person|";
    private const string DepartmentPrefix = "dept|";
    private const string AuditPrefix = "audit|";
    private const string ChatLanguagePrefix = "chatlang|";

    private readonly TableClient _table;
    private readonly TimeProvider _time;
    private readonly string _defaultTimeZone;
    // What this process last wrote for a person's identity fields, so first-contact upkeep
    // costs no storage round trip on later turns.
    private readonly ConcurrentDictionary<string, string> _known = new();
    private readonly BufferedRowWriter? _buffer;

    /// <param name="buffer">
    /// Where first-contact rows wait to be written in batches (the bot's: off the turn's path, read
    /// through until written); null writes them on the turn.
    /// </param>
    public PeopleDirectory(TableClient table, TimeProvider time, string defaultTimeZone = "Asia/Shanghai", BufferedRowWriter? buffer = null)
    {
        _table = table;
        _time = time;
        _defaultTimeZone = defaultTimeZone;
        _buffer = buffer;
    }

    // ---- people ----

    public async Task<Person?> GetAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        var rk = PersonPrefix + TableKeys.Escape(userId);
        if (_buffer?.Pending(_table, Pk(tenantId), rk) != null)
        {
            // Met a moment ago and still waiting in the buffer: write it now, so the person read
            // carries the stored version (ETag) an edit of their roles must name.
            await _buffer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Pk(tenantId), rk, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToPerson(row.Value!) : null;
    }

    /// <summary>Row keys one <see cref="GetManyAsync"/> query names at most: Table Storage allows 15 comparisons in a filter (one is the partition).</summary>
    public const int ReadChunk = 14;

    /// <summary>Queries of one <see cref="GetManyAsync"/> in flight at once.</summary>
    public const int ParallelReads = 4;

    /// <summary>
    /// The tenant's people with these user ids, by user id, in one query per <see cref="ReadChunk"/>
    /// ids (a point read each would cost a round trip per person). Ids nobody is known by are
    /// absent. A person still waiting in the buffer is read with the waiting values over the
    /// stored row (as <see cref="ListAsync"/> does); nothing is flushed.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, Person>> GetManyAsync(string tenantId, IEnumerable<string> userIds, CancellationToken cancellationToken = default)
    {
        var partition = Pk(tenantId);
        var ids = userIds.Distinct(StringComparer.Ordinal).ToDictionary(id => PersonPrefix + TableKeys.Escape(id), StringComparer.Ordinal);
        var keys = ids.Keys.ToList();
        var rows = new ConcurrentDictionary<string, TableEntity>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(
            keys.Chunk(ReadChunk),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken },
            async (chunk, token) =>
            {
                var points = string.Join(" or ", chunk.Select(rk => TableClient.CreateQueryFilter($"RowKey eq {rk}")));
                var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}") + " and (" + points + ")";
                await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: ReadChunk, cancellationToken: token).ConfigureAwait(false))
                {
                    rows[row.RowKey] = row;
                }
            }).ConfigureAwait(false);
        if (_buffer != null)
        {
            foreach (var rk in keys)
            {
                if (_buffer.Pending(_table, partition, rk) is { } waiting)
                {
                    rows[rk] = WithWaiting(rows.GetValueOrDefault(rk), waiting);
                }
            }
        }
        return rows.ToDictionary(r => ids[r.Key], r => ToPerson(r.Value), StringComparer.Ordinal);
    }

    /// <summary>Everyone known in the tenant, by name.</summary>
    public async Task<IReadOnlyList<Person>> ListAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var rows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        await foreach (var row in _table.QueryAsync<TableEntity>(RangeFilter(tenantId, PersonPrefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            rows[row.RowKey] = row;
        }
        // People met a moment ago whose row is still waiting to be written.
        foreach (var waiting in _buffer?.PendingIn(_table, Pk(tenantId), PersonPrefix) ?? [])
        {
            rows[waiting.RowKey] = WithWaiting(rows.GetValueOrDefault(waiting.RowKey), waiting);
        }
        var people = rows.Values.Select(ToPerson).ToList();
        return people.OrderBy(p => p.Name, StringComparer.CurrentCulture).ToList();
    }

    /// <summary>People whose name, user principal name or ids contain <paramref name="query"/> (case-insensitive).</summary>
    public async Task<IReadOnlyList<Person>> SearchAsync(string tenantId, string query, int max = 10, CancellationToken cancellationToken = default)
    {
        var q = query.Trim();
        var all = await ListAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return all.Where(p => q.Length == 0
                || p.Name.Contains(q, StringComparison.OrdinalIgnoreCase)
                || (p.UserPrincipalName?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false)
                || p.UserId.Equals(q, StringComparison.OrdinalIgnoreCase)
                || (p.AadObjectId?.Equals(q, StringComparison.OrdinalIgnoreCase) ?? false))
            .Take(max)
            .ToList();
    }

    /// <summary>
    /// Records a person met on a turn or in a conversation's member list: adds them when new,
    /// refreshes name, ids and language when they changed, never touches roles or team.
    /// </summary>
    /// <param name="offThePath">
    /// First contact on a turn (<see cref="PeopleMiddleware"/>): buffered and written in a batch
    /// shortly after, when the directory has a buffer. Otherwise written before this returns.
    /// </param>
    public async Task EnsureKnownAsync(string tenantId, string userId, string? name, string? aadObjectId, string? userPrincipalName, string? locale, CancellationToken cancellationToken = default, bool offThePath = false)
    {
        var language = string.IsNullOrEmpty(locale) ? null : Localizer.Resolve(locale);
        var fingerprint = string.Join("\u001f", name, aadObjectId, userPrincipalName, language);
        var cacheKey = tenantId + "\u001f" + userId;
        if (!offThePath && _buffer?.Pending(_table, Pk(tenantId), PersonPrefix + TableKeys.Escape(userId)) != null)
        {
            // Asked to have the row written now: write what first contact left waiting.
            await _buffer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        if (_known.TryGetValue(cacheKey, out var seen) && seen == fingerprint)
        {
            return;
        }

        var pk = Pk(tenantId);
        var rk = PersonPrefix + TableKeys.Escape(userId);
        if (_buffer != null && offThePath)
        {
            // Off the turn's path: an upsert-merge of the identity fields only (roles, team and
            // time zone are never touched; a new row reads with their defaults), written in a
            // batch shortly after and read through the buffer until then.
            var merge = new TableEntity(pk, rk) { ["TenantId"] = tenantId, ["UserId"] = userId };
            void Set(string property, string? value)
            {
                if (!string.IsNullOrEmpty(value))
                {
                    merge[property] = value;
                }
            }
            Set("Name", name);
            Set("AadObjectId", aadObjectId);
            Set("UserPrincipalName", userPrincipalName);
            Set("PreferredLanguage", language);
            _known[cacheKey] = fingerprint;
            _buffer.Enqueue(_table, merge, () => _known.TryRemove(new KeyValuePair<string, string>(cacheKey, fingerprint)));
            return;
        }
        // New people are the common case on a cold cache (the Monday rush): try the insert
        // first, one round trip; only someone already known costs a read.
        var entity = new TableEntity(pk, rk)
        {
            ["TenantId"] = tenantId,
            ["UserId"] = userId,
            ["Name"] = name ?? "",
            ["AadObjectId"] = aadObjectId,
            ["UserPrincipalName"] = userPrincipalName,
            ["TimeZone"] = _defaultTimeZone,
            ["PreferredLanguage"] = language ?? Localizer.Chinese,
            ["Roles"] = "",
            ["OnDuty"] = false,
        };
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var row = (await _table.GetEntityAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            var update = new TableEntity(pk, rk);
            void Refresh(string property, string? value)
            {
                if (!string.IsNullOrEmpty(value) && row.GetString(property) != value)
                {
                    update[property] = value;
                }
            }
            Refresh("Name", name);
            Refresh("AadObjectId", aadObjectId);
            Refresh("UserPrincipalName", userPrincipalName);
            Refresh("PreferredLanguage", language);
            if (update.Count > 2)
            {
                // Merge touches only these properties: roles set concurrently are kept.
                await _table.UpdateEntityAsync(update, ETag.All, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            }
        }
        _known[cacheKey] = fingerprint;
    }

    /// <summary>
    /// Sets a person's roles, department and on-duty flag, and records the change with who
    /// made it, in one transaction. <paramref name="expectedETag"/> is the version the editor
    /// saw. Answers <see cref="SaveOutcome.Written"/> with the person as stored (its new ETag;
    /// the person unchanged when nothing differs), or <see cref="SaveOutcome.Changed"/> when
    /// someone changed the person since: nothing is written. Without an ETag nothing is written
    /// either (<see cref="SaveOutcome.Changed"/>): who cannot say which version they saw does not
    /// overwrite roles. The change carries an id (<c>ChangeId</c> on the person's row), so a
    /// transaction whose answer was lost is found stored and answered <see cref="SaveOutcome.Written"/>.
    /// </summary>
    public async Task<Saved<Person>> SaveAssignmentAsync(Person actor, Person target, IReadOnlySet<string> roles, string? team, bool onDuty, string? expectedETag, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(expectedETag) || expectedETag == "*")
        {
            return Saved.Changed<Person>(target.UserId, expectedETag);
        }
        var invalid = roles.Where(r => !Roles.IsGrantable(r)).ToList();
        if (invalid.Count > 0)
        {
            throw new ArgumentException("Unknown roles: " + string.Join(", ", invalid), nameof(roles));
        }

        var changes = new List<string>();
        var before = string.Join(",", target.Roles.OrderBy(r => r));
        var after = string.Join(",", roles.OrderBy(r => r));
        if (before != after) changes.Add($"roles: [{before}] → [{after}]");
        if ((target.Team ?? "") != (team ?? "")) changes.Add($"team: {target.Team ?? "-"} → {team ?? "-"}");
        if (target.OnDuty != onDuty) changes.Add($"onDuty: {target.OnDuty} → {onDuty}");
        if (changes.Count == 0)
        {
            return Saved.Written(target, target.UserId);
        }

        var pk = Pk(target.TenantId);
        var rk = PersonPrefix + TableKeys.Escape(target.UserId);
        var changeId = Guid.NewGuid().ToString("N");
        var update = new TableEntity(pk, rk)
        {
            ["Roles"] = after,
            ["Team"] = team,
            ["OnDuty"] = onDuty,
            ["ChangeId"] = changeId,
        };
        var audit = AuditRow(actor, "person", target.UserId, target.Name, string.Join("; ", changes));
        var saved = target with { Roles = roles.ToHashSet(StringComparer.Ordinal), Team = team, OnDuty = onDuty };
        try
        {
            var response = await _table.SubmitTransactionAsync(
            [
                new TableTransactionAction(TableTransactionActionType.UpdateMerge, update, new ETag(expectedETag)),
                new TableTransactionAction(TableTransactionActionType.Add, audit),
            ], cancellationToken).ConfigureAwait(false);
            return Saved.Written(saved with { ETag = response.Value[0].Headers.ETag?.ToString() }, target.UserId);
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
        {
            return Saved.Changed<Person>(target.UserId, expectedETag);
        }
        catch (RequestFailedException e) when (e is not TableTransactionFailedException)
        {
            // The answer may have been lost after the transaction was applied: this change's id on the row says so.
            TableEntity? stored = null;
            try
            {
                var row = await _table.GetEntityIfExistsAsync<TableEntity>(pk, rk, cancellationToken: cancellationToken).ConfigureAwait(false);
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
            return Saved.Written(saved with { ETag = stored.ETag.ToString() }, target.UserId);
        }
    }

    // ---- languages ----

    /// <summary>
    /// Remembers the language <paramref name="userId"/> chose ("zh-CN" or "en"), with nothing
    /// else of their row touched (a merge: roles set meanwhile are kept). Answers the person as
    /// stored; a storage failure throws (nothing was saved).
    /// </summary>
    public async Task<Saved<Person>> SaveChosenLanguageAsync(string tenantId, string userId, string language, CancellationToken cancellationToken = default)
    {
        var chosen = Language(language) ?? throw new ArgumentException($"Unknown language '{language}'.", nameof(language));
        var pk = Pk(tenantId);
        var rk = PersonPrefix + TableKeys.Escape(userId);
        var merge = new TableEntity(pk, rk) { ["TenantId"] = tenantId, ["UserId"] = userId, ["ChosenLanguage"] = chosen };
        await _table.UpsertEntityAsync(merge, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        var stored = await GetAsync(tenantId, userId, cancellationToken).ConfigureAwait(false);
        return stored?.ChosenLanguage == chosen ? Saved.Written(stored, userId) : Saved.Changed<Person>(userId, null);
    }

    /// <summary>
    /// Every language choice of the tenant: the people who chose one (user id → language) and the
    /// shared chats' settings (conversation id → setting). Two range queries, read only the rows that carry one.
    /// </summary>
    public async Task<(IReadOnlyDictionary<string, string> People, IReadOnlyDictionary<string, ChatLanguageSetting> Chats)> ListLanguagesAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var people = new Dictionary<string, string>(StringComparer.Ordinal);
        var chosen = TableClient.CreateQueryFilter($"ChosenLanguage eq {Localizer.Chinese} or ChosenLanguage eq {Localizer.English}");
        await foreach (var row in _table.QueryAsync<TableEntity>(RangeFilter(tenantId, PersonPrefix).And(chosen), select: ["UserId", "ChosenLanguage"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.GetString("UserId") is { Length: > 0 } user && Language(row.GetString("ChosenLanguage")) is { } language)
            {
                people[user] = language;
            }
        }
        var chats = new Dictionary<string, ChatLanguageSetting>(StringComparer.Ordinal);
        await foreach (var row in _table.QueryAsync<TableEntity>(RangeFilter(tenantId, ChatLanguagePrefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (ToChatLanguage(tenantId, row) is { } setting)
            {
                chats[setting.ConversationId] = setting;
            }
        }
        return (people, chats);
    }

    /// <summary>The shared chat's own language, or null when it has none (the tenant's default applies).</summary>
    public async Task<ChatLanguageSetting?> GetChatLanguageAsync(string tenantId, string conversationId, CancellationToken cancellationToken = default)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(Pk(tenantId), ChatLanguagePrefix + TableKeys.Escape(conversationId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToChatLanguage(tenantId, row.Value!) : null;
    }

    /// <summary>
    /// Sets a shared chat's language, with an audit entry naming who did it, in one transaction.
    /// Answers the setting as stored; a storage failure throws (nothing was saved).
    /// </summary>
    public async Task<Saved<ChatLanguageSetting>> SaveChatLanguageAsync(Person actor, string conversationId, string language, CancellationToken cancellationToken = default)
    {
        var chosen = Language(language) ?? throw new ArgumentException($"Unknown language '{language}'.", nameof(language));
        var before = await GetChatLanguageAsync(actor.TenantId, conversationId, cancellationToken).ConfigureAwait(false);
        var setting = new ChatLanguageSetting
        {
            TenantId = actor.TenantId,
            ConversationId = conversationId,
            Language = chosen,
            ChangedBy = actor.UserId,
            ChangedAt = _time.GetUtcNow(),
        };
        if (before?.Language == chosen)
        {
            return Saved.Written(before, conversationId);
        }
        var row = new TableEntity(Pk(actor.TenantId), ChatLanguagePrefix + TableKeys.Escape(conversationId))
        {
            ["ConversationId"] = conversationId,
            ["Language"] = chosen,
            ["ChangedBy"] = actor.UserId,
            ["ChangedAt"] = setting.ChangedAt,
        };
        await _table.SubmitTransactionAsync(
        [
            new TableTransactionAction(TableTransactionActionType.UpsertReplace, row),
            new TableTransactionAction(TableTransactionActionType.Add, AuditRow(actor, "chat", conversationId, conversationId, $"language: {before?.Language ?? "-"} → {chosen}")),
        ], cancellationToken).ConfigureAwait(false);
        return Saved.Written(setting, conversationId);
    }

    private static ChatLanguageSetting? ToChatLanguage(string tenantId, TableEntity row) =>
        Language(row.GetString("Language")) is { } language && row.GetString("ConversationId") is { Length: > 0 } conversation
            ? new ChatLanguageSetting
            {
                TenantId = tenantId,
                ConversationId = conversation,
                Language = language,
                ChangedBy = row.GetString("ChangedBy") ?? "",
                ChangedAt = row.GetDateTimeOffset("ChangedAt") ?? default,
            }
            : null;

    /// <summary>"zh-CN" or "en" for a stored value naming one of them, else null.</summary>
    private static string? Language(string? stored) =>
        string.IsNullOrEmpty(stored) ? null : Localizer.Supported.FirstOrDefault(l => l.Equals(stored, StringComparison.OrdinalIgnoreCase));

    // ---- departments ----

    public async Task<IReadOnlyList<Department>> ListDepartmentsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var list = new List<Department>();
        await foreach (var row in _table.QueryAsync<TableEntity>(RangeFilter(tenantId, DepartmentPrefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(new Department
            {
                TenantId = tenantId,
                Name = row.GetString("Name") ?? "",
                ApproverUserId = row.GetString("ApproverUserId"),
                ETag = row.ETag.ToString(),
            });
        }
        return list.OrderBy(d => d.Name, StringComparer.CurrentCulture).ToList();
    }

    public async Task<Department?> GetDepartmentAsync(string tenantId, string name, CancellationToken cancellationToken = default) =>
        (await ListDepartmentsAsync(tenantId, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(d => d.Name.Equals(name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>Creates or updates a department and its approver, with an audit entry, in one transaction.</summary>
    public async Task<Saved<Department>> SaveDepartmentAsync(Person actor, string name, string? approverUserId, CancellationToken cancellationToken = default)
    {
        var trimmed = name.Trim();
        if (trimmed.Length == 0)
        {
            throw new ArgumentException("A department needs a name.", nameof(name));
        }
        var existing = await GetDepartmentAsync(actor.TenantId, trimmed, cancellationToken).ConfigureAwait(false);
        if (existing != null && existing.ApproverUserId == approverUserId)
        {
            return Saved.Written(existing, existing.Name);
        }
        var key = existing?.Name ?? trimmed;
        var entity = new TableEntity(Pk(actor.TenantId), DepartmentPrefix + TableKeys.Escape(key.ToLowerInvariant()))
        {
            ["Name"] = key,
            ["ApproverUserId"] = approverUserId,
        };
        var change = existing == null ? $"created; approver: {approverUserId ?? "-"}" : $"approver: {existing.ApproverUserId ?? "-"} → {approverUserId ?? "-"}";
        try
        {
            await _table.SubmitTransactionAsync(
            [
                existing == null
                    ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, new ETag(existing.ETag!)),
                new TableTransactionAction(TableTransactionActionType.Add, AuditRow(actor, "department", key, key, change)),
            ], cancellationToken).ConfigureAwait(false);
        }
        catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
        {
            // Someone saved the department meanwhile, or this very change was applied and its
            // answer lost (the client's retry then conflicts with itself): the department as it
            // is now says which.
            var now = await GetDepartmentAsync(actor.TenantId, trimmed, cancellationToken).ConfigureAwait(false);
            return now != null && now.ApproverUserId == approverUserId ? Saved.Written(now, key) : Saved.Changed<Department>(key, existing?.ETag);
        }
        catch (RequestFailedException e) when (e is not TableTransactionFailedException)
        {
            // No answer (the network, a timeout): the change may have been applied. Stored with
            // the approver asked for, it was; otherwise nothing changed and the failure stands.
            var now = await GetDepartmentAsync(actor.TenantId, trimmed, cancellationToken).ConfigureAwait(false);
            if (now != null && now.ApproverUserId == approverUserId && now.ETag != existing?.ETag)
            {
                return Saved.Written(now, key);
            }
            throw;
        }
        return Saved.Written(new Department { TenantId = actor.TenantId, Name = key, ApproverUserId = approverUserId }, key);
    }

    /// <summary>Who approves <paramref name="userId"/>'s leave: their department's approver, or null.</summary>
    public async Task<Person?> GetApproverAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        var person = await GetAsync(tenantId, userId, cancellationToken).ConfigureAwait(false);
        if (person?.Team == null)
        {
            return null;
        }
        var department = await GetDepartmentAsync(tenantId, person.Team, cancellationToken).ConfigureAwait(false);
        return department?.ApproverUserId == null ? null : await GetAsync(tenantId, department.ApproverUserId, cancellationToken).ConfigureAwait(false);
    }

    // ---- audit ----

    /// <summary>The newest <paramref name="take"/> changes in the tenant.</summary>
    public async Task<IReadOnlyList<RoleAuditEntry>> ListAuditAsync(string tenantId, int take = 20, CancellationToken cancellationToken = default)
    {
        var entries = new List<RoleAuditEntry>();
        await foreach (var row in _table.QueryAsync<TableEntity>(RangeFilter(tenantId, AuditPrefix), maxPerPage: take, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new RoleAuditEntry
            {
                When = row.GetDateTimeOffset("When") ?? default,
                ActorId = row.GetString("ActorId") ?? "",
                ActorName = row.GetString("ActorName") ?? "",
                TargetKind = row.GetString("TargetKind") ?? "",
                TargetId = row.GetString("TargetId") ?? "",
                TargetName = row.GetString("TargetName") ?? "",
                Change = row.GetString("Change") ?? "",
            });
            if (entries.Count == take)
            {
                break;
            }
        }
        return entries;
    }

    private TableEntity AuditRow(Person actor, string kind, string targetId, string targetName, string change)
    {
        var now = _time.GetUtcNow();
        // Reversed ticks: a plain range query returns the newest first.
        var rk = $"{AuditPrefix}{DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks:D19}|{Guid.NewGuid():N}";
        return new TableEntity(Pk(actor.TenantId), rk)
        {
            ["When"] = now,
            ["ActorId"] = actor.UserId,
            ["ActorName"] = actor.Name,
            ["TargetKind"] = kind,
            ["TargetId"] = targetId,
            ["TargetName"] = targetName,
            ["Change"] = change,
        };
    }

    private static string Pk(string tenantId) => TableKeys.Escape(tenantId);

    private static string RangeFilter(string tenantId, string prefix) =>
        TableRange.Rows(Pk(tenantId), prefix);

    /// <summary>A stored row (or none) with the values of the merge still waiting in the buffer over it.</summary>
    private static TableEntity WithWaiting(TableEntity? stored, TableEntity waiting)
    {
        var row = new TableEntity(waiting.PartitionKey, waiting.RowKey);
        foreach (var (name, value) in (IEnumerable<KeyValuePair<string, object>>?)stored ?? [])
        {
            row[name] = value;
        }
        foreach (var (name, value) in waiting)
        {
            row[name] = value;
        }
        row.ETag = stored?.ETag ?? default;
        return row;
    }

    private Person ToPerson(TableEntity row) => new()
    {
        TenantId = row.GetString("TenantId") ?? TableKeys.Unescape(row.PartitionKey),
        UserId = row.GetString("UserId") ?? "",
        AadObjectId = row.GetString("AadObjectId"),
        UserPrincipalName = row.GetString("UserPrincipalName"),
        Name = row.GetString("Name") ?? "",
        Team = string.IsNullOrEmpty(row.GetString("Team")) ? null : row.GetString("Team"),
        TimeZone = row.GetString("TimeZone") ?? _defaultTimeZone,
        PreferredLanguage = Language(row.GetString("ChosenLanguage")) ?? Language(row.GetString("PreferredLanguage")) ?? Localizer.Chinese,
        ChosenLanguage = Language(row.GetString("ChosenLanguage")),
        Roles = (row.GetString("Roles") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(),
        OnDuty = row.GetBoolean("OnDuty") ?? false,
        ETag = row.ETag.ToString(),
    };
}
