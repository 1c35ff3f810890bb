using Azure.Data.Tables;
using ChatRegs.Bot.Storage;
using ChatRegs.TestSupport;

namespace ChatRegs.Tests.Storage;

/// <summary>The one prefix query every store uses returns exactly the rows that start with the prefix, against the emulator.</summary>
public sealed class TableRangeTests : IAsyncLifetime
{
    private TableClient _table = null!;

    public async Task InitializeAsync()
    {
        _table = Azurite.CreateServiceClient().GetTableClient(Azurite.UniqueTableName("range"));
        await _table.CreateIfNotExistsAsync();
    }

    public Task DisposeAsync() => _table.DeleteAsync();

    [Theory]
    [InlineData("req|", "req}")]
    [InlineData("a", "b")]
    [InlineData("occ|周会@", "occ|周会A")]
    [InlineData("x\uffff", "y")]
    public void The_end_of_a_prefix_is_the_next_string_after_all_that_start_with_it(string prefix, string after) =>
        Assert.Equal(after, TableRange.After(prefix));

    [Fact]
    public void A_prefix_of_nothing_but_the_last_character_has_no_end() =>
        Assert.Null(TableRange.After("\uffff\uffff"));

    [Fact]
    public async Task Rows_that_start_with_the_prefix_are_found_whatever_follows_and_no_others()
    {
        // After the prefix: ASCII, '~' (a shortened key's hash mark), Chinese and an emoji all sort
        // past '~'; a hand-written "prefix~" end key lost the last three.
        string[] inside = ["user|a|1", "user|~hash", "user|张三|2", "user|😀", "user|"];
        string[] outside = ["user}", "usera", "use", "user", "v|x", "apple|user|a"];
        foreach (var key in inside.Concat(outside))
        {
            await _table.AddEntityAsync(new TableEntity("t1", key));
            await _table.AddEntityAsync(new TableEntity("t2", key));
        }

        var found = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableRange.Rows("t1", "user|")))
        {
            Assert.Equal("t1", row.PartitionKey);
            found.Add(row.RowKey);
        }
        Assert.Equal(inside.OrderBy(k => k, StringComparer.Ordinal), found.OrderBy(k => k, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Partitions_that_start_with_the_prefix_are_found_and_a_further_condition_narrows_them()
    {
        string[] inside = ["job|t1", "job|张", "job|~"];
        string[] outside = ["job}", "jo", "jobs", "due|job|"];
        foreach (var pk in inside.Concat(outside))
        {
            await _table.AddEntityAsync(new TableEntity(pk, "r") { ["Status"] = "Done" });
            await _table.AddEntityAsync(new TableEntity(pk, "s") { ["Status"] = "Due" });
        }

        var found = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableRange.Partitions("job|").And(TableClient.CreateQueryFilter($"Status eq {"Done"}"))))
        {
            Assert.Equal("r", row.RowKey);
            found.Add(row.PartitionKey);
        }
        Assert.Equal(inside.OrderBy(k => k, StringComparer.Ordinal), found.OrderBy(k => k, StringComparer.Ordinal));
    }
}
