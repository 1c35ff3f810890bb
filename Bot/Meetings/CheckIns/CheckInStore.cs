using Azure;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.Meetings.CheckIns;

/// <summary>How a check-in counts, from its time (例会制度(四) 第八条).</summary>
public enum CheckInStatus
{
    /// <summary>At least <see cref="MeetingOptions.EarlyMinutes"/> before the start (提前).</summary>
    Early,

    /// <summary>Up to the start plus the series' late grace (准时).</summary>
    OnTime,

    /// <summary>After the start plus the grace (迟到).</summary>
    Late,
}

/// <summary>Where a check-in came from.</summary>
public static class CheckInSources
{
    public const string Card = "card";
    public const string Command = "command";
    public const string MeetingJoin = "meetingJoin";
}

/// <param name="ActivityId">The Teams activity that checked the person in (a redelivery of it is answered as the first delivery was).</param>
public sealed record CheckIn(string UserId, string Name, DateTimeOffset At, CheckInStatus Status, string Source, string? ActivityId = null);

/// <summary>A host's or recorder's correction of one person's entry in the roll, kept with who, when and why.</summary>
public sealed record RollCorrection(string UserId, AttendanceStatus Status, string Reason, string ById, string ByName, DateTimeOffset At);

/// <summary>
/// What Teams reported of one person leaving the meeting: when they last left, and when they last
/// came back. They are away (早退 if the meeting was still on) when they left after they last came back.
/// </summary>
public sealed record LeaveMark(string UserId, string Name, DateTimeOffset? LeftAt, DateTimeOffset? BackAt)
{
    /// <summary>When they left, if they have not come back since; else null.</summary>
    public DateTimeOffset? Away => LeftAt is { } left && (BackAt is not { } back || back < left) ? left : null;
}

/// <summary>Everything the roll of one occurrence is made of (one partition read).</summary>
public sealed record RollRows(IReadOnlyList<CheckIn> CheckIns, IReadOnlyList<RollCorrection> Corrections, IReadOnlyList<LeaveMark> LeaveMarks, DateTimeOffset? EndedAt)
{
    /// <summary>When Teams said the occurrence's meeting started (meetingStart), if it did.</summary>
    public DateTimeOffset? StartedAt { get; init; }
}

/// <summary>
/// Check-ins, one partition per tenant and occurrence (PartitionKey = tenant|occurrence key),
/// one row per person (RowKey = user id): checking in is one insert, a second insert of the
/// same person is refused by storage (409) so nobody is counted twice, thousands of people
/// checking in at once never touch the same entity, and the roll is one partition read.
/// Corrections live in the same partition (RowKey = ~fix|user|reversed ticks), every one kept.
/// So do Teams' meeting events: RowKey <c>~start</c> and <c>~end</c> (column At: the Teams meeting
/// started, ended then; each inserted once) and <c>~left|user</c> (columns UserId, Name, LeftAt, BackAt: the last time the
/// person left the meeting and the last time they joined it again).
/// </summary>
public sealed class CheckInStore(TableClient table)
{
    private const string FixPrefix = "~fix|";
    private const string StartRow = "~start";
    private const string EndRow = "~end";
    private const string LeftPrefix = "~left|";

    public static string PartitionOf(string tenantId, string occurrenceKey) => TableKeys.Escape(tenantId) + "|" + TableKeys.Escape(occurrenceKey);

    /// <summary>Records a check-in: <see cref="SaveOutcome.Written"/>, or <see cref="SaveOutcome.AlreadyExists"/> with the earlier check-in when the person had already checked in.</summary>
    public async Task<Saved<CheckIn>> TryAddAsync(string tenantId, string occurrenceKey, CheckIn checkIn, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(PartitionOf(tenantId, occurrenceKey), TableKeys.Escape(checkIn.UserId))
        {
            ["UserId"] = checkIn.UserId,
            ["Name"] = checkIn.Name,
            ["At"] = checkIn.At,
            ["Status"] = checkIn.Status.ToString(),
            ["Source"] = checkIn.Source,
            ["ActivityId"] = checkIn.ActivityId,
        };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return Saved.Written(checkIn, entity.PartitionKey + "/" + entity.RowKey);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            // Already checked in: only now is the earlier row read, to say when.
            var earlier = await GetAsync(tenantId, occurrenceKey, checkIn.UserId, cancellationToken).ConfigureAwait(false) ?? checkIn;
            return Saved.AlreadyExists(earlier, entity.PartitionKey + "/" + entity.RowKey);
        }
    }

    public async Task<CheckIn?> GetAsync(string tenantId, string occurrenceKey, string userId, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionOf(tenantId, occurrenceKey), TableKeys.Escape(userId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToCheckIn(row.Value!) : null;
    }

    /// <summary>Every check-in and correction of an occurrence (one partition read).</summary>
    public async Task<(IReadOnlyList<CheckIn> CheckIns, IReadOnlyList<RollCorrection> Corrections)> ReadAsync(string tenantId, string occurrenceKey, CancellationToken cancellationToken)
    {
        var rows = await ReadRollAsync(tenantId, occurrenceKey, cancellationToken).ConfigureAwait(false);
        return (rows.CheckIns, rows.Corrections);
    }

    /// <summary>Every check-in, correction and meeting-event row of an occurrence (one partition read).</summary>
    public async Task<RollRows> ReadRollAsync(string tenantId, string occurrenceKey, CancellationToken cancellationToken)
    {
        var checkIns = new List<CheckIn>();
        var corrections = new List<RollCorrection>();
        var marks = new List<LeaveMark>();
        DateTimeOffset? ended = null;
        DateTimeOffset? started = null;
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(tenantId, occurrenceKey)}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey.StartsWith(FixPrefix, StringComparison.Ordinal))
            {
                corrections.Add(new RollCorrection(row.GetString("UserId") ?? "", Enum.TryParse<AttendanceStatus>(row.GetString("Status"), out var s) ? s : AttendanceStatus.Excused,
                    row.GetString("Reason") ?? "", row.GetString("ById") ?? "", row.GetString("ByName") ?? "", row.GetDateTimeOffset("At") ?? default));
            }
            else if (row.RowKey.StartsWith(LeftPrefix, StringComparison.Ordinal))
            {
                marks.Add(ToLeaveMark(row));
            }
            else if (row.RowKey == StartRow)
            {
                started = row.GetDateTimeOffset("At");
            }
            else if (row.RowKey == EndRow)
            {
                ended = row.GetDateTimeOffset("At");
            }
            else
            {
                checkIns.Add(ToCheckIn(row));
            }
        }
        return new RollRows(checkIns, corrections.OrderBy(c => c.At).ToList(), marks, ended) { StartedAt = started };
    }

    /// <summary>
    /// Records that the Teams meeting of an occurrence ended at <paramref name="at"/>, once:
    /// <see cref="SaveOutcome.Written"/>, or <see cref="SaveOutcome.AlreadyExists"/> with the time recorded first.
    /// </summary>
    public Task<Saved<DateTimeOffset>> TryEndAsync(string tenantId, string occurrenceKey, DateTimeOffset at, CancellationToken cancellationToken) =>
        TryMarkAsync(tenantId, occurrenceKey, EndRow, at, cancellationToken);

    /// <summary>
    /// Records that the Teams meeting of an occurrence started at <paramref name="at"/>, once:
    /// <see cref="SaveOutcome.Written"/>, or <see cref="SaveOutcome.AlreadyExists"/> with the time recorded first.
    /// </summary>
    public Task<Saved<DateTimeOffset>> TryStartAsync(string tenantId, string occurrenceKey, DateTimeOffset at, CancellationToken cancellationToken) =>
        TryMarkAsync(tenantId, occurrenceKey, StartRow, at, cancellationToken);

    private async Task<Saved<DateTimeOffset>> TryMarkAsync(string tenantId, string occurrenceKey, string rowKey, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(PartitionOf(tenantId, occurrenceKey), rowKey) { ["At"] = at };
        try
        {
            await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return Saved.Written(at, entity.PartitionKey + "/" + entity.RowKey);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(entity.PartitionKey, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            return Saved.AlreadyExists((row.HasValue ? row.Value!.GetDateTimeOffset("At") : null) ?? at, entity.PartitionKey + "/" + entity.RowKey);
        }
    }

    /// <summary>When the Teams meeting of an occurrence ended, if it did before its scheduled end (one point read).</summary>
    public async Task<DateTimeOffset?> EndedAtAsync(string tenantId, string occurrenceKey, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionOf(tenantId, occurrenceKey), EndRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? row.Value!.GetDateTimeOffset("At") : null;
    }

    public async Task<LeaveMark?> GetLeaveMarkAsync(string tenantId, string occurrenceKey, string userId, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(PartitionOf(tenantId, occurrenceKey), LeftPrefix + TableKeys.Escape(userId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToLeaveMark(row.Value!) : null;
    }

    /// <summary>
    /// Records that a person left the meeting at <paramref name="at"/>, unless a later leave is
    /// recorded already (a redelivered event): <see cref="SaveOutcome.Written"/>,
    /// <see cref="SaveOutcome.AlreadyExists"/> (the later one), or <see cref="SaveOutcome.Changed"/>
    /// when the row changed meanwhile (nothing written).
    /// </summary>
    public Task<Saved<LeaveMark>> MarkLeftAsync(string tenantId, string occurrenceKey, string userId, string name, DateTimeOffset at, CancellationToken cancellationToken) =>
        MarkAsync(tenantId, occurrenceKey, userId, name, "LeftAt", at, cancellationToken);

    /// <summary>Records that a person joined the meeting again at <paramref name="at"/> (same answers as <see cref="MarkLeftAsync"/>).</summary>
    public Task<Saved<LeaveMark>> MarkBackAsync(string tenantId, string occurrenceKey, string userId, string name, DateTimeOffset at, CancellationToken cancellationToken) =>
        MarkAsync(tenantId, occurrenceKey, userId, name, "BackAt", at, cancellationToken);

    private async Task<Saved<LeaveMark>> MarkAsync(string tenantId, string occurrenceKey, string userId, string name, string column, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var partition = PartitionOf(tenantId, occurrenceKey);
        var rowKey = LeftPrefix + TableKeys.Escape(userId);
        var key = partition + "/" + rowKey;
        var existing = await table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(partition, rowKey) { ["UserId"] = userId, ["Name"] = name, [column] = at };
        try
        {
            if (!existing.HasValue && column == "BackAt")
            {
                // Never left: nothing to clear, nothing written.
                return Saved.Written(new LeaveMark(userId, name, null, null), key);
            }
            if (!existing.HasValue)
            {
                await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                return Saved.Written(ToLeaveMark(entity), key);
            }
            var row = existing.Value!;
            if (row.GetDateTimeOffset(column) is { } recorded && recorded >= at)
            {
                return Saved.AlreadyExists(ToLeaveMark(row), key);
            }
            await table.UpdateEntityAsync(entity, row.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            row[column] = at;
            row["Name"] = name;
            return Saved.Written(ToLeaveMark(row), key);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return Saved.Changed<LeaveMark>(key, existing.HasValue ? existing.Value!.ETag.ToString() : null);
        }
    }

    /// <summary>Adds a correction (never overwrites an earlier one: the history is kept).</summary>
    public Task AddCorrectionAsync(string tenantId, string occurrenceKey, RollCorrection correction, CancellationToken cancellationToken) =>
        table.AddEntityAsync(new TableEntity(PartitionOf(tenantId, occurrenceKey),
            $"{FixPrefix}{TableKeys.Escape(correction.UserId)}|{DateTimeOffset.MaxValue.UtcTicks - correction.At.UtcTicks:D19}|{Guid.NewGuid():N}")
        {
            ["UserId"] = correction.UserId,
            ["Status"] = correction.Status.ToString(),
            ["Reason"] = correction.Reason,
            ["ById"] = correction.ById,
            ["ByName"] = correction.ByName,
            ["At"] = correction.At,
        }, cancellationToken);

    private static LeaveMark ToLeaveMark(TableEntity row) => new(
        row.GetString("UserId") ?? "",
        row.GetString("Name") ?? "",
        row.GetDateTimeOffset("LeftAt"),
        row.GetDateTimeOffset("BackAt"));

    private static CheckIn ToCheckIn(TableEntity row) => new(
        row.GetString("UserId") ?? TableKeys.Unescape(row.RowKey),
        row.GetString("Name") ?? "",
        row.GetDateTimeOffset("At") ?? default,
        Enum.TryParse<CheckInStatus>(row.GetString("Status"), out var status) ? status : CheckInStatus.OnTime,
        row.GetString("Source") ?? "",
        row.GetString("ActivityId"));
}
