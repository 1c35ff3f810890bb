using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.Routing;

/// <summary>
/// Reading a submitted card's fields. A forged or broken card can send anything in any field
/// (an array where an id belongs, a number, null), so handlers read fields only through these.
/// </summary>
public static class CardFields
{
    /// <summary>The field as text (a string or a number), trimmed; "" when missing or anything else.</summary>
    public static string Field(JObject data, string name) =>
        data[name]?.Type is JTokenType.String or JTokenType.Integer or JTokenType.Float ? data[name]!.ToString().Trim() : "";

    /// <summary>As <see cref="Field"/>, but null when empty.</summary>
    public static string? Text(JObject data, string name) => Field(data, name) is { Length: > 0 } text ? text : null;
}
