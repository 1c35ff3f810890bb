using System.Text.Json.Nodes;
using ChatRegs.Cards.Templating;
using ChatRegs.Cards.Tests.Infrastructure;

namespace ChatRegs.Cards.Tests;

/// <summary>
/// Runs the official Adaptive Card Templating library (npm adaptivecards-templating) once over
/// every card (sample data, both languages) and every edge case, in one node process.
/// </summary>
public sealed class OfficialTemplatingFixture
{
    public OfficialTemplatingFixture()
    {
        Tools.RequireNodePackages("adaptivecards-templating", "adaptive-expressions");

        var cases = new JsonArray();
        foreach (var name in CardTemplates.Names)
        {
            foreach (var locale in CardCases.Locales)
            {
                cases.Add(new JsonObject
                {
                    ["id"] = CardId(name, locale),
                    ["template"] = CardTemplates.Load(name),
                    ["data"] = CardCases.Data(name, locale),
                });
            }
        }
        foreach (var edge in EdgeCases.All)
        {
            cases.Add(new JsonObject
            {
                ["id"] = EdgeId(edge.Name),
                ["template"] = edge.Template.DeepClone(),
                ["data"] = edge.Data?.DeepClone(),
            });
        }

        foreach (var (id, template) in GeneratedExpressions.Create(GeneratedCount))
        {
            cases.Add(new JsonObject { ["id"] = id, ["template"] = template, ["data"] = GeneratedExpressions.Data });
        }

        var dir = Tools.NewWorkDirectory("templating");
        try
        {
            var input = Path.Combine(dir, "cases.json");
            var output = Path.Combine(dir, "results.json");
            File.WriteAllText(input, cases.ToJsonString());
            Tools.RunNode(Tools.Script("expand-official.js"), TimeSpan.FromMinutes(2), input, output);
            var document = JsonNode.Parse(File.ReadAllText(output))!.AsObject();
            LibraryVersion = document["version"]!.GetValue<string>();
            foreach (var result in document["results"]!.AsArray())
            {
                var id = result!["id"]!.GetValue<string>();
                Results[id] = result["ok"]!.GetValue<bool>()
                    ? new OfficialResult(true, result["result"]?.DeepClone(), null)
                    : new OfficialResult(false, null, result["error"]!.GetValue<string>());
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public const int GeneratedCount = 2000;

    public string LibraryVersion { get; }

    public Dictionary<string, OfficialResult> Results { get; } = new(StringComparer.Ordinal);

    public static string CardId(string name, string locale) => "card:" + CardCases.Id(name, locale);

    public static string EdgeId(string name) => "edge:" + name;

    public sealed record OfficialResult(bool Ok, JsonNode? Result, string? Error);
}

[Trait("Category", "Slow")] // starts Chromium, Node or its own Azurite: skipped by scripts/test.sh --fast (docs/testing.md)
public sealed class OfficialEquivalenceTests(OfficialTemplatingFixture official) : IClassFixture<OfficialTemplatingFixture>
{
    public static TheoryData<string, string> Cards => CardCases.All;

    public static TheoryData<string> EdgeCaseNames => new(EdgeCases.All.Select(c => c.Name));

    [Fact]
    public void The_reference_is_adaptivecards_templating_2_3_1() =>
        Assert.Equal("2.3.1", official.LibraryVersion);

    [Fact]
    public void There_is_at_least_one_card_template() =>
        Assert.Contains("Help", CardTemplates.Names);

    [Theory]
    [MemberData(nameof(Cards))]
    public void Card_expands_exactly_like_the_official_library(string name, string locale)
    {
        var expected = official.Results[OfficialTemplatingFixture.CardId(name, locale)];
        Assert.True(expected.Ok, $"The official library could not expand {name} ({locale}): {expected.Error}");
        var ours = CardCases.Expand(name, locale);
        AssertSameJson(expected.Result, ours, $"{name} ({locale})");
    }

    [Theory]
    [MemberData(nameof(EdgeCaseNames))]
    public void Edge_case_expands_exactly_like_the_official_library(string caseName)
    {
        var edge = EdgeCases.Get(caseName);
        var expected = official.Results[OfficialTemplatingFixture.EdgeId(caseName)];
        if (edge.Throws)
        {
            Assert.False(expected.Ok, $"The case is marked \"throws\" but the official library returned {expected.Result?.ToJsonString()}.");
            var ex = Assert.Throws<TemplateException>(() => TemplateBinder.Expand(edge.Template, edge.Data));
            Assert.False(string.IsNullOrEmpty(ex.Message));
            return;
        }
        Assert.True(expected.Ok, $"The official library threw: {expected.Error}");
        var ours = TemplateBinder.Expand(edge.Template, edge.Data);
        AssertSameJson(expected.Result, ours, caseName);
    }

    [Fact]
    public void Generated_expressions_expand_exactly_like_the_official_library()
    {
        var mismatches = new List<string>();
        int same = 0, bothRefuse = 0, weRefuseUnsupported = 0;
        foreach (var (id, template) in GeneratedExpressions.Create(OfficialTemplatingFixture.GeneratedCount))
        {
            var expected = official.Results[id];
            JsonNode? ours = null;
            TemplateException? refused = null;
            try
            {
                ours = TemplateBinder.Expand(template, GeneratedExpressions.Data);
            }
            catch (TemplateException ex)
            {
                refused = ex;
            }

            if (!expected.Ok && refused != null)
            {
                bothRefuse++;
            }
            else if (refused != null && refused.Message.Contains("not supported", StringComparison.Ordinal))
            {
                weRefuseUnsupported++; // a deliberate, loud refusal (e.g. formatNumber with 10^6 decimals)
            }
            else if (refused != null)
            {
                mismatches.Add($"{template.ToJsonString()}: official {expected.Result?.ToJsonString()}, ours threw {refused.Message}");
            }
            else if (!expected.Ok)
            {
                mismatches.Add($"{template.ToJsonString()}: official threw {expected.Error}, ours {ours?.ToJsonString()}");
            }
            else if (JsonNode.DeepEquals(expected.Result, ours))
            {
                same++;
            }
            else
            {
                mismatches.Add($"{template.ToJsonString()}: official {expected.Result?.ToJsonString()}, ours {ours?.ToJsonString()}");
            }
        }
        Assert.True(mismatches.Count == 0,
            $"{mismatches.Count} of {OfficialTemplatingFixture.GeneratedCount} generated cases differ:{Environment.NewLine}" +
            string.Join(Environment.NewLine, mismatches.Take(20)));
        // the set must keep exercising both outcomes
        Assert.True(same > OfficialTemplatingFixture.GeneratedCount / 2, $"only {same} cases expanded");
        Assert.True(bothRefuse > 100, $"only {bothRefuse} cases refused by both");
        Assert.True(weRefuseUnsupported < 20, $"{weRefuseUnsupported} cases refused as unsupported");
    }

    private static void AssertSameJson(JsonNode? expected, JsonNode? actual, string what)
    {
        if (!JsonNode.DeepEquals(expected, actual))
        {
            Assert.Fail($"{what}: our binder differs from the official library.\n" +
                $"official: {expected?.ToJsonString() ?? "null"}\n" +
                $"ours:     {actual?.ToJsonString() ?? "null"}");
        }
    }
}
