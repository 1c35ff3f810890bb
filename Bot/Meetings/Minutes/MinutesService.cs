using System.Globalization;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Calendar;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.Bot.Meetings.Attendance;
using ChatRegs.Bot.People;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Meetings.Minutes;

/// <summary>One meeting's minutes with everything needed to show or change them.</summary>
public sealed record MinutesContext(SeriesSnapshot Snapshot, MeetingOccurrence Occurrence, MinutesDoc Doc, DateOnly Due, IReadOnlyList<(string Id, string Name)> People)
{
    /// <summary>The series' minutes recipients as people (named groups resolved to their current members).</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    public MeetingSeries Series => Snapshot.Series;

    public string TenantId => Series.TenantId;
}

/// <summary>Per-resource roles of the minutes (besides the meeting roles).</summary>
public static class MinutesRoles
{
    /// <summary>Named in <see cref="MeetingSeries.MinutesRecipients"/> (e.g. the general manager's office).</summary>
    public const string Recipient = "minutesRecipient";

    /// <summary>The person an action item is assigned to.</summary>
    public const string Owner = "actionOwner";
}

/// <summary>
/// The rules of the minutes: which meeting a command is about, who may do what (from the
/// turn's identity), the pre-fill from schedule, roll and agenda, the due date (two Chinese
/// working days after the meeting) and the form's checks.
/// </summary>
public sealed class MinutesService(
    MeetingCache cache,
    MinutesStore store,
    AttendanceService attendance,
    AgendaService agenda,
    WorkingDayCalendar calendar,
    PeopleDirectory people,
    AuthorizationService authorization,
    TeamClock clock,
    IOptions<MinutesOptions> options,
    NamedGroups groups)
{
    public const string ResourceKind = "meetingMinutes";

    // ---- the stored minutes, for the minutes' cards, commands and jobs (the store stays inside) ----

    /// <summary>The submitted versions of one meeting's minutes, oldest first.</summary>
    public Task<IReadOnlyList<MinutesVersion>> VersionsAsync(string tenantId, string occurrenceKey, CancellationToken cancellationToken) =>
        store.VersionsAsync(tenantId, occurrenceKey, cancellationToken);

    /// <summary>Saves the recorder's working copy (still at the ETag read; else "not saved, try again").</summary>
    public async Task<MinutesDoc> SaveDraftAsync(MinutesDoc doc, CancellationToken cancellationToken) =>
        (await store.SaveAsync(doc, cancellationToken).ConfigureAwait(false)).OrThrow();

    /// <summary>Submits a version with its action items and the working copy, all or nothing (else "not saved, try again"); the items as stored.</summary>
    public async Task<IReadOnlyList<ActionItem>> SubmitVersionAsync(MinutesDoc doc, MinutesVersion version, IReadOnlyList<ActionItem> items, CancellationToken cancellationToken) =>
        (await store.SubmitAsync(doc, version, items, cancellationToken).ConfigureAwait(false)).OrThrow();

    public Task<ActionItem?> ItemAsync(string tenantId, string id, CancellationToken cancellationToken) =>
        store.GetItemAsync(tenantId, id, cancellationToken);

    /// <summary>Every action item of the tenant.</summary>
    public Task<IReadOnlyList<ActionItem>> ItemsAsync(string tenantId, CancellationToken cancellationToken) =>
        store.ListItemsAsync(tenantId, cancellationToken);

    /// <summary>An owner reports progress on an action item (still at the ETag read; else "not saved, try again").</summary>
    public async Task<ActionItem> ReportProgressAsync(ActionItem item, CancellationToken cancellationToken) =>
        (await store.SaveItemAsync(item, cancellationToken).ConfigureAwait(false)).OrThrow();

    /// <summary>A reviewer checked a meeting's minutes (else "not saved, try again").</summary>
    public async Task<MinutesReview> RecordReviewAsync(MinutesReview review, CancellationToken cancellationToken) =>
        (await store.SaveReviewAsync(review, cancellationToken).ConfigureAwait(false)).OrThrow();

    /// <summary>The reviewers' checks of the tenant's minutes, by occurrence.</summary>
    public Task<IReadOnlyDictionary<string, MinutesReview>> ReviewsAsync(string tenantId, CancellationToken cancellationToken) =>
        store.ListReviewsAsync(tenantId, cancellationToken);

    /// <summary>Every working copy of the tenant (for the daily sweep).</summary>
    public Task<IReadOnlyList<MinutesDoc>> WorkingCopiesAsync(string tenantId, CancellationToken cancellationToken) =>
        store.ListDocsAsync(tenantId, cancellationToken);

    /// <summary>Marks a reminder as sent; false when it already was (a job run twice sends nothing twice).</summary>
    public async Task<bool> MarkReminderSentAsync(string tenantId, string marker, CancellationToken cancellationToken) =>
        (await store.MarkSentAsync(tenantId, marker, Now, cancellationToken).ConfigureAwait(false)).IsWritten;

    /// <summary>Forgets a reminder's mark (it could not be delivered: the next run tries again).</summary>
    public Task UnmarkReminderAsync(string tenantId, string marker, CancellationToken cancellationToken) =>
        store.UnmarkAsync(tenantId, marker, cancellationToken);

    public MeetingCache Cache => cache;

    public MinutesOptions Options => options.Value;

    public WorkingDayCalendar Calendar => calendar;

    public PeopleDirectory People => people;

    public DateTimeOffset Now => clock.Now;

    /// <summary>The zone of the daily run and of "today" (<see cref="MinutesOptions.TimeZone"/>, else the team's).</summary>
    public TimeZoneInfo TeamZone => clock.ZoneOr(Options.TimeZone);

    /// <summary>Today in <see cref="TeamZone"/>.</summary>
    public DateOnly Today => TodayIn(TeamZone);

    public DateOnly TodayIn(TimeZoneInfo zone) => TeamClock.DateIn(Now, zone);

    /// <summary>Two working days (<see cref="MinutesOptions.DueWorkingDays"/>) after the meeting's local date, on the Chinese calendar (holidays off, 调休 on).</summary>
    public DateOnly DueOf(DateOnly meetingDate) => calendar.AddWorkingDays(meetingDate, Math.Max(0, options.Value.DueWorkingDays));

    public DateOnly DueOf(MeetingOccurrence occurrence) => DueOf(DateOnly.FromDateTime(occurrence.LocalEnd));

    /// <summary>As <see cref="ResourceOf(SeriesSnapshot, MeetingOccurrence, IReadOnlyList{string}?)"/>, with the recipients the context resolved (named groups' members included).</summary>
    public static AuthorizationResource ResourceOf(MinutesContext context) => ResourceOf(context.Snapshot, context.Occurrence, context.Recipients);

    /// <summary>
    /// Host (and that meeting's substitute), recorder, everyone expected, and the minutes'
    /// recipients: <paramref name="recipients"/> as resolved (<see cref="RecipientsAsync"/>), else
    /// the people the series names (its named groups' members are then not among them).
    /// </summary>
    public static AuthorizationResource ResourceOf(SeriesSnapshot snapshot, MeetingOccurrence occurrence, IReadOnlyList<string>? recipients = null)
    {
        var series = snapshot.Series.AsResource(occurrence.SubstituteHostId);
        var roles = new Dictionary<string, IReadOnlyCollection<string>>(series.PeopleByRole)
        {
            [MeetingRoles.Participant] = snapshot.AttendeesOf(occurrence).ToList(),
            [MinutesRoles.Recipient] = (recipients ?? snapshot.Series.MinutesRecipients.Where(r => !r.StartsWith(NamedGroups.Prefix, StringComparison.Ordinal))).ToList(),
        };
        return new AuthorizationResource(ResourceKind, occurrence.Key) { PeopleByRole = roles };
    }

    /// <summary>An action item: its owner, and the host of the meeting it came from (and that meeting's substitute).</summary>
    public static AuthorizationResource ResourceOf(ActionItem item, SeriesSnapshot? snapshot, MeetingOccurrence? occurrence)
    {
        var hosts = new List<string>();
        if (snapshot != null)
        {
            hosts.Add(snapshot.Series.HostId);
        }
        if (occurrence?.SubstituteHostId != null)
        {
            hosts.Add(occurrence.SubstituteHostId);
        }
        return new AuthorizationResource("actionItem", item.Id)
        {
            PeopleByRole = new Dictionary<string, IReadOnlyCollection<string>>
            {
                [MinutesRoles.Owner] = [item.OwnerId],
                [MeetingRoles.Host] = hosts,
            },
        };
    }

    public async Task<bool> MayAsync(ITurnContext turn, string action, AuthorizationResource resource, CancellationToken cancellationToken)
    {
        var actor = await authorization.GetActorAsync(turn, cancellationToken).ConfigureAwait(false);
        return authorization.Decide(actor, action, resource).Allowed;
    }

    public Task<bool> EnsureAsync(ITurnContext turn, string action, AuthorizationResource resource, CancellationToken cancellationToken) =>
        authorization.EnsureAllowedAsync(turn, action, resource, cancellationToken);

    public Task<Person> ActorAsync(ITurnContext turn, CancellationToken cancellationToken) => authorization.GetActorAsync(turn, cancellationToken);

    /// <summary>The registered rules' decision for an actor already worked out.</summary>
    public AuthorizationDecision Decide(Person actor, string action, AuthorizationResource? resource) => authorization.Decide(actor, action, resource);

    /// <summary>The series' latest meeting that has started and was not cancelled, within <see cref="MinutesOptions.LookBackDays"/>.</summary>
    public MeetingOccurrence? LatestOf(SeriesSnapshot snapshot)
    {
        var now = Now;
        return snapshot.Occurrences(now.AddDays(-options.Value.LookBackDays), now.AddDays(1))
            .Where(o => !o.Cancelled && o.Start <= now)
            .OrderByDescending(o => o.Start)
            .FirstOrDefault();
    }

    /// <summary>The meeting held before <paramref name="occurrence"/> (not cancelled), or null.</summary>
    public static MeetingOccurrence? PreviousOf(SeriesSnapshot snapshot, MeetingOccurrence occurrence) =>
        snapshot.Occurrences(occurrence.Start.AddDays(-100), occurrence.Start)
            .Where(o => !o.Cancelled && o.Start < occurrence.Start && o.Key != occurrence.Key)
            .OrderByDescending(o => o.Start)
            .FirstOrDefault();

    /// <summary>The series' minutes recipients as people: those it names and the current members of its named groups.</summary>
    public Task<IReadOnlyList<string>> RecipientsAsync(MeetingSeries series, CancellationToken cancellationToken) =>
        groups.ResolveAsync(series.TenantId, series.MinutesRecipients, cancellationToken);

    /// <summary>
    /// For every series, its latest meeting — or the one held on the date the arguments name
    /// ("2026-11-23", "2026/11/23", "11月23日", "11-23"; any time back) — that the sender may do
    /// <paramref name="action"/> on; narrowed by the rest of the arguments as a name, else by the
    /// conversation. <c>Date</c> is the date named, if any.
    /// </summary>
    public async Task<(IReadOnlyList<AgendaTarget> Targets, bool NameMatchedNothing, DateOnly? Date)> TargetsAsync(ITurnContext turn, string arguments, string action, CancellationToken cancellationToken)
    {
        var tenant = Tenants.Of(turn.Activity) ?? "";
        var actor = await authorization.GetActorAsync(turn, cancellationToken).ConfigureAwait(false);
        var date = TakeDate(ref arguments, Today);
        var targets = new List<AgendaTarget>();
        foreach (var series in await cache.ListAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            var snapshot = await cache.GetAsync(tenant, series.Id, cancellationToken).ConfigureAwait(false);
            var held = snapshot == null ? null : date is { } day ? HeldOn(snapshot, day) : LatestOf(snapshot);
            if (held != null && authorization.Decide(actor, action, ResourceOf(snapshot!, held, await RecipientsAsync(snapshot!.Series, cancellationToken).ConfigureAwait(false))).Allowed)
            {
                targets.Add(new AgendaTarget(snapshot!, held));
            }
        }
        targets = targets.OrderByDescending(t => t.Occurrence.Start).ThenBy(t => t.Snapshot.Series.Name, StringComparer.Ordinal).ToList();
        var name = arguments.Trim();
        if (name.Length > 0)
        {
            var named = targets.Where(t => t.Snapshot.Series.Id.Equals(name, StringComparison.OrdinalIgnoreCase)
                || t.Snapshot.Series.Name.Contains(name, StringComparison.OrdinalIgnoreCase)).ToList();
            return (named, named.Count == 0 && targets.Count > 0, date);
        }
        var here = targets.Where(t => AgendaService.SameConversation(t.Snapshot.Series.ConversationId, turn.Activity.Conversation?.Id)).ToList();
        return (here.Count > 0 ? here : targets, false, date);
    }

    /// <summary>The series' meeting held (started, not cancelled) on that local day, if any.</summary>
    public MeetingOccurrence? HeldOn(SeriesSnapshot snapshot, DateOnly day)
    {
        var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-1);
        return snapshot.Occurrences(from, from.AddDays(3))
            .Where(o => !o.Cancelled && o.Start <= Now && DateOnly.FromDateTime(o.LocalStart) == day)
            .OrderByDescending(o => o.Start)
            .FirstOrDefault();
    }

    private static readonly System.Text.RegularExpressions.Regex FullDate = new(@"(?<![0-9])([0-9]{4})[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?(?![0-9])");
    private static readonly System.Text.RegularExpressions.Regex MonthDay = new(@"(?<![0-9/.-])([0-9]{1,2})(?:月|[-/.])([0-9]{1,2})日?(?![0-9/.-])");

    /// <summary>Takes a date out of the arguments (a month and day without a year is the latest such day up to today); null when none or not a real day.</summary>
    public static DateOnly? TakeDate(ref string arguments, DateOnly today)
    {
        // Text that looks like a date but is not a real day stays in the arguments (read as a name).
        // Matched in the folded text (full-width and other scripts' digits read as 0–9); the
        // fold keeps every position, so what is removed is removed from the text as typed.
        var folded = TypedDigits.Fold(arguments);
        var full = FullDate.Match(folded);
        if (full.Success && Day(int.Parse(full.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(full.Groups[2].Value, CultureInfo.InvariantCulture), int.Parse(full.Groups[3].Value, CultureInfo.InvariantCulture)) is { } named)
        {
            arguments = arguments.Remove(full.Index, full.Length);
            return named;
        }
        var short_ = MonthDay.Match(folded);
        if (!full.Success && short_.Success)
        {
            int month = int.Parse(short_.Groups[1].Value, CultureInfo.InvariantCulture), dayOfMonth = int.Parse(short_.Groups[2].Value, CultureInfo.InvariantCulture);
            var thisYear = Day(today.Year, month, dayOfMonth);
            var day = thisYear is { } d && d > today ? Day(today.Year - 1, month, dayOfMonth) : thisYear;
            if (day != null)
            {
                arguments = arguments.Remove(short_.Index, short_.Length);
            }
            return day;
        }
        return null;

        static DateOnly? Day(int y, int m, int d) => m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(Math.Clamp(y, 1, 9999), m) && y is >= 2000 and <= 2100 ? new DateOnly(y, m, d) : (DateOnly?)null;
    }

    /// <summary>The minutes of an occurrence: the saved working copy, else a new one pre-filled from schedule, roll and agenda (not saved). Null when there is no such meeting.</summary>
    public async Task<MinutesContext?> LoadAsync(string tenantId, string occurrenceKey, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(occurrenceKey))
        {
            return null;
        }
        var (snapshot, occurrence) = await cache.GetOccurrenceAsync(tenantId, occurrenceKey, cancellationToken).ConfigureAwait(false);
        if (snapshot == null || occurrence == null || occurrence.Cancelled)
        {
            return null;
        }
        var doc = await store.GetAsync(tenantId, occurrence.Key, cancellationToken).ConfigureAwait(false)
            ?? new MinutesDoc { TenantId = tenantId, OccurrenceKey = occurrence.Key, SeriesId = snapshot.Series.Id, Content = await PrefillAsync(snapshot, occurrence, cancellationToken).ConfigureAwait(false) };
        if (!doc.Submitted)
        {
            // Who attended comes from the roll as it stands (corrections included) until the minutes are submitted.
            doc = doc with { Content = await WithRollAsync(doc.Content, snapshot, occurrence, cancellationToken).ConfigureAwait(false) };
        }
        var directory = (await people.ListAsync(tenantId, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.UserId, p => p.Name);
        var attendees = snapshot.AttendeesOf(occurrence)
            .Select(id => (Id: id, Name: directory.TryGetValue(id, out var n) && n.Length > 0 ? n : snapshot.NameOf(id)))
            .OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        return new MinutesContext(snapshot, occurrence, doc, DueOf(occurrence), attendees)
        {
            Recipients = await RecipientsAsync(snapshot.Series, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>The minutes as the schedule, Teams' meeting events, the roll and the agenda make them: date, start and end (when Teams said the meeting started and ended, else as scheduled), host (the substitute if named), recorder, attendees and absentees (leave marked), and the agenda's topics.</summary>
    public async Task<MinutesContent> PrefillAsync(SeriesSnapshot snapshot, MeetingOccurrence occurrence, CancellationToken cancellationToken)
    {
        var content = new MinutesContent
        {
            Date = occurrence.LocalStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Start = occurrence.LocalStart.ToString("HH:mm", CultureInfo.InvariantCulture),
            End = occurrence.LocalEnd.ToString("HH:mm", CultureInfo.InvariantCulture),
        };
        var agendaContext = await agenda.LoadAsync(snapshot.Series.TenantId, occurrence.Key, cancellationToken).ConfigureAwait(false);
        var topics = (agendaContext?.State.Items ?? []).Select((t, i) => new MinutesTopic { Id = "t" + i.ToString(CultureInfo.InvariantCulture), Title = t.Title, FromAgenda = true }).ToList();
        return await WithRollAsync(content with { Topics = topics }, snapshot, occurrence, cancellationToken, times: true).ConfigureAwait(false);
    }

    /// <summary>Host, recorder, attendees and absentees from the roll; with <paramref name="times"/>, also the start and end Teams reported (meetingStart, meetingEnd), to the minute.</summary>
    private async Task<MinutesContent> WithRollAsync(MinutesContent content, SeriesSnapshot snapshot, MeetingOccurrence occurrence, CancellationToken cancellationToken, bool times = false)
    {
        var roll = await attendance.GetRollAsync(snapshot.Series.TenantId, occurrence.Key, cancellationToken).ConfigureAwait(false);
        if (times && roll?.StartedAt is { } started)
        {
            content = content with { Start = MeetingText.Time(started, snapshot.Series) };
        }
        if (times && roll?.EndedAt is { } ended)
        {
            content = content with { End = MeetingText.Time(ended, snapshot.Series) };
        }
        var hostName = await NameAsync(snapshot, occurrence.HostId, cancellationToken).ConfigureAwait(false);
        var recorderId = snapshot.Series.RecorderId ?? "";
        var recorderName = recorderId.Length == 0 ? "" : await NameAsync(snapshot, recorderId, cancellationToken).ConfigureAwait(false);
        return content with
        {
            HostId = occurrence.HostId,
            HostName = hostName,
            SubstituteHost = occurrence.SubstituteHostId != null,
            RecorderId = recorderId,
            RecorderName = recorderName,
            Attendees = roll?.Present.Select(e => new MinutesPerson(e.UserId, e.Name, e.Status.ToString())).ToList() ?? [],
            Absentees = roll?.Missing.Select(e => new MinutesPerson(e.UserId, e.Name, e.Status.ToString())).ToList() ?? [],
        };
    }

    public async Task<string> NameAsync(SeriesSnapshot snapshot, string userId, CancellationToken cancellationToken)
    {
        var person = await people.GetAsync(snapshot.Series.TenantId, userId, cancellationToken).ConfigureAwait(false);
        return person is { Name.Length: > 0 } ? person.Name : snapshot.NameOf(userId);
    }

    // ---- the form ----

    /// <summary>The topic slots the form shows: the minutes' topics and one empty slot for another topic.</summary>
    public static IReadOnlyList<MinutesTopic> TopicSlots(MinutesContent content)
    {
        var slots = new List<MinutesTopic>(content.Topics);
        var n = 0;
        while (slots.Any(t => t.Id == "x" + n.ToString(CultureInfo.InvariantCulture)))
        {
            n++;
        }
        slots.Add(new MinutesTopic { Id = "x" + n.ToString(CultureInfo.InvariantCulture) });
        return slots;
    }

    /// <summary>The decision rows the form shows: the minutes' decisions and empty rows.</summary>
    public IReadOnlyList<MinutesDecision> DecisionSlots(MinutesContent content)
    {
        var slots = new List<MinutesDecision>(content.Decisions);
        for (var i = 0; i < options.Value.EmptyDecisionRows && slots.Count < options.Value.MaxDecisions; i++)
        {
            slots.Add(new MinutesDecision());
        }
        return slots;
    }

    /// <summary>
    /// Reads a submitted form into the minutes, keeping every value as typed, and checks it:
    /// input id → string-table key under "minutes.errors". With <paramref name="complete"/>
    /// (submission) every required field must be filled; a draft only gets the format checks.
    /// </summary>
    /// <summary>The form's maxLength for a topic added in the meeting.</summary>
    public const int MaxTopicTitle = 80;

    /// <summary>The form's maxLength for a decision.</summary>
    public const int MaxDecisionDescription = 500;

    public (MinutesContent Content, Dictionary<string, string> Errors) Read(MinutesContext context, IReadOnlyDictionary<string, string> values, bool complete)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var before = context.Doc.Content;
        string Raw(string id) => (values.TryGetValue(id, out var v) ? v ?? "" : "").Trim();
        // Every field is read up to its cap (the form's maxLength; pickers and choices a short
        // line): a longer value is cut, and the field is marked "tooLong" under the id it is
        // shown with again (decision rows are renumbered as kept), so nothing over a cap is saved.
        var over = new List<string>();
        string V(string id, int cap = Dialogs.InputLimits.Short)
        {
            var v = Raw(id);
            if (v.Length <= cap)
            {
                return v;
            }
            over.Add(id);
            return Dialogs.InputLimits.Truncate(v, cap);
        }
        var textCap = options.Value.MaxTextLength;

        var date = V("date");
        var start = V("start");
        var end = V("end");
        var dateOk = DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
        var startOk = TryTime(start, out var s);
        var endOk = TryTime(end, out var e);
        if (date.Length == 0) { if (complete) errors["date"] = "required"; }
        else if (!dateOk) errors["date"] = "badDate";
        if (start.Length == 0) { if (complete) errors["start"] = "required"; }
        else if (!startOk) errors["start"] = "badTime";
        if (end.Length == 0) { if (complete) errors["end"] = "required"; }
        else if (!endOk) errors["end"] = "badTime";
        if (startOk && endOk && e <= s) errors["end"] = "endBeforeStart";

        var topics = new List<MinutesTopic>();
        foreach (var slot in TopicSlots(before))
        {
            var title = slot.FromAgenda ? slot.Title : V("title_" + slot.Id, MaxTopicTitle);
            var topic = slot with { Title = title, Discussion = V("discussion_" + slot.Id, textCap), Outcome = V("outcome_" + slot.Id, textCap) };
            if (!slot.FromAgenda && title.Length == 0 && topic.Discussion.Length == 0 && topic.Outcome.Length == 0)
            {
                continue;
            }
            topics.Add(topic);
            if (complete)
            {
                if (!slot.FromAgenda && title.Length == 0) errors["title_" + slot.Id] = "required";
                if (topic.Discussion.Length == 0) errors["discussion_" + slot.Id] = "required";
                if (topic.Outcome.Length == 0) errors["outcome_" + slot.Id] = "required";
            }
        }
        if (complete && topics.Count == 0)
        {
            var first = TopicSlots(before)[0];
            errors["title_" + first.Id] = "noTopics";
        }

        var participants = context.People.ToDictionary(p => p.Id, p => p.Name);
        var today = TodayIn(context.Series.Zone);
        var decisions = new List<MinutesDecision>();
        var slots = DecisionSlots(before);
        for (var i = 0; i < slots.Count; i++)
        {
            var input = i.ToString(CultureInfo.InvariantCulture);
            var owner = V("owner_" + input);
            var d = slots[i] with
            {
                Description = V("desc_" + input, MaxDecisionDescription),
                OwnerId = owner,
                OwnerName = participants.TryGetValue(owner, out var name) ? name : "",
                Due = V("due_" + input),
            };
            if (d.IsEmpty)
            {
                continue;
            }
            decisions.Add(d);
            // Errors name the row as the form is shown again: the kept rows first, in order.
            var n = (decisions.Count - 1).ToString(CultureInfo.InvariantCulture);
            if (complete && d.Description.Length == 0) errors["desc_" + n] = "required";
            if (owner.Length == 0) { if (complete) errors["owner_" + n] = "required"; }
            else if (!participants.ContainsKey(owner)) errors["owner_" + n] = "notParticipant";
            if (d.Due.Length == 0) { if (complete) errors["due_" + n] = "required"; }
            else if (!DateOnly.TryParseExact(d.Due, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var due)) errors["due_" + n] = "badDate";
            else if (due < today && !(slots[i].ItemId != null && slots[i].Due == d.Due)) errors["due_" + n] = "duePast";
            // Over its cap is what the person is told about that field (before its format).
            foreach (var field in new[] { "desc_", "owner_", "due_" }.Where(f => over.Remove(f + input)))
            {
                errors[field + n] = "tooLong";
            }
        }

        foreach (var id in over.Where(id => !id.StartsWith("desc_", StringComparison.Ordinal) && !id.StartsWith("owner_", StringComparison.Ordinal) && !id.StartsWith("due_", StringComparison.Ordinal)))
        {
            errors[id] = "tooLong";
        }

        var content = before with { Date = date, Start = start, End = end, Topics = topics, Decisions = decisions };
        if (MinutesStore.ContentJsonLength(content) > MinutesStore.MaxContentJsonChars)
        {
            // Every field is within its own cap, but all of them together would not fit one
            // record: the longest discussion record is marked, and nothing is lost (the form keeps it).
            var longest = topics.OrderByDescending(t => t.Discussion.Length + t.Outcome.Length).FirstOrDefault();
            errors[longest == null ? "title_" + TopicSlots(before)[0].Id : (longest.Discussion.Length >= longest.Outcome.Length ? "discussion_" : "outcome_") + longest.Id] = "tooLongTotal";
        }
        return (content, errors);
    }

    private static bool TryTime(string text, out TimeOnly t) =>
        TimeOnly.TryParseExact(text, ["H:mm", "HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out t);
}
