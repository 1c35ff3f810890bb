namespace ChatRegs.Dialogs;

/// <summary>
/// The state of the dialog stack after a turn (same members as
/// Microsoft.Bot.Builder.Dialogs.DialogTurnStatus).
/// </summary>
public enum DialogTurnStatus
{
    /// <summary>The stack is empty: no dialog was running.</summary>
    Empty,

    /// <summary>The active dialog is waiting for the user's next message.</summary>
    Waiting,

    /// <summary>The last dialog on the stack ended; <see cref="DialogTurnResult.Result"/> holds its result.</summary>
    Complete,

    /// <summary>The dialogs were cancelled and the stack is empty.</summary>
    Cancelled,

    /// <summary>The dialog completed but expects more input (kept for parity with the SDK; unused here).</summary>
    CompleteAndWait,
}
