using System.Text.Json.Nodes;
using ChatRegs.Cards.Tests.Infrastructure;
using ChatRegs.TestSupport;

namespace ChatRegs.Cards.Tests;

/// <summary>
/// Issue #17 end to end: a person whose Teams name is Markdown asks for leave with a reason full
/// of Markdown, over HTTP as Teams sends it; the approval card the bot sends the approver is
/// rendered by the official renderer (with a Markdown processor, as Teams formats TextBlocks and
/// facts). Nothing the person typed is bold, a link, a heading, a list or a mention, and the
/// approver reads exactly what was typed.
/// </summary>
[Trait("Category", "Slow")] // starts Chromium, Node or its own Azurite: skipped by scripts/test.sh --fast (docs/testing.md)
public sealed class BotUserTextRenderTests
{
    private const string Tenant = "tenant-md";
    private const string Requester = "29:wang";
    private const string Approver = "29:li";

    /// <summary>The requester's Teams name.</summary>
    private const string Name = "**Boss** [管理员](https://evil.example) <at>李娜</at>";

    /// <summary>The reason, line by line.</summary>
    private static readonly string[] ReasonLines =
    [
        "[click](https://evil.example) **急事** _请批_ `code`",
        "# 标题",
        "1. 第一条",
        "- 列表项",
        "> 引用 <at>李娜</at> <b>粗</b> https://evil.example/x",
    ];

    private static readonly string[] Formatting = ["a", "strong", "em", "b", "img", "li", "ul", "ol", "h1", "h2", "h3", "code", "pre", "blockquote", "at"];

    [Fact]
    public async Task A_hostile_name_and_reason_reach_the_approver_as_literal_text_in_the_official_renderer()
    {
        await using var host = await HttpFeatureHost.StartAsync(Tenant, new DateTimeOffset(2026, 11, 26, 10, 0, 0, FeatureHost.Shanghai));
        await host.PersonAsync(Requester, Name, team: "工程部");
        await host.PersonAsync(Approver, "李娜", team: "工程部");
        await host.DepartmentAsync("工程部", Approver);

        await host.SayAsync(Requester, "请假");
        await host.SubmitAsync(Requester, new JsonObject { ["verb"] = "leave.target", ["target"] = "days" });
        var done = await host.SubmitAsync(Requester, new JsonObject
        {
            ["verb"] = "leave.submit", ["type"] = "personal", ["reason"] = string.Join("\n", ReasonLines),
            ["fromDate"] = "2026-12-02", ["fromHalf"] = "am", ["toDate"] = "2026-12-02", ["toHalf"] = "pm",
        });
        var card = Assert.Single(host.Connector.PostedTo(FeatureHost.ChatOf(Approver))).CardJson;
        Assert.True(card != null, "the approver got no card: " + JsonReplies.ReadableText(done));

        var report = CardRenderer.Render([new CardRenderer.Request("approval", card, null)]).Reports["approval"];
        Assert.True(report.Problems.Count == 0, string.Join(Environment.NewLine, report.Problems));

        // nothing typed became formatting, a link or a mention
        var formatted = report.TextBlockTags.Intersect(Formatting).ToList();
        Assert.True(formatted.Count == 0, $"formatted as {string.Join(", ", formatted)}:\n{report.Html}");
        foreach (var tag in new[] { "<a", "<strong", "<em", "<h1", "<ol", "<li", "<blockquote", "<code", "<at" })
        {
            Assert.DoesNotContain(tag, report.Html, StringComparison.OrdinalIgnoreCase);
        }

        // the approver reads what was typed, without a backslash
        Assert.Contains(Name, report.Text);
        foreach (var line in ReasonLines)
        {
            Assert.Contains(line, report.Text);
        }
        Assert.DoesNotContain("\\", report.Text);
    }
}
