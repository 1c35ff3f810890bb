namespace ChatRegs.Dialogs.Choices;

/// <summary>How a prompt shows its choices (as the SDK's ListStyle).</summary>
public enum ListStyle
{
    /// <summary>Don't show the choices.</summary>
    None,

    /// <summary>Pick the best style for the channel (see <see cref="ChoiceFactory.ForChannel"/>).</summary>
    Auto,

    /// <summary>On the same line: "… (1) A, (2) B or (3) C".</summary>
    Inline,

    /// <summary>A numbered list below the text.</summary>
    List,

    /// <summary>Suggested-action buttons (imBack).</summary>
    SuggestedAction,

    /// <summary>A hero card with a button per choice.</summary>
    HeroCard,
}
