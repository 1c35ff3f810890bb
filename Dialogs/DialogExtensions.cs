using Microsoft.Bot.Builder;

namespace ChatRegs.Dialogs;

/// <summary>Running a root dialog from a bot's turn handler (as the SDK's DialogExtensions).</summary>
public static class DialogExtensions
{
    /// <summary>
    /// Continues the dialog stack kept in <paramref name="accessor"/>, or starts
    /// <paramref name="dialog"/> when the stack is empty. Save the state afterwards
    /// (<c>ConversationState.SaveChangesAsync</c> or AutoSaveStateMiddleware), as with the SDK.
    /// </summary>
    public static async Task RunAsync(this Dialog dialog, ITurnContext turnContext, IStatePropertyAccessor<DialogState> accessor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dialog);
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(accessor);

        var dialogSet = new DialogSet(accessor);
        dialogSet.Add(dialog);

        var dialogContext = await dialogSet.CreateContextAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var result = await dialogContext.ContinueDialogAsync(cancellationToken).ConfigureAwait(false);
        if (result.Status == DialogTurnStatus.Empty)
        {
            await dialogContext.BeginDialogAsync(dialog.Id, null, cancellationToken).ConfigureAwait(false);
        }
    }
}
