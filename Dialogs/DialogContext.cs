using System.Diagnostics;
using Microsoft.Bot.Builder;

namespace ChatRegs.Dialogs;

/// <summary>
/// The dialog stack of one turn, and the operations on it (as Microsoft.Bot.Builder.Dialogs.DialogContext):
/// begin, continue, end, replace, cancel and re-prompt. A component dialog's inner context
/// has the outer context as its <see cref="Parent"/>.
/// </summary>
[DebuggerDisplay("{GetType().Name}[{ActiveDialog?.Id}]")]
public class DialogContext
{
    /// <summary>Creates a root context over <paramref name="state"/>.</summary>
    public DialogContext(DialogSet dialogs, ITurnContext turnContext, DialogState state)
    {
        Dialogs = dialogs ?? throw new ArgumentNullException(nameof(dialogs));
        Context = turnContext ?? throw new ArgumentNullException(nameof(turnContext));
        ArgumentNullException.ThrowIfNull(state);
        state.DialogStack ??= new List<DialogInstance>();
        Stack = state.DialogStack;
    }

    /// <summary>Creates a child context (e.g. the inner context of a component dialog).</summary>
    public DialogContext(DialogSet dialogs, DialogContext parentDialogContext, DialogState state)
        : this(dialogs, (parentDialogContext ?? throw new ArgumentNullException(nameof(parentDialogContext))).Context, state)
    {
        Parent = parentDialogContext;
    }

    /// <summary>Gets the dialogs that can be started from this context.</summary>
    public DialogSet Dialogs { get; private set; }

    /// <summary>Gets the turn context.</summary>
    public ITurnContext Context { get; private set; }

    /// <summary>Gets the dialog stack; index 0 is the active dialog.</summary>
    public List<DialogInstance> Stack { get; private set; }

    /// <summary>Gets or sets the parent context, searched when a dialog id is not found here.</summary>
    public DialogContext? Parent { get; set; }

    /// <summary>Gets the active dialog's inner context when the active dialog is a container.</summary>
    public DialogContext? Child
    {
        get
        {
            var instance = ActiveDialog;
            return instance != null && FindDialog(instance.Id) is DialogContainer container
                ? container.CreateChildContext(this)
                : null;
        }
    }

    /// <summary>Gets the instance on top of the stack, or null when the stack is empty.</summary>
    public DialogInstance? ActiveDialog => Stack.Count > 0 ? Stack[0] : null;

    /// <summary>Pushes a new instance of <paramref name="dialogId"/> and starts it.</summary>
    public async Task<DialogTurnResult> BeginDialogAsync(string dialogId, object? options = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(dialogId))
        {
            throw new ArgumentNullException(nameof(dialogId));
        }

        if (options is CancellationToken)
        {
            throw new ArgumentException($"{nameof(options)} cannot be a cancellation token");
        }

        var dialog = FindDialog(dialogId) ?? throw new InvalidOperationException(
            $"DialogContext.BeginDialogAsync(): A dialog with an id of '{dialogId}' wasn't found." +
            " The dialog must be included in the current or parent DialogSet." +
            " For example, if subclassing a ComponentDialog you can call AddDialog() within your constructor.");

        var instance = new DialogInstance
        {
            Id = dialogId,
            State = new Dictionary<string, object>(),
            Version = dialog.GetVersion(),
        };
        Stack.Insert(0, instance);

        return await dialog.BeginDialogAsync(this, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts a prompt; the same as <see cref="BeginDialogAsync"/> with required options.</summary>
    public Task<DialogTurnResult> PromptAsync(string dialogId, PromptOptions options, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(dialogId))
        {
            throw new ArgumentNullException(nameof(dialogId));
        }

        ArgumentNullException.ThrowIfNull(options);
        return BeginDialogAsync(dialogId, options, cancellationToken);
    }

    /// <summary>
    /// Passes the turn to the active dialog; <see cref="DialogTurnStatus.Empty"/> when the stack is empty.
    /// </summary>
    public async Task<DialogTurnResult> ContinueDialogAsync(CancellationToken cancellationToken = default)
    {
        var active = ActiveDialog;
        if (active == null)
        {
            return new DialogTurnResult(DialogTurnStatus.Empty);
        }

        var dialog = FindDialog(active.Id)
            ?? throw new InvalidOperationException($"Failed to continue dialog. A dialog with id {active.Id} could not be found.");
        return await dialog.ContinueDialogAsync(this, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends the active dialog and resumes the one below it with <paramref name="result"/>; when
    /// the stack becomes empty, returns <see cref="DialogTurnStatus.Complete"/> with the result.
    /// </summary>
    public async Task<DialogTurnResult> EndDialogAsync(object? result = null, CancellationToken cancellationToken = default)
    {
        if (result is CancellationToken)
        {
            throw new ArgumentException($"{ActiveDialog?.Id}.EndDialogAsync() You can't pass a cancellation token as the result of a dialog when calling EndDialog.");
        }

        await EndActiveDialogAsync(DialogReason.EndCalled, cancellationToken).ConfigureAwait(false);

        var active = ActiveDialog;
        if (active == null)
        {
            return new DialogTurnResult(DialogTurnStatus.Complete, result);
        }

        var dialog = FindDialog(active.Id)
            ?? throw new InvalidOperationException($"DialogContext.EndDialogAsync(): Can't resume previous dialog. A dialog with an id of '{active.Id}' wasn't found.");
        return await dialog.ResumeDialogAsync(this, DialogReason.EndCalled, result, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Cancels every dialog on this context's stack (not its parents').</summary>
    public Task<DialogTurnResult> CancelAllDialogsAsync(CancellationToken cancellationToken = default) =>
        CancelAllDialogsAsync(false, null, null, cancellationToken);

    /// <summary>
    /// Cancels every dialog on this stack and, when <paramref name="cancelParents"/> is true, on
    /// every parent context's stack too. Each dialog's <see cref="Dialog.EndDialogAsync"/> is called
    /// with <see cref="DialogReason.CancelCalled"/>. Returns <see cref="DialogTurnStatus.Cancelled"/>,
    /// or <see cref="DialogTurnStatus.Empty"/> when there was nothing to cancel. Dialog events are not
    /// part of this subset, so <paramref name="eventName"/> and <paramref name="eventValue"/> are
    /// accepted for source compatibility and otherwise ignored.
    /// </summary>
    public async Task<DialogTurnResult> CancelAllDialogsAsync(bool cancelParents, string? eventName = null, object? eventValue = null, CancellationToken cancellationToken = default)
    {
        if (eventValue is CancellationToken)
        {
            throw new ArgumentException($"{nameof(eventValue)} cannot be a cancellation token");
        }

        if (Stack.Count == 0 && Parent == null)
        {
            return new DialogTurnResult(DialogTurnStatus.Empty);
        }

        for (DialogContext? dc = this; dc != null; dc = cancelParents ? dc.Parent : null)
        {
            while (dc.Stack.Count > 0)
            {
                await dc.EndActiveDialogAsync(DialogReason.CancelCalled, cancellationToken).ConfigureAwait(false);
            }
        }

        return new DialogTurnResult(DialogTurnStatus.Cancelled);
    }

    /// <summary>Ends the active dialog and starts <paramref name="dialogId"/> in its place (loops, redirects).</summary>
    public async Task<DialogTurnResult> ReplaceDialogAsync(string dialogId, object? options = null, CancellationToken cancellationToken = default)
    {
        if (options is CancellationToken)
        {
            throw new ArgumentException($"{nameof(options)} cannot be a cancellation token");
        }

        await EndActiveDialogAsync(DialogReason.ReplaceCalled, cancellationToken).ConfigureAwait(false);
        return await BeginDialogAsync(dialogId, options, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks the active dialog to re-send its question.</summary>
    public async Task RepromptDialogAsync(CancellationToken cancellationToken = default)
    {
        var active = ActiveDialog;
        if (active == null)
        {
            return;
        }

        var dialog = FindDialog(active.Id)
            ?? throw new InvalidOperationException($"DialogSet.RepromptDialogAsync(): Can't find A dialog with an id of '{active.Id}'.");
        await dialog.RepromptDialogAsync(Context, active, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finds a dialog in this context's set, then in the parents'.</summary>
    public Dialog? FindDialog(string dialogId) => Dialogs.Find(dialogId) ?? Parent?.FindDialog(dialogId);

    private async Task EndActiveDialogAsync(DialogReason reason, CancellationToken cancellationToken)
    {
        var instance = ActiveDialog;
        if (instance == null)
        {
            return;
        }

        var dialog = Dialogs.Find(instance.Id);
        if (dialog != null)
        {
            await dialog.EndDialogAsync(Context, instance, reason, cancellationToken).ConfigureAwait(false);
        }

        // The dialog may have changed the stack while ending; remove exactly this instance.
        if (Stack.Count > 0 && ReferenceEquals(Stack[0], instance))
        {
            Stack.RemoveAt(0);
        }
        else
        {
            Stack.Remove(instance);
        }
    }
}
