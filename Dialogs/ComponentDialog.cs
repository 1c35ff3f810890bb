using Microsoft.Bot.Builder;

namespace ChatRegs.Dialogs;

/// <summary>
/// A dialog made of other dialogs (as the SDK's ComponentDialog). Its inner stack is a
/// <see cref="DialogState"/> kept in its own instance state under <see cref="PersistedDialogState"/>,
/// so it is isolated from the outer stack and persisted with it. Override
/// <see cref="OnBeginDialogAsync"/> / <see cref="OnContinueDialogAsync"/> to intercept turns
/// (see <see cref="InterruptibleComponentDialog"/>).
/// </summary>
public class ComponentDialog : DialogContainer
{
    /// <summary>The instance-state key of the inner dialog stack.</summary>
    public const string PersistedDialogState = "dialogs";

    private bool _initialized;

    public ComponentDialog(string? dialogId = null)
        : base(dialogId)
    {
    }

    /// <summary>Gets or sets the id of the inner dialog started first (defaults to the first one added).</summary>
    public string? InitialDialogId { get; set; }

    /// <inheritdoc/>
    public override async Task<DialogTurnResult> BeginDialogAsync(DialogContext outerDc, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outerDc);
        if (options is CancellationToken)
        {
            throw new ArgumentException($"{nameof(options)} cannot be a cancellation token");
        }

        await EnsureInitializedAsync(outerDc).ConfigureAwait(false);

        var innerDc = CreateChildContext(outerDc);
        var turnResult = await OnBeginDialogAsync(innerDc, options, cancellationToken).ConfigureAwait(false);
        return await CompleteTurnAsync(outerDc, turnResult, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task<DialogTurnResult> ContinueDialogAsync(DialogContext outerDc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outerDc);
        await EnsureInitializedAsync(outerDc).ConfigureAwait(false);

        var innerDc = CreateChildContext(outerDc);
        var turnResult = await OnContinueDialogAsync(innerDc, cancellationToken).ConfigureAwait(false);
        return await CompleteTurnAsync(outerDc, turnResult, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A dialog pushed on the outer stack above this one ended: the component stays active and
    /// its inner dialog re-prompts (the SDK's behaviour).
    /// </summary>
    public override async Task<DialogTurnResult> ResumeDialogAsync(DialogContext outerDc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outerDc);
        if (result is CancellationToken)
        {
            throw new ArgumentException($"{nameof(result)} cannot be a cancellation token");
        }

        await EnsureInitializedAsync(outerDc).ConfigureAwait(false);
        await RepromptDialogAsync(outerDc.Context, outerDc.ActiveDialog!, cancellationToken).ConfigureAwait(false);
        return EndOfTurn;
    }

    /// <inheritdoc/>
    public override async Task RepromptDialogAsync(ITurnContext turnContext, DialogInstance instance, CancellationToken cancellationToken = default)
    {
        var innerDc = CreateInnerDc(turnContext, instance, null);
        await innerDc.RepromptDialogAsync(cancellationToken).ConfigureAwait(false);
        await OnRepromptDialogAsync(turnContext, instance, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>On cancellation, cancels the inner stack too, then calls <see cref="OnEndDialogAsync"/>.</summary>
    public override async Task EndDialogAsync(ITurnContext turnContext, DialogInstance instance, DialogReason reason, CancellationToken cancellationToken = default)
    {
        if (reason == DialogReason.CancelCalled)
        {
            var innerDc = CreateInnerDc(turnContext, instance, null);
            await innerDc.CancelAllDialogsAsync(cancellationToken).ConfigureAwait(false);
        }

        await OnEndDialogAsync(turnContext, instance, reason, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds an inner dialog; the first one added becomes <see cref="InitialDialogId"/>.</summary>
    public ComponentDialog AddDialog(Dialog dialog)
    {
        Dialogs.Add(dialog);
        InitialDialogId ??= dialog.Id;
        return this;
    }

    /// <inheritdoc/>
    public override DialogContext CreateChildContext(DialogContext dc)
    {
        ArgumentNullException.ThrowIfNull(dc);
        return CreateInnerDc(dc.Context, dc.ActiveDialog!, dc);
    }

    /// <summary>Runs once, before the first turn, to complete the component's setup.</summary>
    protected virtual Task OnInitializeAsync(DialogContext dc)
    {
        InitialDialogId ??= Dialogs.GetDialogs().FirstOrDefault()?.Id;
        return Task.CompletedTask;
    }

    /// <summary>Starts the inner dialog; override to run code when the component starts.</summary>
    protected virtual Task<DialogTurnResult> OnBeginDialogAsync(DialogContext innerDc, object? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(innerDc);
        return innerDc.BeginDialogAsync(InitialDialogId ?? throw new InvalidOperationException($"ComponentDialog '{Id}' has no dialogs."), options, cancellationToken);
    }

    /// <summary>Continues the inner dialog; override to intercept a turn (interruptions).</summary>
    protected virtual Task<DialogTurnResult> OnContinueDialogAsync(DialogContext innerDc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(innerDc);
        return innerDc.ContinueDialogAsync(cancellationToken);
    }

    /// <summary>Called when the component ends (after its inner stack was cancelled, if it was cancelled).</summary>
    protected virtual Task OnEndDialogAsync(ITurnContext context, DialogInstance instance, DialogReason reason, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    /// <summary>Called after the inner dialog re-prompted.</summary>
    protected virtual Task OnRepromptDialogAsync(ITurnContext turnContext, DialogInstance instance, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    /// <summary>Ends the component on the outer stack, returning <paramref name="result"/> to its parent.</summary>
    protected virtual Task<DialogTurnResult> EndComponentAsync(DialogContext outerDc, object? result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outerDc);
        return outerDc.EndDialogAsync(result, cancellationToken);
    }

    private async Task EnsureInitializedAsync(DialogContext outerDc)
    {
        if (!_initialized)
        {
            _initialized = true;
            await OnInitializeAsync(outerDc).ConfigureAwait(false);
        }
    }

    private async Task<DialogTurnResult> CompleteTurnAsync(DialogContext outerDc, DialogTurnResult turnResult, CancellationToken cancellationToken)
    {
        if (turnResult.Status == DialogTurnStatus.Waiting)
        {
            return EndOfTurn;
        }

        if (turnResult.Status == DialogTurnStatus.Cancelled)
        {
            // As in the SDK: the component ends, and the caller learns it was cancelled.
            await EndComponentAsync(outerDc, turnResult.Result, cancellationToken).ConfigureAwait(false);
            return new DialogTurnResult(DialogTurnStatus.Cancelled, turnResult.Result);
        }

        return await EndComponentAsync(outerDc, turnResult.Result, cancellationToken).ConfigureAwait(false);
    }

    private DialogContext CreateInnerDc(ITurnContext turnContext, DialogInstance instance, DialogContext? parent)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (!instance.State.TryGetValue(PersistedDialogState, out var value) || value is not DialogState state)
        {
            state = new DialogState();
            instance.State[PersistedDialogState] = state;
        }

        state.DialogStack ??= new List<DialogInstance>();
        return parent != null
            ? new DialogContext(Dialogs, parent, state)
            : new DialogContext(Dialogs, turnContext, state);
    }
}
