using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Meetings;

/// <summary>
/// A series' meetings: its schedule expanded between two instants with its one-off changes
/// (moves, cancellations, substitutes) applied. Pure, no storage: the one place that says which
/// meetings a series has. Features ask <see cref="MeetingCache.OccurrencesAsync"/> (every series
/// of a tenant) or <see cref="SeriesSnapshot.Occurrences"/> (one series), not this directly.
/// </summary>
public static class OccurrenceExpansion
{
    /// <summary>The occurrence with this key, with its change applied; null when the series has no meeting at that key.</summary>
    public static MeetingOccurrence? For(MeetingSeries series, IReadOnlyDictionary<string, MeetingStore.OccurrenceChange> changes, string key)
    {
        if (!MeetingStore.TryParseKey(key, out var seriesId, out var scheduledLocal) || seriesId != series.Id || series.Schedule.On(DateOnly.FromDateTime(scheduledLocal)) is not { } times
            || times.Start != TimeOnly.FromDateTime(scheduledLocal) || !Existed(series, DateOnly.FromDateTime(scheduledLocal), times.End))
        {
            return null;
        }
        return Apply(series, DateOnly.FromDateTime(scheduledLocal), times.Start, times.End, changes);
    }

    /// <summary>
    /// A meeting exists only if the series did while it was scheduled: one whose scheduled end is
    /// at or before the series was created was never held as this series' meeting, so it is in no
    /// roll, minutes, leave, reminder or statistic (a Monday series created on a Saturday starts
    /// with the coming Monday; one created during a meeting it schedules includes that meeting).
    /// A series without a creation time (older rows, sample data) has all its meetings.
    /// </summary>
    private static bool Existed(MeetingSeries series, DateOnly date, TimeOnly scheduledEnd) =>
        series.CreatedAt == default || MeetingStore.ToUtc(date.ToDateTime(scheduledEnd), series.Zone) > series.CreatedAt;

    public static IReadOnlyList<MeetingOccurrence> Between(MeetingSeries series, IReadOnlyDictionary<string, MeetingStore.OccurrenceChange> changes, DateTimeOffset fromUtc, DateTimeOffset toUtc)
    {
        var zone = series.Zone;
        var fromLocal = TeamClock.DateIn(fromUtc, zone).AddDays(-1);
        var toLocal = TeamClock.DateIn(toUtc, zone).AddDays(1);
        var result = new Dictionary<string, MeetingOccurrence>();
        foreach (var (date, start, end) in series.Schedule.Between(fromLocal, toLocal))
        {
            if (!Existed(series, date, end))
            {
                continue;
            }
            var occurrence = Apply(series, date, start, end, changes);
            result[occurrence.Key] = occurrence;
        }
        // Occurrences moved into the range from a date outside it.
        foreach (var change in changes.Values.Where(c => c.MovedStart != null && !result.ContainsKey(c.Key)))
        {
            if (MeetingStore.TryParseKey(change.Key, out _, out var scheduledLocal) && series.Schedule.On(DateOnly.FromDateTime(scheduledLocal)) is { } times
                && Existed(series, DateOnly.FromDateTime(scheduledLocal), times.End))
            {
                result[change.Key] = Apply(series, DateOnly.FromDateTime(scheduledLocal), times.Start, times.End, changes);
            }
        }
        return result.Values.Where(o => o.Start >= fromUtc && o.Start < toUtc).OrderBy(o => o.Start).ToList();
    }

    private static MeetingOccurrence Apply(MeetingSeries series, DateOnly date, TimeOnly start, TimeOnly end, IReadOnlyDictionary<string, MeetingStore.OccurrenceChange> changes)
    {
        var localStart = date.ToDateTime(start);
        var key = MeetingOccurrence.KeyFor(series.Id, localStart);
        var occurrence = new MeetingOccurrence
        {
            Series = series,
            Key = key,
            Start = MeetingStore.ToUtc(localStart, series.Zone),
            End = MeetingStore.ToUtc(date.ToDateTime(end), series.Zone),
        };
        if (changes.TryGetValue(key, out var change))
        {
            occurrence = occurrence with
            {
                Cancelled = change.Cancelled,
                Moved = change.MovedStart != null,
                Start = change.MovedStart ?? occurrence.Start,
                End = change.MovedEnd ?? occurrence.End,
                SubstituteHostId = change.SubstituteHostId,
                Note = change.Note,
            };
        }
        return occurrence;
    }

}
