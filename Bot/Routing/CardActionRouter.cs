using ChatRegs.Bot.Localization;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.Routing;

/// <summary>
/// The one place card verbs are mapped to handlers, for Action.Submit (a message whose Value
/// holds the data) and Action.Execute (an adaptiveCard/action invoke) alike.
/// </summary>
public sealed class CardActionRouter
{
    public const string VerbField = "verb";

    private readonly Dictionary<string, ICardActionHandler> _handlers;
    private readonly ILogger<CardActionRouter> _logger;

    public CardActionRouter(IEnumerable<ICardActionHandler> handlers, ILogger<CardActionRouter> logger)
    {
        _handlers = new Dictionary<string, ICardActionHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!_handlers.TryAdd(handler.Verb, handler))
            {
                throw new InvalidOperationException($"Card verb '{handler.Verb}' has two handlers.");
            }
        }
        _logger = logger;
    }

    public IReadOnlyCollection<string> Verbs => _handlers.Keys;

    /// <summary>Does a feature handle this verb (as opposed to a dialog's form)?</summary>
    public bool Handles(string verb) => _handlers.ContainsKey(verb);

    /// <summary>Is this verb's handler its own redelivery guard (<see cref="ICardActionHandler.GuardsRedelivery"/>)?</summary>
    public bool GuardsRedelivery(string verb) => _handlers.TryGetValue(verb, out var handler) && handler.GuardsRedelivery;

    /// <summary>The verb of a submitted card's data, or null.</summary>
    public static string? VerbOf(object? value) =>
        value is JObject obj && obj[VerbField]?.Type == JTokenType.String ? (string?)obj[VerbField] : null;

    /// <summary>An Action.Submit: runs the handler and sends what it produced.</summary>
    public async Task HandleSubmitAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken)
    {
        var result = await DispatchAsync(turnContext, VerbOf(data), data, cancellationToken).ConfigureAwait(false);
        if (result.RefreshedCard != null)
        {
            await turnContext.SendActivityAsync(MessageFactory.Attachment(result.RefreshedCard), cancellationToken).ConfigureAwait(false);
        }
        if (result.Message != null)
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(result.Message), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>An Action.Execute: answers the invoke with the refreshed card (or a message).</summary>
    public async Task<AdaptiveCardInvokeResponse> HandleExecuteAsync(ITurnContext turnContext, AdaptiveCardInvokeValue invoke, CancellationToken cancellationToken)
    {
        var data = invoke.Action?.Data switch
        {
            JObject obj => (JObject)obj.DeepClone(),
            // A string, number or array (the schema allows a string; our cards never send one):
            // no fields, so the handler answers as it does to a card missing its fields.
            _ => new JObject(),
        };
        var verb = invoke.Action?.Verb ?? VerbOf(data);
        data[VerbField] = verb;
        var result = await DispatchAsync(turnContext, verb, data, cancellationToken).ConfigureAwait(false);
        if (result.RefreshedCard != null)
        {
            return new AdaptiveCardInvokeResponse
            {
                StatusCode = 200,
                Type = "application/vnd.microsoft.card.adaptive",
                Value = result.RefreshedCard.Content,
            };
        }
        return new AdaptiveCardInvokeResponse
        {
            StatusCode = 200,
            Type = "application/vnd.microsoft.activity.message",
            Value = result.Message ?? "",
        };
    }

    private async Task<CardActionResult> DispatchAsync(ITurnContext turnContext, string? verb, JObject data, CancellationToken cancellationToken)
    {
        if (verb == null || !_handlers.TryGetValue(verb, out var handler))
        {
            _logger.LogWarning("A card action with unknown verb {Verb} in conversation {ConversationId}.", verb ?? "(none)", turnContext.Activity.Conversation?.Id);
            return new CardActionResult(Message: Localizer.Default.Get(turnContext.Activity.Locale ?? "", "common.unknownAction"));
        }
        if (handler.PersonalOnlyReasonKey is { } reason && DialogHost.IsShared(turnContext.Activity))
        {
            _logger.LogInformation("Card action {Verb} refused in shared conversation {ConversationId}: it shows personal records.", verb, turnContext.Activity.Conversation?.Id);
            return new CardActionResult(Message: Localizer.Default.Get(turnContext.Activity.Locale ?? "", reason));
        }
        return await handler.HandleAsync(turnContext, data, cancellationToken).ConfigureAwait(false);
    }
}
