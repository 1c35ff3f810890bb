using System.Text;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ChatRegs.Dialogs.Choices;

/// <summary>Renders a list of choices into a message (same methods and rules as the SDK's ChoiceFactory).</summary>
public static class ChoiceFactory
{
    /// <summary>
    /// Picks the style for the channel: suggested actions where supported, a hero card where
    /// only card buttons are (Teams, up to 3), inline for up to 3 short choices, else a list.
    /// </summary>
    public static IMessageActivity ForChannel(string? channelId, IList<Choice> list, string? text = null, string? speak = null, ChoiceFactoryOptions? options = null)
    {
        list ??= new List<Choice>();
        var maxTitleLength = list.Select(Title).DefaultIfEmpty(string.Empty).Max(t => t.Length);
        var longTitles = maxTitleLength > Channel.MaxActionTitleLength(channelId);
        var supportsSuggestedActions = Channel.SupportsSuggestedActions(channelId, list.Count);
        var supportsCardActions = Channel.SupportsCardActions(channelId, list.Count);

        if (!longTitles && !supportsSuggestedActions && supportsCardActions)
        {
            return HeroCard(list, text, speak);
        }

        if (!longTitles && supportsSuggestedActions)
        {
            return SuggestedAction(list, text, speak);
        }

        if (!longTitles && list.Count <= 3)
        {
            return Inline(list, text, speak, options);
        }

        return List(list, text, speak, options);
    }

    /// <summary>"text (1) A, (2) B or (3) C".</summary>
    public static Activity Inline(IList<Choice> choices, string? text = null, string? speak = null, ChoiceFactoryOptions? options = null)
    {
        choices ??= new List<Choice>();
        var separator = options?.InlineSeparator ?? ", ";
        var or = options?.InlineOr ?? " or ";
        var orMore = options?.InlineOrMore ?? ", or ";
        var includeNumbers = options?.IncludeNumbers ?? true;

        var txt = new StringBuilder(text ?? string.Empty).Append(' ');
        var connector = string.Empty;
        for (var index = 0; index < choices.Count; index++)
        {
            txt.Append(connector);
            if (includeNumbers)
            {
                txt.Append('(').Append(index + 1).Append(") ");
            }

            txt.Append(Title(choices[index]));
            connector = index == choices.Count - 2 ? (index == 0 ? or : orMore) : separator;
        }

        return (Activity)MessageFactory.Text(txt.ToString().TrimEnd(), speak, InputHints.ExpectingInput);
    }

    /// <summary>"text" followed by a numbered (or bulleted) list, one choice a line.</summary>
    public static Activity List(IList<Choice> choices, string? text = null, string? speak = null, ChoiceFactoryOptions? options = null)
    {
        choices ??= new List<Choice>();
        var includeNumbers = options?.IncludeNumbers ?? true;

        var txt = new StringBuilder(text ?? string.Empty).Append("\n\n   ");
        var connector = string.Empty;
        for (var index = 0; index < choices.Count; index++)
        {
            txt.Append(connector).Append(includeNumbers ? $"{index + 1}. " : "- ").Append(Title(choices[index]));
            connector = "\n   ";
        }

        return (Activity)MessageFactory.Text(txt.ToString().TrimEnd(), speak, InputHints.ExpectingInput);
    }

    /// <summary>The text with one imBack suggested action per choice.</summary>
    public static IMessageActivity SuggestedAction(IList<Choice> choices, string? text = null, string? speak = null) =>
        MessageFactory.SuggestedActions(ExtractActions(choices), text, speak, InputHints.ExpectingInput);

    /// <summary>A hero card with the text and one imBack button per choice.</summary>
    public static IMessageActivity HeroCard(IList<Choice> choices, string? text = null, string? speak = null)
    {
        var card = new HeroCard(text: text, buttons: ExtractActions(choices));
        return MessageFactory.Attachment(card.ToAttachment(), null, speak, InputHints.ExpectingInput);
    }

    /// <summary>Turns plain strings into choices.</summary>
    public static IList<Choice> ToChoices(IList<string> choices) =>
        choices == null ? new List<Choice>() : choices.Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => new Choice(c)).ToList();

    /// <summary>The button of each choice: its own <see cref="Choice.Action"/> or an imBack of its value.</summary>
    public static IList<CardAction> ExtractActions(IList<Choice> choices) =>
        (choices ?? new List<Choice>())
            .Select(c => c.Action ?? new CardAction { Type = ActionTypes.ImBack, Value = c.Value, Title = c.Value })
            .ToList();

    internal static string Title(Choice choice) =>
        !string.IsNullOrEmpty(choice.Action?.Title) ? choice.Action!.Title : choice.Value;
}
