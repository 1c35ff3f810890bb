using ChatRegs.Dialogs.Choices;
using Microsoft.Bot.Schema;

namespace ChatRegs.Dialogs;

/// <summary>
/// What a prompt asks (as the SDK's PromptOptions). Persisted in the prompt's instance state,
/// so everything here must survive a Newtonsoft.Json <c>TypeNameHandling.All</c> round trip.
/// </summary>
public class PromptOptions
{
    /// <summary>Gets or sets the question sent when the prompt starts (and on re-prompt).</summary>
    public Activity? Prompt { get; set; }

    /// <summary>Gets or sets the message sent when a reply is not accepted (defaults to <see cref="Prompt"/>).</summary>
    public Activity? RetryPrompt { get; set; }

    /// <summary>Gets or sets the choices of a <see cref="ChoicePrompt"/>.</summary>
    public IList<Choice>? Choices { get; set; }

    /// <summary>Gets or sets how choices are shown; overrides the prompt's own style.</summary>
    public ListStyle? Style { get; set; }

    /// <summary>Gets or sets extra data for validators.</summary>
    public object? Validations { get; set; }
}
