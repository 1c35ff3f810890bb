using System.Text.Json.Nodes;

namespace ChatRegs.Cards.Tests;

public sealed class CardTemplatesTests
{
    [Fact]
    public void Names_lists_the_templates_and_not_their_samples()
    {
        Assert.Contains("Help", CardTemplates.Names);
        Assert.DoesNotContain(CardTemplates.Names, n => n.EndsWith(".data", StringComparison.Ordinal));
        Assert.Equal(CardTemplates.Names.Order(StringComparer.Ordinal), CardTemplates.Names);
        Assert.Equal(CardTemplates.Names.Count, CardTemplates.Names.Distinct().Count());
    }

    [Fact]
    public void Names_matches_the_json_files_in_Cards()
    {
        var folder = Path.Combine(Infrastructure.Tools.RepoRoot, "Cards");
        var files = Directory.GetFiles(folder, "*.json")
            .Select(Path.GetFileName)
            .Where(f => !f!.EndsWith(".data.json", StringComparison.Ordinal))
            .Select(f => f![..^".json".Length])
            .Order(StringComparer.Ordinal);
        Assert.Equal(files, CardTemplates.Names);
    }

    [Fact]
    public void Every_template_is_an_Adaptive_Card_with_a_sample_object()
    {
        foreach (var name in CardTemplates.Names)
        {
            var template = CardTemplates.Load(name);
            Assert.Equal("AdaptiveCard", template["type"]?.GetValue<string>());
            Assert.True(CardTemplates.LoadSample(name) is JsonObject, $"Cards/{name}.data.json is missing or not an object.");
        }
    }

    [Fact]
    public void Load_returns_a_fresh_copy_each_time()
    {
        var first = CardTemplates.Load("Help");
        first["type"] = "Changed";
        first.AsObject().Remove("body");
        var second = CardTemplates.Load("Help");
        Assert.Equal("AdaptiveCard", second["type"]!.GetValue<string>());
        Assert.NotNull(second["body"]);
        Assert.NotSame(CardTemplates.LoadSample("Help"), CardTemplates.LoadSample("Help"));
    }

    [Theory]
    [InlineData("NoSuchCard")]
    [InlineData("help")]
    [InlineData("Help.data")]
    [InlineData("")]
    public void An_unknown_name_is_a_clear_error(string name)
    {
        var ex = Assert.Throws<KeyNotFoundException>(() => CardTemplates.Load(name));
        Assert.Contains("Help", ex.Message);
        Assert.Throws<KeyNotFoundException>(() => CardTemplates.LoadSample(name));
    }
}
