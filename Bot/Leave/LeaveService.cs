using ChatRegs.Bot.Calendar;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Storage;
using ChatRegs.Bot.WeeklyReports;
using Microsoft.Extensions.Options;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Leave;

/// <summary>A meeting I may ask leave from: upcoming, or started within the late window (事后补假).</summary>
public sealed record OfferedMeeting(SeriesSnapshot Snapshot, MeetingOccurrence Occurrence, bool Started);

/// <summary>Who decides a request, and the language they read.</summary>
public sealed record Approver(string UserId, string Name, string Language);

public enum ChangeOutcome
{
    /// <summary>This call changed the request (and only this one: the write was conditional).</summary>
    Changed,

    /// <summary>The request was no longer pending (decided or withdrawn before, possibly a moment ago): nothing changed.</summary>
    NotPending,
}

/// <summary>What a decision or withdrawal did, with the request as it now stands.</summary>
public sealed record ChangeResult(ChangeOutcome Outcome, LeaveRequest Request);

/// <summary>
/// Leave requests (请假): which meetings I can ask leave from, who approves, what conflicts,
/// and the status changes — approve, reject, withdraw — each a conditional write on the
/// request's ETag, so that of two at the same moment exactly one happens.
/// </summary>
public sealed class LeaveService(
    LeaveStore store,
    MeetingCache meetings,
    PeopleDirectory people,
    WeeklyReportStore reports,
    WorkingDayCalendar calendar,
    TimeProvider time,
    IOptions<LeaveOptions> options,
    IOptions<MeetingOptions> meetingOptions,
    ILogger<LeaveService> logger)
{
    /// <summary>A leave request as stored, or null.</summary>
    public Task<LeaveRequest?> GetAsync(string tenantId, string id, CancellationToken cancellationToken) =>
        store.GetAsync(tenantId, id, cancellationToken);

    public LeaveOptions Options => options.Value;

    public WorkingDayCalendar Calendar => calendar;

    public DateTimeOffset Now => time.GetUtcNow();

    // ---- asking ----

    /// <summary>
    /// My meetings from <see cref="LeaveOptions.LateWindowDays"/> ago to <see cref="MeetingOptions.UpcomingDays"/>
    /// ahead (not cancelled, where I am expected), without those I already asked leave from:
    /// the upcoming ones first (soonest first), then the ones that already started (latest first).
    /// </summary>
    public async Task<IReadOnlyList<OfferedMeeting>> MeetingsToOfferAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        var now = Now;
        var asked = (await store.RequesterIndexAsync(tenantId, userId, cancellationToken).ConfigureAwait(false))
            .Where(r => r.Status is LeaveStatus.Pending or LeaveStatus.Approved && r.OccurrenceKey != null)
            .Select(r => r.OccurrenceKey!)
            .ToHashSet(StringComparer.Ordinal);
        var found = new List<OfferedMeeting>();
        var from = now.AddDays(-Options.LateWindowDays);
        var to = now.AddDays(meetingOptions.Value.UpcomingDays);
        foreach (var (snapshot, occurrence) in await meetings.OccurrencesAsync(tenantId, from, to.AddTicks(1), cancellationToken).ConfigureAwait(false))
        {
            if (!occurrence.Cancelled && snapshot.AttendeesOf(occurrence).Contains(userId) && !asked.Contains(occurrence.Key))
            {
                found.Add(new OfferedMeeting(snapshot, occurrence, occurrence.Start <= now));
            }
        }
        return found.Where(f => !f.Started).OrderBy(f => f.Occurrence.Start)
            .Concat(found.Where(f => f.Started).OrderByDescending(f => f.Occurrence.Start))
            .Take(Options.MaxMeetingsOffered)
            .ToList();
    }

    /// <summary>
    /// The weekly meetings (weekly or seasonal series) a span of days covers where I am expected,
    /// not cancelled, in order: who is on leave by days across one must still hand this week's
    /// summary and next week's plan to its host (例会制度(一) 6.1, (四) 第八条). At most 20.
    /// </summary>
    public async Task<IReadOnlyList<MeetingOccurrence>> WeeklyMeetingsInAsync(string tenantId, string userId, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken = default)
    {
        var found = new List<MeetingOccurrence>();
        foreach (var (snapshot, occurrence) in await meetings.OccurrencesAsync(tenantId, fromUtc, toUtc, cancellationToken).ConfigureAwait(false))
        {
            if (!occurrence.Cancelled && LeaveRules.IsWeeklyMeeting(occurrence.Series) && occurrence.Start < toUtc && fromUtc < occurrence.End
                && snapshot.AttendeesOf(occurrence).Contains(userId))
            {
                found.Add(occurrence);
            }
        }
        return found.OrderBy(o => o.Start).Take(20).ToList();
    }

    /// <summary>The occurrence behind a key, when it exists and is not cancelled.</summary>
    public async Task<(SeriesSnapshot Snapshot, MeetingOccurrence Occurrence)?> OccurrenceAsync(string tenantId, string key, CancellationToken cancellationToken = default)
    {
        var (snapshot, occurrence) = await meetings.GetOccurrenceAsync(tenantId, key, cancellationToken).ConfigureAwait(false);
        return snapshot == null || occurrence == null || occurrence.Cancelled ? null : (snapshot, occurrence);
    }

    /// <summary>
    /// Who approves leave from a meeting: the series' leave approver, else that occurrence's host
    /// (the substitute host when one is named). Nobody approves their own leave: when that would
    /// be the requester (a host asking leave from their own meeting), their department's approver
    /// decides. Null when there is nobody else.
    /// </summary>
    public async Task<Approver?> MeetingApproverAsync(string tenantId, string userId, MeetingOccurrence occurrence, CancellationToken cancellationToken = default)
    {
        var approverId = occurrence.Series.LeaveApproverFor(occurrence);
        if (approverId == userId || string.IsNullOrEmpty(approverId))
        {
            return await DaysApproverAsync(tenantId, userId, cancellationToken).ConfigureAwait(false);
        }
        var person = await people.GetAsync(tenantId, approverId, cancellationToken).ConfigureAwait(false);
        return new Approver(approverId, person?.Name ?? "", person?.PreferredLanguage ?? Localization.Localizer.Chinese);
    }

    /// <summary>Who approves leave by days: the approver configured for my department; null when none (or it is me).</summary>
    public async Task<Approver?> DaysApproverAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        var approver = await people.GetApproverAsync(tenantId, userId, cancellationToken).ConfigureAwait(false);
        return approver == null || approver.UserId == userId ? null : new Approver(approver.UserId, approver.Name, approver.PreferredLanguage);
    }

    /// <summary>The time zone a person's days are counted in.</summary>
    public async Task<TimeZoneInfo> ZoneOfAsync(string tenantId, string userId, CancellationToken cancellationToken = default)
    {
        var person = await people.GetAsync(tenantId, userId, cancellationToken).ConfigureAwait(false);
        return Core.TimeZones.Find(person?.TimeZone);
    }

    /// <summary>
    /// The weekly report I handed in that tells the host about my week: the one of the meeting's
    /// week (a Friday meeting, 例会制度(一)), else the week before (a Monday meeting hears about the
    /// week just finished, 例会制度(二)); null when I handed in neither.
    /// </summary>
    public async Task<WeeklyReport?> ReportForAsync(string tenantId, string userId, MeetingOccurrence occurrence, CancellationToken cancellationToken = default)
    {
        var week = IsoWeek.Of(occurrence.Start, occurrence.Series.Zone);
        return await reports.FindAsync(tenantId, userId, week, cancellationToken).ConfigureAwait(false)
            ?? await reports.FindAsync(tenantId, userId, IsoWeek.Add(week, -1), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// An earlier request of mine (pending or approved) that this one would repeat: leave from the
    /// same meeting, a span of days covering it, or (for days) a span overlapping these days.
    /// </summary>
    public async Task<LeaveRequest?> ConflictAsync(string tenantId, string userId, LeaveKind kind, string? occurrenceKey, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken = default)
    {
        var active = (await store.RequesterIndexAsync(tenantId, userId, cancellationToken).ConfigureAwait(false))
            .Where(r => r.Status is LeaveStatus.Pending or LeaveStatus.Approved);
        var clash = active.FirstOrDefault(r => kind == LeaveKind.Meeting
            ? r.OccurrenceKey == occurrenceKey || (r.Kind == LeaveKind.Days && r.FromUtc <= fromUtc && toUtc <= r.ToUtc)
            : r.Kind == LeaveKind.Days && r.FromUtc < toUtc && fromUtc < r.ToUtc);
        return clash == null ? null : await store.GetAsync(tenantId, clash.Id, cancellationToken).ConfigureAwait(false);
    }

    public Task<LeaveRequest> SubmitAsync(LeaveRequest request, CancellationToken cancellationToken = default) => store.CreateAsync(request, cancellationToken);

    /// <summary>Stores the request of one form once (<see cref="LeaveStore.CreateOnceAsync"/>): Created false when that form was already sent.</summary>
    public Task<(LeaveRequest Request, bool Created)> SubmitOnceAsync(LeaveRequest request, string formToken, CancellationToken cancellationToken = default) =>
        store.CreateOnceAsync(request, formToken, cancellationToken);

    // ---- deciding ----

    /// <summary>
    /// Approves or rejects <paramref name="read"/> (the request as the caller read it, with its
    /// ETag). When it is no longer pending, or someone changed it first, nothing is written and
    /// the request is returned as it now stands. Storage failures propagate (nothing was written).
    /// </summary>
    public Task<ChangeResult> DecideAsync(LeaveRequest read, string actorId, string actorName, bool approve, string? comment, CancellationToken cancellationToken = default) =>
        ChangeAsync(read, approve ? LeaveStatus.Approved : LeaveStatus.Rejected, actorId, actorName, comment, cancellationToken);

    /// <summary>Withdraws a pending request (by its requester); same rules as <see cref="DecideAsync"/>.</summary>
    public Task<ChangeResult> WithdrawAsync(LeaveRequest read, string actorId, string actorName, CancellationToken cancellationToken = default) =>
        ChangeAsync(read, LeaveStatus.Withdrawn, actorId, actorName, null, cancellationToken);

    private async Task<ChangeResult> ChangeAsync(LeaveRequest read, LeaveStatus status, string actorId, string actorName, string? comment, CancellationToken cancellationToken)
    {
        var current = read;
        // A conflict means the request changed since it was read: read it again; only a request
        // still pending is tried once more (its ETag moved without a decision).
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (current.Status != LeaveStatus.Pending)
            {
                return new ChangeResult(ChangeOutcome.NotPending, current);
            }
            var now = Now;
            var updated = current with
            {
                Status = status,
                DecidedById = actorId,
                DecidedByName = actorName,
                DecidedAt = now,
                Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(),
            };
            var entry = new LeaveHistoryEntry(current.Id, now, status.ToString().ToLowerInvariant(), actorId, actorName, updated.Comment);
            var result = await store.ChangeAsync(updated, entry, cancellationToken).ConfigureAwait(false);
            if (result.IsWritten)
            {
                var saved = result.Value!;
                logger.LogInformation("Leave request {RequestId} of {UserId} is now {Status} (by {ActorId}).", saved.Id, saved.UserId, saved.Status, actorId);
                return new ChangeResult(ChangeOutcome.Changed, saved);
            }
            logger.LogInformation("Leave request {RequestId} changed before {ActorId}'s {Status} was written; answering with its current state.", current.Id, actorId, status);
            current = await store.GetAsync(current.TenantId, current.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Leave request {current.Id} disappeared.");
        }
        return new ChangeResult(ChangeOutcome.NotPending, current);
    }
}
