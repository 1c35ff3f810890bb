using System.Globalization;
using ChatRegs.Bot.Scheduling;

namespace ChatRegs.Bot.Meetings.Jobs;

/// <summary>
/// What a meeting job carries: the occurrence and the times it was scheduled for (a job whose
/// occurrence has moved since is stale and does nothing). The start reminder also carries the
/// Teams meeting and its chat, as Teams named them in meetingStart, for the in-meeting notification.
/// </summary>
public sealed record OccurrenceJobData(string SeriesId, string Occurrence, DateTimeOffset Start, DateTimeOffset End, string? MeetingId = null, string? MeetingChatId = null);

/// <summary>
/// The meeting jobs (Bot/Scheduling): "open check-in" at each occurrence's window opening
/// (posts the check-in card), "roll" at its end (sends the roll to host and recorder), and
/// "notify" (tells people about a moved or cancelled occurrence or a substitute host).
/// Every series keeps its next two occurrences scheduled; each job, when it runs, tops that
/// up. Job ids carry the occurrence key and its start, so scheduling is idempotent, and a
/// moved occurrence gets new jobs while its old ones are cancelled.
/// </summary>
public sealed class MeetingJobs(JobScheduler scheduler, MeetingCache cache, TimeProvider time)
{
    public const string OpenKind = "meetings.checkinOpen";
    public const string RollKind = "meetings.roll";
    public const string NotifyKind = "meetings.notify";
    public const string AfterKind = "meetings.after";
    public const string StartReminderKind = "meetings.startReminder";

    /// <summary>How long the follow-through job of a change waits before it checks the change was followed through.</summary>
    public static readonly TimeSpan AfterDelay = TimeSpan.FromMinutes(1);

    /// <summary>Occurrences kept scheduled ahead.</summary>
    public const int Ahead = 2;

    public static string OpenJobId(MeetingOccurrence o) => $"meetings.open|{o.Key}|{Stamp(o.Start)}";

    public static string RollJobId(MeetingOccurrence o) => $"meetings.roll|{o.Key}|{Stamp(o.Start)}";

    /// <summary>One per occurrence: the job's row is what makes a second meetingStart send nothing.</summary>
    public static string StartReminderJobId(MeetingOccurrence o) => $"meetings.started|{o.Key}|{Stamp(o.Start)}";

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);

    public static OccurrenceJobData DataOf(MeetingOccurrence o) => new(o.Series.Id, o.Key, o.Start, o.End);

    /// <summary>Schedules the "open check-in" jobs of the series' next occurrences whose window has not closed (idempotent).</summary>
    public async Task ScheduleUpcomingAsync(string tenantId, string seriesId, CancellationToken cancellationToken)
    {
        var snapshot = await cache.GetAsync(tenantId, seriesId, cancellationToken).ConfigureAwait(false);
        if (snapshot == null)
        {
            return;
        }
        var now = time.GetUtcNow();
        var upcoming = snapshot.Occurrences(now.AddDays(-1), now.AddDays(400))
            .Where(o => !o.Cancelled && o.CheckInCloses > now)
            .Take(Ahead);
        foreach (var occurrence in upcoming)
        {
            await ScheduleOpenAsync(tenantId, occurrence, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task ScheduleOpenAsync(string tenantId, MeetingOccurrence occurrence, CancellationToken cancellationToken)
    {
        var due = occurrence.CheckInOpens < time.GetUtcNow() ? time.GetUtcNow() : occurrence.CheckInOpens;
        return scheduler.ScheduleAsync(tenantId, OpenKind, due, DataOf(occurrence), OpenJobId(occurrence), cancellationToken: cancellationToken);
    }

    public Task ScheduleRollAsync(string tenantId, MeetingOccurrence occurrence, CancellationToken cancellationToken)
    {
        var due = occurrence.End < time.GetUtcNow() ? time.GetUtcNow() : occurrence.End;
        return scheduler.ScheduleAsync(tenantId, RollKind, due, DataOf(occurrence), RollJobId(occurrence), cancellationToken: cancellationToken);
    }

    /// <summary>
    /// The Teams meeting ended before the scheduled end: the roll job runs now instead (the same
    /// job, so the roll still goes out once: a job that has run does not run again at the end).
    /// Idempotent; a roll job already running or done is left alone.
    /// </summary>
    public async Task RollNowAsync(string tenantId, MeetingOccurrence occurrence, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var scheduled = await scheduler.ScheduleAsync(tenantId, RollKind, now, DataOf(occurrence), RollJobId(occurrence), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!scheduled.Created && scheduled.Job.Status == JobStatus.Pending && scheduled.Job.DueUtc > now)
        {
            await scheduler.MoveAsync(tenantId, scheduled.Job.Id, now, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The Teams meeting started: those expected who have not checked in are reminded, once per
    /// occurrence (<see cref="StartReminderJobId"/>). Created is false when it was asked for before.
    /// </summary>
    public async Task<bool> RemindAtStartAsync(string tenantId, MeetingOccurrence occurrence, string? meetingId, string? meetingChatId, CancellationToken cancellationToken) =>
        (await scheduler.ScheduleAsync(tenantId, StartReminderKind, time.GetUtcNow(), DataOf(occurrence) with { MeetingId = meetingId, MeetingChatId = meetingChatId },
            StartReminderJobId(occurrence), cancellationToken: cancellationToken).ConfigureAwait(false)).Created;

    /// <summary>An occurrence was moved or cancelled: its jobs at the old time are cancelled, the new time gets its own, and the series stays scheduled ahead.</summary>
    public async Task OccurrenceChangedAsync(string tenantId, MeetingOccurrence before, MeetingOccurrence after, CancellationToken cancellationToken)
    {
        if (before.Start != after.Start || after.Cancelled)
        {
            await scheduler.CancelAsync(tenantId, OpenJobId(before), cancellationToken).ConfigureAwait(false);
            await scheduler.CancelAsync(tenantId, RollJobId(before), cancellationToken).ConfigureAwait(false);
        }
        if (!after.Cancelled && after.CheckInCloses > time.GetUtcNow())
        {
            await ScheduleOpenAsync(tenantId, after, cancellationToken).ConfigureAwait(false);
        }
        await ScheduleUpcomingAsync(tenantId, after.Series.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Asks the runner to tell people about a change, at once (the fan-out runs in the background,
    /// paced by the proactive sender). With <paramref name="jobId"/> (one per change), asking
    /// again for the same change does not tell anyone twice.
    /// </summary>
    public Task NotifyAsync(string tenantId, MeetingNotice notice, CancellationToken cancellationToken, string? jobId = null) =>
        scheduler.ScheduleAsync(tenantId, NotifyKind, time.GetUtcNow(), notice, jobId, cancellationToken: cancellationToken);

    public static string NoticeJobId(string occurrence, string changeId) => $"meetings.notify|{occurrence}|{changeId}";

    /// <summary>
    /// The outbox of a change that touches more than its own rows (a series' check-in jobs; a
    /// changed occurrence's jobs and notices): scheduled <i>before</i> the change is written, so
    /// that once the change is saved, what follows it cannot be lost. The change's own turn does
    /// the follow-through at once; this job (<see cref="MeetingAfterJob"/>) does it again a
    /// minute later (idempotent), and does nothing when the change was not saved after all.
    /// <paramref name="attempt"/> tells one attempt from the next (the activity id): a retry
    /// of a change that failed to save gets a job of its own.
    /// </summary>
    public Task ScheduleAfterAsync(string tenantId, MeetingAfterData data, string attempt, CancellationToken cancellationToken) =>
        scheduler.ScheduleAsync(tenantId, AfterKind, time.GetUtcNow() + AfterDelay, data,
            $"meetings.after|{data.Occurrence ?? data.SeriesId}|{data.ChangeId}|{MeetingStore.ChangeId(attempt)}", cancellationToken: cancellationToken);

    /// <summary>
    /// What follows a saved occurrence change: its jobs move with it (<see cref="OccurrenceChangedAsync"/>)
    /// and the notice is queued, once per change. Idempotent.
    /// </summary>
    public async Task FollowChangeAsync(string tenantId, MeetingOccurrence after, MeetingNotice notice, string changeId, CancellationToken cancellationToken)
    {
        var before = after with { Start = notice.OldStart, End = notice.OldEnd, Cancelled = false };
        await OccurrenceChangedAsync(tenantId, before, after, cancellationToken).ConfigureAwait(false);
        await NotifyAsync(tenantId, notice, cancellationToken, NoticeJobId(after.Key, changeId)).ConfigureAwait(false);
    }

    /// <summary>The occurrence a job was scheduled for, if it still stands as it was (not cancelled, not moved); else null.</summary>
    public async Task<(SeriesSnapshot Snapshot, MeetingOccurrence Occurrence)?> CurrentAsync(string tenantId, OccurrenceJobData data, CancellationToken cancellationToken)
    {
        // A job reads fresh data: the series may have changed on another instance.
        cache.Invalidate(tenantId, data.SeriesId);
        var (snapshot, occurrence) = await cache.GetOccurrenceAsync(tenantId, data.Occurrence, cancellationToken).ConfigureAwait(false);
        if (snapshot == null || occurrence == null || occurrence.Cancelled || occurrence.Start != data.Start)
        {
            return null;
        }
        return (snapshot, occurrence);
    }
}

/// <summary>
/// What a "meetings.after" job carries: the series (its check-in jobs follow it), or a change of
/// one occurrence (its id, and the notice to send once it is saved).
/// </summary>
public sealed record MeetingAfterData(string SeriesId, string ChangeId, string? Occurrence = null, MeetingNotice? Notice = null);

/// <summary>What to tell people about one occurrence.</summary>
public sealed record MeetingNotice(string Kind, string SeriesId, string Occurrence, DateTimeOffset OldStart, DateTimeOffset OldEnd, string ByName, string? Note, IReadOnlyList<string> Recipients)
{
    public const string Moved = "moved";
    public const string Cancelled = "cancelled";
    public const string Substitute = "substitute";
}
