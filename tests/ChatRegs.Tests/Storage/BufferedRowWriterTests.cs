using System.Collections.Concurrent;
using Azure.Core;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;
using ChatRegs.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatRegs.Tests.Storage;

/// <summary>
/// The first-contact buffer on Azurite: what waits is readable at once, what is written goes in
/// transactions of up to a hundred rows per partition, a row that cannot be written is given up
/// alone, and thousands of rows added from many turns at once all arrive exactly once.
/// </summary>
public sealed class BufferedRowWriterTests : IAsyncLifetime
{
    private readonly StorageRequests _requests = new();
    private TableClient _table = null!;
    private TableClient _other = null!;

    public async Task InitializeAsync()
    {
        var service = new TableServiceClient(Azurite.ConnectionString, _requests.AddTo(new TableClientOptions(), HttpPipelinePosition.PerRetry));
        var stamp = "Buf" + Guid.NewGuid().ToString("N")[..12];
        _table = service.GetTableClient(stamp + "A");
        _other = service.GetTableClient(stamp + "B");
        await _table.CreateIfNotExistsAsync();
        await _other.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync()
    {
        await _table.DeleteAsync();
        await _other.DeleteAsync();
    }

    private static TableEntity Row(string partition, string row, string value) => new(partition, row) { ["Value"] = value };

    private async Task<List<TableEntity>> AllAsync(TableClient table)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in table.QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }
        return rows;
    }

    [Fact]
    public async Task A_waiting_row_is_read_at_once_merged_with_a_later_one_and_written_once()
    {
        await using var writer = new BufferedRowWriter(NullLogger<BufferedRowWriter>.Instance, TimeSpan.FromMinutes(5));
        writer.Enqueue(_table, Row("t1", "person|a", "first"));
        var later = new TableEntity("t1", "person|a") { ["Other"] = "x" };
        writer.Enqueue(_table, later);
        writer.Enqueue(_table, Row("t1", "ref|a", "r"));
        writer.Enqueue(_table, Row("t2", "person|a", "another tenant"));

        Assert.Equal(3, writer.Count);
        var waiting = writer.Pending(_table, "t1", "person|a")!;
        Assert.Equal("first", waiting.GetString("Value"));
        Assert.Equal("x", waiting.GetString("Other"));
        Assert.Equal(["person|a"], writer.PendingIn(_table, "t1", "person|").Select(r => r.RowKey));
        Assert.Empty(writer.PendingIn(_other, "t1", ""));
        Assert.Null(writer.Pending(_table, "t3", "person|a"));
        // What a reader gets is a copy: changing it changes nothing waiting.
        waiting["Value"] = "changed";
        Assert.Equal("first", writer.Pending(_table, "t1", "person|a")!.GetString("Value"));

        await writer.FlushAsync();
        Assert.Equal(0, writer.Count);
        Assert.Null(writer.Pending(_table, "t1", "person|a"));
        var rows = await AllAsync(_table);
        Assert.Equal(3, rows.Count);
        Assert.Equal("x", rows.Single(r => r.PartitionKey == "t1" && r.RowKey == "person|a").GetString("Other"));
    }

    [Fact]
    public async Task A_full_partition_goes_at_once_in_transactions_of_a_hundred()
    {
        await using var writer = new BufferedRowWriter(NullLogger<BufferedRowWriter>.Instance, TimeSpan.FromMinutes(5));
        _requests.Clear();
        for (var i = 0; i < 250; i++)
        {
            writer.Enqueue(_table, Row("tenant", $"person|{i:D4}", "v"));
        }
        // The hundredth row woke the writer without waiting out its (five-minute) delay.
        for (var wait = 0; wait < 200 && (await AllAsync(_table)).Count < 100; wait++)
        {
            await Task.Delay(50);
        }
        Assert.True((await AllAsync(_table)).Count >= 100);
        await writer.FlushAsync();
        Assert.Equal(250, (await AllAsync(_table)).Count);
        var batches = _requests.All.Count(r => r.Path.EndsWith("$batch", StringComparison.Ordinal));
        var singles = _requests.All.Count(r => !r.Path.EndsWith("$batch", StringComparison.Ordinal) && r.Method != "GET");
        Assert.Equal(0, singles);
        Assert.InRange(batches, 3, 4);
    }

    [Fact]
    public async Task A_partition_that_fills_while_the_writer_waits_out_its_delay_goes_at_once()
    {
        await using var writer = new BufferedRowWriter(NullLogger<BufferedRowWriter>.Instance, TimeSpan.FromMinutes(5));
        _requests.Clear();
        // One row: the writer wakes and starts its (five-minute) wait.
        writer.Enqueue(_table, Row("tenant", "person|0000", "v"));
        await Task.Delay(200);
        for (var i = 1; i < 100; i++)
        {
            writer.Enqueue(_table, Row("tenant", $"person|{i:D4}", "v"));
        }
        // The hundredth row ends the wait: all hundred are written in one transaction, now.
        for (var wait = 0; wait < 200 && (await AllAsync(_table)).Count < 100; wait++)
        {
            await Task.Delay(50);
        }
        Assert.Equal(100, (await AllAsync(_table)).Count);
        Assert.Equal(1, _requests.All.Count(r => r.Path.EndsWith("$batch", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_row_storage_refuses_is_given_up_alone_and_its_owner_told()
    {
        await using var writer = new BufferedRowWriter(NullLogger<BufferedRowWriter>.Instance, TimeSpan.FromMinutes(5));
        var lost = new ConcurrentBag<string>();
        writer.Enqueue(_table, Row("tenant", "good|1", "v"), () => lost.Add("good|1"));
        // A property past Table Storage's 64 KiB: storage refuses it, and with it the transaction.
        writer.Enqueue(_table, new TableEntity("tenant", "bad|1") { ["Value"] = new string('x', 40_000) + new string('y', 40_000) }, () => lost.Add("bad|1"));
        writer.Enqueue(_table, Row("tenant", "good|2", "v"), () => lost.Add("good|2"));
        await writer.FlushAsync();
        Assert.Equal(["bad|1"], lost);
        Assert.Equal(["good|1", "good|2"], (await AllAsync(_table)).Select(r => r.RowKey).Order());
        Assert.Equal(0, writer.Count);
    }

    [Fact]
    public async Task Thousands_of_rows_from_many_turns_at_once_all_arrive_exactly_once()
    {
        var writer = new BufferedRowWriter(NullLogger<BufferedRowWriter>.Instance, TimeSpan.FromMilliseconds(20));
        await Parallel.ForEachAsync(Enumerable.Range(0, 3000), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var table = i % 2 == 0 ? _table : _other;
            writer.Enqueue(table, Row($"tenant{i % 3}", $"person|{i:D5}", "v"));
            // A turn reads what it just buffered (the read-through every store does).
            Assert.NotNull(writer.Pending(table, $"tenant{i % 3}", $"person|{i:D5}"));
            await Task.Yield();
        });
        // Disposing writes whatever still waits: nothing is dropped at shutdown.
        await writer.DisposeAsync();
        var a = await AllAsync(_table);
        var b = await AllAsync(_other);
        Assert.Equal(1500, a.Count);
        Assert.Equal(1500, b.Count);
        Assert.Equal(3000, a.Concat(b).Select(r => r.RowKey).Distinct().Count());
    }
}
