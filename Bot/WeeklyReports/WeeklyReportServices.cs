using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Core;
using Azure.Data.Tables;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Storage;
using ChatRegs.Dialogs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace ChatRegs.Bot.WeeklyReports;

public static class WeeklyReportServices
{
    /// <summary>Weekly reports: the form, last week's report, the digest and exports, the office's settings, reminders and the digest job.</summary>
    public static IServiceCollection AddWeeklyReports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPermissions("WeeklyReports", WeeklyReportPermissions.Rules);
        services.AddTeamClock(configuration);
        services.AddOptions<WeeklyReportOptions>().Bind(configuration.GetSection(WeeklyReportOptions.Section)).PostConfigure<TeamClock>((options, clock) =>
        {
            if (string.IsNullOrWhiteSpace(options.TimeZone))
            {
                options.TimeZone = clock.ZoneId;
            }
        });
        services.AddSingleton(sp => new WeeklyReportStore(sp.Table(n => n.WeeklyReports)));
        services.AddSingleton(sp => new TeamSettingsStore(sp.Table(n => n.WeeklyReportSettings)));
        // The leave feature registers its own; until then nobody is on leave.
        services.TryAddSingleton<IApprovedLeave, NoApprovedLeave>();
        services.AddSingleton<WeeklyReportService>();
        services.AddSingleton<WeeklyDigestCards>();
        services.AddSingleton<WeeklyDigestResponder>();
        services.AddSingleton<WeeklyReportSettingsCards>();
        services.AddSingleton<WeeklyReportPlanner>();
        services.AddSingleton<WeeklyReportNotifier>();
        services.AddSingleton<WeeklyDigestChat>();

        services.AddSingleton<Dialog, WeeklyReportDialog>();
        services.AddSingleton<IChatCommand, ReportCommand>();
        services.AddSingleton<IChatCommand, LastReportCommand>();
        services.AddSingleton<IChatCommand, DigestCommand>();
        services.AddSingleton<ICardActionHandler, DigestPageAction>();
        services.AddSingleton<ICardActionHandler, DigestExportAction>();
        services.AddSingleton<ICardActionHandler, SettingsListAction>();
        services.AddSingleton<ICardActionHandler, SettingsEditAction>();
        services.AddSingleton<ICardActionHandler, SettingsSaveAction>();
        services.AddSingleton<IJobHandler, PlanWeekJobHandler>();
        services.AddSingleton<IJobHandler, ReminderJobHandler>();
        services.AddSingleton<IJobHandler, DigestJobHandler>();
        services.AddSingleton<IMiddleware, WeeklyReportsMiddleware>();
        return services;
    }
}
