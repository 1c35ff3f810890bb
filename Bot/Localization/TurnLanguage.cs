using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Localization;

/// <summary>
/// The languages of one turn, worked out once by the Language feature's middleware before any
/// feature runs (the rules are in docs/language.md):
/// <list type="bullet">
/// <item>the turn's language — <c>Activity.Locale</c> is set to it, so everything that answers
/// "in the user's language" (<see cref="Localizer.Resolve"/> of the activity's locale) uses it:
/// a person's turn (a reply to them, in any chat) the person's; the bot's own proactive turn in a
/// shared chat the chat's;</item>
/// <item>the chat's language (<see cref="Chat"/>) on a person's turn in a shared chat, for what is
/// posted there for everyone (the agenda);</item>
/// <item>the person's own language (<see cref="Personal"/>), for what goes to them alone from a
/// shared chat (a flow moved to their 1:1 chat);</item>
/// <item>whether the person chose a language (<see cref="IsChosen"/>): a choice wins over the
/// language a flow started in;</item>
/// <item>the locale the Teams client sent (<see cref="ClientLocale"/>), as it came.</item>
/// </list>
/// </summary>
public static class TurnLanguage
{
    private const string ClientKey = "ChatRegs.Language.ClientLocale";
    private const string PersonalKey = "ChatRegs.Language.Personal";
    private const string ChosenKey = "ChatRegs.Language.Chosen";
    private const string ChatKey = "ChatRegs.Language.Chat";

    /// <summary>Records the turn's languages and makes <paramref name="language"/> the turn's (<c>Activity.Locale</c>).</summary>
    public static void Decide(ITurnContext turnContext, string language, string personal, bool chosen, string? chat)
    {
        turnContext.TurnState[ClientKey] = turnContext.Activity.Locale;
        turnContext.TurnState[PersonalKey] = Localizer.Resolve(personal);
        turnContext.TurnState[ChosenKey] = chosen;
        if (chat != null)
        {
            turnContext.TurnState[ChatKey] = Localizer.Resolve(chat);
        }
        Use(turnContext, language);
    }

    /// <summary>
    /// The language of what the bot posts for a shared chat during a person's turn there (the
    /// agenda card): the chat's own; elsewhere the turn's.
    /// </summary>
    public static string Chat(ITurnContext turnContext) =>
        turnContext.TurnState.TryGetValue(ChatKey, out var value) && value is string chat ? chat : Current(turnContext);

    /// <summary>
    /// Makes <paramref name="language"/> the turn's language from here on. The activity's locale is
    /// kept when it already names that language ("en-US" stays "en-US"), else it becomes "zh-CN" or "en".
    /// </summary>
    public static void Use(ITurnContext turnContext, string language)
    {
        var resolved = Localizer.Resolve(language);
        if (Localizer.Resolve(turnContext.Activity.Locale) != resolved || string.IsNullOrEmpty(turnContext.Activity.Locale))
        {
            turnContext.Activity.Locale = resolved;
        }
    }

    /// <summary>The language of the turn ("zh-CN" or "en").</summary>
    public static string Current(ITurnContext turnContext) => Localizer.Resolve(turnContext.Activity.Locale);

    /// <summary>The person's own language on this turn (in a 1:1 chat, the turn's).</summary>
    public static string Personal(ITurnContext turnContext) =>
        turnContext.TurnState.TryGetValue(PersonalKey, out var value) && value is string personal ? personal : Current(turnContext);

    /// <summary>True when the person on this turn chose their language (<c>语言 English</c>).</summary>
    public static bool IsChosen(ITurnContext turnContext) =>
        turnContext.TurnState.TryGetValue(ChosenKey, out var value) && value is true;

    /// <summary>The locale the Teams client sent with the activity (before the turn's language was decided).</summary>
    public static string? ClientLocale(ITurnContext turnContext) =>
        turnContext.TurnState.TryGetValue(ClientKey, out var value) ? value as string : turnContext.Activity.Locale;
}
