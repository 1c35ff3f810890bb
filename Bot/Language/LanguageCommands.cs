using System.Text.Json.Nodes;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Language;

/// <summary>The language names people type after <c>语言</c> / <c>本群语言</c>, in either language.</summary>
public static class LanguageNames
{
    /// <summary>Longer than any name: anything longer is not one (and is never echoed).</summary>
    public const int MaxLength = 20;

    private static readonly Dictionary<string, string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["中文"] = Localizer.Chinese, ["汉语"] = Localizer.Chinese, ["简体中文"] = Localizer.Chinese, ["普通话"] = Localizer.Chinese,
        ["chinese"] = Localizer.Chinese, ["zh"] = Localizer.Chinese, ["zh-cn"] = Localizer.Chinese, ["cn"] = Localizer.Chinese,
        ["english"] = Localizer.English, ["英文"] = Localizer.English, ["英语"] = Localizer.English, ["en"] = Localizer.English, ["en-us"] = Localizer.English,
    };

    /// <summary>"zh-CN" or "en" for a name such as 中文, English, 英文, zh, en; null otherwise.</summary>
    public static string? Parse(string text)
    {
        var name = text.Trim().TrimEnd('。', '.', '!', '！');
        return name.Length is > 0 and <= MaxLength && Names.TryGetValue(name, out var language) ? language : null;
    }

    /// <summary>How a language is named to people: 中文, English (the same in both languages).</summary>
    public static string Display(Localizer localizer, string language) =>
        localizer.Get(language, Localizer.Resolve(language) == Localizer.English ? "language.english" : "language.chinese");
}

/// <summary>
/// "语言" / "language": a person chooses their own language (<c>语言 English</c>, <c>language 中文</c>),
/// or, with nothing after it, gets a card saying which language they have, with a button for each.
/// Anyone may: it changes only how the bot talks to them.
/// </summary>
public sealed class LanguageCommand(LanguageSettings settings, ICardFactory cards, Localizer localizer) : IChatCommand
{
    public string Id => "language";

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var tenant = Tenants.Of(activity);
        if (tenant == null || string.IsNullOrEmpty(activity.From?.Id))
        {
            return;
        }
        var locale = TurnLanguage.Current(turnContext);
        if (arguments.Length == 0)
        {
            await turnContext.SendActivityAsync(MessageFactory.Attachment(Card(turnContext, locale)), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (LanguageNames.Parse(arguments) is not { } language)
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(localizer.Get(locale, "language.unknown")), cancellationToken).ConfigureAwait(false);
            await turnContext.SendActivityAsync(MessageFactory.Attachment(Card(turnContext, locale)), cancellationToken).ConfigureAwait(false);
            return;
        }
        var saved = await settings.ChooseAsync(tenant, activity.From.Id, language, cancellationToken).ConfigureAwait(false);
        saved.OrThrow();
        SavedTurns.Mark(turnContext);
        // From now on, this answer included, the person's language (a shared chat's posts keep the chat's).
        TurnLanguage.Use(turnContext, language);
        locale = language;
        await turnContext.SendActivityAsync(MessageFactory.Text(localizer.Get(locale, "language.saved", LanguageNames.Display(localizer, language))), cancellationToken).ConfigureAwait(false);
    }

    private Microsoft.Bot.Schema.Attachment Card(ITurnContext turnContext, string locale)
    {
        var personal = TurnLanguage.Personal(turnContext);
        var current = LanguageNames.Display(localizer, personal) + localizer.Get(locale, TurnLanguage.IsChosen(turnContext) ? "language.chosen" : "language.automatic");
        var data = new JsonObject
        {
            ["current"] = localizer.Get(locale, "language.current", current),
            // The buttons run the command as typed (help.run), so a button and typing do the same.
            ["chineseCommand"] = localizer.Get(Localizer.Chinese, "commands.language.name") + " " + localizer.Get(Localizer.Chinese, "language.chinese"),
            ["englishCommand"] = localizer.Get(Localizer.English, "commands.language.name") + " " + localizer.Get(Localizer.English, "language.english"),
        };
        return cards.Create("Language", data, locale);
    }
}

/// <summary>
/// "本群语言" / "chat language": a shared chat's own language (group chat, channel, meeting chat):
/// with nothing after it, which one it is; <c>本群语言 English</c> sets it — the office, or the host
/// of a meeting series held in this chat (deny by default).
/// </summary>
public sealed class ChatLanguageCommand(LanguageSettings settings, AuthorizationService authorization, MeetingCache meetings, Localizer localizer) : IChatCommand
{
    public string Id => "chatLanguage";

    public bool ListedInHelp => true;

    /// <summary>Listed in help only for those who may use it.</summary>
    public string? HelpAction => LanguagePermissions.SetChatLanguage;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var tenant = Tenants.Of(activity);
        var locale = TurnLanguage.Current(turnContext);
        if (!DialogHost.IsShared(activity) || tenant == null || activity.Conversation?.Id is not { Length: > 0 } conversation)
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(localizer.Get(locale, "language.chat.onlyShared")), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (arguments.Length == 0)
        {
            var setting = await settings.ChatSettingAsync(tenant, conversation, cancellationToken).ConfigureAwait(false);
            var language = setting?.Language ?? settings.TenantDefault(tenant);
            var text = localizer.Get(locale, "language.chat.current", LanguageNames.Display(localizer, language), localizer.Get(locale, setting == null ? "language.chat.byDefault" : "language.chat.bySetting"))
                + "\n" + localizer.Get(locale, "language.chat.howTo");
            await turnContext.SendActivityAsync(MessageFactory.Text(text), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (LanguageNames.Parse(arguments) is not { } chosen)
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(localizer.Get(locale, "language.chat.unknown")), cancellationToken).ConfigureAwait(false);
            return;
        }
        // The hosts of the series held in this chat (a channel's threads count as the channel).
        var hosts = (await meetings.ListAsync(tenant, cancellationToken).ConfigureAwait(false))
            .Where(s => AgendaService.SameConversation(s.ConversationId, conversation))
            .Select(s => s.HostId)
            .ToHashSet(StringComparer.Ordinal);
        var resource = new AuthorizationResource("chat", LanguageSettings.ChatKey(conversation))
        {
            PeopleByRole = new Dictionary<string, IReadOnlyCollection<string>> { [MeetingRoles.Host] = hosts },
        };
        if (!await authorization.EnsureAllowedAsync(turnContext, LanguagePermissions.SetChatLanguage, resource, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        var actor = await authorization.GetActorAsync(turnContext, cancellationToken).ConfigureAwait(false);
        (await settings.SetChatAsync(actor, conversation, chosen, cancellationToken).ConfigureAwait(false)).OrThrow();
        SavedTurns.Mark(turnContext);
        TurnLanguage.Use(turnContext, chosen);
        await turnContext.SendActivityAsync(MessageFactory.Text(localizer.Get(chosen, "language.chat.saved", LanguageNames.Display(localizer, chosen))), cancellationToken).ConfigureAwait(false);
    }
}
