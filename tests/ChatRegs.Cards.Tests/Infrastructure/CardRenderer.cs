using System.Text.Json.Nodes;

namespace ChatRegs.Cards.Tests.Infrastructure;

/// <summary>
/// Renders a batch of cards with the official adaptivecards renderer in one headless Chromium
/// (js/render-cards.js) and reports, per card, everything that the renderer, the page or
/// <see cref="CardLint"/> found wrong.
/// </summary>
public static class CardRenderer
{
    /// <param name="WithoutCharts">Render as a host without Teams' chart elements (their fallback shows).</param>
    public sealed record Request(string Id, JsonNode Card, string? Screenshot, bool WithoutCharts = false);

    public sealed record Report(string Id, JsonNode Card, JsonObject Result)
    {
        public bool Rendered => Result["rendered"]?.GetValue<bool>() ?? false;

        public double Height => Result["height"]?.GetValue<double>() ?? 0;

        /// <summary>The rendered card's HTML (what the renderer made of the text: links, images, formatting).</summary>
        public string Html => Result["html"]?.GetValue<string>() ?? "";

        /// <summary>The text the person sees (innerText of the rendered card).</summary>
        public string Text => Result["text"]?.GetValue<string>() ?? "";

        /// <summary>The elements found inside text blocks and facts (e.g. "p", or "a", "strong", "img" when Markdown formatted something).</summary>
        public IReadOnlyList<string> TextBlockTags => Result["textBlockTags"] is JsonArray tags ? tags.Select(t => t!.GetValue<string>()).ToList() : [];

        /// <summary>Every error or warning: renderer parse and validation events, console errors
        /// and warnings, page errors, and the checks the renderer does not make.</summary>
        public IReadOnlyList<string> Problems
        {
            get
            {
                var problems = new List<string>();
                foreach (var key in new[] { "parseEvents", "validationEvents" })
                {
                    foreach (var e in Result[key]!.AsArray())
                    {
                        problems.Add($"renderer {e!["phase"]} {e["event"]}: {e["message"]}");
                    }
                }
                problems.AddRange(Result["console"]!.AsArray().Select(m => "console " + m));
                problems.AddRange(Result["pageErrors"]!.AsArray().Select(m => "page error: " + m));
                if (Result["renderError"]?.GetValue<string>() is { } error)
                {
                    problems.Add("render threw: " + error);
                }
                if (!Rendered)
                {
                    problems.Add("the renderer produced no element");
                }
                problems.AddRange(CardLint.Check(Card));
                return problems;
            }
        }
    }

    public sealed record Batch(string BrowserVersion, IReadOnlyList<string> BrowserArguments, IReadOnlyDictionary<string, Report> Reports);

    public static Batch Render(IEnumerable<Request> requests)
    {
        Tools.RequireNodePackages("playwright-core", "adaptivecards", "markdown-it");
        Tools.RequireChromium();
        var list = requests.ToList();
        var dir = Tools.NewWorkDirectory("render");
        try
        {
            var input = Path.Combine(dir, "cards.json");
            var output = Path.Combine(dir, "results.json");
            var cards = new JsonArray();
            foreach (var r in list)
            {
                cards.Add(new JsonObject { ["id"] = r.Id, ["card"] = r.Card.DeepClone(), ["screenshot"] = r.Screenshot, ["withoutCharts"] = r.WithoutCharts });
            }
            File.WriteAllText(input, new JsonObject { ["chromium"] = Tools.ChromiumPath, ["cards"] = cards }.ToJsonString());
            Tools.RunNode(Tools.Script("render-cards.js"), TimeSpan.FromMinutes(3), input, output);

            var document = JsonNode.Parse(File.ReadAllText(output))!.AsObject();
            var browser = document["browser"]!;
            var args = browser["args"] is JsonArray a ? a.Select(x => x!.GetValue<string>()).ToList() : [];
            var reports = new Dictionary<string, Report>(StringComparer.Ordinal);
            foreach (var result in document["results"]!.AsArray())
            {
                var id = result!["id"]!.GetValue<string>();
                reports[id] = new Report(id, list.Single(r => r.Id == id).Card, result.AsObject());
            }
            return new Batch(browser["version"]!.GetValue<string>(), args, reports);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
