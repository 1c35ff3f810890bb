using Microsoft.Bot.Schema;
using Newtonsoft.Json;

namespace ChatRegs.Dialogs.Choices;

/// <summary>One option of a <see cref="ChoicePrompt"/> (as the SDK's Choice).</summary>
public class Choice
{
    public Choice(string? value = null)
    {
        Value = value ?? string.Empty;
    }

    /// <summary>Gets or sets the value returned when the choice is selected (also its title by default).</summary>
    [JsonProperty("value")]
    public string Value { get; set; }

    /// <summary>Gets or sets the card action used when the choice is rendered as a button (its title is shown).</summary>
    [JsonProperty("action")]
    public CardAction? Action { get; set; }

    /// <summary>Gets or sets other words that select this choice.</summary>
    [JsonProperty("synonyms")]
    public List<string>? Synonyms { get; set; }
}
