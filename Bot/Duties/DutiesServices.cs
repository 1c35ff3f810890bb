using ChatRegs.Bot.Routing;

namespace ChatRegs.Bot.Duties;

public static class DutiesServices
{
    /// <summary>The duties handbook (岗位职责): "职责 客服", "duties finance", "职责 回访".</summary>
    public static IServiceCollection AddDuties(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DutiesOptions>().Bind(configuration.GetSection(DutiesOptions.Section));
        services.AddSingleton<DutiesHandbook>();
        services.AddSingleton<DutiesCards>();
        services.AddSingleton<IChatCommand, DutiesCommand>();
        services.AddSingleton<ICardActionHandler, ShowDutiesAction>();
        return services;
    }
}
