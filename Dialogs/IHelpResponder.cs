using Microsoft.Bot.Builder;

namespace ChatRegs.Dialogs;

/// <summary>
/// Sends the help a user asked for in the middle of a dialog ("帮助" / "help"); used by
/// <see cref="InterruptibleComponentDialog"/>, which then re-asks the pending question.
/// </summary>
public interface IHelpResponder
{
    Task SendHelpAsync(ITurnContext turnContext, CancellationToken cancellationToken);
}
