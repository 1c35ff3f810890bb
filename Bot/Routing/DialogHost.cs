using ChatRegs.Bot.Dialogs;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Routing;

/// <summary>
/// Runs the guided flows. Features register their dialogs in DI as <see cref="Dialog"/>; a
/// command starts one with <see cref="BeginAsync"/>, and while it waits for an answer every
/// message of that conversation goes to it first (<see cref="ContinueAsync"/>). The dialog
/// stack lives in conversation state, so a flow survives a restart of the bot.
/// </summary>
public sealed class DialogHost
{
    private readonly DialogSet _dialogs;

    public DialogHost(ConversationState conversationState, IEnumerable<Dialog> dialogs)
    {
        _dialogs = new DialogSet(conversationState.CreateProperty<DialogState>(nameof(DialogState)));
        foreach (var dialog in dialogs)
        {
            _dialogs.Add(dialog);
        }
    }

    /// <returns>True when a running flow took the turn.</returns>
    public async Task<bool> ContinueAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var dc = await _dialogs.CreateContextAsync(turnContext, cancellationToken).ConfigureAwait(false);
        if (dc.ActiveDialog == null)
        {
            return false;
        }
        var result = await dc.ContinueDialogAsync(cancellationToken).ConfigureAwait(false);
        return result.Status != DialogTurnStatus.Empty;
    }

    /// <summary>The id of the flow waiting for an answer in this conversation, or null.</summary>
    public async Task<string?> ActiveDialogIdAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var dc = await _dialogs.CreateContextAsync(turnContext, cancellationToken).ConfigureAwait(false);
        return dc.ActiveDialog?.Id;
    }

    public async Task BeginAsync(ITurnContext turnContext, string dialogId, object? options, CancellationToken cancellationToken)
    {
        var dc = await _dialogs.CreateContextAsync(turnContext, cancellationToken).ConfigureAwait(false);
        // A new command replaces whatever flow was left waiting.
        await dc.CancelAllDialogsAsync(cancellationToken).ConfigureAwait(false);
        await dc.BeginDialogAsync(dialogId, options, cancellationToken).ConfigureAwait(false);
    }
}
