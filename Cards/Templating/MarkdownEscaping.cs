namespace ChatRegs.Cards.Templating;

/// <summary>
/// Tells <see cref="TemplateBinder.Expand(System.Text.Json.Nodes.JsonNode, System.Text.Json.Nodes.JsonNode?, MarkdownEscaping?)"/>
/// to show the data as text where a card renders Markdown: every string the data puts into a
/// TextBlock's <c>text</c>, a fact's <c>title</c>/<c>value</c>, a toggle's <c>title</c> or the
/// <c>title</c> of a radio button or check box (an expanded ChoiceSet's choice) goes through
/// <see cref="MarkdownText.Escape"/>, except values read from the root properties named here
/// (the bot's own string table). Inputs' <c>value</c>, action data, drop-down options and URLs are never
/// touched: they are not Markdown, and an edited form must come back as it was typed.
/// </summary>
public sealed class MarkdownEscaping(IEnumerable<string> trustedRootProperties)
{
    /// <summary>What the bot binds: <c>$root.strings</c> (the string table) and <c>$root.locale</c> are the bot's own text.</summary>
    public static MarkdownEscaping ForBot { get; } = new(["strings", "locale"]);

    public IReadOnlySet<string> TrustedRootProperties { get; } = new HashSet<string>(trustedRootProperties, StringComparer.Ordinal);
}
