namespace ChatRegs.Dialogs;

/// <summary>A dialog that owns an inner <see cref="DialogSet"/> and stack (as in the SDK).</summary>
public abstract class DialogContainer : Dialog
{
    protected DialogContainer(string? dialogId = null)
        : base(dialogId)
    {
    }

    /// <summary>Gets or sets the container's inner dialogs.</summary>
    public DialogSet Dialogs { get; protected set; } = new DialogSet();

    /// <summary>Creates the inner dialog context for the container's instance on top of <paramref name="dc"/>.</summary>
    public abstract DialogContext CreateChildContext(DialogContext dc);

    /// <summary>Finds an inner dialog by id (only in this container).</summary>
    public virtual Dialog? FindDialog(string dialogId) => Dialogs.Find(dialogId);
}
