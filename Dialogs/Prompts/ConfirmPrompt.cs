using ChatRegs.Dialogs.Choices;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ChatRegs.Dialogs;

/// <summary>
/// Asks a yes/no question (as the SDK's ConfirmPrompt); ends with a bool. The two choices are
/// shown in the user's language ("是"/"否", "Yes"/"No") unless <see cref="ConfirmChoices"/> is set.
/// Recognized in either language, case-insensitive, as the whole reply or its first word:
/// yes — 是, 是的, 对, 好, 好的, 可以, 行, 确认, 确定, 同意, 没问题 (and a few variants), yes, y, yeah, yep, ok, okay, sure;
/// no — 否, 不, 不是, 不对, 不好, 不行, 不要, 不用, 不可以, 不同意, 没有 (and a few variants), no, n, nope, nah;
/// plus the shown choices by exact title or by number ("1" = yes, "2" = no). Never by a partial
/// match: "不是的" must not read as "是".
/// </summary>
public class ConfirmPrompt : Prompt<bool>
{
    private static readonly HashSet<string> YesWords = new(StringComparer.Ordinal)
    {
        "是", "是的", "对", "对的", "对啊", "好", "好的", "好啊", "好吧", "可以", "可以的", "行", "确认", "确定", "同意", "没问题",
        "yes", "y", "yeah", "yep", "ok", "okay", "sure",
    };

    private static readonly HashSet<string> NoWords = new(StringComparer.Ordinal)
    {
        "否", "不", "不是", "不是的", "不对", "不好", "不行", "不要", "不用", "不可以", "不同意", "没有",
        "no", "n", "nope", "nah",
    };

    private static readonly char[] WordBreaks = [' ', '\u3000', ',', '，', '、', '.', '。', '!', '！', '?', '？', ';', '；', ':', '：'];

    public ConfirmPrompt(string dialogId, PromptValidator<bool>? validator = null, string? defaultLocale = null)
        : base(dialogId, validator)
    {
        DefaultLocale = defaultLocale;
    }

    /// <summary>Gets or sets how the two choices are shown.</summary>
    public ListStyle Style { get; set; } = ListStyle.Auto;

    /// <summary>Gets or sets the locale used when the activity has none (null: Chinese).</summary>
    public string? DefaultLocale { get; set; }

    /// <summary>Gets or sets fixed formatting options instead of the localized ones.</summary>
    public ChoiceFactoryOptions? ChoiceOptions { get; set; }

    /// <summary>Gets or sets fixed yes/no choices instead of the localized ones.</summary>
    public Tuple<Choice, Choice>? ConfirmChoices { get; set; }

    /// <inheritdoc/>
    protected override async Task OnPromptAsync(ITurnContext turnContext, IDictionary<string, object> state, PromptOptions options, bool isRetry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        ArgumentNullException.ThrowIfNull(options);

        var text = DialogText.Of(turnContext);
        var language = DialogText.Language(turnContext, DefaultLocale);
        var (yes, no) = Choices(text, language);
        var choiceOptions = ChoiceOptions ?? DialogText.ChoiceOptions(text, language);
        var style = options.Style ?? Style;

        var prompt = isRetry ? ChoicePrompt.RetryActivity(options, text, language) : options.Prompt;
        var activity = AppendChoices(prompt, Channel.GetChannelId(turnContext), new List<Choice> { yes, no }, style, choiceOptions, cancellationToken);
        await turnContext.SendActivityAsync(activity, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override Task<PromptRecognizerResult<bool>> OnRecognizeAsync(ITurnContext turnContext, IDictionary<string, object> state, PromptOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var result = new PromptRecognizerResult<bool>();
        var text = turnContext.Activity.Type == ActivityTypes.Message ? turnContext.Activity.Text : null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return Task.FromResult(result);
        }

        var normalized = ChoiceRecognizers.Normalize(text);
        var firstWord = normalized.Split(WordBreaks, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? string.Empty;
        foreach (var candidate in new[] { normalized, firstWord })
        {
            if (YesWords.Contains(candidate) || NoWords.Contains(candidate))
            {
                result.Succeeded = true;
                result.Value = YesWords.Contains(candidate);
                return Task.FromResult(result);
            }
        }

        // The choices as shown (either language), by title or by number.
        var words = DialogText.Of(turnContext);
        var language = DialogText.Language(turnContext, DefaultLocale);
        var (yes, no) = Choices(words, language);
        var shown = new List<Choice> { WithOtherLanguage(words, yes, true), WithOtherLanguage(words, no, false) };
        var found = ChoiceRecognizers.RecognizeChoices(text, shown, allowPartialMatch: false);
        if (found.Count > 0)
        {
            result.Succeeded = true;
            result.Value = found[0].Resolution.Index == 0;
        }

        return Task.FromResult(result);
    }

    private (Choice Yes, Choice No) Choices(IDialogText text, string language) =>
        ConfirmChoices != null
            ? (ConfirmChoices.Item1, ConfirmChoices.Item2)
            : (new Choice(text.Get(language, DialogTextKeys.Yes)), new Choice(text.Get(language, DialogTextKeys.No)));

    private static Choice WithOtherLanguage(IDialogText text, Choice choice, bool yes)
    {
        var synonyms = new List<string>(choice.Synonyms ?? new List<string>());
        foreach (var language in text.Languages)
        {
            synonyms.Add(text.Get(language, yes ? DialogTextKeys.Yes : DialogTextKeys.No));
        }

        return new Choice(choice.Value) { Action = choice.Action, Synonyms = synonyms };
    }
}
