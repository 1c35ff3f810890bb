using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Meetings.Attendance;
using ChatRegs.Bot.Meetings.Jobs;
using ChatRegs.Bot.Scheduling;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Meetings.Events;

/// <summary>
/// "meetings.startReminder" (scheduled by <see cref="MeetingEvents"/> when Teams says the meeting
/// started): everyone expected who has not checked in, is not on approved leave and has not been
/// excused gets one notice in their own language — once each, even when the job is retried
/// (<see cref="JobDeliveries"/>). When Teams named the meeting and in-meeting notifications are
/// on (<see cref="MeetingOptions.InMeetingNotificationUrl"/>), those in the meeting get Teams'
/// targeted in-meeting notification (<see cref="InMeetingNotifier"/>); whoever Teams could not
/// show it to gets the personal message in their 1:1 chat. Nothing is sent once the roll is final (the
/// meeting ended, or the job ran too late), or when the occurrence was moved or cancelled.
/// </summary>
public sealed class StartReminderJob(MeetingJobs jobs, AttendanceService attendance, JobDeliveries deliveries, InMeetingNotifier inMeeting, Localizer localizer, ILogger<StartReminderJob> logger) : IJobHandler
{
    public string Kind => MeetingJobs.StartReminderKind;

    /// <summary>How a person reached by the in-meeting notification is recorded among the job's recipients.</summary>
    public const string InMeetingOutcome = "InMeeting";

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var data = job.DataAs<OccurrenceJobData>() ?? throw new PermanentJobFailureException("The job has no occurrence.");
        if (await jobs.CurrentAsync(job.TenantId, data, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            logger.LogInformation("No start reminder for {Occurrence}: it was moved, cancelled or removed.", data.Occurrence);
            return;
        }
        var roll = await attendance.GetRollAsync(job.TenantId, data.Occurrence, cancellationToken).ConfigureAwait(false);
        if (roll == null || roll.Final)
        {
            logger.LogInformation("No start reminder for {Occurrence}: the meeting is over.", data.Occurrence);
            return;
        }
        // Absent with no check-in and no correction: not on leave, not excused, not here.
        var missing = roll.Entries.Where(e => e.Status == AttendanceStatus.Absent && e.CheckIn == null && e.Correction == null).Select(e => e.UserId).ToList();
        var (snapshot, occurrence) = current;
        if (inMeeting.Enabled && data.MeetingId is { Length: > 0 } meetingId && data.MeetingChatId is { Length: > 0 } chatId)
        {
            missing = [.. await deliveries.SendTogetherOnceAsync(job, missing,
                (ids, ct) => inMeeting.NotifyAsync(job.TenantId, chatId, meetingId, ids, language => localizer.Get(language, "meetings.notice.inMeetingTitle", snapshot.Series.Name), ct),
                InMeetingOutcome, $"{Kind} {occurrence.Key} in meeting", cancellationToken).ConfigureAwait(false)];
        }
        await deliveries.SendToEachAsync(job, missing,
            _ => (turn, ct) => turn.SendActivityAsync(MessageFactory.Text(Text(snapshot, occurrence, turn.Activity.Locale ?? "")), ct),
            $"{Kind} {occurrence.Key}", cancellationToken).ConfigureAwait(false);
    }

    public string Text(SeriesSnapshot snapshot, MeetingOccurrence occurrence, string locale)
    {
        var series = snapshot.Series;
        return localizer.Get(locale, "meetings.notice.startReminder", series.Name, MeetingText.When(occurrence, locale),
            series.Location.Length > 0 ? series.Location : "—", snapshot.NameOf(occurrence.HostId));
    }
}
