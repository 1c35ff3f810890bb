using Azure.Data.Tables;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Storage;
using ChatRegs.Dialogs;

namespace ChatRegs.Bot.Suggestions;

public static class SuggestionServices
{
    public static IServiceCollection AddSuggestions(this IServiceCollection services)
    {
        services.AddSingleton(sp => new SuggestionStore(
            sp.Table(n => n.Suggestions)));
        services.AddSingleton<Dialog, SuggestionDialog>();
        services.AddSingleton<IChatCommand, SuggestCommand>();
        return services;
    }
}
