using System.Globalization;
using ChatRegs.Dialogs.Choices;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json;

namespace ChatRegs.Dialogs;

/// <summary>
/// Base class of prompts (as the SDK's Prompt&lt;T&gt;): sends a question, recognizes the reply,
/// runs the optional validator, re-asks until a reply is accepted, then ends with the value.
/// The instance state keeps the options under "options" and the prompt state (with
/// <see cref="AttemptCountKey"/>) under "state", the SDK's keys.
/// </summary>
public abstract class Prompt<T> : Dialog
{
    /// <summary>The prompt-state key of the number of replies received.</summary>
    public const string AttemptCountKey = "AttemptCount";

    internal const string PersistedOptions = "options";
    internal const string PersistedState = "state";

    private readonly PromptValidator<T>? _validator;

    /// <summary>
    /// Gets or sets the longest typed reply this prompt reads (default
    /// <see cref="InputLimits.TypedAnswer"/>). A longer reply is not recognized, validated or kept
    /// in state: the prompt says the limit in the user's language, sends back the reply cut to the
    /// limit (so nothing typed within it is lost), asks again and keeps waiting. Not counted as an
    /// attempt. (Not in the SDK: there a validator would see the whole text.)
    /// </summary>
    public int MaxLength { get; set; } = InputLimits.TypedAnswer;

    protected Prompt(string dialogId, PromptValidator<T>? validator = null)
        : base(dialogId)
    {
        if (string.IsNullOrWhiteSpace(dialogId))
        {
            throw new ArgumentNullException(nameof(dialogId));
        }

        _validator = validator;
    }

    /// <inheritdoc/>
    public override async Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        if (options is not PromptOptions opt)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Prompt options are required for Prompt dialogs");
        }

        if (opt.Prompt != null && string.IsNullOrEmpty(opt.Prompt.InputHint))
        {
            opt.Prompt.InputHint = InputHints.ExpectingInput;
        }

        if (opt.RetryPrompt != null && string.IsNullOrEmpty(opt.RetryPrompt.InputHint))
        {
            opt.RetryPrompt.InputHint = InputHints.ExpectingInput;
        }

        var instanceState = dc.ActiveDialog!.State;
        var state = new Dictionary<string, object> { [AttemptCountKey] = 0 };
        instanceState[PersistedOptions] = opt;
        instanceState[PersistedState] = state;

        await OnPromptAsync(dc.Context, state, opt, false, cancellationToken).ConfigureAwait(false);
        return EndOfTurn;
    }

    /// <summary>
    /// Recognizes a message, counts the attempt, validates; ends with the value when accepted,
    /// otherwise re-asks (unless something was already sent this turn) and keeps waiting.
    /// Activities other than messages are ignored.
    /// </summary>
    public override async Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        if (dc.Context.Activity.Type != ActivityTypes.Message)
        {
            return EndOfTurn;
        }

        var (state, options) = GetState(dc.ActiveDialog!);
        if (await RefuseTooLongAsync(dc.Context, MaxLength, cancellationToken).ConfigureAwait(false))
        {
            await OnPromptAsync(dc.Context, state, options, false, cancellationToken).ConfigureAwait(false);
            return EndOfTurn;
        }

        var recognized = await OnRecognizeAsync(dc.Context, state, options, cancellationToken).ConfigureAwait(false);
        state[AttemptCountKey] = Convert.ToInt32(state[AttemptCountKey], CultureInfo.InvariantCulture) + 1;

        bool isValid;
        if (_validator != null)
        {
            var promptContext = new PromptValidatorContext<T>(dc.Context, recognized, state, options);
            isValid = await _validator(promptContext, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            isValid = recognized.Succeeded;
        }

        if (isValid)
        {
            return await dc.EndDialogAsync(recognized.Value, cancellationToken).ConfigureAwait(false);
        }

        if (!dc.Context.Responded)
        {
            await OnPromptAsync(dc.Context, state, options, true, cancellationToken).ConfigureAwait(false);
        }

        return EndOfTurn;
    }

    /// <summary>
    /// When the turn's text is longer than <paramref name="maxLength"/>: says so (in the user's
    /// language), sends the text cut to the limit back as plain text, and returns true.
    /// </summary>
    internal static async Task<bool> RefuseTooLongAsync(ITurnContext turnContext, int maxLength, CancellationToken cancellationToken)
    {
        var text = turnContext.Activity.Text;
        if (text == null || text.Length <= maxLength)
        {
            return false;
        }

        var kept = InputLimits.Truncate(text, maxLength);
        var notice = MessageFactory.Text(DialogText.Get(turnContext, DialogTextKeys.AnswerTooLong, maxLength, text.Length));
        var echo = MessageFactory.Text(kept);
        echo.TextFormat = TextFormatTypes.Plain;
        await turnContext.SendActivitiesAsync([notice, echo], cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>A dialog pushed above the prompt ended: ask again and keep waiting.</summary>
    public override async Task<DialogTurnResult> ResumeDialogAsync(DialogContext dc, DialogReason reason, object? result = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        if (result is CancellationToken)
        {
            throw new ArgumentException($"{nameof(result)} cannot be a cancellation token");
        }

        await RepromptDialogAsync(dc.Context, dc.ActiveDialog!, cancellationToken).ConfigureAwait(false);
        return EndOfTurn;
    }

    /// <summary>Sends the question again (not as a retry).</summary>
    public override async Task RepromptDialogAsync(ITurnContext turnContext, DialogInstance instance, CancellationToken cancellationToken = default)
    {
        var (state, options) = GetState(instance);
        await OnPromptAsync(turnContext, state, options, false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the question; <paramref name="isRetry"/> when the previous reply was not accepted.</summary>
    protected abstract Task OnPromptAsync(ITurnContext turnContext, IDictionary<string, object> state, PromptOptions options, bool isRetry, CancellationToken cancellationToken = default);

    /// <summary>Recognizes the turn's reply.</summary>
    protected abstract Task<PromptRecognizerResult<T>> OnRecognizeAsync(ITurnContext turnContext, IDictionary<string, object> state, PromptOptions options, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns a copy of <paramref name="prompt"/> (never the persisted object) with the choices
    /// rendered in <paramref name="style"/>.
    /// </summary>
    protected virtual IMessageActivity AppendChoices(IMessageActivity? prompt, string channelId, IList<Choice> choices, ListStyle style, ChoiceFactoryOptions? options = null, CancellationToken cancellationToken = default)
    {
        var text = prompt?.Text ?? string.Empty;
        IMessageActivity msg = style switch
        {
            ListStyle.Inline => ChoiceFactory.Inline(choices, text, null, options),
            ListStyle.List => ChoiceFactory.List(choices, text, null, options),
            ListStyle.SuggestedAction => ChoiceFactory.SuggestedAction(choices, text),
            ListStyle.HeroCard => ChoiceFactory.HeroCard(choices, text),
            ListStyle.None => MessageFactory.Text(text),
            _ => ChoiceFactory.ForChannel(channelId, choices, text, null, options),
        };

        if (prompt == null)
        {
            msg.InputHint = InputHints.ExpectingInput;
            return msg;
        }

        var copy = Clone(prompt);
        copy.Text = msg.Text;
        if (msg.SuggestedActions?.Actions?.Count > 0)
        {
            copy.SuggestedActions = msg.SuggestedActions;
        }

        if (msg.Attachments?.Count > 0)
        {
            copy.Attachments = (copy.Attachments ?? new List<Attachment>()).Concat(msg.Attachments).ToList();
        }

        return copy;
    }

    /// <summary>A deep copy of an activity, so sending it never changes the persisted options.</summary>
    protected static Activity Clone(IActivity activity) =>
        JsonConvert.DeserializeObject<Activity>(JsonConvert.SerializeObject(activity))!;

    internal static (IDictionary<string, object> State, PromptOptions Options) GetState(DialogInstance instance) =>
        ((IDictionary<string, object>)instance.State[PersistedState], (PromptOptions)instance.State[PersistedOptions]);
}
