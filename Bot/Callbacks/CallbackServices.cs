using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Core;
using Azure.Data.Tables;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Storage;
using ChatRegs.Dialogs;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatRegs.Bot.Callbacks;

public static class CallbackServices
{
    /// <summary>
    /// Customer-service callbacks (回访): import, queues, the guided call, reminders and escalation,
    /// the record export and the summary report. The complaints feature replaces
    /// <see cref="IComplaintIntake"/> by registering its own (before or after this call).
    /// </summary>
    public static IServiceCollection AddCallbacks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPermissions("Callbacks", CallbackPermissions.Rules);
        services.AddOptions<CallbackOptions>().Bind(configuration.GetSection(CallbackOptions.Section));
        services.AddTeamClock(configuration);
        services.AddSingleton(sp => new CallbackStore(
            sp.Table(n => n.Callbacks)));
        services.AddSingleton<ScriptLibrary>();
        services.AddSingleton<CallbackService>();
        services.AddSingleton<CallbackCards>();
        services.AddSingleton<CallbackViews>();
        services.AddSingleton<CallbackPlanner>();
        services.AddSingleton<CallbackNotifier>();
        services.AddSingleton<CallbackImporter>();
        services.AddSingleton<CallbackFiles>();
        // Imported files: only allowed https hosts on public addresses, no automatic redirects,
        // the whole download bounded by CallbackOptions.ImportTimeout (CallbackFileNetwork).
        services.TryAddSingleton(CallbackFileNetwork.Strict);
        services.AddHttpClient(CallbackFiles.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<CallbackFileNetwork>().CreateHandler())
            // The links are pre-authorized (tempauth in the query): the factory's request logging would write them to the log.
            .RemoveAllLoggers();
        services.TryAddSingleton<IComplaintIntake, ComplaintsNotAvailable>();

        services.AddSingleton<Dialog, CallbackCallDialog>();
        services.AddSingleton<Dialog, CallbackImportDialog>();

        services.AddSingleton<IChatCommand, CallbacksCommand>();
        services.AddSingleton<IChatCommand, ImportCallbacksCommand>();
        services.AddSingleton<IChatCommand, CallbackReportCommand>();
        services.AddSingleton<IChatCommand, CallbackRecordsCommand>();
        services.AddSingleton<IChatCommand, CallbackScriptsCommand>();

        services.AddSingleton<ICardActionHandler, StartCallAction>();
        services.AddSingleton<ICardActionHandler, OverviewAction>();
        services.AddSingleton<ICardActionHandler, ViewQueueAction>();
        services.AddSingleton<ICardActionHandler, AssignAction>();
        services.AddSingleton<ICardActionHandler, ReassignFormAction>();
        services.AddSingleton<ICardActionHandler, ReassignAction>();
        services.AddSingleton<ICardActionHandler>(sp => ActivatorUtilities.CreateInstance<ReportFileAction>(sp, ReportFileAction.ReportVerb));
        services.AddSingleton<ICardActionHandler>(sp => ActivatorUtilities.CreateInstance<ReportFileAction>(sp, ReportFileAction.RecordsVerb));
        services.AddSingleton<ICardActionHandler, SaveAnalysisAction>();
        services.AddSingleton<ICardActionHandler, ReportMarkdownAction>();
        services.AddSingleton<ICardActionHandler, ChooseScriptAction>();
        services.AddSingleton<ICardActionHandler, ScriptTogglesAction>();

        services.AddSingleton<IJobHandler, CallbackSweepHandler>();
        services.AddSingleton<IJobHandler, CallbackReminderHandler>();
        services.AddSingleton<IJobHandler, CallbackComplaintHandler>();
        return services;
    }
}
