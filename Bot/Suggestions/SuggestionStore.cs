using System.Globalization;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.Suggestions;

/// <summary>One improvement suggestion (合理化建议, 例会制度(一) 5.7: at least one a week).</summary>
public sealed record Suggestion(string TenantId, string UserId, string UserName, string Week, DateTimeOffset SubmittedAt,
    string Title, string Details, string? Department, string? ExpectedBenefit);

/// <summary>
/// Suggestions by tenant and ISO week (PartitionKey = tenant|yyyy-Www, RowKey = user|reversed
/// ticks): "this week's suggestions" for the weekly digest is one partition read, and "mine
/// this week" is a range inside it.
/// </summary>
public sealed class SuggestionStore(TableClient table)
{
    public async Task AddAsync(Suggestion s, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(Pk(s.TenantId, s.Week), $"{TableKeys.Escape(s.UserId)}|{DateTimeOffset.MaxValue.UtcTicks - s.SubmittedAt.UtcTicks:D19}")
        {
            ["UserId"] = s.UserId,
            ["UserName"] = s.UserName,
            ["SubmittedAt"] = s.SubmittedAt,
            ["Title"] = s.Title,
            ["Details"] = s.Details,
            ["Department"] = s.Department,
            ["ExpectedBenefit"] = s.ExpectedBenefit,
        };
        await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Everyone's suggestions of a week, or one person's when <paramref name="userId"/> is given.</summary>
    public async Task<IReadOnlyList<Suggestion>> ListAsync(string tenantId, string week, string? userId, CancellationToken cancellationToken)
    {
        var pk = Pk(tenantId, week);
        var filter = userId == null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {pk}")
            : TableRange.Rows(pk, TableKeys.Escape(userId) + "|");
        var list = new List<Suggestion>();
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(new Suggestion(tenantId, row.GetString("UserId") ?? "", row.GetString("UserName") ?? "", week,
                row.GetDateTimeOffset("SubmittedAt") ?? default, row.GetString("Title") ?? "", row.GetString("Details") ?? "",
                row.GetString("Department"), row.GetString("ExpectedBenefit")));
        }
        return list;
    }

    private static string Pk(string tenantId, string week) => TableKeys.Escape(tenantId) + "|" + week;
}
