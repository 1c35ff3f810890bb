using System.Collections.Concurrent;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.DevChannel;

/// <summary>
/// The local chat channel's own record of every conversation: what people sent and what the
/// bot sent, in order. Kept in memory (it is a development tool; the bot's real state is in
/// Table Storage). A Direct Line watermark is a position in a conversation's list.
/// <para>
/// An activity is never edited in place: an update appends a new version with the same id
/// (Web Chat replaces an activity when one with the same id arrives). A version can be visible
/// to one person only — the card an <c>Action.Execute</c> answered with is shown to the person
/// who clicked, as in Teams.
/// </para>
/// </summary>
public sealed class DevTranscripts
{
    private readonly ConcurrentDictionary<string, Transcript> _conversations = new(StringComparer.Ordinal);

    /// <summary>
    /// A conversation's transcript. A Teams channel thread ("19:…@thread.tacv2;messageid=…")
    /// belongs to its channel's transcript, so a bot reply in a thread shows in that chat.
    /// </summary>
    public Transcript For(string conversationId) => _conversations.GetOrAdd(Key(conversationId), id => new Transcript(id));

    public static string Key(string conversationId)
    {
        var thread = conversationId.IndexOf(";messageid=", StringComparison.OrdinalIgnoreCase);
        return thread < 0 ? conversationId : conversationId[..thread];
    }

    private static long _lastId;

    /// <summary>A new activity id, Teams-like (milliseconds since 1970), unique in this process.</summary>
    public static string NewActivityId()
    {
        while (true)
        {
            var last = Interlocked.Read(ref _lastId);
            var next = Math.Max(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), last + 1);
            if (Interlocked.CompareExchange(ref _lastId, next, last) == last)
            {
                return next.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }
}

/// <summary>One conversation's activities (see <see cref="DevTranscripts"/>).</summary>
public sealed class Transcript
{
    private readonly List<Entry> _entries = [];

    public Transcript(string conversationId)
    {
        ConversationId = conversationId;
    }

    public string ConversationId { get; }

    private sealed record Entry(JObject Activity, string? VisibleTo);

    public int Count
    {
        get { lock (_entries) { return _entries.Count; } }
    }

    /// <summary>Appends a version of an activity; <paramref name="visibleTo"/> = a user id, or null for everyone.</summary>
    public void Append(JObject activity, string? visibleTo = null)
    {
        lock (_entries)
        {
            _entries.Add(new Entry((JObject)activity.DeepClone(), visibleTo));
        }
    }

    /// <summary>What <paramref name="viewerId"/> sees after position <paramref name="watermark"/>, and the new watermark.</summary>
    public (List<JObject> Activities, int Watermark) Since(int watermark, string viewerId)
    {
        lock (_entries)
        {
            if (watermark < 0 || watermark > _entries.Count)
            {
                // A watermark from before a restart of the bot (the transcript is in memory): start over.
                watermark = 0;
            }
            var list = _entries.Skip(watermark)
                .Where(e => e.VisibleTo == null || e.VisibleTo == viewerId)
                .Select(e => (JObject)e.Activity.DeepClone())
                .ToList();
            return (list, _entries.Count);
        }
    }

    /// <summary>The latest version of an activity that <paramref name="viewerId"/> sees (null = the version everyone sees).</summary>
    public JObject? Latest(string activityId, string? viewerId = null)
    {
        lock (_entries)
        {
            for (var i = _entries.Count - 1; i >= 0; i--)
            {
                var e = _entries[i];
                if ((string?)e.Activity["id"] == activityId && (e.VisibleTo == null || (viewerId != null && e.VisibleTo == viewerId)))
                {
                    return (JObject)e.Activity.DeepClone();
                }
            }
            return null;
        }
    }
}
