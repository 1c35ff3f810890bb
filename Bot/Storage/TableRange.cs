using Azure.Data.Tables;

namespace ChatRegs.Bot.Storage;

/// <summary>
/// The one way to ask Table Storage for "every row whose key starts with ...": keys are compared
/// ordinally, so the rows starting with a prefix are those at or after it and before
/// <see cref="After"/>. Every store's prefix query goes through here, so the end key is right
/// for every character that may follow the prefix (a hand-written <c>prefix + "~"</c> misses
/// keys whose next character sorts after '~', such as Chinese text or a shortened key's '~').
/// </summary>
public static class TableRange
{
    /// <summary>
    /// The smallest string greater than every string that starts with <paramref name="prefix"/>,
    /// or null when there is none (an empty prefix, or one made only of U+FFFF).
    /// </summary>
    public static string? After(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var end = prefix.TrimEnd(char.MaxValue);
        return end.Length == 0 ? null : end[..^1] + (char)(end[^1] + 1);
    }

    /// <summary>Rows of one partition whose RowKey starts with <paramref name="rowKeyPrefix"/>.</summary>
    public static string Rows(string partitionKey, string rowKeyPrefix)
    {
        var after = After(rowKeyPrefix);
        return after == null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {rowKeyPrefix}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {rowKeyPrefix} and RowKey lt {after}");
    }

    /// <summary>Every row of every partition whose PartitionKey starts with <paramref name="partitionKeyPrefix"/>.</summary>
    public static string Partitions(string partitionKeyPrefix)
    {
        var after = After(partitionKeyPrefix);
        return after == null
            ? TableClient.CreateQueryFilter($"PartitionKey ge {partitionKeyPrefix}")
            : TableClient.CreateQueryFilter($"PartitionKey ge {partitionKeyPrefix} and PartitionKey lt {after}");
    }

    /// <summary><paramref name="range"/> narrowed by a further condition (built with <c>TableClient.CreateQueryFilter</c>).</summary>
    public static string And(this string range, string condition) => $"{range} and ({condition})";
}
