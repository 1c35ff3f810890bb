using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Meetings.Minutes;
using ChatRegs.TestSupport;

using static ChatRegs.Minutes.Tests.Support.MinutesHost;

namespace ChatRegs.Minutes.Tests;

/// <summary>The minutes' Markdown file shows what people typed as text: no links, images, lists or headings made from it.</summary>
public sealed class MinutesMarkdownTests
{
    private const string Discussion = "王小明：[点我](http://evil.example) **粗体** ![x](http://evil/x.png)\n- 列表\n1. 第一\n# 标题\n> 引用\nhttp://bare.example <b>x</b> | a | b |";
    private const string Outcome = "_同意_ ~~删~~ `代码` www.evil.example";
    private const string Decision = "[清理](javascript:alert(1)) **通道**";

    [Trait("Category", "Slow")] // starts Chromium, Node or its own Azurite: skipped by scripts/test.sh --fast (docs/testing.md)
    [Fact]
    public async Task Text_people_typed_reads_as_typed_in_the_markdown_file()
    {
        await using var host = await StartAsync();
        var form = FilledForm();
        form["discussion_t0"] = Discussion;
        form["outcome_t0"] = Outcome;
        form["desc_0"] = Decision;
        await host.SubmitMinutesAsync(form);
        var context = (await host.Feature.Get<MinutesService>().LoadAsync(Tenant, Meeting, default))!;
        var versions = await host.Store.VersionsAsync(Tenant, Meeting, default);
        var md = System.Text.Encoding.UTF8.GetString(MinutesExport.Markdown(context, versions, host.Feature.Get<MinutesCards>(), host.Feature.Get<Localizer>(), "zh-CN"));

        var html = MarkdownHtml.Render(md);
        var tags = MarkdownHtml.Tags(html);
        foreach (var tag in new[] { "a", "img", "em", "ol", "blockquote", "code", "s", "table", "b" })
        {
            Assert.False(tags.Contains(tag), $"<{tag}> in the rendered minutes:\n{html}");
        }
        // the document's own structure is still there: one title, topic headings, the field list
        Assert.Contains("<h1>会议纪要 — 周工作例会</h1>", html);
        Assert.Contains("<h3>", html);
        Assert.Contains("<ul>", html);
        // bold only for the five field labels the export writes itself
        Assert.Equal(5, System.Text.RegularExpressions.Regex.Count(html, "<strong>"));

        var text = MarkdownHtml.Text(html);
        Assert.Contains("王小明：[点我](http://evil.example) **粗体** ![x](http://evil/x.png)", text);
        Assert.Contains("- 列表", text);
        Assert.Contains("1. 第一", text);
        Assert.Contains("# 标题", text);
        Assert.Contains("http://bare.example <b>x</b> | a | b |", text);
        Assert.Contains("商议结果：_同意_ ~~删~~ `代码` www.evil.example", text);
        Assert.Contains("[清理](javascript:alert(1)) **通道**", text);
    }

    [Fact]
    public async Task Cells_a_spreadsheet_would_run_as_a_formula_are_written_as_text()
    {
        await using var host = await StartAsync();
        var form = FilledForm();
        form["discussion_t0"] = "=HYPERLINK(\"http://evil.example\",\"点我\")";
        form["outcome_t0"] = "+1+1";
        form["desc_0"] = "@SUM(1,1)";
        await host.SubmitMinutesAsync(form);
        var context = (await host.Feature.Get<MinutesService>().LoadAsync(Tenant, Meeting, default))!;
        var versions = await host.Store.VersionsAsync(Tenant, Meeting, default);
        var csv = System.Text.Encoding.UTF8.GetString(MinutesExport.Csv(context, versions, host.Feature.Get<MinutesCards>(), host.Feature.Get<Localizer>(), "zh-CN"));
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"点我\"\")\"", csv);
        Assert.Contains("\"'+1+1\"", csv);
        Assert.Contains("\"'@SUM(1,1)\"", csv);
        Assert.DoesNotContain(",=", csv);
        Assert.DoesNotContain(",+", csv);
        Assert.DoesNotContain(",@", csv);
    }
}
