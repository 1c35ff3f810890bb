using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.Scheduling;

/// <summary>
/// The "Jobs" table. Two kinds of rows, so that both questions that matter are cheap:
/// <list type="bullet">
/// <item><b>Job rows</b> — PartitionKey <c>job|{tenant}</c>, RowKey <c>{job id}</c>: the job
/// itself (kind, data, due time, status, attempts, lease, last error, recurrence). A feature's
/// "cancel / move job X" is a point read; the office's "what is pending or parked" is one
/// partition. Claims and completions are updates conditional on the row's ETag, so two
/// instances can never both claim a job.</item>
/// <item><b>Due rows</b> — PartitionKey <c>due|{yyyyMMddHH of the due time, UTC}|{tenant}</c>,
/// RowKey <c>{job id}</c>: an index of the jobs that still have to run. "What is due now" is
/// one range query over PartitionKey (<c>due|</c> up to the current hour) filtered on DueUtc;
/// it only ever sees live entries because a due row is deleted as soon as its job finishes,
/// so the query stays small however many jobs have run.</item>
/// </list>
/// <item><b>Sent rows</b> — PartitionKey <c>sent|{tenant}|{job id}@{scheduled time}</c>, RowKey
/// <c>{recipient}</c>: who one run of a job has already messaged (<see cref="JobDeliveries"/>),
/// so a retried run skips them.</item>
/// <item><b>Runner rows</b> — PartitionKey <c>runner|</c>, RowKey <c>{instance id}</c>, <c>SeenUtc</c>:
/// the instances whose job runners are alive (<see cref="RunnerSlices"/>), so that each claims
/// its own slice of the due jobs instead of all contending for the same ones.</item>
/// A job and its due row live in different partitions, so they cannot change in one
/// transaction. The order of writes makes every crash harmless: the due row is written
/// <i>before</i> the job row it points at, and removed only <i>after</i> the job moved on.
/// A due row is only a hint; the runner checks the job row and removes rows that no longer
/// match it (job finished, cancelled or moved to another hour), with an ETag-conditional
/// delete so a row that was just rewritten for the job is never lost.
/// </summary>
public sealed class JobStore
{
    public const string JobPrefix = "job|";
    public const string DuePrefix = "due|";
    public const string SentPrefix = "sent|";
    public const string RunnerPartition = "runner|";

    /// <summary>A due row whose job row does not exist is left this long (the job may be being created).</summary>
    public static readonly TimeSpan OrphanGrace = TimeSpan.FromMinutes(5);

    private const int MaxErrorLength = 2000;
    private readonly TableClient _table;

    public JobStore(TableClient table)
    {
        _table = table;
    }


    public static string JobPartition(string tenantId) => JobPrefix + TableKeys.Escape(tenantId);

    public static string Bucket(DateTimeOffset dueUtc) => dueUtc.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    public static string DuePartition(string tenantId, DateTimeOffset dueUtc) => DuePrefix + Bucket(dueUtc) + "|" + TableKeys.Escape(tenantId);

    public async Task<Job?> GetAsync(string tenantId, string jobId, CancellationToken cancellationToken)
    {
        var row = await _table.GetEntityIfExistsAsync<TableEntity>(JobPartition(tenantId), TableKeys.Escape(jobId), cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? ToJob(row.Value!) : null;
    }

    /// <summary>Rows a single read names at most: Table Storage allows 15 comparisons in a filter (one is the partition).</summary>
    public const int ReadChunk = 14;

    /// <summary>Queries of one <see cref="GetManyAsync"/> in flight at once.</summary>
    public const int ParallelReads = 8;

    /// <summary>Actions in one Table transaction (entity group transaction) at most.</summary>
    public const int TransactionLimit = 100;

    /// <summary>
    /// The tenant's jobs with these ids, in one query per <see cref="ReadChunk"/> ids (a point
    /// read each would cost a round trip per job). Ids with no row are simply absent.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, Job>> GetManyAsync(string tenantId, IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken)
    {
        var partition = JobPartition(tenantId);
        var result = new ConcurrentDictionary<string, Job>(StringComparer.Ordinal);
        // The chunks are read side by side (a poll of 400 due jobs is 29 queries: one after the
        // other they took seconds on a loaded Table service, while the reminders waited).
        await Parallel.ForEachAsync(
            jobIds.Distinct(StringComparer.Ordinal).Chunk(ReadChunk),
            new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = cancellationToken },
            async (chunk, token) =>
            {
                var rows = string.Join(" or ", chunk.Select(id => TableClient.CreateQueryFilter($"RowKey eq {TableKeys.Escape(id)}")));
                var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}") + " and (" + rows + ")";
                await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: ReadChunk, cancellationToken: token).ConfigureAwait(false))
                {
                    var job = ToJob(row);
                    result[job.Id] = job;
                }
            }).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Replaces each job row if it still has the given job's ETag, in one Table transaction per
    /// partition and <see cref="TransactionLimit"/> jobs (jobs of one tenant share a partition).
    /// A transaction is all or nothing: when one row changed meanwhile (another instance claimed
    /// it), that job is left out and the rest are sent again. Answers one <see cref="Saved{T}"/>
    /// per job, in the order given: <see cref="SaveOutcome.Written"/> with the new ETag, or
    /// <see cref="SaveOutcome.Changed"/> (someone else changed or removed it). A transaction whose
    /// answer was lost is read back: the rows stored as sent are Written.
    /// </summary>
    public async Task<IReadOnlyList<Saved<Job>>> UpdateManyAsync(IReadOnlyList<Job> jobs, CancellationToken cancellationToken)
    {
        var updated = new Dictionary<(string, string), Job>();
        foreach (var tenant in jobs.GroupBy(j => JobPartition(j.TenantId)))
        {
            foreach (var chunk in tenant.Chunk(TransactionLimit))
            {
                var pending = chunk.ToList();
                var failures = 0;
                while (pending.Count > 0)
                {
                    if (failures >= 2)
                    {
                        // Contended (another instance claims the same jobs): keep only the rows
                        // nobody changed since they were read, rather than one retry per row.
                        var current = await GetManyAsync(tenant.First().TenantId, pending.Select(j => j.Id).ToList(), cancellationToken).ConfigureAwait(false);
                        pending = pending.Where(j => current.TryGetValue(j.Id, out var row) && row.ETag == j.ETag).ToList();
                        failures = 0;
                        if (pending.Count == 0)
                        {
                            break;
                        }
                    }
                    if (pending.Count == 1)
                    {
                        // A transaction of one is a request like any other; this one answers 412 without an exception type of its own.
                        var single = await UpdateAsync(pending[0], cancellationToken).ConfigureAwait(false);
                        if (single.IsWritten)
                        {
                            updated[(single.Value!.TenantId, single.Value.Id)] = single.Value;
                        }
                        break;
                    }
                    try
                    {
                        var response = await _table.SubmitTransactionAsync(
                            pending.Select(j => new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(j), j.ETag)),
                            cancellationToken).ConfigureAwait(false);
                        for (var i = 0; i < pending.Count; i++)
                        {
                            updated[(pending[i].TenantId, pending[i].Id)] = pending[i] with { ETag = response.Value[i].Headers.ETag ?? default };
                        }
                        break;
                    }
                    catch (TableTransactionFailedException e) when (e.Status is 412 or 404)
                    {
                        if (e.FailedTransactionActionIndex is { } failed && failed >= 0 && failed < pending.Count)
                        {
                            pending.RemoveAt(failed);
                            failures++;
                            continue;
                        }
                        // The service did not say which row: one at a time.
                        foreach (var job in pending)
                        {
                            var one = await UpdateAsync(job, cancellationToken).ConfigureAwait(false);
                            if (one.IsWritten)
                            {
                                updated[(one.Value!.TenantId, one.Value.Id)] = one.Value;
                            }
                        }
                        break;
                    }
                    catch (RequestFailedException e) when (e is not TableTransactionFailedException)
                    {
                        // The answer may have been lost after the transaction was applied: look.
                        var landed = await LandedAsync(pending, e, cancellationToken).ConfigureAwait(false);
                        foreach (var job in landed)
                        {
                            updated[(job.TenantId, job.Id)] = job;
                        }
                        break;
                    }
                }
            }
        }
        return jobs.Select(j => updated.TryGetValue((j.TenantId, j.Id), out var stored)
            ? Saved.Written(stored, j.Id)
            : Saved.Changed<Job>(j.Id, j.ETag.ToString())).ToList();
    }

    /// <summary>
    /// Removes due rows unless they were rewritten since they were read: one transaction per
    /// due partition (an hour of one tenant) and <see cref="TransactionLimit"/> rows; a row gone
    /// or rewritten meanwhile is left out and the rest are sent again.
    /// </summary>
    public async Task DeleteDueManyAsync(IReadOnlyCollection<DueEntry> entries, CancellationToken cancellationToken)
    {
        foreach (var partition in entries.DistinctBy(e => (e.PartitionKey, e.RowKey)).GroupBy(e => e.PartitionKey))
        {
            foreach (var chunk in partition.Chunk(TransactionLimit))
            {
                var pending = chunk.ToList();
                while (pending.Count > 0)
                {
                    if (pending.Count == 1)
                    {
                        await DeleteDueAsync(pending[0], cancellationToken).ConfigureAwait(false);
                        break;
                    }
                    try
                    {
                        await _table.SubmitTransactionAsync(
                            pending.Select(d => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(d.PartitionKey, d.RowKey), d.ETag)),
                            cancellationToken).ConfigureAwait(false);
                        break;
                    }
                    catch (TableTransactionFailedException e) when (e.Status is 412 or 404)
                    {
                        if (e.FailedTransactionActionIndex is { } failed && failed >= 0 && failed < pending.Count)
                        {
                            pending.RemoveAt(failed);
                            continue;
                        }
                        foreach (var entry in pending)
                        {
                            await DeleteDueAsync(entry, cancellationToken).ConfigureAwait(false);
                        }
                        break;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Creates the job (due row first): <see cref="SaveOutcome.Written"/>; when a job with that
    /// id exists already, <see cref="SaveOutcome.AlreadyExists"/> with that job, unchanged.
    /// </summary>
    public async Task<Saved<Job>> InsertAsync(Job job, CancellationToken cancellationToken)
    {
        await UpsertDueAsync(job, cancellationToken).ConfigureAwait(false);
        var added = await AddAsync(job, cancellationToken).ConfigureAwait(false);
        if (added.IsWritten)
        {
            return added;
        }
        // Someone scheduled the same id first. Our due row, if it points at another hour
        // than theirs, is cleaned up by the runner.
        var existing = await GetAsync(job.TenantId, job.Id, cancellationToken).ConfigureAwait(false);
        return Saved.AlreadyExists(existing ?? throw new InvalidOperationException($"Job '{job.Id}' exists and does not."), job.Id);
    }

    /// <summary>
    /// Replaces the job row if it still has <paramref name="job"/>'s ETag: <see cref="SaveOutcome.Written"/>
    /// with the new ETag, or <see cref="SaveOutcome.Changed"/> when it changed (or is gone). A
    /// write whose answer was lost is read back: stored as sent, it is Written.
    /// </summary>
    public async Task<Saved<Job>> UpdateAsync(Job job, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _table.UpdateEntityAsync(ToEntity(job), job.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return Saved.Written(job with { ETag = response.Headers.ETag ?? default }, job.Id);
        }
        catch (RequestFailedException e) when (e.Status is 412 or 404)
        {
            return Saved.Changed<Job>(job.Id, job.ETag.ToString());
        }
        catch (RequestFailedException e)
        {
            var landed = await LandedAsync([job], e, cancellationToken).ConfigureAwait(false);
            return Saved.Written(landed[0], job.Id);
        }
    }

    /// <summary>
    /// Adds a row that must not exist yet (a parked occurrence, a new job): <see cref="SaveOutcome.Written"/>,
    /// or <see cref="SaveOutcome.AlreadyExists"/> (without the earlier row) when it does.
    /// </summary>
    public async Task<Saved<Job>> AddAsync(Job job, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _table.AddEntityAsync(ToEntity(job), cancellationToken).ConfigureAwait(false);
            return Saved.Written(job with { ETag = response.Headers.ETag ?? default }, job.Id);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return Saved.AlreadyExists<Job>(null, job.Id);
        }
        catch (RequestFailedException e)
        {
            var landed = await LandedAsync([job], e, cancellationToken).ConfigureAwait(false);
            return Saved.Written(landed[0], job.Id);
        }
    }

    /// <summary>
    /// After a write failed without a conflict (the answer may have been lost once the write was
    /// applied): the jobs whose rows are stored exactly as sent, with their ETags. When none is,
    /// the write did not happen and <paramref name="failure"/> is thrown again.
    /// </summary>
    private async Task<IReadOnlyList<Job>> LandedAsync(IReadOnlyList<Job> sent, RequestFailedException failure, CancellationToken cancellationToken)
    {
        IReadOnlyDictionary<string, Job>? stored = null;
        try
        {
            stored = await GetManyAsync(sent[0].TenantId, sent.Select(j => j.Id).ToList(), cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException)
        {
            // Cannot tell: the first failure stands.
        }
        if (stored == null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
        var landed = sent.Where(j => stored.TryGetValue(j.Id, out var row) && SameRow(ToEntity(j), ToEntity(row)))
            .Select(j => j with { ETag = stored[j.Id].ETag }).ToList();
        if (landed.Count == 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
        return landed;
    }

    private static bool SameRow(TableEntity a, TableEntity b) =>
        a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var other) && SameValue(p.Value, other));

    private static bool SameValue(object? a, object? b) => (a, b) switch
    {
        // Table Storage keeps a time to the tick; compare to the millisecond all the same.
        (DateTime x, DateTime y) => Math.Abs((x - y).Ticks) < TimeSpan.TicksPerMillisecond,
        (DateTime x, DateTimeOffset y) => Math.Abs((x - y.UtcDateTime).Ticks) < TimeSpan.TicksPerMillisecond,
        _ => Equals(a, b),
    };

    /// <summary>Writes (or refreshes) the due row for the job's current due time.</summary>
    public async Task<ETag> UpsertDueAsync(Job job, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(DuePartition(job.TenantId, job.DueUtc), TableKeys.Escape(job.Id))
        {
            ["TenantId"] = job.TenantId,
            ["JobId"] = job.Id,
            ["DueUtc"] = job.DueUtc.UtcDateTime,
        };
        var response = await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return response.Headers.ETag ?? default;
    }

    /// <summary>The due rows up to <paramref name="now"/>, oldest hours first, at most <paramref name="max"/>.</summary>
    public async Task<IReadOnlyList<DueEntry>> QueryDueAsync(DateTimeOffset now, int max, CancellationToken cancellationToken)
    {
        var upTo = DuePrefix + Bucket(now.AddHours(1));
        var nowUtc = now.UtcDateTime;
        var filter = TableClient.CreateQueryFilter($"PartitionKey ge {DuePrefix} and PartitionKey lt {upTo} and DueUtc le {nowUtc}");
        var result = new List<DueEntry>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: Math.Min(max, 1000), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(new DueEntry(
                row.PartitionKey,
                row.RowKey,
                row.GetString("TenantId") ?? "",
                row.GetString("JobId") ?? TableKeys.Unescape(row.RowKey),
                row.GetDateTimeOffset("DueUtc") ?? now,
                row.PartitionKey.Length >= DuePrefix.Length + 10 ? row.PartitionKey.Substring(DuePrefix.Length, 10) : "",
                row.Timestamp,
                row.ETag));
            if (result.Count >= max)
            {
                break;
            }
        }
        return result;
    }

    /// <summary>Removes a due row unless it was rewritten since it was read.</summary>
    public async Task DeleteDueAsync(DueEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(entry.PartitionKey, entry.RowKey, entry.ETag, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Gone already, or rewritten for the job's new due time: either way, nothing to do.
        }
    }

    /// <summary>Says that the runner of <paramref name="instanceId"/> is alive at <paramref name="at"/>.</summary>
    public async Task HeartbeatAsync(string instanceId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(RunnerPartition, TableKeys.Escape(instanceId))
        {
            ["InstanceId"] = instanceId,
            ["SeenUtc"] = at.UtcDateTime,
        };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every runner row: the instance and when it last said it was alive (one partition, one query).</summary>
    public async Task<IReadOnlyList<(string InstanceId, DateTimeOffset SeenUtc)>> ListRunnersAsync(CancellationToken cancellationToken)
    {
        var result = new List<(string, DateTimeOffset)>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {RunnerPartition}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["RowKey", "InstanceId", "SeenUtc"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add((row.GetString("InstanceId") ?? TableKeys.Unescape(row.RowKey), row.GetDateTimeOffset("SeenUtc") ?? DateTimeOffset.MinValue));
        }
        return result;
    }

    /// <summary>Removes a runner row (this instance stops, or a long-dead one is tidied away).</summary>
    public async Task RemoveRunnerAsync(string instanceId, CancellationToken cancellationToken)
    {
        try
        {
            await _table.DeleteEntityAsync(RunnerPartition, TableKeys.Escape(instanceId), ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Gone already.
        }
    }

    /// <summary>One run of a job: a recurring job's occurrences are runs of their own.</summary>
    public static string SentPartition(Job job) =>
        SentPrefix + TableKeys.Escape(job.TenantId) + "|" + TableKeys.Escape(job.Id) + "@" + job.ScheduledUtc.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>The recipients this run of the job has already messaged (delivered or found undeliverable).</summary>
    public async Task<IReadOnlySet<string>> SentAsync(Job job, CancellationToken cancellationToken)
    {
        var sent = new HashSet<string>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {SentPartition(job)}");
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["Recipient"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            sent.Add(row.GetString("Recipient") ?? TableKeys.Unescape(row.RowKey));
        }
        return sent;
    }

    /// <summary>Records that this run of the job messaged <paramref name="recipient"/> (or found them unreachable).</summary>
    public async Task RecordSentAsync(Job job, string recipient, string outcome, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(SentPartition(job), TableKeys.Escape(recipient))
        {
            ["Recipient"] = recipient,
            ["Outcome"] = outcome,
            ["AtUtc"] = at.UtcDateTime,
        };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tenant's jobs in the given states (one partition).</summary>
    public async Task<IReadOnlyList<Job>> ListAsync(string tenantId, IReadOnlyCollection<JobStatus> statuses, CancellationToken cancellationToken)
    {
        var partition = JobPartition(tenantId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}");
        if (statuses.Count > 0)
        {
            filter += " and (" + string.Join(" or ", statuses.Select(s => TableClient.CreateQueryFilter($"Status eq {s.ToString()}"))) + ")";
        }
        var result = new List<Job>();
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            result.Add(ToJob(row));
        }
        return result;
    }

    public static string Truncate(string? text) =>
        text == null ? "" : text.Length <= MaxErrorLength ? text : text[..MaxErrorLength] + "…";

    private static TableEntity ToEntity(Job job)
    {
        var entity = new TableEntity(JobPartition(job.TenantId), TableKeys.Escape(job.Id))
        {
            ["TenantId"] = job.TenantId,
            ["JobId"] = job.Id,
            ["Kind"] = job.Kind,
            ["DueUtc"] = job.DueUtc.UtcDateTime,
            ["ScheduledUtc"] = job.ScheduledUtc.UtcDateTime,
            ["Data"] = job.Data,
            ["Status"] = job.Status.ToString(),
            ["Attempts"] = job.Attempts,
            ["Recurrence"] = job.Recurrence?.ToString(),
            ["LeaseOwner"] = job.LeaseOwner,
            ["LeaseUntilUtc"] = job.LeaseUntilUtc?.UtcDateTime,
            ["LastError"] = job.LastError == null ? null : Truncate(job.LastError),
            ["LastErrorUtc"] = job.LastErrorUtc?.UtcDateTime,
            ["LastRunUtc"] = job.LastRunUtc?.UtcDateTime,
            ["Runs"] = job.Runs,
            ["CreatedUtc"] = job.CreatedUtc.UtcDateTime,
            ["FinishedUtc"] = job.FinishedUtc?.UtcDateTime,
            ["SeriesId"] = job.SeriesId,
        };
        // Table Storage stores no nulls; leave them out rather than writing empty values.
        foreach (var key in entity.Keys.Where(k => entity[k] == null).ToList())
        {
            entity.Remove(key);
        }
        return entity;
    }

    private static Job ToJob(TableEntity row)
    {
        var recurrence = row.GetString("Recurrence");
        var due = row.GetDateTimeOffset("DueUtc") ?? DateTimeOffset.MinValue;
        return new Job
        {
            TenantId = row.GetString("TenantId") ?? "",
            Id = row.GetString("JobId") ?? TableKeys.Unescape(row.RowKey),
            Kind = row.GetString("Kind") ?? "",
            DueUtc = due,
            ScheduledUtc = row.GetDateTimeOffset("ScheduledUtc") ?? due,
            Data = row.GetString("Data") ?? "{}",
            Status = Enum.TryParse<JobStatus>(row.GetString("Status"), out var status) ? status : JobStatus.Pending,
            Attempts = row.GetInt32("Attempts") ?? 0,
            Recurrence = string.IsNullOrEmpty(recurrence) ? null : Recurrence.Parse(recurrence),
            LeaseOwner = row.GetString("LeaseOwner"),
            LeaseUntilUtc = row.GetDateTimeOffset("LeaseUntilUtc"),
            LastError = row.GetString("LastError"),
            LastErrorUtc = row.GetDateTimeOffset("LastErrorUtc"),
            LastRunUtc = row.GetDateTimeOffset("LastRunUtc"),
            Runs = row.GetInt32("Runs") ?? 0,
            CreatedUtc = row.GetDateTimeOffset("CreatedUtc") ?? DateTimeOffset.MinValue,
            FinishedUtc = row.GetDateTimeOffset("FinishedUtc"),
            SeriesId = row.GetString("SeriesId"),
            ETag = row.ETag,
        };
    }

    /// <summary>
    /// Deletes the finished jobs (done, cancelled, parked) that finished before <paramref name="cutoff"/>
    /// (each only if unchanged since it was read: a re-queued job stays) and the sent-message rows
    /// older than it; returns how many of each.
    /// </summary>
    public async Task<(int Jobs, int Sent)> PruneFinishedAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var finished = string.Join(" or ", new[] { JobStatus.Done, JobStatus.Cancelled, JobStatus.Parked }.Select(s => TableClient.CreateQueryFilter($"Status eq {s.ToString()}")));
        var jobFilter = TableRange.Partitions(JobPrefix).And(TableClient.CreateQueryFilter($"FinishedUtc lt {cutoff.UtcDateTime}")).And(finished);
        var jobs = await DeleteAsync(jobFilter, conditional: true, cancellationToken).ConfigureAwait(false);
        var sentFilter = TableRange.Partitions(SentPrefix).And(TableClient.CreateQueryFilter($"AtUtc lt {cutoff.UtcDateTime}"));
        var sent = await DeleteAsync(sentFilter, conditional: false, cancellationToken).ConfigureAwait(false);
        return (jobs, sent);
    }

    private async Task<int> DeleteAsync(string filter, bool conditional, CancellationToken cancellationToken)
    {
        var deleted = 0;
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, conditional ? row.ETag : ETag.All, cancellationToken).ConfigureAwait(false);
                deleted++;
            }
            catch (RequestFailedException e) when (e.Status is 404 or 412)
            {
                // Gone already, or changed since it was read (re-queued): leave it.
            }
        }
        return deleted;
    }
}

/// <summary>A due row: "job <see cref="JobId"/> of <see cref="TenantId"/> is due at <see cref="DueUtc"/>".</summary>
public sealed record DueEntry(string PartitionKey, string RowKey, string TenantId, string JobId, DateTimeOffset DueUtc, string Bucket, DateTimeOffset? Timestamp, ETag ETag);
