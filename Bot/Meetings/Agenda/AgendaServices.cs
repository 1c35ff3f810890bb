using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Core;
using Azure.Data.Tables;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatRegs.Bot.Meetings.Agenda;

public static class AgendaServices
{
    /// <summary>
    /// The agenda (议程): topics submitted by participants, the host's review, and the agenda
    /// card posted to the meeting's conversation. Builds on the meetings feature
    /// (<see cref="MeetingCache"/>), the working-day calendar and the proactive sender.
    /// </summary>
    public static IServiceCollection AddAgenda(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddPermissions("Meetings/Agenda", AgendaPermissions.Rules);
        services.AddOptions<AgendaOptions>().Bind(configuration.GetSection(AgendaOptions.Section));
        services.AddTeamClock(configuration);
        services.AddSingleton(sp => new AgendaStore(
            sp.Table(n => n.Agendas)));
        services.AddSingleton<AgendaService>();
        services.AddSingleton<AgendaCards>();
        services.AddSingleton<TopicForms>();
        services.AddSingleton<AgendaPublisher>();
        services.AddSingleton<AgendaActions>();

        services.AddSingleton<IChatCommand, TopicCommand>();
        services.AddSingleton<IChatCommand, AgendaCommand>();
        services.AddSingleton<IChatCommand, PostAgendaCommand>();

        Verb(services, TopicForms.FormVerb, a => a.TopicFormAsync);
        services.AddSingleton<ICardActionHandler>(sp => new AgendaActionHandler(TopicForms.SubmitVerb, sp.GetRequiredService<TopicForms>().SubmitAsync));
        Verb(services, AgendaActions.OpenVerb, a => a.OpenAsync);
        Verb(services, AgendaActions.ViewVerb, a => a.ViewAsync);
        Verb(services, AgendaActions.ReviewVerb, a => a.ReviewAsync);
        Verb(services, AgendaActions.PostVerb, a => a.PostAsync);
        foreach (var verb in new[] { AgendaActions.AcceptVerb, AgendaActions.RejectVerb, AgendaActions.UpVerb, AgendaActions.DownVerb })
        {
            services.AddSingleton<ICardActionHandler>(sp => new AgendaActionHandler(verb, (t, d, ct) => sp.GetRequiredService<AgendaActions>().DecideAsync(t, d, verb, ct)));
        }
        return services;
    }

    private static void Verb(IServiceCollection services, string verb, Func<AgendaActions, Func<Microsoft.Bot.Builder.ITurnContext, Newtonsoft.Json.Linq.JObject, CancellationToken, Task<CardActionResult>>> pick) =>
        services.AddSingleton<ICardActionHandler>(sp => new AgendaActionHandler(verb, pick(sp.GetRequiredService<AgendaActions>())));
}
