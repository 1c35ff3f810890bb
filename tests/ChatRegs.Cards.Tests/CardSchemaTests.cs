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
    // Teams' chart elements are not in the official 1.5 schema: exactly these five are added, each with its own data shape.
    [Theory]
    [InlineData("""{ "type": "Chart.Donut", "title": "满意度", "lang": "zh-CN", "data": [ { "legend": "满意", "value": 4 }, { "legend": "一般", "value": 2, "color": "warning" } ] }""")]
    [InlineData("""{ "type": "Chart.Pie", "data": [ { "legend": "Submitted", "value": 3 } ], "fallback": { "type": "FactSet", "facts": [ { "title": "Submitted", "value": "3" } ] } }""")]
    [InlineData("""{ "type": "Chart.VerticalBar", "xAxisTitle": "状态", "yAxisTitle": "次数", "showBarValues": true, "data": [ { "x": "迟到", "y": 1 }, { "x": "准时", "y": 0 } ] }""")]
    [InlineData("""{ "type": "Chart.HorizontalBar", "displayMode": "AbsoluteWithAxis", "color": "categoricalBlue", "data": [ { "x": "Late", "y": 2 } ], "spacing": "Medium", "separator": true }""")]
    [InlineData("""{ "type": "Chart.Line", "data": [ { "legend": "2026", "values": [ { "x": "W47", "y": 80 }, { "x": "W48", "y": 92.5 } ] } ] }""")]
    public void The_validator_accepts_Teams_chart_elements(string element)
    {
        var card = JsonNode.Parse($$"""{ "type": "AdaptiveCard", "version": "1.5", "body": [ { "type": "Container", "items": [ {{element}} ] } ] }""")!;
        Assert.Null(AdaptiveCardSchema.Validate(card));
        Assert.Empty(CardLint.Check(card));
    }

    [Theory]
    [InlineData("""{ "type": "Chart.Gauge", "value": 50 }""", "a chart type cards do not use")]
    [InlineData("""{ "type": "Chart.Donut", "title": "x" }""", "a chart without data")]
    [InlineData("""{ "type": "Chart.Donut", "data": [] }""", "a chart with no data points")]
    [InlineData("""{ "type": "Chart.Pie", "data": [ { "legend": "a", "value": "3" } ] }""", "a value that is not a number")]
    [InlineData("""{ "type": "Chart.Pie", "data": [ { "x": "a", "y": 3 } ] }""", "bar data in a pie")]
    [InlineData("""{ "type": "Chart.VerticalBar", "data": [ { "legend": "a", "value": 3 } ] }""", "pie data in a bar chart")]
    [InlineData("""{ "type": "Chart.HorizontalBar", "data": [ { "x": "a", "y": 3 } ], "displayMode": "Sideways" }""", "an unknown display mode")]
    [InlineData("""{ "type": "Chart.VerticalBar", "data": [ { "x": "a", "y": 3, "colour": "good" } ] }""", "an unknown data point property")]
    [InlineData("""{ "type": "Chart.Line", "data": [ { "legend": "a", "values": [ { "x": "W1" } ] } ] }""", "a line point without y")]
    [InlineData("""{ "type": "Chart.Donut", "data": [ { "legend": "a", "value": 1 } ], "wrap": true }""", "an unknown chart property")]
    public void The_validator_rejects_a_chart_of_the_wrong_shape(string element, string what)
    {
        var card = JsonNode.Parse($$"""{ "type": "AdaptiveCard", "version": "1.5", "body": [ {{element}} ] }""")!;
        Assert.True(AdaptiveCardSchema.Validate(card) != null, $"The schema accepted {what}.");
    }
}
