using System.Security.Cryptography;
using System.Text;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Calendar;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.People;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Meetings.Agenda;

/// <summary>One meeting's agenda with everything needed to show or change it.</summary>
public sealed record AgendaContext(SeriesSnapshot Snapshot, MeetingOccurrence Occurrence, AgendaState State, DateTimeOffset Deadline)
{
    /// <summary>The previous meeting's decisions and their status (上次会议决议落实情况), from <see cref="IAgendaFollowUp"/>.</summary>
    public IReadOnlyList<AgendaFollowUpLine> FollowUp { get; init; } = [];

    public MeetingSeries Series => Snapshot.Series;

    public string TenantId => Series.TenantId;

    /// <summary>Minutes between the start and the end (the slot the agenda must fit in).</summary>
    public int SlotMinutes => (int)Math.Round((Occurrence.End - Occurrence.Start).TotalMinutes);

    public int TotalMinutes => State.Items.Sum(t => t.Minutes);

    /// <summary>
    /// The fixed order of business of this meeting (例会制度(一)5.1–5.8, (二)三, (四)第五条 Monday or
    /// Thursday) when the series was made from a regulation meeting, by the weekday it is scheduled
    /// on (a moved meeting keeps its day's order); empty otherwise.
    /// </summary>
    public IReadOnlyList<ChatRegs.Bot.Meetings.Series.OrderItem> Sections
    {
        get
        {
            var template = ChatRegs.Bot.Meetings.Series.MeetingTemplates.Default.Find(Snapshot.Series.TemplateId);
            if (template == null || template.Order.Count == 0)
            {
                return [];
            }
            var at = Occurrence.Key[(Occurrence.Key.LastIndexOf('@') + 1)..];
            var day = DateTime.TryParseExact(at, "yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var scheduled)
                ? scheduled.DayOfWeek
                : Occurrence.LocalStart.DayOfWeek;
            return template.OrderOn(day);
        }
    }
}

/// <summary>A series' next meeting, as the agenda commands offer it.</summary>
public sealed record AgendaTarget(SeriesSnapshot Snapshot, MeetingOccurrence Occurrence);

/// <summary>
/// The agenda's rules: which meeting a command is about, who may do what (from the turn's
/// identity, through <see cref="AuthorizationService"/>: participants submit, host/substitute
/// host/recorder/office manage), the topic deadline (the series' cutoff: by default when the
/// agenda is posted; or 17:00 the working day before, on the Chinese working-day calendar; or the start) and what the posted card showed.
/// </summary>
public sealed class AgendaService(
    MeetingCache cache,
    AgendaStore store,
    WorkingDayCalendar calendar,
    PeopleDirectory people,
    AuthorizationService authorization,
    TimeProvider time,
    IOptions<AgendaOptions> options,
    IEnumerable<IAgendaFollowUp> followUps)
{
    public const string ResourceKind = "meetingAgenda";

    // ---- the stored topics and post, for the agenda's cards (the store stays inside) ----

    /// <summary>Files a submitted topic once: <see cref="Storage.SaveOutcome.AlreadyExists"/> (with the topic filed first) when its form was submitted before.</summary>
    public Task<Storage.Saved<Topic>> FileTopicAsync(Topic topic, CancellationToken cancellationToken) =>
        store.AddTopicAsync(topic, cancellationToken);

    /// <summary>The host accepts, rejects or re-positions a topic (still at the ETag read; else "not saved, try again").</summary>
    public async Task<Topic> UpdateTopicAsync(Topic topic, CancellationToken cancellationToken) =>
        (await store.UpdateTopicAsync(topic, cancellationToken).ConfigureAwait(false)).OrThrow();

    /// <summary>The host moves a topic past its neighbour: both or neither (else "not saved, try again").</summary>
    public async Task SwapOrderAsync(Topic a, Topic b, CancellationToken cancellationToken) =>
        (await store.SwapOrderAsync(a, b, cancellationToken).ConfigureAwait(false)).OrThrow();

    /// <summary>Records where the agenda card was posted (else "not saved, try again").</summary>
    /// <summary>How long a claim to post the agenda holds when its holder never ends it (the process died).</summary>
    public static readonly TimeSpan PostingLease = TimeSpan.FromMinutes(1);

    /// <summary>Claims the posting of this meeting's agenda (<see cref="AgendaStore.TryClaimPostingAsync"/>): the claim's ETag, or null and who holds it.</summary>
    public Task<(string? ETag, string Holder)> ClaimPostingAsync(AgendaContext context, string byId, string byName, CancellationToken cancellationToken) =>
        store.TryClaimPostingAsync(context.TenantId, context.Occurrence.Key, byId, byName, Now, PostingLease, cancellationToken);

    /// <summary>Ends a claim of <see cref="ClaimPostingAsync"/>.</summary>
    public Task ReleasePostingAsync(AgendaContext context, string etag, CancellationToken cancellationToken) =>
        store.ReleasePostingAsync(context.TenantId, context.Occurrence.Key, etag, cancellationToken);

    public async Task<AgendaPost> RecordPostAsync(AgendaPost post, CancellationToken cancellationToken) =>
        (await store.SavePostAsync(post, cancellationToken).ConfigureAwait(false)).OrThrow();

    public MeetingCache Cache => cache;

    public AgendaOptions Options => options.Value;

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>
    /// When topics for <paramref name="occurrence"/> are due, by the series' topic cutoff
    /// (<see cref="MeetingSeries.TopicCutoff"/>): when the agenda is posted (<paramref name="post"/>;
    /// the default), at the start, or <see cref="AgendaOptions.DeadlineTime"/> on the working day
    /// <see cref="AgendaOptions.DeadlineWorkingDaysBefore"/> before the meeting's (possibly moved)
    /// date, in the series' time zone. Never after the start. A submission counts if it arrives
    /// strictly before this instant.
    /// </summary>
    public DateTimeOffset DeadlineOf(MeetingOccurrence occurrence, AgendaPost? post = null)
    {
        DateTimeOffset deadline;
        switch (occurrence.Series.TopicCutoff)
        {
            case TopicCutoffs.WorkingDayBefore:
                var day = DateOnly.FromDateTime(occurrence.LocalStart);
                var due = calendar.AddWorkingDays(day, -Math.Max(0, options.Value.DeadlineWorkingDaysBefore));
                deadline = MeetingStore.ToUtc(due.ToDateTime(options.Value.Deadline), occurrence.Series.Zone);
                break;
            case TopicCutoffs.MeetingStart:
                deadline = occurrence.Start;
                break;
            default:
                deadline = post?.PostedAt is { } posted && posted != default ? posted : occurrence.Start;
                break;
        }
        // A deadline is never after the meeting starts (e.g. "0 working days before" and a morning meeting).
        return deadline < occurrence.Start ? deadline : occurrence.Start;
    }

    /// <summary>The authorization resource of one meeting's agenda: host (and that meeting's substitute), recorder, and everyone expected as participant.</summary>
    public static AuthorizationResource ResourceOf(SeriesSnapshot snapshot, MeetingOccurrence occurrence)
    {
        var series = snapshot.Series.AsResource(occurrence.SubstituteHostId);
        var roles = new Dictionary<string, IReadOnlyCollection<string>>(series.PeopleByRole)
        {
            [MeetingRoles.Participant] = snapshot.AttendeesOf(occurrence).ToList(),
        };
        return new AuthorizationResource(ResourceKind, occurrence.Key) { PeopleByRole = roles };
    }

    public async Task<AgendaContext?> LoadAsync(string tenantId, string occurrenceKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(occurrenceKey))
        {
            return null;
        }
        var (snapshot, occurrence) = await cache.GetOccurrenceAsync(tenantId, occurrenceKey, cancellationToken).ConfigureAwait(false);
        if (snapshot == null || occurrence == null)
        {
            return null;
        }
        var state = await store.ReadAsync(tenantId, occurrence.Key, cancellationToken).ConfigureAwait(false);
        var followUp = new List<AgendaFollowUpLine>();
        foreach (var source in followUps)
        {
            followUp.AddRange(await source.PreviousDecisionsAsync(snapshot, occurrence, cancellationToken).ConfigureAwait(false));
        }
        return new AgendaContext(snapshot, occurrence, state, DeadlineOf(occurrence, state.Post)) { FollowUp = followUp };
    }

    public Task<AgendaContext?> ReloadAsync(AgendaContext context, CancellationToken cancellationToken) =>
        LoadAsync(context.TenantId, context.Occurrence.Key, cancellationToken);

    /// <summary>Whether the sender may do <paramref name="action"/> on this meeting's agenda, without telling them anything.</summary>
    public async Task<bool> MayAsync(ITurnContext turn, string action, SeriesSnapshot snapshot, MeetingOccurrence occurrence, CancellationToken cancellationToken)
    {
        var actor = await authorization.GetActorAsync(turn, cancellationToken).ConfigureAwait(false);
        return authorization.Decide(actor, action, ResourceOf(snapshot, occurrence)).Allowed;
    }

    /// <summary>Asks the authorization service; when refused, the sender is told why (in their language) and false is returned.</summary>
    public Task<bool> EnsureAsync(ITurnContext turn, string action, SeriesSnapshot snapshot, MeetingOccurrence occurrence, CancellationToken cancellationToken) =>
        authorization.EnsureAllowedAsync(turn, action, ResourceOf(snapshot, occurrence), cancellationToken);

    /// <summary>The series' next meeting that is not cancelled: the next to start (<paramref name="notStarted"/>) or the next not yet over.</summary>
    public MeetingOccurrence? NextOf(SeriesSnapshot snapshot, bool notStarted, DateTimeOffset? after = null)
    {
        var now = Now;
        var from = after ?? now;
        return snapshot.Occurrences(from.AddDays(-1), now.AddDays(options.Value.LookAheadDays))
            .Where(o => !o.Cancelled && (notStarted ? o.Start > from : o.End > from))
            .OrderBy(o => o.Start)
            .FirstOrDefault();
    }

    /// <summary>
    /// The meetings a command is about: for every series, its next meeting the sender may do
    /// <paramref name="action"/> on; narrowed to the series named in <paramref name="arguments"/>
    /// (name or id), else to the series of the conversation the command was typed in.
    /// </summary>
    public async Task<(IReadOnlyList<AgendaTarget> Targets, bool NameMatchedNothing)> TargetsAsync(ITurnContext turn, string arguments, string action, bool notStarted, CancellationToken cancellationToken)
    {
        var tenant = Tenants.Of(turn.Activity) ?? "";
        var actor = await authorization.GetActorAsync(turn, cancellationToken).ConfigureAwait(false);
        var targets = new List<AgendaTarget>();
        foreach (var series in await cache.ListAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            var snapshot = await cache.GetAsync(tenant, series.Id, cancellationToken).ConfigureAwait(false);
            if (snapshot != null && NextOf(snapshot, notStarted) is { } next && authorization.Decide(actor, action, ResourceOf(snapshot, next)).Allowed)
            {
                targets.Add(new AgendaTarget(snapshot, next));
            }
        }
        targets = targets.OrderBy(t => t.Occurrence.Start).ThenBy(t => t.Snapshot.Series.Name, StringComparer.Ordinal).ToList();
        var name = arguments.Trim();
        if (name.Length > 0)
        {
            var named = targets.Where(t => t.Snapshot.Series.Id.Equals(name, StringComparison.OrdinalIgnoreCase)
                || t.Snapshot.Series.Name.Contains(name, StringComparison.OrdinalIgnoreCase)).ToList();
            return (named, named.Count == 0 && targets.Count > 0);
        }
        var here = targets.Where(t => SameConversation(t.Snapshot.Series.ConversationId, turn.Activity.Conversation?.Id)).ToList();
        return (here.Count > 0 ? here : targets, false);
    }

    /// <summary>True when both ids name the same Teams conversation (a channel thread ";messageid=…" counts as its channel).</summary>
    public static bool SameConversation(string? a, string? b) =>
        !string.IsNullOrEmpty(a) && !string.IsNullOrEmpty(b) && string.Equals(BaseConversation(a), BaseConversation(b), StringComparison.Ordinal);

    public static string BaseConversation(string id)
    {
        var semicolon = id.IndexOf(';');
        return semicolon < 0 ? id : id[..semicolon];
    }

    /// <summary>Display names of the people expected at a meeting (directory name, else the id), host first.</summary>
    public async Task<IReadOnlyList<(string Id, string Name)>> AttendeeNamesAsync(AgendaContext context, CancellationToken cancellationToken)
    {
        var attendees = context.Snapshot.AttendeesOf(context.Occurrence);
        var directory = (await people.ListAsync(context.TenantId, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.UserId, p => p.Name);
        return attendees
            .Select(id => (Id: id, Name: directory.TryGetValue(id, out var n) && n.Length > 0 ? n : context.Snapshot.NameOf(id)))
            .OrderBy(p => p.Id == context.Occurrence.HostId ? 0 : 1)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>What the agenda card shows, as a short hash: when it differs from the posted one, the posted card is out of date.</summary>
    public static string Fingerprint(AgendaContext context)
    {
        var o = context.Occurrence;
        var sb = new StringBuilder();
        sb.Append(o.Start.UtcTicks).Append('|').Append(o.End.UtcTicks).Append('|').Append(o.HostId).Append('|')
            .Append(context.Series.RecorderId).Append('|').Append(context.Series.Location).Append('|').Append(context.Series.Name);
        foreach (var t in context.State.Items)
        {
            sb.Append('\n').Append(t.Id).Append('|').Append(t.Title).Append('|').Append(t.PresenterId).Append('|').Append(t.PresenterName)
                .Append('|').Append(t.Minutes).Append('|').Append(t.Material).Append('|').Append(t.Section);
        }
        foreach (var f in context.FollowUp)
        {
            sb.Append("\nf|").Append(f.Description).Append('|').Append(f.OwnerName).Append('|').Append(f.Due).Append('|').Append(f.Status).Append('|').Append(f.Note);
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())))[..16];
    }
}
