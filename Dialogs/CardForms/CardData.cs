using System.Globalization;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Dialogs;

/// <summary>
/// Reading a card's JSON: a submitted form (a forged or broken card can send anything in any
/// property — an array where an id belongs, a number, null) and the card templates' own
/// properties. The dialogs read card properties only through these.
/// </summary>
public static class CardData
{
    /// <summary>
    /// The property as text (a string or a number), trimmed; "" when missing or anything else.
    /// The same rule as the bot's <c>Routing/CardFields.Field</c>.
    /// </summary>
    public static string Field(JObject data, string name)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data[name] is JValue { Type: JTokenType.String or JTokenType.Integer or JTokenType.Float } value
            ? Convert.ToString(value.Value, CultureInfo.InvariantCulture)?.Trim() ?? ""
            : "";
    }

    /// <summary>True only when the property is the JSON boolean <c>true</c>.</summary>
    public static bool IsTrue(JObject data, string name)
    {
        ArgumentNullException.ThrowIfNull(data);
        return data[name] is JValue { Type: JTokenType.Boolean, Value: true };
    }

    /// <summary>
    /// A submitted value as the text a form answer holds (not trimmed: the validator decides):
    /// strings as sent, numbers invariant, booleans "true"/"false", dates ISO 8601 (a bare date
    /// as yyyy-MM-dd), objects and arrays as JSON; null for null.
    /// </summary>
    public static string? Value(JToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Type switch
        {
            JTokenType.Null or JTokenType.Undefined => null,
            JTokenType.String => token.Value<string>(),
            JTokenType.Boolean => token.Value<bool>() ? "true" : "false",
            JTokenType.Integer or JTokenType.Float => Convert.ToString(((JValue)token).Value, CultureInfo.InvariantCulture),
            JTokenType.Date when ((JValue)token).Value is DateTime date => date.TimeOfDay == TimeSpan.Zero && date.Kind != DateTimeKind.Utc
                ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : date.ToString("o", CultureInfo.InvariantCulture),
            JTokenType.Date when ((JValue)token).Value is DateTimeOffset offset => offset.ToString("o", CultureInfo.InvariantCulture),
            JTokenType.Object or JTokenType.Array => token.ToString(Formatting.None),
            _ => Convert.ToString(((JValue)token).Value, CultureInfo.InvariantCulture),
        };
    }
}
