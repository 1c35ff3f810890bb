using System.Text.Json.Nodes;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Meetings.Jobs;
using ChatRegs.Bot.People;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;
using ChatRegs.Bot.Core;
using ChatRegs.Dialogs;

namespace ChatRegs.Bot.Meetings.Series;

/// <summary>Which series the form edits (none: a new one), and the version the editor saw.</summary>
public sealed class MeetingFormOptions
{
    public string? SeriesId { get; set; }

    /// <summary>New series: what followed the command (a template's name, or 空白 / blank); empty asks.</summary>
    public string? Template { get; set; }
}

/// <summary>
/// "新建例会" / "new meeting" (and "修改例会" from the meeting list): the series form, checked on
/// the server, then saved with its participants, and its first check-ins scheduled. Office and
/// managers create series; they and the series' host or recorder modify one. Permission is
/// checked when the form is opened and again, with the submitter's identity, when it is saved
/// (in a group chat anyone could press the form's button).
/// </summary>
public sealed class MeetingFormDialog : InterruptibleComponentDialog
{
    public new const string Id = "meetings.seriesForm";

    private readonly MeetingStore _store;
    private readonly MeetingCache _cache;
    private readonly MeetingJobs _jobs;
    private readonly PeopleDirectory _people;
    private readonly NamedGroups _groups;
    private readonly IAuthorizationService _authorization;
    private readonly Localizer _localizer;
    private readonly TeamClock _clock;
    private readonly MeetingOptions _options;
    private readonly ILogger<MeetingFormDialog> _logger;

    public MeetingFormDialog(MeetingStore store, MeetingCache cache, MeetingJobs jobs, PeopleDirectory people, NamedGroups groups, IAuthorizationService authorization, ICardFactory cards,
        IHelpResponder help, Localizer localizer, TeamClock clock, IOptions<MeetingOptions> options, ILogger<MeetingFormDialog> logger)
        : base(Id, help)
    {
        _store = store;
        _cache = cache;
        _jobs = jobs;
        _people = people;
        _groups = groups;
        _authorization = authorization;
        _localizer = localizer;
        _clock = clock;
        _options = options.Value;
        _logger = logger;
        AddDialog(new CardFormPrompt("form", cards, ValidateAsync));
        AddDialog(new WaterfallDialog("steps", [AskAsync, SaveAsync]));
        InitialDialogId = "steps";
    }

    private string L(ITurnContext turn, string key, params object?[] args) => _localizer.Get(turn.Activity.Locale ?? "", key, args);

    private async Task<DialogTurnResult> AskAsync(WaterfallStepContext step, CancellationToken ct)
    {
        var seriesId = (step.Options as MeetingFormOptions)?.SeriesId;
        // A new series may start from one of the regulation's meetings (named after the command, or picked on the form).
        var template = seriesId == null ? MeetingTemplates.Default.Match((step.Options as MeetingFormOptions)?.Template) : null;
        step.Values["template"] = template?.Id ?? "";
        var activity = step.Context.Activity;
        var tenant = Tenants.Of(activity) ?? "";
        var me = activity.From?.Id ?? "";
        MeetingSeries? series = null;
        IReadOnlyList<string> participants = [];
        if (seriesId != null)
        {
            series = await _store.GetSeriesAsync(tenant, seriesId, ct).ConfigureAwait(false);
            if (series == null)
            {
                await step.Context.SendActivityAsync(MessageFactory.Text(L(step.Context, "meetings.series.notFound")), ct).ConfigureAwait(false);
                return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
            }
            if (!await _authorization.EnsureAllowedAsync(step.Context, MeetingPermissions.ManageMeeting, series.AsResource(), ct).ConfigureAwait(false))
            {
                return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
            }
            participants = await _store.ListParticipantsAsync(tenant, seriesId, ct).ConfigureAwait(false);
        }
        else if (!await _authorization.EnsureAllowedAsync(step.Context, MeetingPermissions.CreateMeeting, null, ct).ConfigureAwait(false))
        {
            return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
        }

        // What the form offers — and so what a submit is checked against.
        var conversations = new Dictionary<string, string>();
        var here = activity.Conversation;
        if (here?.Id != null)
        {
            var kind = L(step.Context, "meetings.form.conversationKinds." + (here.ConversationType is "channel" or "groupChat" or "personal" ? here.ConversationType : "groupChat"));
            conversations[here.Id] = string.IsNullOrWhiteSpace(here.Name) ? L(step.Context, "meetings.form.thisConversation", kind) : $"{here.Name} ({kind})";
        }
        foreach (var other in await _store.ListSeriesAsync(tenant, ct).ConfigureAwait(false))
        {
            if (other.ConversationId != null && !conversations.ContainsKey(other.ConversationId))
            {
                conversations[other.ConversationId] = string.IsNullOrWhiteSpace(other.ConversationName) ? L(step.Context, "meetings.form.conversationOf", other.Name) : other.ConversationName!;
            }
        }
        var directory = await _people.ListAsync(tenant, ct).ConfigureAwait(false);
        // In a Teams group chat, channel or meeting chat: its members come first, and a new series starts with them as participants.
        var members = await ConversationMembersAsync(step.Context, ct).ConfigureAwait(false);
        var wanted = new HashSet<string>(participants) { me };
        wanted.UnionWith(members.Keys);
        if (series != null)
        {
            wanted.UnionWith(series.Attendees([]));
            wanted.UnionWith(series.MinutesRecipients.Where(r => !r.StartsWith(NamedGroups.Prefix, StringComparison.Ordinal)));
            if (series.LeaveApproverId != null)
            {
                wanted.Add(series.LeaveApproverId);
            }
        }
        var people = directory.Where(p => wanted.Contains(p.UserId)).Concat(directory.Where(p => !wanted.Contains(p.UserId)).Take(Math.Max(0, _options.MaxPeopleInForm - wanted.Count)))
            .ToDictionary(p => p.UserId, p => p.Name);
        foreach (var id in wanted.Where(id => id.Length > 0 && !people.ContainsKey(id)))
        {
            people[id] = id == me ? activity.From?.Name ?? id : members.GetValueOrDefault(id, id);
        }
        // Members Teams listed whom the directory does not know yet: recorded when the series is saved, so the roll has their names.
        step.Values["newPeople"] = members.Where(m => directory.All(p => p.UserId != m.Key)).ToDictionary(m => m.Key, m => m.Value);
        step.Values["etag"] = series?.ETag ?? "";
        // This form's identity: a new series gets its id now, so that submitting the same form
        // again (after "not saved, try again") writes that series once, never a second one.
        step.Values["formId"] = Guid.NewGuid().ToString("N");
        if (series == null)
        {
            step.Values["newId"] = Guid.NewGuid().ToString("N")[..10];
        }
        step.Values["conversations"] = conversations;
        step.Values["people"] = people;
        // The named groups the office keeps, offered as minutes recipients (a group the series still names but since removed is kept offered).
        var groups = (await _groups.ListAsync(tenant, ct).ConfigureAwait(false)).ToDictionary(g => g.Reference, g => g.Name);
        foreach (var named in series?.MinutesRecipients.Where(r => r.StartsWith(NamedGroups.Prefix, StringComparison.Ordinal)) ?? [])
        {
            groups.TryAdd(named, named[NamedGroups.Prefix.Length..]);
        }
        step.Values["groups"] = groups;

        var today = _clock.Today;
        var values = MeetingForm.Defaults(me, here?.Id ?? "", today, series, participants);
        if (series == null && members.Count > 0)
        {
            values["participants"] = string.Join(",", members.Keys.Where(people.ContainsKey));
        }
        if (template != null)
        {
            MeetingForm.ApplyTemplate(values, template);
        }
        var data = MeetingForm.Data(Context(conversations, people, groups), values, series != null, activity.Locale ?? "");
        data["seriesName"] = series?.Name ?? "";
        MeetingForm.DescribeTemplate(data, template ?? MeetingTemplates.Default.Find(series?.TemplateId), activity.Locale ?? "");
        MeetingForm.OfferTemplates(data, template, activity.Locale ?? "");
        return await step.PromptAsync("form", new CardFormPromptOptions
        {
            TemplateName = MeetingForm.TemplateName,
            Verb = MeetingForm.Verb,
            Data = data,
            MaxAttempts = 5,
        }, ct).ConfigureAwait(false);
    }

    /// <summary>The members of this conversation (id → name) when it is a Teams group chat, channel or meeting chat; best effort, empty elsewhere.</summary>
    private async Task<Dictionary<string, string>> ConversationMembersAsync(ITurnContext turn, CancellationToken ct)
    {
        var members = new Dictionary<string, string>();
        var activity = turn.Activity;
        if (activity.ChannelId != Microsoft.Bot.Connector.Channels.Msteams || activity.Conversation?.ConversationType is null or "personal"
            || turn.TurnState.Get<Microsoft.Bot.Connector.IConnectorClient>() == null)
        {
            return members;
        }
        try
        {
            string? continuation = null;
            do
            {
                var page = await Microsoft.Bot.Builder.Teams.TeamsInfo.GetPagedMembersAsync(turn, 200, continuation, ct).ConfigureAwait(false);
                foreach (var member in page.Members ?? [])
                {
                    if (member.Id != activity.Recipient?.Id && members.Count < _options.MaxPeopleInForm)
                    {
                        members[member.Id] = member.Name ?? member.Id;
                    }
                }
                continuation = page.ContinuationToken;
            }
            while (!string.IsNullOrEmpty(continuation) && members.Count < _options.MaxPeopleInForm);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The people directory is offered as it is.
            _logger.LogWarning(e, "Could not list the members of {ConversationId} for the meeting form.", activity.Conversation?.Id);
        }
        return members;
    }

    private MeetingFormContext Context(IReadOnlyDictionary<string, string> conversations, IReadOnlyDictionary<string, string> people, IReadOnlyDictionary<string, string> groups) =>
        new(conversations, people, _clock.Now, _clock.Zone) { Groups = groups };

    private static Dictionary<string, string> Choices(JsonObject? data, string name) =>
        (data?[name] as JsonArray ?? []).OfType<JsonObject>().ToDictionary(c => (string?)c["value"] ?? "", c => (string?)c["title"] ?? "");

    private Task<IReadOnlyDictionary<string, string>?> ValidateAsync(CardFormValidatorContext form, CancellationToken ct)
    {
        if (form.Value(MeetingForm.UseTemplate) != null)
        {
            // "Start from this meeting": not a save; the next step opens the form again, pre-filled.
            return Task.FromResult<IReadOnlyDictionary<string, string>?>(null);
        }
        // What the form offered (kept in the dialog's state, not what the card sends back).
        var groups = Choices(form.Options.Data, "recipientChoices").Where(c => c.Key.StartsWith(NamedGroups.Prefix, StringComparison.Ordinal)).ToDictionary(c => c.Key, c => c.Key[NamedGroups.Prefix.Length..]);
        var context = Context(Choices(form.Options.Data, "conversationChoices"), Choices(form.Options.Data, "peopleChoices"), groups);
        var (_, errors) = MeetingForm.Validate(form.Values, context, form.Locale);
        return Task.FromResult<IReadOnlyDictionary<string, string>?>(errors);
    }

    private async Task<DialogTurnResult> SaveAsync(WaterfallStepContext step, CancellationToken ct)
    {
        if (step.Result is not CardFormResult form || form.Cancelled)
        {
            return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
        }
        var seriesId = (step.Options as MeetingFormOptions)?.SeriesId;
        if (form.Values.ContainsKey(MeetingForm.UseTemplate))
        {
            // The regulation meeting picked on the form (a value the form did not offer is blank): the form again, pre-filled from it.
            var picked = seriesId == null ? MeetingTemplates.Default.Find(form.Values.GetValueOrDefault("template")) : null;
            return await step.ReplaceDialogAsync("steps", new MeetingFormOptions { Template = picked?.Id ?? MeetingTemplates.Blank }, ct).ConfigureAwait(false);
        }
        var conversations = (Dictionary<string, string>)step.Values["conversations"];
        var people = (Dictionary<string, string>)step.Values["people"];
        var groups = step.Values.TryGetValue("groups", out var g) && g is Dictionary<string, string> named ? named : new Dictionary<string, string>();
        var activity = step.Context.Activity;
        var locale = activity.Locale ?? "";
        var tenant = Tenants.Of(activity) ?? "";
        var (result, _) = MeetingForm.Validate(form.Values, Context(conversations, people, groups), locale);
        if (result == null)
        {
            // Validated by the prompt a moment ago; only the clock can have moved (a date just passed).
            await step.Context.SendActivityAsync(MessageFactory.Text(L(step.Context, "meetings.series.notSaved")), ct).ConfigureAwait(false);
            return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
        }

        var formId = step.Values.TryGetValue("formId", out var f) && f is string fid ? fid : Guid.NewGuid().ToString("N");
        MeetingSeries series;
        if (seriesId == null)
        {
            if (!await _authorization.EnsureAllowedAsync(step.Context, MeetingPermissions.CreateMeeting, null, ct).ConfigureAwait(false))
            {
                return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
            }
            series = Apply(new MeetingSeries
            {
                TenantId = tenant,
                Id = step.Values.TryGetValue("newId", out var n) && n is string newId ? newId : Guid.NewGuid().ToString("N")[..10],
                Name = result.Name,
                HostId = result.HostId,
                Schedule = result.Schedule,
                TimeZone = _clock.ZoneId,
                TemplateId = step.Values.TryGetValue("template", out var t) && t is string templateId && templateId.Length > 0 ? templateId : null,
                CreatedBy = activity.From?.Id ?? "",
                CreatedAt = _clock.Now,
            }, result, conversations);
        }
        else
        {
            var current = await _store.GetSeriesAsync(tenant, seriesId, ct).ConfigureAwait(false);
            if (current == null)
            {
                await step.Context.SendActivityAsync(MessageFactory.Text(L(step.Context, "meetings.series.notFound")), ct).ConfigureAwait(false);
                return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
            }
            if (!await _authorization.EnsureAllowedAsync(step.Context, MeetingPermissions.ManageMeeting, current.AsResource(), ct).ConfigureAwait(false))
            {
                return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
            }
            // Conditional on the version the form was opened on: an edit made since is not overwritten (→ "not saved, try again").
            series = Apply(current, result, conversations) with { ETag = (string)step.Values["etag"] };
        }
        // Members Teams listed whom the directory does not know yet: recorded first (idempotent), so nothing fails after the series is saved.
        if (step.Values.TryGetValue("newPeople", out var fresh) && fresh is Dictionary<string, string> newPeople)
        {
            foreach (var id in series.Attendees(result.Participants).Where(newPeople.ContainsKey))
            {
                await _people.EnsureKnownAsync(tenant, id, newPeople[id], null, null, null, ct).ConfigureAwait(false);
            }
        }
        // The outbox first (its check-in jobs follow the series even if this turn stops right after the save), then the series and its participants in one transaction.
        var changeId = MeetingStore.ChangeId(formId, MeetingStore.Fingerprint(series), result.Participants);
        await _jobs.ScheduleAfterAsync(tenant, new MeetingAfterData(series.Id, changeId), activity.Id ?? Guid.NewGuid().ToString("N"), ct).ConfigureAwait(false);
        series = (await _store.SaveSeriesAsync(series, result.Participants, changeId, ct).ConfigureAwait(false)).OrThrow();

        // Saved: from here on nothing may report "not saved". What follows is done now, or by the outbox job.
        _cache.Invalidate(tenant, series.Id);
        MeetingOccurrence? next = null;
        var now = _clock.Now;
        try
        {
            await _jobs.ScheduleUpcomingAsync(tenant, series.Id, ct).ConfigureAwait(false);
            var snapshot = await _cache.GetAsync(tenant, series.Id, ct).ConfigureAwait(false);
            next = snapshot == null ? null : snapshot.Occurrences(now, now.AddDays(400)).FirstOrDefault(o => !o.Cancelled);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning(e, "Series {SeriesId} saved; its check-in jobs will be scheduled by its follow-through job.", series.Id);
            next = OccurrenceExpansion.Between(series, new Dictionary<string, MeetingStore.OccurrenceChange>(), now, now.AddDays(400)).FirstOrDefault(o => !o.Cancelled);
        }
        var nextText = next == null ? L(step.Context, "meetings.series.noNext") : L(step.Context, "meetings.series.next", MeetingText.When(next, locale), MeetingText.Window(next, locale));
        await step.Context.SendActivityAsync(MessageFactory.Text(L(step.Context, seriesId == null ? "meetings.series.created" : "meetings.series.updated",
            series.Name, series.Schedule.Describe(locale), series.Location.Length > 0 ? series.Location : "—", people.GetValueOrDefault(series.HostId, series.HostId),
            result.Participants.Count, nextText)), ct).ConfigureAwait(false);
        Core.SavedTurns.Mark(step.Context);
        return await step.EndDialogAsync(series.Id, ct).ConfigureAwait(false);
    }

    private static MeetingSeries Apply(MeetingSeries series, MeetingFormResult form, IReadOnlyDictionary<string, string> conversations) => series with
    {
        Name = form.Name,
        ConversationId = form.ConversationId,
        ConversationName = conversations.GetValueOrDefault(form.ConversationId),
        Location = form.Location,
        HostId = form.HostId,
        RecorderId = form.RecorderId,
        LeaveApproverId = form.LeaveApproverId,
        Schedule = form.Schedule,
        LateGraceMinutes = form.LateGraceMinutes,
        CheckInOpensMinutesBefore = form.CheckInOpensMinutesBefore,
        SpeakingLimitMinutes = form.SpeakingLimitMinutes,
        MinutesRecipients = form.MinutesRecipients,
        MinutesToAttendees = form.MinutesToAttendees,
        ArriveByMinutes = form.ArriveByMinutes,
        TopicCutoff = form.TopicCutoff,
    };
}

/// <summary>"新建例会" / "new meeting".</summary>
public sealed class NewMeetingCommand(Routing.DialogHost flows) : Routing.IChatCommand
{
    public string Id => "newMeeting";

    /// <summary>Listed in help only for those who may use it.</summary>
    public string? HelpAction => MeetingPermissions.CreateMeeting;

    public bool ListedInHelp => true;

    public Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken) =>
        flows.BeginAsync(turnContext, MeetingFormDialog.Id, new MeetingFormOptions { Template = Core.TextCaps.Truncate(arguments, 60) }, cancellationToken);
}

/// <summary>
/// "修改例会" on the meeting list (verb "meetings.editSeries", data: series id), on the card-action
/// base: the series is loaded in the sender's tenant and the sender must manage it (office,
/// managers, its host or recorder) before the form opens on it (the form checks again when saved).
/// </summary>
public sealed class EditSeriesAction(Routing.DialogHost flows, MeetingStore store, IAuthorizationService authorization) : Routing.CardActionHandler<MeetingSeries>(authorization)
{
    public override string Verb => "meetings.editSeries";

    protected override string Permission => MeetingPermissions.ManageMeeting;

    protected override string NotFoundKey => "meetings.series.notFound";

    protected override Task<MeetingSeries?> LoadAsync(Routing.CardActionContext action, CancellationToken cancellationToken) =>
        store.GetSeriesAsync(action.Tenant, action.Field("series"), cancellationToken);

    protected override AuthorizationResource ResourceOf(MeetingSeries record) => record.AsResource();

    protected override Task<Routing.CardActionResult> AnswerAsync(Routing.CardActionContext action, string text, CancellationToken cancellationToken) =>
        action.SendAsync(text, cancellationToken);

    protected override async Task<Routing.CardActionResult> RunAsync(Routing.CardActionContext action, MeetingSeries record, CancellationToken cancellationToken)
    {
        await flows.BeginAsync(action.Turn, MeetingFormDialog.Id, new MeetingFormOptions { SeriesId = record.Id }, cancellationToken).ConfigureAwait(false);
        return Routing.CardActionResult.Done;
    }
}
