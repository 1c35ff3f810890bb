using ChatRegs.Bot.Dialogs.Choices;
using ChatRegs.Bot.Localization;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Dialogs;

/// <summary>The dialogs' localized strings ("dialogs.*" in Localization/Strings.*.json).</summary>
internal static class DialogText
{
    /// <summary>The language of the turn: the activity's locale, else <paramref name="defaultLocale"/>, else Chinese.</summary>
    public static string Language(ITurnContext turnContext, string? defaultLocale = null) =>
        Localizer.Resolve(turnContext?.Activity?.Locale ?? defaultLocale);

    public static string Get(ITurnContext turnContext, string key, params object?[] args) =>
        Localizer.Default.Get(Language(turnContext), key, args);

    public static string Get(string language, string key, params object?[] args) =>
        Localizer.Default.Get(language, key, args);

    /// <summary>Inline-list separators for <paramref name="language"/>, numbered.</summary>
    public static ChoiceFactoryOptions ChoiceOptions(string language) => new()
    {
        InlineSeparator = Get(language, "dialogs.choices.inlineSeparator"),
        InlineOr = Get(language, "dialogs.choices.inlineOr"),
        InlineOrMore = Get(language, "dialogs.choices.inlineOrMore"),
        IncludeNumbers = true,
    };
}
