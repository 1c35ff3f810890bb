using System.Text.Json.Nodes;
using Microsoft.Bot.Schema;

namespace ChatRegs.Dialogs;

/// <summary>
/// Builds the card a <see cref="CardFormPrompt"/> sends: an Adaptive Card attachment from a
/// template name, its data (with <c>values</c> and <c>errors</c> added by the prompt) and the
/// user's language. The application provides it (the bot's card factory is one).
/// </summary>
public interface ICardFormFactory
{
    Attachment Create(string templateName, JsonObject data, string locale);
}
