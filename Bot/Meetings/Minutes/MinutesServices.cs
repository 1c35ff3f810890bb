using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Meetings.Minutes;
using Azure.Data.Tables;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Newtonsoft.Json.Linq;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Meetings;

public static class MinutesServices
{
    /// <summary>
    /// Minutes (会议纪要) and action items (督办): the recorder's form pre-filled from schedule,
    /// roll and agenda, versions, delivery to the recipients, action items with the owner's
    /// updates, the daily reminders, 待办 / 督办, and the agenda card's follow-up section
    /// (<see cref="IAgendaFollowUp"/>). Builds on meetings, attendance, agenda, the calendar,
    /// the scheduler, the proactive sender and the file exporter.
    /// </summary>
    public static IServiceCollection AddMinutes(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPermissions("Meetings/Minutes", MinutesPermissions.Rules);
        services.AddOptions<MinutesOptions>().Bind(configuration.GetSection(MinutesOptions.Section)).PostConfigure<TeamClock>((options, clock) =>
        {
            if (string.IsNullOrWhiteSpace(options.TimeZone))
            {
                options.TimeZone = clock.ZoneId;
            }
        });
        services.AddTeamClock(configuration);
        services.AddSingleton(sp => new MinutesStore(
            sp.Table(n => n.Minutes)));
        services.AddSingleton<MinutesService>();
        services.AddSingleton<MinutesCards>();
        services.AddSingleton<MinutesNotifier>();
        services.AddSingleton<MinutesActions>();
        services.AddSingleton<MinutesSchedule>();
        services.AddSingleton<Jobs.IOccurrenceHeld>(sp => sp.GetRequiredService<MinutesSchedule>());
        services.AddSingleton<AgendaRefresher>();
        services.AddSingleton<IAgendaFollowUp, AgendaFollowUp>();
        services.AddSingleton<IJobHandler, MinutesDailyJob>();
        services.AddSingleton<MinutesReviews>();
        services.AddSingleton<IJobHandler, MinutesReviewWeeklyJob>();
        services.AddSingleton<IChatCommand, MinutesReviewCommand>();
        services.AddSingleton<ICardActionHandler, MarkReviewedAction>();
        services.AddHostedService<MinutesStartup>();

        services.AddSingleton<IChatCommand, MinutesCommand>();
        services.AddSingleton<IChatCommand, MyActionsCommand>();
        services.AddSingleton<IChatCommand, FollowUpCommand>();

        Verb(services, MinutesActions.OpenVerb, MinutesPermissions.ViewMinutes, a => a.OpenAsync);
        Verb(services, MinutesActions.SaveVerb, MinutesPermissions.EditMinutes, a => a.SaveAsync);
        Verb(services, MinutesActions.SubmitVerb, MinutesPermissions.EditMinutes, a => a.SubmitAsync);
        Verb(services, MinutesActions.EditVerb, MinutesPermissions.EditMinutes, a => a.EditAsync);
        Verb(services, MinutesActions.VersionVerb, MinutesPermissions.ViewMinutes, a => a.VersionAsync);
        Verb(services, MinutesActions.ExportVerb, MinutesPermissions.ViewMinutes, a => a.ExportAsync);
        Item(services, MinutesActions.OpenItemVerb, openToFollowUp: true, a => a.OpenItemAsync);
        Item(services, MinutesActions.UpdateItemVerb, openToFollowUp: false, a => a.UpdateItemAsync);
        return services;
    }

    /// <summary>One verb on a meeting's minutes: its permission decided on the meeting by the card-action base before the body runs.</summary>
    private static void Verb(IServiceCollection services, string verb, string permission, Func<MinutesActions, Func<ITurnContext, MinutesContext, JObject, CancellationToken, Task<CardActionResult>>> body) =>
        services.AddSingleton<ICardActionHandler>(sp => new MinutesActionHandler(verb, permission, sp.GetRequiredService<MinutesService>(), sp.GetRequiredService<MinutesSchedule>(),
            sp.GetRequiredService<IAuthorizationService>(), body(sp.GetRequiredService<MinutesActions>())));

    /// <summary>One verb on an action item.</summary>
    private static void Item(IServiceCollection services, string verb, bool openToFollowUp, Func<MinutesActions, Func<ITurnContext, ActionItemOnMeeting, JObject, CancellationToken, Task<CardActionResult>>> body) =>
        services.AddSingleton<ICardActionHandler>(sp => new ActionItemHandler(verb, openToFollowUp, sp.GetRequiredService<MinutesActions>(), sp.GetRequiredService<MinutesSchedule>(),
            sp.GetRequiredService<IAuthorizationService>(), body(sp.GetRequiredService<MinutesActions>())));
}
