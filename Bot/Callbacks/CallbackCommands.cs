using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Exports;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Callbacks;

/// <summary>Per-resource roles of callbacks, for <see cref="AuthorizationResource.PeopleByRole"/>.</summary>
public static class CallbackRoles
{
    /// <summary>The rep a task is assigned to: the only one who may call it.</summary>
    public const string AssignedRep = "callbackRep";

    /// <summary>A task as an authorization resource: its assigned rep, as stored (never as a card says).</summary>
    public static AuthorizationResource Resource(CallbackTask task) => new("callbackTask", task.Id)
    {
        PeopleByRole = new Dictionary<string, IReadOnlyCollection<string>>
        {
            [AssignedRep] = task.RepId is { } rep ? [rep] : [],
        },
    };
}

/// <summary>What the callback commands and card actions share: who is asking, in which tenant and language.</summary>
public sealed class CallbackViews(CallbackService service, CallbackCards cards, AuthorizationService actors, Localizer localizer)
{
    public static string TenantOf(ITurnContext turn) => Tenants.Of(turn.Activity) ?? "";

    public static string LocaleOf(ITurnContext turn) => turn.Activity.Locale ?? "";

    /// <summary>The sender as the directory knows them (roles included, bootstrap office too), else a bare employee.</summary>
    public Task<Person> ActorAsync(ITurnContext turn, CancellationToken cancellationToken) => actors.GetActorAsync(turn, cancellationToken);

    /// <summary>
    /// Customers' names and phones stay out of group chats, channels and meeting chats: callbacks
    /// are worked in the person's 1:1 chat with the bot. Says so and returns false elsewhere.
    /// </summary>
    public async Task<bool> EnsurePersonalAsync(ITurnContext turn, CancellationToken cancellationToken)
    {
        if (Exports.FileExporter.IsPersonal(turn.Activity))
        {
            return true;
        }
        await SayAsync(turn, "callbacks.personalOnly", cancellationToken).ConfigureAwait(false);
        return false;
    }

    public Task SayAsync(ITurnContext turn, string key, CancellationToken cancellationToken, params object?[] args) =>
        turn.SendActivityAsync(MessageFactory.Text(localizer.Get(LocaleOf(turn), key, args)), cancellationToken);

    /// <summary>
    /// The period a supervisor's report command names ("2026-03", a week, a range; default this
    /// month), after checking it is typed in the 1:1 chat by someone allowed to; null (and the
    /// person told why) otherwise.
    /// </summary>
    public async Task<ReportPeriod?> ReportPeriodAsync(ITurnContext turn, IAuthorizationService authorization, string arguments, CancellationToken cancellationToken)
    {
        if (!await EnsurePersonalAsync(turn, cancellationToken).ConfigureAwait(false)
            || !await authorization.EnsureAllowedAsync(turn, CallbackPermissions.CallbackReport, null, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }
        var period = ReportPeriod.Parse(arguments, service.Today);
        if (period == null)
        {
            await SayAsync(turn, "callbacks.report.badPeriod", cancellationToken, arguments).ConfigureAwait(false);
        }
        return period;
    }

    /// <summary>The rep's own queue.</summary>
    public async Task SendOwnQueueAsync(ITurnContext turn, Person rep, CancellationToken cancellationToken)
    {
        var queue = await service.QueueAsync(rep.TenantId, rep.UserId, cancellationToken).ConfigureAwait(false);
        await turn.SendActivityAsync(MessageFactory.Attachment(cards.Queue(queue, rep, ownQueue: true, viewerIsSupervisor: rep.Has(Roles.CsSupervisor), LocaleOf(turn))), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Another rep's queue, as a supervisor sees it.</summary>
    public async Task SendQueueOfAsync(ITurnContext turn, Person rep, Person viewer, CancellationToken cancellationToken)
    {
        var queue = await service.QueueAsync(rep.TenantId, rep.UserId, cancellationToken).ConfigureAwait(false);
        var own = rep.UserId == viewer.UserId;
        await turn.SendActivityAsync(MessageFactory.Attachment(cards.Queue(queue, rep, ownQueue: own, viewerIsSupervisor: true, LocaleOf(turn))), cancellationToken).ConfigureAwait(false);
    }

    public async Task SendOverviewAsync(ITurnContext turn, CancellationToken cancellationToken)
    {
        var tenant = TenantOf(turn);
        var tasks = await service.AllTasksAsync(tenant, cancellationToken).ConfigureAwait(false);
        var reps = await service.RepsAsync(tenant, cancellationToken).ConfigureAwait(false);
        await turn.SendActivityAsync(MessageFactory.Attachment(cards.Overview(tasks, reps, LocaleOf(turn))), cancellationToken).ConfigureAwait(false);
    }

    public async Task SendScriptsAsync(ITurnContext turn, string? message, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? errors = null, IReadOnlyDictionary<string, string>? submitted = null)
    {
        var tenant = TenantOf(turn);
        var choices = await service.ScriptChoicesAsync(tenant, cancellationToken).ConfigureAwait(false);
        var settings = new Dictionary<string, ScriptSettings>(StringComparer.Ordinal);
        foreach (var script in service.Scripts.Latest)
        {
            settings[script.Id] = await service.ScriptSettingsAsync(tenant, script.Id, cancellationToken).ConfigureAwait(false);
        }
        var types = (await service.AllTasksAsync(tenant, cancellationToken).ConfigureAwait(false))
            .Select(t => t.ServiceType).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        await turn.SendActivityAsync(MessageFactory.Attachment(cards.Scripts(choices, settings, types, LocaleOf(turn), message, errors, submitted)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The 回访总结报告 of a period, from every task and record of the tenant.</summary>
    public async Task<CallbackReportData> ReportAsync(string tenantId, ReportPeriod period, CancellationToken cancellationToken)
    {
        var (tasks, records) = await TasksAndRecordsAsync(tenantId, period, cancellationToken).ConfigureAwait(false);
        return CallbackReportData.Build(tasks, records, period, service.Today, service.DateOf);
    }

    /// <summary>
    /// The 回访总结报告 card of a period for the sender: the figures, the saved analysis, and the
    /// box to write it when the sender may (<see cref="CallbackPermissions.CallbackReportWrite"/>).
    /// </summary>
    public async Task<Microsoft.Bot.Schema.Attachment> ReportCardAsync(ITurnContext turn, IAuthorizationService authorization, ReportPeriod period, CancellationToken cancellationToken,
        string? message = null, string? draft = null, bool problem = false)
    {
        var tenant = TenantOf(turn);
        var report = await ReportAsync(tenant, period, cancellationToken).ConfigureAwait(false);
        var note = await service.ReportNoteAsync(tenant, period, cancellationToken).ConfigureAwait(false);
        var canWrite = (await authorization.AuthorizeAsync(turn, CallbackPermissions.CallbackReportWrite, null, cancellationToken).ConfigureAwait(false)).Allowed;
        return cards.Report(report, note, canWrite, LocaleOf(turn), message, draft, problem);
    }

    /// <summary>
    /// The 回访记录表 of a period: every call to the customers served in it (the calls the period's
    /// report counts, whenever they were made), oldest first.
    /// </summary>
    public async Task<IReadOnlyList<CallRecord>> RecordsAsync(string tenantId, ReportPeriod period, CancellationToken cancellationToken)
    {
        var (tasks, records) = await TasksAndRecordsAsync(tenantId, period, cancellationToken).ConfigureAwait(false);
        return CallbackReportData.RecordsOf(tasks, records, period);
    }

    /// <summary>Every task, and the call records since the period's first day (team time): a call is made after the service it follows.</summary>
    private async Task<(IReadOnlyList<CallbackTask> Tasks, IReadOnlyList<CallRecord> Records)> TasksAndRecordsAsync(string tenantId, ReportPeriod period, CancellationToken cancellationToken)
    {
        var tasks = await service.AllTasksAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var firstDay = period.From.ToDateTime(TimeOnly.MinValue);
        var from = new DateTimeOffset(firstDay, service.TeamZone.GetUtcOffset(firstDay));
        var records = await service.CallRecordsAsync(tenantId, from, null, cancellationToken).ConfigureAwait(false);
        return (tasks, records);
    }
}

/// <summary>
/// "回访" / "callbacks": a rep's own queue, most urgent first; a supervisor's team overview.
/// A supervisor may add a rep's name to see that rep's queue, "分配"/"assign" to spread the
/// unassigned tasks over the reps on duty now.
/// </summary>
public sealed class CallbacksCommand(IAuthorizationService authorization, CallbackViews views, CallbackService service, PeopleDirectory people) : IChatCommand
{
    public static readonly string[] AssignWords = ["分配", "assign"];
    public static readonly string[] OverviewWords = ["概况", "全部", "overview", "all"];

    public string Id => "callbacks";

    /// <summary>Listed in help only for those who may use it.</summary>
    public string? HelpAction => CallbackPermissions.CallbackQueue;

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        if (!await views.EnsurePersonalAsync(turnContext, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        if (arguments.Length == 0)
        {
            if (!await authorization.EnsureAllowedAsync(turnContext, CallbackPermissions.CallbackQueue, null, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            var actor = await views.ActorAsync(turnContext, cancellationToken).ConfigureAwait(false);
            if (actor.Has(Roles.CsRep))
            {
                await views.SendOwnQueueAsync(turnContext, actor, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await views.SendOverviewAsync(turnContext, cancellationToken).ConfigureAwait(false);
            }
            return;
        }

        if (!await authorization.EnsureAllowedAsync(turnContext, CallbackPermissions.CallbackManage, null, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        if (AssignWords.Contains(arguments, StringComparer.OrdinalIgnoreCase))
        {
            var assigned = await service.AssignUnassignedAsync(CallbackViews.TenantOf(turnContext), cancellationToken).ConfigureAwait(false);
            await views.SayAsync(turnContext, assigned.Count == 0 ? "callbacks.overview.nothingAssigned" : "callbacks.overview.assigned", cancellationToken, assigned.Count).ConfigureAwait(false);
            await views.SendOverviewAsync(turnContext, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (OverviewWords.Contains(arguments, StringComparer.OrdinalIgnoreCase))
        {
            await views.SendOverviewAsync(turnContext, cancellationToken).ConfigureAwait(false);
            return;
        }
        var viewer = await views.ActorAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var reps = (await people.SearchAsync(viewer.TenantId, arguments, 20, cancellationToken).ConfigureAwait(false)).Where(p => p.Has(Roles.CsRep)).ToList();
        var rep = reps.FirstOrDefault(p => p.Name.Equals(arguments, StringComparison.OrdinalIgnoreCase)) ?? (reps.Count == 1 ? reps[0] : null);
        if (rep == null)
        {
            await views.SayAsync(turnContext, reps.Count > 1 ? "callbacks.queue.ambiguousRep" : "callbacks.queue.noSuchRep", cancellationToken, arguments).ConfigureAwait(false);
            return;
        }
        await views.SendQueueOfAsync(turnContext, rep, viewer, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>"导入回访" / "import callbacks": a CSV file sent with the command (or next), or rows pasted after it.</summary>
public sealed class ImportCallbacksCommand(IAuthorizationService authorization, CallbackViews views, CallbackImporter importer, DialogHost flows) : IChatCommand
{
    public string Id => "importCallbacks";

    /// <summary>Listed in help only for those who may use it.</summary>
    public string? HelpAction => CallbackPermissions.CallbackImport;

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        if (!await views.EnsurePersonalAsync(turnContext, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        if (!await authorization.EnsureAllowedAsync(turnContext, CallbackPermissions.CallbackImport, null, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        if (CallbackFiles.HasFile(turnContext.Activity) || arguments.Trim().Length > 0)
        {
            await importer.RunAsync(turnContext, arguments, cancellationToken).ConfigureAwait(false);
            return;
        }
        await flows.BeginAsync(turnContext, CallbackImportDialog.Id, null, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>"回访报告" / "callback report" [period]: the 回访总结报告 card (with CSV buttons), supervisors only.</summary>
public sealed class CallbackReportCommand(IAuthorizationService authorization, CallbackViews views) : IChatCommand
{
    public string Id => "callbackReport";

    /// <summary>Listed in help only for those who may use it.</summary>
    public string? HelpAction => CallbackPermissions.CallbackReport;

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        if (await views.ReportPeriodAsync(turnContext, authorization, arguments, cancellationToken).ConfigureAwait(false) is not { } period)
        {
            return;
        }
        var card = await views.ReportCardAsync(turnContext, authorization, period, cancellationToken).ConfigureAwait(false);
        await turnContext.SendActivityAsync(MessageFactory.Attachment(card), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>"回访记录" / "callback records" [period]: the 回访记录表 of the period as a CSV file, supervisors only.</summary>
public sealed class CallbackRecordsCommand(IAuthorizationService authorization, CallbackViews views, CallbackService service, Localizer localizer, IFileExporter files) : IChatCommand
{
    public string Id => "callbackRecords";

    /// <summary>Listed in help only for those who may use it.</summary>
    public string? HelpAction => CallbackPermissions.CallbackReport;

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        if (await views.ReportPeriodAsync(turnContext, authorization, arguments, cancellationToken).ConfigureAwait(false) is not { } period)
        {
            return;
        }
        await SendRecordsAsync(turnContext, views, service, localizer, files, period, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Offers the 回访记录表 of the period as a CSV file (in Teams: the file consent card).</summary>
    public static async Task SendRecordsAsync(ITurnContext turn, CallbackViews views, CallbackService service, Localizer localizer, IFileExporter files, ReportPeriod period, CancellationToken cancellationToken)
    {
        var locale = CallbackViews.LocaleOf(turn);
        var records = await views.RecordsAsync(CallbackViews.TenantOf(turn), period, cancellationToken).ConfigureAwait(false);
        var csv = CallbackExport.RecordsCsv(records, service.TeamZone, localizer, locale);
        await files.OfferAsync(turn, $"{localizer.Get(locale, "callbacks.records.fileName")}-{period.FileSuffix}.csv", CallbackExport.CsvType, CallbackExport.Bytes(csv),
            localizer.Get(locale, "callbacks.records.description", period.Describe(), records.Count), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>"回访话术" / "callback scripts": the scripts, which one each service type uses, and their optional parts; supervisors switch them here.</summary>
public sealed class CallbackScriptsCommand(IAuthorizationService authorization, CallbackViews views) : IChatCommand
{
    public string Id => "callbackScripts";

    /// <summary>Listed in help only for those who may use it.</summary>
    public string? HelpAction => CallbackPermissions.CallbackScripts;

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        if (!await views.EnsurePersonalAsync(turnContext, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        if (!await authorization.EnsureAllowedAsync(turnContext, CallbackPermissions.CallbackScripts, null, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        await views.SendScriptsAsync(turnContext, null, cancellationToken).ConfigureAwait(false);
    }
}
