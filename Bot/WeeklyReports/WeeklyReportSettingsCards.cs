using System.Globalization;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.WeeklyReports;

/// <summary>
/// The office's per-team settings, in chat ("周报 设置" / "report settings"): a list of the
/// departments with their deadline, reminder and digest recipients ("WeeklyReportSettings"),
/// and a form per department ("WeeklyReportSettingsForm"), validated on the server. Saving
/// re-plans the team's current week, so a changed deadline moves this week's reminders too.
/// Chosen over a configuration section because departments are created in chat by the office
/// (角色), and the people who decide the deadline are not the ones who deploy the bot; the
/// configuration section (<see cref="WeeklyReportOptions"/>) only holds the defaults.
/// </summary>
public sealed class WeeklyReportSettingsCards(
    WeeklyReportService service,
    TeamSettingsStore store,
    WeeklyReportPlanner planner,
    PeopleDirectory people,
    IAuthorizationService authorization,
    ICardFactory cards,
    Localizer localizer)
{
    public const string ListTemplate = "WeeklyReportSettings";
    public const string FormTemplate = "WeeklyReportSettingsForm";
    public const string ListVerb = "weeklyReports.settingsList";
    public const string EditVerb = "weeklyReports.settingsEdit";
    public const string SaveVerb = "weeklyReports.settingsSave";

    private static readonly DayOfWeek[] WeekOrder = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    /// <summary>"周报 设置": sends the list, or the refusal (the card actions below are checked by their base).</summary>
    public async Task SendListAsync(ITurnContext turn, CancellationToken cancellationToken)
    {
        var result = await RefusedAsync(turn, cancellationToken).ConfigureAwait(false) ?? await ListAsync(turn, cancellationToken).ConfigureAwait(false);
        await turn.SendActivityAsync(result.RefreshedCard != null ? MessageFactory.Attachment(result.RefreshedCard) : MessageFactory.Text(result.Message), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The list of departments. Callers have decided <see cref="WeeklyReportPermissions.ManageWeeklyReports"/>.</summary>
    public async Task<CardActionResult> ListAsync(ITurnContext turn, CancellationToken cancellationToken, string message = "")
    {
        var locale = Locale(turn);
        var tenant = Tenant(turn);
        var everyone = await service.PeopleAsync(tenant, cancellationToken).ConfigureAwait(false);
        var teams = new JsonArray();
        foreach (var (department, settings) in await service.AllSettingsAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            var recipients = WeeklyReportService.Recipients(settings, department, everyone);
            var plan = service.Plan(settings, service.CurrentWeek(settings));
            teams.Add(new JsonObject
            {
                ["name"] = department.Name,
                ["schedule"] = localizer.Get(locale, "weeklyReports.settings.scheduleLine",
                    ReportText.Day(localizer, locale, settings.DeadlineDay), Time(settings.DeadlineTime), Time(settings.ReminderTime)),
                ["thisWeek"] = plan.ReportsDue
                    ? localizer.Get(locale, "weeklyReports.settings.thisWeek", ReportText.Deadline(localizer, locale, plan))
                    : localizer.Get(locale, "weeklyReports.digest.notDue"),
                ["recipients"] = localizer.Get(locale, "weeklyReports.settings.recipientsLine", Names(locale, recipients, service.OfficeNotYetMet(tenant, settings, everyone))),
                ["hasChat"] = settings.DigestChatId != null,
                ["chat"] = localizer.Get(locale, "weeklyReports.chat.settingsLine", settings.DigestChatName ?? localizer.Get(locale, "weeklyReports.chat.aChat")),
                ["isDefault"] = settings.IsDefault,
                ["defaultNote"] = localizer.Get(locale, "weeklyReports.settings.defaultNote"),
            });
        }
        return new CardActionResult(cards.Create(ListTemplate, new JsonObject
        {
            ["message"] = message,
            ["hasMessage"] = message.Length > 0,
            ["hasTeams"] = teams.Count > 0,
            ["teams"] = teams,
        }, locale));
    }

    /// <summary>One department's form. Callers have decided <see cref="WeeklyReportPermissions.ManageWeeklyReports"/>.</summary>
    public async Task<CardActionResult> EditAsync(ITurnContext turn, string team, CancellationToken cancellationToken)
    {
        var tenant = Tenant(turn);
        var department = await FindTeamAsync(tenant, team, cancellationToken).ConfigureAwait(false);
        if (department == null)
        {
            return new CardActionResult(Message: localizer.Get(Locale(turn), "weeklyReports.settings.unknownTeam", team));
        }
        var settings = await service.SettingsAsync(tenant, department.Name, cancellationToken).ConfigureAwait(false);
        return new CardActionResult(await FormAsync(turn, settings, null, null, "", cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Validates and saves a department's settings from the form. Callers have decided <see cref="WeeklyReportPermissions.ManageWeeklyReports"/>.</summary>
    public async Task<CardActionResult> SaveAsync(ITurnContext turn, JObject data, CancellationToken cancellationToken)
    {
        var locale = Locale(turn);
        var tenant = Tenant(turn);
        var department = await FindTeamAsync(tenant, CardFields.Field(data, "team", 200), cancellationToken).ConfigureAwait(false);
        if (department == null)
        {
            return new CardActionResult(Message: localizer.Get(locale, "weeklyReports.settings.unknownTeam", CardFields.Field(data, "team", 200)));
        }
        var current = await service.SettingsAsync(tenant, department.Name, cancellationToken).ConfigureAwait(false);

        var values = new JsonObject();
        foreach (var field in new[] { "deadlineDay", "deadlineTime", "reminderTime", "includeApprover", "includeOffice", "digestAtDeadline" })
        {
            values[field] = CardFields.Field(data, field, 50);
        }
        values["extraRecipients"] = CardFields.Field(data, "extraRecipients", 1000);
        var errors = new JsonObject();

        var day = WeekOrder.Cast<DayOfWeek?>().FirstOrDefault(d => d.ToString()!.Equals((string?)values["deadlineDay"], StringComparison.OrdinalIgnoreCase));
        if (day == null)
        {
            errors["deadlineDay"] = localizer.Get(locale, "weeklyReports.settings.errors.day");
        }
        var deadline = ParseTime((string)values["deadlineTime"]!);
        var reminder = ParseTime((string)values["reminderTime"]!);
        if (deadline == null)
        {
            errors["deadlineTime"] = localizer.Get(locale, "weeklyReports.settings.errors.time");
        }
        if (reminder == null)
        {
            errors["reminderTime"] = localizer.Get(locale, "weeklyReports.settings.errors.time");
        }
        else if (deadline != null && reminder >= deadline)
        {
            errors["reminderTime"] = localizer.Get(locale, "weeklyReports.settings.errors.reminderAfterDeadline", Time(deadline.Value));
        }
        bool? Toggle(string field)
        {
            var text = (string)values[field]!;
            if (text is "true" or "false")
            {
                return text == "true";
            }
            errors[field] = localizer.Get(locale, "weeklyReports.settings.errors.toggle");
            return null;
        }
        var includeApprover = Toggle("includeApprover");
        var includeOffice = Toggle("includeOffice");
        var digestAtDeadline = Toggle("digestAtDeadline");

        var extras = new List<string>();
        foreach (var name in SplitNames((string)values["extraRecipients"]!))
        {
            var found = await ResolveAsync(tenant, name, cancellationToken).ConfigureAwait(false);
            if (found.Count == 1)
            {
                extras.Add(found[0].UserId);
                continue;
            }
            errors["extraRecipients"] = found.Count == 0
                ? localizer.Get(locale, "weeklyReports.settings.errors.unknownPerson", name)
                : localizer.Get(locale, "weeklyReports.settings.errors.ambiguousPerson", name, Names(locale, found.Take(5).ToList()));
            break;
        }

        if (errors.Count == 0)
        {
            var candidate = current with
            {
                DeadlineDay = day!.Value,
                DeadlineTime = deadline!.Value,
                ReminderTime = reminder!.Value,
                IncludeApprover = includeApprover!.Value,
                IncludeOffice = includeOffice!.Value,
                DigestAtDeadline = digestAtDeadline!.Value,
                ExtraRecipients = extras.Distinct(StringComparer.Ordinal).ToList(),
                UpdatedBy = turn.Activity.From?.Name ?? turn.Activity.From?.Id,
                UpdatedUtc = service.Now,
            };
            if ((await service.RecipientsAsync(tenant, candidate, cancellationToken).ConfigureAwait(false)).Count == 0)
            {
                errors["extraRecipients"] = localizer.Get(locale, "weeklyReports.settings.errors.noRecipients");
            }
            else
            {
                // The card's version must be the one just read (none for settings never saved). The
                // card's text never goes to storage as a condition: a forged one ("*", or one that is
                // not an ETag at all) would overwrite unconditionally or fail as a bad request.
                var etag = CardFields.Field(data, "etag", 300);
                var cardIsCurrent = etag == (current.ETag ?? "");
                var result = cardIsCurrent ? await store.SaveAsync(candidate, current.ETag, cancellationToken).ConfigureAwait(false) : default;
                if (!cardIsCurrent || !result.IsWritten)
                {
                    var latest = await service.SettingsAsync(tenant, department.Name, cancellationToken).ConfigureAwait(false);
                    return new CardActionResult(await FormAsync(turn, latest, null, null, localizer.Get(locale, "weeklyReports.settings.changedMeanwhile"), cancellationToken).ConfigureAwait(false));
                }
                var saved = result.Value!;
                await planner.PlanTeamAsync(tenant, saved.Team, null, cancellationToken).ConfigureAwait(false);
                return new CardActionResult(await FormAsync(turn, saved, null, null, localizer.Get(locale, "weeklyReports.settings.saved", saved.Team), cancellationToken).ConfigureAwait(false));
            }
        }
        return new CardActionResult(await FormAsync(turn, current, values, errors, localizer.Get(locale, "weeklyReports.settings.fixErrors"), cancellationToken).ConfigureAwait(false));
    }

    private async Task<Attachment> FormAsync(ITurnContext turn, TeamSettings settings, JsonObject? values, JsonObject? errors, string message, CancellationToken cancellationToken)
    {
        var locale = Locale(turn);
        var tenant = Tenant(turn);
        var everyone = await people.ListAsync(tenant, cancellationToken).ConfigureAwait(false);
        var extras = settings.ExtraRecipients.Select(id => everyone.FirstOrDefault(p => p.UserId == id)?.Name ?? id);
        var department = await FindTeamAsync(tenant, settings.Team, cancellationToken).ConfigureAwait(false);
        var approver = department?.ApproverUserId is { } approverId ? everyone.FirstOrDefault(p => p.UserId == approverId) : null;
        var days = new JsonArray();
        foreach (var day in WeekOrder)
        {
            days.Add(new JsonObject { ["title"] = ReportText.Day(localizer, locale, day), ["value"] = day.ToString() });
        }
        values ??= new JsonObject
        {
            ["deadlineDay"] = settings.DeadlineDay.ToString(),
            ["deadlineTime"] = Time(settings.DeadlineTime),
            ["reminderTime"] = Time(settings.ReminderTime),
            ["includeApprover"] = settings.IncludeApprover ? "true" : "false",
            ["includeOffice"] = settings.IncludeOffice ? "true" : "false",
            ["digestAtDeadline"] = settings.DigestAtDeadline ? "true" : "false",
            ["extraRecipients"] = string.Join(localizer.Get(locale, "weeklyReports.digest.nameSeparator"), extras),
        };
        var plan = service.Plan(settings, service.CurrentWeek(settings));
        return cards.Create(FormTemplate, new JsonObject
        {
            ["team"] = settings.Team,
            ["etag"] = settings.ETag ?? "",
            ["heading"] = localizer.Get(locale, "weeklyReports.settings.formHeading", settings.Team),
            ["timeZone"] = localizer.Get(locale, "weeklyReports.settings.timeZone", settings.TimeZone),
            ["thisWeek"] = plan.ReportsDue
                ? localizer.Get(locale, "weeklyReports.settings.thisWeek", ReportText.Deadline(localizer, locale, plan))
                : localizer.Get(locale, "weeklyReports.digest.notDue"),
            ["approverLabel"] = localizer.Get(locale, "weeklyReports.settings.includeApprover",
                approver?.Name ?? localizer.Get(locale, "weeklyReports.settings.noApprover")),
            ["days"] = days,
            ["message"] = message,
            ["hasMessage"] = message.Length > 0,
            ["values"] = values,
            ["errors"] = errors ?? new JsonObject(),
        }, locale);
    }

    /// <summary>People matching a name, e-mail or id: the exact matches when there are any, else every match.</summary>
    private async Task<IReadOnlyList<Person>> ResolveAsync(string tenant, string text, CancellationToken cancellationToken)
    {
        var found = await people.SearchAsync(tenant, text, 20, cancellationToken).ConfigureAwait(false);
        var exact = found.Where(p => p.Name.Equals(text, StringComparison.OrdinalIgnoreCase)
            || (p.UserPrincipalName?.Equals(text, StringComparison.OrdinalIgnoreCase) ?? false)
            || p.UserId.Equals(text, StringComparison.OrdinalIgnoreCase)).ToList();
        return exact.Count > 0 ? exact : found;
    }

    private static IEnumerable<string> SplitNames(string text) =>
        text.Split([',', '，', '、', ';', '；', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.OrdinalIgnoreCase);

    private async Task<Department?> FindTeamAsync(string tenant, string team, CancellationToken cancellationToken) =>
        team.Length == 0 ? null : (await service.TeamsAsync(tenant, cancellationToken).ConfigureAwait(false)).FirstOrDefault(d => WeeklyReportService.SameTeam(d.Name, team));

    private async Task<CardActionResult?> RefusedAsync(ITurnContext turn, CancellationToken cancellationToken)
    {
        var decision = await authorization.AuthorizeAsync(turn, WeeklyReportPermissions.ManageWeeklyReports, null, cancellationToken).ConfigureAwait(false);
        return decision.Allowed ? null : new CardActionResult(Message: localizer.Get(Locale(turn), decision.ReasonKey ?? "weeklyReports.auth.settings"));
    }

    /// <param name="notYetMet">Configured office administrators nobody known has the id of: listed by that id, marked, never dropped.</param>
    private string Names(string locale, IReadOnlyList<Person> list, IReadOnlyList<string>? notYetMet = null)
    {
        var names = list.Select(p => p.Name.Length > 0 ? p.Name : p.UserId)
            .Concat((notYetMet ?? []).Select(id => localizer.Get(locale, "weeklyReports.settings.notYetMet", id)))
            .ToList();
        return names.Count == 0 ? localizer.Get(locale, "weeklyReports.settings.nobody") : string.Join(localizer.Get(locale, "weeklyReports.digest.nameSeparator"), names);
    }

    private static TimeOnly? ParseTime(string text) =>
        TimeOnly.TryParseExact(text, ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? new TimeOnly(t.Hour, t.Minute) : null;

    private static string Time(TimeOnly t) => t.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string Locale(ITurnContext turn) => turn.Activity.Locale ?? "";

    private static string Tenant(ITurnContext turn) => Tenants.Of(turn.Activity) ?? "";
}

/// <summary>"weeklyReports.settingsList": back to the list of departments (the office).</summary>
public sealed class SettingsListAction(IAuthorizationService authorization, WeeklyReportSettingsCards settings) : CardActionHandler(authorization)
{
    public override string Verb => WeeklyReportSettingsCards.ListVerb;

    protected override string Permission => WeeklyReportPermissions.ManageWeeklyReports;

    protected override Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken) => settings.ListAsync(action.Turn, cancellationToken);
}

/// <summary>"weeklyReports.settingsEdit": one department's form (the office).</summary>
public sealed class SettingsEditAction(IAuthorizationService authorization, WeeklyReportSettingsCards settings) : CardActionHandler(authorization)
{
    public override string Verb => WeeklyReportSettingsCards.EditVerb;

    protected override string Permission => WeeklyReportPermissions.ManageWeeklyReports;

    protected override Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken) =>
        settings.EditAsync(action.Turn, action.Field("team"), cancellationToken);
}

/// <summary>"weeklyReports.settingsSave": validate and save a department's settings (the office).</summary>
public sealed class SettingsSaveAction(IAuthorizationService authorization, WeeklyReportSettingsCards settings) : CardActionHandler(authorization)
{
    public override string Verb => WeeklyReportSettingsCards.SaveVerb;

    protected override string Permission => WeeklyReportPermissions.ManageWeeklyReports;

    protected override Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken) => settings.SaveAsync(action.Turn, action.Data, cancellationToken);
}
