using Microsoft.Bot.Builder;

namespace ChatRegs.Dialogs;

/// <summary>
/// A collection of dialogs that can call each other, and the factory of the
/// <see cref="DialogContext"/> for a turn (as in the SDK). The root set is created over a
/// ConversationState property accessor; a component dialog's inner set has none.
/// </summary>
public class DialogSet
{
    private readonly IStatePropertyAccessor<DialogState>? _dialogState;
    private readonly Dictionary<string, Dialog> _dialogs = new();

    /// <summary>Creates a root dialog set whose stack lives in the given state property.</summary>
    public DialogSet(IStatePropertyAccessor<DialogState> dialogState)
    {
        _dialogState = dialogState ?? throw new ArgumentNullException(nameof(dialogState));
    }

    /// <summary>Creates a dialog set without state (used inside component dialogs).</summary>
    public DialogSet()
    {
    }

    /// <summary>
    /// Adds a dialog. Adding the same object twice is a no-op; a different dialog with an id
    /// already in the set is renamed with a numeric suffix ("id2", "id3"…), as the SDK does.
    /// </summary>
    public DialogSet Add(Dialog dialog)
    {
        ArgumentNullException.ThrowIfNull(dialog);

        if (_dialogs.TryGetValue(dialog.Id, out var existing))
        {
            if (ReferenceEquals(existing, dialog))
            {
                return this;
            }

            var suffix = 2;
            while (_dialogs.ContainsKey(dialog.Id + suffix))
            {
                suffix++;
            }

            dialog.Id += suffix;
        }

        _dialogs[dialog.Id] = dialog;
        return this;
    }

    /// <summary>Loads the dialog stack for this turn and returns a context over it.</summary>
    public async Task<DialogContext> CreateContextAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        if (_dialogState == null)
        {
            throw new InvalidOperationException("DialogSet.CreateContextAsync(): DialogSet created with a null IStatePropertyAccessor.");
        }

        var state = await _dialogState.GetAsync(turnContext, () => new DialogState(), cancellationToken).ConfigureAwait(false);
        state.DialogStack ??= new List<DialogInstance>();
        return new DialogContext(this, turnContext, state);
    }

    /// <summary>Finds a dialog of this set by id, or null.</summary>
    public Dialog? Find(string dialogId)
    {
        if (string.IsNullOrWhiteSpace(dialogId))
        {
            throw new ArgumentNullException(nameof(dialogId));
        }

        return _dialogs.TryGetValue(dialogId, out var dialog) ? dialog : null;
    }

    /// <summary>The dialogs of this set.</summary>
    public IEnumerable<Dialog> GetDialogs() => _dialogs.Values;

    /// <summary>A string that changes when any dialog of the set changes.</summary>
    public virtual string GetVersion() => string.Join(";", _dialogs.Values.Select(d => d.GetVersion()));
}
