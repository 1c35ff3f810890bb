using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Meetings.Attendance;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Scheduling;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Meetings.Jobs;

/// <summary>
/// "meetings.checkinOpen": when an occurrence's check-in window opens, posts the check-in card
/// to the meeting's conversation, schedules the roll for its end and keeps the series
/// scheduled ahead. A stale job (its occurrence was moved, cancelled or removed) does nothing.
/// </summary>
public sealed class CheckInOpenJob(MeetingJobs jobs, ProactiveSender sender, CheckIns.CheckInCard cards, ILogger<CheckInOpenJob> logger) : IJobHandler
{
    public string Kind => MeetingJobs.OpenKind;

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var data = job.DataAs<OccurrenceJobData>() ?? throw new PermanentJobFailureException("The job has no occurrence.");
        var current = await jobs.CurrentAsync(job.TenantId, data, cancellationToken).ConfigureAwait(false);
        if (current is not { } c)
        {
            logger.LogInformation("Check-in of {Occurrence} not opened: the occurrence was moved, cancelled or removed.", data.Occurrence);
            await jobs.ScheduleUpcomingAsync(job.TenantId, data.SeriesId, cancellationToken).ConfigureAwait(false);
            return;
        }
        var (snapshot, occurrence) = c;
        // The roll first: it must follow even if the card cannot be posted.
        await jobs.ScheduleRollAsync(job.TenantId, occurrence, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(snapshot.Series.ConversationId))
        {
            var result = await sender.SendToConversationAsync(job.TenantId, snapshot.Series.ConversationId,
                (turn, ct) => turn.SendActivityAsync(MessageFactory.Attachment(cards.Create(snapshot, occurrence, turn.Activity.Locale ?? "")), ct),
                $"{Kind} {occurrence.Key}", cancellationToken).ConfigureAwait(false);
            if (!result.Delivered)
            {
                logger.LogWarning("The check-in card of {Occurrence} could not be posted to {ConversationId}: {Reason}.", occurrence.Key, snapshot.Series.ConversationId, result.Reason);
            }
        }
        await jobs.ScheduleUpcomingAsync(job.TenantId, data.SeriesId, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// What follows a meeting being held, for features that start work then (the minutes are due two
/// working days later, whether or not anyone has opened them yet). Called by the roll job at the
/// end of each occurrence; must be idempotent (the job may run again).
/// </summary>
public interface IOccurrenceHeld
{
    Task HeldAsync(string tenantId, MeetingOccurrence occurrence, CancellationToken cancellationToken);
}

/// <summary>
/// "meetings.roll": at the end of an occurrence, sends its roll to the host (the substitute, if
/// named) and the recorder, each in their own chat — once each, even when the job is retried —
/// and tells the <see cref="IOccurrenceHeld"/> features the meeting was held.
/// </summary>
public sealed class RollJob(MeetingJobs jobs, AttendanceService attendance, JobDeliveries deliveries, Attendance.RollCard cards, IEnumerable<IOccurrenceHeld> followers) : IJobHandler
{
    public string Kind => MeetingJobs.RollKind;

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var data = job.DataAs<OccurrenceJobData>() ?? throw new PermanentJobFailureException("The job has no occurrence.");
        if (await jobs.CurrentAsync(job.TenantId, data, cancellationToken).ConfigureAwait(false) is { } current)
        {
            var roll = await attendance.GetRollAsync(job.TenantId, data.Occurrence, cancellationToken).ConfigureAwait(false);
            if (roll != null)
            {
                var series = current.Snapshot.Series;
                await deliveries.SendToEachAsync(job, [current.Occurrence.HostId, series.RecorderId ?? ""],
                    _ => (turn, ct) => turn.SendActivityAsync(MessageFactory.Attachment(cards.Create(roll, turn.Activity.Locale ?? "", canCorrect: true)), ct),
                    $"{Kind} {data.Occurrence}", cancellationToken).ConfigureAwait(false);
            }
            foreach (var follower in followers)
            {
                await follower.HeldAsync(job.TenantId, current.Occurrence, cancellationToken).ConfigureAwait(false);
            }
        }
        await jobs.ScheduleUpcomingAsync(job.TenantId, data.SeriesId, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// "meetings.notify": tells each recipient, in their own 1:1 chat and language, that an
/// occurrence was moved or cancelled, or handed to a substitute host. Each person gets the
/// notice once, even when the job is retried; one person who cannot be reached for now does
/// not stop the others, and the job is retried for them (<see cref="JobDeliveries"/>).
/// </summary>
public sealed class MeetingNoticeJob(MeetingCache cache, JobDeliveries deliveries, Localizer localizer) : IJobHandler
{
    public string Kind => MeetingJobs.NotifyKind;

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var notice = job.DataAs<MeetingNotice>() ?? throw new PermanentJobFailureException("The job has no notice.");
        cache.Invalidate(job.TenantId, notice.SeriesId);
        var (snapshot, occurrence) = await cache.GetOccurrenceAsync(job.TenantId, notice.Occurrence, cancellationToken).ConfigureAwait(false);
        if (snapshot == null || occurrence == null)
        {
            return;
        }
        await deliveries.SendToEachAsync(job, notice.Recipients,
            _ => (turn, ct) => turn.SendActivityAsync(MessageFactory.Text(Text(notice, snapshot, occurrence, turn.Activity.Locale ?? "")), ct),
            $"{Kind} {notice.Kind} {notice.Occurrence}", cancellationToken).ConfigureAwait(false);
    }

    public string Text(MeetingNotice notice, SeriesSnapshot snapshot, MeetingOccurrence occurrence, string locale)
    {
        var series = snapshot.Series;
        var old = occurrence with { Start = notice.OldStart, End = notice.OldEnd };
        var note = string.IsNullOrWhiteSpace(notice.Note) ? "" : localizer.Get(locale, "meetings.notice.note", notice.Note);
        var location = series.Location.Length > 0 ? series.Location : "—";
        return notice.Kind switch
        {
            MeetingNotice.Moved => localizer.Get(locale, "meetings.notice.moved", series.Name, MeetingText.When(old, locale), MeetingText.When(occurrence, locale), location, notice.ByName, note),
            MeetingNotice.Cancelled => localizer.Get(locale, "meetings.notice.cancelled", series.Name, MeetingText.When(old, locale), notice.ByName, note),
            _ => localizer.Get(locale, "meetings.notice.substitute", series.Name, MeetingText.When(occurrence, locale), snapshot.NameOf(occurrence.HostId), snapshot.NameOf(series.HostId), notice.ByName, note),
        };
    }
}

/// <summary>
/// "meetings.after": the outbox of a change (<see cref="MeetingJobs.ScheduleAfterAsync"/>).
/// A series: keeps its check-in jobs scheduled. An occurrence change: if the change stored for
/// the occurrence is still this one, its jobs follow it and its notice is queued (once per
/// change); a change that was never saved, or was replaced by a later one (which has its own
/// job), leaves nothing to do.
/// </summary>
public sealed class MeetingAfterJob(MeetingJobs jobs, MeetingCache cache, ILogger<MeetingAfterJob> logger) : IJobHandler
{
    public string Kind => MeetingJobs.AfterKind;

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var data = job.DataAs<MeetingAfterData>() ?? throw new PermanentJobFailureException("The job has no change.");
        cache.Invalidate(job.TenantId, data.SeriesId);
        if (data.Occurrence == null)
        {
            await jobs.ScheduleUpcomingAsync(job.TenantId, data.SeriesId, cancellationToken).ConfigureAwait(false);
            return;
        }
        var (snapshot, occurrence) = await cache.GetOccurrenceAsync(job.TenantId, data.Occurrence, cancellationToken).ConfigureAwait(false);
        if (snapshot == null || occurrence == null || data.Notice == null
            || !snapshot.Changes.TryGetValue(data.Occurrence, out var change) || change.ChangeId != data.ChangeId)
        {
            logger.LogInformation("Change {ChangeId} of {Occurrence} is not the one stored: nothing to follow through.", data.ChangeId, data.Occurrence);
            return;
        }
        await jobs.FollowChangeAsync(job.TenantId, occurrence, data.Notice, data.ChangeId, cancellationToken).ConfigureAwait(false);
    }
}
