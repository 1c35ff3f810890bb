using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.DevChannel;

/// <summary>
/// JSON for the local chat channel. Activities are kept and sent as Newtonsoft JObjects, the way
/// the Bot Framework serializes them; dates stay the strings they arrived as.
/// </summary>
internal static class DevJson
{
    public static readonly JsonSerializerSettings Settings = new()
    {
        NullValueHandling = NullValueHandling.Ignore,
        DateParseHandling = DateParseHandling.None,
        Formatting = Formatting.None,
    };

    public static JObject? Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            using var reader = new JsonTextReader(new StringReader(text)) { DateParseHandling = DateParseHandling.None };
            return JToken.ReadFrom(reader) as JObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static async Task<JObject?> ReadAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return Parse(await reader.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false));
    }

    /// <summary>
    /// The field <paramref name="name"/> of <paramref name="parent"/> when it is a JSON string, else null
    /// (missing, a number, an array, an object, or a parent that is not an object): the page's
    /// fields read without throwing, so a wrongly typed one is a 400, never a 500.
    /// </summary>
    public static string? Text(JToken? parent, string name) =>
        parent is JObject o && o[name] is JValue { Type: JTokenType.String } v ? (string?)v : null;

    public static JObject From(object value) => JObject.FromObject(value, JsonSerializer.Create(Settings));

    public static IResult Result(object value, int statusCode = StatusCodes.Status200OK) =>
        Results.Content(value is JToken token ? token.ToString(Formatting.None) : JsonConvert.SerializeObject(value, Settings),
            "application/json; charset=utf-8", Encoding.UTF8, statusCode);

    /// <summary>The Bot Framework / Direct Line error shape: <c>{"error":{"code","message"}}</c>.</summary>
    public static IResult Error(int statusCode, string code, string message) =>
        Result(new JObject { ["error"] = new JObject { ["code"] = code, ["message"] = message } }, statusCode);

    public static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
}
