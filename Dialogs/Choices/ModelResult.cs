namespace ChatRegs.Dialogs.Choices;

/// <summary>A recognizer's match within an utterance (as the SDK's ModelResult&lt;T&gt;).</summary>
public class ModelResult<T>
{
    /// <summary>Gets or sets the matched text.</summary>
    public string Text { get; set; } = string.Empty;

    /// <summary>Gets or sets the start of the match in the utterance.</summary>
    public int Start { get; set; }

    /// <summary>Gets or sets the end (inclusive) of the match in the utterance.</summary>
    public int End { get; set; }

    /// <summary>Gets or sets the kind of match ("choice").</summary>
    public string TypeName { get; set; } = string.Empty;

    /// <summary>Gets or sets what was recognized.</summary>
    public T Resolution { get; set; } = default!;
}
