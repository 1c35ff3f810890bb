using System.Text.Json.Nodes;

namespace ChatRegs.Bot.Cards;

/// <summary>Pieces of card data every form uses.</summary>
public static class CardData
{
    /// <summary>A form's messages by field name, for the template's <c>${errors.field}</c> (an empty object when none).</summary>
    public static JsonObject Errors(IReadOnlyDictionary<string, string>? errors)
    {
        var result = new JsonObject();
        foreach (var (field, message) in errors ?? new Dictionary<string, string>())
        {
            result[field] = message;
        }
        return result;
    }
}
