using ChatRegs.Dialogs.Choices;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ChatRegs.Dialogs;

/// <summary>
/// Asks the user to pick one of <see cref="PromptOptions.Choices"/> (as the SDK's ChoicePrompt);
/// ends with a <see cref="FoundChoice"/>. Choices are recognized by value, button title or synonym
/// and by 1-based number (see <see cref="ChoiceRecognizers"/>), in either language. They are shown
/// in <see cref="Style"/> (default <see cref="ListStyle.Auto"/>: by channel) with the separators of
/// the user's language. When a reply is not recognized and there is no RetryPrompt, the prompt is
/// repeated after a localized "not recognized" line.
/// </summary>
public class ChoicePrompt : Prompt<FoundChoice>
{
    public ChoicePrompt(string dialogId, PromptValidator<FoundChoice>? validator = null, string? defaultLocale = null)
        : base(dialogId, validator)
    {
        DefaultLocale = defaultLocale;
    }

    /// <summary>Gets or sets how the choices are shown.</summary>
    public ListStyle Style { get; set; } = ListStyle.Auto;

    /// <summary>Gets or sets the locale used when the activity has none (null: Chinese).</summary>
    public string? DefaultLocale { get; set; }

    /// <summary>Gets or sets fixed formatting options instead of the localized ones.</summary>
    public ChoiceFactoryOptions? ChoiceOptions { get; set; }

    /// <inheritdoc/>
    protected override async Task OnPromptAsync(ITurnContext turnContext, IDictionary<string, object> state, PromptOptions options, bool isRetry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(options);

        var text = DialogText.Of(turnContext);
        var language = DialogText.Language(turnContext, DefaultLocale);
        var choices = options.Choices ?? new List<Choice>();
        var choiceOptions = ChoiceOptions ?? DialogText.ChoiceOptions(text, language);
        var style = options.Style ?? Style;

        var prompt = isRetry ? RetryActivity(options, text, language) : options.Prompt;
        var activity = AppendChoices(prompt, Channel.GetChannelId(turnContext), choices, style, choiceOptions, cancellationToken);
        await turnContext.SendActivityAsync(activity, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override Task<PromptRecognizerResult<FoundChoice>> OnRecognizeAsync(ITurnContext turnContext, IDictionary<string, object> state, PromptOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(options);

        var result = new PromptRecognizerResult<FoundChoice>();
        if (turnContext.Activity.Type == ActivityTypes.Message)
        {
            var found = ChoiceRecognizers.RecognizeChoices(turnContext.Activity.Text, options.Choices ?? new List<Choice>());
            if (found.Count > 0)
            {
                result.Succeeded = true;
                result.Value = found[0].Resolution;
            }
        }

        return Task.FromResult(result);
    }

    /// <summary>The RetryPrompt, or the Prompt preceded by a localized "not recognized" line.</summary>
    internal static Activity? RetryActivity(PromptOptions options, IDialogText text, string language)
    {
        if (options.RetryPrompt != null)
        {
            return options.RetryPrompt;
        }

        var notRecognized = text.Get(language, DialogTextKeys.NotRecognized);
        var retry = options.Prompt != null ? Clone(options.Prompt) : (Activity)MessageFactory.Text(string.Empty, null, InputHints.ExpectingInput);
        retry.Text = string.IsNullOrEmpty(retry.Text) ? notRecognized : notRecognized + "\n\n" + retry.Text;
        return retry;
    }
}
