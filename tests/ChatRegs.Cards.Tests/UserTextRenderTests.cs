using System.Text.Json.Nodes;
using ChatRegs.Bot.Localization;
using ChatRegs.Cards.Templating;
using ChatRegs.Cards.Tests.Infrastructure;

namespace ChatRegs.Cards.Tests;

/// <summary>
/// Text people type is shown as text: cards bound the way the bot binds them (CardFactory), with
/// Markdown in the data, rendered by the official renderer with a Markdown processor that also
/// auto-links bare URLs. Nothing a person typed may become a link, an image or formatting.
/// </summary>
public sealed class UserTextRenderFixture
{
    /// <summary>The issue's example, plus every other construct a Markdown host formats.</summary>
    public const string Hostile =
        "[点我](http://evil.example) **粗体** ![x](http://evil/x.png) - item\n" +
        "- 列表\n1. 第一\n2) 第二\n# 标题\n> 引用\n" +
        "__粗__ _斜_ *斜* ~~删~~ `代码` <b>html</b> &lt; http://bare.example www.bare.example a@b.example\n" +
        "---\n| a | b |\n+ 加 {{DATE(2017-02-14T06:08:39Z, SHORT)}}";

    public const string HostileName = "**王小明** [管理员](https://evil.example)";

    /// <summary>Binds with the bot's own CardFactory (string table and locale at the root, and whatever escaping it applies).</summary>
    public static class Factory
    {
        private static readonly ChatRegs.Bot.Cards.CardFactory Bot = new(Localizer.Default);

        public static JsonNode Bind(string name, JsonObject data, string locale) => Bot.Bind(name, data, locale);
    }

    public UserTextRenderFixture()
    {
        var requests = new List<CardRenderer.Request>();

        // a real card, as an approver sees it: the reason and the requester's Teams name are hostile
        var leave = CardTemplates.LoadSample("LeaveApproval")!.AsObject();
        leave["reason"] = Hostile;
        leave["requester"] = HostileName;
        leave["heading"] = "请假审批：" + HostileName;
        leave["values"]!["comment"] = Hostile;
        LeaveApproval = Factory.Bind("LeaveApproval", leave, Localizer.Chinese);
        requests.Add(new CardRenderer.Request("real:LeaveApproval", LeaveApproval, null));

        // every card, with every string of its sample data replaced by hostile text
        foreach (var name in CardTemplates.Names)
        {
            var data = (JsonObject)Hostilize(CardTemplates.LoadSample(name)!)!;
            foreach (var locale in CardCases.Locales)
            {
                JsonNode card;
                try
                {
                    card = Factory.Bind(name, data, locale);
                }
                catch (TemplateException ex)
                {
                    // an expression that needs a date or a number: that template is not about text
                    Skipped[name + "." + locale] = ex.Message;
                    continue;
                }
                requests.Add(new CardRenderer.Request($"all:{name}.{locale}", card, null));
            }
        }
        Batch = CardRenderer.Render(requests);
    }

    public JsonNode LeaveApproval { get; }

    public Dictionary<string, string> Skipped { get; } = new(StringComparer.Ordinal);

    public CardRenderer.Batch Batch { get; }

    private static JsonNode? Hostilize(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Hostilize(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Hostilize).ToArray()),
        JsonValue value when value.GetValueKind() == System.Text.Json.JsonValueKind.String => JsonValue.Create(Hostile),
        _ => node?.DeepClone(),
    };
}

[Trait("Category", "Slow")] // starts Chromium, Node or its own Azurite: skipped by scripts/test.sh --fast (docs/testing.md)
public sealed class UserTextRenderTests(UserTextRenderFixture fixture) : IClassFixture<UserTextRenderFixture>
{
    private static readonly string[] Formatting = ["a", "strong", "em", "img", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "del", "s", "blockquote", "hr", "table", "b"];

    public static TheoryData<string, string> Cards => CardCases.All;

    [Fact]
    public void A_hostile_reason_and_name_render_as_literal_text_on_the_leave_approval_card()
    {
        var report = fixture.Batch.Reports["real:LeaveApproval"];
        Assert.True(report.Problems.Count == 0, string.Join(Environment.NewLine, report.Problems));
        Assert.DoesNotContain("<a", report.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<strong", report.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", report.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(report.TextBlockTags.Intersect(Formatting));

        // the approver reads exactly what was typed
        var text = report.Text;
        Assert.Contains("[点我](http://evil.example) **粗体** ![x](http://evil/x.png) - item", text);
        Assert.Contains("**王小明** [管理员](https://evil.example)", text);
        Assert.Contains("__粗__ _斜_ *斜* ~~删~~ `代码` <b>html</b> &lt; http://bare.example www.bare.example a@b.example", text);
        Assert.Contains("{{DATE(2017-02-14T06:08:39Z, SHORT)}}", text);
        Assert.DoesNotContain("\\", text);
    }

    [Fact]
    public void The_comment_box_gets_the_text_as_typed_not_escaped()
    {
        var input = fixture.LeaveApproval.AsObject().Descendants().Single(o => (string?)o["type"] == "Input.Text" && (string?)o["id"] == "comment");
        Assert.Equal(UserTextRenderFixture.Hostile, (string?)input["value"]);
    }

    [Theory]
    [MemberData(nameof(Cards))]
    public void No_card_formats_text_from_its_data(string name, string locale)
    {
        if (!fixture.Batch.Reports.TryGetValue($"all:{name}.{locale}", out var report))
        {
            Assert.True(fixture.Skipped.ContainsKey(name + "." + locale));
            return;
        }
        var formatted = report.TextBlockTags.Intersect(Formatting).ToList();
        Assert.True(formatted.Count == 0, $"{name} ({locale}) formats text from its data as {string.Join(", ", formatted)}:\n{report.Html}");
    }

    [Fact]
    public void Nearly_every_card_takes_hostile_text()
    {
        // the theory above must look at real cards, not skip them
        Assert.True(fixture.Skipped.Count <= CardTemplates.Names.Count / 4,
            "skipped: " + string.Join("; ", fixture.Skipped.Select(s => s.Key + ": " + s.Value)));
    }
}

internal static class JsonDescendants
{
    public static IEnumerable<JsonObject> Descendants(this JsonObject root)
    {
        var stack = new Stack<JsonNode?>([root]);
        while (stack.Count > 0)
        {
            switch (stack.Pop())
            {
                case JsonObject obj:
                    yield return obj;
                    foreach (var p in obj)
                    {
                        stack.Push(p.Value);
                    }
                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        stack.Push(item);
                    }
                    break;
            }
        }
    }
}
