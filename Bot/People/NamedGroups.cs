using Azure;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.People;

/// <summary>A named group of people the office keeps (e.g. 总经理室), used as minutes recipients.</summary>
public sealed record NamedGroup(string TenantId, string Name, IReadOnlyList<string> Members, string UpdatedBy, DateTimeOffset UpdatedAt, string? ETag = null)
{
    /// <summary>How a series names this group among its minutes recipients.</summary>
    public string Reference => NamedGroups.Prefix + Name;
}

/// <summary>
/// Named groups, in the People table (one partition per tenant, beside the people):
/// RowKey <c>group|{name}</c>, columns Name, Members (comma-separated user ids), UpdatedBy,
/// UpdatedAt. A group is one row: replaced as a whole, ETag-checked when the caller read it.
/// </summary>
public sealed class NamedGroupStore(TableClient table)
{
    private const string GroupPrefix = "group|";

    public async Task<IReadOnlyList<NamedGroup>> ListAsync(string tenantId, CancellationToken cancellationToken)
    {
        var list = new List<NamedGroup>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableRange.Rows(TableKeys.Escape(tenantId), GroupPrefix), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(ToGroup(tenantId, row));
        }
        return list.OrderBy(g => g.Name, StringComparer.CurrentCulture).ToList();
    }

    /// <summary>
    /// Writes a group: a new one (no <see cref="NamedGroup.ETag"/>) only if no group of that name
    /// exists yet (else <see cref="SaveOutcome.AlreadyExists"/> with it); an existing one only if
    /// still at its ETag (else <see cref="SaveOutcome.Changed"/>).
    /// </summary>
    public async Task<Saved<NamedGroup>> SaveAsync(NamedGroup group, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(TableKeys.Escape(group.TenantId), GroupPrefix + TableKeys.Escape(group.Name))
        {
            ["Name"] = group.Name,
            ["Members"] = string.Join(",", group.Members),
            ["UpdatedBy"] = group.UpdatedBy,
            ["UpdatedAt"] = group.UpdatedAt,
        };
        try
        {
            var response = group.ETag is { Length: > 0 } etag
                ? await table.UpdateEntityAsync(entity, new ETag(etag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false)
                : await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            return Saved.Written(group with { ETag = response.Headers.ETag?.ToString() }, entity.RowKey);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(entity.PartitionKey, entity.RowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
            return Saved.AlreadyExists(row.HasValue ? ToGroup(group.TenantId, row.Value!) : null, entity.RowKey);
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            return Saved.Changed<NamedGroup>(entity.RowKey, group.ETag);
        }
    }

    private static NamedGroup ToGroup(string tenantId, TableEntity row) => new(
        tenantId,
        row.GetString("Name") ?? "",
        (row.GetString("Members") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries),
        row.GetString("UpdatedBy") ?? "",
        row.GetDateTimeOffset("UpdatedAt") ?? default,
        row.ETag.ToString());
}

/// <summary>
/// The named groups the office maintains (分组 / groups) and what a list of minutes recipients
/// (people and <c>group:{name}</c> references) comes to.
/// </summary>
public sealed class NamedGroups(NamedGroupStore store, TimeProvider time)
{
    public const string Prefix = "group:";
    public const int MaxName = 30, MaxMembers = 100, MaxGroups = 50;

    public Task<IReadOnlyList<NamedGroup>> ListAsync(string tenantId, CancellationToken cancellationToken) => store.ListAsync(tenantId, cancellationToken);

    /// <summary>Creates or replaces a group (the office only: the caller checked).</summary>
    public Task<Saved<NamedGroup>> SaveAsync(string tenantId, string name, IReadOnlyList<string> members, string byUserId, string? etag, CancellationToken cancellationToken) =>
        store.SaveAsync(new NamedGroup(tenantId, name, members, byUserId, time.GetUtcNow(), etag), cancellationToken);

    /// <summary>The people a list of recipients names: people as they are, groups by their current members (a group since removed names nobody).</summary>
    public async Task<IReadOnlyList<string>> ResolveAsync(string tenantId, IEnumerable<string> recipients, CancellationToken cancellationToken)
    {
        var list = recipients.Where(r => r.Length > 0).ToList();
        var people = list.Where(r => !r.StartsWith(Prefix, StringComparison.Ordinal)).ToList();
        var groupNames = list.Where(r => r.StartsWith(Prefix, StringComparison.Ordinal)).Select(r => r[Prefix.Length..]).ToHashSet();
        if (groupNames.Count > 0)
        {
            foreach (var group in await store.ListAsync(tenantId, cancellationToken).ConfigureAwait(false))
            {
                if (groupNames.Contains(group.Name))
                {
                    people.AddRange(group.Members);
                }
            }
        }
        return people.Distinct().ToList();
    }
}
