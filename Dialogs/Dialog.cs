using Microsoft.Bot.Builder;

namespace ChatRegs.Dialogs;

/// <summary>
/// Base class for every dialog; the same contract as Microsoft.Bot.Builder.Dialogs.Dialog
/// (the event/telemetry/memory-scope parts of the SDK are not part of this subset).
/// </summary>
public abstract class Dialog
{
    /// <summary>A <see cref="DialogTurnStatus.Waiting"/> result: the dialog is waiting for the user.</summary>
    public static readonly DialogTurnResult EndOfTurn = new(DialogTurnStatus.Waiting);

    private string? _id;

    protected Dialog(string? dialogId = null)
    {
        _id = dialogId;
    }

    /// <summary>Gets or sets the dialog's id, unique within its <see cref="DialogSet"/>.</summary>
    public string Id
    {
        get => _id ??= OnComputeId();
        set => _id = value;
    }

    /// <summary>Called when the dialog is started and pushed onto the stack.</summary>
    public abstract Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Called when the dialog is the active dialog and the user replied. The default ends the
    /// dialog with no result.
    /// </summary>
    public virtual Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        return dc.EndDialogAsync(null, cancellationToken);
    }

    /// <summary>
    /// Called when a child dialog this dialog started ended and this dialog is active again.
    /// The default ends this dialog too, passing the child's result on.
    /// </summary>
    public virtual Task<DialogTurnResult> ResumeDialogAsync(DialogContext dc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        if (result is CancellationToken)
        {
            throw new ArgumentException($"{nameof(result)} cannot be a cancellation token");
        }

        return dc.EndDialogAsync(result, cancellationToken);
    }

    /// <summary>Asks the dialog to re-send its question, if it has one. The default does nothing.</summary>
    public virtual Task RepromptDialogAsync(ITurnContext turnContext, DialogInstance instance, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    /// <summary>Called when the dialog is being ended (popped off the stack). The default does nothing.</summary>
    public virtual Task EndDialogAsync(ITurnContext turnContext, DialogInstance instance, DialogReason reason, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    /// <summary>A string that changes when the dialog's definition changes (the SDK's default: the id).</summary>
    public virtual string GetVersion() => Id;

    /// <summary>Computes the id when none was given (the SDK's default: the class name).</summary>
    protected virtual string OnComputeId() => GetType().Name;
}
