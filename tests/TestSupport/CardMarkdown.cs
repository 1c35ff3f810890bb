using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace ChatRegs.TestSupport;

/// <summary>
/// What a person sees of a card's text. The bot escapes text people typed wherever a card
/// renders Markdown (a TextBlock's <c>text</c>, a fact's <c>title</c> and <c>value</c>, a
/// toggle's <c>title</c>, the titles of radio buttons and check boxes: the properties the binder
/// escapes, see <c>TemplateBinder.PropertyTarget</c>); Teams' Markdown renderer removes those
/// backslash escapes again. Every card-text reader of the tests goes through
/// <see cref="Visible(JToken)"/> so tests compare with what was typed, never with backslashes.
/// Plain-text properties (input values, placeholders, labels, button titles, drop-down options)
/// are read as they are: Teams shows them as they are.
/// </summary>
public static partial class CardMarkdown
{
    /// <summary>The text as the Markdown renderer shows it: CommonMark backslash escapes (a backslash before ASCII punctuation) removed.</summary>
    public static string Unescape(string text) => BackslashEscape().Replace(text, "$1");

    /// <summary>True when this property of a card element is rendered as Markdown (as the binder decides what to escape).</summary>
    public static bool IsMarkdown(JProperty property)
    {
        if (property.Parent is not JObject owner)
        {
            return false;
        }
        var type = (string?)owner["type"];
        switch (type, property.Name)
        {
            case ("TextBlock", "text"):
            case ("Input.Toggle", "title"):
                return true;
        }
        if (type != null || property.Name is not ("title" or "value"))
        {
            return false;
        }
        // a fact or a choice: an object in the "facts" of a FactSet or the "choices" of a ChoiceSet
        if (owner.Parent is not JArray { Parent: JProperty list } || list.Parent is not JObject element)
        {
            return false;
        }
        return (list.Name, (string?)element["type"]) switch
        {
            ("facts", "FactSet") => true,
            ("choices", "Input.ChoiceSet") => property.Name == "title" && ((string?)element["style"] == "expanded" || element["isMultiSelect"]?.Type == JTokenType.Boolean && (bool)element["isMultiSelect"]!),
            _ => false,
        };
    }

    /// <summary>The value of a string property as a person reads it (unescaped where it is Markdown).</summary>
    public static string Visible(JProperty property)
    {
        var text = property.Value.ToString();
        return IsMarkdown(property) ? Unescape(text) : text;
    }

    /// <summary>The text of a card element's string property as a person reads it, e.g. <c>Visible(textBlock["text"])</c>.</summary>
    public static string? Visible(JToken? value) => value switch
    {
        null => null,
        { Type: JTokenType.String, Parent: JProperty property } => Visible(property),
        _ => value.ToString(),
    };

    /// <summary>True when the property <paramref name="key"/> of this System.Text.Json card element is rendered as Markdown.</summary>
    public static bool IsMarkdown(JsonObject owner, string key)
    {
        var type = (string?)(owner["type"] as JsonValue);
        switch (type, key)
        {
            case ("TextBlock", "text"):
            case ("Input.Toggle", "title"):
                return true;
        }
        if (type != null || key is not ("title" or "value"))
        {
            return false;
        }
        if (owner.Parent is not JsonArray { Parent: JsonObject element } list)
        {
            return false;
        }
        var listName = list.GetPropertyName();
        var elementType = (string?)(element["type"] as JsonValue);
        return (listName, elementType) switch
        {
            ("facts", "FactSet") => true,
            ("choices", "Input.ChoiceSet") => key == "title" && ((string?)(element["style"] as JsonValue) == "expanded" || (element["isMultiSelect"] as JsonValue)?.TryGetValue<bool>(out var multi) == true && multi),
            _ => false,
        };
    }

    /// <summary>The string property <paramref name="key"/> of a System.Text.Json card element as a person reads it (null when it is not a string).</summary>
    public static string? Visible(JsonNode? element, string key)
    {
        if (element is not JsonObject owner || owner[key] is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            return null;
        }
        return IsMarkdown(owner, key) ? Unescape(text) : text;
    }

    /// <summary>A System.Text.Json card as a Newtonsoft one.</summary>
    public static JObject ToJObject(JsonNode card) => JObject.Parse(card.ToJsonString());

    // CommonMark: any ASCII punctuation character may be backslash-escaped
    [GeneratedRegex(@"\\([!-/:-@\[-`{-~])")]
    private static partial Regex BackslashEscape();
}
