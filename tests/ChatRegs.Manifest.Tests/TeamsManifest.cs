using System.Text.Json.Nodes;
using ChatRegs.TestSupport;
using Json.Schema;

namespace ChatRegs.Manifest.Tests;

/// <summary>The repository's manifest/ folder and the official Teams schemas (copied into tests/schemas).</summary>
public static class TeamsManifest
{
    public const string TestAppId = "6f0c4b1e-7a1d-4c55-9a3e-2f1d9f6b0c11";
    public const string TestDomain = "chatregs.example.com";

    public static string Folder => Path.Combine(Azurite.RepoRoot(), "manifest");

    public static string SchemaPath(string file)
    {
        var path = Path.Combine(Azurite.RepoRoot(), "tests", "schemas", file);
        Assert.True(File.Exists(path), $"{path} is missing: the official schemas are kept in tests/schemas.");
        return path;
    }

    /// <summary>manifest.json with the placeholders filled, as manifest/build.sh fills them.</summary>
    public static string FilledText(string file = "manifest.json") =>
        File.ReadAllText(Path.Combine(Folder, file))
            .Replace("{{MICROSOFT_APP_ID}}", TestAppId)
            .Replace("{{BOT_DOMAIN}}", TestDomain);

    public static JsonObject Filled(string file = "manifest.json") => JsonNode.Parse(FilledText(file))!.AsObject();

    private static readonly Lazy<bool> Draft04Alias = new(() =>
    {
        // The Teams schemas declare draft-04 but use draft-06/07 keywords (const, if/then):
        // evaluate them as draft-07, which honours those (a strict draft-04 validator skips them).
        DialectRegistry.Global.Register(Dialect.Draft07.With([], new Uri("http://json-schema.org/draft-04/schema#")));
        return true;
    });

    public static JsonSchema LoadSchema(string file)
    {
        _ = Draft04Alias.Value;
        return JsonSchema.FromText(File.ReadAllText(SchemaPath(file)), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    /// <summary>Null when valid; else the failures, for the assertion message.</summary>
    public static string? Validate(JsonSchema schema, JsonNode instance)
    {
        var element = System.Text.Json.JsonDocument.Parse(instance.ToJsonString()).RootElement;
        if (schema.Evaluate(element, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid)
        {
            return null;
        }
        var list = schema.Evaluate(element, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return string.Join("\n", (list.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))
            .Take(40));
    }
}
