using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.WeeklyReports;

/// <summary>
/// A team's weekly-report settings: when reports are due, when the first reminder goes, and
/// who receives the digest. A team the office never changed uses the configured defaults
/// (<see cref="WeeklyReportOptions"/>); <see cref="IsDefault"/> tells them apart.
/// </summary>
public sealed record TeamSettings
{
    public required string TenantId { get; init; }

    /// <summary>The department's name.</summary>
    public required string Team { get; init; }

    public DayOfWeek DeadlineDay { get; init; } = DayOfWeek.Friday;

    public TimeOnly DeadlineTime { get; init; } = new(17, 0);

    /// <summary>The first reminder, on the deadline's day (the second goes at the deadline).</summary>
    public TimeOnly ReminderTime { get; init; } = new(14, 0);

    /// <summary>IANA time zone of the times above.</summary>
    public string TimeZone { get; init; } = Core.TimeZones.DefaultId;

    /// <summary>The digest goes to the department's leave approver (its head, who hosts the weekly meeting).</summary>
    public bool IncludeApprover { get; init; } = true;

    /// <summary>The digest goes to everyone with the office role (办公室汇总印发).</summary>
    public bool IncludeOffice { get; init; } = true;

    /// <summary>More people who receive the digest (user ids).</summary>
    public IReadOnlyList<string> ExtraRecipients { get; init; } = [];

    /// <summary>Send the digest to the recipients at the deadline (they can always ask for it with 周报汇总).</summary>
    public bool DigestAtDeadline { get; init; } = true;

    /// <summary>
    /// A group chat or channel the office named (汇总印发): at the deadline the digest is also
    /// posted there, every page, for all its members to read. Null: nowhere but to the recipients.
    /// </summary>
    public string? DigestChatId { get; init; }

    /// <summary>That chat's name as Teams gave it when the office named it (shown in the settings).</summary>
    public string? DigestChatName { get; init; }

    /// <summary>True when nothing is stored for the team: these are the configured defaults.</summary>
    public bool IsDefault { get; init; } = true;

    public string? UpdatedBy { get; init; }

    public DateTimeOffset? UpdatedUtc { get; init; }

    public string? ETag { get; init; }

    public static TeamSettings Defaults(string tenantId, string team, WeeklyReportOptions options, string timeZone) => new()
    {
        TenantId = tenantId,
        Team = team,
        DeadlineDay = options.DeadlineDay,
        DeadlineTime = options.DeadlineTime,
        ReminderTime = options.ReminderTime,
        TimeZone = timeZone,
    };
}

/// <summary>
/// Teams' settings: PartitionKey = tenant, RowKey = team (one partition read lists a tenant's teams);
/// <c>ChangeId</c> is the id of the save that wrote the row (a save whose answer was lost finds it).
/// </summary>
public sealed class TeamSettingsStore(TableClient table)
{
    public async Task<TeamSettings?> GetAsync(string tenantId, string team, CancellationToken cancellationToken = default)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(TableKeys.Escape(tenantId), WeeklyReportStore.TeamKey(team), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToSettings(tenantId, row.Value!) : null;
    }

    public async Task<IReadOnlyList<TeamSettings>> ListAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var list = new List<TeamSettings>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Escape(tenantId)}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(ToSettings(tenantId, row));
        }
        return list;
    }

    /// <summary>
    /// Saves the team's settings: inserted when <paramref name="expectedETag"/> is null, else
    /// replaced only if unchanged since it was read (<see cref="SaveOutcome.Changed"/> otherwise).
    /// A save whose answer was lost after storage applied it is found by its <c>ChangeId</c> and
    /// answered Written (never "not saved" for a saved change); any other storage failure throws.
    /// </summary>
    public async Task<Saved<TeamSettings>> SaveAsync(TeamSettings settings, string? expectedETag, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(TableKeys.Escape(settings.TenantId), WeeklyReportStore.TeamKey(settings.Team))
        {
            ["Team"] = settings.Team,
            ["DeadlineDay"] = (int)settings.DeadlineDay,
            ["DeadlineTime"] = settings.DeadlineTime.ToString("HH:mm", CultureInfo.InvariantCulture),
            ["ReminderTime"] = settings.ReminderTime.ToString("HH:mm", CultureInfo.InvariantCulture),
            ["TimeZone"] = settings.TimeZone,
            ["IncludeApprover"] = settings.IncludeApprover,
            ["IncludeOffice"] = settings.IncludeOffice,
            ["ExtraRecipients"] = string.Join("\n", settings.ExtraRecipients),
            ["DigestAtDeadline"] = settings.DigestAtDeadline,
            ["DigestChatId"] = settings.DigestChatId,
            ["DigestChatName"] = settings.DigestChatName,
            ["UpdatedBy"] = settings.UpdatedBy,
            ["UpdatedUtc"] = settings.UpdatedUtc,
            ["ChangeId"] = Guid.NewGuid().ToString("N"),
        };
        try
        {
            var response = string.IsNullOrEmpty(expectedETag)
                ? await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                : await table.UpdateEntityAsync(entity, new ETag(expectedETag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return Saved.Written(settings with { IsDefault = false, ETag = response.Headers.ETag?.ToString() }, entity.PartitionKey + "/" + entity.RowKey);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return Saved.Changed<TeamSettings>(entity.PartitionKey + "/" + entity.RowKey, expectedETag);
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
            if (stored?.GetString("ChangeId") != entity.GetString("ChangeId"))
            {
                throw;
            }
            return Saved.Written(settings with { IsDefault = false, ETag = stored!.ETag.ToString() }, entity.PartitionKey + "/" + entity.RowKey);
        }
    }

    private static TeamSettings ToSettings(string tenantId, TableEntity row) => new()
    {
        TenantId = tenantId,
        Team = row.GetString("Team") ?? "",
        DeadlineDay = (DayOfWeek)(row.GetInt32("DeadlineDay") ?? (int)DayOfWeek.Friday),
        DeadlineTime = TimeOnly.ParseExact(row.GetString("DeadlineTime") ?? "17:00", "HH:mm", CultureInfo.InvariantCulture),
        ReminderTime = TimeOnly.ParseExact(row.GetString("ReminderTime") ?? "14:00", "HH:mm", CultureInfo.InvariantCulture),
        TimeZone = row.GetString("TimeZone") ?? Core.TimeZones.DefaultId,
        IncludeApprover = row.GetBoolean("IncludeApprover") ?? true,
        IncludeOffice = row.GetBoolean("IncludeOffice") ?? true,
        ExtraRecipients = (row.GetString("ExtraRecipients") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        DigestAtDeadline = row.GetBoolean("DigestAtDeadline") ?? true,
        DigestChatId = row.GetString("DigestChatId"),
        DigestChatName = row.GetString("DigestChatName"),
        IsDefault = false,
        UpdatedBy = row.GetString("UpdatedBy"),
        UpdatedUtc = row.GetDateTimeOffset("UpdatedUtc"),
        ETag = row.ETag.ToString(),
    };
}
