namespace ChatRegs.Dialogs;

/// <summary>
/// How much text one answer may carry, checked by the prompts (<see cref="Prompt{T}"/> for typed
/// answers, <see cref="CardFormPrompt"/> for form fields) before anything enters dialog state.
/// Dialog state lives in one Table Storage entity (1 MiB, 64 KiB a string property, split by
/// Storage/TableStorage), and a form's values are held there up to three times (the prompt's last
/// submission, the waterfall's values, the options' initial values): every cap here keeps a whole
/// form far below that, so a pasted novel can never cost a person their flow.
/// </summary>
public static class InputLimits
{
    /// <summary>A name, a title, a short label (a person's name, a meeting's name).</summary>
    public const int Name = 100;

    /// <summary>A short value: a date, a number, a toggle, an id carried in a button's data.</summary>
    public const int Short = 200;

    /// <summary>A reason (a leave reason, a note on one answer).</summary>
    public const int Reason = 500;

    /// <summary>A typed answer to a text prompt, unless the prompt sets its own <c>MaxLength</c>.</summary>
    public const int TypedAnswer = 2000;

    /// <summary>A multi-line form field (Input.Text) unless the form says otherwise.</summary>
    public const int FormField = 2000;

    /// <summary>The longest field any form may allow (a weekly summary, a suggestion's details).</summary>
    public const int Details = 5000;

    /// <summary>A submitted property the card does not declare (neither an input nor button data).</summary>
    public const int UnknownField = Short;

    /// <summary>How many properties of one submit are read; the rest are dropped.</summary>
    public const int MaxFields = 64;

    /// <summary>
    /// The most text one form may hold in all (the sum of its fields' caps): 32,000 characters is
    /// 64 KiB in UTF-16, so even held three times in state a form stays well under 1 MiB.
    /// </summary>
    public const int FormTotal = 32_000;

    /// <summary>The first <paramref name="max"/> UTF-16 units of <paramref name="text"/>, never cutting a surrogate pair in two.</summary>
    public static string Truncate(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= max)
        {
            return text;
        }

        var length = Math.Max(0, max);
        if (length > 0 && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text[..length];
    }
}
