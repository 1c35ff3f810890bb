using System.Text;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Exports;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.WeeklyReports;
using ChatRegs.TestSupport;
using ChatRegs.WeeklyReports.Tests.Support;
using CsvHelper;
using Newtonsoft.Json.Linq;
using Xunit.Abstractions;
using static ChatRegs.WeeklyReports.Tests.Support.WeeklyHost;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.WeeklyReports.Tests;

/// <summary>The digest (周报汇总): who may read it, what it shows, its Markdown and CSV exports, and its paging for a large team.</summary>
public sealed class DigestTests(ITestOutputHelper output)
{
    private static readonly Localizer Strings = Localizer.Default;

    /// <summary>综合部 after Friday's deadline of 2026-W48: two reports (one late), one missing, one exempt.</summary>
    private static async Task<WeeklyHost> TeamWeekAsync(string locale)
    {
        var host = await StartAsync(Local(2026, 11, 27, 18));
        await host.AddDepartmentAsync("综合部", "29:zhang");
        await host.AddDepartmentAsync("客服部", "29:liu");
        await host.AddPersonAsync("29:zhang", "张伟", "综合部", locale);
        await host.AddPersonAsync("29:wang", "王小明", "综合部");
        await host.AddPersonAsync("29:li", "李娜", "综合部");
        await host.AddPersonAsync("29:sam", "Sam Lee", "综合部", "en");
        await host.AddPersonAsync("29:chen", "陈晨", "综合部");
        await host.AddPersonAsync("29:liu", "刘洋", "客服部", locale);
        await host.AddPersonAsync("29:office", "陈静", null, locale, "office");
        host.Leave.Add("29:chen", Local(2026, 11, 26, 0), Local(2026, 11, 28, 0));
        await Seed.ReportAsync(host, "综合部", "2026-W48", "29:zhang", "张伟", Local(2026, 11, 27, 11, 40), false, "审定三季度考勤汇总。", "主持周例会，布置年终考核。");
        await Seed.ReportAsync(host, "综合部", "2026-W48", "29:wang", "王小明", Local(2026, 11, 27, 15, 2), false,
            "完成三季度考勤汇总；组织新员工培训。", "起草年终考核方案。", issues: "培训场地不足。", coordination: "财务部：报销单据周三前审核\n人力资源部：年终考核口径");
        await Seed.ReportAsync(host, "综合部", "2026-W48", "29:li", "李娜", Local(2026, 11, 27, 17, 30), true,
            "# 不是标题\n- 不是列表\n回访会员客户 42 位。", "完成剩余回访。", issues: "=HYPERLINK(\"http://evil.example\")");
        await Seed.SuggestionAsync(host, "2026-W48", "29:wang", "王小明", Local(2026, 11, 25, 10), "周会材料提前发", "周会材料提前一天发到群里，会上只讨论问题。");
        await Seed.SuggestionAsync(host, "2026-W48", "29:li", "李娜", Local(2026, 11, 27, 17, 29), "回访时段表", "按客户登记的休息时间生成可拨打时段表。");
        return host;
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task The_department_head_sees_who_handed_in_the_reports_by_person_and_every_item_in_one_list(string locale)
    {
        await using var host = await TeamWeekAsync(locale);
        var replies = await host.SayAsync("29:zhang", Strings.Get(locale, "commands.digest.name"), locale);
        var card = Card(replies);
        var text = ReadableText(replies);

        Assert.Contains(Strings.Get(locale, "weeklyReports.digest.heading", "综合部", ReportText.Week(Strings, locale, "2026-W48")), text);
        Assert.Contains(Strings.Get(locale, "weeklyReports.digest.counts", 4, 2, 1, 1, 1), text);
        string Group(ReportState state, int n, string names) => Strings.Get(locale, "weeklyReports.digest.group", ReportText.State(Strings, locale, state), n) + "\n" + names;
        var handedIn = text.Split('\n').SkipWhile(l => l != Strings.Get(locale, "weeklyReports.digest.group", ReportText.State(Strings, locale, ReportState.Submitted), 2)).Skip(1).First();
        Assert.Equal(["张伟", "王小明"], handedIn.Split(Strings.Get(locale, "weeklyReports.digest.nameSeparator")).Order());
        Assert.Contains(Group(ReportState.Late, 1, "李娜"), text);
        Assert.Contains(Group(ReportState.Missing, 1, "Sam Lee"), text);
        Assert.Contains(Group(ReportState.Exempt, 1, "陈晨"), text);
        // Reports by person, on time first; the late one marked.
        Assert.True(text.IndexOf("完成三季度考勤汇总", StringComparison.Ordinal) < text.IndexOf("回访会员客户 42 位", StringComparison.Ordinal));
        Assert.Contains(Strings.Get(locale, "weeklyReports.fields.issues") + "\n培训场地不足。", text);
        // Suggestions and coordination items gathered, each with who brought it.
        Assert.Contains(Strings.Get(locale, "weeklyReports.digest.itemsHeader", 4), text);
        Assert.Contains(Strings.Get(locale, "weeklyReports.digest.suggestionTag") + " · 李娜\n回访时段表\n按客户登记的休息时间生成可拨打时段表。", text);
        Assert.Contains(Strings.Get(locale, "weeklyReports.digest.coordinationTag") + " · 王小明\n人力资源部：年终考核口径", text);
        Assert.Contains(Strings.Get(locale, "weeklyReports.digest.page", 1, 1), text);
        Assert.True(Bytes(card) < 80 * 1024);
    }

    [Theory]
    [InlineData("zh-CN", "交周报情况（人）", "已交", "逾期", "未交", "免交（请假）")]
    [InlineData("en", "Weekly reports handed in (people)", null, null, null, null)]
    public async Task The_digest_shows_the_hand_in_as_a_pie_with_a_table_for_hosts_without_charts(string locale, string title, string? submitted, string? late, string? missing, string? exempt)
    {
        await using var host = await TeamWeekAsync(locale);
        var card = JObject.Parse(Card(await host.SayAsync("29:zhang", Strings.Get(locale, "commands.digest.name"), locale)).ToJsonString());
        var chart = Charts.Single(card, "Chart.Pie");
        Assert.Equal(title, (string?)chart["title"]);
        Assert.Equal(locale == "en" ? "en" : "zh", (string?)chart["lang"]);
        string State(ReportState s, string? expected) => expected ?? ReportText.State(Strings, locale, s);
        // 张伟 and 王小明 on time, 李娜 late, Sam Lee missing, 陈晨 on leave (exempt).
        Charts.AssertShows(chart, (State(ReportState.Submitted, submitted), 2), (State(ReportState.Late, late), 1), (State(ReportState.Missing, missing), 1), (State(ReportState.Exempt, exempt), 1));
        if (locale == "en")
        {
            Assert.DoesNotContain(Charts.Points(chart), p => p.Label.Any(c => c > 0x2E80));
        }
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Only_recipients_and_the_office_may_read_it_whatever_the_card_says(string locale)
    {
        await using var host = await TeamWeekAsync(locale);
        var refusal = Strings.Get(locale, "weeklyReports.auth.digest");

        // 刘洋 heads 客服部: typing the command shows his own department's digest, asking for 综合部 is refused.
        Assert.Contains(Strings.Get(locale, "weeklyReports.digest.heading", "客服部", ReportText.Week(Strings, locale, "2026-W48")),
            ReadableText(await host.SayAsync("29:liu", Strings.Get(locale, "commands.digest.name"), locale)));
        Assert.Equal(refusal, ReadableText(await host.SayAsync("29:liu", Strings.Get(locale, "commands.digest.name") + " 综合部", locale)));
        // A plain member receives no digest at all.
        Assert.Equal(refusal, ReadableText(await host.SayAsync("29:wang", Strings.Get(locale, "commands.digest.name"), locale)));
        // Forged buttons naming the team change nothing: paging and exports are refused too.
        Assert.Equal(refusal, ReadableText(await host.SubmitAsync("29:wang", new JsonObject { ["verb"] = WeeklyDigestCards.PageVerb, ["team"] = "综合部", ["week"] = "2026-W48", ["page"] = 1 }, locale)));
        var export = await host.SubmitAsync("29:wang", new JsonObject { ["verb"] = WeeklyDigestCards.ExportVerb, ["team"] = "综合部", ["week"] = "2026-W48", ["format"] = "csv" }, locale);
        Assert.Equal(refusal, ReadableText(export));
        Assert.Empty(export[0]!["attachments"]?.AsArray() ?? []);
        var execute = await host.ExecuteAsync("29:wang", WeeklyDigestCards.PageVerb, new JsonObject { ["team"] = "综合部", ["week"] = "2026-W48", ["page"] = 2 }, locale);
        Assert.Equal(refusal, (string?)execute["value"]);

        // The office reads every department: it chooses one first.
        var choice = ReadableText(await host.SayAsync("29:office", Strings.Get(locale, "commands.digest.name"), locale));
        Assert.Contains(Strings.Get(locale, "weeklyReports.digest.chooseTeam"), choice);
        Assert.Contains("综合部", choice);
        Assert.Contains("客服部", choice);
        var picked = ReadableText(await host.SubmitAsync("29:office", new JsonObject { ["verb"] = WeeklyDigestCards.PageVerb, ["team"] = "综合部", ["week"] = "2026-W48", ["page"] = 1 }, locale));
        Assert.Contains("Sam Lee", picked);

        // A department that does not exist, and a week that is not one.
        Assert.StartsWith(Strings.Get(locale, "weeklyReports.digest.unknownTeam", "销售部", "").TrimEnd(), ReadableText(await host.SayAsync("29:office", Strings.Get(locale, "commands.digest.name") + " 销售部", locale)));
        Assert.Equal(Strings.Get(locale, "weeklyReports.futureWeek", "2026-W52", "2026-W48"), ReadableText(await host.SayAsync("29:office", Strings.Get(locale, "commands.digest.name") + " 综合部 2026-W52", locale)));
    }

    [Theory]
    [InlineData("zh-CN", "周报汇总-综合部-2026-W48")]
    [InlineData("en", "weekly-digest-综合部-2026-W48")]
    public async Task Exports_as_Markdown_and_CSV_with_what_people_typed_kept_harmless(string locale, string fileName)
    {
        await using var host = await TeamWeekAsync(locale);

        var md = await host.SubmitAsync("29:zhang", new JsonObject { ["verb"] = WeeklyDigestCards.ExportVerb, ["team"] = "综合部", ["week"] = "2026-W48", ["format"] = "md" }, locale);
        var (mdName, mdType, markdown) = await ExportFiles.FileAsync(host, md);
        Assert.Equal(fileName + ".md", mdName);
        Assert.Equal("text/markdown", mdType);
        Assert.Equal(Strings.Get(locale, "weeklyReports.export.done", fileName + ".md", 5), (string?)md[0]!["attachments"]![0]!["content"]!["description"]);
        Assert.StartsWith("# " + Strings.Get(locale, "weeklyReports.digest.heading", "综合部", ReportText.Week(Strings, locale, "2026-W48")), markdown);
        Assert.Contains("### 王小明", markdown);
        // (The label is escaped like all text: the English "(Late)" reads as "\(Late\)" in the source.)
        Assert.Contains("### 李娜" + WeeklyDigestExport.Escape(Strings.Get(locale, "weeklyReports.digest.bracket", Strings.Get(locale, "weeklyReports.state.late"))), markdown);
        // A person's text cannot add headings or lists to the file.
        Assert.Contains("\\# 不是标题  \n\\- 不是列表  \n回访会员客户 42 位。", markdown);
        Assert.DoesNotContain("\n# 不是标题", markdown);
        // The gathered list: the suggestions, then the coordination items, numbered.
        Assert.Matches(@"\n[12]\. \[" + Strings.Get(locale, "weeklyReports.digest.suggestionTag") + @"\] \*\*回访时段表\*\*" + Strings.Get(locale, "weeklyReports.digest.colon")
            + "按客户登记的休息时间生成可拨打时段表。" + System.Text.RegularExpressions.Regex.Escape(WeeklyDigestExport.Escape(Strings.Get(locale, "weeklyReports.digest.bracket", "李娜"))), markdown);
        Assert.Contains("\n4. [" + Strings.Get(locale, "weeklyReports.digest.coordinationTag") + "] 人力资源部：年终考核口径", markdown);

        var csvReply = await host.SubmitAsync("29:zhang", new JsonObject { ["verb"] = WeeklyDigestCards.ExportVerb, ["team"] = "综合部", ["week"] = "2026-W48", ["format"] = "csv" }, locale);
        var (csvName, csvType, csv) = await ExportFiles.FileAsync(host, csvReply, expectBom: true);
        Assert.Equal(fileName + ".csv", csvName);
        Assert.Equal("text/csv", csvType);
        var rows = ExportFiles.ReadCsv(csv);
        Assert.Equal(6, rows.Count);
        Assert.Equal([Strings.Get(locale, "weeklyReports.csv.name"), Strings.Get(locale, "weeklyReports.csv.team"), Strings.Get(locale, "weeklyReports.csv.week"),
            Strings.Get(locale, "weeklyReports.csv.state"), Strings.Get(locale, "weeklyReports.csv.submitted"), Strings.Get(locale, "weeklyReports.fields.summary"),
            Strings.Get(locale, "weeklyReports.fields.plan"), Strings.Get(locale, "weeklyReports.fields.issues"), Strings.Get(locale, "weeklyReports.fields.coordination"),
            Strings.Get(locale, "weeklyReports.fields.suggestions"), Strings.Get(locale, "weeklyReports.fields.planReview")], rows[0]);
        // Handed in, late, missing, exempt.
        Assert.Equal(["张伟", "王小明"], rows.Skip(1).Take(2).Select(r => r[0]).Order());
        Assert.Equal(["李娜", "Sam Lee", "陈晨"], rows.Skip(3).Select(r => r[0]));
        var byName = rows.Skip(1).ToDictionary(r => r[0]);
        Assert.Equal(ReportText.State(Strings, locale, ReportState.Exempt), byName["陈晨"][3]);
        Assert.Equal("2026-11-27 15:02", byName["王小明"][4]);
        Assert.Equal("财务部：报销单据周三前审核\n人力资源部：年终考核口径", byName["王小明"][8]);
        Assert.Equal("周会材料提前发" + Strings.Get(locale, "weeklyReports.digest.colon") + "周会材料提前一天发到群里，会上只讨论问题。", byName["王小明"][9]);
        // A cell a spreadsheet would run as a formula is escaped.
        Assert.Equal("'=HYPERLINK(\"http://evil.example\")", byName["李娜"][7]);
        Assert.Equal("", byName["Sam Lee"][5]);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task A_300_person_team_pages_under_80_KB_and_every_report_is_on_exactly_one_page(string locale)
    {
        await using var host = await StartAsync(Local(2026, 11, 27, 18));
        await host.AddDepartmentAsync("运营部", "29:head");
        await host.AddPersonAsync("29:head", "主管", "运营部", locale);
        var summary = string.Concat(Enumerable.Repeat("本周完成客户回访与数据整理，", 12));
        var plan = string.Concat(Enumerable.Repeat("下周推进流程优化与培训，", 10));
        var names = new List<string>();
        await Parallel.ForEachAsync(Enumerable.Range(1, 300), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var id = $"29:p{i:D3}";
            var name = $"员工{i:D3}";
            await host.AddPersonAsync(id, name, "运营部");
            if (i % 10 != 0)
            {
                await Seed.ReportAsync(host, "运营部", "2026-W48", id, name, Local(2026, 11, 27, 16), i % 7 == 0, summary + name, plan, issues: "客户休息时间难以联系。", coordination: "财务部：报销审核");
                await Seed.SuggestionAsync(host, "2026-W48", id, name, Local(2026, 11, 26, 10), "建议" + name, "把回访时段按客户登记的休息时间排开。");
            }
        });

        var first = await host.SayAsync("29:head", Strings.Get(locale, "commands.digest.name"), locale);
        var card = Card(first);
        var pages = new List<JsonObject> { card };
        var pageCount = PageCount(card, locale);
        Assert.True(pageCount > 3, $"{pageCount} pages");
        for (var page = 2; page <= pageCount; page++)
        {
            // "Next page" turns the card in place (Action.Execute).
            var next = Next(pages[^1], locale);
            Assert.Equal("Action.Execute", (string?)next["type"]);
            var response = await host.ExecuteAsync("29:head", (string)next["verb"]!, next["data"]!.AsObject(), locale);
            Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)response["type"]);
            pages.Add(response["value"]!.AsObject());
        }
        output.WriteLine($"{pages.Count} pages: {string.Join(", ", pages.Select(p => $"{Bytes(p) / 1024.0:F1} KB"))}");
        Assert.All(pages, p => Assert.True(Bytes(p) < 80 * 1024, $"A page is {Bytes(p)} bytes."));
        Assert.Equal(pageCount, PageCount(pages[^1], locale));
        Assert.Null(NextOrNull(pages[^1], locale));
        // The hand-in pie is on the first page only, with the status lists (nobody exempt: no slice).
        Charts.AssertShows(Charts.Single(JObject.Parse(pages[0].ToJsonString()), "Chart.Pie"),
            (ReportText.State(Strings, locale, ReportState.Submitted), 232), (ReportText.State(Strings, locale, ReportState.Late), 38), (ReportText.State(Strings, locale, ReportState.Missing), 31));
        Assert.All(pages.Skip(1), p => Assert.False(Charts.Any(JObject.Parse(p.ToJsonString()))));

        // Every report appears once, across the pages; the status lists (first page) name everyone.
        var all = string.Join("\n", pages.Select(p => ReadableText(new JsonObject { ["attachments"] = new JsonArray(new JsonObject { ["content"] = p.DeepClone() }) })));
        for (var i = 1; i <= 300; i++)
        {
            var marker = summary + $"员工{i:D3}";
            var count = CountOf(all, marker);
            Assert.True(count == (i % 10 != 0 ? 1 : 0), $"员工{i:D3}'s report appears {count} times.");
        }
        Assert.Contains(Strings.Get(locale, "weeklyReports.digest.counts", 301, 232, 38, 31, 0), all);
        Assert.Contains(Strings.Get(locale, "weeklyReports.digest.itemsHeader", 270 + 270), all);
    }

    private static int PageCount(JsonObject card, string locale)
    {
        var lines = ReadableText(new JsonObject { ["attachments"] = new JsonArray(new JsonObject { ["content"] = card.DeepClone() }) }).Split('\n').ToHashSet();
        for (var n = 1; n < 100; n++)
        {
            for (var p = 1; p <= n; p++)
            {
                if (lines.Contains(Strings.Get(locale, "weeklyReports.digest.page", p, n)))
                {
                    return n;
                }
            }
        }
        throw new Xunit.Sdk.XunitException("No page label on the card.");
    }

    private static JsonObject Next(JsonObject card, string locale) => NextOrNull(card, locale) ?? throw new Xunit.Sdk.XunitException("No next-page button.");

    /// <summary>The "next page" button (an Action.Execute).</summary>
    private static JsonObject? NextOrNull(JsonObject card, string locale) =>
        Actions(card).SingleOrDefault(a => (string?)a["title"] == Strings.Get(locale, "weeklyReports.digest.next"));

    private static IEnumerable<JsonObject> Actions(JsonNode? node) => node switch
    {
        JsonObject obj when ((string?)obj["type"])?.StartsWith("Action.") == true => [obj],
        JsonObject obj => obj.SelectMany(p => Actions(p.Value)),
        JsonArray array => array.SelectMany(Actions),
        _ => [],
    };

    private static int CountOf(string text, string marker)
    {
        var count = 0;
        for (var at = text.IndexOf(marker, StringComparison.Ordinal); at >= 0; at = text.IndexOf(marker, at + marker.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
