using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace ChatRegs.Cards.Tests.Infrastructure;

/// <summary>
/// The official Adaptive Card 1.5 JSON Schema (tests/schemas/adaptive-card-1.5.json), the
/// highest version Teams renders on every client, evaluated with JsonSchema.Net, plus Teams'
/// chart elements (<see cref="TeamsChartSchema"/>).
/// </summary>
public static class AdaptiveCardSchema
{
    private static readonly Lazy<(JsonSchema Schema, JsonObject Definitions)> Loaded = new(Load);

    /// <summary>The schema's definitions ("TextBlock", "Action.Execute"...), as JSON.</summary>
    public static JsonObject Definitions => Loaded.Value.Definitions;

    /// <summary>Null when the card is valid, otherwise the schema errors (List output) as text.</summary>
    public static string? Validate(JsonNode card)
    {
        using var document = JsonDocument.Parse(card.ToJsonString());
        var schema = Loaded.Value.Schema;
        // The Flag output decides; the List output is only for the message (it also lists the
        // failed anyOf branches of valid cards, so it cannot decide).
        var flag = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Flag });
        if (flag.IsValid)
        {
            return null;
        }
        var list = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var details = list.Details ?? [];
        // A failed branch of an anyOf that passed elsewhere is not a problem: keep only errors
        // with no valid node above them.
        var valid = details
            .Where(d => d.IsValid)
            .Select(d => (Instance: d.InstanceLocation.ToString(), Path: d.EvaluationPath.ToString()))
            .ToList();
        var failed = details
            .Where(d => d.Errors is { Count: > 0 })
            .Select(d => (Instance: d.InstanceLocation.ToString(), Path: d.EvaluationPath.ToString(), Message: string.Join("; ", d.Errors!.Values)))
            .ToList();
        // Elements are an anyOf over every element type, so each element error also fails all
        // the other types' branches. Drop the branches whose "type" did not even match, and
        // show the deepest remaining errors first: that is where the card is wrong.
        const string typeSuffix = "/properties/type";
        var deadBranches = failed
            .Where(f => f.Path.EndsWith(typeSuffix, StringComparison.Ordinal) && f.Instance.EndsWith("/type", StringComparison.Ordinal))
            .Select(f => (Instance: f.Instance[..^"/type".Length], Path: f.Path[..^typeSuffix.Length]))
            .ToList();
        static bool Under(string value, string prefix) =>
            value == prefix || value.StartsWith(prefix + "/", StringComparison.Ordinal);
        var kept = failed
            .Where(f => !deadBranches.Any(b => Under(f.Instance, b.Instance) && Under(f.Path, b.Path)))
            .Where(f => !valid.Any(v => Under(f.Instance, v.Instance) && Under(f.Path, v.Path)))
            .ToList();
        var relevant = kept
            .OrderByDescending(f => f.Instance.Count(c => c == '/'))
            .Select(f => $"{f.Instance}: {f.Message}   (schema path {f.Path})")
            .Distinct()
            .Take(15)
            .ToList();
        // An object whose "type" matched no branch at all has no errors left: say so.
        foreach (var instance in deadBranches.Select(b => b.Instance).Distinct())
        {
            var live = valid.Where(v => v.Instance == instance && !deadBranches.Any(b => Under(v.Instance, b.Instance) && Under(v.Path, b.Path)));
            if (!live.Any() && !kept.Any(k => Under(k.Instance, instance)))
            {
                relevant.Insert(0, $"{instance}: type {Resolve(card, instance + "/type")?.ToJsonString() ?? "(none)"} is not allowed here");
            }
        }
        if (relevant.Count == 0)
        {
            relevant = failed.Select(f => $"{f.Instance}: {f.Message}   (schema path {f.Path})").Distinct().Take(40).ToList();
        }
        return relevant.Count == 0 ? "invalid (no detail reported)" : string.Join(Environment.NewLine, relevant);
    }

    private static JsonNode? Resolve(JsonNode? node, string pointer)
    {
        foreach (var raw in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var part = raw.Replace("~1", "/").Replace("~0", "~");
            node = node switch
            {
                JsonObject o => o[part],
                JsonArray a when int.TryParse(part, out var i) && i < a.Count => a[i],
                _ => null,
            };
        }
        return node;
    }

    private static (JsonSchema, JsonObject) Load()
    {
        var path = Tools.AdaptiveCardSchemaPath;
        Tools.RequireFile(path, "The Adaptive Card 1.5 JSON Schema (tests/schemas)");
        // Plus Teams' chart elements (TeamsChartSchema): the only extension cards may use.
        var extended = TeamsChartSchema.Extend(JsonNode.Parse(File.ReadAllText(path))!.AsObject());
        var text = extended.ToJsonString();
        var schema = JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        var definitions = JsonNode.Parse(text)!["definitions"]!.AsObject();
        return (schema, definitions);
    }
}
