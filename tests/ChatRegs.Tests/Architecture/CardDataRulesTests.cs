using System.Text.RegularExpressions;
using ChatRegs.TestSupport;

namespace ChatRegs.Tests.Architecture;

/// <summary>
/// Card data is read in one place: a card's fields through Bot/Routing/CardFields (or a
/// CardAction's context), never by looking at a token's type inline, where each copy decided
/// differently what a number, a boolean, an array or a megabyte in a field meant. JSON that is
/// not card data is read where it lives (Storage/, DevChannel/, Hosting/), and Routing/ is
/// where CardFields is. Read from the source tree, so a new file is covered without being listed.
/// </summary>
public sealed partial class CardDataRulesTests
{
    private static readonly string Bot = Path.Combine(Azurite.RepoRoot(), "Bot");

    private static readonly string[] Allowed = ["Routing", "Storage", "DevChannel", "Hosting"];

    /// <summary>Where a file's code (comments left out: a comment may name anything) reads a token's type as a string.</summary>
    public static IEnumerable<int> Offences(string source)
    {
        // Comments become as many line breaks as they held, so line numbers stay those of the file.
        var code = Comments().Replace(source, m => new string('\n', m.Value.Count(c => c == '\n')));
        return StringTypeRead().Matches(code).Select(m => code[..m.Index].Count(c => c == '\n') + 1).ToList();
    }

    [Fact]
    public void No_file_outside_routing_reads_card_fields_by_token_type()
    {
        var offences = new List<string>();
        var files = Directory.EnumerateFiles(Bot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .ToList();
        Assert.Contains(files, f => f.EndsWith(Path.Combine("Leave", "LeaveActions.cs"), StringComparison.Ordinal));
        foreach (var file in files)
        {
            var folder = Path.GetRelativePath(Bot, file).Split(Path.DirectorySeparatorChar)[0];
            if (Allowed.Contains(folder, StringComparer.Ordinal))
            {
                continue;
            }
            offences.AddRange(Offences(File.ReadAllText(file)).Select(line => $"{Path.GetRelativePath(Azurite.RepoRoot(), file)}:{line}"));
        }
        Assert.True(offences.Count == 0,
            "read card data through Bot/Routing/CardFields (add a typed reader there if one is missing), not by JTokenType.String:\n" + string.Join("\n", offences));
    }

    [Fact]
    public void The_rule_sees_an_inline_read_and_ignores_one_in_a_comment()
    {
        const string code = """
            // data["id"]?.Type == JTokenType.String is how it was done before
            /* and JTokenType.String here */
            var id = data["id"]?.Type == JTokenType.String ? (string)data["id"]! : "";
            var other = data["x"] is JValue { Type: Newtonsoft.Json.Linq.JTokenType.String } v ? (string)v! : "";
            """;
        Assert.Equal([3, 4], Offences(code));
    }

    [GeneratedRegex(@"\bJTokenType\s*\.\s*String\b")]
    private static partial Regex StringTypeRead();

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();
}
