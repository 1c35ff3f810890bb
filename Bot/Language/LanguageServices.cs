using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Routing;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace ChatRegs.Bot.Language;

public static class LanguageServices
{
    /// <summary>
    /// The turn's language (middleware: register after People's, which records the locale the
    /// client sent), the language settings, and the 语言 / 本群语言 commands.
    /// </summary>
    public static IServiceCollection AddLanguage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<LanguageOptions>().Bind(configuration.GetSection(LanguageOptions.Section));
        services.AddSingleton<LanguageSettings>();
        services.AddPermissions("Language", LanguagePermissions.Rules);
        services.AddSingleton<IMiddleware, LanguageMiddleware>();
        services.AddSingleton<IChatCommand, LanguageCommand>();
        services.AddSingleton<IChatCommand, ChatLanguageCommand>();
        return services;
    }
}
