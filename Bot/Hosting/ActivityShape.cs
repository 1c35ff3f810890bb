using System.Text.Json;

namespace ChatRegs.Bot.Hosting;

/// <summary>
/// The least an activity must carry before it is worth running a turn: a type, a channel, a
/// conversation id and (for what a person sends) a sender id. Anything else is answered 400
/// with the reason, instead of failing deep inside the adapter where nobody can be told.
/// </summary>
public static class ActivityShape
{
    /// <returns>Null when the body is an activity the bot can process, else what is wrong.</returns>
    public static async Task<string?> CheckAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 256 }, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return "The body is not JSON.";
        }
        finally
        {
            request.Body.Position = 0;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return "The body is not an activity object.";
            }
            if (!IsNonEmptyString(root, "type"))
            {
                return "The activity has no type.";
            }
            if (!IsNonEmptyString(root, "channelId"))
            {
                return "The activity has no channelId.";
            }
            if (!root.TryGetProperty("conversation", out var conversation) || conversation.ValueKind != JsonValueKind.Object || !IsNonEmptyString(conversation, "id"))
            {
                return "The activity has no conversation id.";
            }
            var type = root.GetProperty("type").GetString();
            if (type is "message" or "invoke" && (!root.TryGetProperty("from", out var from) || from.ValueKind != JsonValueKind.Object || !IsNonEmptyString(from, "id")))
            {
                return "The activity has no sender id.";
            }
            return null;
        }
    }

    private static bool IsNonEmptyString(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString());
}
