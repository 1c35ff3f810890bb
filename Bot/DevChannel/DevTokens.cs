using System.Text;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.DevChannel;

/// <summary>
/// Direct Line tokens of the local chat channel. A token names who is chatting and in which
/// chat, like a real Direct Line token binds a user id and a conversation. It is readable, not
/// secret: the channel exists only in Development with no app id, and every request to it must
/// carry the start-up key (<see cref="DevChannelGate"/>). Being self-contained,
/// a page keeps working across a restart of the bot.
/// </summary>
public static class DevTokens
{
    private const string Prefix = "devchannel.";

    /// <summary>Token lifetime announced to the client (Direct Line's usual 30 minutes; refresh keeps it going).</summary>
    public const int ExpiresInSeconds = 1800;

    public static string Create(DevPerson person, string chatKey) =>
        Prefix + Base64Url(Encoding.UTF8.GetBytes(new JObject { ["u"] = person.Key, ["c"] = chatKey }.ToString(Newtonsoft.Json.Formatting.None)));

    /// <summary>The person and chat a token stands for, or null for anything that is not one of ours.</summary>
    public static (DevPerson Person, DevChat Chat, string ChatKey)? Read(string? token)
    {
        if (token == null || !token.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            var json = DevJson.Parse(Encoding.UTF8.GetString(FromBase64Url(token[Prefix.Length..])));
            var person = DevPeople.ByKey((string?)json?["u"]);
            var chatKey = (string?)json?["c"] ?? "personal";
            var chat = person == null ? null : DevPeople.ChatFor(person, chatKey);
            return person == null || chat == null ? null : (person, chat, chatKey);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The bearer token of a request, if any.</summary>
    public static string? FromRequest(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}
