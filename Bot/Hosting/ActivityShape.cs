using ChatRegs.Bot.Core;
using System.Text.Json;

namespace ChatRegs.Bot.Hosting;

/// <summary>
/// The least an activity must carry before it is worth running a turn, checked on the raw JSON
/// before anything else reads it. Anything else is answered 400 with the reason, instead of
/// failing deep inside the adapter or a feature where nobody can be told. It never throws.
/// <list type="bullet">
/// <item>Every string in the body (values and property names) is valid UTF-16: a lone
/// surrogate such as <c>\ud800</c> is refused wherever it is.</item>
/// <item>The strings the bot keys on (ids, channel, type, tenant, locale, …) are strings,
/// printable and of a sane length (<see cref="MaxIdLength"/>, <see cref="MaxWordLength"/>);
/// type, channelId and conversation.id are required, and a sender id for what a person sends.</item>
/// <item><c>serviceUrl</c> is required: an absolute http(s) address of at most
/// <see cref="MaxServiceUrlLength"/> characters (it is where replies go, and it is stored).</item>
/// <item>The lists the Bot Framework schema defines as lists of objects (entities,
/// attachments, members and reactions added or removed) hold only objects.</item>
/// </list>
/// Display names are not refused for their length: <see cref="ActivityLimits"/> shortens them
/// before the turn runs.
/// </summary>
public static class ActivityShape
{
    /// <summary>Teams ids (29:…, 19:…@thread.tacv2;messageid=…, a:…) are well under 200 characters.</summary>
    public const int MaxIdLength = 512;

    /// <summary>A type, channel id, activity name, locale, role or conversation type.</summary>
    public const int MaxWordLength = TextCaps.MaxWordLength;

    public const int MaxServiceUrlLength = TextCaps.MaxServiceUrlLength;

    /// <summary>The depth System.Text.Json parses to (the Bot Framework's Newtonsoft reader stops at 64).</summary>
    public const int MaxDepth = 256;

    private static readonly string[] ObjectLists = ["entities", "attachments", "membersAdded", "membersRemoved", "reactionsAdded", "reactionsRemoved"];

    /// <returns>Null when the body is an activity the bot can process, else what is wrong.</returns>
    public static async Task<string?> CheckAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = MaxDepth }, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return "The body is not JSON.";
        }
        catch (ArgumentException)
        {
            // Invalid UTF-8 in the body surfaces as a decoder error on some paths.
            return "The body is not JSON.";
        }
        finally
        {
            request.Body.Position = 0;
        }

        using (document)
        {
            return Check(document.RootElement);
        }
    }

    /// <returns>Null when <paramref name="root"/> is an activity the bot can process, else what is wrong.</returns>
    public static string? Check(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return "The body is not an activity object.";
        }
        if (FindInvalidString(root, "", 0) is { } where)
        {
            return $"The activity has text that is not valid Unicode (at {where}).";
        }

        var problem = Word(root, "type", required: true)
            ?? Word(root, "channelId", required: true)
            ?? Id(root, "id")
            ?? Id(root, "replyToId")
            ?? Word(root, "name")
            ?? Word(root, "locale")
            ?? Word(root, "deliveryMode")
            ?? Word(root, "action")
            ?? ServiceUrl(root)
            ?? Account(root, "from")
            ?? Account(root, "recipient")
            ?? Conversation(root)
            ?? ChannelData(root)
            ?? ObjectListsProblem(root);
        if (problem != null)
        {
            return problem;
        }

        var type = root.GetProperty("type").GetString();
        if (type is "message" or "invoke" && (!root.TryGetProperty("from", out var from) || from.ValueKind != JsonValueKind.Object || !IsNonEmptyString(from, "id")))
        {
            return "The activity has no sender id.";
        }
        return null;
    }

    /// <summary>Where in <paramref name="element"/> a string (or a property name) is not valid UTF-16, or null.</summary>
    private static string? FindInvalidString(JsonElement element, string path, int depth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return IsValidString(element) ? null : (path.Length == 0 ? "$" : path);
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (FindInvalidString(item, $"{path}[{i}]", depth + 1) is { } found)
                    {
                        return found;
                    }
                    i++;
                }
                return null;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try
                    {
                        name = property.Name;
                    }
                    catch (InvalidOperationException)
                    {
                        return (path.Length == 0 ? "" : path + ".") + "(a property name)";
                    }
                    if (FindInvalidString(property.Value, path.Length == 0 ? name : path + "." + name, depth + 1) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private static bool IsValidString(JsonElement element)
    {
        try
        {
            // System.Text.Json refuses to unescape a lone surrogate (\ud800) into a string.
            element.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string? Word(JsonElement parent, string property, bool required = false, string? label = null) =>
        Keyed(parent, property, MaxWordLength, required, label ?? property);

    private static string? Id(JsonElement parent, string property, bool required = false, string? label = null) =>
        Keyed(parent, property, MaxIdLength, required, label ?? property);

    /// <summary>A string the bot keys on: absent or null (unless required), else a printable string of at most <paramref name="max"/> characters.</summary>
    private static string? Keyed(JsonElement parent, string property, int max, bool required, string label)
    {
        if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return required ? $"The activity has no {label}." : null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            return $"The activity's {label} is not a string.";
        }
        var text = value.GetString()!;
        if (required && string.IsNullOrWhiteSpace(text))
        {
            return $"The activity has no {label}.";
        }
        if (text.Length > max)
        {
            return $"The activity's {label} is longer than {max} characters.";
        }
        if (text.Any(char.IsControl))
        {
            return $"The activity's {label} contains control characters.";
        }
        return null;
    }

    private static string? ServiceUrl(JsonElement root)
    {
        if (!root.TryGetProperty("serviceUrl", out var value) || value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            return "The activity has no serviceUrl.";
        }
        var text = value.GetString()!;
        if (text.Length > MaxServiceUrlLength)
        {
            return $"The activity's serviceUrl is longer than {MaxServiceUrlLength} characters.";
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("https" or "http")
            || string.IsNullOrEmpty(uri.Host)
            || !string.IsNullOrEmpty(uri.UserInfo)
            || text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return "The activity's serviceUrl is not an http(s) address.";
        }
        return null;
    }

    /// <summary>from / recipient: absent, null or an object whose ids and role are sane (names may be any length: they are shortened).</summary>
    private static string? Account(JsonElement root, string property)
    {
        if (!root.TryGetProperty(property, out var account) || account.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (account.ValueKind != JsonValueKind.Object)
        {
            return $"The activity's {property} is not an object.";
        }
        return Id(account, "id", label: property + ".id")
            ?? Id(account, "aadObjectId", label: property + ".aadObjectId")
            ?? Word(account, "role", label: property + ".role")
            ?? NameIsText(account, property);
    }

    private static string? Conversation(JsonElement root)
    {
        if (!root.TryGetProperty("conversation", out var conversation) || conversation.ValueKind != JsonValueKind.Object)
        {
            return "The activity has no conversation id.";
        }
        return Id(conversation, "id", required: true, label: "conversation id")
            ?? Id(conversation, "tenantId", label: "conversation.tenantId")
            ?? Word(conversation, "conversationType", label: "conversation.conversationType")
            ?? NameIsText(conversation, "conversation");
    }

    /// <summary>The Teams channel data the bot reads ids from (tenant, team, channel, meeting), when it is an object.</summary>
    private static string? ChannelData(JsonElement root)
    {
        if (!root.TryGetProperty("channelData", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        foreach (var part in new[] { "tenant", "team", "channel", "meeting" })
        {
            if (data.TryGetProperty(part, out var inner) && inner.ValueKind == JsonValueKind.Object
                && Id(inner, "id", label: $"channelData.{part}.id") is { } problem)
            {
                return problem;
            }
        }
        return Word(data, "eventType", label: "channelData.eventType");
    }

    private static string? NameIsText(JsonElement parent, string label) =>
        parent.TryGetProperty("name", out var name) && name.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)
            ? $"The activity's {label}.name is not a string."
            : null;

    private static string? ObjectListsProblem(JsonElement root)
    {
        foreach (var list in ObjectLists)
        {
            if (!root.TryGetProperty(list, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }
            if (value.ValueKind != JsonValueKind.Array)
            {
                return $"The activity's {list} is not a list.";
            }
            if (value.EnumerateArray().Any(item => item.ValueKind != JsonValueKind.Object))
            {
                return $"The activity's {list} holds something that is not an object.";
            }
            if (MaxItems.TryGetValue(list, out var max) && value.GetArrayLength() > max)
            {
                return $"The activity's {list} holds more than {max} items.";
            }
        }
        return null;
    }

    /// <summary>
    /// What Teams sends is far below these (a message's mentions and client info; at most 10
    /// files a message). Each mention of the bot is removed from the text one by one, so
    /// thousands of them with a long text would keep a turn busy for minutes.
    /// </summary>
    private static readonly Dictionary<string, int> MaxItems = new(StringComparer.Ordinal)
    {
        ["entities"] = 256,
        ["attachments"] = 64,
    };

    private static bool IsNonEmptyString(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString());
}
