using System.Reflection;
using System.Text.Json.Nodes;

namespace ChatRegs.Cards;

/// <summary>
/// The card templates embedded from Cards/*.json: <c>&lt;Name&gt;.json</c> is a template,
/// <c>&lt;Name&gt;.data.json</c> its sample data (for the Designer and the tests).
/// </summary>
public static class CardTemplates
{
    private const string Prefix = "ChatRegs.Cards.";
    private const string SampleSuffix = ".data.json";
    private static readonly Assembly Assembly = typeof(CardTemplates).Assembly;

    /// <summary>Every template name (file name without .json), samples excluded.</summary>
    public static IReadOnlyList<string> Names { get; } = Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal) && !n.EndsWith(SampleSuffix, StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^".json".Length])
        .OrderBy(n => n, StringComparer.Ordinal)
        .ToList();

    /// <summary>A fresh copy of the template; callers may change it.</summary>
    public static JsonNode Load(string name) =>
        Read(name + ".json") ?? throw new KeyNotFoundException($"No card template '{name}' (expected Cards/{name}.json).");

    /// <summary>The template's sample data, or null when it has none.</summary>
    public static JsonNode? LoadSample(string name) =>
        Names.Contains(name) ? Read(name + SampleSuffix) : throw new KeyNotFoundException($"No card template '{name}'.");

    private static JsonNode? Read(string file)
    {
        using var stream = Assembly.GetManifestResourceStream(Prefix + file);
        return stream == null ? null : JsonNode.Parse(stream);
    }
}
