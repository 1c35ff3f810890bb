using System.Globalization;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Localization;

namespace ChatRegs.Bot.Cards;

/// <summary>
/// The data of a statistics chart (Teams' <c>Chart.Donut</c>, <c>Chart.Pie</c>,
/// <c>Chart.VerticalBar</c>, <c>Chart.HorizontalBar</c>) as the templates bind it:
/// <c>${chart.points}</c> (label, value, and the value as text for the fallback table) and
/// <c>${chart.show}</c> (false when every value is zero: there is nothing to draw, and the card says so in words)
/// and <c>${chart.lang}</c> (the element's language, "zh" or "en": the official renderer takes a language code there).
/// </summary>
public static class ChartData
{
    /// <param name="locale">The reader's locale (the labels are in it).</param>
    /// <param name="points">Label (in the reader's language) and count, in the order shown.</param>
    /// <param name="dropZeros">For pies and donuts: a zero is no slice (bars keep their zeros).</param>
    public static JsonObject Of(string locale, IEnumerable<(string Label, int Value)> points, bool dropZeros = false) =>
        Build(locale, points.Where(p => !dropZeros || p.Value > 0).Select(p => (p.Label, (JsonNode)p.Value, p.Value > 0, p.Value.ToString(CultureInfo.InvariantCulture))));

    /// <summary>The same for measured values (hours, rates), one decimal in the fallback table.</summary>
    public static JsonObject Of(string locale, IEnumerable<(string Label, double Value)> points) =>
        Build(locale, points.Select(p => (p.Label, (JsonNode)p.Value, p.Value > 0, p.Value.ToString("0.#", CultureInfo.InvariantCulture))));

    private static JsonObject Build(string locale, IEnumerable<(string Label, JsonNode Value, bool Positive, string Text)> points)
    {
        var list = points.ToList();
        return new JsonObject
        {
            ["lang"] = Localizer.Resolve(locale) == Localizer.English ? "en" : "zh",
            ["show"] = list.Any(p => p.Positive),
            ["points"] = new JsonArray(list.Select(p => (JsonNode)new JsonObject
            {
                ["label"] = p.Label,
                ["value"] = p.Value,
                ["text"] = p.Text,
            }).ToArray()),
        };
    }
}
