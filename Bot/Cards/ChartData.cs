using System.Globalization;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Localization;

namespace ChatRegs.Bot.Cards;

/// <summary>
/// The data of a statistics chart (Teams' <c>Chart.Donut</c>, <c>Chart.Pie</c>,
/// <c>Chart.VerticalBar</c>, <c>Chart.HorizontalBar</c>; <c>Chart.Line</c>: <see cref="Line"/>) as the templates bind it:
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

    /// <summary>
    /// A <c>Chart.Line</c>'s data: <c>${chart.series}</c> (legend, values of x and y) and, for the
    /// fallback table, <c>${chart.points}</c> ("legend · x", y as text); shown when some series
    /// has two points or more (one point is no line).
    /// </summary>
    /// <param name="series">Legend (in the reader's language) and its points (x label, y), in the order shown.</param>
    public static JsonObject Line(string locale, IEnumerable<(string Legend, IReadOnlyList<(string X, double Y)> Values)> series)
    {
        var list = series.ToList();
        return new JsonObject
        {
            ["lang"] = Localizer.Resolve(locale) == Localizer.English ? "en" : "zh",
            ["show"] = list.Any(s => s.Values.Count >= 2),
            ["series"] = new JsonArray(list.Select(s => (JsonNode)new JsonObject
            {
                ["legend"] = s.Legend,
                ["values"] = new JsonArray(s.Values.Select(v => (JsonNode)new JsonObject { ["x"] = v.X, ["y"] = v.Y }).ToArray()),
            }).ToArray()),
            ["points"] = new JsonArray(list.SelectMany(s => s.Values.Select(v => (JsonNode)new JsonObject
            {
                ["label"] = s.Legend + " · " + v.X,
                ["text"] = v.Y.ToString("0.#", CultureInfo.InvariantCulture),
            })).ToArray()),
        };
    }

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
