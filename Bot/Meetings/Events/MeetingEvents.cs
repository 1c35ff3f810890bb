using ChatRegs.Bot.Core;
using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.Bot.Meetings.Jobs;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Teams;
using Microsoft.Bot.Schema;
using Microsoft.Bot.Schema.Teams;
using Microsoft.Extensions.Options;

namespace ChatRegs.Bot.Meetings.Events;

/// <summary>
/// Teams' own meeting events, where the app is in the meeting's chat (the series' conversation;
/// a channel meeting's thread counts as its channel). The meeting is the series occurrence of
/// that conversation whose check-in is open now (the one that has started, else the next);
/// tenant and conversation come from the activity, people from the event's member list (only
/// those expected at the occurrence count). Nothing is said in the meeting chat.
/// <list type="bullet">
/// <item><b>meetingStart</b>: the start is recorded (once: the minutes' start time); one reminder to each person expected who has not checked in (and
/// is not on approved leave) — Teams' targeted in-meeting notification for those in the meeting,
/// a personal message for the rest — <see cref="StartReminderJob"/>, once per occurrence.</item>
/// <item><b>meetingEnd</b> before the scheduled end: the end is recorded (once), check-in closes,
/// the roll is final and goes to the host and recorder now — the roll job, moved to now, so it
/// goes once.</item>
/// <item><b>participant join</b>: checks the participant in, silently; someone who had left
/// and comes back is no longer 早退.</item>
/// <item><b>participant leave</b> before the end: the time is recorded; the roll shows 早退 with
/// it (a host's later correction still wins).</item>
/// </list>
/// An event for a conversation no series belongs to, another tenant's, or after the meeting is
/// ignored (logged). Member entries without an id, of another tenant, or beyond
/// <see cref="MeetingOptions.MaxMembersPerEvent"/> are skipped.
/// </summary>
public sealed class MeetingEvents(CheckInService checkIns, MeetingJobs jobs, TimeProvider time, IOptions<MeetingOptions> options, ILogger<MeetingEvents> logger) : IMeetingEventHandler
{
    /// <summary>Teams ids are well under this; anything longer is not a Teams user.</summary>
    private const int MaxUserIdLength = 512;

    /// <summary>An event's own timestamp is used for join and leave times when it is this close to the bot's clock.</summary>
    private static readonly TimeSpan TimestampTrust = TimeSpan.FromMinutes(10);

    public async Task MeetingStartedAsync(ITurnContext<IEventActivity> turnContext, MeetingStartEventDetails meeting, CancellationToken cancellationToken)
    {
        if (await CurrentAsync(turnContext, "meetingStart", cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return;
        }
        // When it really started (the minutes' start time), once.
        await checkIns.StartAsync(current.Occurrence, cancellationToken).ConfigureAwait(false);
        // The Teams meeting (for the in-meeting notification): the event's own id, else the channel data's.
        var meetingId = Bounded(meeting?.Id) ?? Bounded(turnContext.Activity.TeamsGetMeetingInfo()?.Id);
        var first = await jobs.RemindAtStartAsync(current.Occurrence.Series.TenantId, current.Occurrence, meetingId, turnContext.Activity.Conversation?.Id, cancellationToken).ConfigureAwait(false);
        logger.LogInformation(first ? "Meeting {Occurrence} started: those not checked in are reminded." : "Meeting {Occurrence} started again: they were reminded already.", current.Occurrence.Key);
    }

    public async Task MeetingEndedAsync(ITurnContext<IEventActivity> turnContext, MeetingEndEventDetails meeting, CancellationToken cancellationToken)
    {
        if (await CurrentAsync(turnContext, "meetingEnd", cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return;
        }
        var occurrence = current.Occurrence;
        var ended = await checkIns.EndAsync(occurrence, cancellationToken).ConfigureAwait(false);
        // Also when it had ended already: a redelivery after a failure here still sends the roll (once: one job).
        await jobs.RollNowAsync(occurrence.Series.TenantId, occurrence, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Meeting {Occurrence} ended at {EndedAt} ({Outcome}); the roll goes out now.", occurrence.Key, ended.Value, ended.Outcome);
    }

    public async Task ParticipantsJoinedAsync(ITurnContext<IEventActivity> turnContext, MeetingParticipantsEventDetails participants, CancellationToken cancellationToken)
    {
        var tenant = Tenants.Of(turnContext.Activity) ?? "";
        var members = Members(turnContext, participants, tenant, inMeeting: true);
        if (members.Count == 0)
        {
            return;
        }
        var open = await checkIns.OpenInConversationAsync(tenant, turnContext.Activity.Conversation?.Id ?? "", cancellationToken).ConfigureAwait(false);
        if (open.Count == 0)
        {
            logger.LogInformation("Meeting join in {ConversationId}: no meeting of this chat is open for check-in.", turnContext.Activity.Conversation?.Id);
            return;
        }
        var at = TimeOf(turnContext.Activity);
        foreach (var user in members)
        {
            foreach (var (snapshot, occurrence) in open)
            {
                var outcome = await checkIns.CheckInAsync(snapshot, occurrence, user.Id, user.Name, CheckInSources.MeetingJoin, cancellationToken).ConfigureAwait(false);
                if (outcome.Result == CheckInResult.AlreadyCheckedIn)
                {
                    // Back in the meeting: an earlier leave no longer counts as 早退.
                    var back = await checkIns.BackAsync(occurrence, user.Id, user.Name, at, cancellationToken).ConfigureAwait(false);
                    logger.LogInformation("Meeting join of {UserId} for {Occurrence}: back ({Outcome}).", user.Id, occurrence.Key, back.Outcome);
                }
                else
                {
                    logger.LogInformation("Meeting join of {UserId} for {Occurrence}: {Result}.", user.Id, occurrence.Key, outcome.Result);
                }
            }
        }
    }

    public async Task ParticipantsLeftAsync(ITurnContext<IEventActivity> turnContext, MeetingParticipantsEventDetails participants, CancellationToken cancellationToken)
    {
        var members = Members(turnContext, participants, Tenants.Of(turnContext.Activity) ?? "", inMeeting: false);
        if (members.Count == 0 || await CurrentAsync(turnContext, "meetingParticipantLeave", cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return;
        }
        var (snapshot, occurrence) = current;
        var expected = snapshot.AttendeesOf(occurrence);
        var at = TimeOf(turnContext.Activity);
        if (at >= occurrence.End)
        {
            return;
        }
        foreach (var user in members.Where(m => expected.Contains(m.Id)))
        {
            var left = await checkIns.LeftAsync(occurrence, user.Id, user.Name, at, cancellationToken).ConfigureAwait(false);
            if (left.IsChanged)
            {
                // Their join or another leave was recorded at the same moment: once more, on the row as it is now.
                left = await checkIns.LeftAsync(occurrence, user.Id, user.Name, at, cancellationToken).ConfigureAwait(false);
            }
            logger.LogInformation("Meeting leave of {UserId} for {Occurrence} at {At}: {Outcome}.", user.Id, occurrence.Key, at, left.Outcome);
        }
    }

    /// <summary>A Teams id from an event, or null when missing or too long to be one.</summary>
    private static string? Bounded(string? id) => string.IsNullOrWhiteSpace(id) || id.Length > MaxUserIdLength ? null : id;

    /// <summary>The occurrence of this chat the event is about (open for check-in now: started, else the next), or null after logging why not.</summary>
    private async Task<(SeriesSnapshot Snapshot, MeetingOccurrence Occurrence)?> CurrentAsync(ITurnContext turnContext, string what, CancellationToken cancellationToken)
    {
        var tenant = Tenants.Of(turnContext.Activity);
        var conversationId = turnContext.Activity.Conversation?.Id;
        if (string.IsNullOrEmpty(tenant) || string.IsNullOrEmpty(conversationId))
        {
            logger.LogInformation("{What} without a tenant or conversation: ignored.", what);
            return null;
        }
        var now = time.GetUtcNow();
        var open = await checkIns.OpenInConversationAsync(tenant, conversationId, cancellationToken).ConfigureAwait(false);
        if (open.Count == 0)
        {
            logger.LogInformation("{What} in {ConversationId}: no meeting of this chat is on now; ignored.", what, conversationId);
            return null;
        }
        return open
            .OrderBy(p => p.Occurrence.Start <= now ? 0 : 1)
            .ThenBy(p => (p.Occurrence.Start - now).Duration())
            .ThenBy(p => p.Snapshot.Series.Id, StringComparer.Ordinal)
            .First();
    }

    /// <summary>The usable members of a participant event: an id of sane length, of this tenant (when they say), joining or leaving as the event says.</summary>
    private List<(string Id, string? Name)> Members(ITurnContext turnContext, MeetingParticipantsEventDetails? participants, string tenant, bool inMeeting)
    {
        var all = participants?.Members ?? [];
        var max = Math.Max(0, options.Value.MaxMembersPerEvent);
        if (all.Count > max)
        {
            logger.LogWarning("A meeting participant event in {ConversationId} lists {Count} people; only the first {Max} are looked at.", turnContext.Activity.Conversation?.Id, all.Count, max);
        }
        var result = new List<(string, string?)>();
        foreach (var member in all.Take(max))
        {
            var user = member?.User;
            if (string.IsNullOrEmpty(user?.Id) || user.Id.Length > MaxUserIdLength
                || (!string.IsNullOrEmpty(user.TenantId) && user.TenantId != tenant)
                || member!.Meeting?.InMeeting == !inMeeting)
            {
                continue;
            }
            result.Add((user.Id, user.Name));
        }
        return result.DistinctBy(m => m.Item1).ToList();
    }

    /// <summary>When Teams says it happened (a redelivery keeps its time), unless that is far from the bot's clock.</summary>
    private DateTimeOffset TimeOf(IActivity activity)
    {
        var now = time.GetUtcNow();
        return activity.Timestamp is { } stamp && (stamp - now).Duration() <= TimestampTrust && stamp <= now ? stamp : now;
    }
}
