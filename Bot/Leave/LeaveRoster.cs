using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Attendance;
using ChatRegs.Bot.WeeklyReports;

namespace ChatRegs.Bot.Leave;

/// <summary>
/// Approved leave as the rest of the bot asks for it:
/// <list type="bullet">
/// <item>the roll (<see cref="ILeaveRoster"/>): who is on leave for an occurrence — leave for that
/// meeting, or a span of days overlapping it (so every meeting a person belongs to in the span
/// counts; the roll only lists the people expected);</item>
/// <item>the weekly-report reminder (<see cref="IApprovedLeave"/>): whose span of days covers the
/// deadline. Leave from one meeting does not excuse the week's report.</item>
/// </list>
/// Only approved requests count: pending, rejected and withdrawn ones do not.
/// </summary>
public sealed class LeaveRoster(LeaveStore store, MeetingCache meetings) : ILeaveRoster, IApprovedLeave
{
    public async Task<IReadOnlySet<string>> ApprovedLeaveAsync(string tenantId, string occurrenceKey, CancellationToken cancellationToken = default)
    {
        var forMeeting = store.ApprovedForOccurrenceAsync(tenantId, occurrenceKey, cancellationToken);
        var (_, occurrence) = await meetings.GetOccurrenceAsync(tenantId, occurrenceKey, cancellationToken).ConfigureAwait(false);
        var users = new HashSet<string>(await forMeeting.ConfigureAwait(false), StringComparer.Ordinal);
        if (occurrence != null)
        {
            foreach (var span in await store.SpansAsync(tenantId, occurrence.Start, occurrence.End, cancellationToken).ConfigureAwait(false))
            {
                if (span.Status == LeaveStatus.Approved)
                {
                    users.Add(span.UserId);
                }
            }
        }
        return users;
    }

    public async Task<IReadOnlySet<string>> OnLeaveAtAsync(string tenantId, IReadOnlyCollection<string> userIds, DateTimeOffset instant, CancellationToken cancellationToken)
    {
        var wanted = userIds.ToHashSet(StringComparer.Ordinal);
        var onLeave = new HashSet<string>(StringComparer.Ordinal);
        foreach (var span in await store.SpansAsync(tenantId, instant, instant.AddTicks(1), cancellationToken).ConfigureAwait(false))
        {
            if (span.Status == LeaveStatus.Approved && wanted.Contains(span.UserId))
            {
                onLeave.Add(span.UserId);
            }
        }
        return onLeave;
    }
}
