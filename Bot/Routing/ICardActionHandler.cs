using Microsoft.Bot.Builder;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.Routing;

/// <summary>
/// Handles one card verb. Every Action.Submit and Action.Execute in our cards carries a
/// <c>verb</c> ("feature.action", e.g. "help.run"); <see cref="CardActionRouter"/> maps verbs
/// to handlers. Authorization is decided from the turn's identity, never from <paramref name="data"/>.
/// </summary>
public interface ICardActionHandler
{
    string Verb { get; }

    /// <summary>
    /// True when running the action twice for one activity does no more than running it once
    /// and answers the same (an insert-once record such as a check-in): then a redelivered
    /// activity needs no separate guard (Conversations/DuplicateDeliveryMiddleware), saving a
    /// storage round trip on every press.
    /// </summary>
    bool GuardsRedelivery => false;

    /// <summary>
    /// Set (a string key in <c>Bot/Localization</c>, the reason to give) when the action's answer
    /// can carry someone's personal record (a leave reason, a weekly report, a customer's
    /// details): <see cref="CardActionRouter"/> then refuses it in a group chat, meeting chat or
    /// channel with that reason before the handler runs, whoever presses it, so such a record
    /// never lands where every member reads it. Null: the action may run in shared chats.
    /// </summary>
    string? PersonalOnlyReasonKey => null;

    /// <param name="data">The card's submitted data: its inputs and the action's data.</param>
    /// <returns>A card to replace the one the action came from (Action.Execute), or null.</returns>
    Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken);
}

/// <summary>What a card action produced: an optional refreshed card and an optional message.</summary>
public sealed record CardActionResult(Microsoft.Bot.Schema.Attachment? RefreshedCard = null, string? Message = null)
{
    public static CardActionResult Done { get; } = new();
}
