using System.Globalization;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Exports;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.CustomerService;

/// <summary>The paper cards (Cards/RepPaperForm.json, Cards/RepPaperOverview.json) and what the commands and actions share.</summary>
public sealed class RepPaperViews(ICardFactory cards, Localizer localizer, RepPapers papers, CustomerViews customers, CustomerServiceSchedule schedule)
{
    public const string FormTemplate = "RepPaperForm";
    public const string OverviewTemplate = "RepPaperOverview";
    public const string SaveLogVerb = "repPapers.saveLog";
    public const string SavePaperVerb = "repPapers.savePaper";

    public string L(string locale, string key, params object?[] args) => localizer.Get(locale, "repPapers." + key, args);

    private string Stamp(DateTimeOffset t) => papers.Clock.Local(t).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <inheritdoc cref="CustomerViews.MayAsync"/>
    public Task<bool> MayAsync(ITurnContext turn, string action, CancellationToken cancellationToken) =>
        customers.MayAsync(turn, action, cancellationToken, "repPapers.personalOnly");

    public Task EnsureScheduleAsync(ITurnContext turn, CancellationToken cancellationToken) => schedule.EnsureAsync(CustomerViews.TenantOf(turn), cancellationToken);

    public Task<People.Person> ActorAsync(ITurnContext turn, CancellationToken cancellationToken) => customers.ActorAsync(turn, cancellationToken);

    /// <summary>Today's 工作日志 form: the day's facts, the log as saved (or as typed, with errors).</summary>
    public async Task<Attachment> LogFormAsync(People.Person actor, string locale, CancellationToken cancellationToken, PaperInput? typed = null, string? notice = null, string noticeColor = "Good")
    {
        var today = papers.Today;
        var facts = await papers.DayFactsAsync(actor.TenantId, actor.UserId, today, locale, cancellationToken).ConfigureAwait(false);
        var saved = await papers.LogAsync(actor.TenantId, today, actor.UserId, cancellationToken).ConfigureAwait(false);
        var day = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (notice == null && saved != null)
        {
            (notice, noticeColor) = (L(locale, "log.edit", Stamp(saved.SavedUtc)), "Default");
        }
        return Form(locale, L(locale, "log.heading", day), L(locale, "log.intro"), notice, noticeColor,
            L(locale, "log.factsHeading", facts.Count), facts, L(locale, "log.noFacts"), RepReportKinds.Log,
            typed?.Values ?? saved?.Fields, typed?.Errors, canSubmit: true, L(locale, "buttons.save"), SaveLogVerb, day, "");
    }

    /// <summary>A month's 月报 or 工作总结 form: the month's figures, the paper as handed in (or as typed, with errors).</summary>
    public async Task<Attachment> PaperFormAsync(People.Person actor, string month, string kind, string locale, CancellationToken cancellationToken, PaperInput? typed = null, string? notice = null, string noticeColor = "Good")
    {
        var facts = await papers.MonthFactsAsync(actor.TenantId, actor.UserId, month, locale, cancellationToken).ConfigureAwait(false);
        var saved = await papers.PaperAsync(actor.TenantId, month, kind, actor.UserId, cancellationToken).ConfigureAwait(false);
        var past = papers.IsPastDeadline(month);
        var kindName = L(locale, "kinds." + kind);
        var intro = past ? L(locale, "month.late", papers.DueText(month)) : L(locale, "month.intro", papers.DueText(month));
        var canSubmit = !(past && saved != null);
        if (notice == null && saved != null)
        {
            (notice, noticeColor) = canSubmit ? (L(locale, "month.edit", Stamp(saved.SavedUtc)), "Default") : (L(locale, "month.closed", month, kindName, Stamp(saved.SavedUtc)), "Warning");
        }
        return Form(locale, L(locale, "month.heading", month, kindName), intro, notice, noticeColor, L(locale, "month.factsHeading"), facts, "", kind,
            typed?.Values ?? saved?.Fields, typed?.Errors, canSubmit, L(locale, "buttons.handIn"), SavePaperVerb, "", month);
    }

    private Attachment Form(string locale, string heading, string intro, string? notice, string noticeColor, string factsHeading, IReadOnlyList<string> facts, string noFacts, string kind,
        IReadOnlyDictionary<string, string>? values, IReadOnlyDictionary<string, string>? errors, bool canSubmit, string submitTitle, string verb, string date, string month)
    {
        var factLines = new JsonArray();
        foreach (var f in facts)
        {
            factLines.Add(new JsonObject { ["text"] = f });
        }
        var fields = new JsonArray();
        foreach (var id in RepReportKinds.FieldsOf(kind))
        {
            fields.Add(new JsonObject
            {
                ["id"] = id,
                ["label"] = L(locale, "fields." + id),
                ["max"] = papers.Options.EffectiveFieldMaxLength,
                ["value"] = values != null && values.TryGetValue(id, out var v) ? v : "",
                ["error"] = errors != null && errors.TryGetValue(id, out var e) ? e : "",
            });
        }
        return cards.Create(FormTemplate, new JsonObject
        {
            ["heading"] = heading,
            ["intro"] = intro,
            ["hasNotice"] = notice != null,
            ["notice"] = notice ?? "",
            ["noticeColor"] = noticeColor,
            ["factsHeading"] = factsHeading,
            ["hasFacts"] = facts.Count > 0,
            ["noFacts"] = noFacts,
            ["facts"] = factLines,
            ["fields"] = fields,
            ["canSubmit"] = canSubmit,
            ["submitTitle"] = submitTitle,
            ["verb"] = verb,
            ["date"] = date,
            ["month"] = month,
            ["kind"] = kind,
        }, locale);
    }

    public async Task<Attachment> OverviewAsync(string tenantId, string month, string locale, CancellationToken cancellationToken)
    {
        var (rows, _, _) = await papers.MonthAsync(tenantId, month, cancellationToken).ConfigureAwait(false);
        var workingDays = papers.WorkingDaysSoFar(month);
        string State(MonthlyPaper? p) => p == null ? L(locale, "overview.missing") : L(locale, p.Late ? "overview.handedInLate" : "overview.handedIn");
        var items = new JsonArray();
        foreach (var row in rows)
        {
            var complete = row.Report != null && row.Summary != null && row.Logs >= workingDays;
            items.Add(new JsonObject
            {
                ["name"] = row.Name,
                ["line"] = L(locale, "overview.line", row.Logs, workingDays, State(row.Report), State(row.Summary)),
                ["color"] = complete ? "Good" : papers.IsPastDeadline(month) ? "Attention" : "Default",
            });
        }
        return cards.Create(OverviewTemplate, new JsonObject
        {
            ["heading"] = L(locale, "overview.heading", month),
            ["intro"] = L(locale, "overview.intro", papers.DueText(month), workingDays),
            ["hasRows"] = rows.Count > 0,
            ["empty"] = L(locale, "overview.empty"),
            ["month"] = month,
            ["rows"] = items,
        }, locale);
    }
}

/// <summary>"工作日志" / "work log": today's log, pre-filled, editable all day.</summary>
public sealed class WorkLogCommand(RepPaperViews views) : IChatCommand
{
    public string Id => "workLog";

    public bool ListedInHelp => true;

    public string? HelpAction => CustomerServicePermissions.PaperWrite;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        if (!await views.MayAsync(turnContext, CustomerServicePermissions.PaperWrite, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        await views.EnsureScheduleAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var actor = await views.ActorAsync(turnContext, cancellationToken).ConfigureAwait(false);
        await turnContext.SendActivityAsync(MessageFactory.Attachment(await views.LogFormAsync(actor, CustomerViews.LocaleOf(turnContext), cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>"月报" / "monthly report" and "工作总结" / "work summary", optionally with a month ("2026-11", "上月").</summary>
public sealed class MonthlyPaperCommand(RepPaperViews views, RepPapers papers, string kind) : IChatCommand
{
    public string Id => kind == RepReportKinds.Report ? "monthlyReport" : "workSummary";

    public bool ListedInHelp => true;

    public string? HelpAction => CustomerServicePermissions.PaperWrite;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        if (!await views.MayAsync(turnContext, CustomerServicePermissions.PaperWrite, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        var locale = CustomerViews.LocaleOf(turnContext);
        var month = papers.ParseMonth(arguments.Length > 20 ? arguments[..20] : arguments);
        if (month == null)
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(views.L(locale, "month.badMonth", arguments.Length > 20 ? arguments[..20] : arguments)), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (RepPapers.FirstDay(month) > papers.Today)
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(views.L(locale, "month.future", month, views.L(locale, "kinds." + kind))), cancellationToken).ConfigureAwait(false);
            return;
        }
        await views.EnsureScheduleAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var actor = await views.ActorAsync(turnContext, cancellationToken).ConfigureAwait(false);
        await turnContext.SendActivityAsync(MessageFactory.Attachment(await views.PaperFormAsync(actor, month, kind, locale, cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>"日志汇总" / "work log overview" [month]: who handed in what, with the export button.</summary>
public sealed class PaperOverviewCommand(RepPaperViews views, RepPapers papers) : IChatCommand
{
    public string Id => "paperOverview";

    public bool ListedInHelp => true;

    public string? HelpAction => CustomerServicePermissions.PaperOverview;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        if (!await views.MayAsync(turnContext, CustomerServicePermissions.PaperOverview, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        var locale = CustomerViews.LocaleOf(turnContext);
        var shown = arguments.Length > 20 ? arguments[..20] : arguments;
        var month = papers.ParseMonth(shown);
        if (month == null)
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(views.L(locale, "overview.badMonth", shown)), cancellationToken).ConfigureAwait(false);
            return;
        }
        await views.EnsureScheduleAsync(turnContext, cancellationToken).ConfigureAwait(false);
        await turnContext.SendActivityAsync(MessageFactory.Attachment(await views.OverviewAsync(CustomerViews.TenantOf(turnContext), month, locale, cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>"保存" on today's log. The day is the sender's today (team time): a card of another day saves nothing.</summary>
public sealed class SaveLogAction(IAuthorizationService authorization, RepPaperViews views, RepPapers papers) : CardActionHandler(authorization)
{
    public override string Verb => RepPaperViews.SaveLogVerb;

    protected override string Permission => CustomerServicePermissions.PaperWrite;

    public override string? PersonalOnlyReasonKey => "repPapers.personalOnly";

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var today = papers.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var date = action.Field("date", 10);
        if (date != today)
        {
            return action.Say("repPapers.log.notToday", date);
        }
        var actor = await views.ActorAsync(action.Turn, cancellationToken).ConfigureAwait(false);
        var input = papers.Read(RepReportKinds.Log, id => action.Field(id), action.Locale);
        if (!input.IsValid)
        {
            await action.Turn.SendActivityAsync(MessageFactory.Attachment(await views.LogFormAsync(actor, action.Locale, cancellationToken, input).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
            return CardActionResult.Done;
        }
        var facts = await papers.DayFactsAsync(actor.TenantId, actor.UserId, papers.Today, action.Locale, cancellationToken).ConfigureAwait(false);
        await papers.SaveLogAsync(actor, input.Values, facts, cancellationToken).ConfigureAwait(false);
        return action.Say("repPapers.log.saved", today);
    }
}

/// <summary>"交" on a 月报 or 工作总结. Until the deadline it can be changed; after it, a first hand-in is recorded as late and nothing can be changed.</summary>
public sealed class SavePaperAction(IAuthorizationService authorization, RepPaperViews views, RepPapers papers) : CardActionHandler(authorization)
{
    public override string Verb => RepPaperViews.SavePaperVerb;

    protected override string Permission => CustomerServicePermissions.PaperWrite;

    public override string? PersonalOnlyReasonKey => "repPapers.personalOnly";

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var kind = action.Field("kind", 10);
        var shown = action.Field("month", 20);
        var month = shown.Length == 0 ? null : papers.ParseMonth(shown);
        if (kind is not (RepReportKinds.Report or RepReportKinds.Summary) || month == null)
        {
            return action.Say("repPapers.month.badMonth", shown);
        }
        var kindName = views.L(action.Locale, "kinds." + kind);
        if (RepPapers.FirstDay(month) > papers.Today)
        {
            return action.Say("repPapers.month.future", month, kindName);
        }
        var actor = await views.ActorAsync(action.Turn, cancellationToken).ConfigureAwait(false);
        var existing = await papers.PaperAsync(actor.TenantId, month, kind, actor.UserId, cancellationToken).ConfigureAwait(false);
        if (existing != null && papers.IsPastDeadline(month))
        {
            return action.Say("repPapers.month.closed", month, kindName, papers.Clock.Local(existing.SavedUtc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        }
        var input = papers.Read(kind, id => action.Field(id), action.Locale);
        if (!input.IsValid)
        {
            await action.Turn.SendActivityAsync(MessageFactory.Attachment(await views.PaperFormAsync(actor, month, kind, action.Locale, cancellationToken, input).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
            return CardActionResult.Done;
        }
        var facts = await papers.MonthFactsAsync(actor.TenantId, actor.UserId, month, action.Locale, cancellationToken).ConfigureAwait(false);
        var saved = await papers.SavePaperAsync(actor, month, kind, existing, input.Values, facts, cancellationToken).ConfigureAwait(false);
        return action.Say(saved.Late ? "repPapers.month.savedLate" : "repPapers.month.saved", month, kindName);
    }
}

/// <summary>"导出 Markdown" on the overview: the month's papers as a file.</summary>
public sealed class ExportPapersAction(IAuthorizationService authorization, RepPaperViews views, RepPapers papers, IFileExporter files) : CardActionHandler(authorization)
{
    public override string Verb => "repPapers.export";

    protected override string Permission => CustomerServicePermissions.PaperOverview;

    public override string? PersonalOnlyReasonKey => "repPapers.personalOnly";

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var shown = action.Field("month", 20);
        var month = shown.Length == 0 ? null : papers.ParseMonth(shown);
        if (month == null)
        {
            return action.Say("repPapers.overview.badMonth", shown);
        }
        var bytes = await papers.MarkdownAsync(action.Tenant, month, action.Locale, cancellationToken).ConfigureAwait(false);
        await files.OfferAsync(action.Turn, $"{views.L(action.Locale, "overview.fileName")}-{month}.md", RepPapers.MarkdownType, bytes,
            views.L(action.Locale, "overview.description", month), cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}
