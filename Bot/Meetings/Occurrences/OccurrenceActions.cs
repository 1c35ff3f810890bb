using System.Globalization;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Meetings.Jobs;
using ChatRegs.Bot.Meetings.Series;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Options;
using Newtonsoft.Json.Linq;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Meetings.Occurrences;

/// <summary>
/// One occurrence's adjustments (临时调整, 提前指定主持人): the card (Cards/MeetingOccurrence.json)
/// and its three changes — move, cancel, substitute host. Each is allowed to the office,
/// managers, the series' host and recorder, and that occurrence's substitute host; identity from
/// the activity. Only that occurrence changes; people are told in their own chat (a
/// "meetings.notify" job), and its check-in jobs follow.
/// </summary>
public sealed class OccurrenceEditor(MeetingCache cache, MeetingJobs jobs, PeopleDirectory people, ICardFactory cards,
    Localizer localizer, TimeProvider time, IOptions<MeetingOptions> options, ILogger<OccurrenceEditor> logger)
{
    public const int MaxNote = 200;


    /// <summary>The occurrence named by the card, read afresh (the cache forgets the series first), in <paramref name="tenant"/>; null when there is none.</summary>
    public async Task<MeetingOnCard?> FindAsync(string tenant, string occurrenceKey, CancellationToken ct)
    {
        cache.Invalidate(tenant, MeetingStore.TryParseKey(occurrenceKey, out var sid, out _) ? sid : null);
        var (snapshot, occurrence) = await cache.GetOccurrenceAsync(tenant, occurrenceKey, ct).ConfigureAwait(false);
        return snapshot == null || occurrence == null ? null : new MeetingOnCard(snapshot, occurrence);
    }

    public async Task<Attachment> CardAsync(SeriesSnapshot snapshot, MeetingOccurrence occurrence, string locale, CancellationToken ct,
        string? message = null, IReadOnlyDictionary<string, string>? values = null, IReadOnlyDictionary<string, string>? errors = null)
    {
        var series = snapshot.Series;
        var directory = await people.ListAsync(series.TenantId, ct).ConfigureAwait(false);
        var choices = new JsonArray { new JsonObject { ["title"] = localizer.Get(locale, "meetings.occurrence.noSubstitute"), ["value"] = MeetingForm.NoOne } };
        foreach (var p in directory.Take(options.Value.MaxPeopleInForm))
        {
            choices.Add(new JsonObject { ["title"] = p.Name.Length > 0 ? p.Name : p.UserId, ["value"] = p.UserId });
        }
        var state = occurrence.Cancelled ? localizer.Get(locale, "meetings.list.cancelled") : occurrence.Moved ? localizer.Get(locale, "meetings.list.moved") : "";
        var local = occurrence.LocalStart;
        string Value(string k, string d) => values?.GetValueOrDefault(k) ?? d;
        var data = new JsonObject
        {
            ["occurrence"] = occurrence.Key,
            ["version"] = VersionOf(snapshot, occurrence),
            ["name"] = series.Name,
            ["when"] = MeetingText.When(occurrence, locale),
            ["location"] = series.Location.Length > 0 ? series.Location : "—",
            ["host"] = snapshot.NameOf(occurrence.HostId),
            ["state"] = state,
            ["note"] = occurrence.Note ?? "",
            ["canCancel"] = !occurrence.Cancelled,
            ["people"] = choices,
            ["message"] = message ?? "",
            ["values"] = new JsonObject
            {
                ["date"] = Value("date", local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                ["start"] = Value("start", local.ToString("HH:mm", CultureInfo.InvariantCulture)),
                ["end"] = Value("end", occurrence.LocalEnd.ToString("HH:mm", CultureInfo.InvariantCulture)),
                ["substitute"] = Value("substitute", occurrence.SubstituteHostId ?? MeetingForm.NoOne),
                ["note"] = Value("note", ""),
            },
            ["errors"] = Cards.CardData.Errors(errors),
        };
        return cards.Create("MeetingOccurrence", data, locale);
    }

    /// <summary>The version of the occurrence's changes a card shows ("" when it has none): a change made from the card is saved only if it is still this one.</summary>
    public static string VersionOf(SeriesSnapshot snapshot, MeetingOccurrence occurrence) =>
        snapshot.Changes.TryGetValue(occurrence.Key, out var change) ? change.ETag ?? "" : "";

    /// <summary>
    /// Saves the change (keeping the occurrence's other changes) if the occurrence is still at
    /// <paramref name="version"/> (the card's; else <see cref="Storage.StorageConflictException"/>),
    /// then moves its jobs and queues the notice. The follow-through is put in an outbox job before
    /// the write (<see cref="MeetingJobs.ScheduleAfterAsync"/>), so once the change is saved its
    /// jobs and notice follow even if they cannot be done at once; a card pressed again after
    /// "not saved" (the same change) is saved once and its notice sent once.
    /// Returns the snapshot and occurrence as they are after the change.
    /// </summary>
    public async Task<(SeriesSnapshot Snapshot, MeetingOccurrence Occurrence)> SaveAsync(ITurnContext turn, SeriesSnapshot snapshot, MeetingOccurrence before, string version, bool cancelled, DateTimeOffset? start, DateTimeOffset? end,
        string? substitute, string? note, string noticeKind, IReadOnlyList<string> recipients, CancellationToken ct)
    {
        var tenant = snapshot.Series.TenantId;
        snapshot.Changes.TryGetValue(before.Key, out var existing);
        var by = turn.Activity.From!;
        start ??= existing?.MovedStart;
        end ??= existing?.MovedEnd;
        note = string.IsNullOrWhiteSpace(note) ? existing?.Note : note;
        var changeId = MeetingStore.ChangeId(before.Key, version, by.Id, cancelled, start, end, substitute, note, noticeKind);
        var change = new MeetingStore.OccurrenceChange(before.Key, cancelled, start, end, substitute, note, by.Id, time.GetUtcNow(), changeId);
        var notice = new MeetingNotice(noticeKind, snapshot.Series.Id, before.Key, before.Start, before.End, by.Name ?? by.Id, note, recipients);
        await jobs.ScheduleAfterAsync(tenant, new MeetingAfterData(snapshot.Series.Id, changeId, before.Key, notice), turn.Activity.Id ?? Guid.NewGuid().ToString("N"), ct).ConfigureAwait(false);
        var saved = (await cache.SaveChangeAsync(tenant, change, version, ct).ConfigureAwait(false)).OrThrow();

        // Saved: nothing below may turn this into "not saved". The outbox job finishes what fails here.
        cache.Invalidate(tenant, snapshot.Series.Id);
        var changes = new Dictionary<string, MeetingStore.OccurrenceChange>(snapshot.Changes) { [before.Key] = saved };
        var fresh = snapshot with { Changes = changes };
        var after = OccurrenceExpansion.For(snapshot.Series, changes, before.Key)!;
        try
        {
            // The stored state (names of people the change brought in included), when it can be read.
            if (await cache.GetOccurrenceAsync(tenant, before.Key, ct).ConfigureAwait(false) is ({ } read, { } readAfter)
                && read.Changes.TryGetValue(before.Key, out var stored) && stored.ChangeId == changeId)
            {
                (fresh, after) = (read, readAfter);
            }
            await jobs.FollowChangeAsync(tenant, after, notice, changeId, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Change {ChangeId} of {Occurrence} saved; its jobs and notice will follow with its follow-through job.", changeId, before.Key);
        }
        return (fresh, after);
    }

    /// <summary>
    /// The card was made from an older version of the occurrence (someone else changed it since):
    /// nothing is saved; the sender gets the occurrence as it is now, and is told why.
    /// </summary>
    public async Task<CardActionResult> ChangedMeanwhileAsync(ITurnContext turn, MeetingOccurrence occurrence, CancellationToken ct)
    {
        var locale = turn.Activity.Locale ?? "";
        var tenant = occurrence.Series.TenantId;
        cache.Invalidate(tenant, occurrence.Series.Id);
        var (snapshot, current) = await cache.GetOccurrenceAsync(tenant, occurrence.Key, ct).ConfigureAwait(false);
        var message = localizer.Get(locale, "meetings.occurrence.changedMeanwhile");
        return snapshot == null || current == null
            ? new CardActionResult(Message: message)
            : new CardActionResult(RefreshedCard: await CardAsync(snapshot, current, locale, ct, message).ConfigureAwait(false));
    }

    public async Task<CardActionResult> AgainAsync(ITurnContext turn, SeriesSnapshot snapshot, MeetingOccurrence occurrence, Dictionary<string, string> values, Dictionary<string, string> errors, CancellationToken ct)
    {
        var locale = turn.Activity.Locale ?? "";
        var card = await CardAsync(snapshot, occurrence, locale, ct, localizer.Get(locale, "meetings.errors.fix", errors.Count), values, errors).ConfigureAwait(false);
        return new CardActionResult(RefreshedCard: card);
    }

    public DateTimeOffset Now => time.GetUtcNow();

    public Localizer Text => localizer;

    public PeopleDirectory People => people;
}

/// <summary>
/// An occurrence card action on the card-action base: the occurrence the card names is loaded in
/// the sender's tenant (<see cref="OccurrenceEditor.FindAsync"/>; unknown: "meetings.checkIn.unknown")
/// and the sender's right to manage it decided (office, managers, the series' host and recorder,
/// that occurrence's substitute host) before <see cref="ChangeAsync"/> runs, so each action is only
/// its own checks and change. A refusal is sent as a message of its own.
/// </summary>
public abstract class OccurrenceAction(OccurrenceEditor editor, IAuthorizationService authorization) : CardActionHandler<MeetingOnCard>(authorization)
{
    protected OccurrenceEditor Editor => editor;

    protected override string Permission => MeetingPermissions.ManageMeeting;

    protected override string NotFoundKey => "meetings.checkIn.unknown";

    protected override Task<MeetingOnCard?> LoadAsync(CardActionContext action, CancellationToken cancellationToken) =>
        editor.FindAsync(action.Tenant, action.Field("occurrence"), cancellationToken);

    protected override AuthorizationResource ResourceOf(MeetingOnCard record) => record.Snapshot.Series.AsResource(record.Occurrence.SubstituteHostId);

    protected override Task<CardActionResult> RefuseAsync(CardActionContext action, MeetingOnCard? record, string text, CancellationToken cancellationToken) =>
        action.SendAsync(text, cancellationToken);

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, MeetingOnCard record, CancellationToken cancellationToken)
    {
        // The card's version of the occurrence ("" or absent: it showed no change), checked when
        // the change is saved (after the action's own checks, so "already cancelled" still says so).
        action.Turn.TurnState.Set(VersionKey, action.Field("version"));
        return await ChangeAsync(action.Turn, record.Snapshot, record.Occurrence, action.Data, action.Locale, cancellationToken).ConfigureAwait(false);
    }

    private const string VersionKey = "meetings.occurrence.version";

    protected abstract Task<CardActionResult> ChangeAsync(ITurnContext turn, SeriesSnapshot snapshot, MeetingOccurrence occurrence, JObject data, string locale, CancellationToken ct);

    /// <summary>Saves the change, tells the recipients, and answers with the refreshed card and the message for <paramref name="messageKey"/> (its arguments given the occurrence after the change).</summary>
    protected async Task<CardActionResult> SaveAsync(ITurnContext turn, SeriesSnapshot snapshot, MeetingOccurrence before, bool cancelled, DateTimeOffset? start, DateTimeOffset? end,
        string? substitute, string note, string noticeKind, IReadOnlyList<string> recipients, string locale, string messageKey,
        Func<SeriesSnapshot, MeetingOccurrence, object?[]> messageArgs, CancellationToken ct)
    {
        // A card made before someone else's change is refused with the occurrence as it is now.
        var version = turn.TurnState.Get<string>(VersionKey) ?? "";
        if (version != OccurrenceEditor.VersionOf(snapshot, before))
        {
            return await editor.ChangedMeanwhileAsync(turn, before, ct).ConfigureAwait(false);
        }
        (SeriesSnapshot, MeetingOccurrence) saved;
        try
        {
            saved = await editor.SaveAsync(turn, snapshot, before, version, cancelled, start, end, substitute, note, noticeKind, recipients, ct).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            // Someone else's change landed between reading and writing.
            return await editor.ChangedMeanwhileAsync(turn, before, ct).ConfigureAwait(false);
        }
        var (fresh, after) = saved;
        Core.SavedTurns.Mark(turn);
        var message = Editor.Text.Get(locale, messageKey, messageArgs(fresh, after));
        try
        {
            return new CardActionResult(RefreshedCard: await editor.CardAsync(fresh, after, locale, ct, message).ConfigureAwait(false));
        }
        catch (Exception e) when (e is not OperationCanceledException && Core.StorageProblems.Is(e))
        {
            // Saved: the answer says so even when the card cannot be rebuilt now.
            return new CardActionResult(Message: message);
        }
    }
}

/// <summary>"调整本次" on the meeting list (verb "meetings.occurrence"): the occurrence card.</summary>
public sealed class ShowOccurrenceAction(OccurrenceEditor editor, IAuthorizationService authorization) : OccurrenceAction(editor, authorization)
{
    public override string Verb => "meetings.occurrence";

    protected override async Task<CardActionResult> ChangeAsync(ITurnContext turn, SeriesSnapshot snapshot, MeetingOccurrence occurrence, JObject data, string locale, CancellationToken ct) =>
        new(RefreshedCard: await Editor.CardAsync(snapshot, occurrence, locale, ct).ConfigureAwait(false));
}

/// <summary>Moves one occurrence (verb "meetings.move": date, start, end, note).</summary>
public sealed class MoveOccurrenceAction(OccurrenceEditor editor, IAuthorizationService authorization) : OccurrenceAction(editor, authorization)
{
    public override string Verb => "meetings.move";

    protected override async Task<CardActionResult> ChangeAsync(ITurnContext turnContext, SeriesSnapshot snapshot, MeetingOccurrence occurrence, JObject data, string locale, CancellationToken cancellationToken)
    {
        string E(string key, params object?[] args) => Editor.Text.Get(locale, "meetings.errors." + key, args);
        var values = new Dictionary<string, string>();
        foreach (var f in new[] { "date", "start", "end", "substitute", "note" })
        {
            values[f] = CardFields.Field(data, f);
        }
        var errors = new Dictionary<string, string>();
        if (occurrence.Cancelled)
        {
            errors["date"] = E("cancelledAlready");
        }
        else if (occurrence.End <= Editor.Now)
        {
            errors["date"] = E("alreadyHeldMove");
        }
        var ok = DateOnly.TryParseExact(values["date"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date);
        if (!ok)
        {
            errors.TryAdd("date", E("badDate"));
        }
        TimeOnly? Time(string f)
        {
            if (TimeOnly.TryParseExact(values[f], ["H:mm", "HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
            {
                return t;
            }
            errors[f] = E("badTime");
            return null;
        }
        var start = Time("start");
        var end = Time("end");
        if (start != null && end != null && end <= start)
        {
            errors["end"] = E("endBeforeStart");
        }
        if (values["note"].Length > OccurrenceEditor.MaxNote)
        {
            errors["note"] = E("tooLong", OccurrenceEditor.MaxNote);
        }
        DateTimeOffset newStart = default, newEnd = default;
        if (errors.Count == 0)
        {
            var zone = snapshot.Series.Zone;
            newStart = MeetingStore.ToUtc(date.ToDateTime(start!.Value), zone);
            newEnd = MeetingStore.ToUtc(date.ToDateTime(end!.Value), zone);
            if (newStart <= Editor.Now)
            {
                errors["date"] = E("pastDate");
            }
            else if (newStart == occurrence.Start && newEnd == occurrence.End)
            {
                errors["date"] = E("unchanged");
            }
        }
        if (errors.Count > 0)
        {
            return await Editor.AgainAsync(turnContext, snapshot, occurrence, values, errors, cancellationToken).ConfigureAwait(false);
        }
        var recipients = snapshot.AttendeesOf(occurrence).ToList();
        return await SaveAsync(turnContext, snapshot, occurrence, false, newStart, newEnd, occurrence.SubstituteHostId, values["note"], MeetingNotice.Moved, recipients, locale,
            "meetings.occurrence.moved", (_, after) => [snapshot.Series.Name, MeetingText.When(occurrence, locale), MeetingText.When(after, locale), recipients.Count], cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Cancels one occurrence (verb "meetings.cancelOccurrence", with the note as the reason).</summary>
public sealed class CancelOccurrenceAction(OccurrenceEditor editor, IAuthorizationService authorization) : OccurrenceAction(editor, authorization)
{
    public override string Verb => "meetings.cancelOccurrence";

    protected override async Task<CardActionResult> ChangeAsync(ITurnContext turnContext, SeriesSnapshot snapshot, MeetingOccurrence occurrence, JObject data, string locale, CancellationToken cancellationToken)
    {
        var note = CardFields.Field(data, "note");
        if (occurrence.Cancelled)
        {
            return new CardActionResult(Message: Editor.Text.Get(locale, "meetings.errors.cancelledAlready"));
        }
        if (occurrence.End <= Editor.Now)
        {
            return new CardActionResult(Message: Editor.Text.Get(locale, "meetings.errors.alreadyHeld"));
        }
        if (note.Length > OccurrenceEditor.MaxNote)
        {
            var values = new Dictionary<string, string> { ["note"] = note };
            return await Editor.AgainAsync(turnContext, snapshot, occurrence, values, new() { ["note"] = Editor.Text.Get(locale, "meetings.errors.tooLong", OccurrenceEditor.MaxNote) }, cancellationToken).ConfigureAwait(false);
        }
        var recipients = snapshot.AttendeesOf(occurrence).ToList();
        return await SaveAsync(turnContext, snapshot, occurrence, true, null, null, occurrence.SubstituteHostId, note, MeetingNotice.Cancelled, recipients, locale,
            "meetings.occurrence.cancelled", (_, _) => [snapshot.Series.Name, MeetingText.When(occurrence, locale), recipients.Count], cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Names a substitute host for one occurrence (verb "meetings.substitute"; "-" hands it back to the series' host). Both hosts are told.</summary>
public sealed class SubstituteHostAction(OccurrenceEditor editor, IAuthorizationService authorization) : OccurrenceAction(editor, authorization)
{
    public override string Verb => "meetings.substitute";

    protected override async Task<CardActionResult> ChangeAsync(ITurnContext turnContext, SeriesSnapshot snapshot, MeetingOccurrence occurrence, JObject data, string locale, CancellationToken cancellationToken)
    {
        var chosen = CardFields.Field(data, "substitute");
        var note = CardFields.Field(data, "note");
        var values = new Dictionary<string, string> { ["substitute"] = chosen, ["note"] = note };
        var series = snapshot.Series;
        string? substitute = chosen == MeetingForm.NoOne || chosen == series.HostId ? null : chosen;
        var errors = new Dictionary<string, string>();
        if (occurrence.Cancelled)
        {
            errors["substitute"] = Editor.Text.Get(locale, "meetings.errors.cancelledAlready");
        }
        else if (chosen.Length == 0 || (substitute != null && await Editor.People.GetAsync(series.TenantId, substitute, cancellationToken).ConfigureAwait(false) == null))
        {
            errors["substitute"] = Editor.Text.Get(locale, "meetings.errors.unknownPerson");
        }
        else if (substitute == occurrence.SubstituteHostId)
        {
            errors["substitute"] = Editor.Text.Get(locale, "meetings.errors.unchanged");
        }
        if (note.Length > OccurrenceEditor.MaxNote)
        {
            errors["note"] = Editor.Text.Get(locale, "meetings.errors.tooLong", OccurrenceEditor.MaxNote);
        }
        if (errors.Count > 0)
        {
            return await Editor.AgainAsync(turnContext, snapshot, occurrence, values, errors, cancellationToken).ConfigureAwait(false);
        }
        var recipients = new[] { series.HostId, substitute ?? occurrence.SubstituteHostId }.Where(id => id != null).Select(id => id!).Distinct().ToList();
        return await SaveAsync(turnContext, snapshot, occurrence, false, null, null, substitute, note, MeetingNotice.Substitute, recipients, locale,
            "meetings.occurrence.substituted", (fresh, after) => [series.Name, MeetingText.When(after, locale), fresh.NameOf(after.HostId)], cancellationToken).ConfigureAwait(false);
    }
}
