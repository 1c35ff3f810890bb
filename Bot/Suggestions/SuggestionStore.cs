using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.Suggestions;

/// <summary>One improvement suggestion (合理化建议, 例会制度(一) 5.7: at least one a week).</summary>
public sealed record Suggestion(string TenantId, string UserId, string UserName, string Week, DateTimeOffset SubmittedAt,
    string Title, string Details, string? Department, string? ExpectedBenefit);

/// <summary>
/// Suggestions by tenant and ISO week (PartitionKey = tenant|yyyy-Www, RowKey = user|NNNNN, the
/// person's Nth suggestion of that week): "this week's suggestions" for the weekly digest is one
/// partition read, "mine this week" a range inside it, and the ordinal in the key makes filing one
/// insert that also tells the person which suggestion of the week it is.
/// </summary>
public sealed class SuggestionStore(TableClient table)
{
    private const int MaxTries = 5;

    /// <summary>
    /// Files <paramref name="s"/> as the person's next suggestion of its week and returns its
    /// ordinal (1 = the first of the week). <paramref name="knownCount"/> is how many the caller
    /// believes the person has filed this week: when right (the usual case) filing is one insert;
    /// when the ordinal is taken the person's rows are read and the next free one used. A row
    /// already holding <paramref name="activityId"/> is this same submission (its first answer
    /// was lost, or the activity redelivered): its ordinal is returned and nothing is filed twice.
    /// </summary>
    public async Task<int> AddAsync(Suggestion s, int knownCount, string? activityId, CancellationToken cancellationToken) =>
        (await AddOnceAsync(s, knownCount, activityId, cancellationToken).ConfigureAwait(false)).Ordinal;

    /// <summary>
    /// As <see cref="AddAsync"/>, saying whether it was filed now (<c>Added</c>) or had been
    /// already under <paramref name="submissionKey"/> — an activity id, or the token of the form
    /// the dialog showed, which two sends of one form (a double click: two activities that read
    /// the same dialog state) share.
    /// </summary>
    public async Task<(int Ordinal, bool Added)> AddOnceAsync(Suggestion s, int knownCount, string? submissionKey, CancellationToken cancellationToken)
    {
        var activityId = submissionKey;
        var pk = Pk(s.TenantId, s.Week);
        var ordinal = Math.Max(0, knownCount) + 1;
        for (var attempt = 1; ; attempt++)
        {
            var entity = new TableEntity(pk, RowKey(s.UserId, ordinal))
            {
                ["UserId"] = s.UserId,
                ["UserName"] = s.UserName,
                ["SubmittedAt"] = s.SubmittedAt,
                ["Title"] = s.Title,
                ["Details"] = s.Details,
                ["Department"] = s.Department,
                ["ExpectedBenefit"] = s.ExpectedBenefit,
                ["ActivityId"] = string.IsNullOrEmpty(activityId) ? null : activityId,
            };
            try
            {
                await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                return (ordinal, true);
            }
            catch (RequestFailedException e) when (e.Status == 409 && attempt < MaxTries)
            {
                var rows = await RowsAsync(pk, s.UserId, cancellationToken).ConfigureAwait(false);
                if (!string.IsNullOrEmpty(activityId) && rows.FirstOrDefault(r => r.GetString("ActivityId") == activityId) is { } same)
                {
                    return (OrdinalOf(same) ?? rows.Count, false);
                }
                ordinal = Math.Max(rows.Count, rows.Select(OrdinalOf).Max() ?? 0) + 1;
            }
        }
    }

    /// <summary>Everyone's suggestions of a week, or one person's when <paramref name="userId"/> is given; each person's newest first.</summary>
    public async Task<IReadOnlyList<Suggestion>> ListAsync(string tenantId, string week, string? userId, CancellationToken cancellationToken)
    {
        var pk = Pk(tenantId, week);
        var rows = userId == null
            ? await QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {pk}"), cancellationToken).ConfigureAwait(false)
            : await RowsAsync(pk, userId, cancellationToken).ConfigureAwait(false);
        return rows
            .Select(row => new Suggestion(tenantId, row.GetString("UserId") ?? "", row.GetString("UserName") ?? "", week,
                row.GetDateTimeOffset("SubmittedAt") ?? default, row.GetString("Title") ?? "", row.GetString("Details") ?? "",
                row.GetString("Department"), row.GetString("ExpectedBenefit")))
            .OrderBy(x => x.UserId, StringComparer.Ordinal)
            .ThenByDescending(x => x.SubmittedAt)
            .ToList();
    }

    private Task<List<TableEntity>> RowsAsync(string pk, string userId, CancellationToken cancellationToken) =>
        QueryAsync(TableRange.Rows(pk, TableKeys.Escape(userId) + "|"), cancellationToken);

    private async Task<List<TableEntity>> QueryAsync(string filter, CancellationToken cancellationToken)
    {
        var list = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(row);
        }
        return list;
    }

    private static string RowKey(string userId, int ordinal) => $"{TableKeys.Escape(userId)}|{ordinal:D5}";

    private static int? OrdinalOf(TableEntity row) =>
        int.TryParse(row.RowKey[(row.RowKey.LastIndexOf('|') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n < 100_000 ? n : null;

    private static string Pk(string tenantId, string week) => TableKeys.Escape(tenantId) + "|" + week;
}
