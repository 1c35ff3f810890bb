using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.CustomerService;

public static class CustomerServiceServices
{
    /// <summary>
    /// Customer files (客户资料管理: files from the callback imports, sorting, first contact within a
    /// week, notes, the customer card) and the reps' own papers (工作日志, 月报, 工作总结: reminders,
    /// the supervisor's overview and export). Reads the callbacks' and complaints' records through
    /// their services.
    /// </summary>
    public static IServiceCollection AddCustomerService(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPermissions("CustomerService", CustomerServicePermissions.Rules);
        services.AddTeamClock(configuration);
        services.AddOptions<CustomerServiceOptions>().Bind(configuration.GetSection(CustomerServiceOptions.Section));
        services.AddSingleton(sp => new CustomerServiceStore(sp.Table(n => n.CustomerService)));
        services.AddSingleton<CustomerFiles>();
        services.AddSingleton<CustomerCards>();
        services.AddSingleton<CustomerViews>();
        services.AddSingleton<CustomerServiceSchedule>();
        services.AddSingleton<CustomerServiceNotifier>();
        services.AddSingleton<RepPapers>();
        services.AddSingleton<RepPaperViews>();

        services.AddSingleton<IChatCommand, CustomerCommand>();
        services.AddSingleton<IChatCommand, WorkLogCommand>();
        services.AddSingleton<IChatCommand>(sp => ActivatorUtilities.CreateInstance<MonthlyPaperCommand>(sp, RepReportKinds.Report));
        services.AddSingleton<IChatCommand>(sp => ActivatorUtilities.CreateInstance<MonthlyPaperCommand>(sp, RepReportKinds.Summary));
        services.AddSingleton<IChatCommand, PaperOverviewCommand>();

        services.AddSingleton<ICardActionHandler, OpenCustomerAction>();
        services.AddSingleton<ICardActionHandler, SortCustomerAction>();
        services.AddSingleton<ICardActionHandler, NoteCustomerAction>();
        services.AddSingleton<ICardActionHandler, SaveLogAction>();
        services.AddSingleton<ICardActionHandler, SavePaperAction>();
        services.AddSingleton<ICardActionHandler, ExportPapersAction>();

        services.AddSingleton<IJobHandler, CustomerServiceDailyHandler>();
        services.AddSingleton<IJobHandler, WorkLogReminderHandler>();
        services.AddHostedService<CustomerServiceStartup>();
        return services;
    }
}
