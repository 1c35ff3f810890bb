using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Dialogs;

/// <summary>
/// A prompt whose answer is a submitted Adaptive Card form. Start it with
/// <see cref="CardFormPromptOptions"/>; it ends with a <see cref="CardFormResult"/>.
/// <list type="bullet">
/// <item>The card is built by <see cref="ICardFormFactory.Create"/> from the template and a copy of
/// <see cref="CardFormPromptOptions.Data"/> with two objects added: <c>values</c> (input id → the
/// text to show in the input: the caller's initial values overlaid with the user's last submission)
/// and <c>errors</c> (input id → message to show next to the input; empty at first).</item>
/// <item>The answer is an Action.Submit: a message whose <c>Value</c> is a JSON object (Teams sends
/// a Newtonsoft <c>JObject</c>, no text) carrying <c>"verb": Verb</c>. It is flattened to
/// field → string and checked by the <see cref="CardFormValidator"/>; with no errors the prompt
/// ends with the values.</item>
/// <item>Invalid fields: the form is sent again with the submitted <c>values</c> (nothing typed is
/// lost) and the <c>errors</c>, after a localized line saying how many fields need correcting.</item>
/// <item>A text message instead of a submit: a localized hint (or RetryPrompt) and the form again.</item>
/// <item>A submit with another verb belongs to another card: a localized hint; it does not count.</item>
/// <item>Every field has a length cap, checked before the submit is validated or kept in state:
/// an input's cap is the smallest of <see cref="CardFormPromptOptions.MaxLengths"/>, the template's
/// own <c>maxLength</c> and a default by kind (<see cref="InputLimits"/>); it is written into the
/// card's Input.Text as <c>maxLength</c>, so Teams stops the typing too. Button data keeps its own
/// length, properties the card does not declare are dropped (capped at <see cref="InputLimits.UnknownField"/>
/// when the card declares nothing), at most
/// <see cref="InputLimits.MaxFields"/> properties are read, and the caps of a form add up to at most
/// <see cref="InputLimits.FormTotal"/>. A field over its cap: the form is sent again with the text
/// cut to the cap and a message saying the limit; it is not counted as an attempt.</item>
/// <item>After <see cref="CardFormPromptOptions.MaxAttempts"/> rejected answers (invalid submits and
/// texts) it says it gave up and ends with <see cref="CardFormResult.Cancelled"/> = true.</item>
/// </list>
/// Help and re-prompts re-send the form with the last values and errors.
/// </summary>
public class CardFormPrompt : Prompt<CardFormResult>
{
    /// <summary>The submit-data property naming the form.</summary>
    public const string VerbProperty = "verb";

    private const string ValuesKey = "values";
    private const string ErrorsKey = "errors";
    private const string LimitsKey = "limits";

    private readonly ICardFormFactory _cardFactory;
    private readonly CardFormValidator? _validator;

    public CardFormPrompt(string dialogId, ICardFormFactory cardFactory, CardFormValidator? validator = null)
        : base(dialogId)
    {
        _cardFactory = cardFactory ?? throw new ArgumentNullException(nameof(cardFactory));
        _validator = validator;
    }

    /// <inheritdoc/>
    public override Task<DialogTurnResult> BeginDialogAsync(DialogContext dc, object? options = null, CancellationToken cancellationToken = default)
    {
        if (options is not CardFormPromptOptions form)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "CardFormPrompt requires CardFormPromptOptions.");
        }

        if (string.IsNullOrWhiteSpace(form.TemplateName) || string.IsNullOrWhiteSpace(form.Verb))
        {
            throw new ArgumentException("CardFormPromptOptions need a TemplateName and a Verb.", nameof(options));
        }

        if (form.MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "CardFormPromptOptions.MaxAttempts must be at least 1.");
        }

        return base.BeginDialogAsync(dc, options, cancellationToken);
    }

    /// <inheritdoc/>
    public override async Task<DialogTurnResult> ContinueDialogAsync(DialogContext dc, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dc);
        var turn = dc.Context;
        if (turn.Activity.Type != ActivityTypes.Message)
        {
            return EndOfTurn;
        }

        var (state, promptOptions) = GetState(dc.ActiveDialog!);
        var options = (CardFormPromptOptions)promptOptions;
        var text = DialogText.Of(turn);
        var language = DialogText.Language(turn);
        var submit = ReadSubmit(turn.Activity.Value);

        if (submit != null && !IsThisForm(submit, options))
        {
            await turn.SendActivityAsync(text.Get(language, DialogTextKeys.OtherForm), cancellationToken: cancellationToken).ConfigureAwait(false);
            return EndOfTurn;
        }

        if (submit != null)
        {
            var limits = LimitsOf(turn, state, options);
            var capped = Flatten(submit, limits);
            var over = Enforce(capped, limits);
            if (over.Count > 0)
            {
                // Only what fits enters state; the form comes back with it and says the limits.
                state[ValuesKey] = capped;
                state[ErrorsKey] = over.ToDictionary(
                    o => o.Key,
                    o => text.Get(language, DialogTextKeys.FieldTooLong, o.Value.Cap, o.Value.Length),
                    StringComparer.Ordinal);
                var tooLong = text.Get(language, DialogTextKeys.FormTooLong, over.Count);
                await SendFormAsync(turn, state, options, tooLong, cancellationToken).ConfigureAwait(false);
                return EndOfTurn;
            }
        }

        var attempts = Convert.ToInt32(state[AttemptCountKey], CultureInfo.InvariantCulture) + 1;
        state[AttemptCountKey] = attempts;

        if (submit == null)
        {
            if (attempts >= options.MaxAttempts)
            {
                return await GiveUpAsync(dc, state, options, language, cancellationToken).ConfigureAwait(false);
            }

            var hint = options.RetryPrompt?.Text ?? text.Get(language, DialogTextKeys.UseTheForm);
            await SendFormAsync(turn, state, options, hint, cancellationToken).ConfigureAwait(false);
            return EndOfTurn;
        }

        var values = Flatten(submit, LimitsOf(turn, state, options));
        var context = new CardFormValidatorContext(turn, values, options, attempts, language);
        var errors = _validator == null ? null : await _validator(context, cancellationToken).ConfigureAwait(false);

        if (errors == null || errors.Count == 0)
        {
            var result = new CardFormResult { Verb = options.Verb, Values = values, Cancelled = false };
            return await dc.EndDialogAsync(result, cancellationToken).ConfigureAwait(false);
        }

        state[ValuesKey] = values;
        state[ErrorsKey] = new Dictionary<string, string>(errors, StringComparer.Ordinal);

        if (attempts >= options.MaxAttempts)
        {
            return await GiveUpAsync(dc, state, options, language, cancellationToken).ConfigureAwait(false);
        }

        var invalid = text.Get(language, DialogTextKeys.FormInvalid, errors.Count);
        await SendFormAsync(turn, state, options, invalid, cancellationToken).ConfigureAwait(false);
        return EndOfTurn;
    }

    /// <summary>Sends the form (first time, re-prompt after help, or retry).</summary>
    protected override Task OnPromptAsync(ITurnContext turnContext, IDictionary<string, object> state, PromptOptions options, bool isRetry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var text = isRetry && options.RetryPrompt != null ? options.RetryPrompt.Text : options.Prompt?.Text;
        return SendFormAsync(turnContext, state, (CardFormPromptOptions)options, text, cancellationToken);
    }

    /// <summary>Recognizes a submit of this form (without validating it).</summary>
    protected override Task<PromptRecognizerResult<CardFormResult>> OnRecognizeAsync(ITurnContext turnContext, IDictionary<string, object> state, PromptOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var form = (CardFormPromptOptions)options;
        var result = new PromptRecognizerResult<CardFormResult>();
        var submit = turnContext.Activity.Type == ActivityTypes.Message ? ReadSubmit(turnContext.Activity.Value) : null;
        if (submit != null && IsThisForm(submit, form))
        {
            result.Succeeded = true;
            result.Value = new CardFormResult { Verb = form.Verb, Values = Flatten(submit) };
        }

        return Task.FromResult(result);
    }

    /// <summary>Reads an Action.Submit payload: a JSON object in <c>Activity.Value</c>, else null.</summary>
    internal static JObject? ReadSubmit(object? value)
    {
        try
        {
            return value switch
            {
                null => null,
                JObject obj => obj,
                JToken => null,
                string text when text.TrimStart().StartsWith('{') => JObject.Parse(text),
                string => null,
                JsonObject node => JObject.Parse(node.ToJsonString()),
                JsonElement { ValueKind: JsonValueKind.Object } element => JObject.Parse(element.GetRawText()),
                JsonElement or JsonNode => null,
                _ when value.GetType().IsPrimitive => null,
                _ => JObject.FromObject(value),
            };
        }
        catch (Exception ex) when (ex is Newtonsoft.Json.JsonException or ArgumentException or InvalidCastException)
        {
            return null;
        }
    }

    /// <summary>Field → text, without the verb and Teams' own properties.</summary>
    internal static Dictionary<string, string> Flatten(JObject submit) => Flatten(submit, null);

    /// <summary>
    /// Field → text; when the card's fields are known (<paramref name="declared"/> not empty), only
    /// those: a property the card never offered is not part of the answer.
    /// </summary>
    internal static Dictionary<string, string> Flatten(JObject submit, IReadOnlyDictionary<string, int>? declared)
    {
        var only = declared is { Count: > 0 } ? declared : null;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in submit.Properties())
        {
            if (property.Name is VerbProperty or "msteams")
            {
                continue;
            }

            if (only != null && !only.ContainsKey(property.Name))
            {
                continue;
            }

            if (values.Count >= InputLimits.MaxFields)
            {
                break;
            }

            var value = CardData.Value(property.Value);
            if (value != null)
            {
                values[property.Name] = value;
            }
        }

        return values;
    }

    private static bool IsThisForm(JObject submit, CardFormPromptOptions options) =>
        string.Equals(CardData.Field(submit, VerbProperty), options.Verb, StringComparison.Ordinal);

    private async Task<DialogTurnResult> GiveUpAsync(DialogContext dc, IDictionary<string, object> state, CardFormPromptOptions options, string language, CancellationToken cancellationToken)
    {
        var message = DialogText.Of(dc.Context).Get(language, DialogTextKeys.GaveUp, options.MaxAttempts);
        await dc.Context.SendActivityAsync(message, cancellationToken: cancellationToken).ConfigureAwait(false);
        var result = new CardFormResult
        {
            Verb = options.Verb,
            Values = new Dictionary<string, string>(Saved(state, ValuesKey), StringComparer.Ordinal),
            Cancelled = true,
        };
        return await dc.EndDialogAsync(result, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendFormAsync(ITurnContext turnContext, IDictionary<string, object> state, CardFormPromptOptions options, string? text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turnContext);
        var data = options.Data?.DeepClone().AsObject() ?? new JsonObject();

        var values = data[ValuesKey] is JsonObject initial ? initial.DeepClone().AsObject() : new JsonObject();
        foreach (var (field, value) in Saved(state, ValuesKey))
        {
            values[field] = value;
        }

        var errors = new JsonObject();
        foreach (var (field, message) in Saved(state, ErrorsKey))
        {
            errors[field] = message;
        }

        data.Remove(ValuesKey);
        data.Remove(ErrorsKey);
        data[ValuesKey] = values;
        data[ErrorsKey] = errors;

        var attachment = _cardFactory.Create(options.TemplateName, data, DialogText.Language(turnContext));
        state[LimitsKey] = ApplyLimits(attachment, options);
        var activity = options.Prompt != null ? Clone(options.Prompt) : new Activity(ActivityTypes.Message);
        activity.Text = string.IsNullOrEmpty(text) ? null : text;
        activity.Attachments = (activity.Attachments ?? new List<Attachment>()).Append(attachment).ToList();
        activity.InputHint = InputHints.ExpectingInput;
        await turnContext.SendActivityAsync(activity, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The caps of the form last sent (rebuilt from the card when the state predates them).</summary>
    private Dictionary<string, int> LimitsOf(ITurnContext turnContext, IDictionary<string, object> state, CardFormPromptOptions options)
    {
        if (state.TryGetValue(LimitsKey, out var saved) && saved is IDictionary<string, int> limits)
        {
            return new Dictionary<string, int>(limits, StringComparer.Ordinal);
        }

        var data = options.Data?.DeepClone().AsObject() ?? new JsonObject();
        data[ValuesKey] ??= new JsonObject();
        data[ErrorsKey] = new JsonObject();
        return ApplyLimits(_cardFactory.Create(options.TemplateName, data, DialogText.Language(turnContext)), options);
    }

    /// <summary>
    /// Cuts every value to its cap (undeclared fields to <see cref="InputLimits.UnknownField"/>);
    /// returns the fields that were over, with their cap and submitted length.
    /// </summary>
    internal static Dictionary<string, (int Cap, int Length)> Enforce(Dictionary<string, string> values, IReadOnlyDictionary<string, int> limits)
    {
        var over = new Dictionary<string, (int Cap, int Length)>(StringComparer.Ordinal);
        foreach (var (field, value) in values.ToList())
        {
            var cap = limits.TryGetValue(field, out var declared) ? declared : InputLimits.UnknownField;
            if (value.Length > cap)
            {
                over[field] = (cap, value.Length);
                values[field] = InputLimits.Truncate(value, cap);
            }
        }

        return over;
    }

    /// <summary>
    /// The cap of every field the card declares: its inputs (Input.Text also gets the cap as its
    /// <c>maxLength</c>) and the data of its buttons. Input.Text caps are scaled down when a form's
    /// caps would add up to more than <see cref="InputLimits.FormTotal"/>.
    /// </summary>
    public static Dictionary<string, int> ApplyLimits(Attachment card, CardFormPromptOptions options)
    {
        var limits = new Dictionary<string, int>(StringComparer.Ordinal);
        var textInputs = new List<(JObject Input, string Id)>();
        if (card.Content is not JContainer content)
        {
            return limits;
        }

        foreach (var element in content.DescendantsAndSelf().OfType<JObject>())
        {
            var type = CardData.Field(element, "type");
            if (type.Length == 0)
            {
                continue;
            }

            if (type.StartsWith("Input.", StringComparison.Ordinal) && CardData.Field(element, "id") is { Length: > 0 } id)
            {
                var cap = type switch
                {
                    "Input.Text" => TextCap(element, id, options),
                    "Input.ChoiceSet" => ChoiceCap(element),
                    _ => InputLimits.Short,
                };
                limits[id] = cap;
                if (type == "Input.Text")
                {
                    textInputs.Add((element, id));
                }
            }
            else if (type is "Action.Submit" or "Action.Execute" && element["data"] is JObject data)
            {
                foreach (var property in data.Properties())
                {
                    if (property.Name is VerbProperty or "msteams" || limits.ContainsKey(property.Name))
                    {
                        continue;
                    }

                    var length = CardData.Value(property.Value)?.Length ?? 0;
                    limits[property.Name] = Math.Max(InputLimits.Short, length);
                }
            }
        }

        var total = limits.Values.Sum(c => (long)c);
        if (total > InputLimits.FormTotal)
        {
            var others = total - textInputs.Sum(i => (long)limits[i.Id]);
            var room = Math.Max(0, InputLimits.FormTotal - others);
            var texts = Math.Max(1, total - others);
            foreach (var (_, id) in textInputs)
            {
                limits[id] = (int)Math.Max(InputLimits.Short / 2, limits[id] * room / texts);
            }
        }

        foreach (var (input, id) in textInputs)
        {
            input["maxLength"] = limits[id];
        }

        return limits;
    }

    private static int TextCap(JObject input, string id, CardFormPromptOptions options)
    {
        int? cap = options.MaxLengths != null && options.MaxLengths.TryGetValue(id, out var asked) && asked > 0 ? asked : null;
        var declared = long.TryParse(CardData.Field(input, "maxLength"), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
        if (declared > 0)
        {
            cap = (int)Math.Min(cap ?? int.MaxValue, Math.Min(declared, int.MaxValue));
        }

        cap ??= CardData.IsTrue(input, "isMultiline") ? InputLimits.FormField : InputLimits.Short;
        return Math.Min(cap.Value, InputLimits.Details);
    }

    /// <summary>A choice set's answer is one or more of its values, comma-separated.</summary>
    private static int ChoiceCap(JObject input)
    {
        var sum = input["choices"] is JArray choices
            ? choices.OfType<JObject>().Sum(c => (c["value"]?.ToString().Length ?? 0) + 1)
            : 0;
        return Math.Max(InputLimits.Short, sum);
    }

    private static IReadOnlyDictionary<string, string> Saved(IDictionary<string, object> state, string key) =>
        state.TryGetValue(key, out var saved) && saved is IDictionary<string, string> map
            ? new Dictionary<string, string>(map, StringComparer.Ordinal)
            : new Dictionary<string, string>();
}
