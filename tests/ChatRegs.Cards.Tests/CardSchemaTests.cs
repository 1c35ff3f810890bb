using System.Text;
using System.Text.Json.Nodes;
using ChatRegs.Cards.Tests.Infrastructure;

namespace ChatRegs.Cards.Tests;

/// <summary>Every expanded card is a valid Adaptive Card 1.5 and small enough to send.</summary>
public sealed class CardSchemaTests
{
    /// <summary>The project's budget per card (Teams limits the size of a bot message).</summary>
    private const int MaxCardBytes = 80 * 1024;

    public static TheoryData<string, string> Cards => CardCases.All;

    [Theory]
    [MemberData(nameof(Cards))]
    public void Expanded_card_validates_against_the_Adaptive_Card_1_5_schema(string name, string locale)
    {
        var errors = AdaptiveCardSchema.Validate(CardCases.Expand(name, locale));
        Assert.True(errors == null, $"{name} ({locale}) is not a valid Adaptive Card 1.5:{Environment.NewLine}{errors}");
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void Expanded_card_is_under_80_KB(string name, string locale)
    {
        var bytes = Encoding.UTF8.GetByteCount(CardCases.Expand(name, locale).ToJsonString());
        Assert.True(bytes < MaxCardBytes, $"{name} ({locale}) is {bytes} bytes (limit {MaxCardBytes}).");
    }

    /// <summary>
    /// A binding to a missing value keeps its "${...}" text (official behaviour), which a user
    /// would then read on the card: a localized string key that does not exist, a typo in a
    /// field name, or sample data that lacks a field the bot always sends.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cards))]
    public void Expanded_card_shows_no_unbound_binding_text(string name, string locale)
    {
        var leftovers = new List<string>();
        Collect(CardCases.Expand(name, locale), "$", leftovers);
        Assert.True(leftovers.Count == 0,
            $"{name} ({locale}) still shows binding text; add the value to Cards/{name}.data.json (or the string to " +
            $"Strings.{locale}.json), or guard the binding:{Environment.NewLine}{string.Join(Environment.NewLine, leftovers)}");
    }

    private static void Collect(JsonNode? node, string path, List<string> leftovers)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    Collect(value, $"{path}.{key}", leftovers);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    Collect(array[i], $"{path}[{i}]", leftovers);
                }
                break;
            case JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String:
                var text = value.GetValue<string>();
                if (text.Contains("${", StringComparison.Ordinal))
                {
                    leftovers.Add($"{path}: {text}");
                }
                break;
        }
    }

    [Fact]
    public void A_valid_card_passes() =>
        Assert.Null(AdaptiveCardSchema.Validate(JsonNode.Parse("""
            { "type": "AdaptiveCard", "version": "1.5", "body": [ { "type": "TextBlock", "text": "ok", "wrap": true } ],
              "actions": [ { "type": "Action.Execute", "title": "Go", "verb": "go" } ] }
            """)!));

    [Theory]
    [InlineData("""{ "type": "TextBlock", "wrap": true }""", "TextBlock without text", "/body/0/body/0: Required properties [\"text\"]")]
    [InlineData("""{ "type": "FancyBlock", "text": "x" }""", "unknown element type", "/body/0/body/0")]
    [InlineData("""{ "type": "TextBlock", "text": "x", "wrapp": true }""", "unknown property", "/body/0/body/0/wrapp")]
    [InlineData("""{ "type": "TextBlock", "text": "x", "size": "Huge" }""", "bad enum value", "/body/0/body/0/size")]
    [InlineData("""{ "type": "TextBlock", "text": 42 }""", "text that is not a string", "/body/0/body/0/text")]
    [InlineData("""{ "type": "Input.ChoiceSet", "id": "c", "style": "fancy", "choices": [ { "title": "a", "value": "a" } ] }""", "bad choice set style", "/body/0/body/0/style")]
    public void The_validator_rejects_a_broken_card_and_points_at_the_problem(string element, string what, string location)
    {
        // nested in a Container so that the report has to see through two anyOf levels
        var card = JsonNode.Parse($$"""{ "type": "AdaptiveCard", "version": "1.5", "body": [ { "type": "Container", "items": [ {{element}} ] } ] }""")!;
        var errors = AdaptiveCardSchema.Validate(card);
        Assert.True(errors != null, $"The schema accepted a card with {what}.");
        Assert.Contains(location.Replace("/body/0/body/0", "/body/0/items/0"), errors);
    }
}
