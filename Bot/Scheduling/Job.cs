using System.Text.Json;
using Azure;

namespace ChatRegs.Bot.Scheduling;

public enum JobStatus
{
    /// <summary>Waiting for its due time (also between retries).</summary>
    Pending,

    /// <summary>Claimed by a bot instance, which holds a lease on it until <see cref="Job.LeaseUntilUtc"/>.</summary>
    Running,

    /// <summary>Ran successfully (a one-off job; a recurring job goes back to Pending for its next run).</summary>
    Done,

    /// <summary>Failed every attempt; kept with the reason for the office (<c>任务状态</c>) instead of being retried forever.</summary>
    Parked,

    /// <summary>Cancelled by a feature; never runs again.</summary>
    Cancelled,
}

/// <summary>
/// One scheduled job as stored: what runs (<see cref="Kind"/>, handled by the
/// <see cref="IJobHandler"/> of that kind), when, with which data, and where it stands.
/// Handlers receive it read-only.
/// </summary>
public sealed record Job
{
    public static readonly JsonSerializerOptions DataJsonOptions = new(JsonSerializerDefaults.Web);

    public required string TenantId { get; init; }

    public required string Id { get; init; }

    public required string Kind { get; init; }

    /// <summary>When it is (next) due, UTC. A retry moves it; <see cref="ScheduledUtc"/> stays.</summary>
    public required DateTimeOffset DueUtc { get; init; }

    /// <summary>
    /// The time this run was planned for (the occurrence of a recurring job), UTC. Unlike
    /// <see cref="DueUtc"/> it does not change when a failed run is retried later, so a handler
    /// knows which occurrence it is running (e.g. the 08:30 meeting, even when retried at 08:31).
    /// </summary>
    public DateTimeOffset ScheduledUtc { get; init; }

    /// <summary>The feature's data, JSON (see <see cref="DataAs{T}"/>).</summary>
    public string Data { get; init; } = "{}";

    public JobStatus Status { get; init; } = JobStatus.Pending;

    /// <summary>Runs started for the current occurrence (reset when a recurring job moves to its next run).</summary>
    public int Attempts { get; init; }

    public Recurrence? Recurrence { get; init; }

    public string? LeaseOwner { get; init; }

    public DateTimeOffset? LeaseUntilUtc { get; init; }

    /// <summary>Why the last attempt failed (or why the job was parked).</summary>
    public string? LastError { get; init; }

    public DateTimeOffset? LastErrorUtc { get; init; }

    /// <summary>When the last successful run finished.</summary>
    public DateTimeOffset? LastRunUtc { get; init; }

    /// <summary>Successful runs so far (a recurring job counts every occurrence).</summary>
    public int Runs { get; init; }

    public DateTimeOffset CreatedUtc { get; init; }

    public DateTimeOffset? FinishedUtc { get; init; }

    /// <summary>For a parked occurrence of a recurring job: the series it belongs to (the series itself goes on).</summary>
    public string? SeriesId { get; init; }

    /// <summary>The row's ETag: updates are conditional on it.</summary>
    public ETag ETag { get; init; }

    /// <summary>The data, deserialized (System.Text.Json, web defaults: camelCase).</summary>
    public T? DataAs<T>() => JsonSerializer.Deserialize<T>(Data, DataJsonOptions);

    /// <summary>True when a failed attempt is waiting for its retry.</summary>
    public bool IsRetrying => Status == JobStatus.Pending && LastError != null && Attempts > 0;
}
