using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Routing;

/// <summary>
/// A typed command ("帮助" / "help"). Its words come from the strings tables:
/// <c>commands.{Id}.name</c> in every language, plus the optional comma-separated
/// <c>commands.{Id}.aliases</c>; its help line is <c>commands.{Id}.description</c>.
/// Features register their commands in DI; <see cref="CommandRouter"/> finds them.
/// </summary>
public interface IChatCommand
{
    string Id { get; }

    /// <summary>Shown in the help card (and the Teams manifest's command list).</summary>
    bool ListedInHelp { get; }

    /// <summary>
    /// The action (see <c>Authorization.Actions</c>) the command is for, when only some roles may
    /// use it: the help card then lists it only for people holding one of that action's roles, so
    /// an employee's card is not full of the office's tools. Null: listed for everyone.
    /// </summary>
    string? HelpAction => null;

    /// <param name="arguments">What followed the command word, trimmed ("" when nothing).</param>
    Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken);
}
