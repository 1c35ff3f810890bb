using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Core;
using Azure.Data.Tables;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.Complaints;

public static class ComplaintServices
{
    /// <summary>
    /// Complaints (顾客投诉): registration, the stages with their owners and time limits,
    /// reminders and escalation, the manager's approval, the follow-up callback, the
    /// 顾客投诉分类统计表. Replaces the callbacks' "not available yet" <see cref="IComplaintIntake"/>.
    /// </summary>
    public static IServiceCollection AddComplaints(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPermissions("Complaints", ComplaintPermissions.Rules);
        services.AddTeamClock(configuration);
        services.AddOptions<ComplaintOptions>().Bind(configuration.GetSection(ComplaintOptions.Section));
        services.AddSingleton(sp => new ComplaintStore(
            sp.Table(n => n.Complaints)));
        services.AddSingleton<ComplaintService>();
        services.AddSingleton<ComplaintCards>();
        services.AddSingleton<ComplaintViews>();
        services.AddSingleton<ComplaintFlow>();
        services.AddSingleton<ComplaintStatsView>();
        services.AddSingleton<ComplaintSignature>();
        // Wins over the callbacks' TryAdd default whichever is registered first.
        services.AddSingleton<IComplaintIntake, CallbackComplaintIntake>();

        services.AddSingleton<IChatCommand, ComplaintCommand>();
        services.AddSingleton<IChatCommand, ComplaintListCommand>();
        services.AddSingleton<IChatCommand, ComplaintStatsCommand>();

        services.AddSingleton<ICardActionHandler, NewComplaintAction>();
        services.AddSingleton<ICardActionHandler, RegisterComplaintAction>();
        services.AddSingleton<ICardActionHandler, OpenComplaintAction>();
        services.AddSingleton<ICardActionHandler, ComplaintStatsCsvAction>();
        foreach (var verb in ComplaintStepAction.Steps.Keys)
        {
            services.AddSingleton<ICardActionHandler>(sp => ActivatorUtilities.CreateInstance<ComplaintStepAction>(sp, verb));
        }

        services.AddSingleton<IJobHandler>(sp => ActivatorUtilities.CreateInstance<ComplaintTimerHandler>(sp, ComplaintFlow.RemindKind));
        services.AddSingleton<IJobHandler>(sp => ActivatorUtilities.CreateInstance<ComplaintTimerHandler>(sp, ComplaintFlow.EscalateKind));
        services.AddSingleton<IJobHandler, ComplaintRetryHandler>();
        return services;
    }
}
