using System.Text.RegularExpressions;

namespace ChatRegs.Cards;

/// <summary>
/// Text people type, made safe to put where Markdown is rendered: a card's TextBlock or
/// FactSet (Teams renders <c>**bold**</c>, <c>_italic_</c>, <c>[links](url)</c>, lists) and the
/// Markdown files the bot exports. The one escaping helper of the bot: the template binder uses
/// it for every data value it puts into such a property (see
/// <see cref="Templating.MarkdownEscaping"/>), the Markdown exports for every value that came
/// from a person.
/// <para>
/// Everything is done with CommonMark backslash escapes, which a Markdown renderer removes, so
/// the reader sees exactly what was typed: the inline markers (<c>\ ` * _ [ ] &lt; &gt; ! | ~ #
/// &amp;</c>), the markers that only count at the start of a line (<c>- + =</c> and
/// <c>1.</c> / <c>1)</c>), what hosts auto-link (<c>://</c>, <c>www.</c>, <c>@</c>), and the
/// <c>{{DATE(...)}}</c> functions of Adaptive Cards.
/// </para>
/// </summary>
public static partial class MarkdownText
{
    /// <summary>The text with every Markdown construct escaped.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return text;
        }
        var escaped = Inline().Replace(text, @"\$1");
        escaped = SchemeSeparator().Replace(escaped, @"\:");
        escaped = WwwDot().Replace(escaped, @"$1\.");
        escaped = EmailAt().Replace(escaped, @"\@");
        escaped = DoubleBrace().Replace(escaped, @"\{");
        escaped = MarkerAtLineStart().Replace(escaped, @"$1\$2");
        return NumberAtLineStart().Replace(escaped, @"$1$2\$3");
    }

    /// <summary>
    /// User text that may hold several lines, for a Markdown file: each line escaped and kept
    /// as a line (a hard break), so nothing the person typed becomes a list, a heading or a new
    /// paragraph of the document.
    /// </summary>
    public static string EscapeLines(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n')
            .Select(line => Escape(line.Trim()));
        return string.Join("  \n", lines);
    }

    /// <summary>User text on one line (line breaks become spaces), escaped: for headings, list items and table-like lines.</summary>
    public static string EscapeOneLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Escape(string.Join(" ", text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
    }

    // Inline markers: emphasis, code, links and images, HTML and entities, tables, strikethrough,
    // headings (also mid-line: harmless there, and one rule is easier to trust than two).
    [GeneratedRegex(@"([\\`*_\[\]<>!|~#&])")]
    private static partial Regex Inline();

    // "http://", "mailto://" ...: a backslash before the colon stops auto-linking.
    [GeneratedRegex(@"(?<=[A-Za-z0-9]):(?=//)")]
    private static partial Regex SchemeSeparator();

    // "www.example.com" is auto-linked by some hosts.
    [GeneratedRegex(@"(?i)(\bwww)\.")]
    private static partial Regex WwwDot();

    // So is "name@example.com".
    [GeneratedRegex(@"(?<=\S)@(?=\S)")]
    private static partial Regex EmailAt();

    // "{{DATE(...)}}" / "{{TIME(...)}}": Adaptive Cards format dates in TextBlocks before Markdown.
    [GeneratedRegex(@"(?<=\{)\{")]
    private static partial Regex DoubleBrace();

    // A line that begins (after spaces) with a list, quote-less rule or setext marker. Lines end
    // at \n or a lone \r, as in CommonMark.
    [GeneratedRegex(@"(?<=\A|[\n\r])([ \t]*)([-+=])")]
    private static partial Regex MarkerAtLineStart();

    // A line that begins with "1." or "1)": an ordered list.
    [GeneratedRegex(@"(?<=\A|[\n\r])([ \t]*)(\d+)([.)])")]
    private static partial Regex NumberAtLineStart();
}
