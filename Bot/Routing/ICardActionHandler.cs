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

    /// <param name="data">The card's submitted data: its inputs and the action's data.</param>
    /// <returns>A card to replace the one the action came from (Action.Execute), or null.</returns>
    Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken);
}

/// <summary>What a card action produced: an optional refreshed card and an optional message.</summary>
public sealed record CardActionResult(Microsoft.Bot.Schema.Attachment? RefreshedCard = null, string? Message = null)
{
    public static CardActionResult Done { get; } = new();
}
