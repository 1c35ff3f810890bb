using System.Globalization;
using Microsoft.Bot.Schema;

namespace ChatRegs.Dialogs;

/// <summary>
/// A dialog made of steps run in order (as the SDK's WaterfallDialog). Each step usually starts a
/// prompt or child dialog; its result is handed to the next step as <see cref="WaterfallStepContext.Result"/>.
/// The instance state keeps <c>options</c>, <c>values</c>, <c>instanceId</c> and <c>stepIndex</c>,
/// the SDK's keys.
/// </summary>
public class WaterfallDialog : Dialog
{
    internal const string PersistedOptions = "options";
    internal const string StepIndex = "stepIndex";
    internal const string PersistedValues = "values";
    internal const string PersistedInstanceId = "instanceId";

    private readonly List<WaterfallStep> _steps;

    public WaterfallDialog(string dialogId, IEnumerable<WaterfallStep>? actions = null)
        : base(dialogId)
    {
        _steps = actions?.ToList() ?? new List<WaterfallStep>();
    }

    /// <summary>Gets the steps, in order.</summary>
    protected IReadOnlyList<WaterfallStep> Steps => _steps;

    /// <summary>Appends a step.</summary>
    public WaterfallDialog AddStep(WaterfallStep step)
    {
        _steps.Add(step ?? throw new ArgumentNullException(nameof(step)));
        return this;
    }

    /// <inheritdoc/>
    public override string GetVersion() =>
        Id + ":" + string.Join(":", _steps.Select(s => s.Method.Name));

    /// <inheritdoc/>
    public override async Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        if (options is CancellationToken)
        {
            throw new ArgumentException($"{nameof(options)} cannot be a cancellation token");
        }

        var state = dc.ActiveDialog!.State;
        state[PersistedOptions] = options!;
        state[PersistedValues] = new Dictionary<string, object>();
        state[PersistedInstanceId] = Guid.NewGuid().ToString();

        return await RunStepAsync(dc, 0, DialogReason.BeginCalled, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A message resumes the waterfall with the message text as the step result; other activities are ignored.</summary>
    public override async Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        if (dc.Context.Activity.Type != ActivityTypes.Message)
        {
            return EndOfTurn;
        }

        return await ResumeDialogAsync(dc, DialogReason.ContinueCalled, dc.Context.Activity.Text, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the step after the current one with <paramref name="result"/>.</summary>
    public override async Task<DialogTurnResult> ResumeDialogAsync(DialogContext dc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        if (result is CancellationToken)
        {
            throw new ArgumentException($"{nameof(result)} cannot be a cancellation token");
        }

        // After a storage round trip the index comes back as a long; Convert handles both.
        var index = Convert.ToInt32(dc.ActiveDialog!.State[StepIndex], CultureInfo.InvariantCulture);
        return await RunStepAsync(dc, index + 1, reason, result, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one step; override to wrap every step (logging, error handling).</summary>
    protected virtual Task<DialogTurnResult> OnStepAsync(WaterfallStepContext stepContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stepContext);
        return _steps[stepContext.Index](stepContext, cancellationToken);
    }

    /// <summary>Runs step <paramref name="index"/>, or ends the dialog with <paramref name="result"/> after the last step.</summary>
    protected async Task<DialogTurnResult> RunStepAsync(DialogContext dc, int index, DialogReason reason, object? result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dc);
        if (index >= _steps.Count)
        {
            return await dc.EndDialogAsync(result, cancellationToken).ConfigureAwait(false);
        }

        var state = dc.ActiveDialog!.State;
        state[StepIndex] = index;
        state.TryGetValue(PersistedOptions, out var options);
        var values = (IDictionary<string, object>)state[PersistedValues];
        var stepContext = new WaterfallStepContext(this, dc, options, values, index, reason, result);
        return await OnStepAsync(stepContext, cancellationToken).ConfigureAwait(false);
    }
}
