namespace ChatRegs.Dialogs.Choices;

/// <summary>Formatting of inline and list choices (as the SDK's ChoiceFactoryOptions).</summary>
public class ChoiceFactoryOptions
{
    /// <summary>Gets or sets the text between two inline choices (", ").</summary>
    public string? InlineSeparator { get; set; }

    /// <summary>Gets or sets the text between the two choices of a two-choice list (" or ").</summary>
    public string? InlineOr { get; set; }

    /// <summary>Gets or sets the text before the last choice of a longer list (", or ").</summary>
    public string? InlineOrMore { get; set; }

    /// <summary>Gets or sets whether choices are numbered (default true).</summary>
    public bool? IncludeNumbers { get; set; }
}
