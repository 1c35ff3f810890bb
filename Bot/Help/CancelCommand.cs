using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Help;

/// <summary>
/// "取消" / "cancel" when no guided flow is running (a running flow handles it itself and
/// ends): says there is nothing to cancel instead of showing the help card.
/// </summary>
public sealed class CancelCommand : IChatCommand
{
    private readonly Localizer _localizer;

    public CancelCommand(Localizer localizer)
    {
        _localizer = localizer;
    }

    public string Id => "cancel";

    public bool ListedInHelp => false;

    public Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken) =>
        turnContext.SendActivityAsync(MessageFactory.Text(_localizer.Get(turnContext.Activity.Locale ?? "", "common.nothingToCancel")), cancellationToken);
}
