using System.Text.RegularExpressions;
using ChatRegs.TestSupport;

namespace ChatRegs.Tests.Architecture;

/// <summary>
/// A test class that starts Chromium, a Node process or its own Azurite carries
/// <c>[Trait("Category", "Slow")]</c> (on the class, or on the test that does it), so that
/// <c>scripts/test.sh --fast</c> leaves it out and needs neither Chromium nor Node
/// (docs/testing.md). Read from the source tree: every test class is covered without being listed.
/// </summary>
public sealed partial class SlowTraitTests
{
    private static readonly string Tests = Path.Combine(Azurite.RepoRoot(), "tests");

    /// <summary>What starts a browser, Node or a storage emulator of its own, as the tests call it.</summary>
    private static readonly string[] Starters =
    [
        "NodeScript.RunAsync(",          // a browser script (Chromium through playwright-core)
        "CardRenderer.Render(",          // the official renderer in Chromium
        "Tools.RunNode(",                // the official templating (Node)
        "MarkdownHtml.Render(",          // markdown-it (Node)
        "AgentsPlayground.StartAsync(",  // Microsoft 365 Agents Playground (Node)
        "new OwnAzurite(",               // an Azurite to stop and restart
        "new ProcessStartInfo(",         // any other process (the Bicep CLI, manifest/build.sh)
    ];

    private const string Slow = "[Trait(\"Category\", \"Slow\")]";

    [Fact]
    public void Every_test_class_that_starts_a_browser_node_or_its_own_azurite_is_marked_slow()
    {
        var files = new List<(string File, string Text)>();
        foreach (var file in Directory.EnumerateFiles(Tests, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(Tests, file).Replace('\\', '/');
            if (relative.StartsWith("TestSupport/", StringComparison.Ordinal) || relative.Contains("/bin/") || relative.Contains("/obj/")
                || relative.Contains("/Support/") || relative.Contains("/Infrastructure/") || relative.EndsWith("SlowTraitTests.cs", StringComparison.Ordinal))
            {
                continue;
            }
            files.Add((relative, File.ReadAllText(file)));
        }
        var missing = Unmarked(files);
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    [Fact]
    public void The_rule_sees_an_unmarked_browser_test_and_one_through_its_class_fixture()
    {
        const string source = """
            public sealed class RenderFixture
            {
                public RenderFixture() => Batch = CardRenderer.Render(cards);
            }

            [Trait("Category", "Slow")]
            public sealed class MarkedTests : IClassFixture<RenderFixture>
            {
                [Fact]
                public void A() { }
            }

            public sealed class UnmarkedTests : IClassFixture<RenderFixture>
            {
                [Fact]
                public void B() { }
            }

            public sealed class PageTests
            {
                [Fact]
                public async Task C() => await NodeScript.RunAsync(script, timeout, []);
            }

            public sealed class QuickTests
            {
                [Fact]
                public void D() { }
            }
            """;
        var missing = Unmarked([("X/Tests.cs", source)]);
        Assert.Equal(2, missing.Count);
        Assert.Contains("UnmarkedTests", missing[0]);
        Assert.Contains("PageTests", missing[1]);
    }

    /// <summary>The test classes of these files that start one of <see cref="Starters"/> (themselves or through a class fixture) and are not marked slow.</summary>
    private static List<string> Unmarked(IEnumerable<(string File, string Text)> files)
    {
        var classes = files.SelectMany(f => Classes(f.Text).Select(c => (f.File, c.Name, c.Body))).ToList();
        static bool HasTests(string body) => body.Contains("[Fact", StringComparison.Ordinal) || body.Contains("[Theory", StringComparison.Ordinal);

        // a class fixture that starts one of them makes its test classes slow
        var starters = Starters.ToList();
        starters.AddRange(classes.Where(c => !HasTests(c.Body) && Starters.Any(s => c.Body.Contains(s, StringComparison.Ordinal))).Select(c => $"IClassFixture<{c.Name}>"));

        var missing = new List<string>();
        foreach (var (file, name, body) in classes.Where(c => HasTests(c.Body)))
        {
            var starter = starters.FirstOrDefault(s => body.Contains(s, StringComparison.Ordinal));
            if (starter != null && !body.Contains(Slow, StringComparison.Ordinal))
            {
                missing.Add($"{file}: {name} uses {starter.TrimEnd('(')} without {Slow}");
            }
        }
        return missing;
    }

    /// <summary>Each top-level class of a file, with the attributes above it and its body up to the next one.</summary>
    private static IEnumerable<(string Name, string Body)> Classes(string text)
    {
        var declarations = ClassDeclaration().Matches(text).ToList();
        // a class starts at the blank line above its doc comment and attributes
        var starts = declarations.Select(d => Math.Max(text.LastIndexOf("\n\n", d.Index, StringComparison.Ordinal), 0)).ToList();
        for (var i = 0; i < declarations.Count; i++)
        {
            var end = i + 1 < declarations.Count ? Math.Max(starts[i + 1], declarations[i].Index) : text.Length;
            yield return (declarations[i].Groups["name"].Value, text[starts[i]..end]);
        }
    }

    [GeneratedRegex(@"^(?:public|internal)\s+(?:sealed\s+|static\s+|abstract\s+|partial\s+)*class\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex ClassDeclaration();
}
