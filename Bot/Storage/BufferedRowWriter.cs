using Azure;
using Azure.Data.Tables;

namespace ChatRegs.Bot.Storage;

/// <summary>
/// Writes rows that no user is waiting for (first contact: a person's directory row, a
/// conversation's reference) shortly after the turn instead of on its path: rows are merged
/// per key while they wait, and written <see cref="Delay"/> later (or at once when a partition
/// has <see cref="BatchSize"/> waiting) as entity-group transactions of up to 100 rows
/// (upsert-merge), one per partition. So the 8:30 rush pays about one request per hundred
/// people for them instead of two per person.
/// <list type="bullet">
/// <item><b>Read-through:</b> a store reads a waiting row with <see cref="Pending"/> /
/// <see cref="PendingIn"/>, so a row is visible in this process from the moment it is buffered
/// (a proactive message to someone who spoke a moment ago finds their reference).</item>
/// <item><b>Shutdown:</b> <see cref="FlushAsync"/> runs when the host stops
/// (<see cref="BufferedRowFlusher"/>) and when the writer is disposed: nothing waiting is dropped.</item>
/// <item><b>Failure:</b> a batch that fails is retried row by row; a row that still fails is
/// logged and its <c>onLost</c> callback runs, so the store forgets it wrote it and the person's
/// next activity buffers it again. Rows still waiting when the process dies are lost the same
/// way, and written again by that person's next activity (docs/reliability.md).</item>
/// </list>
/// </summary>
public sealed class BufferedRowWriter : IAsyncDisposable
{
    public const int BatchSize = 100;
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromMilliseconds(200);

    private readonly object _gate = new();
    // Waiting rows by partition (table and PartitionKey), then by RowKey: adding a row, reading
    // one, and counting a partition's rows cost the same however many people are waiting, so the
    // 8:30 rush's turns do not queue on this lock.
    private readonly Dictionary<PartitionId, Dictionary<string, Entry>> _pending = new();
    private int _count;
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ILogger<BufferedRowWriter> _logger;
    private Task? _loop;
    private bool _disposed;

    public BufferedRowWriter(ILogger<BufferedRowWriter> logger, TimeSpan? delay = null)
    {
        _logger = logger;
        Delay = delay ?? DefaultDelay;
    }

    /// <summary>How long a row waits for others to join its batch (real time: this is I/O batching, not business time).</summary>
    public TimeSpan Delay { get; }

    /// <summary>Rows waiting (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>
    /// Buffers an upsert-merge of <paramref name="entity"/>. A row already waiting under the same
    /// key takes the new values over its own (as the merges would have, one after the other).
    /// </summary>
    /// <param name="onLost">Runs if the row could not be written (so the caller stops treating it as written).</param>
    public void Enqueue(TableClient table, TableEntity entity, Action? onLost = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(entity);
        var partitionId = new PartitionId(table.Name, entity.PartitionKey);
        bool wake;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_pending.TryGetValue(partitionId, out var partition))
            {
                _pending[partitionId] = partition = new Dictionary<string, Entry>(StringComparer.Ordinal);
            }
            var merged = new TableEntity(entity.PartitionKey, entity.RowKey);
            Action? lost = onLost;
            if (partition.TryGetValue(entity.RowKey, out var earlier))
            {
                foreach (var (name, value) in earlier.Entity)
                {
                    merged[name] = value;
                }
                lost = earlier.OnLost + onLost;
            }
            else
            {
                _count++;
            }
            foreach (var (name, value) in entity)
            {
                merged[name] = value;
            }
            partition[entity.RowKey] = new Entry(table, merged, lost);
            // The first row waiting (the writer starts its delay) or a partition just full (it
            // goes at once); a row merged into one already waiting wakes nobody.
            wake = earlier == null && (_count == 1 || partition.Count == BatchSize);
            _loop ??= Task.Run(LoopAsync);
        }
        if (wake)
        {
            _signal.Release();
        }
    }

    /// <summary>A copy of the row waiting under these keys, or null.</summary>
    public TableEntity? Pending(TableClient table, string partitionKey, string rowKey)
    {
        lock (_gate)
        {
            return _pending.TryGetValue(new PartitionId(table.Name, partitionKey), out var partition) && partition.TryGetValue(rowKey, out var entry) ? Copy(entry.Entity) : null;
        }
    }

    /// <summary>Copies of the rows waiting in a partition whose RowKey starts with <paramref name="rowKeyPrefix"/>.</summary>
    public IReadOnlyList<TableEntity> PendingIn(TableClient table, string partitionKey, string rowKeyPrefix)
    {
        lock (_gate)
        {
            return _pending.TryGetValue(new PartitionId(table.Name, partitionKey), out var partition)
                ? partition.Where(p => p.Key.StartsWith(rowKeyPrefix, StringComparison.Ordinal)).Select(p => Copy(p.Value.Entity)).ToList()
                : [];
        }
    }

    /// <summary>Writes everything waiting now, one transaction per partition and hundred rows.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _flushing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<(PartitionId Partition, KeyValuePair<string, Entry>[] Rows)> batch;
            lock (_gate)
            {
                batch = _pending.Select(p => (p.Key, p.Value.ToArray())).ToList();
            }
            foreach (var (partition, rows) in batch)
            {
                foreach (var chunk in rows.Chunk(BatchSize))
                {
                    await WriteAsync(partition, chunk, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task WriteAsync(PartitionId partition, KeyValuePair<string, Entry>[] chunk, CancellationToken cancellationToken)
    {
        var table = chunk[0].Value.Table;
        var lost = new List<KeyValuePair<string, Entry>>();
        try
        {
            if (chunk.Length == 1)
            {
                await table.UpsertEntityAsync(chunk[0].Value.Entity, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await table.SubmitTransactionAsync(chunk.Select(p => new TableTransactionAction(TableTransactionActionType.UpsertMerge, p.Value.Entity)), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is RequestFailedException or TableTransactionFailedException or IOException or HttpRequestException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // One bad row fails its whole batch: write them one by one, so only that one is lost.
            _logger.LogWarning(e, "A batch of {Count} buffered rows for {Table} failed; writing them one by one.", chunk.Length, table.Name);
            foreach (var row in chunk)
            {
                try
                {
                    await table.UpsertEntityAsync(row.Value.Entity, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception one) when (one is RequestFailedException or IOException or HttpRequestException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    _logger.LogWarning(one, "Could not write the buffered row {PartitionKey}/{RowKey} of {Table}; it is written again on that person's next activity.", partition.PartitionKey, row.Key, table.Name);
                    lost.Add(row);
                }
            }
        }
        lock (_gate)
        {
            // Written (or given up): no longer waiting, unless newer values arrived meanwhile.
            if (_pending.TryGetValue(partition, out var rows))
            {
                foreach (var (key, entry) in chunk)
                {
                    if (rows.TryGetValue(key, out var now) && ReferenceEquals(now, entry))
                    {
                        rows.Remove(key);
                        _count--;
                    }
                }
                if (rows.Count == 0)
                {
                    _pending.Remove(partition);
                }
            }
        }
        foreach (var (_, entry) in lost)
        {
            entry.OnLost?.Invoke();
        }
    }

    private async Task LoopAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _signal.WaitAsync(token).ConfigureAwait(false);
                bool full;
                lock (_gate)
                {
                    full = _pending.Values.Any(rows => rows.Count >= BatchSize);
                }
                if (!full)
                {
                    // Wait the delay, but not past a partition filling up meanwhile (Enqueue
                    // signals the hundredth row): it goes at once, as one that was full here would.
                    await _signal.WaitAsync(Delay, token).ConfigureAwait(false);
                }
                await FlushAsync(token).ConfigureAwait(false);
                lock (_gate)
                {
                    // Rows that arrived during the flush without waking the loop (it was not empty then).
                    if (_count > 0 && _signal.CurrentCount == 0)
                    {
                        _signal.Release();
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogWarning(e, "Flushing buffered rows failed; trying again shortly.");
                await Task.Delay(Delay, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            loop = _loop;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (loop != null)
        {
            await loop.ConfigureAwait(false);
        }
        try
        {
            await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Could not write the buffered rows at shutdown.");
        }
        _stopping.Dispose();
    }

    private static TableEntity Copy(TableEntity entity)
    {
        var copy = new TableEntity(entity.PartitionKey, entity.RowKey);
        foreach (var (name, value) in entity)
        {
            copy[name] = value;
        }
        return copy;
    }

    private readonly record struct PartitionId(string Table, string PartitionKey);

    private sealed record Entry(TableClient Table, TableEntity Entity, Action? OnLost);
}

/// <summary>Writes the buffered rows when the host stops (after the server stopped taking requests).</summary>
public sealed class BufferedRowFlusher(BufferedRowWriter writer, ILogger<BufferedRowFlusher> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not write the buffered rows at shutdown.");
        }
    }
}
