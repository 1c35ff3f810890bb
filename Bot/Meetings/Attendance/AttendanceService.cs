using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.Bot.People;

namespace ChatRegs.Bot.Meetings.Attendance;

/// <summary>One person's line in the roll: the status, and what it comes from (<paramref name="LeftAt"/>: left the Teams meeting early then).</summary>
public sealed record RollEntry(string UserId, string Name, AttendanceStatus Status, CheckIn? CheckIn, RollCorrection? Correction, DateTimeOffset? LeftAt = null)
{
    /// <summary>Present at the meeting (early, on time, late or left early).</summary>
    public bool Attended => Status is AttendanceStatus.Early or AttendanceStatus.OnTime or AttendanceStatus.NotEarly or AttendanceStatus.Late or AttendanceStatus.LeftEarly;
}

/// <summary>The attendance roll (签到表) of one occurrence (<paramref name="EndedAt"/>: its Teams meeting ended then, before the scheduled end).</summary>
public sealed record Roll(SeriesSnapshot Snapshot, MeetingOccurrence Occurrence, IReadOnlyList<RollEntry> Entries, IReadOnlyList<RollCorrection> Corrections, bool Final, DateTimeOffset? EndedAt = null)
{
    /// <summary>When Teams said its meeting started (meetingStart), if it did.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    public IEnumerable<RollEntry> With(params AttendanceStatus[] statuses) => Entries.Where(e => statuses.Contains(e.Status));

    /// <summary>Attendees (for the minutes: 与会人员).</summary>
    public IEnumerable<RollEntry> Present => Entries.Where(e => e.Attended);

    /// <summary>Absentees (缺席人员): absent or on leave or excused.</summary>
    public IEnumerable<RollEntry> Missing => Entries.Where(e => !e.Attended);
}

/// <summary>One person's attendance over a month, counted by status (for the monthly review 述职).</summary>
public sealed record MonthlyAttendance(string UserId, string Name, IReadOnlyDictionary<AttendanceStatus, int> Counts)
{
    public int Total => Counts.Values.Sum();

    public int Count(AttendanceStatus status) => Counts.TryGetValue(status, out var n) ? n : 0;
}

/// <summary>
/// The roll of an occurrence: everyone expected (participants, host, recorder, substitute
/// host) with early / on time / late from their check-in, on leave from <see cref="ILeaveRoster"/>,
/// else absent; leaving the Teams meeting before its end (early by more than
/// <see cref="MeetingOptions.LeftEarlyGraceMinutes"/>) is left early (早退) with the time;
/// corrections by the host or recorder (left early, excused…) override, the latest one (or the
/// latest leave, if later) winning, all of them kept. The roll is final once check-in has closed
/// or the Teams meeting has ended.
/// </summary>
public sealed class AttendanceService(MeetingCache cache, CheckInStore checkIns, ILeaveRoster leave, PeopleDirectory people, TimeProvider time, Microsoft.Extensions.Options.IOptions<MeetingOptions> options)
{
    /// <summary>The statuses statistics count, in order ("not early" is counted as on time).</summary>
    public static readonly IReadOnlyList<AttendanceStatus> Order =
        [AttendanceStatus.Early, AttendanceStatus.OnTime, AttendanceStatus.Late, AttendanceStatus.OnLeave, AttendanceStatus.Absent, AttendanceStatus.LeftEarly, AttendanceStatus.Excused];

    /// <summary>The statuses the roll shows, in order.</summary>
    public static readonly IReadOnlyList<AttendanceStatus> RollOrder =
        [AttendanceStatus.Early, AttendanceStatus.OnTime, AttendanceStatus.NotEarly, AttendanceStatus.Late, AttendanceStatus.OnLeave, AttendanceStatus.Absent, AttendanceStatus.LeftEarly, AttendanceStatus.Excused];

    /// <summary>Statuses a host or recorder may set by correction.</summary>
    public static readonly IReadOnlyList<AttendanceStatus> Corrections =
        [AttendanceStatus.LeftEarly, AttendanceStatus.Excused, AttendanceStatus.OnTime, AttendanceStatus.Late, AttendanceStatus.Absent];

    /// <summary>
    /// Corrects one person's line in <paramref name="roll"/> (更正) by <see cref="RollCorrections"/>'
    /// rules, kept with who (<paramref name="byId"/>, <paramref name="byName"/>), when and why, the
    /// latest winning. Nothing is saved when a rule is broken: the outcome names the problems.
    /// The caller has checked <see cref="MeetingPermissions.CorrectRoll"/>; a storage failure throws.
    /// </summary>
    public async Task<CorrectionOutcome> CorrectAsync(Roll roll, string? userId, string? status, string? reason, string byId, string byName, CancellationToken cancellationToken)
    {
        var (problems, entry, corrected, why) = RollCorrections.Check(roll, userId, status, reason);
        if (problems.Count == 0)
        {
            await checkIns.AddCorrectionAsync(roll.Snapshot.Series.TenantId, roll.Occurrence.Key, new RollCorrection(entry!.UserId, corrected, why, byId, byName, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }
        return new CorrectionOutcome(problems, entry, corrected, why);
    }

    /// <summary>The roll of an occurrence; null when there is no such occurrence.</summary>
    public async Task<Roll?> GetRollAsync(string tenantId, string occurrenceKey, CancellationToken cancellationToken)
    {
        var (snapshot, occurrence) = await cache.GetOccurrenceAsync(tenantId, occurrenceKey, cancellationToken).ConfigureAwait(false);
        if (snapshot == null || occurrence == null)
        {
            return null;
        }
        var names = (await people.ListAsync(tenantId, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.UserId, p => p.Name);
        return await BuildAsync(snapshot, occurrence, names, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The roll of an occurrence already loaded, with names from the check-ins and the series
    /// (no directory read): for one person's own line, where the names of others are not shown.
    /// </summary>
    public Task<Roll> RollAsync(SeriesSnapshot snapshot, MeetingOccurrence occurrence, CancellationToken cancellationToken) =>
        BuildAsync(snapshot, occurrence, new Dictionary<string, string>(), cancellationToken);

    private async Task<Roll> BuildAsync(SeriesSnapshot snapshot, MeetingOccurrence occurrence, IReadOnlyDictionary<string, string> names, CancellationToken cancellationToken)
    {
        var tenantId = snapshot.Series.TenantId;
        var rows = await checkIns.ReadRollAsync(tenantId, occurrence.Key, cancellationToken).ConfigureAwait(false);
        var (checkedIn, corrections, marks, endedAt) = rows;
        var onLeave = await leave.ApprovedLeaveAsync(tenantId, occurrence.Key, cancellationToken).ConfigureAwait(false);
        var byUser = checkedIn.ToDictionary(c => c.UserId);
        var lastFix = corrections.GroupBy(c => c.UserId).ToDictionary(g => g.Key, g => g.OrderBy(c => c.At).Last());
        var ended = endedAt is { } e0 && e0 < occurrence.End ? endedAt : null;
        // Leaving in the last minutes is the meeting ending (people hang up before the host ends it), not 早退.
        var leftEarlyBefore = (ended ?? occurrence.End).AddMinutes(-Math.Max(0, options.Value.LeftEarlyGraceMinutes));
        var leftAt = marks.Where(m => m.Away is { } t && t < leftEarlyBefore).ToDictionary(m => m.UserId, m => m.Away!.Value);
        var expected = snapshot.AttendeesOf(occurrence);
        var entries = new List<RollEntry>();
        foreach (var userId in expected.Union(byUser.Keys))
        {
            byUser.TryGetValue(userId, out var checkIn);
            lastFix.TryGetValue(userId, out var fix);
            // 早退 is for someone who was there: checked in before they left (else they are absent, or on leave).
            DateTimeOffset? left = leftAt.TryGetValue(userId, out var l) && checkIn != null && checkIn.At <= l && (fix == null || fix.At < l) ? l : null;
            var status = left != null ? AttendanceStatus.LeftEarly
                : fix?.Status ?? (checkIn != null ? StatusOf(occurrence, checkIn) : onLeave.Contains(userId) ? AttendanceStatus.OnLeave : AttendanceStatus.Absent);
            var name = names.TryGetValue(userId, out var n) && n.Length > 0 ? n : checkIn?.Name is { Length: > 0 } cn ? cn : snapshot.NameOf(userId);
            entries.Add(new RollEntry(userId, name, status, checkIn, left != null ? null : fix, left));
        }
        entries = entries.OrderBy(e => (int)e.Status).ThenBy(e => e.CheckIn?.At ?? DateTimeOffset.MaxValue).ThenBy(e => e.Name, StringComparer.CurrentCulture).ToList();
        return new Roll(snapshot, occurrence, entries, corrections, Final: time.GetUtcNow() > occurrence.CheckInCloses || ended != null, ended) { StartedAt = rows.StartedAt };
    }

    /// <summary>
    /// A check-in's line in the roll, by the series' arrive-by offset (提前五分钟签到): at least
    /// that long before the start is early; later but not late is "not early" (on time when the
    /// series has no offset); after the start plus the grace, late.
    /// </summary>
    public static AttendanceStatus StatusOf(MeetingOccurrence occurrence, CheckIn checkIn)
    {
        var series = occurrence.Series;
        if (checkIn.At > occurrence.Start.AddMinutes(series.LateGraceMinutes))
        {
            return AttendanceStatus.Late;
        }
        if (series.ArriveByMinutes <= 0)
        {
            return AttendanceStatus.OnTime;
        }
        return checkIn.At <= occurrence.Start.AddMinutes(-series.ArriveByMinutes) ? AttendanceStatus.Early : AttendanceStatus.NotEarly;
    }

    /// <summary>
    /// Everyone's attendance over a month (local dates of the series' time zone), counted over the
    /// occurrences that were held (not cancelled), have ended and were not before the series was created. With <paramref name="onlyUserId"/>, that person's line only.
    /// </summary>
    public async Task<IReadOnlyList<MonthlyAttendance>> MonthlyAsync(string tenantId, int year, int month, string? onlyUserId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var names = (await people.ListAsync(tenantId, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.UserId, p => p.Name);
        var counts = new Dictionary<string, (string Name, Dictionary<AttendanceStatus, int> Counts)>();
        // A day either side covers every time zone; each series' month is then its own local month.
        var first = new DateTime(year, month, 1);
        var wide = await cache.OccurrencesAsync(tenantId, new DateTimeOffset(first, TimeSpan.Zero).AddDays(-1), new DateTimeOffset(first.AddMonths(1), TimeSpan.Zero).AddDays(1), cancellationToken).ConfigureAwait(false);
        foreach (var (snapshot, occurrence) in wide)
        {
            var zone = snapshot.Series.Zone;
            if (occurrence.Start < MeetingStore.ToUtc(first, zone) || occurrence.Start >= MeetingStore.ToUtc(first.AddMonths(1), zone))
            {
                continue;
            }
            // Held and over (meetings from before the series existed are not its meetings at all).
            if (occurrence.Cancelled || occurrence.End > now)
            {
                continue;
            }
            if (onlyUserId != null && !snapshot.AttendeesOf(occurrence).Contains(onlyUserId))
            {
                continue;
            }
            var roll = await BuildAsync(snapshot, occurrence, names, cancellationToken).ConfigureAwait(false);
            foreach (var entry in roll.Entries.Where(e => onlyUserId == null || e.UserId == onlyUserId))
            {
                if (!counts.TryGetValue(entry.UserId, out var line))
                {
                    line = (entry.Name, new Dictionary<AttendanceStatus, int>());
                    counts[entry.UserId] = line;
                }
                // Statistics count "not early" as present on time (the roll alone tells it apart).
                var counted = entry.Status == AttendanceStatus.NotEarly ? AttendanceStatus.OnTime : entry.Status;
                line.Counts[counted] = line.Counts.GetValueOrDefault(counted) + 1;
            }
        }
        return counts.Select(p => new MonthlyAttendance(p.Key, p.Value.Name, p.Value.Counts))
            .OrderBy(m => m.Name, StringComparer.CurrentCulture).ThenBy(m => m.UserId, StringComparer.Ordinal)
            .ToList();
    }
}
