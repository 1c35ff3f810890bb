using System.Text.Json.Nodes;

namespace ChatRegs.Cards.Tests.Infrastructure;

/// <summary>
/// Teams' chart elements (Chart.Donut, Chart.Pie, Chart.VerticalBar, Chart.HorizontalBar,
/// Chart.Line) are Teams extensions, not in the official Adaptive Card 1.5 schema. These
/// definitions, written from Teams' "Charts in Adaptive Cards" reference, are added to the
/// official schema when it is loaded (the copy in tests/schemas stays byte-for-byte official):
/// exactly these five types, each with its required "data" in its own shape, no unknown
/// property, and the usual element properties (fallback, spacing, separator...).
/// </summary>
public static class TeamsChartSchema
{
    /// <summary>The chart element types cards may use.</summary>
    public static readonly IReadOnlyList<string> Types = ["Chart.Donut", "Chart.Pie", "Chart.VerticalBar", "Chart.HorizontalBar", "Chart.Line"];

    // Teams' named chart colours (data point "color", bar chart "color").
    private const string Colors = """
        { "enum": [ "good", "warning", "attention", "neutral",
          "categoricalRed", "categoricalPurple", "categoricalLavender", "categoricalBlue", "categoricalLightBlue",
          "categoricalTeal", "categoricalGreen", "categoricalLime", "categoricalMarigold",
          "sequential1", "sequential2", "sequential3", "sequential4", "sequential5", "sequential6", "sequential7", "sequential8",
          "divergingBlue", "divergingLightBlue", "divergingCyan", "divergingTeal", "divergingYellow", "divergingPeach",
          "divergingLightRed", "divergingRed", "divergingMaroon", "divergingGray" ] }
        """;

    // Properties every chart has (beside type and data), and those every element has.
    private const string Common = """
        "title": { "type": "string" }, "colorSet": { "enum": [ "categorical", "sequential", "diverging" ] },
        "lang": { "type": "string" }, "horizontalAlignment": { "$ref": "#/definitions/HorizontalAlignment" },
        "fallback": {}, "height": {}, "separator": {}, "spacing": {}, "id": {}, "isVisible": {}, "requires": {}
        """;

    private static string Element(string type, string dataItems, string extra) => $$"""
        {
          "description": "Teams chart element {{type}} (Teams extension, not in the Adaptive Card 1.5 schema)",
          "type": "object",
          "properties": {
            "type": { "enum": [ "{{type}}" ] },
            "data": { "type": "array", "minItems": 1, "items": { "$ref": "#/definitions/{{dataItems}}" } },
            {{extra}}
            {{Common}}
          },
          "required": [ "type", "data" ],
          "additionalProperties": false,
          "allOf": [ { "$ref": "#/definitions/Extendable.Element" } ]
        }
        """;

    private const string Axes = """ "xAxisTitle": { "type": "string" }, "yAxisTitle": { "type": "string" }, "color": { "$ref": "#/definitions/Chart.Color" }, """;

    /// <summary>The definitions added to the official schema's "definitions", by name.</summary>
    public static IReadOnlyDictionary<string, string> Definitions { get; } = new Dictionary<string, string>
    {
        ["Chart.Color"] = Colors,
        ["Chart.LegendValue"] = """
            { "type": "object", "properties": { "legend": { "type": "string" }, "value": { "type": "number" }, "color": { "$ref": "#/definitions/Chart.Color" } },
              "required": [ "legend", "value" ], "additionalProperties": false }
            """,
        ["Chart.XYValue"] = """
            { "type": "object", "properties": { "x": { "type": [ "string", "number" ] }, "y": { "type": "number" }, "color": { "$ref": "#/definitions/Chart.Color" } },
              "required": [ "x", "y" ], "additionalProperties": false }
            """,
        ["Chart.LineSeries"] = """
            { "type": "object", "properties": { "legend": { "type": "string" }, "color": { "$ref": "#/definitions/Chart.Color" },
              "values": { "type": "array", "minItems": 1, "items": { "$ref": "#/definitions/Chart.LinePoint" } } },
              "required": [ "values" ], "additionalProperties": false }
            """,
        ["Chart.LinePoint"] = """
            { "type": "object", "properties": { "x": { "type": [ "string", "number" ] }, "y": { "type": "number" } },
              "required": [ "x", "y" ], "additionalProperties": false }
            """,
        ["Chart.Donut"] = Element("Chart.Donut", "Chart.LegendValue", ""),
        ["Chart.Pie"] = Element("Chart.Pie", "Chart.LegendValue", ""),
        ["Chart.VerticalBar"] = Element("Chart.VerticalBar", "Chart.XYValue", Axes + """ "showBarValues": { "type": "boolean" }, """),
        ["Chart.HorizontalBar"] = Element("Chart.HorizontalBar", "Chart.XYValue", Axes + """ "displayMode": { "enum": [ "AbsoluteWithAxis", "AbsoluteNoAxis", "PartToWhole" ] }, """),
        ["Chart.Line"] = Element("Chart.Line", "Chart.LineSeries", """ "xAxisTitle": { "type": "string" }, "yAxisTitle": { "type": "string" }, """),
    };

    /// <summary>The official schema with the chart definitions added, and the chart types allowed wherever an element is.</summary>
    public static JsonObject Extend(JsonObject schema)
    {
        var definitions = schema["definitions"]!.AsObject();
        foreach (var (name, text) in Definitions)
        {
            definitions[name] = JsonNode.Parse(text);
        }
        foreach (var list in new[] { "ImplementationsOf.Element", "ImplementationsOf.ToggleableItem", "ImplementationsOf.Item" })
        {
            var anyOf = definitions[list]!["anyOf"]!.AsArray();
            foreach (var type in Types)
            {
                anyOf.Add(JsonNode.Parse($$"""{ "required": [ "type" ], "allOf": [ { "$ref": "#/definitions/{{type}}" } ] }"""));
            }
        }
        return schema;
    }
}
