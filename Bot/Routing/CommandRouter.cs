using ChatRegs.Bot.Localization;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.Routing;

/// <summary>
/// Maps typed text to a command in either language. A command matches when the text is its
/// word, or starts with its word followed by white space (the rest are arguments). Longer
/// words win, so "上周周报" is not taken for "周报". Anything unrecognised gets the help command.
/// </summary>
public sealed class CommandRouter
{
    public const string HelpCommandId = "help";

    private readonly IReadOnlyList<IChatCommand> _commands;
    private readonly List<(string Word, IChatCommand Command)> _words;
    // Each word's language; null when the word names commands in both languages.
    private readonly Dictionary<string, string?> _wordLanguages = new(StringComparer.OrdinalIgnoreCase);

    public CommandRouter(IEnumerable<IChatCommand> commands, Localizer localizer)
    {
        _commands = commands.ToList();
        var duplicates = _commands.GroupBy(c => c.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new InvalidOperationException("Commands registered twice: " + string.Join(", ", duplicates));
        }

        _words = [];
        foreach (var command in _commands)
        {
            foreach (var word in localizer.CommandWords(command.Id))
            {
                var owner = _words.FirstOrDefault(w => string.Equals(w.Word, word, StringComparison.OrdinalIgnoreCase));
                if (owner.Command != null && owner.Command != command)
                {
                    throw new InvalidOperationException($"The word '{word}' is claimed by commands '{owner.Command.Id}' and '{command.Id}'.");
                }
                if (owner.Command == null)
                {
                    _words.Add((word, command));
                }
            }
        }
        _words.Sort((a, b) => b.Word.Length.CompareTo(a.Word.Length));
        foreach (var command in _commands)
        {
            foreach (var language in Localizer.Supported)
            {
                foreach (var word in localizer.CommandWordsIn(language, command.Id))
                {
                    _wordLanguages[word] = _wordLanguages.TryGetValue(word, out var other) && other != language ? null : language;
                }
            }
        }
    }

    /// <summary>
    /// The language of the command word the text starts with ("我是谁" → zh-CN, "whoami" → en);
    /// null when the text names no command, or its word is the same in both languages.
    /// </summary>
    public string? LanguageOf(string? text)
    {
        var cleaned = Normalize(text);
        foreach (var (word, _) in _words)
        {
            if (cleaned.Equals(word, StringComparison.OrdinalIgnoreCase)
                || (cleaned.StartsWith(word, StringComparison.OrdinalIgnoreCase) && cleaned.Length > word.Length && char.IsWhiteSpace(cleaned[word.Length])))
            {
                return _wordLanguages.GetValueOrDefault(word);
            }
        }
        return null;
    }

    public IReadOnlyList<IChatCommand> Commands => _commands;

    /// <summary>The command the text asks for, with its arguments; null when none matches.</summary>
    public (IChatCommand Command, string Arguments)? Match(string? text)
    {
        var cleaned = Normalize(text);
        if (cleaned.Length == 0)
        {
            return null;
        }
        foreach (var (word, command) in _words)
        {
            if (cleaned.Equals(word, StringComparison.OrdinalIgnoreCase))
            {
                return (command, "");
            }
            if (cleaned.StartsWith(word, StringComparison.OrdinalIgnoreCase) && char.IsWhiteSpace(cleaned[word.Length]))
            {
                return (command, cleaned[word.Length..].Trim());
            }
        }
        return null;
    }

    /// <summary>Runs the command the text names, or help when it names none.</summary>
    public Task RunAsync(ITurnContext turnContext, string? text, CancellationToken cancellationToken)
    {
        var match = Match(text);
        if (match is { } found)
        {
            return found.Command.RunAsync(turnContext, found.Arguments, cancellationToken);
        }
        var help = _commands.FirstOrDefault(c => c.Id == HelpCommandId)
            ?? throw new InvalidOperationException("No help command is registered.");
        return help.RunAsync(turnContext, "", cancellationToken);
    }

    /// <summary>Trims, folds full-width spaces and drops a leading slash, as people type in chat.</summary>
    internal static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }
        var t = text.Replace('\u3000', ' ').Replace('\u00A0', ' ').Trim();
        return t.StartsWith('/') ? t[1..].TrimStart() : t;
    }

    /// <summary>The text of a message with any @mention of the bot removed (Teams channels and group chats).</summary>
    public static string TextWithoutMention(ITurnContext turnContext)
    {
        var activity = turnContext.Activity;
        var text = activity.Text ?? "";
        if (activity.Recipient != null)
        {
            Mention[] mentions;
            try
            {
                mentions = activity.GetMentions();
            }
            catch (Exception e) when (e is Newtonsoft.Json.JsonException or ArgumentException or InvalidCastException or FormatException)
            {
                // A malformed mention entity: treat the text as it is.
                mentions = [];
            }
            foreach (var mention in mentions.Where(m => m.Mentioned?.Id == activity.Recipient.Id))
            {
                if (!string.IsNullOrEmpty(mention.Text))
                {
                    text = text.Replace(mention.Text, " ", StringComparison.Ordinal);
                }
            }
        }
        return text.Trim();
    }
}
