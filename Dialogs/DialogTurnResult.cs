namespace ChatRegs.Dialogs;

/// <summary>The outcome of a dialog turn: the stack's status and, when a dialog ended, its result.</summary>
public class DialogTurnResult
{
    public DialogTurnResult(DialogTurnStatus status, object? result = null)
    {
        Status = status;
        Result = result;
    }

    /// <summary>Gets or sets the state of the dialog stack after the turn.</summary>
    public DialogTurnStatus Status { get; set; }

    /// <summary>Gets or sets the result returned by the dialog that ended, if any.</summary>
    public object? Result { get; set; }

    /// <summary>Gets or sets a value indicating whether a parent dialog ended (kept for parity with the SDK).</summary>
    public bool ParentEnded { get; set; }
}
