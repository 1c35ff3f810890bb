using System.Text;
using System.Text.RegularExpressions;
using ChatRegs.TestSupport;

namespace ChatRegs.Tests.Repo;

/// <summary>
/// The repository's documentation as a newcomer reads it: the README stays short, every relative
/// link in a Markdown file leads to a file or folder of the repository (a #fragment to a heading
/// of the target, as GitHub names headings), and nothing points at a design document that is not
/// in the repository.
/// </summary>
public sealed class RepoDocsTests
{
    private static readonly string Root = Azurite.RepoRoot();

    [Fact]
    public void The_front_door_and_the_docs_folder_are_there()
    {
        Assert.True(File.Exists(Path.Combine(Root, "README.md")));
        Assert.True(File.Exists(Path.Combine(Root, "manifest", "README.md")));
        Assert.Contains(RepoFiles.Markdown(Root), f => f.StartsWith("docs" + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_relative_link_in_the_docs_leads_to_a_file_of_the_repository()
    {
        var files = RepoFiles.Markdown(Root);
        Assert.Contains("README.md", files);
        var problems = files.SelectMany(f => MarkdownLinks.Problems(Root, f)).ToList();
        Assert.True(problems.Count == 0, "Broken links:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void The_README_is_short()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "README.md")).Length;
        Assert.True(lines <= 300, $"README.md has {lines} lines; keep it to what a newcomer needs first (at most 300) and move the rest to docs/.");
    }

    [Fact]
    public void No_file_mentions_a_design_document_that_is_not_in_the_repository()
    {
        var problems = DesignMentions.Problems(Root);
        Assert.True(problems.Count == 0, "Mentions of a design document that is not in the repository:\n" + string.Join("\n", problems));
    }

    // ---- the checkers themselves, on documents made up for the purpose ----

    [Fact]
    public void The_link_checker_reports_missing_files_missing_headings_and_links_out_of_the_repository()
    {
        using var repo = new TempRepo();
        repo.Write("README.md", "# Title\n\n## The two commands\n\n## Features\n");
        repo.Write("docs/a.md", """
            # Page A

            [ok](../README.md) [ok anchor](../README.md#the-two-commands) [self](#page-a) [dir](../docs)
            [missing file](missing.md) [missing heading](../README.md#nowhere) [outside](../../etc/passwd)
            [external](https://example.com/x.md) [mail](mailto:a@b.c) ![image missing](img.png)
            `[in code](nowhere.md)`

            ```
            [in a code block](nowhere-either.md)
            ```

            [ref]: gone.md
            <a href="also-gone.md">html</a>
            """);

        var problems = MarkdownLinks.Problems(repo.Root, Path.Combine("docs", "a.md"));

        Assert.Equal(6, problems.Count);
        Assert.Contains(problems, p => p.Contains("missing.md"));
        Assert.Contains(problems, p => p.Contains("#nowhere"));
        Assert.Contains(problems, p => p.Contains("../../etc/passwd"));
        Assert.Contains(problems, p => p.Contains("img.png"));
        Assert.Contains(problems, p => p.Contains("gone.md") && !p.Contains("also"));
        Assert.Contains(problems, p => p.Contains("also-gone.md"));
        Assert.DoesNotContain(problems, p => p.Contains("nowhere.md") || p.Contains("nowhere-either.md") || p.Contains("example.com"));
    }

    [Theory]
    [InlineData("The two commands", "the-two-commands")]
    [InlineData("Agenda and minutes (议程 / 会议纪要 / 督办)", "agenda-and-minutes-议程--会议纪要--督办")]
    [InlineData("Slow tests (`Category=Slow`)", "slow-tests-categoryslow")]
    [InlineData("Reliability (what the normal test run breaks on purpose)", "reliability-what-the-normal-test-run-breaks-on-purpose")]
    [InlineData("[Link](x.md) and **bold** and snake_case", "link-and-bold-and-snake_case")]
    public void Headings_are_named_as_GitHub_names_them(string heading, string slug) =>
        Assert.Equal(slug, MarkdownLinks.Slug(heading));

    [Fact]
    public void Repeated_headings_get_numbered_anchors()
    {
        Assert.Equal(new[] { "storage", "storage-1", "storage-2" }, MarkdownLinks.Anchors("## Storage\n## Storage\n### Storage\n"));
    }

    [Fact]
    public void A_mention_of_a_missing_design_document_is_reported_with_its_file_and_line()
    {
        using var repo = new TempRepo();
        var name = "DESIGN" + ".md";
        repo.Write("Bot/Thing.cs", $"// ok\n/// <summary>Why (see {name}).</summary>\n");
        repo.Write("node_modules/pkg/readme.md", $"see {name}");
        var problems = DesignMentions.Problems(repo.Root);
        Assert.Equal(new[] { $"{Path.Combine("Bot", "Thing.cs")}:2" }, problems);

        repo.Write("docs/" + name.ToLowerInvariant(), "# Design");
        Assert.Empty(DesignMentions.Problems(repo.Root));
    }

    private sealed class TempRepo : IDisposable
    {
        public string Root { get; } = Directory.CreateTempSubdirectory("chatregs-docs-").FullName;

        public void Write(string path, string text)
        {
            var full = Path.Combine(Root, path.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        public void Dispose() => Directory.Delete(Root, recursive: true);
    }
}

/// <summary>The repository's own files: what git would hold, without tools' and builds' output.</summary>
internal static class RepoFiles
{
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal)
    {
        ".git", "node_modules", "bin", "obj", "artifacts", "TestResults", ".azurite", ".vs", ".idea",
    };

    /// <summary>Every file under <paramref name="root"/>, relative to it, outside build output and installed tools.</summary>
    public static IEnumerable<string> All(string root)
    {
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            foreach (var sub in Directory.EnumerateDirectories(dir))
            {
                var name = Path.GetFileName(sub);
                var relative = Path.GetRelativePath(root, sub);
                if (!SkippedFolders.Contains(name) && relative != Path.Combine("manifest", "build") && !name.StartsWith("__azurite", StringComparison.Ordinal))
                {
                    pending.Push(sub);
                }
            }
            foreach (var file in Directory.EnumerateFiles(dir))
            {
                yield return Path.GetRelativePath(root, file);
            }
        }
    }

    public static List<string> Markdown(string root) =>
        All(root).Where(f => f.EndsWith(".md", StringComparison.OrdinalIgnoreCase)).OrderBy(f => f, StringComparer.Ordinal).ToList();
}

/// <summary>Relative links in Markdown (inline, images, reference definitions, HTML href/src) and GitHub's heading anchors.</summary>
internal static partial class MarkdownLinks
{
    public static List<string> Problems(string root, string relativeFile)
    {
        var file = Path.Combine(root, relativeFile);
        var problems = new List<string>();
        var lines = WithoutCode(File.ReadAllText(file)).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            foreach (var target in Targets(lines[i]))
            {
                var problem = Check(root, file, target);
                if (problem != null)
                {
                    problems.Add($"{relativeFile}:{i + 1}: ({target}) {problem}");
                }
            }
        }
        return problems;
    }

    private static IEnumerable<string> Targets(string line)
    {
        foreach (Match m in InlineLink().Matches(line))
        {
            yield return m.Groups["target"].Value;
        }
        foreach (Match m in ReferenceDefinition().Matches(line))
        {
            yield return m.Groups["target"].Value;
        }
        foreach (Match m in HtmlLink().Matches(line))
        {
            yield return m.Groups["target"].Value;
        }
    }

    private static string? Check(string root, string file, string target)
    {
        if (Scheme().IsMatch(target) || target.StartsWith("//", StringComparison.Ordinal))
        {
            return null; // a web address, mail: outside what the repository can prove
        }
        var hash = target.IndexOf('#');
        var pathPart = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
        var fragment = hash < 0 ? null : Uri.UnescapeDataString(target[(hash + 1)..]);
        string resolved;
        if (pathPart.Length == 0)
        {
            resolved = file;
        }
        else
        {
            var basis = pathPart.StartsWith('/') ? root : Path.GetDirectoryName(file)!;
            resolved = Path.GetFullPath(Path.Combine(basis, pathPart.TrimStart('/').Replace('/', Path.DirectorySeparatorChar)));
        }
        var rootFull = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        if (resolved != rootFull && !resolved.StartsWith(rootFull + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return "leads out of the repository";
        }
        if (!File.Exists(resolved) && !Directory.Exists(resolved))
        {
            return "no such file or folder in the repository";
        }
        if (fragment is { Length: > 0 } && File.Exists(resolved) && resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase)
            && !Anchors(File.ReadAllText(resolved)).Contains(fragment))
        {
            return $"no heading #{fragment} in {Path.GetRelativePath(root, resolved)}";
        }
        return null;
    }

    /// <summary>The anchors GitHub gives the headings of a Markdown text, in order (repeats numbered -1, -2…).</summary>
    public static List<string> Anchors(string markdown)
    {
        var anchors = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in WithoutCode(markdown, keepInlineCode: true).Split('\n'))
        {
            var m = AtxHeading().Match(line);
            if (!m.Success)
            {
                continue;
            }
            var slug = Slug(m.Groups["text"].Value);
            if (seen.TryGetValue(slug, out var n))
            {
                seen[slug] = n + 1;
                anchors.Add($"{slug}-{n + 1}");
            }
            else
            {
                seen[slug] = 0;
                anchors.Add(slug);
            }
        }
        return anchors;
    }

    /// <summary>GitHub's anchor for a heading: its text, lower case, punctuation dropped, spaces as hyphens.</summary>
    public static string Slug(string heading)
    {
        var text = InlineLink().Replace(heading, m => m.Groups["text"].Value);
        var sb = new StringBuilder();
        foreach (var c in text.Trim().ToLowerInvariant())
        {
            if (c == ' ')
            {
                sb.Append('-');
            }
            else if (c == '-' || c == '_' || char.IsLetterOrDigit(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark)
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    /// <summary>The text with fenced code blocks blanked (lines kept, for line numbers) and inline code removed.</summary>
    private static string WithoutCode(string markdown, bool keepInlineCode = false)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string? fence = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var m = Fence().Match(lines[i]);
            if (fence == null && m.Success)
            {
                fence = m.Groups["fence"].Value;
                lines[i] = "";
            }
            else if (fence != null)
            {
                if (m.Success && m.Groups["fence"].Value.StartsWith(fence, StringComparison.Ordinal) && m.Groups["info"].Value.Trim().Length == 0)
                {
                    fence = null;
                }
                lines[i] = "";
            }
            else if (!keepInlineCode)
            {
                lines[i] = InlineCode().Replace(lines[i], "");
            }
        }
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"!?\[(?<text>(?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?(?<target>[^()\s<>]+)>?(?:\s+(?:""[^""]*""|'[^']*'))?\s*\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^\s{0,3}\[[^\]]+\]:\s*<?(?<target>[^\s>]+)>?")]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"<(?:a|img)\s[^>]*?(?:href|src)\s*=\s*[""'](?<target>[^""']+)[""']", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlLink();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*:")]
    private static partial Regex Scheme();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(?<text>.*?)(?:\s+#+)?\s*$")]
    private static partial Regex AtxHeading();

    [GeneratedRegex(@"^\s{0,3}(?<fence>`{3,}|~{3,})(?<info>.*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"(`+)(?:(?!\1).)+?\1")]
    private static partial Regex InlineCode();
}

/// <summary>Files that name a design document (by its usual file name) which the repository does not hold.</summary>
internal static partial class DesignMentions
{
    private static readonly HashSet<string> BinaryExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".png", ".jpg", ".jpeg", ".gif", ".ico", ".zip", ".dll", ".exe", ".pdb", ".nupkg", ".woff", ".woff2", ".ttf",
    };

    public static List<string> Problems(string root)
    {
        var files = RepoFiles.All(root).ToList();
        var name = "design" + ".md";
        if (files.Any(f => string.Equals(Path.GetFileName(f), name, StringComparison.OrdinalIgnoreCase)))
        {
            return [];
        }
        var problems = new List<string>();
        foreach (var file in files.Where(f => !BinaryExtensions.Contains(Path.GetExtension(f))).OrderBy(f => f, StringComparer.Ordinal))
        {
            var full = Path.Combine(root, file);
            if (new FileInfo(full).Length > 2_000_000)
            {
                continue;
            }
            var lines = File.ReadAllLines(full);
            for (var i = 0; i < lines.Length; i++)
            {
                if (Mention().IsMatch(lines[i]))
                {
                    problems.Add($"{file}:{i + 1}");
                }
            }
        }
        return problems;
    }

    [GeneratedRegex(@"\bdesign\.md\b", RegexOptions.IgnoreCase)]
    private static partial Regex Mention();
}
