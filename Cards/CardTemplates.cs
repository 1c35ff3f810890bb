using System.Reflection;
using System.Text.Json.Nodes;

namespace ChatRegs.Cards;

/// <summary>
/// The card templates shipped in this assembly: every <c>Cards/&lt;Name&gt;.json</c> (embedded as
/// <c>ChatRegs.Cards.&lt;Name&gt;.json</c>) with its sample data <c>&lt;Name&gt;.data.json</c>.
/// Each call parses the resource again, so callers own (and may change) what they get.
/// </summary>
public static class CardTemplates
{
    private const string Prefix = "ChatRegs.Cards.";
    private const string TemplateSuffix = ".json";
    private const string SampleSuffix = ".data.json";

    private static readonly Assembly Assembly = typeof(CardTemplates).Assembly;
    private static readonly HashSet<string> Resources = new(Assembly.GetManifestResourceNames(), StringComparer.Ordinal);

    /// <summary>Every template name (file name without ".json"), in ordinal order.</summary>
    public static IReadOnlyList<string> Names { get; } = Resources
        .Where(r => r.StartsWith(Prefix, StringComparison.Ordinal)
            && r.EndsWith(TemplateSuffix, StringComparison.Ordinal)
            && !r.EndsWith(SampleSuffix, StringComparison.Ordinal))
        .Select(r => r[Prefix.Length..^TemplateSuffix.Length])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>A fresh copy of the template <paramref name="name"/>.</summary>
    public static JsonNode Load(string name) =>
        Parse(Prefix + CheckName(name) + TemplateSuffix)
        ?? throw new InvalidOperationException($"Card template {name}.json is empty.");

    /// <summary>A fresh copy of the sample data beside the template, or null if it has none.</summary>
    public static JsonNode? LoadSample(string name)
    {
        var resource = Prefix + CheckName(name) + SampleSuffix;
        return Resources.Contains(resource) ? Parse(resource) : null;
    }

    private static string CheckName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Names.Contains(name, StringComparer.Ordinal))
        {
            throw new KeyNotFoundException(
                $"There is no card template named '{name}' (Cards/{name}.json). Known templates: {string.Join(", ", Names)}.");
        }
        return name;
    }

    private static JsonNode? Parse(string resource)
    {
        using var stream = Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource {resource} is missing.");
        return JsonNode.Parse(stream);
    }
}
