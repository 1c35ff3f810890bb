namespace ChatRegs.Dialogs;

/// <summary>
/// The result a <see cref="CardFormPrompt"/> ends with. <see cref="Cancelled"/> is false when the
/// form was submitted and passed validation; true when the prompt gave up after
/// <see cref="CardFormPromptOptions.MaxAttempts"/> rejected answers (then <see cref="Values"/> holds the
/// last input, which was not accepted).
/// </summary>
public class CardFormResult
{
    /// <summary>Gets or sets the verb of the submit.</summary>
    public string? Verb { get; set; }

    /// <summary>
    /// Gets or sets the submitted fields: input id → value as text (Adaptive Card inputs submit
    /// strings; numbers and booleans are written invariantly, "true"/"false"; nested objects as
    /// JSON). The <c>verb</c> and <c>msteams</c> properties are not included.
    /// </summary>
    public Dictionary<string, string> Values { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets a value indicating whether the prompt gave up instead of getting a valid form.</summary>
    public bool Cancelled { get; set; }
}
