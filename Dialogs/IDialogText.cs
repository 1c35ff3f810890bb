namespace ChatRegs.Dialogs;

/// <summary>
/// The words the dialogs say and listen for, provided by the application (the bot reads them from
/// its string tables): the dialogs hold no text of their own. Put one in the turn state before a
/// dialog runs (<see cref="DialogText.Use"/>); a dialog turn without one is a wiring bug and throws.
/// </summary>
public interface IDialogText
{
    /// <summary>Gets the languages the text exists in; the first is the default.</summary>
    IReadOnlyList<string> Languages { get; }

    /// <summary>The language to answer in for an activity's locale ("en-US", "zh-cn", null…): one of <see cref="Languages"/>.</summary>
    string Language(string? locale);

    /// <summary>
    /// The text of <paramref name="key"/> (one of <see cref="DialogTextKeys"/>) in
    /// <paramref name="language"/>, with string.Format <paramref name="args"/>.
    /// </summary>
    string Get(string language, string key, params object?[] args);

    /// <summary>
    /// Every word, in every language, that names <paramref name="command"/>
    /// (<see cref="DialogTextKeys.CancelCommand"/> or <see cref="DialogTextKeys.HelpCommand"/>).
    /// </summary>
    IEnumerable<string> CommandWords(string command);
}

/// <summary>The keys the dialogs ask an <see cref="IDialogText"/> for, and what their arguments are.</summary>
public static class DialogTextKeys
{
    /// <summary>A choice was not recognized (before the question is asked again).</summary>
    public const string NotRecognized = "dialogs.prompt.notRecognized";

    /// <summary>Between inline choices ("，" / ", ").</summary>
    public const string InlineSeparator = "dialogs.choices.inlineSeparator";

    /// <summary>Between two inline choices (" 或 " / " or ").</summary>
    public const string InlineOr = "dialogs.choices.inlineOr";

    /// <summary>Before the last of three or more inline choices ("，或 " / ", or ").</summary>
    public const string InlineOrMore = "dialogs.choices.inlineOrMore";

    /// <summary>The confirm prompt's yes choice.</summary>
    public const string Yes = "dialogs.confirm.yes";

    /// <summary>The confirm prompt's no choice.</summary>
    public const string No = "dialogs.confirm.no";

    /// <summary>Text came instead of the card form's submit.</summary>
    public const string UseTheForm = "dialogs.cardForm.useTheForm";

    /// <summary>{0}: how many fields of the submitted form need correcting.</summary>
    public const string FormInvalid = "dialogs.cardForm.invalid";

    /// <summary>A submit of another card came while a form waits.</summary>
    public const string OtherForm = "dialogs.cardForm.otherForm";

    /// <summary>{0}: the attempts after which the form gave up (nothing saved).</summary>
    public const string GaveUp = "dialogs.cardForm.gaveUp";

    /// <summary>{0}: the cap, {1}: the typed answer's length.</summary>
    public const string AnswerTooLong = "dialogs.limits.answerTooLong";

    /// <summary>{0}: the field's cap, {1}: the submitted length.</summary>
    public const string FieldTooLong = "dialogs.limits.fieldTooLong";

    /// <summary>{0}: how many fields were over their caps.</summary>
    public const string FormTooLong = "dialogs.limits.formTooLong";

    /// <summary>The conversation's dialogs were cancelled.</summary>
    public const string Cancelled = "common.cancelled";

    /// <summary>The command whose words cancel every dialog (<see cref="IDialogText.CommandWords"/>).</summary>
    public const string CancelCommand = "cancel";

    /// <summary>The command whose words ask for help inside a dialog.</summary>
    public const string HelpCommand = "help";

    /// <summary>Every text key above.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        NotRecognized, InlineSeparator, InlineOr, InlineOrMore, Yes, No, UseTheForm, FormInvalid, OtherForm, GaveUp,
        AnswerTooLong, FieldTooLong, FormTooLong, Cancelled,
    ];
}
