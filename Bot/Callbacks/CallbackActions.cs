using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Exports;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;
using ChatRegs.Dialogs;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.Callbacks;

/// <summary>
/// "开始回访" on a queue or reminder card: only the task's assigned rep (as stored, checked
/// against the sender's identity), only when the task is open, outside the customer's rest
/// time, after the retry spacing and not before a booked time. Starts the guided call — unless
/// another call is still open in this chat: starting would throw away its unsaved answers, so
/// the rep is asked to finish or cancel it first.
/// </summary>
public sealed class StartCallAction(IAuthorizationService authorization, CallbackService service, CallbackViews views, DialogHost flows, IEnumerable<Dialog> dialogs) : CallbackTaskAction(authorization, service)
{
    public override string Verb => "callbacks.start";

    private readonly CallbackCallDialog dialog = dialogs.OfType<CallbackCallDialog>().Single();

    protected override string Permission => CallbackPermissions.CallbackCall;

    protected override AuthorizationResource ResourceOf(CallbackTask task) => CallbackRoles.Resource(task);

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CallbackTask task, CancellationToken cancellationToken)
    {
        var turnContext = action.Turn;
        var tenant = action.Tenant;
        var locale = action.Locale;
        // No field: 开始回访 (电话). A field that is not one of the three (or not text at all) is refused.
        var methodField = action.Data.ContainsKey("method") ? (CardFields.Raw(action.Data, "method") ?? "?").Trim() : "";
        if (MethodOf(methodField.Length > 40 ? "?" : methodField) is not { } method)
        {
            return action.Say("callbacks.call.badMethod");
        }
        if (Service.WhyNotNow(task, locale) is { } why)
        {
            return new CardActionResult(Message: why);
        }
        if (await flows.ActiveDialogIdAsync(turnContext, cancellationToken).ConfigureAwait(false) == CallbackCallDialog.Id)
        {
            await views.SayAsync(turnContext, "callbacks.call.busy", cancellationToken).ConfigureAwait(false);
            return CardActionResult.Done;
        }
        var (script, settings) = await Service.ScriptForAsync(tenant, task.ServiceType, cancellationToken).ConfigureAwait(false);
        var rep = await views.ActorAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var call = new CallState
        {
            TenantId = tenant,
            TaskId = task.Id,
            RepId = rep.UserId,
            RepName = rep.Name.Length > 0 ? rep.Name : turnContext.Activity.From?.Name ?? "",
            Language = Localizer.Resolve(locale),
            ScriptId = script.Id,
            ScriptVersion = script.Version,
            TogglesOn = settings.TogglesOn.Order(StringComparer.Ordinal).ToList(),
            ThemeText = settings.ThemeText,
            StartedUtc = Service.Now,
            CustomerName = task.CustomerName,
            Title = task.Title,
            Phone = task.Phone,
            IsMember = task.IsMember,
            ServiceItem = task.ServiceItem,
            ServiceDate = CallbackDates.Iso(task.ServiceDate),
            DueDate = CallbackDates.Iso(task.DueDate),
            CustomerTimeZone = task.CustomerTimeZone,
            PreviousAttempts = task.FailedAttempts,
            Method = method.ToString(),
        };
        call.StepId = script.NextStep(null, call.Path)!.Id;
        if (method != CallMethod.Phone)
        {
            // 电邮 / 信息: the script as text to copy and send, then the same cards to record the reply.
            var how = CallbackText.Method(Localizer.Default, locale, method);
            var customer = CallbackText.Customer(Localizer.Default, locale, task.CustomerName, task.Title);
            await turnContext.SendActivityAsync(MessageFactory.Text(global::ChatRegs.Cards.MarkdownText.Escape(Localizer.Default.Get(locale, "callbacks.call.writtenIntro", how, customer, task.Phone))), cancellationToken).ConfigureAwait(false);
            await turnContext.SendActivityAsync(MessageFactory.Text(global::ChatRegs.Cards.MarkdownText.EscapeLines(dialog.WrittenScript(call, script, locale))), cancellationToken).ConfigureAwait(false);
        }
        await flows.BeginAsync(turnContext, CallbackCallDialog.Id, call, cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }

    /// <summary>The card's <c>method</c>: none (the queue's 开始回访) is 电话; "email" and "message" the written ways; anything else null.</summary>
    public static CallMethod? MethodOf(string field) => field switch
    {
        "" or "phone" => CallMethod.Phone,
        "email" => CallMethod.Email,
        "message" => CallMethod.Message,
        _ => null,
    };
}

/// <summary>
/// A button on one callback task (the card's <c>taskId</c>, looked up in the turn's tenant):
/// the base loads it and decides the permission before the handler runs. Customers' names and
/// phones stay in the 1:1 chat.
/// </summary>
public abstract class CallbackTaskAction(IAuthorizationService authorization, CallbackService service) : CardActionHandler<CallbackTask>(authorization)
{
    protected CallbackService Service => service;

    public override string? PersonalOnlyReasonKey => "callbacks.personalOnly";

    protected override string NotFoundKey => "callbacks.call.notFound";

    protected override async Task<CallbackTask?> LoadAsync(CardActionContext action, CancellationToken cancellationToken) =>
        action.Text("taskId") is { } id ? await service.GetTaskAsync(action.Tenant, id, cancellationToken).ConfigureAwait(false) : null;
}

/// <summary>A supervisor's button: the permission is a role, decided before anything is read. Customers' names and phones stay in the 1:1 chat.</summary>
public abstract class CallbackManageAction(IAuthorizationService authorization) : CardActionHandler(authorization)
{
    public override string? PersonalOnlyReasonKey => "callbacks.personalOnly";

    protected override string Permission => CallbackPermissions.CallbackManage;
}

/// <summary>"团队概况": the supervisor's overview.</summary>
public sealed class OverviewAction(IAuthorizationService authorization, CallbackViews views) : CallbackManageAction(authorization)
{
    public override string Verb => "callbacks.overview";

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        await views.SendOverviewAsync(action.Turn, cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}

/// <summary>"查看队列" on the overview: a rep's queue, for the supervisor.</summary>
public sealed class ViewQueueAction(IAuthorizationService authorization, CallbackViews views, PeopleDirectory people) : CallbackManageAction(authorization)
{
    public override string Verb => "callbacks.viewQueue";

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var (turnContext, data) = (action.Turn, action.Data);
        var rep = CardFields.Text(data, "repId") is { } id ? await people.GetAsync(CallbackViews.TenantOf(turnContext), id, cancellationToken).ConfigureAwait(false) : null;
        if (rep == null || !rep.Has(Roles.CsRep))
        {
            await views.SayAsync(turnContext, "callbacks.queue.noSuchRep", cancellationToken, CardFields.Text(data, "repId") ?? "").ConfigureAwait(false);
            return CardActionResult.Done;
        }
        var viewer = await views.ActorAsync(turnContext, cancellationToken).ConfigureAwait(false);
        await views.SendQueueOfAsync(turnContext, rep, viewer, cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}

/// <summary>"分配未分配的回访": spreads the unassigned tasks over the reps on duty now.</summary>
public sealed class AssignAction(IAuthorizationService authorization, CallbackViews views, CallbackService service) : CallbackManageAction(authorization)
{
    public override string Verb => "callbacks.assign";

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var turnContext = action.Turn;
        var assigned = await service.AssignUnassignedAsync(CallbackViews.TenantOf(turnContext), cancellationToken).ConfigureAwait(false);
        await views.SayAsync(turnContext, assigned.Count == 0 ? "callbacks.overview.nothingAssigned" : "callbacks.overview.assigned", cancellationToken, assigned.Count).ConfigureAwait(false);
        await views.SendOverviewAsync(turnContext, cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}

/// <summary>"改派": the form to give a task to another rep.</summary>
public sealed class ReassignFormAction(IAuthorizationService authorization, CallbackService service, CallbackCards cards) : CallbackTaskAction(authorization, service)
{
    public override string Verb => "callbacks.reassignForm";

    protected override string Permission => CallbackPermissions.CallbackManage;

    protected override bool PermissionOnRecord => false;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CallbackTask task, CancellationToken cancellationToken)
    {
        if (!task.IsOpen)
        {
            return action.Say("callbacks.reassign.notOpen");
        }
        var reps = await Service.RepsAsync(action.Tenant, cancellationToken).ConfigureAwait(false);
        return new CardActionResult(RefreshedCard: cards.Reassign(task, reps, action.Locale));
    }
}

/// <summary>Gives a task to the rep chosen on the form (a rep of the tenant, checked on the server).</summary>
public sealed class ReassignAction(IAuthorizationService authorization, CallbackViews views, CallbackService service, CallbackCards cards, CallbackPlanner planner, Localizer localizer, ILogger<ReassignAction> logger)
    : CallbackTaskAction(authorization, service)
{
    public override string Verb => "callbacks.reassign";

    protected override string Permission => CallbackPermissions.CallbackManage;

    protected override bool PermissionOnRecord => false;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CallbackTask task, CancellationToken cancellationToken)
    {
        var (turnContext, tenant, locale) = (action.Turn, action.Tenant, action.Locale);
        if (!task.IsOpen)
        {
            return action.Say("callbacks.reassign.notOpen");
        }
        var reps = await Service.RepsAsync(tenant, cancellationToken).ConfigureAwait(false);
        var rep = reps.FirstOrDefault(r => r.UserId == action.Text("rep"));
        if (rep == null)
        {
            return new CardActionResult(RefreshedCard: cards.Reassign(task, reps, locale, localizer.Get(locale, "callbacks.reassign.pickRep")));
        }
        if (rep.UserId == task.RepId)
        {
            return new CardActionResult(Message: localizer.Get(locale, "callbacks.reassign.same", rep.Name));
        }
        var actor = await views.ActorAsync(turnContext, cancellationToken).ConfigureAwait(false);
        try
        {
            await Service.ReassignAsync(task, rep, actor, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            return new CardActionResult(Message: localizer.Get(locale, "callbacks.reassign.changed"));
        }
        try
        {
            // Tells the new rep at once when the task is due today.
            await planner.SweepNowAsync(tenant, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "The callback run could not be scheduled after a reassignment.");
        }
        return new CardActionResult(Message: localizer.Get(locale, "callbacks.reassign.done",
            CallbackText.Customer(localizer, locale, task.CustomerName, task.Title), rep.Name.Length > 0 ? rep.Name : rep.UserId));
    }
}

/// <summary>The report card's CSV buttons: the 回访总结报告 or the 回访记录表 of the card's period.</summary>
public sealed class ReportFileAction(string verb, IAuthorizationService authorization, CallbackViews views, CallbackService service, Localizer localizer, IFileExporter files) : CardActionHandler(authorization)
{
    public const string ReportVerb = "callbacks.reportCsv";
    public const string RecordsVerb = "callbacks.recordsCsv";

    public override string Verb => verb;

    /// <summary>Customers' names and phones stay in the 1:1 chat.</summary>
    public override string? PersonalOnlyReasonKey => "callbacks.personalOnly";

    protected override string Permission => CallbackPermissions.CallbackReport;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var (turnContext, locale) = (action.Turn, action.Locale);
        if (!CallbackImport.TryDate(action.Field("from"), out var from) || !CallbackImport.TryDate(action.Field("to"), out var to)
            || ReportPeriod.Of(from, to) is not { } period)
        {
            return new CardActionResult(Message: localizer.Get(locale, "callbacks.report.badPeriod", ""));
        }
        if (verb == RecordsVerb)
        {
            await CallbackRecordsCommand.SendRecordsAsync(turnContext, views, service, localizer, files, period, cancellationToken).ConfigureAwait(false);
            return CardActionResult.Done;
        }
        var report = await views.ReportAsync(CallbackViews.TenantOf(turnContext), period, cancellationToken).ConfigureAwait(false);
        await files.OfferAsync(turnContext, $"{localizer.Get(locale, "callbacks.report.fileName")}-{period.FileSuffix}.csv", CallbackExport.CsvType,
            CallbackExport.Bytes(CallbackExport.ReportCsv(report, localizer, locale)), localizer.Get(locale, "callbacks.report.description", period.Describe()), cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}

/// <summary>The report card's period (its from/to fields), or null when the card's dates cannot be a period.</summary>
internal static class ReportCardPeriod
{
    public static ReportPeriod? Of(CardActionContext action) =>
        CallbackImport.TryDate(action.Field("from", 40), out var from) && CallbackImport.TryDate(action.Field("to", 40), out var to) ? ReportPeriod.Of(from, to) : null;
}

/// <summary>
/// "保存分析结果" on the report card: the analysis (分析结果) of the card's period, written by a
/// supervisor or manager (<see cref="CallbackPermissions.CallbackReportWrite"/>, from the sender's
/// roles). Replaces the saved one only over the row the card showed (its ETag): when someone
/// saved meanwhile, nothing is saved, and the card comes back with theirs shown and what was
/// typed still in the box. Text over <see cref="CallbackReportNote.MaxAnalysis"/> is refused, not cut.
/// </summary>
public sealed class SaveAnalysisAction(IAuthorizationService authorization, CallbackViews views, CallbackService service, Localizer localizer) : CardActionHandler(authorization)
{
    public const string AnalysisVerb = "callbacks.reportAnalysis";

    public override string Verb => AnalysisVerb;

    /// <summary>The report names customers: it stays in the 1:1 chat.</summary>
    public override string? PersonalOnlyReasonKey => "callbacks.personalOnly";

    protected override string Permission => CallbackPermissions.CallbackReportWrite;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var (turn, locale) = (action.Turn, action.Locale);
        if (ReportCardPeriod.Of(action) is not { } period)
        {
            return new CardActionResult(Message: localizer.Get(locale, "callbacks.report.badPeriod", ""));
        }
        var analysis = (CardFields.Raw(action.Data, "analysis") ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        var etag = action.Text("etag", 200);
        Task<Microsoft.Bot.Schema.Attachment> Card(string message, bool problem, string? draft = null) =>
            views.ReportCardAsync(turn, Authorization, period, cancellationToken, message, draft, problem);
        if (analysis.Length == 0)
        {
            return new CardActionResult(RefreshedCard: await Card(localizer.Get(locale, "callbacks.report.analysisEmpty"), true, "").ConfigureAwait(false));
        }
        if (analysis.Length > CallbackReportNote.MaxAnalysis)
        {
            return new CardActionResult(RefreshedCard: await Card(localizer.Get(locale, "callbacks.report.analysisTooLong", CallbackReportNote.MaxAnalysis, analysis.Length), true,
                analysis[..CallbackReportNote.MaxAnalysis]).ConfigureAwait(false));
        }
        var writer = await views.ActorAsync(turn, cancellationToken).ConfigureAwait(false);
        var report = await views.ReportAsync(action.Tenant, period, cancellationToken).ConfigureAwait(false);
        // The card's version must be the one just read (none before the first analysis). The
        // card's text never goes to storage as a condition: a forged "*" would overwrite someone
        // else's analysis unconditionally, a malformed one would fail as a bad request.
        var current = await service.ReportNoteAsync(action.Tenant, period, cancellationToken).ConfigureAwait(false);
        var cardIsCurrent = (etag ?? "") == (current?.ETag ?? "");
        var saved = cardIsCurrent
            ? await service.WriteAnalysisAsync(writer, period, analysis, ReportFigures.Of(report), current?.ETag, cancellationToken).ConfigureAwait(false)
            : default;
        if (!cardIsCurrent || saved.IsChanged)
        {
            var theirs = await service.ReportNoteAsync(action.Tenant, period, cancellationToken).ConfigureAwait(false);
            var message = theirs != null
                ? localizer.Get(locale, "callbacks.report.analysisChanged", CallbackExport.WrittenBy(theirs, service.TeamZone, localizer, locale))
                : localizer.Get(locale, "callbacks.report.analysisGone");
            return new CardActionResult(RefreshedCard: await Card(message, true, analysis).ConfigureAwait(false));
        }
        Core.SavedTurns.Mark(turn);
        return new CardActionResult(RefreshedCard: await Card(localizer.Get(locale, "callbacks.report.analysisSaved"), false).ConfigureAwait(false));
    }
}

/// <summary>
/// "导出报告 Markdown" on the report card: the 《回访总结报告》 of the card's period as a Markdown
/// file (figures, analysis, recommendations, the unsatisfied customers' words), through the file
/// consent path; the same readers as the report.
/// </summary>
public sealed class ReportMarkdownAction(IAuthorizationService authorization, CallbackViews views, CallbackService service, Localizer localizer, IFileExporter files) : CardActionHandler(authorization)
{
    public const string MarkdownVerb = "callbacks.reportMarkdown";

    public override string Verb => MarkdownVerb;

    /// <summary>Customers' names and words stay in the 1:1 chat.</summary>
    public override string? PersonalOnlyReasonKey => "callbacks.personalOnly";

    protected override string Permission => CallbackPermissions.CallbackReport;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var locale = action.Locale;
        if (ReportCardPeriod.Of(action) is not { } period)
        {
            return new CardActionResult(Message: localizer.Get(locale, "callbacks.report.badPeriod", ""));
        }
        var report = await views.ReportAsync(action.Tenant, period, cancellationToken).ConfigureAwait(false);
        var records = await views.RecordsAsync(action.Tenant, period, cancellationToken).ConfigureAwait(false);
        var note = await service.ReportNoteAsync(action.Tenant, period, cancellationToken).ConfigureAwait(false);
        var markdown = CallbackExport.ReportMarkdown(report, note, records, service.TeamZone, localizer, locale);
        await files.OfferAsync(action.Turn, $"{localizer.Get(locale, "callbacks.report.fileName")}-{period.FileSuffix}.md", CallbackExport.MarkdownType,
            System.Text.Encoding.UTF8.GetBytes(markdown), localizer.Get(locale, "callbacks.report.markdownDescription", period.Describe(), records.Count), cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}

/// <summary>"切换话术": which script a service type (or every type) is called with from now on.</summary>
public sealed class ChooseScriptAction(IAuthorizationService authorization, CallbackViews views, CallbackService service, Localizer localizer) : CardActionHandler(authorization)
{
    public const int MaxServiceType = 100;

    public override string Verb => "callbacks.scriptChoose";

    /// <summary>Customers' names and phones stay in the 1:1 chat.</summary>
    public override string? PersonalOnlyReasonKey => "callbacks.personalOnly";

    protected override string Permission => CallbackPermissions.CallbackScripts;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var (turnContext, data) = (action.Turn, action.Data);
        var locale = CallbackViews.LocaleOf(turnContext);
        var type = CardFields.Text(data, "serviceType") ?? "*";
        var script = CardFields.Text(data, "scriptId") is { } id ? service.Scripts.Get(id) : null;
        if (script == null || type.Length > MaxServiceType)
        {
            await views.SendScriptsAsync(turnContext, localizer.Get(locale, "callbacks.scripts.unknown"), cancellationToken).ConfigureAwait(false);
            return CardActionResult.Done;
        }
        var actor = await views.ActorAsync(turnContext, cancellationToken).ConfigureAwait(false);
        await service.ChooseScriptAsync(actor.TenantId, type, script.Id, actor.UserId, cancellationToken).ConfigureAwait(false);
        var typeName = type == "*" ? localizer.Get(locale, "callbacks.scripts.allTypes") : type;
        await views.SendScriptsAsync(turnContext, localizer.Get(locale, "callbacks.scripts.switched", typeName, script.Label), cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}

/// <summary>"保存可选内容": which optional parts of each script are read (特色回访 with its text, 续卡提醒).</summary>
public sealed class ScriptTogglesAction(IAuthorizationService authorization, CallbackViews views, CallbackService service, Localizer localizer) : CardActionHandler(authorization)
{
    public const int MaxThemeText = 200;

    public override string Verb => "callbacks.scriptToggles";

    /// <summary>Customers' names and phones stay in the 1:1 chat.</summary>
    public override string? PersonalOnlyReasonKey => "callbacks.personalOnly";

    protected override string Permission => CallbackPermissions.CallbackScripts;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var (turnContext, data) = (action.Turn, action.Data);
        var locale = CallbackViews.LocaleOf(turnContext);
        var actor = await views.ActorAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var changes = new List<(CallbackScript Script, ScriptSettings Settings)>();
        foreach (var script in service.Scripts.Latest)
        {
            var on = script.Toggles.Where(t => CardFields.Text(data, $"toggle|{script.Id}|{t.Id}") == "true").Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
            var text = CardFields.Text(data, $"text|{script.Id}");
            if (text is { Length: > MaxThemeText })
            {
                problems[script.Id] = localizer.Get(locale, "callbacks.scripts.themeTooLong", MaxThemeText);
                continue;
            }
            if (script.Toggles.Any(t => t.NeedsText && on.Contains(t.Id)) && text == null)
            {
                problems[script.Id] = localizer.Get(locale, "callbacks.scripts.themeMissing");
                continue;
            }
            changes.Add((script, new ScriptSettings(on, text)));
        }
        if (problems.Count > 0)
        {
            // Nothing is saved while anything is wrong; the card comes back with what was typed and the reasons.
            var submitted = CardFields.Strings(data);
            await views.SendScriptsAsync(turnContext, localizer.Get(locale, "callbacks.scripts.notSaved"), cancellationToken, problems, submitted).ConfigureAwait(false);
            return CardActionResult.Done;
        }
        foreach (var (script, settings) in changes)
        {
            await service.ChangeScriptSettingsAsync(actor.TenantId, script.Id, settings, actor.UserId, cancellationToken).ConfigureAwait(false);
        }
        await views.SendScriptsAsync(turnContext, localizer.Get(locale, "callbacks.scripts.saved"), cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}
