using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.Help;

/// <summary>The help card's buttons ("help.run"): run the command as if it had been typed.</summary>
public sealed class RunCommandAction : ICardActionHandler
{
    private readonly IServiceProvider _services;

    public RunCommandAction(IServiceProvider services)
    {
        _services = services;
    }

    public string Verb => "help.run";

    public async Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken)
    {
        var command = CardFields.Raw(data, "command");
        await _services.GetRequiredService<CommandRouter>().RunAsync(turnContext, command, cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}
