using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Diagnostics;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using Microsoft.Extensions.Options;

namespace ChatRegs.Bot.Meetings.CheckIns;

public enum CheckInResult
{
    CheckedIn,
    AlreadyCheckedIn,
    NotOpenYet,
    Closed,
    NotParticipant,
    Cancelled,
    UnknownMeeting,
}

/// <summary>What a check-in attempt came to; <see cref="CheckIn"/> is the new or the earlier check-in.</summary>
public sealed record CheckInOutcome(CheckInResult Result, SeriesSnapshot? Snapshot = null, MeetingOccurrence? Occurrence = null, CheckIn? CheckIn = null)
{
    public bool Recorded => Result is CheckInResult.CheckedIn or CheckInResult.AlreadyCheckedIn;
}

/// <summary>
/// Checking in (签到): the status from the time, the window, who may, and the one insert.
/// The series, its participants and changes come from <see cref="MeetingCache"/>, so the only
/// storage round trip of a check-in is the insert itself (plus one read when the person had
/// already checked in, to say when).
/// </summary>
public sealed class CheckInService
{
    private readonly MeetingCache _cache;
    private readonly CheckInStore _store;
    private readonly TimeProvider _time;
    private readonly Localizer _localizer;
    private readonly PermissionTable _permissions;

    /// <param name="permissions">The registered permission rules the check-in rule is read from.</param>
    public CheckInService(MeetingCache cache, CheckInStore store, TimeProvider time, Localizer localizer, IOptions<MeetingOptions> options, PermissionTable permissions)
    {
        _permissions = permissions;
        _cache = cache;
        _store = store;
        _time = time;
        _localizer = localizer;
    }

    /// <summary>Early when at least <paramref name="earlyMinutes"/> before the start; on time up to the start plus the grace; late after that.</summary>
    public static CheckInStatus StatusAt(MeetingOccurrence occurrence, DateTimeOffset at)
    {
        // 提前 by the series' arrive-by offset (提前五分钟签到); 0 switches the rule off.
        var arriveBy = occurrence.Series.ArriveByMinutes;
        if (arriveBy > 0 && at <= occurrence.Start.AddMinutes(-arriveBy))
        {
            return CheckInStatus.Early;
        }
        return at <= occurrence.Start.AddMinutes(occurrence.Series.LateGraceMinutes) ? CheckInStatus.OnTime : CheckInStatus.Late;
    }

    public static bool IsOpen(MeetingOccurrence occurrence, DateTimeOffset at) =>
        !occurrence.Cancelled && at >= occurrence.CheckInOpens && at <= occurrence.CheckInCloses;

    /// <summary>The occurrence a check-in card names, from the cache, in <paramref name="tenantId"/>; null when there is none.</summary>
    public async Task<MeetingOnCard?> FindAsync(string tenantId, string occurrenceKey, CancellationToken cancellationToken)
    {
        var (snapshot, occurrence) = await _cache.GetOccurrenceAsync(tenantId, occurrenceKey, cancellationToken).ConfigureAwait(false);
        return snapshot == null || occurrence == null ? null : new MeetingOnCard(snapshot, occurrence);
    }

    /// <summary>Who may check in to an occurrence: its expected participants (from the cache).</summary>
    public static AuthorizationResource ResourceOf(SeriesSnapshot snapshot, MeetingOccurrence occurrence) =>
        new("meetingOccurrence", occurrence.Key)
        {
            PeopleByRole = new Dictionary<string, IReadOnlyCollection<string>> { [MeetingRoles.Participant] = new ReadOnlySetCollection(snapshot.AttendeesOf(occurrence)) },
        };

    /// <summary>
    /// The check-in rule for <paramref name="userId"/> on <paramref name="resource"/>: the same policy
    /// table as every other action, for the sender as they are (the rule needs no role, so no
    /// directory read: the check costs no storage round trip).
    /// </summary>
    public AuthorizationDecision Decide(string tenantId, string userId, string? userName, AuthorizationResource resource) =>
        _permissions.Decide(new Person { TenantId = tenantId, UserId = userId, Name = userName ?? "" }, MeetingPermissions.CheckIn, resource);

    /// <summary>Checks <paramref name="userId"/> (the turn's sender, never card data) in to an occurrence.</summary>
    /// <param name="activityId">The activity that asks (a card press): its redelivery, finding the check-in it made, is answered "checked in" again, counted once.</param>
    public async Task<CheckInOutcome> CheckInAsync(string tenantId, string occurrenceKey, string userId, string? userName, string source, CancellationToken cancellationToken, string? activityId = null)
    {
        var (snapshot, occurrence) = await _cache.GetOccurrenceAsync(tenantId, occurrenceKey, cancellationToken).ConfigureAwait(false);
        if (snapshot == null || occurrence == null)
        {
            return new CheckInOutcome(CheckInResult.UnknownMeeting, snapshot);
        }
        return await CheckInAsync(snapshot, occurrence, userId, userName, source, cancellationToken, activityId).ConfigureAwait(false);
    }

    public async Task<CheckInOutcome> CheckInAsync(SeriesSnapshot snapshot, MeetingOccurrence occurrence, string userId, string? userName, string source, CancellationToken cancellationToken, string? activityId = null)
    {
        if (occurrence.Cancelled)
        {
            return new CheckInOutcome(CheckInResult.Cancelled, snapshot, occurrence);
        }
        // The same policy table as every other action; the participant list comes from the cache
        // (not the people directory), so the check costs no storage round trip.
        if (!Decide(snapshot.Series.TenantId, userId, userName, ResourceOf(snapshot, occurrence)).Allowed)
        {
            return new CheckInOutcome(CheckInResult.NotParticipant, snapshot, occurrence);
        }
        var now = _time.GetUtcNow();
        if (now < occurrence.CheckInOpens)
        {
            return new CheckInOutcome(CheckInResult.NotOpenYet, snapshot, occurrence);
        }
        if (now > occurrence.CheckInCloses)
        {
            return new CheckInOutcome(CheckInResult.Closed, snapshot, occurrence);
        }
        // A Teams meeting can end before its scheduled end (meetingEnd): check-in has closed then.
        // Only asked once the meeting has started, so the rush before the start stays one insert.
        if (now >= occurrence.Start && await _store.EndedAtAsync(snapshot.Series.TenantId, occurrence.Key, cancellationToken).ConfigureAwait(false) is { } ended && ended <= now)
        {
            return new CheckInOutcome(CheckInResult.Closed, snapshot, occurrence);
        }
        var checkIn = new CheckIn(userId, userName ?? "", now, StatusAt(occurrence, now), source, string.IsNullOrEmpty(activityId) ? null : activityId);
        // Insert-once: the only storage request of a check-in, and its own redelivery guard.
        var saved = await _store.TryAddAsync(snapshot.Series.TenantId, occurrence.Key, checkIn, cancellationToken).ConfigureAwait(false);
        if (!saved.AlreadyExists(out var earlier))
        {
            ChatRegsTelemetry.CheckIns.Add(1, new("status", checkIn.Status.ToString()), new("source", source));
            return new CheckInOutcome(CheckInResult.CheckedIn, snapshot, occurrence, checkIn);
        }
        // Teams delivering the same press again: answered as the first delivery was (the time it recorded).
        return checkIn.ActivityId != null && earlier!.ActivityId == checkIn.ActivityId
            ? new CheckInOutcome(CheckInResult.CheckedIn, snapshot, occurrence, earlier)
            : new CheckInOutcome(CheckInResult.AlreadyCheckedIn, snapshot, occurrence, earlier!);
    }

    /// <summary>The occurrences whose check-in is open now and that <paramref name="userId"/> is expected at.</summary>
    public async Task<IReadOnlyList<(SeriesSnapshot Snapshot, MeetingOccurrence Occurrence)>> OpenForAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var result = new List<(SeriesSnapshot, MeetingOccurrence)>();
        foreach (var (snapshot, occurrence) in await AroundAsync(tenantId, now.AddDays(-2), now.AddDays(2), cancellationToken).ConfigureAwait(false))
        {
            if (IsOpen(occurrence, now) && snapshot.AttendeesOf(occurrence).Contains(userId))
            {
                result.Add((snapshot, occurrence));
            }
        }
        return result.OrderBy(r => r.Item2.Start).ThenBy(r => r.Item1.Series.Name, StringComparer.CurrentCulture).ToList();
    }

    /// <summary>The next occurrence (not cancelled, window not closed) that <paramref name="userId"/> is expected at, within 30 days.</summary>
    public async Task<(SeriesSnapshot Snapshot, MeetingOccurrence Occurrence)?> NextForAsync(string tenantId, string userId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        return (await AroundAsync(tenantId, now.AddDays(-2), now.AddDays(30), cancellationToken).ConfigureAwait(false))
            .Where(p => !p.Occurrence.Cancelled && p.Occurrence.CheckInCloses >= now && p.Snapshot.AttendeesOf(p.Occurrence).Contains(userId))
            .OrderBy(p => p.Occurrence.Start)
            .Select(p => ((SeriesSnapshot, MeetingOccurrence)?)p)
            .FirstOrDefault();
    }

    /// <summary>
    /// The occurrences of the series that belong to a conversation whose check-in is open now (a
    /// channel meeting's thread, "…;messageid=…", counts as its channel).
    /// </summary>
    public async Task<IReadOnlyList<(SeriesSnapshot Snapshot, MeetingOccurrence Occurrence)>> OpenInConversationAsync(string tenantId, string conversationId, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        return (await AroundAsync(tenantId, now.AddDays(-2), now.AddDays(2), cancellationToken, conversationId).ConfigureAwait(false))
            .Where(p => IsOpen(p.Occurrence, now))
            .ToList();
    }

    // ---- Teams' meeting events (Events/MeetingEvents) ----

    /// <summary>The Teams meeting of an occurrence ended now: the roll is final, check-in closed. Once (a second end answers AlreadyExists with the first time).</summary>
    public Task<ChatRegs.Bot.Storage.Saved<DateTimeOffset>> EndAsync(MeetingOccurrence occurrence, CancellationToken cancellationToken) =>
        _store.TryEndAsync(occurrence.Series.TenantId, occurrence.Key, _time.GetUtcNow(), cancellationToken);

    /// <summary>The Teams meeting of an occurrence started now (the minutes' start time). Once (a second start answers AlreadyExists with the first time).</summary>
    public Task<ChatRegs.Bot.Storage.Saved<DateTimeOffset>> StartAsync(MeetingOccurrence occurrence, CancellationToken cancellationToken) =>
        _store.TryStartAsync(occurrence.Series.TenantId, occurrence.Key, _time.GetUtcNow(), cancellationToken);

    /// <summary>When the Teams meeting of an occurrence ended, if it has.</summary>
    public Task<DateTimeOffset?> EndedAtAsync(MeetingOccurrence occurrence, CancellationToken cancellationToken) =>
        _store.EndedAtAsync(occurrence.Series.TenantId, occurrence.Key, cancellationToken);

    /// <summary>A participant left the Teams meeting at <paramref name="at"/> (the roll shows 早退 if that was before the end).</summary>
    public Task<ChatRegs.Bot.Storage.Saved<LeaveMark>> LeftAsync(MeetingOccurrence occurrence, string userId, string? userName, DateTimeOffset at, CancellationToken cancellationToken) =>
        _store.MarkLeftAsync(occurrence.Series.TenantId, occurrence.Key, userId, Core.TextCaps.Name(userName) ?? "", at, cancellationToken);

    /// <summary>A participant who had checked in joined the Teams meeting again at <paramref name="at"/>: a 早退 before it no longer counts.</summary>
    public Task<ChatRegs.Bot.Storage.Saved<LeaveMark>> BackAsync(MeetingOccurrence occurrence, string userId, string? userName, DateTimeOffset at, CancellationToken cancellationToken) =>
        _store.MarkBackAsync(occurrence.Series.TenantId, occurrence.Key, userId, Core.TextCaps.Name(userName) ?? "", at, cancellationToken);

    private async Task<List<(SeriesSnapshot Snapshot, MeetingOccurrence Occurrence)>> AroundAsync(string tenantId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken, string? conversationId = null) =>
        (await _cache.OccurrencesAsync(tenantId, from, to, cancellationToken, conversationId == null ? null : s => Agenda.AgendaService.SameConversation(s.ConversationId, conversationId)).ConfigureAwait(false))
            .Select(m => (m.Snapshot, m.Occurrence))
            .ToList();

    /// <summary>The answer to a check-in, in the user's language.</summary>
    public string Describe(CheckInOutcome outcome, string locale)
    {
        string L(string key, params object?[] args) => _localizer.Get(locale, "meetings.checkIn." + key, args);
        var occurrence = outcome.Occurrence;
        if (occurrence == null)
        {
            return L("unknown");
        }
        var series = occurrence.Series;
        var today = DateOnly.FromDateTime(MeetingText.Local(_time.GetUtcNow(), series));
        var window = MeetingText.Window(occurrence, locale, today);
        var when = MeetingText.When(occurrence, locale);
        // What the roll will say: in time but later than the series' arrive-by offset is 未提前签到, not 准时.
        string Status(CheckIn c) => c.Status == CheckInStatus.OnTime && series.ArriveByMinutes > 0 && c.At <= occurrence.Start
            ? MeetingText.Status(_localizer, locale, AttendanceStatus.NotEarly)
            : MeetingText.Status(_localizer, locale, c.Status);
        string At(CheckIn c) => MeetingText.CheckInTime(c.At, c.Status == CheckInStatus.Late, series);
        return outcome.Result switch
        {
            CheckInResult.CheckedIn => L("done", At(outcome.CheckIn!), Status(outcome.CheckIn!), series.Name, when),
            CheckInResult.AlreadyCheckedIn => L("already", At(outcome.CheckIn!), Status(outcome.CheckIn!), series.Name),
            CheckInResult.NotOpenYet => L("notOpen", series.Name, when, window),
            CheckInResult.Closed => L("closed", series.Name, when, window),
            CheckInResult.NotParticipant => L("notParticipant", series.Name, when, window, outcome.Snapshot!.NameOf(occurrence.HostId)),
            CheckInResult.Cancelled => L("cancelled", series.Name, when),
            _ => L("unknown"),
        };
    }

    /// <summary>A set seen as the IReadOnlyCollection the policy takes, keeping the set's O(1) Contains.</summary>
    private sealed class ReadOnlySetCollection(IReadOnlySet<string> set) : IReadOnlyCollection<string>, ICollection<string>
    {
        public int Count => set.Count;

        public bool IsReadOnly => true;

        public bool Contains(string item) => set.Contains(item);

        public IEnumerator<string> GetEnumerator() => set.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public void Add(string item) => throw new NotSupportedException();

        public void Clear() => throw new NotSupportedException();

        public void CopyTo(string[] array, int arrayIndex)
        {
            foreach (var s in set)
            {
                array[arrayIndex++] = s;
            }
        }

        public bool Remove(string item) => throw new NotSupportedException();
    }
}
