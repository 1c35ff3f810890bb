using System.Text.Json.Nodes;
using ChatRegs.Dialogs;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.Cards;

/// <summary>
/// The one way features get a card: a template name from Cards/ (e.g. "Help" for
/// Cards/Help.json), its data, and the user's locale. The factory binds the localized string
/// table as <c>$root.strings</c>, expands the template and wraps it as an attachment. It is also
/// what the dialogs' card forms are built with (<see cref="ICardFormFactory"/>, the one member).
/// </summary>
public interface ICardFactory : ICardFormFactory
{
}
