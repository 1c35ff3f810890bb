using System.Text.Json.Nodes;
using Newtonsoft.Json;

namespace ChatRegs.Dialogs;

/// <summary>
/// What a <see cref="CardFormPrompt"/> shows: an Adaptive Card template from Cards/ and its data.
/// <see cref="PromptOptions.Prompt"/> (optional) supplies text sent with the first card;
/// <see cref="PromptOptions.RetryPrompt"/> (optional) replaces the "please use the form" hint.
/// </summary>
public class CardFormPromptOptions : PromptOptions
{
    private JsonObject? _data;

    /// <summary>Gets or sets the template name for <c>ICardFactory.Create</c> (e.g. "LeaveForm").</summary>
    public string TemplateName { get; set; } = string.Empty;

    /// <summary>
    /// Gets or sets the submit verb of this form: the card's Action.Submit must send
    /// <c>"verb": "&lt;Verb&gt;"</c> in its data. A submit with another verb (or none) is not this
    /// form's answer.
    /// </summary>
    public string Verb { get; set; } = string.Empty;

    /// <summary>Gets or sets how many rejected answers (invalid submits or text) end the prompt (default 3).</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// Gets or sets the longest text each input accepts (input id → characters), for inputs whose
    /// default (<see cref="InputLimits"/>: 200 single-line, 2,000 multi-line) does not fit; at most
    /// <see cref="InputLimits.Details"/>. The template's own <c>maxLength</c> wins when smaller.
    /// </summary>
    public Dictionary<string, int>? MaxLengths { get; set; }

    /// <summary>
    /// Gets or sets the template data. The prompt adds <c>values</c> (field → the user's input,
    /// starting from any <c>values</c> given here) and <c>errors</c> (field → message) to a copy.
    /// Persisted as JSON text, so the options survive the Newtonsoft state round trip.
    /// </summary>
    [Newtonsoft.Json.JsonIgnore]
    public JsonObject? Data
    {
        get => _data;
        set => _data = value;
    }

    [JsonProperty("data")]
    private string? DataJson
    {
        get => _data?.ToJsonString();
        set => _data = string.IsNullOrEmpty(value) ? null : JsonNode.Parse(value)?.AsObject();
    }
}
