using System.Collections.Concurrent;
using ChatRegs.Bot.People;
using Microsoft.Extensions.Options;

namespace ChatRegs.Bot.Meetings;

/// <summary>A series as the check-in path needs it: the series, its one-off changes, everyone expected, and display names.</summary>
public sealed record SeriesSnapshot(
    MeetingSeries Series,
    IReadOnlyDictionary<string, MeetingStore.OccurrenceChange> Changes,
    IReadOnlySet<string> Participants,
    IReadOnlyDictionary<string, string> Names)
{
    /// <summary>Everyone expected at <paramref name="occurrence"/>: participants, host, recorder and that occurrence's substitute host.</summary>
    public IReadOnlySet<string> AttendeesOf(MeetingOccurrence occurrence) =>
        occurrence.SubstituteHostId == null && Participants.Contains(Series.HostId) && (Series.RecorderId == null || Participants.Contains(Series.RecorderId))
            ? Participants
            : Series.Attendees(Participants, occurrence.SubstituteHostId).ToHashSet();

    /// <summary>
    /// The first <paramref name="max"/> people expected at <paramref name="occurrence"/>: its host
    /// (the substitute, if named), the series' host and recorder, then the others in id order
    /// (e.g. a shared card's <c>refresh.userIds</c>, which Teams caps at 60).
    /// </summary>
    public IReadOnlyList<string> FirstExpected(MeetingOccurrence occurrence, int max)
    {
        var expected = AttendeesOf(occurrence);
        return new[] { occurrence.HostId, Series.HostId, Series.RecorderId }
            .Where(id => !string.IsNullOrEmpty(id) && expected.Contains(id!)).Select(id => id!)
            .Concat(expected.Order(StringComparer.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Take(max)
            .ToList();
    }

    public string NameOf(string? userId) => userId == null ? "" : Names.TryGetValue(userId, out var n) && n.Length > 0 ? n : userId;

    public MeetingOccurrence? Occurrence(string key) => OccurrenceExpansion.For(Series, Changes, key);

    /// <summary>This series' meetings starting in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), cancelled ones included, by start.</summary>
    public IReadOnlyList<MeetingOccurrence> Occurrences(DateTimeOffset fromUtc, DateTimeOffset toUtc) =>
        OccurrenceExpansion.Between(Series, Changes, fromUtc, toUtc);
}

/// <summary>One meeting with its series, as <see cref="MeetingCache.OccurrencesAsync"/> lists them.</summary>
public readonly record struct ScheduledMeeting(SeriesSnapshot Snapshot, MeetingOccurrence Occurrence);

/// <summary>The meeting a card names, as a card action loads it (in the sender's tenant) before deciding who may act on it.</summary>
public sealed record MeetingOnCard(SeriesSnapshot Snapshot, MeetingOccurrence Occurrence);

/// <summary>
/// Series, participants and changes kept in memory for <see cref="MeetingOptions.CacheDuration"/>,
/// so that a thousand people checking in to one meeting cause one load, not a thousand reads.
/// Concurrent callers share one load. Writes through <see cref="MeetingStore"/> on this
/// instance call <see cref="Invalidate"/>.
/// </summary>
public sealed class MeetingCache
{
    private readonly MeetingStore _store;
    private readonly PeopleDirectory _people;
    private readonly TimeProvider _time;
    private readonly TimeSpan _ttl;
    private readonly ConcurrentDictionary<(string Tenant, string SeriesId), Entry<SeriesSnapshot?>> _series = new();
    private readonly ConcurrentDictionary<string, Entry<IReadOnlyList<MeetingSeries>>> _lists = new();

    public MeetingCache(MeetingStore store, PeopleDirectory people, TimeProvider time, IOptions<MeetingOptions> options)
    {
        _store = store;
        _people = people;
        _time = time;
        _ttl = options.Value.CacheDuration;
    }

    /// <summary>Every series of the tenant, as stored.</summary>
    public Task<IReadOnlyList<MeetingSeries>> ListSeriesAsync(string tenantId, CancellationToken cancellationToken) =>
        _store.ListSeriesAsync(tenantId, cancellationToken);

    /// <summary>A manager moves, cancels or hands over one occurrence (conditional on <paramref name="expectedETag"/>; else <see cref="Storage.SaveOutcome.Changed"/>).</summary>
    public Task<Storage.Saved<MeetingStore.OccurrenceChange>> SaveChangeAsync(string tenantId, MeetingStore.OccurrenceChange change, string? expectedETag, CancellationToken cancellationToken) =>
        _store.SaveChangeAsync(tenantId, change, expectedETag, cancellationToken);

    /// <summary>The series with its participants and changes; null when there is no such series.</summary>
    public Task<SeriesSnapshot?> GetAsync(string tenantId, string seriesId, CancellationToken cancellationToken) =>
        Get(_series, (tenantId, seriesId), () => LoadAsync(tenantId, seriesId, cancellationToken));

    /// <summary>Every series of the tenant.</summary>
    public Task<IReadOnlyList<MeetingSeries>> ListAsync(string tenantId, CancellationToken cancellationToken) =>
        Get(_lists, tenantId, () => _store.ListSeriesAsync(tenantId, cancellationToken));

    /// <summary>
    /// Every meeting of the tenant starting in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>)
    /// (cancelled ones included), of the series <paramref name="which"/> accepts (all when null),
    /// by start time: the one query for "every series, every meeting in a range".
    /// </summary>
    public async Task<IReadOnlyList<ScheduledMeeting>> OccurrencesAsync(string tenantId, DateTimeOffset fromUtc, DateTimeOffset toUtc, CancellationToken cancellationToken,
        Func<MeetingSeries, bool>? which = null)
    {
        var found = new List<ScheduledMeeting>();
        foreach (var series in await ListAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            if (which != null && !which(series))
            {
                continue;
            }
            if (await GetAsync(tenantId, series.Id, cancellationToken).ConfigureAwait(false) is not { } snapshot)
            {
                continue;
            }
            found.AddRange(snapshot.Occurrences(fromUtc, toUtc).Select(o => new ScheduledMeeting(snapshot, o)));
        }
        return found.OrderBy(f => f.Occurrence.Start).ThenBy(f => f.Occurrence.Key, StringComparer.Ordinal).ToList();
    }

    /// <summary>The series behind an occurrence key ("{series id}@{yyyyMMddHHmm}") and the occurrence; nulls when unknown.</summary>
    public async Task<(SeriesSnapshot? Snapshot, MeetingOccurrence? Occurrence)> GetOccurrenceAsync(string tenantId, string occurrenceKey, CancellationToken cancellationToken)
    {
        if (!MeetingStore.TryParseKey(occurrenceKey, out var seriesId, out _))
        {
            return (null, null);
        }
        var snapshot = await GetAsync(tenantId, seriesId, cancellationToken).ConfigureAwait(false);
        return (snapshot, snapshot?.Occurrence(occurrenceKey));
    }

    public void Invalidate(string tenantId, string? seriesId = null)
    {
        if (seriesId != null)
        {
            _series.TryRemove((tenantId, seriesId), out _);
        }
        _lists.TryRemove(tenantId, out _);
    }

    private async Task<SeriesSnapshot?> LoadAsync(string tenantId, string seriesId, CancellationToken cancellationToken)
    {
        var series = await _store.GetSeriesAsync(tenantId, seriesId, cancellationToken).ConfigureAwait(false);
        if (series == null)
        {
            return null;
        }
        var changes = _store.ChangesAsync(tenantId, seriesId, cancellationToken);
        var participants = _store.ListParticipantsAsync(tenantId, seriesId, cancellationToken);
        var names = new Dictionary<string, string>();
        foreach (var id in new[] { series.HostId, series.RecorderId }.Where(i => !string.IsNullOrEmpty(i)).Distinct())
        {
            names[id!] = (await _people.GetAsync(tenantId, id!, cancellationToken).ConfigureAwait(false))?.Name ?? "";
        }
        var changed = await changes.ConfigureAwait(false);
        foreach (var sub in changed.Values.Select(c => c.SubstituteHostId).Where(s => s != null && !names.ContainsKey(s)).Distinct())
        {
            names[sub!] = (await _people.GetAsync(tenantId, sub!, cancellationToken).ConfigureAwait(false))?.Name ?? "";
        }
        var set = series.Attendees(await participants.ConfigureAwait(false)).ToHashSet();
        return new SeriesSnapshot(series, changed, set, names);
    }

    private async Task<T> Get<TKey, T>(ConcurrentDictionary<TKey, Entry<T>> map, TKey key, Func<Task<T>> load) where TKey : notnull
    {
        var now = _time.GetUtcNow();
        while (true)
        {
            var entry = map.GetOrAdd(key, _ => new Entry<T>(new Lazy<Task<T>>(load), now + _ttl));
            if (entry.Expires < now)
            {
                map.TryRemove(new KeyValuePair<TKey, Entry<T>>(key, entry));
                continue;
            }
            try
            {
                return await entry.Value.Value.ConfigureAwait(false);
            }
            catch
            {
                // A failed load is not kept: the next caller tries storage again.
                map.TryRemove(new KeyValuePair<TKey, Entry<T>>(key, entry));
                throw;
            }
        }
    }

    private sealed record Entry<T>(Lazy<Task<T>> Value, DateTimeOffset Expires);
}
