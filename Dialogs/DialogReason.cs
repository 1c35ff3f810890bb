namespace ChatRegs.Dialogs;

/// <summary>Why a dialog is being started, resumed or ended (as in the SDK).</summary>
public enum DialogReason
{
    /// <summary>A dialog was started with <see cref="DialogContext.BeginDialogAsync"/>.</summary>
    BeginCalled,

    /// <summary>A dialog is continued with <see cref="DialogContext.ContinueDialogAsync"/>.</summary>
    ContinueCalled,

    /// <summary>A dialog ended normally through <see cref="DialogContext.EndDialogAsync"/>.</summary>
    EndCalled,

    /// <summary>A dialog is being replaced through <see cref="DialogContext.ReplaceDialogAsync"/>.</summary>
    ReplaceCalled,

    /// <summary>A dialog was cancelled through <see cref="DialogContext.CancelAllDialogsAsync(CancellationToken)"/>.</summary>
    CancelCalled,

    /// <summary>A waterfall step called <see cref="WaterfallStepContext.NextAsync"/>.</summary>
    NextCalled,
}
