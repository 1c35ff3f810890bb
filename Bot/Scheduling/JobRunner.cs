using System.Collections.Concurrent;
using System.Diagnostics;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.Diagnostics;
using Microsoft.Extensions.Options;

namespace ChatRegs.Bot.Scheduling;

/// <summary>
/// The hosted service that runs due jobs. Every <see cref="JobOptions.PollInterval"/> it asks
/// the Jobs table what is due (<see cref="JobStore.QueryDueAsync"/>), and for each due job:
/// <list type="number">
/// <item>claims it: Running, lease owner = this instance, lease until now +
/// <see cref="JobOptions.LeaseDuration"/>, attempts + 1 — an update conditional on the row's
/// ETag, so of several instances exactly one wins and the others skip it. The poll's jobs are
/// read in one query per 14 and claimed in one Table transaction per tenant and 100 jobs
/// (<see cref="JobStore.UpdateManyAsync"/>); a job that waited a third of its lease for its
/// turn renews it before it starts;</item>
/// <item>runs its kind's <see cref="IJobHandler"/>, renewing the lease while it runs;</item>
/// <item>records the outcome, again conditional on the ETag: Done; or, for a recurring job,
/// Pending at its next run; or, after a failure, Pending again after an exponential backoff;
/// or Parked with the reason once <see cref="JobOptions.MaxAttempts"/> attempts have failed
/// (a recurring job parks that occurrence as a row of its own and goes on with the next).</item>
/// </list>
/// A job whose instance died (its lease ran out without renewal) is due again and the next
/// poll of any instance claims it. All time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed class JobRunner : BackgroundService
{
    private readonly JobStore _store;
    private readonly TimeProvider _time;
    private readonly JobOptions _options;
    private readonly ILogger<JobRunner> _logger;
    private readonly Dictionary<string, IJobHandler> _handlers;
    private readonly SemaphoreSlim _slots;
    /// <summary>Jobs claimed by a poll of this instance that has not finished yet (a later poll skips them).</summary>
    private readonly ConcurrentDictionary<(string TenantId, string JobId), byte> _held = new();
    private long _polls;
    /// <summary>Due rows one poll reads at most (five pages of the Table service).</summary>
    public const int MaxDueWindow = 5000;

    /// <summary>Set by the hosted loop: its polls pick their slice once the first heartbeat was written.</summary>
    private Task? _firstHeartbeat;

    public JobRunner(JobStore store, TimeProvider time, IOptions<JobOptions> options, IEnumerable<IJobHandler> handlers, ILogger<JobRunner> logger)
    {
        _store = store;
        _time = time;
        _options = options.Value;
        _logger = logger;
        _slots = new SemaphoreSlim(Math.Max(1, _options.MaxConcurrency));
        _handlers = new Dictionary<string, IJobHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!_handlers.TryAdd(handler.Kind, handler))
            {
                throw new InvalidOperationException($"Job kind '{handler.Kind}' has two handlers.");
            }
        }
        InstanceId = string.IsNullOrWhiteSpace(_options.InstanceId)
            ? $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}"
            : _options.InstanceId;
        Slices = new RunnerSlices(store, time, _options, InstanceId);
    }

    /// <summary>Which due jobs this instance claims when several run jobs (its slice).</summary>
    public RunnerSlices Slices { get; }

    /// <summary>This instance's name in job leases.</summary>
    public string InstanceId { get; }

    /// <summary>Polls completed by the background loop (tests wait on it).</summary>
    public long Polls => Interlocked.Read(ref _polls);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.RunnerEnabled)
        {
            _logger.LogInformation("The job runner is disabled on this instance (ChatRegs:Jobs:RunnerEnabled = false).");
            return;
        }
        // Heartbeats, so that the live instances split the due jobs. The first poll reads the due
        // rows while the first heartbeat is written, and picks its slice once it is.
        _firstHeartbeat = Slices.FirstHeartbeat;
        var heartbeat = Slices.RunAsync(_logger, stoppingToken);
        var failing = false;
        // A poll that took a whole batch hands off once most of its jobs have started: the next
        // poll claims while its last jobs still run, so the pacing never waits for a claim
        // (on a loaded Table service a poll's reads and claims take a second or more).
        Task<PollOutcome>? previous = null;
        var warm = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            // The next poll's timer starts before this poll, so polls start every interval.
            var next = Task.Delay(_options.PollInterval, _time, stoppingToken);
            var again = false;
            try
            {
                var handOff = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                // After an idle poll, a first batch of one round of jobs: they start after a few
                // requests instead of after reading and claiming a whole batch.
                var batch = previous == null && !warm ? Math.Min(_options.BatchSize, Math.Max(1, _options.MaxConcurrency)) : _options.BatchSize;
                var poll = PollAsync(handOff, batch, stoppingToken);
                await Task.WhenAny(poll, handOff.Task).ConfigureAwait(false);
                var handedOff = !poll.IsCompleted; // a full batch, still running its last jobs
                var before = previous;
                previous = handedOff ? poll : null;
                if (before != null)
                {
                    // At most two polls at once: the one before has finished its last jobs by now.
                    await before.ConfigureAwait(false);
                }
                again = handedOff || (await poll.ConfigureAwait(false)).Full;
                warm = again;
                if (failing)
                {
                    _logger.LogInformation("The job runner reaches Table Storage again.");
                    failing = false;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                if (!failing)
                {
                    _logger.LogWarning("The job runner could not read the Jobs table ({Reason}); it keeps trying every {Interval}.", e.Message, _options.PollInterval);
                }
                failing = true;
            }
            Interlocked.Increment(ref _polls);
            if (again)
            {
                continue;
            }
            try
            {
                await next.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        if (previous != null)
        {
            try
            {
                await previous.ConfigureAwait(false); // hands back what it had not started
            }
            catch (Exception e) when (e is OperationCanceledException || stoppingToken.IsCancellationRequested)
            {
                // shutting down
            }
        }
        await heartbeat.ConfigureAwait(false); // removes this instance's runner row
    }

    /// <summary>
    /// One poll: runs every job due now (at most <see cref="JobOptions.BatchSize"/>) and waits
    /// for them. The storage work is batched, so that a job costs about one request of its own
    /// (recording its outcome): the due rows come in one query, their jobs in one query per
    /// <see cref="JobStore.ReadChunk"/> of a tenant, the claims in one Table transaction per
    /// tenant and <see cref="JobStore.TransactionLimit"/> jobs, and the due rows of finished
    /// jobs go in one transaction per hour and tenant at the end of the poll.
    /// </summary>
    public Task<PollOutcome> PollAsync(CancellationToken cancellationToken = default) => PollAsync(null, _options.BatchSize, cancellationToken);

    /// <param name="handOff">Completed once this poll took a whole batch and at most half of it
    /// is still to start: the caller may poll again while the rest runs.</param>
    private async Task<PollOutcome> PollAsync(TaskCompletionSource? handOff, int batchSize, CancellationToken cancellationToken)
    {
        batchSize = Math.Max(1, batchSize);
        var now = _time.GetUtcNow();
        // With several instances each claims its own slice of the due jobs (RunnerSlices). Jobs an
        // earlier poll of this instance still holds, and other instances' slices, are left out
        // without a read, but their due rows come first in the query (they go when the job is
        // done): so the query reads past what every instance holds (this one's count for each),
        // then a batch per live instance and one more, to find a batch of this instance's own.
        // (Reading only two batches, a backlog's polls found nothing of their own for seconds
        // while both instances held hundreds of jobs.)
        var members = Slices.Members.Count;
        var window = (int)Math.Min(MaxDueWindow, ((long)members * _held.Count) + ((long)Math.Min(members + 1, 5) * batchSize));
        var query = _store.QueryDueAsync(now, window, cancellationToken);
        if (_firstHeartbeat is { IsCompleted: false } first)
        {
            await Task.WhenAny(first, Task.Delay(TimeSpan.FromSeconds(10), _time, cancellationToken)).ConfigureAwait(false);
        }
        var rows = await query.ConfigureAwait(false);
        var due = rows
            .Where(d => !_held.ContainsKey((d.TenantId, d.JobId)) && Slices.Mine(d, now))
            .Take(batchSize).ToList();
        if (due.Count == 0)
        {
            return new PollOutcome(0, 0);
        }

        // Due rows to remove at the end of the poll: finished, moved, orphaned.
        var stale = new ConcurrentBag<DueEntry>();
        var jobs = new Dictionary<(string Tenant, string Id), Job>();
        foreach (var tenant in due.GroupBy(d => d.TenantId, StringComparer.Ordinal))
        {
            var found = await _store.GetManyAsync(tenant.Key, tenant.Select(d => d.JobId).ToList(), cancellationToken).ConfigureAwait(false);
            foreach (var (id, job) in found)
            {
                jobs[(tenant.Key, id)] = job;
            }
        }

        var claims = new List<Claim>();
        var seen = new HashSet<(string, string)>();
        foreach (var entry in due)
        {
            if (!jobs.TryGetValue((entry.TenantId, entry.JobId), out var job))
            {
                if (entry.Timestamp is { } written && written < now - JobStore.OrphanGrace)
                {
                    stale.Add(entry);
                }
                continue;
            }
            if (job.Status is JobStatus.Done or JobStatus.Cancelled or JobStatus.Parked || JobStore.Bucket(job.DueUtc) != entry.Bucket)
            {
                // Finished, or moved to another hour (which has its own due row).
                stale.Add(entry);
                continue;
            }
            var abandoned = job.Status == JobStatus.Running && job.LeaseUntilUtc <= now;
            if ((!(job.Status == JobStatus.Pending && job.DueUtc <= now) && !abandoned) || claims.Count >= batchSize || !seen.Add((job.TenantId, job.Id)))
            {
                continue; // not due yet (later this hour), or another instance holds it
            }
            claims.Add(new Claim(entry, job, job with
            {
                Status = JobStatus.Running,
                LeaseOwner = InstanceId,
                LeaseUntilUtc = now + _options.LeaseDuration,
                Attempts = job.Attempts + 1,
            }, abandoned));
        }

        // Conditional on each row's ETag: of several instances exactly one claims a job.
        var won = (await _store.UpdateManyAsync(claims.Select(c => c.Wanted).ToList(), cancellationToken).ConfigureAwait(false))
            .Where(s => s.IsWritten).Select(s => s.Value!).ToDictionary(j => (j.TenantId, j.Id));
        if (won.Count < claims.Count)
        {
            Slices.Contended(); // another instance claims from this slice: look at who runs jobs again
        }
        var toRun = claims.Where(c => won.ContainsKey((c.Wanted.TenantId, c.Wanted.Id))).Select(c => c with { Wanted = won[(c.Wanted.TenantId, c.Wanted.Id)] }).ToList();
        var claimedAt = _time.GetUtcNow();
        var started = new ConcurrentDictionary<(string, string), bool>();
        foreach (var claim in toRun)
        {
            _held[(claim.Wanted.TenantId, claim.Wanted.Id)] = 0;
        }
        // Full (poll again while these run): a whole batch, or half of one when the query was
        // cut off (more may be due: with several instances a window holds about 1/n of one's own).
        var full = toRun.Count >= batchSize || (rows.Count >= window && toRun.Count >= batchSize / 2);
        var handOffAt = full ? toRun.Count - (toRun.Count / 2) : int.MaxValue;

        var ran = 0;
        try
        {
            await Parallel.ForEachAsync(
                toRun,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxConcurrency), CancellationToken = cancellationToken },
                async (claim, token) =>
                {
                    // One limit for the instance, however many polls overlap.
                    await _slots.WaitAsync(token).ConfigureAwait(false);
                    try
                    {
                        started[(claim.Wanted.TenantId, claim.Wanted.Id)] = true;
                        if (started.Count >= handOffAt)
                        {
                            handOff?.TrySetResult();
                        }
                        if (await RunClaimAsync(claim, claimedAt, stale, token).ConfigureAwait(false))
                        {
                            Interlocked.Increment(ref ran);
                        }
                    }
                    catch (Exception e) when (StorageProblems.IsTransient(e) && !token.IsCancellationRequested)
                    {
                        // Storage busy, slow or changed meanwhile (StorageProblems.IsTransient; the job's outcome could not be written): nothing is
                        // broken, and the job runs again when its lease runs out. Not an error.
                        _logger.LogWarning("Storage was busy or slow while processing job {JobId} of tenant {TenantId} ({Reason}); it runs again once its lease runs out.",
                            claim.Entry.JobId, claim.Entry.TenantId, e.GetBaseException().Message);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                    {
                        _logger.LogError(e, "Could not process job {JobId} of tenant {TenantId}; it is tried again once its lease runs out.", claim.Entry.JobId, claim.Entry.TenantId);
                    }
                    finally
                    {
                        _slots.Release();
                    }
                }).ConfigureAwait(false);
        }
        finally
        {
            if (cancellationToken.IsCancellationRequested)
            {
                await HandBackAsync(toRun.Where(c => !started.ContainsKey((c.Wanted.TenantId, c.Wanted.Id))).Select(c => c.Wanted).ToList()).ConfigureAwait(false);
            }
            try
            {
                // Not cancellable: these jobs are finished; a due row left behind costs the next poll a look.
                await _store.DeleteDueManyAsync(stale.ToList(), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                _logger.LogWarning("Could not remove the due rows of {Count} finished jobs ({Reason}); a later poll removes them.", stale.Count, e.Message);
            }
            foreach (var claim in toRun)
            {
                _held.TryRemove((claim.Wanted.TenantId, claim.Wanted.Id), out _);
            }
        }
        // "Full" (poll again at once) when this instance took a whole batch, not when the due
        // jobs were only those other instances hold.
        return new PollOutcome(due.Count, ran) { Full = full };
    }

    /// <returns>True when the claim was still this instance's and the job ran.</returns>
    private async Task<bool> RunClaimAsync(Claim claim, DateTimeOffset claimedAt, ConcurrentBag<DueEntry> stale, CancellationToken cancellationToken)
    {
        var claimed = claim.Wanted;
        if (_time.GetUtcNow() - claimedAt > _options.LeaseDuration / 3)
        {
            // Claimed with the batch but waited for its turn: renew before running, so the lease
            // cannot run out under a job that has only just started.
            var renewed = await _store.UpdateAsync(claimed with { LeaseUntilUtc = _time.GetUtcNow() + _options.LeaseDuration }, cancellationToken).ConfigureAwait(false);
            if (renewed.IsChanged)
            {
                return false;
            }
            claimed = renewed.Value!;
        }

        if (claim.Abandoned)
        {
            var job = claim.Found;
            _logger.LogWarning("Job {JobId} ({Kind}) of tenant {TenantId} was claimed by {Owner}, which stopped renewing its lease; {Instance} takes it over (attempt {Attempt}).",
                job.Id, job.Kind, job.TenantId, job.LeaseOwner, InstanceId, claimed.Attempts);
            if (job.Attempts >= _options.MaxAttempts)
            {
                await FailAsync(claimed, claim.Entry, $"The bot instance running this job stopped {job.Attempts} times before it finished.", permanent: true, cancellationToken).ConfigureAwait(false);
                return true;
            }
        }

        await RunClaimedAsync(claimed, claim.Entry, stale, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Shutting down with claimed jobs not started: give them back so another instance runs them now.</summary>
    private async Task HandBackAsync(IReadOnlyList<Job> unstarted)
    {
        if (unstarted.Count == 0)
        {
            return;
        }
        try
        {
            var released = await _store.UpdateManyAsync(unstarted.Select(j => j with
            {
                Status = JobStatus.Pending,
                LeaseOwner = null,
                LeaseUntilUtc = null,
                Attempts = Math.Max(0, j.Attempts - 1),
            }).ToList(), CancellationToken.None).ConfigureAwait(false);
            _logger.LogInformation("Shutting down: handed back {Released} of {Claimed} claimed jobs not started yet.", released.Count(s => s.IsWritten), unstarted.Count);
        }
        catch (Exception e)
        {
            _logger.LogWarning("Shutting down: could not hand back {Count} claimed jobs ({Reason}); they run once their leases run out.", unstarted.Count, e.Message);
        }
    }

    /// <summary>A job this poll wants to claim: its due row, the row as read, and the claim to write.</summary>
    private sealed record Claim(DueEntry Entry, Job Found, Job Wanted, bool Abandoned);

    private async Task RunClaimedAsync(Job claimed, DueEntry entry, ConcurrentBag<DueEntry> stale, CancellationToken stoppingToken)
    {
        using var leaseLost = new CancellationTokenSource();
        using var runToken = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leaseLost.Token);
        var lease = new LeaseHolder(claimed);
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = RenewLeaseAsync(lease, leaseLost, heartbeatStop.Token);

        Exception? failure = null;
        ChatRegsTelemetry.JobStarting(claimed.Kind, claimed.DueUtc, _time.GetUtcNow());
        // One trace per job run: the storage and connector calls of the job go under it.
        using (var span = ChatRegsTelemetry.Source.StartActivity("job " + claimed.Kind, ActivityKind.Internal))
        try
        {
            span?.SetTag("job.kind", claimed.Kind);
            span?.SetTag("job.attempt", claimed.Attempts);
            if (!_handlers.TryGetValue(claimed.Kind, out var handler))
            {
                throw new InvalidOperationException($"No handler is registered for job kind '{claimed.Kind}'.");
            }
            await handler.RunAsync(claimed, runToken.Token).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure = e;
            span?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
        }
        finally
        {
            heartbeatStop.Cancel();
            await heartbeat.ConfigureAwait(false);
        }

        var current = lease.Current;
        if (leaseLost.IsCancellationRequested)
        {
            _logger.LogWarning("Job {JobId} ({Kind}) lost its lease while running (cancelled, or taken over by another instance); its outcome here is dropped.", claimed.Id, claimed.Kind);
            return;
        }
        if (failure is OperationCanceledException && stoppingToken.IsCancellationRequested)
        {
            // Shutting down: hand the job back so another instance runs it now, not after the lease.
            var released = await _store.UpdateAsync(current with
            {
                Status = JobStatus.Pending,
                LeaseOwner = null,
                LeaseUntilUtc = null,
                Attempts = Math.Max(0, current.Attempts - 1),
            }, CancellationToken.None).ConfigureAwait(false);
            _logger.LogInformation("Job {JobId} ({Kind}) was interrupted by shutdown and {Outcome}.", claimed.Id, claimed.Kind, released.IsWritten ? "handed back" : "will be taken over when its lease runs out");
            return;
        }

        if (failure == null)
        {
            await SucceedAsync(current, entry, stale, stoppingToken).ConfigureAwait(false);
        }
        else
        {
            await FailAsync(current, entry, Describe(failure), failure is PermanentJobFailureException, stoppingToken).ConfigureAwait(false);
            if (failure is not PermanentJobFailureException)
            {
                _logger.LogWarning(failure, "Job {JobId} ({Kind}) of tenant {TenantId} failed (attempt {Attempt} of {Max}).", claimed.Id, claimed.Kind, claimed.TenantId, claimed.Attempts, _options.MaxAttempts);
            }
        }
    }

    private async Task SucceedAsync(Job current, DueEntry entry, ConcurrentBag<DueEntry> stale, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (current.Recurrence is { } recurrence)
        {
            var nextRun = recurrence.NextAfter(now);
            var next = current with
            {
                Status = JobStatus.Pending,
                DueUtc = nextRun,
                ScheduledUtc = nextRun,
                Attempts = 0,
                LeaseOwner = null,
                LeaseUntilUtc = null,
                LastError = null,
                LastErrorUtc = null,
                LastRunUtc = now,
                Runs = current.Runs + 1,
            };
            await RescheduleAsync(next, entry, cancellationToken).ConfigureAwait(false);
            return;
        }

        var done = current with { Status = JobStatus.Done, LeaseOwner = null, LeaseUntilUtc = null, LastRunUtc = now, FinishedUtc = now, Runs = current.Runs + 1 };
        if ((await _store.UpdateAsync(done, cancellationToken).ConfigureAwait(false)).IsWritten)
        {
            // Its due row goes with the poll's other finished jobs, in one transaction.
            stale.Add(entry);
        }
        else
        {
            _logger.LogWarning("Job {JobId} ran, but it changed meanwhile (cancelled?); its result is not recorded.", current.Id);
        }
    }

    private async Task FailAsync(Job current, DueEntry entry, string reason, bool permanent, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (!permanent && current.Attempts < _options.MaxAttempts)
        {
            var retry = current with
            {
                Status = JobStatus.Pending,
                DueUtc = now + Backoff(current.Attempts),
                LeaseOwner = null,
                LeaseUntilUtc = null,
                LastError = reason,
                LastErrorUtc = now,
            };
            await RescheduleAsync(retry, entry, cancellationToken).ConfigureAwait(false);
            return;
        }

        ChatRegsTelemetry.JobsParked.Add(1, new KeyValuePair<string, object?>("job.kind", current.Kind));
        _logger.LogError("Job {JobId} ({Kind}) of tenant {TenantId} is parked after {Attempts} attempt(s): {Reason}", current.Id, current.Kind, current.TenantId, current.Attempts, reason);
        if (current.Recurrence is { } recurrence)
        {
            // Park this occurrence as a row of its own, and let the series go on.
            var occurrence = current with
            {
                Id = $"{current.Id}@{current.ScheduledUtc.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}",
                DueUtc = current.ScheduledUtc,
                Status = JobStatus.Parked,
                Recurrence = null,
                SeriesId = current.Id,
                LeaseOwner = null,
                LeaseUntilUtc = null,
                LastError = reason,
                LastErrorUtc = now,
                FinishedUtc = now,
            };
            // Already there (a retry of this occurrence's parking): the same row, nothing to add.
            await _store.AddAsync(occurrence, cancellationToken).ConfigureAwait(false);
            var nextRun = recurrence.NextAfter(now);
            var next = current with
            {
                Status = JobStatus.Pending,
                DueUtc = nextRun,
                ScheduledUtc = nextRun,
                Attempts = 0,
                LeaseOwner = null,
                LeaseUntilUtc = null,
                LastError = reason,
                LastErrorUtc = now,
            };
            await RescheduleAsync(next, entry, cancellationToken).ConfigureAwait(false);
            return;
        }

        var parked = current with { Status = JobStatus.Parked, LeaseOwner = null, LeaseUntilUtc = null, LastError = reason, LastErrorUtc = now, FinishedUtc = now };
        if ((await _store.UpdateAsync(parked, cancellationToken).ConfigureAwait(false)).IsWritten)
        {
            await _store.DeleteDueAsync(entry, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Puts the job back to Pending at its new due time: new due row first, then the job, then the old due row goes.</summary>
    private async Task RescheduleAsync(Job next, DueEntry entry, CancellationToken cancellationToken)
    {
        await _store.UpsertDueAsync(next, cancellationToken).ConfigureAwait(false);
        if ((await _store.UpdateAsync(next, cancellationToken).ConfigureAwait(false)).IsChanged)
        {
            _logger.LogWarning("Job {JobId} changed while it ran (cancelled?); it is not rescheduled.", next.Id);
            return;
        }
        if (JobStore.Bucket(next.DueUtc) != entry.Bucket)
        {
            await _store.DeleteDueAsync(entry, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Base × 2^(attempt−1), at most the maximum, ±20 % so retries of many jobs spread out.</summary>
    public TimeSpan Backoff(int attempt)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var delay = Math.Min(_options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, exponent), _options.RetryMaxDelay.TotalMilliseconds);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(delay * jitter);
    }

    private async Task RenewLeaseAsync(LeaseHolder lease, CancellationTokenSource leaseLost, CancellationToken stop)
    {
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerSecond, _options.LeaseDuration.Ticks / 3));
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, _time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                // Not cancellable: a renewal that reached storage must be known, or the final
                // update would carry a stale ETag and the finished job would run again.
                var renewed = await _store.UpdateAsync(lease.Current with { LeaseUntilUtc = _time.GetUtcNow() + _options.LeaseDuration }, CancellationToken.None).ConfigureAwait(false);
                if (renewed.IsChanged)
                {
                    leaseLost.Cancel();
                    return;
                }
                lease.Current = renewed.Value!;
            }
            catch (Exception e)
            {
                // Storage blip: the lease is still ours until it runs out; try again next period.
                _logger.LogWarning("Could not renew the lease of job {JobId}: {Reason}", lease.Current.Id, e.Message);
            }
        }
    }

    private static string Describe(Exception e)
    {
        var inner = e is AggregateException { InnerExceptions.Count: 1 } agg ? agg.InnerExceptions[0] : e;
        return inner is PermanentJobFailureException ? inner.Message : $"{inner.GetType().Name}: {inner.Message}";
    }

    private sealed class LeaseHolder(Job job)
    {
        private Job _current = job;

        public Job Current
        {
            get => Volatile.Read(ref _current);
            set => Volatile.Write(ref _current, value);
        }
    }
}

/// <summary>What one poll found due and how many of those this instance ran.</summary>
public readonly record struct PollOutcome(int Due, int Ran)
{
    /// <summary>This instance claimed a whole batch: more may be due, poll again at once.</summary>
    public bool Full { get; init; }
}
