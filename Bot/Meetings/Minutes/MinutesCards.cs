using System.Globalization;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Meetings.Agenda;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.Meetings.Minutes;

/// <summary>
/// The minutes cards (templates in Cards/): MinutesForm (the recorder's form), Minutes (the
/// submitted minutes, a version of them), ActionItem (one decision, with the owner's update
/// inputs) and ActionItemList (待办 / 督办).
/// </summary>
public sealed class MinutesCards(ICardFactory cards, Localizer localizer, AgendaCards agendaCards)
{
    private string L(string locale, string key, params object?[] args) => localizer.Get(locale, "minutes." + key, args);

    public string Sep(string locale) => MeetingText.IsEnglish(locale) ? ", " : "、";

    /// <summary>"2026-11-30" → "11月30日 周一" / "Mon 30 Nov".</summary>
    public static string Day(DateOnly date, string locale) => MeetingText.Date(date.ToDateTime(TimeOnly.MinValue), locale);

    public static string Day(string date, string locale) =>
        DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? Day(d, locale) : date;

    /// <summary>
    /// The layout a form was built on: the version, the topic slots and the decision rows — for
    /// minutes never saved too (version 0, the pre-filled topics), so that a first form is still
    /// current after its own first press saved the draft with the same rows. A form whose layout
    /// no longer matches the minutes (an older card, after rows were added or removed on a newer
    /// one) is refused rather than applied to the wrong rows.
    /// </summary>
    public static string RevisionOf(MinutesDoc doc) =>
        doc.Version.ToString(CultureInfo.InvariantCulture) + "|" + string.Join(",", doc.Content.Topics.Select(t => t.Id)) + "|"
        + string.Join(",", doc.Content.Decisions.Select(d => d.ItemId ?? "-"));

    /// <summary>
    /// Whether a form's revision is the minutes' current layout. A first form posted before
    /// revisions were given to unsaved minutes carries "": still current while nothing is saved.
    /// </summary>
    public static bool IsCurrent(string rev, MinutesDoc doc) => rev == RevisionOf(doc) || (rev.Length == 0 && doc.ETag == null);

    public string StatusText(string locale, ActionItemStatus status) => L(locale, "itemStatus." + status);

    private string Attendance(string locale, string status) =>
        Enum.TryParse<AttendanceStatus>(status, out var s) ? MeetingText.Status(localizer, locale, s) : status;

    public string HostText(string locale, MinutesContent c) =>
        c.HostName.Length == 0 ? "—" : c.SubstituteHost ? L(locale, "form.substituteHost", c.HostName) : c.HostName;

    public string AttendeesText(string locale, MinutesContent c) =>
        c.Attendees.Count == 0 ? "—" : string.Join(Sep(locale), c.Attendees.Select(p => p.Name));

    /// <summary>Absentees with why: "李娜（请假）、王小明（缺席）".</summary>
    public string AbsenteesText(string locale, MinutesContent c) =>
        c.Absentees.Count == 0 ? "—" : string.Join(Sep(locale), c.Absentees.Select(p => L(locale, "form.absentee", p.Name, Attendance(locale, p.Status))));

    /// <summary>The meeting's time as the minutes record it ((三)五.3: 年、月、日、时、分): "2026年11月30日 周一 08:30–09:30".</summary>
    public string TimeText(string locale, MinutesContent c) =>
        (DateOnly.TryParseExact(c.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? MeetingText.DateWithYear(d.ToDateTime(TimeOnly.MinValue), locale)
            : c.Date) + $" {c.Start}–{c.End}";

    // ---- the form ----

    public Attachment Form(MinutesContext context, MinutesService service, string locale, MinutesContent? shown = null, IReadOnlyDictionary<string, string>? errors = null, string? message = null, bool warning = false)
    {
        var content = shown ?? context.Doc.Content;
        var series = context.Series;
        var err = errors ?? new Dictionary<string, string>();
        string E(string id) => err.TryGetValue(id, out var k) ? L(locale, "errors." + k) : "";
        var data = new JsonObject
        {
            ["occurrence"] = context.Occurrence.Key,
            ["rev"] = RevisionOf(context.Doc),
            ["name"] = series.Name,
            ["when"] = MeetingText.When(context.Occurrence, locale, withYear: true),
            ["host"] = HostText(locale, content),
            ["recorder"] = content.RecorderName.Length > 0 ? content.RecorderName : "—",
            ["attendees"] = AttendeesText(locale, content),
            ["absentees"] = AbsenteesText(locale, content),
            ["due"] = Day(context.Due, locale),
            ["status"] = context.Doc.Submitted
                ? L(locale, "form.editing", context.Doc.Version, context.Doc.Version + 1)
                : context.Doc.ETag == null ? L(locale, "form.new") : L(locale, "form.draft", AgendaCards.At(context.Doc.SavedAt, series, locale)),
            ["message"] = message ?? "",
            ["messageColor"] = warning ? "Attention" : "Good",
            ["submitLabel"] = context.Doc.Submitted ? L(locale, "form.submitVersion", context.Doc.Version + 1) : L(locale, "form.submit"),
        };
        var values = new JsonObject { ["date"] = content.Date, ["start"] = content.Start, ["end"] = content.End };
        var errs = new JsonObject();
        foreach (var id in new[] { "date", "start", "end" })
        {
            if (E(id) is { Length: > 0 } m)
            {
                errs[id] = m;
            }
        }
        data["values"] = values;
        data["errors"] = errs;

        var topics = new JsonArray();
        var slots = MinutesService.TopicSlots(content);
        for (var i = 0; i < slots.Count; i++)
        {
            var t = slots[i];
            topics.Add(new JsonObject
            {
                ["number"] = (i + 1).ToString(CultureInfo.InvariantCulture) + ".",
                ["title"] = t.Title,
                ["fromAgenda"] = t.FromAgenda,
                // Submitting needs at least one topic: a slot is optional only when another one is there already.
                ["label"] = L(locale, slots.Where((s, j) => j != i).Any(s => s.FromAgenda || s.Title.Length > 0) ? "form.otherTopic" : "form.firstTopic", i + 1),
                ["titleId"] = "title_" + t.Id,
                ["discussionId"] = "discussion_" + t.Id,
                ["outcomeId"] = "outcome_" + t.Id,
                ["discussion"] = t.Discussion,
                ["outcome"] = t.Outcome,
                ["titleError"] = E("title_" + t.Id),
                ["discussionError"] = E("discussion_" + t.Id),
                ["outcomeError"] = E("outcome_" + t.Id),
            });
        }
        data["topics"] = topics;

        var decisions = new JsonArray();
        var rows = service.DecisionSlots(content);
        for (var i = 0; i < rows.Count; i++)
        {
            var d = rows[i];
            var n = i.ToString(CultureInfo.InvariantCulture);
            decisions.Add(new JsonObject
            {
                ["label"] = L(locale, "form.decision", i + 1),
                ["descId"] = "desc_" + n,
                ["ownerId"] = "owner_" + n,
                ["dueId"] = "due_" + n,
                ["description"] = d.Description,
                ["owner"] = d.OwnerId,
                ["due"] = d.Due,
                ["descError"] = E("desc_" + n),
                ["ownerError"] = E("owner_" + n),
                ["dueError"] = E("due_" + n),
            });
        }
        data["decisions"] = decisions;
        data["people"] = new JsonArray(context.People.Select(p => (JsonNode)new JsonObject { ["title"] = p.Name, ["value"] = p.Id }).ToArray());
        return cards.Create("MinutesForm", data, locale);
    }

    // ---- the minutes ----

    public Attachment View(MinutesContext context, MinutesVersion version, int latest, string locale, bool canEdit, string? note = null)
    {
        var c = version.Content;
        var data = new JsonObject
        {
            ["occurrence"] = context.Occurrence.Key,
            ["name"] = context.Series.Name,
            ["version"] = version.Number,
            ["versionLine"] = L(locale, "view.version", version.Number, version.ByName.Length > 0 ? version.ByName : version.ById, AgendaCards.At(version.At, context.Series, locale))
                + (version.Number < latest ? L(locale, "view.notLatest", latest) : ""),
            ["note"] = note ?? "",
            ["time"] = TimeText(locale, c),
            ["host"] = HostText(locale, c),
            ["recorder"] = c.RecorderName.Length > 0 ? c.RecorderName : "—",
            ["attendees"] = AttendeesText(locale, c),
            ["absentees"] = AbsenteesText(locale, c),
            ["topics"] = new JsonArray(c.Topics.Select((t, i) => (JsonNode)new JsonObject
            {
                ["number"] = (i + 1).ToString(CultureInfo.InvariantCulture) + ".",
                ["title"] = t.Title,
                ["discussion"] = L(locale, "view.discussion", t.Discussion),
                ["outcome"] = L(locale, "view.outcome", t.Outcome),
            }).ToArray()),
            ["decisions"] = new JsonArray(c.Decisions.Select((d, i) => (JsonNode)new JsonObject
            {
                ["text"] = L(locale, "view.decision", i + 1, d.Description, d.OwnerName.Length > 0 ? d.OwnerName : d.OwnerId, Day(d.Due, locale)),
            }).ToArray()),
            ["hasDecisions"] = c.Decisions.Count > 0,
            ["canEdit"] = canEdit,
            ["earlier"] = new JsonArray(Enumerable.Range(1, Math.Max(0, latest)).Where(n => n != version.Number).Select(n => (JsonNode)new JsonObject
            {
                ["title"] = L(locale, "view.showVersion", n),
                ["number"] = n,
            }).ToArray()),
        };
        return cards.Create("Minutes", data, locale);
    }

    // ---- action items ----

    /// <summary>"周工作例会 · 11月30日 周一": the meeting an item came from.</summary>
    public string MeetingOf(ActionItem item, string locale) => $"{item.MeetingName} · {Day(item.MeetingDate, locale)}";

    public Attachment Item(ActionItem item, string locale, DateOnly today, bool canUpdate, IReadOnlyDictionary<string, string>? errors = null, (string Status, string Note)? values = null, string? message = null, bool warning = false)
    {
        var errs = new JsonObject();
        foreach (var (k, v) in errors ?? new Dictionary<string, string>())
        {
            errs[k] = L(locale, "errors." + v);
        }
        var data = new JsonObject
        {
            ["item"] = item.Id,
            ["description"] = item.Description,
            ["meeting"] = MeetingOf(item, locale),
            ["owner"] = item.OwnerName.Length > 0 ? item.OwnerName : item.OwnerId,
            ["due"] = Day(item.Due, locale),
            ["status"] = StatusText(locale, item.Status) + (item.Note.Length > 0 ? L(locale, "item.withNote", item.Note) : ""),
            ["overdue"] = item.IsOverdue(today),
            ["history"] = new JsonArray(item.History.AsEnumerable().Reverse().Take(6).Select(h => (JsonNode)new JsonObject
            {
                ["text"] = L(locale, "item.historyLine", h.At.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), h.ByName.Length > 0 ? h.ByName : h.ById,
                    StatusText(locale, h.Status), h.MinutesVersion > 0 ? L(locale, h.Removed ? "item.removedInVersion" : "item.changedInVersion", h.MinutesVersion) : h.Note.Length > 0 ? h.Note : "—"),
            }).ToArray()),
            ["hasHistory"] = item.History.Count > 0,
            ["canUpdate"] = canUpdate && item.IsOpen,
            ["values"] = new JsonObject { ["status"] = values?.Status ?? "", ["note"] = values?.Note ?? "" },
            ["errors"] = errs,
            ["message"] = message ?? "",
            ["messageColor"] = warning ? "Attention" : "Good",
        };
        return cards.Create("ActionItem", data, locale);
    }

    public Attachment List(string heading, string summary, string empty, IEnumerable<ActionItem> items, string locale, DateOnly today, bool showOwner)
    {
        var list = items.ToList();
        var data = new JsonObject
        {
            ["heading"] = heading,
            ["summary"] = summary,
            ["empty"] = empty,
            ["isEmpty"] = list.Count == 0,
            ["items"] = new JsonArray(list.Select(i => (JsonNode)new JsonObject
            {
                ["item"] = i.Id,
                ["description"] = i.Description,
                ["detail"] = showOwner
                    ? L(locale, "list.detailWithOwner", MeetingOf(i, locale), i.OwnerName.Length > 0 ? i.OwnerName : i.OwnerId, Day(i.Due, locale))
                    : L(locale, "list.detail", MeetingOf(i, locale), Day(i.Due, locale)),
                ["status"] = StatusText(locale, i.Status) + (i.IsOverdue(today) ? L(locale, "list.overdue", today.DayNumber - i.Due.DayNumber) : "")
                    + (i.Note.Length > 0 ? L(locale, "item.withNote", AgendaCards.Short(i.Note, 120)) : ""),
                ["overdue"] = i.IsOverdue(today),
            }).ToArray()),
        };
        return cards.Create("ActionItemList", data, locale);
    }

    public Attachment Chooser(IReadOnlyList<AgendaTarget> targets, string locale) =>
        agendaCards.Chooser(targets, locale, L(locale, "chooser.prompt"), MinutesActions.OpenVerb, L(locale, "chooser.button"));
}
