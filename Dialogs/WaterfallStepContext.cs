namespace ChatRegs.Dialogs;

/// <summary>
/// The context a <see cref="WaterfallStep"/> runs with: a <see cref="DialogContext"/> over the
/// waterfall's stack plus the step's index, options, values and the previous step's result.
/// </summary>
public class WaterfallStepContext : DialogContext
{
    private readonly WaterfallDialog _parentWaterfall;
    private bool _nextCalled;

    internal WaterfallStepContext(WaterfallDialog parentWaterfall, DialogContext dc, object? options, IDictionary<string, object> values, int index, DialogReason reason, object? result = null)
        : base(dc.Dialogs, dc, new DialogState(dc.Stack))
    {
        _parentWaterfall = parentWaterfall;
        Parent = dc.Parent;
        Options = options;
        Values = values;
        Index = index;
        Reason = reason;
        Result = result;
    }

    /// <summary>Gets the index of the running step (0-based).</summary>
    public int Index { get; }

    /// <summary>Gets the options the waterfall was started with.</summary>
    public object? Options { get; }

    /// <summary>Gets why the step runs.</summary>
    public DialogReason Reason { get; }

    /// <summary>Gets the result of the previous step (or of the prompt/child dialog it started).</summary>
    public object? Result { get; }

    /// <summary>Gets values shared by every step of this waterfall instance; persisted with the stack.</summary>
    public IDictionary<string, object> Values { get; }

    /// <summary>
    /// Skips to the next step with <paramref name="result"/>. Can be called once per step; a
    /// second call throws <see cref="InvalidOperationException"/>, as in the SDK.
    /// </summary>
    public async Task<DialogTurnResult> NextAsync(object? result = null, CancellationToken cancellationToken = default)
    {
        if (result is CancellationToken)
        {
            throw new ArgumentException($"{nameof(result)} cannot be a cancellation token");
        }

        if (_nextCalled)
        {
            throw new InvalidOperationException($"WaterfallStepContext.NextAsync(): method already called for dialog and step '{_parentWaterfall.Id}[{Index}]'.");
        }

        _nextCalled = true;
        return await _parentWaterfall.ResumeDialogAsync(this, DialogReason.NextCalled, result, cancellationToken).ConfigureAwait(false);
    }
}
