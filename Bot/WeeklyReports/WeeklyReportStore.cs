using Azure;
using System.Text.Json;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.WeeklyReports;

/// <summary>
/// Weekly reports in Table Storage (table WeeklyReports; docs/weekly-reports.md): PartitionKey = tenant|team|ISO week, RowKey =
/// user. A team's week — who handed in, the digest — is one partition read, and one person's
/// report is one point read. Writes are conditional: a new report is an insert (a concurrent
/// first submit conflicts instead of being overwritten), an edit replaces the row only if it
/// still has the ETag that was read.
/// </summary>
public sealed class WeeklyReportStore(TableClient table)
{
    private static readonly JsonSerializerOptions PlanJson = TableJson.Unescaped(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>The partition of a team's week. Team names are matched case-insensitively, as departments are.</summary>
    public static string Partition(string tenantId, string team, string week) =>
        TableKeys.Escape(tenantId) + "|" + TeamKey(team) + "|" + week;

    /// <summary>A team's name as a key part: trimmed, lower case, escaped ('|' too, so the parts never run together).</summary>
    public static string TeamKey(string team) => TableKeys.Escape(team.Trim().ToLowerInvariant()).Replace("|", "%7C", StringComparison.Ordinal);

    public async Task<WeeklyReport?> GetAsync(string tenantId, string team, string week, string userId, CancellationToken cancellationToken = default)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition(tenantId, team, week), TableKeys.Escape(userId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToReport(tenantId, row.Value!) : null;
    }

    /// <summary>Every report handed in to the team for the week (one partition).</summary>
    public async Task<IReadOnlyList<WeeklyReport>> ListAsync(string tenantId, string team, string week, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(tenantId, team, week)}");
        var list = new List<WeeklyReport>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(ToReport(tenantId, row));
        }
        return list;
    }

    /// <summary>
    /// A person's report for a week, whichever team it was handed in to (for when they changed
    /// department since). Reads the tenant's key range filtered by user and week: use
    /// <see cref="GetAsync"/> when the team is known.
    /// </summary>
    public async Task<WeeklyReport?> FindAsync(string tenantId, string userId, string week, CancellationToken cancellationToken = default)
    {
        var filter = TableRange.Partitions(TableKeys.Escape(tenantId) + "|").And(TableClient.CreateQueryFilter($"RowKey eq {TableKeys.Escape(userId)} and Week eq {week}"));
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return ToReport(tenantId, row);
        }
        return null;
    }

    /// <summary>
    /// Saves a report: inserted when <paramref name="report"/> has no ETag, else replaced only if
    /// the stored row still has that ETag. <see cref="SaveOutcome.Changed"/> when someone else
    /// wrote it first (nothing written). Written: the report with its new ETag.
    /// </summary>
    public async Task<Saved<WeeklyReport>> SaveAsync(WeeklyReport report, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(Partition(report.TenantId, report.Team, report.Week), TableKeys.Escape(report.UserId))
        {
            ["Team"] = report.Team,
            ["Week"] = report.Week,
            ["UserId"] = report.UserId,
            ["UserName"] = report.UserName,
            ["Summary"] = report.Summary,
            ["Plan"] = report.Plan,
            ["Issues"] = report.Issues,
            ["Coordination"] = report.Coordination,
            ["SubmittedUtc"] = report.SubmittedUtc,
            ["UpdatedUtc"] = report.UpdatedUtc,
            ["DeadlineUtc"] = report.DeadlineUtc,
            ["Late"] = report.Late,
            ["Revisions"] = report.Revisions,
        };
        if (report.PlanReview.Count > 0)
        {
            // 上周计划完成情况, as JSON ([{"text":…,"status":"done"}]); reports without it read back with none.
            TableJson.Put(entity, "PlanReview", report.PlanReview, PlanJson);
        }
        try
        {
            var response = report.ETag == null
                ? await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                : await table.UpdateEntityAsync(entity, new ETag(report.ETag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return Saved.Written(report with { ETag = response.Headers.ETag?.ToString() }, entity.PartitionKey + "/" + entity.RowKey);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            return Saved.Changed<WeeklyReport>(entity.PartitionKey + "/" + entity.RowKey, report.ETag);
        }
    }

    private static WeeklyReport ToReport(string tenantId, TableEntity row) => new()
    {
        TenantId = tenantId,
        Team = row.GetString("Team") ?? "",
        Week = row.GetString("Week") ?? "",
        UserId = row.GetString("UserId") ?? TableKeys.Unescape(row.RowKey),
        UserName = row.GetString("UserName") ?? "",
        Summary = row.GetString("Summary") ?? "",
        Plan = row.GetString("Plan") ?? "",
        Issues = row.GetString("Issues"),
        Coordination = row.GetString("Coordination"),
        SubmittedUtc = row.GetDateTimeOffset("SubmittedUtc") ?? default,
        UpdatedUtc = row.GetDateTimeOffset("UpdatedUtc") ?? default,
        DeadlineUtc = row.GetDateTimeOffset("DeadlineUtc") ?? default,
        Late = row.GetBoolean("Late") ?? false,
        Revisions = row.GetInt32("Revisions") ?? 1,
        PlanReview = TableJson.Get<List<PlanItem>>(row, "PlanReview", PlanJson, []).Where(i => i.Text != null && PlanStatus.IsValid(i.Status)).ToList(),
        ETag = row.ETag.ToString(),
    };
}
