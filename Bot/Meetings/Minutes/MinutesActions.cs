using System.Globalization;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Exports;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Meetings.Minutes;

/// <summary>
/// What the minutes' and action items' buttons do: open the form or the minutes, save a
/// draft, submit (version 1, then N+1 for every later edit, with who and when), show an
/// earlier version, export, open an item, and the owner's (or host's) update.
/// </summary>
public sealed class MinutesActions(
    MinutesService service,
    MinutesCards cards,
    MinutesNotifier notifier,
    AgendaRefresher agendaRefresher,
    IFileExporter files,
    Localizer localizer,
    ILogger<MinutesActions> logger)
{
    public const string OpenVerb = "minutes.open";
    public const string SaveVerb = "minutes.save";
    public const string SubmitVerb = "minutes.submit";
    public const string EditVerb = "minutes.edit";
    public const string VersionVerb = "minutes.version";
    public const string ExportVerb = "minutes.export";
    public const string OpenItemVerb = "actions.open";
    public const string UpdateItemVerb = "actions.update";

    private string L(string locale, string key, params object?[] args) => localizer.Get(locale, "minutes." + key, args);

    private static string Tenant(ITurnContext turn) => Tenants.Of(turn.Activity) ?? "";

    private static string LocaleOf(ITurnContext turn) => turn.Activity.Locale ?? "";

    private static Dictionary<string, string> Values(JObject data) =>
        CardFields.All(data, int.MaxValue, "verb", "msteams").ToDictionary(p => p.Key, p => p.Value ?? "");

    /// <summary>What <c>会议纪要</c> shows for one meeting: to the recorder/host the form (or, once submitted, the minutes with an edit button); to readers the latest version.</summary>
    public async Task<Attachment?> OpenCardAsync(ITurnContext turn, MinutesContext context, CancellationToken cancellationToken)
    {
        var locale = LocaleOf(turn);
        var resource = MinutesService.ResourceOf(context);
        var canEdit = await service.MayAsync(turn, MinutesPermissions.EditMinutes, resource, cancellationToken).ConfigureAwait(false);
        if (context.Doc.Submitted)
        {
            if (!await service.EnsureAsync(turn, MinutesPermissions.ViewMinutes, resource, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
            return await LatestViewAsync(context, locale, canEdit, cancellationToken).ConfigureAwait(false);
        }
        if (canEdit)
        {
            return cards.Form(context, service, locale);
        }
        if (!await service.EnsureAsync(turn, MinutesPermissions.ViewMinutes, resource, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        await turn.SendActivityAsync(MessageFactory.Text(L(locale, "view.notSubmitted", context.Series.Name, MinutesCards.Day(context.Doc.Content.Date, locale), MinutesCards.Day(context.Due, locale))), cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task<Attachment> LatestViewAsync(MinutesContext context, string locale, bool canEdit, CancellationToken cancellationToken)
    {
        var versions = await service.VersionsAsync(context.TenantId, context.Occurrence.Key, cancellationToken).ConfigureAwait(false);
        var latest = versions[^1];
        return cards.View(context, latest, latest.Number, locale, canEdit);
    }

    /// <summary>"minutes.open" (the sender may view the minutes; editors may, the rules' roles being a subset): as <see cref="OpenCardAsync"/>.</summary>
    public async Task<CardActionResult> OpenAsync(ITurnContext turn, MinutesContext context, JObject data, CancellationToken cancellationToken) =>
        new(await OpenCardAsync(turn, context, cancellationToken).ConfigureAwait(false));

    /// <summary>After submission: the form again, pre-filled with the latest version, to write version N+1 (the sender may edit).</summary>
    public Task<CardActionResult> EditAsync(ITurnContext turn, MinutesContext context, JObject data, CancellationToken cancellationToken) =>
        Task.FromResult(new CardActionResult(cards.Form(context, service, LocaleOf(turn))));

    /// <summary>"minutes.version": one version (the sender may view the minutes).</summary>
    public async Task<CardActionResult> VersionAsync(ITurnContext turn, MinutesContext context, JObject data, CancellationToken cancellationToken)
    {
        var locale = LocaleOf(turn);
        var resource = MinutesService.ResourceOf(context);
        var versions = await service.VersionsAsync(context.TenantId, context.Occurrence.Key, cancellationToken).ConfigureAwait(false);
        var number = int.TryParse(CardFields.Field(data, "version"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var version = versions.FirstOrDefault(v => v.Number == number);
        if (version == null)
        {
            return new CardActionResult(Message: L(locale, "view.noSuchVersion"));
        }
        var canEdit = await service.MayAsync(turn, MinutesPermissions.EditMinutes, resource, cancellationToken).ConfigureAwait(false);
        return new CardActionResult(cards.View(context, version, versions[^1].Number, locale, canEdit && version.Number == versions[^1].Number));
    }

    /// <summary>"minutes.export": every version as a file (the sender may view the minutes).</summary>
    public async Task<CardActionResult> ExportAsync(ITurnContext turn, MinutesContext context, JObject data, CancellationToken cancellationToken)
    {
        var locale = LocaleOf(turn);
        var versions = await service.VersionsAsync(context.TenantId, context.Occurrence.Key, cancellationToken).ConfigureAwait(false);
        if (versions.Count == 0)
        {
            return new CardActionResult(Message: L(locale, "view.noSuchVersion"));
        }
        var csv = CardFields.Field(data, "format") == "csv";
        var file = csv ? MinutesExport.Csv(context, versions, cards, localizer, locale) : MinutesExport.Markdown(context, versions, cards, localizer, locale);
        var name = MinutesExport.FileName(context, localizer, locale, csv ? "csv" : "md");
        await files.OfferAsync(turn, name, csv ? MinutesExport.CsvType : MinutesExport.MarkdownType, file, L(locale, "export.description", context.Series.Name, MinutesCards.Day(context.Doc.Content.Date, locale)), cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }

    /// <summary>"minutes.save": the draft is saved with whatever was typed; format problems are shown next to their fields.</summary>
    public Task<CardActionResult> SaveAsync(ITurnContext turn, MinutesContext context, JObject data, CancellationToken cancellationToken) => SaveOrSubmitAsync(turn, context, data, submit: false, cancellationToken);

    /// <summary>"minutes.submit": every required field checked; the minutes become a version and go to their recipients; decisions become action items.</summary>
    public Task<CardActionResult> SubmitAsync(ITurnContext turn, MinutesContext context, JObject data, CancellationToken cancellationToken) => SaveOrSubmitAsync(turn, context, data, submit: true, cancellationToken);

    /// <summary>Save or submit (the sender may edit the minutes).</summary>
    private async Task<CardActionResult> SaveOrSubmitAsync(ITurnContext turn, MinutesContext context, JObject data, bool submit, CancellationToken cancellationToken)
    {
        var locale = LocaleOf(turn);
        if (!MinutesCards.IsCurrent(CardFields.Field(data, "rev"), context.Doc))
        {
            // A form from before the last save: its rows may no longer line up with the minutes. The current form instead (the old card keeps what was typed).
            return new CardActionResult(cards.Form(context, service, locale, message: L(locale, "errors.staleForm"), warning: true));
        }
        var (content, errors) = service.Read(context, Values(data), complete: submit);
        var from = turn.Activity.From;
        if (errors.ContainsValue("tooLongTotal") || errors.ContainsValue("tooLong"))
        {
            // A field over its cap, or the whole would not fit one record: nothing is saved (the
            // saved draft stays as it was), the form comes back with what was typed (cut to the
            // caps) and the field to shorten marked.
            return new CardActionResult(cards.Form(context, service, locale, content, errors,
                L(locale, "errors.countNotSaved", errors.Count) + L(locale, "errors.notSaved"), warning: true));
        }
        var doc = await service.SaveDraftAsync(context.Doc with
        {
            Content = content,
            SavedById = from?.Id ?? "",
            SavedByName = from?.Name ?? "",
            SavedAt = service.Now,
        }, cancellationToken).ConfigureAwait(false);
        context = context with { Doc = doc };
        if (errors.Count > 0)
        {
            var text = L(locale, "errors.count", errors.Count) + (submit ? L(locale, "errors.notSubmitted") : "");
            return new CardActionResult(cards.Form(context, service, locale, content, errors, text, warning: true));
        }
        if (!submit)
        {
            return new CardActionResult(cards.Form(context, service, locale, content, message: L(locale, "saved", AgendaCards.At(service.Now, context.Series, locale))));
        }

        var version = await SubmitVersionAsync(context, from?.Id ?? "", from?.Name ?? "", cancellationToken).ConfigureAwait(false);
        var fresh = await service.LoadAsync(context.TenantId, context.Occurrence.Key, cancellationToken).ConfigureAwait(false) ?? context;
        var sent = await notifier.DeliverMinutesAsync(fresh, version.Version, version.NewItems, version.Cancelled, from?.Id ?? "", cancellationToken).ConfigureAwait(false);
        var names = sent.Count == 0 ? L(locale, "nobody") : string.Join(cards.Sep(locale), sent);
        var message = version.Version.Number == 1 ? L(locale, "submitted", names) : L(locale, "resubmitted", version.Version.Number, names);
        await turn.SendActivityAsync(MessageFactory.Text(message), cancellationToken).ConfigureAwait(false);
        await agendaRefresher.RefreshAsync(turn, fresh.TenantId, fresh.Series.Id, cancellationToken).ConfigureAwait(false);
        return new CardActionResult(cards.View(fresh, version.Version, version.Version.Number, locale, canEdit: true));
    }

    private sealed record SubmitResult(MinutesVersion Version, IReadOnlyList<ActionItem> NewItems, IReadOnlyList<ActionItem> Cancelled);

    /// <summary>
    /// Submits the working copy as version N+1 in one transaction (the tenant's minutes are one
    /// partition): the action items (new ones created, changed ones updated with their history,
    /// removed ones cancelled), the version (insert-only: never overwriting an earlier one) and
    /// the working copy standing for it. Either all of it is saved or nothing is
    /// (<see cref="Storage.SaveOutcome.Changed"/>: someone else submitted or edited an item
    /// meanwhile → "not saved, try again").
    /// </summary>
    private async Task<SubmitResult> SubmitVersionAsync(MinutesContext context, string byId, string byName, CancellationToken cancellationToken)
    {
        var doc = context.Doc;
        var tenant = context.TenantId;
        var now = service.Now;
        var number = doc.Version + 1;

        // Every decision gets its action item id.
        var decisions = doc.Content.Decisions.Select(d => d.ItemId == null ? d with { ItemId = NewItemId() } : d).ToList();

        // The items: new ones created, changed ones updated (history kept), removed ones cancelled.
        var writes = new List<ActionItem>();
        var told = new HashSet<string>(StringComparer.Ordinal);
        var cancelledIds = new HashSet<string>(StringComparer.Ordinal);
        var meetingDate = doc.Content.Date;
        foreach (var d in decisions)
        {
            var due = DateOnly.ParseExact(d.Due, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var existing = await service.ItemAsync(tenant, d.ItemId!, cancellationToken).ConfigureAwait(false);
            if (existing == null)
            {
                writes.Add(new ActionItem
                {
                    TenantId = tenant,
                    Id = d.ItemId!,
                    SeriesId = context.Series.Id,
                    OccurrenceKey = context.Occurrence.Key,
                    MeetingName = context.Series.Name,
                    MeetingDate = meetingDate,
                    Description = d.Description,
                    OwnerId = d.OwnerId,
                    OwnerName = d.OwnerName,
                    Due = due,
                    Status = ActionItemStatus.Open,
                    CreatedAt = now,
                    History = [new ActionItemUpdate(ActionItemStatus.Open, "", byId, byName, now)],
                });
                told.Add(d.ItemId!);
            }
            else if (existing.Description != d.Description || existing.OwnerId != d.OwnerId || existing.Due != due || existing.Status == ActionItemStatus.Cancelled)
            {
                var status = existing.Status == ActionItemStatus.Cancelled ? ActionItemStatus.Open : existing.Status;
                writes.Add(existing with
                {
                    Description = d.Description,
                    OwnerId = d.OwnerId,
                    OwnerName = d.OwnerName,
                    Due = due,
                    Status = status,
                    History = [.. existing.History, new ActionItemUpdate(status, "", byId, byName, now, number)],
                });
                if (existing.OwnerId != d.OwnerId)
                {
                    told.Add(d.ItemId!);
                }
            }
        }
        var previous = doc.Version > 0 ? (await service.VersionsAsync(tenant, doc.OccurrenceKey, cancellationToken).ConfigureAwait(false)).LastOrDefault() : null;
        foreach (var gone in previous?.Content.Decisions.Where(p => p.ItemId != null && !decisions.Any(d => d.ItemId == p.ItemId)) ?? [])
        {
            var item = await service.ItemAsync(tenant, gone.ItemId!, cancellationToken).ConfigureAwait(false);
            if (item is { IsOpen: true })
            {
                writes.Add(item with
                {
                    Status = ActionItemStatus.Cancelled,
                    History = [.. item.History, new ActionItemUpdate(ActionItemStatus.Cancelled, "", byId, byName, now, number, Removed: true)],
                });
                cancelledIds.Add(item.Id);
            }
        }

        var version = new MinutesVersion
        {
            TenantId = tenant,
            OccurrenceKey = doc.OccurrenceKey,
            Number = number,
            ById = byId,
            ByName = byName,
            At = now,
            Content = doc.Content with { Decisions = decisions },
        };
        var submitted = doc with { Content = doc.Content with { Decisions = decisions }, Version = number, FirstSubmittedAt = doc.FirstSubmittedAt ?? now };
        var saved = await service.SubmitVersionAsync(submitted, version, writes, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Minutes of {Occurrence} submitted as version {Version} by {UserId}.", doc.OccurrenceKey, number, byId);
        return new SubmitResult(version, saved.Where(i => told.Contains(i.Id)).ToList(), saved.Where(i => cancelledIds.Contains(i.Id)).ToList());
    }

    private static string NewItemId() => Guid.NewGuid().ToString("N")[..12];

    // ---- action items ----

    /// <summary>The item the card names, in <paramref name="tenant"/>, with the resource its permissions are decided on (its owner, its meeting's host); null when there is none.</summary>
    public async Task<ActionItemOnMeeting?> ItemAsync(string tenant, string id, CancellationToken cancellationToken)
    {
        var item = await service.ItemAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        if (item == null)
        {
            return null;
        }
        var (snapshot, occurrence) = await service.Cache.GetOccurrenceAsync(item.TenantId, item.OccurrenceKey, cancellationToken).ConfigureAwait(false);
        return new ActionItemOnMeeting(item, MinutesService.ResourceOf(item, snapshot, occurrence));
    }

    /// <summary>
    /// May the sender open this item: its owner or host (who may update it), or someone who follows
    /// up the meeting's items (office, supervisors, the host; only while the meeting exists, that is
    /// while the item's resource names a host). Refused with the update rule's reason.
    /// </summary>
    public async Task<AuthorizationDecision> MayOpenItemAsync(ITurnContext turn, AuthorizationResource item, CancellationToken cancellationToken)
    {
        if (await service.MayAsync(turn, MinutesPermissions.UpdateActionItem, item, cancellationToken).ConfigureAwait(false))
        {
            return AuthorizationDecision.Allow;
        }
        var meetingExists = item.PeopleByRole.TryGetValue(MeetingRoles.Host, out var hosts) && hosts.Count > 0;
        return meetingExists && await service.MayAsync(turn, MinutesPermissions.FollowUpActions, item, cancellationToken).ConfigureAwait(false)
            ? AuthorizationDecision.Allow
            : AuthorizationDecision.Deny("minutes.auth.update");
    }

    private DateOnly Today => service.Today;

    /// <summary>"actions.open": one item, with the update inputs for its owner and host; others who follow it up (office, host's list) see it read-only.</summary>
    public async Task<CardActionResult> OpenItemAsync(ITurnContext turn, ActionItemOnMeeting record, JObject data, CancellationToken cancellationToken)
    {
        var may = await service.MayAsync(turn, MinutesPermissions.UpdateActionItem, record.Resource, cancellationToken).ConfigureAwait(false);
        return new CardActionResult(cards.Item(record.Item, LocaleOf(turn), Today, may));
    }

    /// <summary>"actions.update" (the sender is the item's owner or host): in progress / done / blocked, each with a note (the reason when blocked); kept in the item's history with who and when.</summary>
    public async Task<CardActionResult> UpdateItemAsync(ITurnContext turn, ActionItemOnMeeting record, JObject data, CancellationToken cancellationToken)
    {
        var locale = LocaleOf(turn);
        var item = record.Item;
        var statusText = CardFields.Field(data, "status").Trim();
        var note = CardFields.Field(data, "note").Trim();
        note = Dialogs.InputLimits.Truncate(note, MinutesStore.MaxNoteChars);
        var errors = new Dictionary<string, string>();
        ActionItemStatus status = default;
        if (statusText.Length == 0)
        {
            errors["status"] = "chooseStatus";
        }
        else if (!Enum.TryParse(statusText, out status) || status is not (ActionItemStatus.InProgress or ActionItemStatus.Done or ActionItemStatus.Blocked))
        {
            errors["status"] = "badStatus";
        }
        if (note.Length == 0)
        {
            errors["note"] = status == ActionItemStatus.Blocked ? "reasonRequired" : "noteRequired";
        }
        if (!item.IsOpen)
        {
            return new CardActionResult(cards.Item(item, locale, Today, true, message: L(locale, "item.closed", StatusText(locale, item.Status)), warning: true));
        }
        if (errors.Count > 0)
        {
            return new CardActionResult(cards.Item(item, locale, Today, true, errors, (statusText, note), L(locale, "errors.count", errors.Count), warning: true));
        }
        var from = turn.Activity.From;
        var updated = await service.ReportProgressAsync(item with
        {
            Status = status,
            Note = note,
            History = [.. item.History, new ActionItemUpdate(status, note, from?.Id ?? "", from?.Name ?? "", service.Now)],
        }, cancellationToken).ConfigureAwait(false);
        await notifier.ItemUpdatedAsync(updated, from?.Id ?? "", cancellationToken).ConfigureAwait(false);
        await agendaRefresher.RefreshAsync(turn, updated.TenantId, updated.SeriesId, cancellationToken).ConfigureAwait(false);
        return new CardActionResult(cards.Item(updated, locale, Today, true, message: L(locale, "item.updated", StatusText(locale, status))));
    }

    private string StatusText(string locale, ActionItemStatus status) => cards.StatusText(locale, status);
}

/// <summary>
/// One verb of the minutes' cards on the card-action base: the meeting the card names is loaded
/// in the sender's tenant (unknown: "minutes.unknownMeeting") and <paramref name="permission"/>
/// decided on it (host, recorder, participants, recipients) before <paramref name="run"/>, which
/// only does the verb's work. Both a refusal and an unknown meeting are sent as a message of their own.
/// </summary>
public sealed class MinutesActionHandler(string verb, string permission, MinutesService service, MinutesSchedule schedule, IAuthorizationService authorization,
    Func<ITurnContext, MinutesContext, JObject, CancellationToken, Task<CardActionResult>> run) : CardActionHandler<MinutesContext>(authorization)
{
    public override string Verb => verb;

    protected override string Permission => permission;

    protected override string NotFoundKey => "minutes.unknownMeeting";

    protected override async Task<MinutesContext?> LoadAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        // The tenant's daily reminders are scheduled on its first minutes action (as on its first command).
        await schedule.EnsureDailyAsync(action.Tenant, cancellationToken).ConfigureAwait(false);
        return await service.LoadAsync(action.Tenant, action.Field("occurrence"), cancellationToken).ConfigureAwait(false);
    }

    protected override AuthorizationResource ResourceOf(MinutesContext record) => MinutesService.ResourceOf(record);

    protected override Task<CardActionResult> AnswerAsync(CardActionContext action, string text, CancellationToken cancellationToken) =>
        action.SendAsync(text, cancellationToken);

    protected override Task<CardActionResult> RunAsync(CardActionContext action, MinutesContext record, CancellationToken cancellationToken) =>
        run(action.Turn, record, action.Data, cancellationToken);
}

/// <summary>
/// One verb of an action item's card on the card-action base: the item the card names is loaded
/// in the sender's tenant (unknown: "minutes.item.unknown") and the sender's permission decided on
/// it (its owner, its meeting's host may update it; with <paramref name="openToFollowUp"/> also
/// whoever follows up the meeting's items may see it) before <paramref name="run"/>. Answers are the action's answer.
/// </summary>
public sealed class ActionItemHandler(string verb, bool openToFollowUp, MinutesActions actions, MinutesSchedule schedule, IAuthorizationService authorization,
    Func<ITurnContext, ActionItemOnMeeting, JObject, CancellationToken, Task<CardActionResult>> run)
    : CardActionHandler<ActionItemOnMeeting>(authorization)
{
    public override string Verb => verb;

    protected override string Permission => MinutesPermissions.UpdateActionItem;

    protected override string NotFoundKey => "minutes.item.unknown";

    protected override async Task<ActionItemOnMeeting?> LoadAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        await schedule.EnsureDailyAsync(action.Tenant, cancellationToken).ConfigureAwait(false);
        return await actions.ItemAsync(action.Tenant, action.Field("item"), cancellationToken).ConfigureAwait(false);
    }

    protected override AuthorizationResource? ResourceOf(ActionItemOnMeeting record) => record.Resource;

    /// <summary>Opening an item: its owner or host, or whoever follows up the meeting's items (<see cref="MinutesActions.MayOpenItemAsync"/>).</summary>
    protected override Task<AuthorizationDecision> DecideAsync(CardActionContext action, AuthorizationResource? resource, CancellationToken cancellationToken) =>
        openToFollowUp && resource != null
            ? actions.MayOpenItemAsync(action.Turn, resource, cancellationToken)
            : base.DecideAsync(action, resource, cancellationToken);

    protected override Task<CardActionResult> RunAsync(CardActionContext action, ActionItemOnMeeting record, CancellationToken cancellationToken) =>
        run(action.Turn, record, action.Data, cancellationToken);
}

/// <summary>An action item and the resource its permissions are decided on (its owner, its meeting's host).</summary>
public sealed record ActionItemOnMeeting(ActionItem Item, AuthorizationResource Resource);
