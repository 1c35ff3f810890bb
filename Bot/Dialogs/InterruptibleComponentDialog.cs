using ChatRegs.Bot.Dialogs.Choices;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.Dialogs;

/// <summary>
/// A component dialog the user can interrupt at any step (like the SDK sample's CancelAndHelpDialog).
/// Before each turn reaches the inner dialog, a text message is compared — trimmed, case- and
/// width-insensitive, end punctuation ignored — with:
/// <list type="bullet">
/// <item><see cref="CancelWords"/> (取消, 退出, cancel, quit, stop, exit): says "cancelled" in the user's
/// language and cancels every dialog of the conversation — the inner stack and all the parents'
/// stacks — returning <see cref="DialogTurnStatus.Cancelled"/>; no parent step runs afterwards.</item>
/// <item><see cref="HelpWords"/> (帮助, help): calls <see cref="IHelpResponder.SendHelpAsync"/>, then
/// re-asks the pending question and keeps waiting at the same step.</item>
/// </list>
/// These words therefore cannot be given as answers inside such a dialog. Card submits (no text)
/// are never interrupts. Teams @mentions should be removed from the text before the dialog runs.
/// </summary>
public class InterruptibleComponentDialog : ComponentDialog
{
    /// <summary>The words that cancel (compared after normalization).</summary>
    public static readonly IReadOnlyCollection<string> CancelWords = ["取消", "退出", "cancel", "quit", "stop", "exit"];

    /// <summary>The words that ask for help (compared after normalization).</summary>
    public static readonly IReadOnlyCollection<string> HelpWords = ["帮助", "help"];

    private readonly IHelpResponder? _helpResponder;

    /// <param name="dialogId">The dialog's id.</param>
    /// <param name="helpResponder">Sends help; when null, help words are not intercepted.</param>
    public InterruptibleComponentDialog(string dialogId, IHelpResponder? helpResponder)
        : base(dialogId)
    {
        _helpResponder = helpResponder;
    }

    /// <inheritdoc/>
    protected override async Task<DialogTurnResult> OnContinueDialogAsync(DialogContext innerDc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(innerDc);
        var interrupted = await InterruptAsync(innerDc, cancellationToken).ConfigureAwait(false);
        return interrupted ?? await base.OnContinueDialogAsync(innerDc, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Handles cancel and help; returns null when the turn is not an interruption.</summary>
    protected virtual async Task<DialogTurnResult?> InterruptAsync(DialogContext innerDc, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(innerDc);
        var activity = innerDc.Context.Activity;
        if (activity.Type != ActivityTypes.Message || string.IsNullOrWhiteSpace(activity.Text))
        {
            return null;
        }

        var text = ChoiceRecognizers.Normalize(activity.Text);
        if (CancelWords.Contains(text))
        {
            await innerDc.Context.SendActivityAsync(DialogText.Get(innerDc.Context, "common.cancelled"), cancellationToken: cancellationToken).ConfigureAwait(false);
            return await innerDc.CancelAllDialogsAsync(cancelParents: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        if (_helpResponder != null && HelpWords.Contains(text))
        {
            await _helpResponder.SendHelpAsync(innerDc.Context, cancellationToken).ConfigureAwait(false);
            await innerDc.RepromptDialogAsync(cancellationToken).ConfigureAwait(false);
            return EndOfTurn;
        }

        return null;
    }
}
