namespace ChatRegs.Dialogs;

/// <summary>What a prompt recognized in a reply (as the SDK's PromptRecognizerResult&lt;T&gt;).</summary>
public class PromptRecognizerResult<T>
{
    /// <summary>Gets or sets a value indicating whether a value was recognized.</summary>
    public bool Succeeded { get; set; }

    /// <summary>Gets or sets the recognized value.</summary>
    public T Value { get; set; } = default!;
}
