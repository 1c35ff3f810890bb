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
/// Check-ins, one partition per tenant and occurrence (PartitionKey = tenant|occurrence key),
/// one row per person (RowKey = user id): checking in is one insert, a second insert of the
/// same person is refused by storage (409) so nobody is counted twice, thousands of people
/// checking in at once never touch the same entity, and the roll is one partition read.
/// Corrections live in the same partition (RowKey = ~fix|user|reversed ticks), every one kept.
/// </summary>
public sealed class CheckInStore(TableClient table)
{
    private const string FixPrefix = "~fix|";

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
        var checkIns = new List<CheckIn>();
        var corrections = new List<RollCorrection>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {PartitionOf(tenantId, occurrenceKey)}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey.StartsWith(FixPrefix, StringComparison.Ordinal))
            {
                corrections.Add(new RollCorrection(row.GetString("UserId") ?? "", Enum.TryParse<AttendanceStatus>(row.GetString("Status"), out var s) ? s : AttendanceStatus.Excused,
                    row.GetString("Reason") ?? "", row.GetString("ById") ?? "", row.GetString("ByName") ?? "", row.GetDateTimeOffset("At") ?? default));
            }
            else
            {
                checkIns.Add(ToCheckIn(row));
            }
        }
        return (checkIns, corrections.OrderBy(c => c.At).ToList());
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

    private static CheckIn ToCheckIn(TableEntity row) => new(
        row.GetString("UserId") ?? TableKeys.Unescape(row.RowKey),
        row.GetString("Name") ?? "",
        row.GetDateTimeOffset("At") ?? default,
        Enum.TryParse<CheckInStatus>(row.GetString("Status"), out var status) ? status : CheckInStatus.OnTime,
        row.GetString("Source") ?? "",
        row.GetString("ActivityId"));
}
