using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ChatRegs.Dialogs;

/// <summary>Asks for text; any message with text is recognized (as the SDK's TextPrompt).</summary>
public class TextPrompt : Prompt<string>
{
    public TextPrompt(string dialogId, PromptValidator<string>? validator = null)
        : base(dialogId, validator)
    {
    }

    /// <inheritdoc/>
    protected override async Task OnPromptAsync(ITurnContext turnContext, IDictionary<string, object> state, PromptOptions options, bool isRetry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(options);
        var activity = isRetry && options.RetryPrompt != null ? options.RetryPrompt : options.Prompt;
        if (activity != null)
        {
            await turnContext.SendActivityAsync(Clone(activity), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    protected override Task<PromptRecognizerResult<string>> OnRecognizeAsync(ITurnContext turnContext, IDictionary<string, object> state, PromptOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var result = new PromptRecognizerResult<string>();
        if (turnContext.Activity.Type == ActivityTypes.Message && turnContext.Activity.Text != null)
        {
            result.Succeeded = true;
            result.Value = turnContext.Activity.Text;
        }

        return Task.FromResult(result);
    }
}
