using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ChatRegs.TestSupport;

/// <summary>
/// What a Markdown file the bot exports looks like to a reader: rendered with markdown-it (npm, in
/// the repository's node_modules; CommonMark plus tables and strikethrough), with bare URLs
/// auto-linked as many viewers do. Tests look at the HTML for links, images and formatting that
/// came from someone's text.
/// </summary>
public static partial class MarkdownHtml
{
    public static string Render(string markdown)
    {
        var root = Azurite.RepoRoot();
        var psi = new ProcessStartInfo("node")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        psi.ArgumentList.Add("-e");
        psi.ArgumentList.Add("""
            const md = require(require.resolve('markdown-it', { paths: [process.cwd()] }))({ linkify: true });
            let s = ''; process.stdin.setEncoding('utf8');
            process.stdin.on('data', (d) => s += d).on('end', () => process.stdout.write(md.render(s)));
            """);
        psi.StandardOutputEncoding = System.Text.Encoding.UTF8;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start node.");
        process.StandardInput.Write(markdown);
        process.StandardInput.Close();
        var html = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("markdown-it did not finish.");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("markdown-it failed: " + errors.Result);
        }
        return html.Result;
    }

    /// <summary>The names of the elements in <paramref name="html"/> (lower case, each once).</summary>
    public static IReadOnlySet<string> Tags(string html) =>
        Tag().Matches(html).Select(m => m.Groups[1].Value.ToLowerInvariant()).ToHashSet();

    /// <summary>The text of the rendered document (tags removed, entities decoded).</summary>
    public static string Text(string html) => System.Net.WebUtility.HtmlDecode(Tag().Replace(html, ""));

    [GeneratedRegex(@"</?([A-Za-z][A-Za-z0-9]*)\b[^>]*>")]
    private static partial Regex Tag();
}
