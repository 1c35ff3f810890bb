using System.Text.Json.Nodes;

namespace ChatRegs.Cards.Tests.Infrastructure;

/// <summary>
/// Template+data pairs that exercise the corners of the templating language
/// (TemplateCases/edge-cases.json). Each is expanded with our binder and with the official
/// library; <c>"throws": true</c> marks input the official library refuses, which our binder
/// must refuse too.
/// </summary>
public static class EdgeCases
{
    private static readonly Lazy<IReadOnlyList<EdgeCase>> Cases = new(Load);

    public static IReadOnlyList<EdgeCase> All => Cases.Value;

    public static EdgeCase Get(string name) => All.Single(c => c.Name == name);

    private static IReadOnlyList<EdgeCase> Load()
    {
        var path = Path.Combine(Tools.TestProjectDirectory, "TemplateCases", "edge-cases.json");
        var cases = JsonNode.Parse(File.ReadAllText(path))!.AsArray()
            .Select(c => new EdgeCase(
                c!["name"]!.GetValue<string>(),
                c["template"]!,
                c["data"],
                c["throws"]?.GetValue<bool>() ?? false))
            .ToList();
        var duplicate = cases.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate != null)
        {
            throw new InvalidOperationException($"Duplicate edge case name '{duplicate.Key}' in {path}.");
        }
        return cases;
    }

    public sealed record EdgeCase(string Name, JsonNode Template, JsonNode? Data, bool Throws);
}
