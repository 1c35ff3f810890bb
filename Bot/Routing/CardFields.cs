using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.Routing;

/// <summary>
/// Reading a submitted card's fields. A forged or broken card can send anything in any field
/// (an array where an id belongs, a number, null, a megabyte of text), so card data is read
/// only through these: outside Routing/ no code looks at a token's <see cref="JTokenType"/>
/// itself (tests/ChatRegs.Tests/Repo checks it). Every reader answers something harmless for a
/// missing or wrongly typed field, never throws.
/// </summary>
public static class CardFields
{
    /// <summary>
    /// No cut by default: the activity is already capped (Hosting/ActivityLimits), and a form
    /// that validates a length must see the whole text to say "too long" rather than cut it silently.
    /// </summary>
    public const int MaxLength = int.MaxValue;

    /// <summary>
    /// The field as text (a string, a number or a boolean — "true"/"false"), trimmed and cut to
    /// <paramref name="maxLength"/>; "" when missing or anything else (an object, an array, null).
    /// </summary>
    public static string Field(JObject data, string name, int maxLength = MaxLength)
    {
        var value = Scalar(data[name])?.Trim() ?? "";
        return value.Length > maxLength ? value[..maxLength] : value;
    }

    /// <summary>As <see cref="Field"/>, but null when empty.</summary>
    public static string? Text(JObject data, string name, int maxLength = MaxLength) => Field(data, name, maxLength) is { Length: > 0 } text ? text : null;

    /// <summary>The field only when it is a JSON string, exactly as sent (not trimmed, not cut); else null.</summary>
    public static string? Raw(JToken? data, string name) =>
        data is JObject obj && obj[name] is JValue { Type: JTokenType.String } value ? (string?)value : null;

    /// <summary>The names of the fields sent as JSON strings, with their values as sent (a card's typed text to show again).</summary>
    public static Dictionary<string, string> Strings(JObject data) =>
        data.Properties().Where(p => p.Value.Type == JTokenType.String).ToDictionary(p => p.Name, p => (string)p.Value!, StringComparer.Ordinal);

    /// <summary>
    /// Every field but <paramref name="except"/> (at most <paramref name="maxFields"/> of them) as text:
    /// a string as sent, a number or boolean as invariant JSON text ("true"), null as null, an
    /// object or array as its compact JSON (for a form that validates each field itself).
    /// </summary>
    public static Dictionary<string, string?> All(JObject data, int maxFields, params string[] except) =>
        data.Properties().Where(p => !except.Contains(p.Name, StringComparer.Ordinal)).Take(maxFields)
            .ToDictionary(p => p.Name, p => p.Value.Type is JTokenType.Null or JTokenType.Undefined ? null : Scalar(p.Value) ?? p.Value.ToString(Formatting.None), StringComparer.Ordinal);

    private static string? Scalar(JToken? token) => token switch
    {
        JValue { Type: JTokenType.String } s => (string?)s,
        JValue { Type: JTokenType.Integer or JTokenType.Float } n => Convert.ToString(n.Value, CultureInfo.InvariantCulture),
        JValue { Type: JTokenType.Boolean } b => (bool)b ? "true" : "false",
        _ => null,
    };
}
