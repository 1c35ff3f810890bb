using System.Globalization;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Meetings.Agenda;

/// <summary>
/// Submitting a topic (议题): the form for one meeting, and its server-side validation. A topic
/// needs a title, a presenter who is expected at the meeting (default: the sender), written
/// material (text, an outline, or a link — 例会制度: 务必报送书面文字材料、要点提纲或图表说明)
/// and the minutes it needs (1 to the series' speaking limit, default 5, and never more than
/// the meeting). Participants submit before the deadline (default 17:00 the working day
/// before); later, the form refuses with the deadline and offers the next meeting instead,
/// keeping what was typed. The host, substitute host, recorder and office may still add a
/// topic until the meeting starts; it is marked late (逾期提交). Identity comes from the
/// turn, never the card; the same form submitted twice files one topic.
/// </summary>
public sealed class TopicForms(AgendaService agenda, AgendaCards cards, Localizer localizer)
{
    public const string FormVerb = "agenda.topicForm";
    public const string SubmitVerb = "agenda.submitTopic";
    public const int MaxTitle = 80, MinMaterial = 10, MaxMaterial = 2000;


    private string L(string locale, string key, params object?[] args) => localizer.Get(locale, "agenda." + key, args);

    /// <summary>
    /// The form for the sender and this meeting. Past the deadline, a participant gets the
    /// form for the series' next meeting whose deadline is still ahead (with a line saying so);
    /// null (and a refusal sent) when there is none.
    /// </summary>
    public async Task<Attachment?> FormAsync(ITurnContext turn, AgendaContext context, CancellationToken cancellationToken, TopicValues? values = null,
        IReadOnlyDictionary<string, string>? errors = null, string? message = null)
    {
        var locale = turn.Activity.Locale ?? "";
        var me = turn.Activity.From?.Id ?? "";
        var canManage = await agenda.MayAsync(turn, AgendaPermissions.ManageAgenda, context.Snapshot, context.Occurrence, cancellationToken).ConfigureAwait(false);
        var now = agenda.Now;
        if (now >= context.Deadline && !canManage)
        {
            var next = await NextOpenAsync(context, cancellationToken).ConfigureAwait(false);
            var closed = L(locale, "topic.deadlinePassed", context.Series.Name, MeetingText.When(context.Occurrence, locale), AgendaCards.At(context.Deadline, context.Series, locale),
                context.Snapshot.NameOf(context.Occurrence.HostId));
            if (next == null)
            {
                await turn.SendActivityAsync(MessageFactory.Text(closed), cancellationToken).ConfigureAwait(false);
                return null;
            }
            message = (message == null ? "" : message + "\n\n") + closed + " " + L(locale, "topic.movedToNext", MeetingText.When(next.Occurrence, locale), cards.Due(next, locale));
            context = next;
        }
        var people = await PeopleAsync(context, me, values?.Presenter, cancellationToken).ConfigureAwait(false);
        values ??= new TopicValues("", me, "", AgendaCards.SuggestedMinutes(context));
        return cards.TopicForm(context, locale, people, NewFormId(), values, late: now >= context.Deadline, errors, message);
    }

    /// <summary>The series' next meeting after this one whose topic deadline is still ahead.</summary>
    private async Task<AgendaContext?> NextOpenAsync(AgendaContext context, CancellationToken cancellationToken)
    {
        var after = context.Occurrence.Start;
        for (var i = 0; i < 10; i++)
        {
            var next = agenda.NextOf(context.Snapshot, notStarted: true, after);
            if (next == null)
            {
                return null;
            }
            if (agenda.DeadlineOf(next) > agenda.Now)
            {
                return await agenda.LoadAsync(context.TenantId, next.Key, cancellationToken).ConfigureAwait(false);
            }
            after = next.Start;
        }
        return null;
    }

    private async Task<IReadOnlyList<(string Id, string Name)>> PeopleAsync(AgendaContext context, string me, string? selected, CancellationToken cancellationToken)
    {
        var all = await agenda.AttendeeNamesAsync(context, cancellationToken).ConfigureAwait(false);
        var max = Math.Max(2, agenda.Options.MaxPeopleInForm);
        if (all.Count <= max)
        {
            return all;
        }
        // Keep the card small: the sender and the current choice always, then the first others.
        var keep = all.Where(p => p.Id == me || p.Id == selected).ToList();
        keep.AddRange(all.Where(p => p.Id != me && p.Id != selected).Take(max - keep.Count));
        return keep;
    }

    private static string NewFormId() => Guid.NewGuid().ToString("N");

    /// <summary>What a refused form shows again: what was typed, cut to what the field takes, so the card stays small however much was sent.</summary>
    private static TopicValues Echo(TopicValues values) => values with
    {
        Title = Dialogs.InputLimits.Truncate(values.Title, MaxTitle),
        Presenter = Dialogs.InputLimits.Truncate(values.Presenter, Dialogs.InputLimits.Short),
        Material = Dialogs.InputLimits.Truncate(values.Material, MaxMaterial),
    };

    private static bool IsFormId(string id) => id.Length == 32 && id.All(Uri.IsHexDigit);

    /// <summary>The form's submit (verb <see cref="SubmitVerb"/>).</summary>
    public async Task<CardActionResult> SubmitAsync(ITurnContext turn, AgendaContext context, JObject data, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        var locale = activity.Locale ?? "";
        var tenant = Tenants.Of(activity) ?? "";
        var me = activity.From?.Id ?? "";
        var series = context.Series;
        var limit = AgendaCards.LimitOf(context);
        var rawMinutes = CardFields.Field(data, "minutes");
        var minutesOk = decimal.TryParse(rawMinutes, NumberStyles.Number, CultureInfo.InvariantCulture, out var minutesValue);
        var values = new TopicValues(CardFields.Field(data, "title"), CardFields.Field(data, "presenter"), CardFields.Field(data, "material"),
            minutesOk && minutesValue == decimal.Truncate(minutesValue) && minutesValue is >= int.MinValue and <= int.MaxValue ? (int)minutesValue : AgendaCards.SuggestedMinutes(context))
        {
            Section = Dialogs.InputLimits.Truncate(CardFields.Field(data, "section"), 4),
        };
        var now = agenda.Now;

        if (context.Occurrence.Cancelled)
        {
            return new CardActionResult(Message: L(locale, "topic.cancelled", series.Name, MeetingText.When(context.Occurrence, locale)));
        }
        if (now >= context.Occurrence.Start)
        {
            return new CardActionResult(Message: L(locale, "topic.started", series.Name, MeetingText.When(context.Occurrence, locale)));
        }
        var canManage = await agenda.MayAsync(turn, AgendaPermissions.ManageAgenda, context.Snapshot, context.Occurrence, cancellationToken).ConfigureAwait(false);
        if (now >= context.Deadline && !canManage)
        {
            // Refused with the deadline; the form comes back (for the next meeting) with everything typed kept.
            var again = await FormAsync(turn, context, cancellationToken, Echo(values)).ConfigureAwait(false);
            return again == null ? CardActionResult.Done : new CardActionResult(RefreshedCard: again);
        }

        var errors = new Dictionary<string, string>();
        if (values.Title.Length == 0)
        {
            errors["title"] = L(locale, "errors.titleEmpty");
        }
        else if (values.Title.Length > MaxTitle)
        {
            errors["title"] = L(locale, "errors.tooLong", MaxTitle, values.Title.Length);
        }

        // The item of the fixed order of business it goes under: one the form offered (none offered: none).
        var sections = context.Sections;
        var section = -1;
        if (sections.Count > 0)
        {
            if (values.Section.Length == 0)
            {
                section = sections.Count - 1;
            }
            else if (int.TryParse(values.Section, NumberStyles.None, CultureInfo.InvariantCulture, out var chosen) && chosen < sections.Count)
            {
                section = chosen;
            }
            else
            {
                errors["section"] = L(locale, "errors.unknownSection");
            }
        }

        var attendees = context.Snapshot.AttendeesOf(context.Occurrence);
        var presenter = values.Presenter.Length == 0 ? me : values.Presenter;
        if (!attendees.Contains(presenter))
        {
            errors["presenter"] = L(locale, "errors.presenterNotAttendee");
        }

        var material = values.Material;
        if (material.Length == 0)
        {
            errors["material"] = L(locale, "errors.materialEmpty");
        }
        else if (material.Length > MaxMaterial)
        {
            errors["material"] = L(locale, "errors.tooLong", MaxMaterial, material.Length);
        }
        else if (LooksLikeLink(material))
        {
            if (!IsLink(material))
            {
                errors["material"] = L(locale, "errors.badLink");
            }
        }
        else if (material.Length < MinMaterial)
        {
            errors["material"] = L(locale, "errors.materialTooShort", MinMaterial);
        }

        if (rawMinutes.Length == 0)
        {
            errors["minutes"] = L(locale, "errors.minutesEmpty", limit);
        }
        else if (!minutesOk || minutesValue != decimal.Truncate(minutesValue) || minutesValue < 1)
        {
            errors["minutes"] = L(locale, "errors.minutesNotWhole", limit);
        }
        else if (minutesValue > context.SlotMinutes)
        {
            errors["minutes"] = L(locale, "errors.minutesOverSlot", context.SlotMinutes);
        }

        if (errors.Count > 0)
        {
            var people = await PeopleAsync(context, me, presenter, cancellationToken).ConfigureAwait(false);
            var formId = IsFormId(CardFields.Field(data, "formId")) ? CardFields.Field(data, "formId") : NewFormId();
            return new CardActionResult(RefreshedCard: cards.TopicForm(context, locale, people, formId, Echo(values), now >= context.Deadline, errors,
                L(locale, "errors.fix", errors.Count)));
        }

        var id = IsFormId(CardFields.Field(data, "formId")) ? CardFields.Field(data, "formId") : NewFormId();
        if (context.State.Topics.All(t => t.Id != id) && context.State.Topics.Count >= agenda.Options.MaxTopics)
        {
            return new CardActionResult(Message: L(locale, "topic.tooMany", series.Name, agenda.Options.MaxTopics));
        }
        var names = await agenda.AttendeeNamesAsync(context, cancellationToken).ConfigureAwait(false);
        var topic = new Topic
        {
            TenantId = tenant,
            OccurrenceKey = context.Occurrence.Key,
            Id = id,
            Title = values.Title,
            PresenterId = presenter,
            PresenterName = PresenterName(names, presenter, presenter == me ? activity.From?.Name : null),
            Material = material,
            Minutes = (int)minutesValue,
            SubmittedById = me,
            SubmittedByName = activity.From?.Name ?? "",
            SubmittedAt = now,
            Late = now >= context.Deadline,
            Status = TopicStatus.Pending,
            Order = now.UtcTicks,
            Section = section,
        };
        var filed = await agenda.FileTopicAsync(topic, cancellationToken).ConfigureAwait(false);
        if (filed.IsAlreadyExisting && filed.Value!.SubmittedById != me)
        {
            // Someone else's form id (a forged or copied card): file it under a fresh one.
            filed = await agenda.FileTopicAsync(topic with { Id = NewFormId() }, cancellationToken).ConfigureAwait(false);
        }
        var saved = filed.WrittenOrExisting();
        var created = filed.IsWritten;
        var message = !created
            ? L(locale, "topic.alreadySubmitted", saved.Title)
            : saved.Late
                ? L(locale, "topic.savedLate", saved.Title, AgendaCards.At(context.Deadline, series, locale))
                : L(locale, "topic.saved", saved.Title, context.Snapshot.NameOf(context.Occurrence.HostId));
        return new CardActionResult(RefreshedCard: cards.TopicReceipt(context, saved, locale, message));
    }

    private static string PresenterName(IReadOnlyList<(string Id, string Name)> names, string presenter, string? fromActivity)
    {
        var known = names.Where(p => p.Id == presenter).Select(p => p.Name).FirstOrDefault();
        return !string.IsNullOrEmpty(known) && known != presenter ? known : !string.IsNullOrEmpty(fromActivity) ? fromActivity : presenter;
    }

    private static bool LooksLikeLink(string text) =>
        !text.Any(char.IsWhiteSpace) && (text.StartsWith("http:", StringComparison.OrdinalIgnoreCase) || text.StartsWith("https:", StringComparison.OrdinalIgnoreCase) || text.StartsWith("www.", StringComparison.OrdinalIgnoreCase));

    private static bool IsLink(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Contains('.');
}
