namespace ChatRegs.Dialogs.Choices;

/// <summary>The choice a user's reply selected (as the SDK's FoundChoice).</summary>
public class FoundChoice
{
    /// <summary>Gets or sets the <see cref="Choice.Value"/> of the selected choice.</summary>
    public string Value { get; set; } = string.Empty;

    /// <summary>Gets or sets the 0-based index of the choice in the list.</summary>
    public int Index { get; set; }

    /// <summary>Gets or sets the confidence, 0–1 (1 for an exact title, synonym or number).</summary>
    public float Score { get; set; }

    /// <summary>Gets or sets the title or synonym that matched (the number, when selected by number).</summary>
    public string? Synonym { get; set; }
}
