using System.Text.Json;

namespace ChatRegs.Bot.Scheduling;

/// <summary>What <see cref="JobScheduler.ScheduleAsync"/> did: the job as stored, and whether this call created it.</summary>
public sealed record ScheduleResult(Job Job, bool Created);

/// <summary>
/// The API features use to run something later: schedule a job of a kind (run by that
/// kind's <see cref="IJobHandler"/>), cancel it, move it. Jobs live in Table Storage, so they
/// survive restarts and every bot instance sees them; exactly one instance runs each.
/// </summary>
/// <example>
/// <code>
/// // Check-in opens five minutes before every Monday and Thursday 08:30 meeting:
/// await scheduler.ScheduleAsync(tenant, "meetings.checkinOpen", firstOpening, new { seriesId },
///     jobId: $"checkin|{seriesId}", recurrence: Recurrence.Weekly(new TimeOnly(8, 25), "Asia/Shanghai", DayOfWeek.Monday, DayOfWeek.Thursday));
/// // The meeting was moved to the afternoon:
/// await scheduler.MoveAsync(tenant, $"checkin|{seriesId}", newOpeningUtc);
/// </code>
/// </example>
public sealed class JobScheduler
{
    /// <summary>Table Storage keeps at most 64 KiB in a string property (32 K UTF-16 characters).</summary>
    public const int MaxDataLength = 30_000;

    private const int MaxConflictRetries = 5;

    private readonly JobStore _store;
    private readonly TimeProvider _time;
    private readonly Lazy<HashSet<string>> _kinds;

    // The handlers are looked up when a job is first scheduled, not here: handlers schedule
    // jobs themselves (a reminder schedules the next one), so they depend on the scheduler.
    public JobScheduler(JobStore store, TimeProvider time, IServiceProvider services)
    {
        _store = store;
        _time = time;
        _kinds = new Lazy<HashSet<string>>(() => new HashSet<string>(services.GetServices<IJobHandler>().Select(h => h.Kind), StringComparer.Ordinal));
    }

    /// <summary>
    /// Schedules a job. With a <paramref name="jobId"/> the call is idempotent: when a job with
    /// that id exists (in any state, even finished — finished jobs are kept for
    /// <see cref="JobOptions.KeepFinished"/>), it is returned unchanged with
    /// <see cref="ScheduleResult.Created"/> false — so "schedule the reminder for occurrence X"
    /// can be repeated safely. Without one, a new id is generated.
    /// </summary>
    /// <param name="data">Serialized with System.Text.Json (camelCase); read back with <see cref="Job.DataAs{T}"/>.</param>
    /// <param name="recurrence">For a recurring job: when it runs after each run. <paramref name="dueUtc"/> is its first run.</param>
    public async Task<ScheduleResult> ScheduleAsync(
        string tenantId,
        string kind,
        DateTimeOffset dueUtc,
        object? data = null,
        string? jobId = null,
        Recurrence? recurrence = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tenantId);
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        if (!_kinds.Value.Contains(kind))
        {
            throw new ArgumentException($"No IJobHandler is registered for job kind '{kind}'.", nameof(kind));
        }
        if (jobId != null && (jobId.Length == 0 || jobId.Length > 300))
        {
            throw new ArgumentException("A job id is 1 to 300 characters.", nameof(jobId));
        }
        var json = data switch
        {
            null => "{}",
            JsonElement element => element.GetRawText(),
            _ => JsonSerializer.Serialize(data, data.GetType(), Job.DataJsonOptions),
        };
        if (json.Length > MaxDataLength)
        {
            throw new ArgumentException($"Job data is {json.Length:N0} characters; at most {MaxDataLength:N0} fit in a job. Store large data elsewhere and put its key in the job.", nameof(data));
        }

        if (jobId != null && await _store.GetAsync(tenantId, jobId, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return new ScheduleResult(existing, false);
        }

        var job = new Job
        {
            TenantId = tenantId,
            Id = jobId ?? Guid.NewGuid().ToString("N"),
            Kind = kind,
            DueUtc = dueUtc.ToUniversalTime(),
            ScheduledUtc = dueUtc.ToUniversalTime(),
            Data = json,
            Recurrence = recurrence,
            CreatedUtc = _time.GetUtcNow(),
        };
        var saved = await _store.InsertAsync(job, cancellationToken).ConfigureAwait(false);
        return new ScheduleResult(saved.Value!, saved.IsWritten);
    }

    /// <summary>
    /// Cancels a job: it never runs again (a recurring job's whole series stops). A run in
    /// progress is told to stop through its cancellation token when it next renews its lease.
    /// </summary>
    /// <returns>True when the job is now cancelled (or already was); false when there is no such job or it already finished.</returns>
    public async Task<bool> CancelAsync(string tenantId, string jobId, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < MaxConflictRetries; i++)
        {
            var job = await _store.GetAsync(tenantId, jobId, cancellationToken).ConfigureAwait(false);
            switch (job?.Status)
            {
                case null:
                case JobStatus.Done:
                    return false;
                case JobStatus.Cancelled:
                    return true;
            }
            var cancelled = job! with
            {
                Status = JobStatus.Cancelled,
                LeaseOwner = null,
                LeaseUntilUtc = null,
                FinishedUtc = _time.GetUtcNow(),
            };
            if ((await _store.UpdateAsync(cancelled, cancellationToken).ConfigureAwait(false)).IsWritten)
            {
                // Its due row is removed by the runner the next time it comes across it.
                return true;
            }
        }
        throw new InvalidOperationException($"Job '{jobId}' kept changing while it was being cancelled; try again.");
    }

    /// <summary>
    /// Moves a waiting job to a new due time (a meeting was rescheduled). For a recurring job
    /// this moves its next run; the runs after it follow the recurrence as before.
    /// </summary>
    /// <returns>True when moved; false when there is no such job or it is not waiting (running, finished, parked or cancelled).</returns>
    public async Task<bool> MoveAsync(string tenantId, string jobId, DateTimeOffset newDueUtc, CancellationToken cancellationToken = default)
    {
        newDueUtc = newDueUtc.ToUniversalTime();
        for (var i = 0; i < MaxConflictRetries; i++)
        {
            var job = await _store.GetAsync(tenantId, jobId, cancellationToken).ConfigureAwait(false);
            if (job is not { Status: JobStatus.Pending })
            {
                return false;
            }
            var moved = job with { DueUtc = newDueUtc, ScheduledUtc = newDueUtc };
            // The new due row first: the job row must never point at an hour with no due row.
            await _store.UpsertDueAsync(moved, cancellationToken).ConfigureAwait(false);
            if ((await _store.UpdateAsync(moved, cancellationToken).ConfigureAwait(false)).IsWritten)
            {
                // The old hour's due row no longer matches the job; the runner removes it.
                return true;
            }
        }
        throw new InvalidOperationException($"Job '{jobId}' kept changing while it was being moved; try again.");
    }

    /// <summary>
    /// Runs a parked job again (the office fixed what made it fail): Pending, due now, with a
    /// fresh set of attempts. Its run stays the same, so people it already reached before it
    /// was parked are not messaged again (<see cref="JobDeliveries"/>).
    /// </summary>
    /// <returns>The job as re-queued; null when there is no such job or it is not parked (any more).</returns>
    public async Task<Job?> RequeueAsync(string tenantId, string jobId, CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < MaxConflictRetries; i++)
        {
            var job = await _store.GetAsync(tenantId, jobId, cancellationToken).ConfigureAwait(false);
            if (job is not { Status: JobStatus.Parked })
            {
                return null;
            }
            var requeued = job with
            {
                Status = JobStatus.Pending,
                DueUtc = _time.GetUtcNow(),
                Attempts = 0,
                LastError = null,
                LastErrorUtc = null,
                FinishedUtc = null,
            };
            // The due row first: the job row must never point at an hour with no due row.
            await _store.UpsertDueAsync(requeued, cancellationToken).ConfigureAwait(false);
            var saved = await _store.UpdateAsync(requeued, cancellationToken).ConfigureAwait(false);
            if (saved.IsWritten)
            {
                return saved.Value;
            }
        }
        throw new InvalidOperationException($"Job '{jobId}' kept changing while it was being re-queued; try again.");
    }

    public Task<Job?> GetAsync(string tenantId, string jobId, CancellationToken cancellationToken = default) =>
        _store.GetAsync(tenantId, jobId, cancellationToken);
}
