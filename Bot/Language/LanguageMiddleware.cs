using ChatRegs.Bot.Core;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace ChatRegs.Bot.Language;

/// <summary>
/// Decides the language of every turn before features run (<see cref="TurnLanguage"/>), the
/// bot's own proactive turns included (<see cref="Proactive.ProactiveSender"/> runs them through
/// the middleware):
/// <list type="bullet">
/// <item>A person's language: the one they chose (<c>语言 English</c>); else, on a message that
/// starts with a command word, that word's language (我是谁 → 中文, whoami → English); else the
/// locale their Teams client sent. A proactive message to a person: their choice, else the
/// locale their client last sent in their 1:1 chat.</item>
/// <item>A shared chat (group chat, channel, meeting chat): the chat's own language
/// (<c>本群语言</c>), else the tenant's default — for what the bot posts there for everyone (its
/// proactive turns: check-in card, roll, notices; the agenda, <see cref="TurnLanguage.Chat"/>),
/// whoever wrote last. A reply to one member's message or button there is in that member's language.</item>
/// </list>
/// A flow in progress keeps the language it started in unless the person chose one
/// (<see cref="DialogHost"/>). Registered after the middleware that records people and
/// conversation references, which keep the locale the client sent.
/// </summary>
public sealed class LanguageMiddleware(LanguageSettings settings, IServiceProvider services, ILogger<LanguageMiddleware> logger) : IMiddleware
{
    // Resolved when first needed: the commands depend on the proactive sender, which depends on the adapter this middleware is part of.
    private CommandRouter? _router;

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        var activity = turnContext.Activity;
        var tenant = Tenants.Of(activity);
        var client = Localizer.Resolve(activity.Locale);
        var shared = DialogHost.IsShared(activity);
        var person = activity.From is { Id.Length: > 0 } from && from.Role != RoleTypes.Bot ? from.Id : null;
        string? chosen = null;
        string? chat = null;
        if (tenant != null)
        {
            try
            {
                if (person != null)
                {
                    chosen = await settings.ChosenAsync(tenant, person, cancellationToken).ConfigureAwait(false);
                }
                if (shared && activity.Conversation?.Id is { Length: > 0 } conversation)
                {
                    chat = await settings.ChatAsync(tenant, conversation, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (StorageProblems.Is(e) && !cancellationToken.IsCancellationRequested)
            {
                // The language is not worth failing the turn: the client's locale (a shared chat: the tenant's default) stands in.
                logger.LogWarning(e, "Could not read the language settings of tenant {TenantId}; using the client's locale.", tenant);
                chat = shared ? settings.TenantDefault(tenant) : null;
            }
        }
        var typed = activity.Type == ActivityTypes.Message && !string.IsNullOrWhiteSpace(activity.Text)
            ? Router().LanguageOf(CommandRouter.TextWithoutMention(turnContext))
            : null;
        var personal = chosen ?? typed ?? client;
        // A person's turn is answered in their language, in any chat (a reply to one member is
        // theirs); the bot's own turns in a shared chat (the check-in card, the roll, notices) speak the chat's.
        var own = activity.Type is ActivityTypes.Message or ActivityTypes.Invoke && person != null;
        TurnLanguage.Decide(turnContext, own ? personal : chat ?? personal, personal, chosen != null, chat);
        await next(cancellationToken).ConfigureAwait(false);
    }

    private CommandRouter Router() => _router ??= services.GetRequiredService<CommandRouter>();
}
