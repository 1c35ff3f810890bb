using System.Text.Json.Nodes;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.WeeklyReports;
using ChatRegs.WeeklyReports.Tests.Support;
using static ChatRegs.WeeklyReports.Tests.Support.WeeklyHost;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.WeeklyReports.Tests;

/// <summary>
/// 例会制度(四) 第三条: the weekly report lists last week's plan items — carried over from the
/// previous report's plan, one item per line — each chosen as 已完成 / 进行中 / 未完成 on the card;
/// the digest and its exports show them. Old (free-text) reports still load.
/// </summary>
public sealed class PlanReviewTests
{
    private static readonly Localizer Strings = Localizer.Default;

    private static JsonObject Form(params (string Field, string Value)[] more)
    {
        var form = new JsonObject
        {
            ["verb"] = WeeklyReportDialog.SubmitVerb,
            ["summary"] = "完成三季度考勤汇总，培训已办一场。",
            ["plan"] = "完成第二场新员工培训\n起草年终考核方案",
            ["issues"] = "",
            ["coordination"] = "",
            ["suggestionTitle"] = "周会材料提前发",
            ["suggestionDetails"] = "周会材料提前一天发到群里，会上只讨论问题。",
        };
        foreach (var (field, value) in more)
        {
            form[field] = value;
        }
        return form;
    }

    private static string Status(string locale, string status) => Strings.Get(locale, "weeklyReports.planStatus." + status);

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task Last_weeks_plan_items_are_marked_one_by_one_and_the_digest_and_exports_show_them(string locale)
    {
        // Thursday of 2026-W48; Wang handed in 2026-W47 before this existed: free text, one plan item per line.
        await using var host = await StartAsync(Local(2026, 11, 26, 10));
        await host.AddDepartmentAsync("综合部", "29:zhang");
        await host.AddPersonAsync("29:zhang", "张伟", "综合部", locale);
        await host.AddPersonAsync("29:wang", "王小明", "综合部", locale);
        await Seed.ReportAsync(host, "综合部", "2026-W47", "29:wang", "王小明", Local(2026, 11, 20, 15), false,
            "整理三季度考勤。", "完成三季度考勤汇总\n- 组织新员工培训\n\n国庆值班表报总经理室");
        var store = host.Get<WeeklyReportStore>();

        var open = await host.SayAsync("29:wang", Strings.Get(locale, "commands.report.name"), locale);
        var card = Card(open);
        Assert.Equal(["planItem1", "planItem2", "planItem3", "summary", "plan"], Inputs(card).Take(5));
        var text = CardText(card);
        Assert.Contains(Strings.Get(locale, "weeklyReports.form.planReviewIntro", ReportText.Week(Strings, locale, "2026-W47")), text);
        Assert.Contains("1. 完成三季度考勤汇总", text);
        Assert.Contains("2. 组织新员工培训", text);
        Assert.Contains("3. 国庆值班表报总经理室", text);
        Assert.Equal(["done", "inProgress", "notDone"], Choices(card, "planItem1").Keys);
        Assert.Equal([Status(locale, "done"), Status(locale, "inProgress"), Status(locale, "notDone")], Choices(card, "planItem1").Values);

        // A status for each item is required, and only one of the three: what was chosen stays chosen.
        var bad = Card(await host.SubmitAsync("29:wang", Form(("planItem1", "done"), ("planItem3", "finished")), locale));
        Assert.Equal("done", InputValue(bad, "planItem1"));
        Assert.Equal(2, CardText(bad).Split(Strings.Get(locale, "weeklyReports.errors.planStatusRequired")).Length - 1);
        Assert.Null(await store.GetAsync(Tenant, "综合部", "2026-W48", "29:wang"));

        await host.SubmitAsync("29:wang", Form(("planItem1", "done"), ("planItem2", "inProgress"), ("planItem3", "notDone")), locale);
        var saved = (await store.GetAsync(Tenant, "综合部", "2026-W48", "29:wang"))!;
        Assert.Equal([new PlanItem("完成三季度考勤汇总", "done"), new PlanItem("组织新员工培训", "inProgress"), new PlanItem("国庆值班表报总经理室", "notDone")], saved.PlanReview);

        // Editing before the deadline: the items come back with their statuses.
        var again = Card(await host.SayAsync("29:wang", Strings.Get(locale, "commands.report.name"), locale));
        Assert.Equal("inProgress", InputValue(again, "planItem2"));
        Assert.Equal("notDone", InputValue(again, "planItem3"));

        // The old report still loads, as it was written.
        var last = ReadableText(await host.SayAsync("29:wang", Strings.Get(locale, "commands.lastReport.name") + " 2026-W47", locale));
        Assert.Contains("国庆值班表报总经理室", last);

        // The digest after the deadline, its Markdown and its CSV show each item's status.
        host.MoveTo(Local(2026, 11, 27, 18));
        var line = Strings.Get(locale, "weeklyReports.planStatus.line", Status(locale, "inProgress"), "组织新员工培训");
        var digest = ReadableText(await host.SayAsync("29:zhang", Strings.Get(locale, "commands.digest.name"), locale));
        Assert.Contains(Strings.Get(locale, "weeklyReports.fields.planReview"), digest);
        Assert.Contains(line, digest);
        var md = await host.SubmitAsync("29:zhang", new JsonObject { ["verb"] = WeeklyDigestCards.ExportVerb, ["team"] = "综合部", ["week"] = "2026-W48", ["format"] = "md" }, locale);
        Assert.Contains(WeeklyDigestExport.Escape(line), (await ExportFiles.FileAsync(host, md)).Content);
        var csv = await host.SubmitAsync("29:zhang", new JsonObject { ["verb"] = WeeklyDigestCards.ExportVerb, ["team"] = "综合部", ["week"] = "2026-W48", ["format"] = "csv" }, locale);
        var rows = ExportFiles.ReadCsv((await ExportFiles.FileAsync(host, csv, expectBom: true)).Content);
        Assert.Equal(Strings.Get(locale, "weeklyReports.fields.planReview"), rows[0][^1]);
        Assert.Equal(string.Join("\n",
            Strings.Get(locale, "weeklyReports.planStatus.line", Status(locale, "done"), "完成三季度考勤汇总"),
            line,
            Strings.Get(locale, "weeklyReports.planStatus.line", Status(locale, "notDone"), "国庆值班表报总经理室")), rows.Single(r => r[0] == "王小明")[^1]);
    }

    [Fact]
    public async Task Without_a_report_last_week_nothing_is_carried_over()
    {
        await using var host = await StartAsync(Local(2026, 11, 26, 10));
        await host.AddDepartmentAsync("综合部", "29:zhang");
        await host.AddPersonAsync("29:wang", "王小明", "综合部");
        var card = Card(await host.SayAsync("29:wang", "周报"));
        Assert.DoesNotContain(Inputs(card), i => i.StartsWith("planItem", StringComparison.Ordinal));
        await host.SubmitAsync("29:wang", Form());
        Assert.Empty((await host.Get<WeeklyReportStore>().GetAsync(Tenant, "综合部", "2026-W48", "29:wang"))!.PlanReview);
    }
}
