using System.Diagnostics;
using Azure.Data.Tables;

namespace ChatRegs.Bench;

/// <summary>
/// What Table Storage (Azurite, on this machine, right now) does on its own: single-entity
/// inserts, C at a time, from this process. The bot's storage-bound paths cannot beat this
/// rate divided by their round trips per request.
/// </summary>
public static class StorageFloor
{
    public static async Task<StorageFloorResult> MeasureAsync(TableServiceClient service, string tableName, int count, int concurrency, CancellationToken cancellationToken)
    {
        var table = service.GetTableClient(tableName);
        await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        var latencies = new double[count];
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                await table.AddEntityAsync(new TableEntity("p" + (i % 50), "r" + i) { ["Value"] = "benchmark row " + i }, cancellationToken).ConfigureAwait(false);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }, cancellationToken))).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        await table.DeleteAsync(cancellationToken).ConfigureAwait(false);
        return new StorageFloorResult(count, concurrency, count / seconds, latencies[(int)Math.Ceiling(0.5 * count) - 1], latencies[(int)Math.Ceiling(0.99 * count) - 1]);
    }
}

public sealed record StorageFloorResult(int Inserts, int Concurrency, double PerSecond, double P50Ms, double P99Ms);
