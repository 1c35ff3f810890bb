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
        escaped = NumberAtLineStart().Replace(escaped, @"$1$2\$3");
        return IsolateDirection(escaped);
    }

    /// <summary>
    /// Text with a direction embedding, override or isolate mark (U+202A–U+202E, U+2066–U+2069)
    /// wrapped in an isolate (U+2068 … U+2069), its own isolate marks removed so none closes the
    /// wrapper early: whatever the marks do stays inside the value, and the rest of the line
    /// (the bot's words around it) reads in its own order. Other text is left as it is. Used by
    /// <see cref="Escape"/> for cards and files, and for every argument of a localized string
    /// (plain text messages quote names and titles through those).
    /// </summary>
    public static string IsolateDirection(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(IsDirectionMark))
        {
            return text;
        }
        // Each line on its own: a line break ends every embedding and isolate anyway.
        return string.Join("\n", text.Split('\n').Select(line =>
        {
            if (!line.Any(IsDirectionMark))
            {
                return line;
            }
            var end = line.EndsWith('\r') ? "\r" : "";
            var body = string.Concat(line[..(line.Length - end.Length)].Where(c => c is not (>= '\u2066' and <= '\u2069')));
            return "\u2068" + body + "\u2069" + end;
        }));
    }

    private static bool IsDirectionMark(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

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
