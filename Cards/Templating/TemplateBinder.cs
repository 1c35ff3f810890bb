using System.Text.Json.Nodes;

namespace ChatRegs.Cards.Templating;

/// <summary>
/// Expands an Adaptive Card template written in the Adaptive Card Templating language against
/// a data object. PLACEHOLDER: being written (issue 3); the signature is final.
/// </summary>
public static class TemplateBinder
{
    public static JsonNode? Expand(JsonNode template, JsonNode? data) =>
        throw new NotImplementedException("TemplateBinder is being written (issue 3).");
}
