using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Core;
using Azure.Data.Tables;
using ChatRegs.Bot.Calendar;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace ChatRegs.Bot.Scheduling;

/// <summary>
/// The shared timing machinery in one registration: the jobs engine (scheduler, runner,
/// <c>任务状态</c> command), proactive messages (sender, connector pacing and retries,
/// delivery failures) and the working-day calendar. Features add their
/// <see cref="IJobHandler"/>s with <c>services.AddSingleton&lt;IJobHandler, …&gt;()</c>.
/// </summary>
public static class SchedulingServices
{
    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPermissions("Scheduling", JobPermissions.Rules);
        services.AddTeamClock(configuration);

        // Working days.
        services.AddOptions<CalendarOptions>().Bind(configuration.GetSection(CalendarOptions.Section));
        services.AddSingleton(sp => WorkingDayCalendar.Load(sp.GetRequiredService<IOptions<CalendarOptions>>().Value));

        // Jobs.
        services.AddOptions<JobOptions>().Bind(configuration.GetSection(JobOptions.Section)).PostConfigure<TeamClock>((options, clock) =>
        {
            // Times are shown in the team's time zone unless the jobs section names another.
            if (string.IsNullOrWhiteSpace(configuration[JobOptions.Section + ":TimeZone"]))
            {
                options.TimeZone = clock.ZoneId;
            }
        });
        services.AddSingleton(sp => new JobStore(sp.Table(n => n.Jobs)));
        services.AddSingleton<JobScheduler>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<JobDeliveries>();
        services.AddSingleton<FinishedJobPruner>();
        services.AddHostedService(sp => sp.GetRequiredService<FinishedJobPruner>());
        services.AddHostedService(sp => sp.GetRequiredService<JobRunner>());
        services.AddSingleton<IChatCommand, JobsCommand>();
        services.AddSingleton<ICardActionHandler, JobRequeueAction>();

        // Proactive messages: every connector call goes through the pacing and retry handler.
        services.AddOptions<ProactiveOptions>().Bind(configuration.GetSection(ProactiveOptions.Section));
        services.AddSingleton(sp => new SharedTenantBudget(sp.Table(n => n.Jobs), sp.GetRequiredService<IOptions<ProactiveOptions>>().Value, sp.GetRequiredService<ILogger<SharedTenantBudget>>()));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ProactiveOptions>>().Value;
            return new ConnectorRateLimiter(sp.GetRequiredService<TimeProvider>(), options, options.ShareTenantBudget ? sp.GetRequiredService<SharedTenantBudget>() : null);
        });
        services.AddTransient<ConnectorThrottlingHandler>();
        services.AddHttpClient(ProactiveOptions.HttpClientName, client =>
            {
                // A call may wait its turn in the limiter for minutes; each attempt has its own timeout.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<ConnectorThrottlingHandler>();
        services.AddSingleton<IMiddleware, ConnectorTenantMiddleware>();
        services.AddSingleton(sp => new DeliveryFailureStore(sp.Table(n => n.DeliveryFailures)));
        services.AddSingleton(sp => new PersonalReferenceCache(
            sp.GetRequiredService<ConversationReferenceStore>(),
            sp.Table(n => n.ConversationReferences),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<ProactiveOptions>>().Value));
        services.AddSingleton<IMiddleware, PersonalReferenceCacheMiddleware>();
        services.AddSingleton<ProactiveSender>();
        return services;
    }

    /// <summary>What BotFrameworkAuthentication is built with, so the connector uses the paced HttpClient.</summary>
    public static IHttpClientFactory ConnectorHttpClients(IServiceProvider services) =>
        new ConnectorHttpClientFactory(services.GetRequiredService<IHttpClientFactory>());
}
