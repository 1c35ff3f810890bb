using ChatRegs.Dialogs.Choices;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ChatRegs.Dialogs;

/// <summary>
/// A component dialog the user can interrupt at any step (like the SDK sample's CancelAndHelpDialog).
/// Before each turn reaches the inner dialog, a text message is compared — trimmed, case- and
/// width-insensitive, end punctuation ignored — with:
/// <list type="bullet">
/// <item><see cref="CancelWords"/> (the cancel command's name and aliases in every language of the
/// turn's <see cref="IDialogText"/>; the bot's: 取消, 退出, cancel, quit, stop, exit): says "cancelled" in the user's
/// language and cancels every dialog of the conversation — the inner stack and all the parents'
/// stacks — returning <see cref="DialogTurnStatus.Cancelled"/>; no parent step runs afterwards.</item>
/// <item><see cref="HelpWords"/> (the help command's words: 帮助, 菜单, help, menu, commands): calls <see cref="IHelpResponder.SendHelpAsync"/>, then
/// re-asks the pending question and keeps waiting at the same step.</item>
/// </list>
/// These words therefore cannot be given as answers inside such a dialog. Card submits (no text)
/// are never interrupts. Teams @mentions should be removed from the text before the dialog runs.
/// </summary>
public class InterruptibleComponentDialog : ComponentDialog
{
    /// <summary>
    /// The words that cancel, normalized: the cancel command's words as the turn's
    /// <see cref="IDialogText"/> gives them (the bot: commands.cancel in its string tables), so a
    /// word that cancels from the command line also cancels inside a dialog, and the two lists
    /// cannot drift apart.
    /// </summary>
    public static IReadOnlySet<string> CancelWords(IDialogText text) => CommandWords(text, DialogTextKeys.CancelCommand);

    /// <summary>The words that ask for help, normalized (the bot: commands.help in its string tables).</summary>
    public static IReadOnlySet<string> HelpWords(IDialogText text) => CommandWords(text, DialogTextKeys.HelpCommand);

    // Normalization strips end punctuation, so "?" (a help alias) becomes empty and is left out:
    // a lone question mark inside a dialog is an answer to re-ask, not a request for the menu.
    private static HashSet<string> CommandWords(IDialogText text, string command)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.CommandWords(command).Select(ChoiceRecognizers.Normalize).Where(w => w.Length > 0).ToHashSet(StringComparer.Ordinal);
    }

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

        var words = DialogText.Of(innerDc.Context);
        var text = ChoiceRecognizers.Normalize(activity.Text);
        if (CancelWords(words).Contains(text))
        {
            await innerDc.Context.SendActivityAsync(DialogText.Get(innerDc.Context, DialogTextKeys.Cancelled), cancellationToken: cancellationToken).ConfigureAwait(false);
            return await innerDc.CancelAllDialogsAsync(cancelParents: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        if (_helpResponder != null && HelpWords(words).Contains(text))
        {
            await _helpResponder.SendHelpAsync(innerDc.Context, cancellationToken).ConfigureAwait(false);
            await innerDc.RepromptDialogAsync(cancellationToken).ConfigureAwait(false);
            return EndOfTurn;
        }

        return null;
    }
}
