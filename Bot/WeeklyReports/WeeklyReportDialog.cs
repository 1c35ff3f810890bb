using ChatRegs.Bot.Routing;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Suggestions;
using Microsoft.Bot.Builder;
using ChatRegs.Bot.Core;
using ChatRegs.Dialogs;

namespace ChatRegs.Bot.WeeklyReports;

/// <summary>
/// "周报" / "report": the weekly report form for the current ISO week (or a past week named
/// after the command), validated on the server, saved in <see cref="WeeklyReportStore"/>.
/// <list type="bullet">
/// <item>Open until the deadline: handing in again edits the report (the form comes pre-filled).
/// After the deadline a report already handed in is shown, not edited; a first one is accepted and
/// marked late (逾期).</item>
/// <item>合理化建议: the suggestions the person already filed this week (<c>建议</c>, Suggestions
/// store) are listed on the form and count; with none, the form asks for one (title and details)
/// and files it as an ordinary suggestion of the week, so it is counted once, in one place.</item>
/// </list>
/// </summary>
public sealed class WeeklyReportDialog : InterruptibleComponentDialog, IPersonalFlow
{
    public new const string Id = "weeklyReport";
    public const string SubmitVerb = "weeklyReports.submit";
    public const string FormTemplate = "WeeklyReportForm";

    private readonly WeeklyReportService _service;
    private readonly WeeklyReportStore _store;
    private readonly SuggestionStore _suggestions;
    private readonly PeopleDirectory _people;
    private readonly ICardFactory _cards;
    private readonly Localizer _localizer;
    private readonly WeeklyReportPlanner _planner;
    private readonly ILogger<WeeklyReportDialog> _logger;

    public WeeklyReportDialog(WeeklyReportService service, WeeklyReportStore store, SuggestionStore suggestions, PeopleDirectory people,
        ICardFactory cards, IHelpResponder help, Localizer localizer, WeeklyReportPlanner planner, ILogger<WeeklyReportDialog> logger)
        : base(Id, help)
    {
        _planner = planner;
        _logger = logger;
        _service = service;
        _store = store;
        _suggestions = suggestions;
        _people = people;
        _cards = cards;
        _localizer = localizer;
        AddDialog(new CardFormPrompt("form", cards, ValidateAsync));
        AddDialog(new WaterfallDialog("steps", [OpenAsync, SaveAsync]));
        InitialDialogId = "steps";
    }

    private WeeklyReportOptions Options => _service.Options;

    private static string Locale(ITurnContext turn) => turn.Activity.Locale ?? "";

    private string L(ITurnContext turn, string key, params object?[] args) => _localizer.Get(Locale(turn), key, args);

    private async Task<DialogTurnResult> OpenAsync(WaterfallStepContext step, CancellationToken ct)
    {
        var turn = step.Context;
        var tenant = Tenants.Of(turn.Activity) ?? "";
        var userId = turn.Activity.From?.Id ?? "";
        var person = await _people.GetAsync(tenant, userId, ct).ConfigureAwait(false);
        if (person?.Team == null)
        {
            await turn.SendActivityAsync(MessageFactory.Text(L(turn, "weeklyReports.noTeam")), ct).ConfigureAwait(false);
            return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
        }

        var settings = await _service.SettingsAsync(tenant, person.Team, ct).ConfigureAwait(false);
        var current = _service.CurrentWeek(settings);
        var week = step.Options is string { Length: > 0 } asked ? asked : current;
        if (IsoWeek.Compare(week, current) > 0)
        {
            await turn.SendActivityAsync(MessageFactory.Text(L(turn, "weeklyReports.futureWeek", week, current)), ct).ConfigureAwait(false);
            return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
        }

        var plan = _service.Plan(settings, week);
        var now = _service.Now;
        if (week == current)
        {
            await EnsurePlannedAsync(tenant, person.Team, week, ct).ConfigureAwait(false);
        }
        var existing = await _store.GetAsync(tenant, person.Team, week, userId, ct).ConfigureAwait(false);
        if (existing != null && plan.IsPast(now))
        {
            // Editing closes at the deadline: what was handed in stands.
            await turn.SendActivityAsync(MessageFactory.Text(L(turn, "weeklyReports.closed", ReportText.Deadline(_localizer, Locale(turn), plan))), ct).ConfigureAwait(false);
            var mine = await _suggestions.ListAsync(tenant, week, userId, ct).ConfigureAwait(false);
            await turn.SendActivityAsync(MessageFactory.Attachment(ReportView.Card(_cards, _localizer, Locale(turn), existing, mine, plan)), ct).ConfigureAwait(false);
            return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
        }

        step.Values["team"] = person.Team;
        step.Values["week"] = week;
        // This form's token: both sends of a double click file its suggestion once.
        step.Values["form"] = Guid.NewGuid().ToString("N");
        var planItems = await LastWeeksPlanAsync(tenant, person.Team, week, userId, existing, ct).ConfigureAwait(false);
        // Dialog state is stored as JSON text: the carried items' texts as a string.
        step.Values["planItems"] = JsonSerializer.Serialize(planItems.Select(i => i.Text).ToArray());
        var suggestions = await _suggestions.ListAsync(tenant, week, userId, ct).ConfigureAwait(false);
        var data = FormData(Locale(turn), person.Team, plan, existing, suggestions, now, planItems);
        return await step.PromptAsync("form", new CardFormPromptOptions
        {
            TemplateName = FormTemplate,
            Verb = SubmitVerb,
            Data = data,
            MaxAttempts = 5,
        }, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A department created after Monday's planning gets this week's reminders and digest as
    /// soon as one of its members opens the form. Best effort: the form opens regardless, and
    /// next Monday's planning catches up.
    /// </summary>
    private async Task EnsurePlannedAsync(string tenant, string team, string week, CancellationToken ct)
    {
        try
        {
            await _planner.PlanTeamAsync(tenant, team, week, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning("Could not plan the weekly reports of {Team} for {Week} in tenant {TenantId} ({Reason}); Monday's planning will.", team, week, tenant, e.Message);
        }
    }

    /// <summary>
    /// (四)第三条: last week's plan items, to be marked done / not done / in progress — as this
    /// week's report already has them (editing), else carried over from the plan of my previous
    /// week's report (one item per line; its status not chosen yet). None without a previous report.
    /// </summary>
    private async Task<IReadOnlyList<PlanItem>> LastWeeksPlanAsync(string tenant, string team, string week, string userId, WeeklyReport? existing, CancellationToken ct)
    {
        if (existing is { PlanReview.Count: > 0 })
        {
            return existing.PlanReview;
        }
        var previousWeek = IsoWeek.Add(week, -1);
        var previous = await _store.GetAsync(tenant, team, previousWeek, userId, ct).ConfigureAwait(false)
            ?? await _store.FindAsync(tenant, userId, previousWeek, ct).ConfigureAwait(false);
        return PlanStatus.ItemsOf(previous?.Plan).Select(text => new PlanItem(text, "")).ToList();
    }

    /// <summary>The form's data: every input's value (the template shows "${…}" for a missing one).</summary>
    private JsonObject FormData(string locale, string team, WeekPlan plan, WeeklyReport? existing, IReadOnlyList<Suggestion> suggestions, DateTimeOffset now, IReadOnlyList<PlanItem> planItems)
    {
        var items = new JsonArray();
        for (var i = 0; i < planItems.Count; i++)
        {
            items.Add(new JsonObject
            {
                ["id"] = PlanItemField(i),
                ["text"] = _localizer.Get(locale, "weeklyReports.form.planItem", i + 1, planItems[i].Text),
                ["value"] = planItems[i].Status,
                ["error"] = "",
            });
        }
        var list = new JsonArray();
        foreach (var s in suggestions.OrderBy(s => s.SubmittedAt))
        {
            list.Add(new JsonObject { ["title"] = s.Title, ["details"] = s.Details });
        }
        var late = plan.IsPast(now);
        var shift = ReportText.ShiftNote(_localizer, locale, plan);
        return new JsonObject
        {
            ["team"] = team,
            ["week"] = plan.Week,
            ["heading"] = _localizer.Get(locale, "weeklyReports.form.heading", team, ReportText.Week(_localizer, locale, plan.Week)),
            ["deadline"] = _localizer.Get(locale, "weeklyReports.form.deadline", ReportText.Deadline(_localizer, locale, plan)),
            ["hasShift"] = shift.Length > 0,
            ["shift"] = shift,
            ["isLate"] = late && plan.ReportsDue,
            ["late"] = _localizer.Get(locale, "weeklyReports.form.late"),
            ["isEdit"] = existing != null,
            ["edit"] = existing == null ? "" : _localizer.Get(locale, "weeklyReports.form.editing", ReportText.DateTime(_localizer, locale, existing.UpdatedUtc, plan.Zone)),
            ["hasSuggestions"] = list.Count > 0,
            ["suggestions"] = list,
            ["suggestionsNote"] = list.Count > 0
                ? _localizer.Get(locale, "weeklyReports.form.suggestionsFiled", list.Count)
                : _localizer.Get(locale, "weeklyReports.form.suggestionsNone"),
            ["newSuggestionLabel"] = list.Count > 0
                ? _localizer.Get(locale, "weeklyReports.form.suggestionAnother")
                : _localizer.Get(locale, "weeklyReports.form.suggestionRequired"),
            ["hasPlanItems"] = items.Count > 0,
            ["planIntro"] = _localizer.Get(locale, "weeklyReports.form.planReviewIntro", ReportText.Week(_localizer, locale, IsoWeek.Add(plan.Week, -1))),
            ["planItems"] = items,
            ["maxText"] = Options.MaxTextLength,
            ["maxOptional"] = Options.MaxOptionalLength,
            ["values"] = new JsonObject
            {
                ["summary"] = existing?.Summary ?? "",
                ["plan"] = existing?.Plan ?? "",
                ["issues"] = existing?.Issues ?? "",
                ["coordination"] = existing?.Coordination ?? "",
                ["suggestionTitle"] = "",
                ["suggestionDetails"] = "",
            },
        };
    }

    private async Task<IReadOnlyDictionary<string, string>?> ValidateAsync(CardFormValidatorContext form, CancellationToken ct)
    {
        var locale = form.Locale;
        var errors = new Dictionary<string, string>();
        void Required(string field, int min, int max)
        {
            var length = (form.Value(field) ?? "").Length;
            if (length == 0)
            {
                errors[field] = _localizer.Get(locale, $"weeklyReports.errors.{field}Required");
            }
            else if (length < min)
            {
                errors[field] = _localizer.Get(locale, "weeklyReports.errors.tooShort", min);
            }
            else if (length > max)
            {
                errors[field] = _localizer.Get(locale, "weeklyReports.errors.tooLong", max);
            }
        }
        // Each of last week's plan items needs its status; the choice is kept on the form it comes back on.
        foreach (var item in form.Options.Data?["planItems"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var field = (string?)item["id"] ?? "";
            var status = form.Value(field);
            item["value"] = PlanStatus.IsValid(status) ? status : "";
            item["error"] = PlanStatus.IsValid(status) ? "" : _localizer.Get(locale, "weeklyReports.errors.planStatusRequired");
            if (!PlanStatus.IsValid(status))
            {
                errors[field] = (string)item["error"]!;
            }
        }
        Required("summary", Options.MinTextLength, Options.MaxTextLength);
        Required("plan", Options.MinTextLength, Options.MaxTextLength);
        foreach (var optional in new[] { "issues", "coordination" })
        {
            if ((form.Value(optional) ?? "").Length > Options.MaxOptionalLength)
            {
                errors[optional] = _localizer.Get(locale, "weeklyReports.errors.tooLong", Options.MaxOptionalLength);
            }
        }

        var title = form.Value("suggestionTitle") ?? "";
        var details = form.Value("suggestionDetails") ?? "";
        if (title.Length == 0 && details.Length == 0)
        {
            // None written here: fine when one was filed this week (here or with 建议) — asked again, not trusted from the card.
            var week = form.Options.Data?["week"]?.GetValue<string>() ?? "";
            var tenant = Tenants.Of(form.Context.Activity) ?? "";
            var filed = await _suggestions.ListAsync(tenant, week, form.Context.Activity.From?.Id ?? "", ct).ConfigureAwait(false);
            if (filed.Count == 0)
            {
                errors["suggestionTitle"] = _localizer.Get(locale, "weeklyReports.errors.suggestionRequired");
            }
        }
        else
        {
            if (title.Length < SuggestionDialog.MinTitle || title.Length > SuggestionDialog.MaxTitle)
            {
                errors["suggestionTitle"] = _localizer.Get(locale, "weeklyReports.errors.suggestionTitleLength", SuggestionDialog.MinTitle, SuggestionDialog.MaxTitle);
            }
            if (details.Length < SuggestionDialog.MinDetails)
            {
                errors["suggestionDetails"] = _localizer.Get(locale, "weeklyReports.errors.tooShort", SuggestionDialog.MinDetails);
            }
            else if (details.Length > SuggestionDialog.MaxDetails)
            {
                errors["suggestionDetails"] = _localizer.Get(locale, "weeklyReports.errors.tooLong", SuggestionDialog.MaxDetails);
            }
        }
        return errors;
    }

    /// <summary>The form field of last week's plan item <paramref name="index"/> (0-based).</summary>
    private static string PlanItemField(int index) => "planItem" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<DialogTurnResult> SaveAsync(WaterfallStepContext step, CancellationToken ct)
    {
        if (step.Result is not CardFormResult form || form.Cancelled)
        {
            return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
        }
        var turn = step.Context;
        var locale = Locale(turn);
        var tenant = Tenants.Of(turn.Activity) ?? "";
        var user = turn.Activity.From;
        var team = (string)step.Values["team"];
        var week = (string)step.Values["week"];
        string? Value(string field) => form.Values.TryGetValue(field, out var v) && v.Trim().Length > 0 ? v.Trim() : null;

        // The deadline is checked again now: the form may have been open across it.
        var settings = await _service.SettingsAsync(tenant, team, ct).ConfigureAwait(false);
        var plan = _service.Plan(settings, week);
        var now = _service.Now;
        var existing = await _store.GetAsync(tenant, team, week, user.Id, ct).ConfigureAwait(false);
        if (existing != null && plan.IsPast(now))
        {
            await turn.SendActivityAsync(MessageFactory.Text(L(turn, "weeklyReports.closedMeanwhile", ReportText.Deadline(_localizer, locale, plan))), ct).ConfigureAwait(false);
            return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
        }

        // The suggestion first, as an ordinary suggestion of the week; a retry after a failed save
        // finds it already filed (same title and details) and does not file it twice.
        var mine = await _suggestions.ListAsync(tenant, week, user.Id, ct).ConfigureAwait(false);
        if (Value("suggestionTitle") is { } title && Value("suggestionDetails") is { } details
            && !mine.Any(s => s.Title == title && s.Details == details))
        {
            var formKey = step.Values.TryGetValue("form", out var token) && token is string { Length: > 0 } t ? t : turn.Activity.Id;
            await _suggestions.AddAsync(new Suggestion(tenant, user.Id, user.Name ?? "", week, now, title, details, null, null), mine.Count, formKey, ct).ConfigureAwait(false);
            mine = await _suggestions.ListAsync(tenant, week, user.Id, ct).ConfigureAwait(false);
        }

        var carried = step.Values.TryGetValue("planItems", out var json) && json is string text
            ? JsonSerializer.Deserialize<string[]>(text) ?? []
            : [];
        var planReview = carried.Select((item, i) => new PlanItem(item, Value(PlanItemField(i)) ?? "")).Where(i => PlanStatus.IsValid(i.Status)).ToList();
        var late = existing?.Late ?? (plan.ReportsDue && plan.IsPast(now));
        var report = new WeeklyReport
        {
            TenantId = tenant,
            Team = team,
            Week = week,
            UserId = user.Id,
            UserName = user.Name ?? existing?.UserName ?? "",
            Summary = Value("summary")!,
            Plan = Value("plan")!,
            Issues = Value("issues"),
            Coordination = Value("coordination"),
            PlanReview = planReview,
            SubmittedUtc = existing?.SubmittedUtc ?? now,
            UpdatedUtc = now,
            DeadlineUtc = existing?.DeadlineUtc ?? plan.DeadlineUtc,
            Late = late,
            Revisions = (existing?.Revisions ?? 0) + 1,
            ETag = existing?.ETag,
        };
        var result = await _store.SaveAsync(report, ct).ConfigureAwait(false);
        if (result.IsChanged
            && await _store.GetAsync(tenant, team, week, user.Id, ct).ConfigureAwait(false) is { } stored
            && stored.Summary == report.Summary && stored.Plan == report.Plan && stored.Issues == report.Issues && stored.Coordination == report.Coordination)
        {
            // The same form sent twice at the same moment (a double click): the other send saved it.
            await turn.SendActivityAsync(MessageFactory.Text(L(turn, "weeklyReports.alreadySaved", ReportText.Week(_localizer, locale, week))), ct).ConfigureAwait(false);
            SavedTurns.Mark(turn);
            return await step.EndDialogAsync(stored, ct).ConfigureAwait(false);
        }
        var saved = result.OrThrow();

        var key = late ? "weeklyReports.savedLate" : existing != null ? "weeklyReports.updated" : "weeklyReports.saved";
        await turn.SendActivityAsync(MessageFactory.Text(L(turn, key, ReportText.Week(_localizer, locale, week), mine.Count, ReportText.Deadline(_localizer, locale, plan))), ct).ConfigureAwait(false);
        // Saved and said: the other send of this form saving the dialog state first must not add "not saved".
        SavedTurns.Mark(turn);
        return await step.EndDialogAsync(saved, ct).ConfigureAwait(false);
    }
}
