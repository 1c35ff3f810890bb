using ChatRegs.Bot.Core;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Storage;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection.Extensions;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace ChatRegs.Bot.People;

public static class PeopleServices
{
    /// <summary>The people directory, who holds which role, and the roles commands, card actions and permissions.</summary>
    public static IServiceCollection AddPeople(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BootstrapOptions>().Bind(configuration.GetSection("ChatRegs:Bootstrap"));
        services.AddTeamClock(configuration);
        services.AddSingleton(sp => new PeopleDirectory(
            sp.Table(n => n.People),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<TeamClock>().ZoneId,
            sp.GetRequiredService<BufferedRowWriter>()));
        services.AddSingleton<RoleHolders>();
        services.AddSingleton(sp => new NamedGroupStore(sp.Table(n => n.People)));
        services.AddSingleton<NamedGroups>();
        services.AddSingleton<NamedGroupCards>();
        services.AddSingleton<IChatCommand, GroupsCommand>();
        services.AddSingleton<ICardActionHandler, SaveGroupAction>();
        services.AddPermissions("People", PeoplePermissions.Rules);
        services.AddSingleton<MemberDiscovery>();
        services.AddSingleton<PeopleCards>();
        services.AddSingleton<IMiddleware, PeopleMiddleware>();

        services.AddSingleton<IChatCommand, RolesCommand>();
        services.AddSingleton<IChatCommand, WhoAmICommand>();
        services.AddSingleton<IChatCommand, RoleLogCommand>();
        services.AddSingleton<ICardActionHandler, SearchPeopleAction>();
        services.AddSingleton<ICardActionHandler, EditPersonAction>();
        services.AddSingleton<ICardActionHandler, SavePersonAction>();
        services.AddSingleton<ICardActionHandler, SaveDepartmentAction>();
        return services;
    }
}
