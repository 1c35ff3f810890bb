using System.Text.Json.Nodes;
using ChatRegs.Bot.Localization;
using ChatRegs.Cards;
using ChatRegs.Cards.Templating;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.Cards;

/// <summary>
/// Binds a template from Cards/ with the feature's data and the user's string table
/// (<c>$root.strings</c>), and wraps the result as an Adaptive Card attachment.
/// </summary>
public sealed class CardFactory : ICardFactory
{
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    private readonly Localizer _localizer;

    public CardFactory(Localizer localizer)
    {
        _localizer = localizer;
    }

    public Attachment Create(string templateName, JsonObject data, string locale)
    {
        var card = Bind(templateName, data, locale);
        return new Attachment
        {
            ContentType = AdaptiveCardContentType,
            // The Bot Framework serializes activities with Newtonsoft: hand it a JObject.
            Content = JObject.Parse(card.ToJsonString()),
        };
    }

    /// <summary>The expanded card as JSON (what <see cref="Create"/> wraps).</summary>
    public JsonNode Bind(string templateName, JsonObject data, string locale)
    {
        var root = (JsonObject)data.DeepClone();
        root["strings"] = _localizer.Table(locale);
        root["locale"] = Localizer.Resolve(locale);
        // Text people type is shown as text: every data value that lands where the card renders
        // Markdown is escaped; the string table ($root.strings) and the locale are the bot's own.
        return TemplateBinder.Expand(CardTemplates.Load(templateName), root, MarkdownEscaping.ForBot)
            ?? throw new InvalidOperationException($"Card template '{templateName}' expanded to nothing.");
    }
}
