using System.Text.Json.Nodes;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.Cards;

/// <summary>
/// The one way features get a card: a template name from Cards/ (e.g. "Help" for
/// Cards/Help.json), its data, and the user's locale. The factory binds the localized string
/// table as <c>$root.strings</c>, expands the template and wraps it as an attachment.
/// </summary>
public interface ICardFactory
{
    Attachment Create(string templateName, JsonObject data, string locale);
}
