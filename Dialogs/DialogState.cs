using Newtonsoft.Json;

namespace ChatRegs.Dialogs;

/// <summary>
/// The persisted dialog stack, stored as one property of ConversationState (through an
/// <c>IStatePropertyAccessor&lt;DialogState&gt;</c>), exactly like the SDK's DialogState.
/// The first element of <see cref="DialogStack"/> is the active dialog.
/// </summary>
public class DialogState
{
    public DialogState()
        : this(null)
    {
    }

    public DialogState(List<DialogInstance>? stack)
    {
        DialogStack = stack ?? new List<DialogInstance>();
    }

    /// <summary>Gets or sets the dialog stack; index 0 is the top (active) dialog.</summary>
    [JsonProperty("dialogStack")]
    public List<DialogInstance> DialogStack { get; set; }
}
