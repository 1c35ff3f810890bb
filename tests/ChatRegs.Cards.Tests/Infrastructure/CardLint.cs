using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatRegs.Cards.Tests.Infrastructure;

/// <summary>
/// Checks the official renderer does not make: it ignores property names it does not know (a
/// typo like "wrapp" silently does nothing), accepts an Action.Execute without a verb (the bot
/// then cannot tell what was pressed) and accepts any card version. Walks the card guided by
/// the Adaptive Card 1.5 schema's definitions: every object is matched to its definition (by
/// "type", or by the property it sits in) and its property names are checked against it.
/// </summary>
public static class CardLint
{
    private static readonly HashSet<string> TeamsVersions = ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5"];

    public static IReadOnlyList<string> Check(JsonNode card)
    {
        var problems = new List<string>();
        if (card is not JsonObject root)
        {
            problems.Add("$: the card is not a JSON object");
            return problems;
        }
        var version = root["version"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
        if (version == null || !TeamsVersions.Contains(version))
        {
            problems.Add($"$.version: \"{version}\" — Teams renders Adaptive Cards up to version 1.5");
        }
        CheckObject(root, "AdaptiveCard", "$", problems);
        return problems;
    }

    private static JsonObject Definition(string name) => AdaptiveCardSchema.Definitions[name]!.AsObject();

    private static void CheckObject(JsonObject obj, string definition, string path, List<string> problems)
    {
        var properties = Properties(definition);
        foreach (var (key, value) in obj)
        {
            if (!properties.TryGetValue(key, out var propertySchema))
            {
                problems.Add($"{path}: unknown property \"{key}\" on {definition}");
                continue;
            }
            CheckValue(value, propertySchema, $"{path}.{key}", problems);
        }
        if (definition == "Action.Execute"
            && !(obj["verb"] is JsonValue verb && verb.GetValueKind() == JsonValueKind.String && verb.GetValue<string>().Trim().Length > 0))
        {
            problems.Add($"{path}: Action.Execute without a verb");
        }
    }

    private static void CheckValue(JsonNode? value, JsonNode propertySchema, string path, List<string> problems)
    {
        switch (value)
        {
            case JsonArray array:
            {
                var candidates = Candidates(propertySchema, arrayItems: true);
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonObject item && candidates.Count > 0)
                    {
                        CheckTyped(item, candidates, $"{path}[{i}]", problems);
                    }
                }
                break;
            }
            case JsonObject obj:
            {
                var candidates = Candidates(propertySchema, arrayItems: false);
                if (candidates.Count > 0)
                {
                    CheckTyped(obj, candidates, path, problems);
                }
                break;
            }
        }
    }

    private static void CheckTyped(JsonObject obj, List<string> candidates, string path, List<string> problems)
    {
        var type = obj["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null;
        string? definition;
        if (type != null)
        {
            definition = candidates.FirstOrDefault(c => TypeNames(c).Contains(type));
            if (definition == null)
            {
                problems.Add($"{path}: type \"{type}\" is not allowed here (expected {string.Join(", ", candidates)})");
                return;
            }
        }
        else if (candidates.Count == 1)
        {
            definition = candidates[0];
        }
        else
        {
            problems.Add($"{path}: object without \"type\" where one of {string.Join(", ", candidates)} is expected");
            return;
        }
        CheckObject(obj, definition, path, problems);
    }

    /// <summary>All properties of a definition, including those of the definitions it extends.</summary>
    private static Dictionary<string, JsonNode> Properties(string definition)
    {
        var result = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        var pending = new Stack<string>([definition]);
        var seen = new HashSet<string>();
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (!seen.Add(name))
            {
                continue;
            }
            var def = Definition(name);
            if (def["properties"] is JsonObject props)
            {
                foreach (var (key, schema) in props)
                {
                    result.TryAdd(key, schema!);
                }
            }
            foreach (var reference in (def["allOf"] as JsonArray ?? []).Select(a => RefName(a)).OfType<string>())
            {
                pending.Push(reference);
            }
        }
        return result;
    }

    private static HashSet<string> TypeNames(string definition)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { definition };
        if (Definition(definition)["properties"]?["type"]?["enum"] is JsonArray values)
        {
            foreach (var v in values)
            {
                names.Add(v!.GetValue<string>());
            }
        }
        return names;
    }

    /// <summary>The object definitions a property's value (or its array items) may be.</summary>
    private static List<string> Candidates(JsonNode schema, bool arrayItems)
    {
        var result = new List<string>();
        Collect(schema, arrayItems, new HashSet<string>(), result);
        return result;
    }

    private static void Collect(JsonNode? schema, bool arrayItems, HashSet<string> visited, List<string> result)
    {
        if (schema is not JsonObject s)
        {
            return;
        }
        if (arrayItems && s["items"] is { } items)
        {
            Collect(items, false, visited, result);
        }
        if (RefName(s) is { } name && visited.Add(name))
        {
            var def = Definition(name);
            if (!arrayItems && def["properties"] is JsonObject)
            {
                result.Add(name);
            }
            else
            {
                Collect(def, arrayItems, visited, result);
            }
        }
        foreach (var keyword in new[] { "anyOf", "oneOf", "allOf" })
        {
            if (s[keyword] is JsonArray branches)
            {
                foreach (var branch in branches)
                {
                    Collect(branch, arrayItems, visited, result);
                }
            }
        }
    }

    private static string? RefName(JsonNode? schema) =>
        schema?["$ref"] is JsonValue r && r.GetValue<string>() is var text && text.StartsWith("#/definitions/", StringComparison.Ordinal)
            ? text["#/definitions/".Length..]
            : null;
}
