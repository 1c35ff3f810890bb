using ChatRegs.Bot.Core;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.Meetings;

/// <summary>
/// Meeting series, their participants and one-off changes, in one table with a partition per
/// tenant. Row keys:
/// <list type="bullet">
/// <item><c>series|{id}</c> — the series (schedule as JSON);</item>
/// <item><c>member|{series id}|{user id}</c> — a participant: "is X a participant" is one point
/// read, the list one range query, and thousands of participants never share an entity;</item>
/// <item><c>occ|{occurrence key}</c> — a one-off change to one occurrence (moved, cancelled, substitute host).</item>
/// </list>
/// </summary>
public sealed class MeetingStore(TableClient table)
{
    private static readonly JsonSerializerOptions Json = new() { IncludeFields = true };

    // ---- series ----

    /// <summary>Creates a series with its participants (see <see cref="SaveSeriesAsync"/>).</summary>
    public Task CreateSeriesAsync(MeetingSeries series, IEnumerable<string> participantIds, CancellationToken cancellationToken) =>
        SaveSeriesAsync(series with { ETag = null }, participantIds, ChangeId("seed", series.Id), cancellationToken);

    /// <summary>Replaces the series if it is still at <see cref="MeetingSeries.ETag"/>; else <see cref="SaveOutcome.Changed"/>.</summary>
    public async Task<Saved<MeetingSeries>> UpdateSeriesAsync(MeetingSeries series, CancellationToken cancellationToken)
    {
        try
        {
            var response = await table.UpdateEntityAsync(ToEntity(series), series.ETag is { Length: > 0 } e ? new ETag(e) : ETag.All, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return Saved.Written(series with { ETag = response.Headers.ETag?.ToString() }, "series|" + series.Id);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            return Saved.Changed<MeetingSeries>("series|" + series.Id, series.ETag);
        }
    }

    /// <summary>
    /// Saves a series and makes its participant list exactly <paramref name="participantIds"/>,
    /// all or nothing as far as anyone can see: the participant rows go first (when there are more
    /// than fit one transaction with the series), then the series row with the last of them in one
    /// entity-group transaction, so a series never exists with half its participants, and
    /// participant rows without their series are invisible (and made right by the next save).
    /// <para>An existing series whose change takes more than one transaction (more than 99
    /// participants added or removed) is checked at its ETag before anything is written, and when
    /// its last transaction (the series row) is refused or fails, the participant transactions
    /// already written are undone (their inverse: removed rows back, added rows deleted) before the
    /// answer: nobody sees half of an edit that was answered "not saved". (If storage fails the
    /// undo as well, the edit's retry computes its changes from what is stored and completes it.)</para>
    /// <para>A new series (no <see cref="MeetingSeries.ETag"/>) is written whatever is stored
    /// under its id: its id is the form's, so a retry of the same form writes the same series
    /// once. An existing one only if still at its ETag, else <see cref="SaveOutcome.Changed"/>.</para>
    /// <para><paramref name="changeId"/> names this change (same form, same values → same id) and
    /// is stored with the series: when a write's answer is lost (the write may have happened), or
    /// a retry finds the ETag moved on, the stored change id tells whether it was this very
    /// change — then it is reported saved, not "changed by someone else".</para>
    /// </summary>
    public async Task<Saved<MeetingSeries>> SaveSeriesAsync(MeetingSeries series, IEnumerable<string> participantIds, string changeId, CancellationToken cancellationToken)
    {
        var wanted = participantIds.Where(u => !string.IsNullOrWhiteSpace(u)).Distinct().ToHashSet();
        var current = (await ListParticipantsAsync(series.TenantId, series.Id, cancellationToken).ConfigureAwait(false)).ToHashSet();
        var members = ParticipantActions(series.TenantId, series.Id, wanted, current);
        var entity = ToEntity(series);
        entity["ChangeId"] = changeId;
        var isNew = series.ETag is not { Length: > 0 };
        var seriesAction = isNew
            ? new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity)
            : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, new ETag(series.ETag!));
        // Participants that do not fit the series' transaction first; the series last.
        var first = Math.Max(0, members.Count - 99);
        if (first > 0 && !isNew
            && await GetSeriesAsync(series.TenantId, series.Id, cancellationToken).ConfigureAwait(false) is var stored
            && stored?.ETag != series.ETag)
        {
            // Changed (or removed) since it was read: nothing is written.
            return await SavedAlreadyAsync(series, changeId, cancellationToken).ConfigureAwait(false) is { } landed
                ? Saved.Written(landed, "series|" + series.Id)
                : Saved.Changed<MeetingSeries>("series|" + series.Id, series.ETag);
        }
        var written = new List<TableTransactionAction[]>();
        try
        {
            foreach (var chunk in members.Take(first).Chunk(100))
            {
                await table.SubmitTransactionAsync(chunk, cancellationToken).ConfigureAwait(false);
                written.Add(chunk);
            }
            var response = await table.SubmitTransactionAsync([seriesAction, .. members.Skip(first)], cancellationToken).ConfigureAwait(false);
            return Saved.Written(series with { ETag = response.Value[0].Headers.ETag?.ToString() }, "series|" + series.Id);
        }
        catch (RequestFailedException ex)
        {
            // The answer may have been lost: the series' transaction may have been applied. Look.
            if (await SavedAlreadyAsync(series, changeId, cancellationToken).ConfigureAwait(false) is { } landed)
            {
                return Saved.Written(landed, "series|" + series.Id);
            }
            if (!isNew && written.Count > 0)
            {
                await UndoAsync(written, CancellationToken.None).ConfigureAwait(false);
            }
            if (ex.Status is 412 or 404 or 409 && !isNew)
            {
                return Saved.Changed<MeetingSeries>("series|" + series.Id, series.ETag);
            }
            throw;
        }
    }

    /// <summary>
    /// Undoes the participant transactions of an existing series' edit whose series row was not
    /// written: removed rows back, added rows deleted. Best effort: when storage fails this too,
    /// the retry of the edit computes its changes from what is stored and completes it.
    /// </summary>
    private async Task UndoAsync(List<TableTransactionAction[]> written, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var chunk in written)
            {
                await table.SubmitTransactionAsync(chunk.Select(a => a.ActionType == TableTransactionActionType.Delete
                    ? new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(a.Entity.PartitionKey, a.Entity.RowKey) { ["UserId"] = ((TableEntity)a.Entity)["UserId"] })
                    : new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(a.Entity.PartitionKey, a.Entity.RowKey), ETag.All)), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException)
        {
        }
    }

    private async Task<MeetingSeries?> SavedAlreadyAsync(MeetingSeries series, string changeId, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Pk(series.TenantId), "series|" + TableKeys.Escape(series.Id), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value!.GetString("ChangeId") == changeId ? ToSeries(row.Value!) : null;
    }

    /// <summary>What a series says (everything stored but its creation time), to tell one version of a form's values from another.</summary>
    public static string Fingerprint(MeetingSeries series) =>
        string.Join("\n", ToEntity(series).Where(p => p.Key != "CreatedAt").OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>A short, stable id for a change made of these parts (the same change retried gets the same id).</summary>
    public static string ChangeId(params object?[] parts)
    {
        var text = string.Join("\u001f", parts.Select(p => p switch
        {
            null => "\u0000",
            DateTimeOffset d => d.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture),
            IEnumerable<string> list => string.Join(",", list.Order(StringComparer.Ordinal)),
            _ => Convert.ToString(p, System.Globalization.CultureInfo.InvariantCulture),
        }));
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..24].ToLowerInvariant();
    }

    public async Task<MeetingSeries?> GetSeriesAsync(string tenantId, string seriesId, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Pk(tenantId), "series|" + TableKeys.Escape(seriesId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToSeries(row.Value!) : null;
    }

    public async Task<IReadOnlyList<MeetingSeries>> ListSeriesAsync(string tenantId, CancellationToken cancellationToken)
    {
        var list = new List<MeetingSeries>();
        await foreach (var row in table.QueryAsync<TableEntity>(Range(tenantId, "series|"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(ToSeries(row));
        }
        return list;
    }

    // ---- participants ----

    /// <summary>
    /// Makes the participant list of an existing series exactly <paramref name="userIds"/>, with
    /// its series row (at the ETag read here) in the last transaction: see <see cref="SaveSeriesAsync"/>
    /// for how any number of participants is all or nothing. <see cref="SaveOutcome.Changed"/> when
    /// the series changed meanwhile or does not exist.
    /// </summary>
    public async Task<Saved<MeetingSeries>> SetParticipantsAsync(string tenantId, string seriesId, IEnumerable<string> userIds, CancellationToken cancellationToken)
    {
        var series = await GetSeriesAsync(tenantId, seriesId, cancellationToken).ConfigureAwait(false);
        if (series?.ETag is not { Length: > 0 })
        {
            return Saved.Changed<MeetingSeries>("series|" + seriesId, null);
        }
        var ids = userIds.ToList();
        return await SaveSeriesAsync(series, ids, ChangeId("participants", seriesId, series.ETag, ids), cancellationToken).ConfigureAwait(false);
    }

    private static List<TableTransactionAction> ParticipantActions(string tenantId, string seriesId, HashSet<string> wanted, HashSet<string> current)
    {
        var actions = new List<TableTransactionAction>();
        foreach (var add in wanted.Except(current))
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity(Pk(tenantId), MemberKey(seriesId, add)) { ["UserId"] = add }));
        }
        foreach (var remove in current.Except(wanted))
        {
            // The user id rides along (a delete ignores it) so that an edit can be undone.
            actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Pk(tenantId), MemberKey(seriesId, remove)) { ["UserId"] = remove }, ETag.All));
        }
        return actions;
    }

    public async Task<bool> IsParticipantAsync(string tenantId, string seriesId, string userId, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Pk(tenantId), MemberKey(seriesId, userId), ["PartitionKey"], cancellationToken).ConfigureAwait(false);
        return row.HasValue;
    }

    public async Task<IReadOnlyList<string>> ListParticipantsAsync(string tenantId, string seriesId, CancellationToken cancellationToken)
    {
        var list = new List<string>();
        await foreach (var row in table.QueryAsync<TableEntity>(Range(tenantId, "member|" + TableKeys.Escape(seriesId) + "|"), select: ["UserId"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(row.GetString("UserId") ?? "");
        }
        return list;
    }

    /// <summary>The series a person takes part in (or hosts, or records).</summary>
    public async Task<IReadOnlyList<MeetingSeries>> SeriesOfAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var all = await ListSeriesAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var mine = new List<MeetingSeries>();
        foreach (var s in all)
        {
            if (s.HostId == userId || s.RecorderId == userId || await IsParticipantAsync(tenantId, s.Id, userId, cancellationToken).ConfigureAwait(false))
            {
                mine.Add(s);
            }
        }
        return mine;
    }

    // ---- occurrences ----

    /// <summary>
    /// A one-off change to one occurrence. <see cref="ChangeId"/> names the change (see
    /// <see cref="SaveChangeAsync(string, OccurrenceChange, string?, CancellationToken)"/>);
    /// <see cref="ETag"/> is the stored row's version, as read.
    /// </summary>
    public sealed record OccurrenceChange(string Key, bool Cancelled, DateTimeOffset? MovedStart, DateTimeOffset? MovedEnd, string? SubstituteHostId, string? Note, string ChangedBy, DateTimeOffset ChangedAt,
        string? ChangeId = null, string? ETag = null);

    /// <summary>Writes a change whatever is stored (seeding and tests; the bot's cards use the conditional overload).</summary>
    public Task SaveChangeAsync(string tenantId, OccurrenceChange change, CancellationToken cancellationToken) =>
        table.UpsertEntityAsync(ToEntity(tenantId, change), TableUpdateMode.Replace, cancellationToken);

    /// <summary>
    /// Writes a change if the occurrence's change row is still at <paramref name="expectedETag"/>
    /// (empty: there must be none yet) — two managers' cards cannot overwrite each other — and
    /// returns it with its new ETag. When the row moved on, or the answer to the write was lost,
    /// the stored <see cref="OccurrenceChange.ChangeId"/> tells whether it was this change that
    /// landed (a retry of the same card): then it is returned as saved; else
    /// <see cref="SaveOutcome.Changed"/> (someone else changed it), or the storage error.
    /// </summary>
    public async Task<Saved<OccurrenceChange>> SaveChangeAsync(string tenantId, OccurrenceChange change, string? expectedETag, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(change.ChangeId);
        var entity = ToEntity(tenantId, change);
        try
        {
            var response = expectedETag is { Length: > 0 }
                ? await table.UpdateEntityAsync(entity, new ETag(expectedETag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false)
                : await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return Saved.Written(change with { ETag = response.Headers.ETag?.ToString() }, entity.RowKey);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 409 or 404)
        {
            return await ChangeSavedAsync(tenantId, change, cancellationToken).ConfigureAwait(false) is { } landed
                ? Saved.Written(landed, entity.RowKey)
                : Saved.Changed<OccurrenceChange>(entity.RowKey, expectedETag);
        }
        catch (RequestFailedException ex) when (ex.Status is 0 or >= 500)
        {
            if (await ChangeSavedAsync(tenantId, change, cancellationToken).ConfigureAwait(false) is { } saved)
            {
                return Saved.Written(saved, entity.RowKey);
            }
            throw;
        }
    }

    /// <summary>The stored change of this occurrence, if it is the change <paramref name="change"/> names.</summary>
    private async Task<OccurrenceChange?> ChangeSavedAsync(string tenantId, OccurrenceChange change, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Pk(tenantId), "occ|" + TableKeys.Escape(change.Key), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue && row.Value!.GetString("ChangeId") == change.ChangeId ? ToChange(row.Value!) : null;
    }

    private static TableEntity ToEntity(string tenantId, OccurrenceChange change) => new(Pk(tenantId), "occ|" + TableKeys.Escape(change.Key))
    {
        ["Key"] = change.Key,
        ["Cancelled"] = change.Cancelled,
        ["MovedStart"] = change.MovedStart,
        ["MovedEnd"] = change.MovedEnd,
        ["SubstituteHostId"] = change.SubstituteHostId,
        ["Note"] = change.Note,
        ["ChangedBy"] = change.ChangedBy,
        ["ChangedAt"] = change.ChangedAt,
        ["ChangeId"] = change.ChangeId,
    };

    private static OccurrenceChange ToChange(TableEntity row) =>
        new(row.GetString("Key") ?? "", row.GetBoolean("Cancelled") ?? false, row.GetDateTimeOffset("MovedStart"), row.GetDateTimeOffset("MovedEnd"),
            row.GetString("SubstituteHostId"), row.GetString("Note"), row.GetString("ChangedBy") ?? "", row.GetDateTimeOffset("ChangedAt") ?? default,
            row.GetString("ChangeId"), row.ETag.ToString());

    /// <summary>Every one-off change of a series, by occurrence key (one range query).</summary>
    public async Task<IReadOnlyDictionary<string, OccurrenceChange>> ChangesAsync(string tenantId, string seriesId, CancellationToken cancellationToken)
    {
        var changes = new Dictionary<string, OccurrenceChange>();
        await foreach (var row in table.QueryAsync<TableEntity>(Range(tenantId, "occ|" + TableKeys.Escape(seriesId) + "@"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var change = ToChange(row);
            changes[change.Key] = change;
        }
        return changes;
    }

    /// <summary>
    /// The series' occurrences that start between <paramref name="fromUtc"/> and <paramref name="toUtc"/>,
    /// with their one-off changes applied (a moved occurrence counts where it was moved to);
    /// cancelled ones are included, marked.
    /// </summary>
    public async Task<IReadOnlyList<MeetingOccurrence>> OccurrencesAsync(MeetingSeries series, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken)
    {
        var changes = await ChangesAsync(series.TenantId, series.Id, cancellationToken).ConfigureAwait(false);
        return OccurrenceExpansion.Between(series, changes, fromUtc, toUtc);
    }

    public async Task<MeetingOccurrence?> GetOccurrenceAsync(MeetingSeries series, string key, CancellationToken cancellationToken)
    {
        var changes = await ChangesAsync(series.TenantId, series.Id, cancellationToken).ConfigureAwait(false);
        return OccurrenceExpansion.For(series, changes, key);
    }

    public static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone) => TeamClock.ToUtc(local, zone);

    public static bool TryParseKey(string key, out string seriesId, out DateTime scheduledLocalStart)
    {
        seriesId = "";
        scheduledLocalStart = default;
        var at = key.LastIndexOf('@');
        if (at <= 0 || !DateTime.TryParseExact(key[(at + 1)..], "yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out scheduledLocalStart))
        {
            return false;
        }
        seriesId = key[..at];
        return true;
    }

    // ---- mapping ----

    private static string Pk(string tenantId) => TableKeys.Escape(tenantId);

    private static string MemberKey(string seriesId, string userId) => $"member|{TableKeys.Escape(seriesId)}|{TableKeys.Escape(userId)}";

    private static string Range(string tenantId, string prefix) =>
        TableRange.Rows(Pk(tenantId), prefix);

    private sealed record ScheduleDto(ScheduleKind Kind, DayOfWeek[] Days, string Start, string End, string? SummerStart, string? SummerEnd,
        int[] SummerFrom, int[] WinterFrom, int DayOfMonth, string? Date);

    private static string ScheduleToJson(MeetingSchedule s) => JsonSerializer.Serialize(new ScheduleDto(s.Kind, s.Days.ToArray(), s.Start.ToString("HH:mm"), s.End.ToString("HH:mm"),
        s.SummerStart?.ToString("HH:mm"), s.SummerEnd?.ToString("HH:mm"), [s.SummerFrom.Month, s.SummerFrom.Day], [s.WinterFrom.Month, s.WinterFrom.Day], s.DayOfMonth, s.Date?.ToString("yyyy-MM-dd")), Json);

    private static MeetingSchedule ScheduleFromJson(string json)
    {
        var d = JsonSerializer.Deserialize<ScheduleDto>(json, Json)!;
        return new MeetingSchedule
        {
            Kind = d.Kind,
            Days = d.Days,
            Start = TimeOnly.Parse(d.Start),
            End = TimeOnly.Parse(d.End),
            SummerStart = d.SummerStart == null ? null : TimeOnly.Parse(d.SummerStart),
            SummerEnd = d.SummerEnd == null ? null : TimeOnly.Parse(d.SummerEnd),
            SummerFrom = (d.SummerFrom[0], d.SummerFrom[1]),
            WinterFrom = (d.WinterFrom[0], d.WinterFrom[1]),
            DayOfMonth = d.DayOfMonth,
            Date = d.Date == null ? null : DateOnly.Parse(d.Date),
        };
    }

    private static TableEntity ToEntity(MeetingSeries s) => new(Pk(s.TenantId), "series|" + TableKeys.Escape(s.Id))
    {
        ["TenantId"] = s.TenantId,
        ["Id"] = s.Id,
        ["Name"] = s.Name,
        ["ConversationId"] = s.ConversationId,
        ["ConversationName"] = s.ConversationName,
        ["Location"] = s.Location,
        ["HostId"] = s.HostId,
        ["RecorderId"] = s.RecorderId,
        ["LeaveApproverId"] = s.LeaveApproverId,
        ["Schedule"] = ScheduleToJson(s.Schedule),
        ["TimeZone"] = s.TimeZone,
        ["LateGraceMinutes"] = s.LateGraceMinutes,
        ["CheckInOpensMinutesBefore"] = s.CheckInOpensMinutesBefore,
        ["SpeakingLimitMinutes"] = s.SpeakingLimitMinutes,
        ["MinutesRecipients"] = string.Join(",", s.MinutesRecipients),
        ["MinutesToAttendees"] = s.MinutesToAttendees,
        ["ArriveByMinutes"] = s.ArriveByMinutes,
        ["TopicCutoff"] = s.TopicCutoff,
        ["TemplateId"] = s.TemplateId,
        ["CreatedBy"] = s.CreatedBy,
        // Table Storage refuses dates before 1601: an unset CreatedAt is not stored.
        ["CreatedAt"] = s.CreatedAt == default ? null : s.CreatedAt,
    };

    private static MeetingSeries ToSeries(TableEntity e) => new()
    {
        TenantId = e.GetString("TenantId") ?? "",
        Id = e.GetString("Id") ?? "",
        Name = e.GetString("Name") ?? "",
        ConversationId = e.GetString("ConversationId"),
        ConversationName = e.GetString("ConversationName"),
        Location = e.GetString("Location") ?? "",
        HostId = e.GetString("HostId") ?? "",
        RecorderId = e.GetString("RecorderId"),
        LeaveApproverId = e.GetString("LeaveApproverId"),
        Schedule = ScheduleFromJson(e.GetString("Schedule") ?? "{}"),
        TimeZone = e.GetString("TimeZone") ?? "Asia/Shanghai",
        LateGraceMinutes = e.GetInt32("LateGraceMinutes") ?? 0,
        CheckInOpensMinutesBefore = e.GetInt32("CheckInOpensMinutesBefore") ?? 30,
        SpeakingLimitMinutes = e.GetInt32("SpeakingLimitMinutes") ?? 5,
        MinutesRecipients = (e.GetString("MinutesRecipients") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
        // Series stored before these settings existed load with the defaults.
        MinutesToAttendees = e.GetBoolean("MinutesToAttendees") ?? true,
        ArriveByMinutes = e.GetInt32("ArriveByMinutes") ?? 5,
        TopicCutoff = TopicCutoffs.Normalize(e.GetString("TopicCutoff")),
        TemplateId = e.GetString("TemplateId"),
        CreatedBy = e.GetString("CreatedBy") ?? "",
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
        ETag = e.ETag.ToString(),
    };
}
