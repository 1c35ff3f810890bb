using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Suggestions;

/// <summary>"建议" / "suggest": starts the suggestion flow.</summary>
public sealed class SuggestCommand(DialogHost flows) : IChatCommand
{
    public string Id => "suggest";

    public bool ListedInHelp => true;

    public Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken) =>
        flows.BeginAsync(turnContext, SuggestionDialog.Id, null, cancellationToken);
}
