using Newtonsoft.Json.Linq;
using Xunit;

namespace ChatRegs.TestSupport;

/// <summary>Reads a Teams chart element (Chart.Donut, Pie, VerticalBar, HorizontalBar) off a card the bot sent.</summary>
public static class Charts
{
    /// <summary>The card's only chart element of this type ("Chart.Donut"...).</summary>
    public static JObject Single(JObject card, string type) =>
        Assert.Single(card.Descendants().OfType<JObject>(), o => (string?)o["type"] == type);

    /// <summary>True when the card holds any chart element.</summary>
    public static bool Any(JObject card) =>
        card.Descendants().OfType<JObject>().Any(o => ((string?)o["type"])?.StartsWith("Chart.", StringComparison.Ordinal) == true);

    /// <summary>The chart's points as (label, count), from legend/value (pie, donut) or x/y (bars); a count must be a JSON number.</summary>
    public static List<(string Label, int Value)> Points(JObject chart) =>
        chart["data"]!.Children<JObject>().Select(p =>
        {
            var value = p["value"] ?? p["y"]!;
            Assert.Equal(JTokenType.Integer, value.Type);
            return ((string)(p["legend"] ?? p["x"])!, (int)value);
        }).ToList();

    /// <summary>The fallback shown by hosts without charts: a FactSet of the same (label, count) as text.</summary>
    public static List<(string Label, string Value)> Fallback(JObject chart)
    {
        var fallback = Assert.IsType<JObject>(chart["fallback"]);
        Assert.Equal("FactSet", (string?)fallback["type"]);
        return fallback["facts"]!.Children<JObject>().Select(f => ((string)f["title"]!, (string)f["value"]!)).ToList();
    }

    /// <summary>Asserts the chart shows exactly these points, in order, and that its fallback table says the same.</summary>
    public static void AssertShows(JObject chart, params (string Label, int Value)[] expected)
    {
        Assert.Equal(expected, Points(chart));
        Assert.Equal(expected.Select(e => (e.Label, e.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))), Fallback(chart));
    }
}
