using ChatRegs.Dialogs.Choices;
using Microsoft.Bot.Builder;

namespace ChatRegs.Dialogs;

/// <summary>Finds the turn's <see cref="IDialogText"/> and answers in the turn's language.</summary>
public static class DialogText
{
    /// <summary>Makes <paramref name="text"/> the dialogs' text for this turn (the application does this before running dialogs).</summary>
    public static void Use(ITurnContext turnContext, IDialogText text)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(text);
        turnContext.TurnState.Set(text);
    }

    /// <summary>The turn's text; throws when the application put none in the turn state.</summary>
    public static IDialogText Of(ITurnContext turnContext)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        return turnContext.TurnState.Get<IDialogText>()
            ?? throw new InvalidOperationException($"No {nameof(IDialogText)} in the turn state: call {nameof(DialogText)}.{nameof(Use)} before running dialogs.");
    }

    /// <summary>The language of the turn: the activity's locale, else <paramref name="defaultLocale"/>, resolved by the text.</summary>
    internal static string Language(ITurnContext turnContext, string? defaultLocale = null) =>
        Of(turnContext).Language(turnContext.Activity?.Locale ?? defaultLocale);

    /// <summary><paramref name="key"/> in the turn's language.</summary>
    internal static string Get(ITurnContext turnContext, string key, params object?[] args) =>
        Of(turnContext).Get(Language(turnContext), key, args);

    /// <summary>Inline-list separators for <paramref name="language"/>, numbered.</summary>
    internal static ChoiceFactoryOptions ChoiceOptions(IDialogText text, string language) => new()
    {
        InlineSeparator = text.Get(language, DialogTextKeys.InlineSeparator),
        InlineOr = text.Get(language, DialogTextKeys.InlineOr),
        InlineOrMore = text.Get(language, DialogTextKeys.InlineOrMore),
        IncludeNumbers = true,
    };
}
