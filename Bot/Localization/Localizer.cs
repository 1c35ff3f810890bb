using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;

namespace ChatRegs.Bot.Localization;

/// <summary>
/// Every string a person reads comes from Strings.zh-CN.json or Strings.en.json (embedded
/// resources beside this file), never from code. Chinese is the first language; English is
/// chosen when the turn's locale starts with "en" (the turn's language is decided before
/// features run: <see cref="TurnLanguage"/>).
/// Keys are dotted paths into the nested JSON ("help.title"); arguments use string.Format
/// placeholders ("{0}").
/// </summary>
public sealed class Localizer
{
    public const string Chinese = "zh-CN";
    public const string English = "en";
    public static readonly IReadOnlyList<string> Supported = [Chinese, English];

    private readonly Dictionary<string, JsonObject> _tables;

    public Localizer()
    {
        _tables = Supported.ToDictionary(l => l, Load, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The process-wide instance; the tables are immutable once loaded.</summary>
    public static Localizer Default { get; } = new();

    /// <summary>Maps an activity locale ("en-US", "zh-cn", null…) to a supported language.</summary>
    public static string Resolve(string? activityLocale) =>
        activityLocale != null && activityLocale.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? English : Chinese;

    /// <summary>
    /// The localized text for <paramref name="key"/>; a missing key is a bug and throws. A string
    /// argument with a direction override or embedding (a name typed with U+202E…) is isolated
    /// (<see cref="ChatRegs.Cards.MarkdownText.IsolateDirection"/>), so it cannot turn the bot's
    /// own words around it back to front in a plain text message.
    /// </summary>
    public string Get(string locale, string key, params object?[] args)
    {
        var language = Resolve(locale);
        var node = Find(_tables[language], key)
            ?? throw new KeyNotFoundException($"String '{key}' is missing from Strings.{language}.json.");
        var text = node.GetValue<string>();
        if (args.Length == 0)
        {
            return text;
        }
        var isolated = new object?[args.Length];
        for (var i = 0; i < args.Length; i++)
        {
            isolated[i] = args[i] is string s ? ChatRegs.Cards.MarkdownText.IsolateDirection(s) : args[i];
        }
        return string.Format(CultureInfo.GetCultureInfo(language), text, isolated);
    }

    /// <summary>
    /// Every word that names a command in any language (its name and aliases, as the string
    /// tables give them): people type a command in either language whatever their locale.
    /// </summary>
    public IEnumerable<string> CommandWords(string commandId) => Supported.SelectMany(language => CommandWordsIn(language, commandId));

    /// <summary>The words that name a command in one language (its name and aliases in that language's table).</summary>
    public IEnumerable<string> CommandWordsIn(string language, string commandId)
    {
        yield return Get(language, $"commands.{commandId}.name").Trim();
        if (Keys(language).Contains($"commands.{commandId}.aliases"))
        {
            foreach (var alias in Get(language, $"commands.{commandId}.aliases").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return alias;
            }
        }
    }

    /// <summary>A private copy of the whole table, for binding into card templates as $root.strings.</summary>
    public JsonObject Table(string locale) => (JsonObject)_tables[Resolve(locale)].DeepClone();

    /// <summary>Every dotted key of a language's table (used by tests to compare languages).</summary>
    public IReadOnlyCollection<string> Keys(string locale)
    {
        var keys = new List<string>();
        Collect(_tables[Resolve(locale)], "", keys);
        return keys;
    }

    private static void Collect(JsonObject obj, string prefix, List<string> keys)
    {
        foreach (var (name, value) in obj)
        {
            var key = prefix.Length == 0 ? name : prefix + "." + name;
            if (value is JsonObject child)
            {
                Collect(child, key, keys);
            }
            else
            {
                keys.Add(key);
            }
        }
    }

    private static JsonNode? Find(JsonObject table, string key)
    {
        JsonNode? node = table;
        foreach (var part in key.Split('.'))
        {
            node = (node as JsonObject)?[part];
            if (node == null)
            {
                return null;
            }
        }
        return node is JsonValue ? node : null;
    }

    private static JsonObject Load(string language)
    {
        var name = $"ChatRegs.Bot.Localization.Strings.{language}.json";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing.");
        return JsonNode.Parse(stream)?.AsObject() ?? throw new InvalidOperationException($"{name} is empty.");
    }
}
