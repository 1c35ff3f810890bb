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

    /// <param name="arguments">What followed the command word, trimmed ("" when nothing).</param>
    Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken);
}
