using System.Text.Json.Nodes;
using ChatRegs.Cards.Tests.Infrastructure;

namespace ChatRegs.Cards.Tests;

/// <summary>
/// One Chromium renders every expanded card (both languages, with a screenshot in
/// artifacts/card-screenshots/&lt;Name&gt;.&lt;locale&gt;.png) plus a few deliberately broken cards
/// that prove the check reports problems.
/// </summary>
public sealed class CardRenderFixture
{
    public static readonly Dictionary<string, JsonNode> BrokenCards = new()
    {
        // Image.forceLoad is a 1.6 property
        ["broken:1.6-property"] = Card("""{ "type": "Image", "url": "https://example.com/a.png", "forceLoad": true }"""),
        ["broken:bad-value"] = Card("""{ "type": "TextBlock", "text": "x", "size": "Huge" }"""),
        ["broken:unknown-element"] = Card("""{ "type": "FancyBlock", "text": "x" }"""),
        // the renderer itself accepts these two: the lint catches them
        ["broken:typo-property"] = Card("""{ "type": "TextBlock", "text": "x", "wrapp": true }"""),
        ["broken:execute-without-verb"] = JsonNode.Parse("""
            { "type": "AdaptiveCard", "version": "1.5", "body": [ { "type": "TextBlock", "text": "x" } ],
              "actions": [ { "type": "Action.Execute", "title": "Go", "data": { "x": 1 } } ] }
            """)!,
    };

    public CardRenderFixture()
    {
        var requests = new List<CardRenderer.Request>();
        foreach (var name in CardTemplates.Names)
        {
            foreach (var locale in CardCases.Locales)
            {
                var screenshot = Path.Combine(Tools.ScreenshotDirectory, $"{name}.{locale}.png");
                if (File.Exists(screenshot))
                {
                    File.Delete(screenshot);
                }
                requests.Add(new CardRenderer.Request(CardCases.Id(name, locale), CardCases.Expand(name, locale), screenshot));
            }
        }
        requests.AddRange(BrokenCards.Select(b => new CardRenderer.Request(b.Key, b.Value, null)));
        // The cards with a chart, as a host without Teams' chart elements renders them.
        foreach (var name in ChartCards)
        {
            requests.Add(new CardRenderer.Request(WithoutChartsId(name), CardCases.Expand(name, "zh-CN"), null, WithoutCharts: true));
        }
        Batch = CardRenderer.Render(requests);
    }

    public CardRenderer.Batch Batch { get; }

    public static readonly string[] ChartCards = ["AttendanceMonthly", "AttendanceRoll", "WeeklyReportDigest", "CallbackReport"];

    public static string WithoutChartsId(string name) => "without-charts:" + name;

    private static JsonNode Card(string element) =>
        JsonNode.Parse($$"""{ "type": "AdaptiveCard", "version": "1.5", "body": [ {{element}} ] }""")!;
}

[Trait("Category", "Slow")] // starts Chromium, Node or its own Azurite: skipped by scripts/test.sh --fast (docs/testing.md)
public sealed class CardRenderTests(CardRenderFixture fixture) : IClassFixture<CardRenderFixture>
{
    public static TheoryData<string, string> Cards => CardCases.All;

    public static TheoryData<string> BrokenCardIds => new(CardRenderFixture.BrokenCards.Keys);

    [Theory]
    [MemberData(nameof(Cards))]
    public void Card_renders_with_the_official_renderer_without_errors_or_warnings(string name, string locale)
    {
        var report = fixture.Batch.Reports[CardCases.Id(name, locale)];
        Assert.True(report.Problems.Count == 0,
            $"{name} ({locale}):{Environment.NewLine}{string.Join(Environment.NewLine, report.Problems)}");
        Assert.True(report.Height > 20, $"{name} ({locale}) rendered only {report.Height}px high.");
        var screenshot = Path.Combine(Tools.ScreenshotDirectory, $"{name}.{locale}.png");
        Assert.True(File.Exists(screenshot) && new FileInfo(screenshot).Length > 500, $"No screenshot at {screenshot}.");
    }

    [Theory]
    [MemberData(nameof(BrokenCardIds))]
    public void The_render_check_reports_a_broken_card(string id)
    {
        var problems = fixture.Batch.Reports[id].Problems;
        Assert.NotEmpty(problems);
    }

    [Fact]
    public void The_render_check_names_the_problem()
    {
        string Problems(string id) => string.Join("\n", fixture.Batch.Reports[id].Problems);
        Assert.Contains("UnsupportedProperty", Problems("broken:1.6-property"));
        Assert.Contains("forceLoad", Problems("broken:1.6-property"));
        Assert.Contains("InvalidPropertyValue", Problems("broken:bad-value"));
        Assert.Contains("UnknownElementType", Problems("broken:unknown-element"));
        Assert.Contains("unknown property \"wrapp\"", Problems("broken:typo-property"));
        Assert.Contains("Action.Execute without a verb", Problems("broken:execute-without-verb"));
    }

    public static TheoryData<string> ChartCardNames => new(CardRenderFixture.ChartCards);

    /// <summary>Teams' chart elements are an extension: a host without them shows each chart's fallback, the same counts as a table.</summary>
    [Theory]
    [MemberData(nameof(ChartCardNames))]
    public void A_host_without_charts_shows_the_chart_s_fallback_table(string name)
    {
        var report = fixture.Batch.Reports[CardRenderFixture.WithoutChartsId(name)];
        Assert.True(report.Rendered && report.Height > 20, $"{name} did not render without charts.");
        Assert.DoesNotContain("devchannel-chart", report.Html);
        var points = CardTemplates.LoadSample(name)!["chart"]!["points"]!.AsArray();
        Assert.NotEmpty(points);
        var lines = report.Text.Split('\n').Select(l => l.Trim()).ToList();
        foreach (var point in points)
        {
            // a fact: its title (the label), then its value (the count)
            var label = point!["label"]!.GetValue<string>();
            var at = lines.IndexOf(label);
            Assert.True(at >= 0 && lines.Skip(at + 1).FirstOrDefault(l => l.Length > 0) == point["text"]!.GetValue<string>(),
                $"{name}: the fallback does not show {label} {point["text"]}:\n{report.Text}");
        }
        // The renderer only notes that it used the fallback for the chart type it does not know.
        Assert.All(report.Problems, p => Assert.Contains("Chart.", p));
    }

    [Fact]
    public void Chromium_runs_headless_and_on_loopback_only()
    {
        var args = fixture.Batch.BrowserArguments;
        Assert.NotEmpty(args);
        Assert.Contains("--headless", args);
        foreach (var flag in new[] { "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync" })
        {
            Assert.Contains(flag, args);
        }
        // Chromium honours a single --disable-features: Playwright's list and ours are merged.
        var disableFeatures = Assert.Single(args, a => a.StartsWith("--disable-features=", StringComparison.Ordinal));
        Assert.Contains("AutofillServerCommunication", disableFeatures.Split('=', 2)[1].Split(','));
        Assert.Contains("MediaRouter", disableFeatures.Split('=', 2)[1].Split(','));
        Assert.Contains("--component-updater=url-source=http://127.0.0.1:9/update", args);
        Assert.Contains("/chromium", args[0]);
    }
}
