using Microsoft.Bot.Builder;

namespace ChatRegs.Dialogs;

/// <summary>
/// Checks a submitted form on the server. Returns field (input id) → message in the user's
/// language (<see cref="CardFormValidatorContext.Locale"/>); an empty map (or null) accepts the form.
/// </summary>
public delegate Task<IReadOnlyDictionary<string, string>?> CardFormValidator(CardFormValidatorContext context, CancellationToken cancellationToken);

/// <summary>What a <see cref="CardFormValidator"/> is given.</summary>
public sealed class CardFormValidatorContext
{
    internal CardFormValidatorContext(ITurnContext context, IReadOnlyDictionary<string, string> values, CardFormPromptOptions options, int attemptCount, string locale)
    {
        Context = context;
        Values = values;
        Options = options;
        AttemptCount = attemptCount;
        Locale = locale;
    }

    /// <summary>Gets the turn context.</summary>
    public ITurnContext Context { get; }

    /// <summary>Gets the submitted fields (see <see cref="CardFormResult.Values"/>).</summary>
    public IReadOnlyDictionary<string, string> Values { get; }

    /// <summary>Gets the options the prompt was started with.</summary>
    public CardFormPromptOptions Options { get; }

    /// <summary>Gets the number of answers received, this one included.</summary>
    public int AttemptCount { get; }

    /// <summary>Gets the user's language ("zh-CN" or "en"), for the messages.</summary>
    public string Locale { get; }

    /// <summary>The submitted value of <paramref name="field"/>, trimmed; null when missing or blank.</summary>
    public string? Value(string field) =>
        Values.TryGetValue(field, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
