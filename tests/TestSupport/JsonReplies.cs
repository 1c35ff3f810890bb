using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace ChatRegs.TestSupport;

/// <summary>
/// Reading what the bot answered over HTTP or sent through the connector, as JSON: the texts a
/// person reads, cards, their inputs and buttons (the JSON counterpart of <see cref="Replies"/>).
/// </summary>
public static class JsonReplies
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Every text a person can read in an activity (message text, card texts, titles, labels, input values; not actions' data), as Teams shows it (<see cref="CardMarkdown"/>).</summary>
    public static string ReadableText(JsonNode? activity)
    {
        var texts = new List<string>();
        if ((string?)activity?["text"] is { } text)
        {
            texts.Add(text);
        }
        foreach (var attachment in activity?["attachments"]?.AsArray() ?? [])
        {
            Collect(attachment?["content"], texts);
        }
        return string.Join("\n", texts);
    }

    /// <summary>All readable texts of every reply.</summary>
    public static string ReadableText(JsonArray replies) => string.Join("\n", replies.Select(ReadableText));

    /// <summary>Every text a person can read on a card.</summary>
    public static string CardText(JsonNode card)
    {
        var texts = new List<string>();
        Collect(card, texts);
        return string.Join("\n", texts);
    }

    private static void Collect(JsonNode? node, List<string> texts)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key is "text" or "title" or "label" or "value" or "placeholder" && value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                    {
                        texts.Add(CardMarkdown.Visible(obj, key)!);
                    }
                    else if (key != "data")
                    {
                        Collect(value, texts);
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, texts);
                }
                break;
        }
    }

    /// <summary>The one card among the replies (never with unbound "${…}").</summary>
    public static JsonObject Card(JsonArray replies)
    {
        var cards = replies.SelectMany(r => r?["attachments"]?.AsArray() ?? []).Where(a => (string?)a?["contentType"] == "application/vnd.microsoft.card.adaptive").ToList();
        var card = Assert.Single(cards)!["content"]!.AsObject();
        Assert.DoesNotContain("${", card.ToJsonString());
        return card;
    }

    /// <summary>The last card among the replies (never with unbound "${…}").</summary>
    public static JsonObject LastCard(JsonArray replies)
    {
        var card = replies.SelectMany(r => r?["attachments"]?.AsArray() ?? []).Last(a => (string?)a?["contentType"] == "application/vnd.microsoft.card.adaptive")!["content"]!.AsObject();
        Assert.DoesNotContain("${", card.ToJsonString());
        return card;
    }

    /// <summary>The message texts among the replies, one per line.</summary>
    public static string Texts(JsonArray replies) => string.Join("\n", replies.Select(r => (string?)r?["text"]).Where(t => t != null));

    /// <summary>The card an Action.Execute answered with (never with unbound "${…}").</summary>
    public static JsonObject InvokeCard(JsonObject body)
    {
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)body["type"]);
        var card = body["value"]!.AsObject();
        Assert.DoesNotContain("${", card.ToJsonString());
        return card;
    }

    /// <summary>The message an Action.Execute answered with.</summary>
    public static string InvokeMessage(JsonObject body)
    {
        Assert.Equal("application/vnd.microsoft.activity.message", (string?)body["type"]);
        return (string?)body["value"] ?? "";
    }

    /// <summary>The verbs of every Action.Execute / Action.Submit on a card.</summary>
    public static IReadOnlyList<string> Verbs(JsonNode card) =>
        Descendants(card).Where(o => ((string?)o["type"])?.StartsWith("Action.", StringComparison.Ordinal) == true)
            .Select(o => (string?)o["verb"] ?? (string?)o["data"]?["verb"] ?? "").ToList();

    /// <summary>The ids of the inputs on a card.</summary>
    public static IReadOnlyList<string> Inputs(JsonNode card) =>
        Descendants(card).Where(o => ((string?)o["type"])?.StartsWith("Input.", StringComparison.Ordinal) == true).Select(o => (string?)o["id"] ?? "").ToList();

    /// <summary>The value an input shows.</summary>
    public static string? InputValue(JsonNode card, string id) => (string?)Descendants(card).Single(o => (string?)o["id"] == id)["value"];

    /// <summary>The choices (value → title as shown) of a choice input.</summary>
    public static IReadOnlyDictionary<string, string> Choices(JsonNode card, string id) =>
        Descendants(card).Single(o => (string?)o["id"] == id)["choices"]!.AsArray().ToDictionary(c => (string)c!["value"]!, c => CardMarkdown.Visible(c, "title")!);

    /// <summary>Every JSON object in the tree, the node itself first.</summary>
    public static IEnumerable<JsonObject> Descendants(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                yield return obj;
                foreach (var (_, value) in obj)
                {
                    foreach (var d in Descendants(value))
                    {
                        yield return d;
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (var d in Descendants(item))
                    {
                        yield return d;
                    }
                }
                break;
        }
    }

    /// <summary>The JSON as sent, compact, with Chinese and other characters unescaped (for Contains assertions).</summary>
    public static string Json(JsonNode node) => node.ToJsonString(Relaxed);

    /// <summary>A card's size as sent: compact JSON, UTF-8.</summary>
    public static int Bytes(JsonNode card) => Encoding.UTF8.GetByteCount(card.ToJsonString(Relaxed));

    /// <summary>The node and every node inside it, depth first (objects' values, arrays' items).</summary>
    public static IEnumerable<JsonNode> Nodes(JsonNode? node)
    {
        if (node == null)
        {
            yield break;
        }
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children)
        {
            foreach (var n in Nodes(child))
            {
                yield return n;
            }
        }
    }

    /// <summary>The error shown right after the input (same container), or null.</summary>
    public static string? ErrorNextTo(JsonNode card, string inputId)
    {
        foreach (var array in Arrays(card))
        {
            for (var i = 0; i < array.Count; i++)
            {
                if ((string?)array[i]?["id"] == inputId && ((string?)array[i]?["type"])?.StartsWith("Input.", StringComparison.Ordinal) == true)
                {
                    var next = i + 1 < array.Count ? array[i + 1] : null;
                    return (string?)next?["color"] == "Attention" ? (string?)next?["text"] : null;
                }
            }
        }
        throw new InvalidOperationException($"No input '{inputId}' on the card.");
    }

    /// <summary>Every error text on the card.</summary>
    public static IReadOnlyList<string> Errors(JsonNode card) =>
        Descendants(card).Where(o => (string?)o["type"] == "TextBlock" && (string?)o["color"] == "Attention" && (string?)o["weight"] != "Bolder").Select(o => (string)o["text"]!).ToList();

    private static IEnumerable<JsonArray> Arrays(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                yield return array;
                foreach (var item in array)
                {
                    foreach (var a in Arrays(item))
                    {
                        yield return a;
                    }
                }
                break;
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    foreach (var a in Arrays(value))
                    {
                        yield return a;
                    }
                }
                break;
        }
    }
}
