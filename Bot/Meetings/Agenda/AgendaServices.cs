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

        Verb(services, TopicForms.FormVerb, AgendaPermissions.SubmitTopic, sp => sp.GetRequiredService<AgendaActions>().TopicFormAsync);
        Verb(services, TopicForms.SubmitVerb, AgendaPermissions.SubmitTopic, sp => sp.GetRequiredService<TopicForms>().SubmitAsync);
        // Managers of the agenda may view it too (the rules' roles are a subset): 议程 opens the review card for them.
        Verb(services, AgendaActions.OpenVerb, AgendaPermissions.ViewAgenda, sp => sp.GetRequiredService<AgendaActions>().OpenAsync);
        Verb(services, AgendaActions.ViewVerb, AgendaPermissions.ViewAgenda, sp => sp.GetRequiredService<AgendaActions>().ViewAsync);
        Verb(services, AgendaActions.ReviewVerb, AgendaPermissions.ManageAgenda, sp => sp.GetRequiredService<AgendaActions>().ReviewAsync);
        Verb(services, AgendaActions.PostVerb, AgendaPermissions.ManageAgenda, sp => sp.GetRequiredService<AgendaActions>().PostAsync);
        foreach (var verb in new[] { AgendaActions.AcceptVerb, AgendaActions.RejectVerb, AgendaActions.UpVerb, AgendaActions.DownVerb })
        {
            Verb(services, verb, AgendaPermissions.ManageAgenda, sp => (t, c, d, ct) => sp.GetRequiredService<AgendaActions>().DecideAsync(t, c, d, verb, ct));
        }
        return services;
    }

    /// <summary>One verb: its permission on the meeting, decided by the card-action base before the body runs.</summary>
    private static void Verb(IServiceCollection services, string verb, string permission,
        Func<IServiceProvider, Func<Microsoft.Bot.Builder.ITurnContext, AgendaContext, Newtonsoft.Json.Linq.JObject, CancellationToken, Task<CardActionResult>>> body) =>
        services.AddSingleton<ICardActionHandler>(sp => new AgendaActionHandler(verb, permission, sp.GetRequiredService<AgendaService>(), sp.GetRequiredService<IAuthorizationService>(), body(sp)));
}
