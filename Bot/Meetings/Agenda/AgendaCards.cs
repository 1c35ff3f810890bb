using System.Globalization;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Localization;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.Meetings.Agenda;

/// <summary>What the topic form shows in its inputs (the last submission, kept when it is refused).</summary>
public sealed record TopicValues(string Title, string Presenter, string Material, int Minutes)
{
    /// <summary>The chosen item of the fixed order of business ("0", "1"…), empty when the series has none.</summary>
    public string Section { get; init; } = "";
}

/// <summary>
/// The agenda cards' data (templates in Cards/): TopicForm (submit a topic), TopicReceipt
/// (what was filed), AgendaReview (the host's list with accept/reject/reorder), Agenda (the
/// card posted to the meeting's conversation, and what participants see) and AgendaChooser
/// (which meeting, when a command fits several).
/// </summary>
public sealed class AgendaCards(ICardFactory cards, Localizer localizer)
{
    public const int MaterialOnCards = 300;

    private string L(string locale, string key, params object?[] args) => localizer.Get(locale, "agenda." + key, args);

    /// <summary>"11月27日 周五 17:00" / "Fri 27 Nov 17:00" in the series' time zone.</summary>
    public static string At(DateTimeOffset instant, MeetingSeries series, string locale) =>
        MeetingText.Date(MeetingText.Local(instant, series), locale) + " " + MeetingText.Time(instant, series);

    public string Minutes(string locale, int minutes) => L(locale, "minutes", minutes);

    public static string Short(string text, int max = MaterialOnCards)
    {
        var t = text.Trim();
        return t.Length <= max ? t : t[..max].TrimEnd() + "…";
    }

    /// <summary>
    /// The largest number of minutes one topic may ask for: the meeting's length. The speaking
    /// limit (例会制度(二) 六(一): 每人发言时间控制在5分钟以内) is per speaker, not per topic.
    /// </summary>
    public static int LimitOf(AgendaContext context) => Math.Max(1, context.SlotMinutes);

    /// <summary>What a new topic form starts with: one speaker's limit (never more than the meeting).</summary>
    public static int SuggestedMinutes(AgendaContext context) => Math.Max(1, Math.Min(context.Series.SpeakingLimitMinutes, LimitOf(context)));

    /// <summary>Until when topics are taken, as people read it: "when the host posts the agenda (at the latest …)" while that is the cutoff and nothing is posted yet, else the time.</summary>
    public string Due(AgendaContext context, string locale) =>
        context.Series.TopicCutoff == TopicCutoffs.AgendaPosted && context.State.Post == null
            ? L(locale, "untilPosted", At(context.Deadline, context.Series, locale))
            : At(context.Deadline, context.Series, locale);

    private JsonObject Meeting(AgendaContext context, string locale)
    {
        var series = context.Series;
        return new JsonObject
        {
            ["occurrence"] = context.Occurrence.Key,
            ["name"] = series.Name,
            ["when"] = MeetingText.When(context.Occurrence, locale),
            ["location"] = series.Location.Length > 0 ? series.Location : "—",
            ["recorder"] = series.RecorderId == null ? "—" : context.Snapshot.NameOf(series.RecorderId),
            ["deadline"] = Due(context, locale),
        };
    }

    private string HostName(AgendaContext context, string locale) =>
        context.Occurrence.SubstituteHostId == null
            ? context.Snapshot.NameOf(context.Occurrence.HostId)
            : L(locale, "card.substituteHost", context.Snapshot.NameOf(context.Occurrence.HostId));

    private string TotalLine(AgendaContext context, string locale)
    {
        var total = context.TotalMinutes;
        var slot = context.SlotMinutes;
        return total > slot
            ? L(locale, "card.totalOver", context.State.Items.Count, total, slot, total - slot)
            : L(locale, "card.total", context.State.Items.Count, total, slot, slot - total);
    }

    // ---- topic form ----

    public Attachment TopicForm(AgendaContext context, string locale, IReadOnlyList<(string Id, string Name)> people, string formId, TopicValues values,
        bool late, IReadOnlyDictionary<string, string>? errors = null, string? message = null)
    {
        var limit = LimitOf(context);
        var choices = new JsonArray();
        foreach (var (id, name) in people)
        {
            choices.Add(new JsonObject { ["title"] = name, ["value"] = id });
        }
        var data = Meeting(context, locale);
        data["formId"] = formId;
        data["limit"] = limit;
        data["minutesLabel"] = L(locale, "form.minutesLabel", limit, context.Series.SpeakingLimitMinutes);
        data["intro"] = late
            ? L(locale, "form.lateIntro", At(context.Deadline, context.Series, locale))
            : L(locale, "form.intro", Due(context, locale), context.Series.SpeakingLimitMinutes);
        data["late"] = late;
        data["people"] = choices;
        var sections = context.Sections;
        data["hasSections"] = sections.Count > 0;
        data["sections"] = new JsonArray(sections.Select((s, i) => (JsonNode)new JsonObject { ["title"] = s.In(locale), ["value"] = i.ToString(CultureInfo.InvariantCulture) }).ToArray());
        data["message"] = message ?? "";
        data["values"] = new JsonObject
        {
            ["title"] = values.Title,
            ["presenter"] = values.Presenter,
            ["material"] = values.Material,
            ["minutes"] = values.Minutes,
            ["section"] = values.Section.Length > 0 || sections.Count == 0 ? values.Section : (sections.Count - 1).ToString(CultureInfo.InvariantCulture),
        };
        data["errors"] = CardData.Errors(errors);
        return cards.Create("TopicForm", data, locale);
    }


    // ---- receipt ----

    public Attachment TopicReceipt(AgendaContext context, Topic topic, string locale, string message)
    {
        var data = Meeting(context, locale);
        data["message"] = message;
        data["title"] = topic.Title;
        data["presenter"] = topic.PresenterName.Length > 0 ? topic.PresenterName : topic.PresenterId;
        data["minutes"] = Minutes(locale, topic.Minutes);
        data["material"] = Short(topic.Material);
        data["status"] = StatusText(locale, topic);
        data["late"] = topic.Late;
        return cards.Create("TopicReceipt", data, locale);
    }

    public string StatusText(string locale, Topic topic)
    {
        var status = L(locale, "status." + char.ToLowerInvariant(topic.Status.ToString()[0]) + topic.Status.ToString()[1..]);
        return topic.Late ? status + L(locale, "status.lateSuffix") : status;
    }

    // ---- the host's review ----

    public Attachment Review(AgendaContext context, string locale, DateTimeOffset now, string? message = null, bool messageIsWarning = false)
    {
        var series = context.Series;
        var data = Meeting(context, locale);
        data["host"] = HostName(context, locale);
        data["collecting"] = now < context.Deadline
            ? L(locale, "review.collecting", Due(context, locale))
            : L(locale, "review.closed", At(context.Deadline, series, locale));
        data["message"] = message ?? "";
        data["messageColor"] = messageIsWarning ? "Attention" : "Good";

        var items = context.State.Items;
        var accepted = new JsonArray();
        for (var i = 0; i < items.Count; i++)
        {
            var line = Line(locale, items[i], (i + 1).ToString(CultureInfo.InvariantCulture) + ".", context.Sections);
            line["canUp"] = i > 0;
            line["canDown"] = i < items.Count - 1;
            accepted.Add(line);
        }
        var pending = new JsonArray(context.State.With(TopicStatus.Pending).Select(t => (JsonNode)Line(locale, t, "•", context.Sections)).ToArray());
        var rejected = new JsonArray(context.State.With(TopicStatus.Rejected).Select(t => (JsonNode)Line(locale, t, "×", context.Sections)).ToArray());
        data["accepted"] = accepted;
        data["pending"] = pending;
        data["rejected"] = rejected;
        data["hasAccepted"] = accepted.Count > 0;
        data["hasPending"] = pending.Count > 0;
        data["hasRejected"] = rejected.Count > 0;
        data["isEmpty"] = context.State.Topics.Count == 0;
        data["total"] = TotalLine(context, locale);
        data["over"] = context.TotalMinutes > context.SlotMinutes;

        var post = context.State.Post;
        string postState;
        var postOutdated = false;
        if (post == null)
        {
            postState = L(locale, "review.notPosted");
        }
        else if (post.Fingerprint != AgendaService.Fingerprint(context))
        {
            postState = L(locale, "review.postedOutdated", At(post.PostedAt, series, locale), post.Revision);
            postOutdated = true;
        }
        else
        {
            postState = L(locale, "review.posted", At(post.PostedAt, series, locale), post.Revision);
        }
        data["postState"] = postState;
        data["postOutdated"] = postOutdated;
        data["postButton"] = L(locale, post == null ? "review.post" : "review.repost");
        data["ended"] = context.Occurrence.End <= now;
        return cards.Create("AgendaReview", data, locale);
    }

    private JsonObject Line(string locale, Topic t, string number, IReadOnlyList<ChatRegs.Bot.Meetings.Series.OrderItem> sections)
    {
        var by = t.SubmittedById == t.PresenterId
            ? ""
            : L(locale, "review.submittedBy", t.SubmittedByName.Length > 0 ? t.SubmittedByName : t.SubmittedById);
        if (t.Section >= 0 && t.Section < sections.Count)
        {
            by += L(locale, "review.inSection", sections[t.Section].In(locale));
        }
        return new JsonObject
        {
            ["topic"] = t.Id,
            ["number"] = number,
            ["title"] = t.Title,
            ["detail"] = L(locale, "review.detail", t.PresenterName.Length > 0 ? t.PresenterName : t.PresenterId, Minutes(locale, t.Minutes)) + by,
            ["material"] = Short(t.Material),
            ["late"] = t.Late,
            ["canUp"] = false,
            ["canDown"] = false,
        };
    }

    // ---- the agenda (posted to the meeting's conversation; what participants see) ----

    /// <param name="revision">Shown as "updated" when above 1.</param>
    /// <param name="mine">The reader's own topics with their status (the participants' view); null on the posted card.</param>
    /// <summary>Teams refreshes a card automatically for at most 60 users (<c>refresh.userIds</c>).</summary>
    public const int MaxRefreshUsers = 60;

    public Attachment Agenda(AgendaContext context, string locale, DateTimeOffset now, int revision, bool posted, IReadOnlyList<Topic>? mine = null, bool canManage = false)
    {
        var series = context.Series;
        var data = Meeting(context, locale);
        data["host"] = HostName(context, locale);
        var items = context.State.Items;
        JsonObject Item(Topic t, int i) => new()
        {
            ["number"] = (i + 1).ToString(CultureInfo.InvariantCulture) + ".",
            ["title"] = t.Title,
            ["detail"] = L(locale, "card.itemDetail", t.PresenterName.Length > 0 ? t.PresenterName : t.PresenterId, Minutes(locale, t.Minutes), series.SpeakingLimitMinutes),
            ["material"] = Short(t.Material, 200),
            ["heading"] = false,
        };
        var lines = new JsonArray();
        var sections = context.Sections;
        if (sections.Count == 0)
        {
            for (var i = 0; i < items.Count; i++)
            {
                lines.Add(Item(items[i], i));
            }
        }
        else
        {
            // The fixed order of business, each item with the topics that go under it; then topics of no item.
            var n = 0;
            for (var s = 0; s <= sections.Count; s++)
            {
                var under = items.Where(t => s < sections.Count ? t.Section == s : t.Section < 0 || t.Section >= sections.Count).ToList();
                if (s < sections.Count)
                {
                    lines.Add(new JsonObject { ["number"] = "", ["title"] = sections[s].In(locale), ["detail"] = "", ["material"] = "", ["heading"] = true });
                }
                else if (under.Count > 0)
                {
                    lines.Add(new JsonObject { ["number"] = "", ["title"] = L(locale, "card.otherTopics"), ["detail"] = "", ["material"] = "", ["heading"] = true });
                }
                foreach (var t in under)
                {
                    lines.Add(Item(t, n++));
                }
            }
        }
        data["items"] = lines;
        data["isEmpty"] = items.Count == 0 && sections.Count == 0;
        data["total"] = TotalLine(context, locale);
        data["over"] = context.TotalMinutes > context.SlotMinutes;
        // The series' own arrive-by offset (例会制度(四) 第八条's five minutes by default; 0: none).
        data["earlyRule"] = series.ArriveByMinutes switch
        {
            5 => L(locale, "card.ruleEarly"),
            <= 0 => L(locale, "card.ruleCheckIn"),
            var minutes => L(locale, "card.ruleEarlyMinutes", minutes),
        };
        data["speakingRule"] = L(locale, "card.ruleSpeaking", series.SpeakingLimitMinutes);
        data["footer"] = posted
            ? (revision > 1 ? L(locale, "card.updated", At(now, series, locale), revision) : L(locale, "card.posted", At(now, series, locale)))
            : context.State.Post == null ? L(locale, "card.draft") : L(locale, "card.viewPosted", At(context.State.Post.PostedAt, series, locale));
        var myLines = new JsonArray((mine ?? []).OrderBy(t => t.SubmittedAt).Select(t => (JsonNode)new JsonObject
        {
            ["text"] = L(locale, "card.mineLine", t.Title, StatusText(locale, t)),
        }).ToArray());
        data["mine"] = myLines;
        data["hasMine"] = myLines.Count > 0;
        data["showSubmit"] = !posted && now < context.Occurrence.Start;
        data["followUp"] = new JsonArray(context.FollowUp.Select(f => (JsonNode)new JsonObject
        {
            ["text"] = localizer.Get(locale, "minutes.followUp.line", f.Description, f.OwnerName, MeetingText.Date(f.Due.ToDateTime(TimeOnly.MinValue), locale),
                localizer.Get(locale, "minutes.itemStatus." + f.Status) + (f.Note.Length > 0 ? localizer.Get(locale, "minutes.item.withNote", Short(f.Note, 120)) : "")),
            ["overdue"] = f.Overdue,
        }).ToArray());
        data["hasFollowUp"] = context.FollowUp.Count > 0;
        // The card being posted closes the collection when the cutoff is "when the agenda is posted".
        data["collecting"] = now < context.Deadline && !(posted && series.TopicCutoff == TopicCutoffs.AgendaPosted) ? L(locale, "card.collecting", Due(context, locale)) : "";
        // Posted to a shared chat, the card refreshes (Universal Actions) for the meeting's first 60
        // expected people into their own view (agenda.view): their topics, and the review button for whoever manages the agenda.
        data["userIds"] = new JsonArray(context.Snapshot.FirstExpected(context.Occurrence, MaxRefreshUsers).Select(id => (JsonNode)JsonValue.Create(id)!).ToArray());
        data["canManage"] = canManage;
        return cards.Create("Agenda", data, locale);
    }

    // ---- which meeting ----

    public Attachment Chooser(IReadOnlyList<AgendaTarget> targets, string locale, string prompt, string verb, string button)
    {
        var items = new JsonArray(targets.Select(t => (JsonNode)new JsonObject
        {
            ["name"] = t.Snapshot.Series.Name,
            ["when"] = MeetingText.When(t.Occurrence, locale),
            ["occurrence"] = t.Occurrence.Key,
        }).ToArray());
        var data = new JsonObject
        {
            ["prompt"] = prompt,
            ["verb"] = verb,
            ["button"] = button,
            ["items"] = items,
        };
        return cards.Create("AgendaChooser", data, locale);
    }
}
