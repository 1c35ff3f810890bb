using System.Text.Json.Nodes;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Suggestions;
using ChatRegs.Bot.WeeklyReports;
using ChatRegs.WeeklyReports.Tests.Support;
using static ChatRegs.WeeklyReports.Tests.Support.WeeklyHost;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.WeeklyReports.Tests;

/// <summary>Handing in, editing until the deadline, late submissions and last week's report — over HTTP, in both languages.</summary>
public sealed class SubmitTests
{
    private static readonly Localizer Strings = Localizer.Default;

    private static JsonObject Form(string summary, string plan, string issues = "", string coordination = "", string suggestionTitle = "", string suggestionDetails = "") => new()
    {
        ["verb"] = WeeklyReportDialog.SubmitVerb,
        ["summary"] = summary,
        ["plan"] = plan,
        ["issues"] = issues,
        ["coordination"] = coordination,
        ["suggestionTitle"] = suggestionTitle,
        ["suggestionDetails"] = suggestionDetails,
    };

    [Fact]
    public async Task The_form_sent_twice_at_the_same_moment_saves_one_report_and_one_suggestion_and_says_so()
    {
        await using var host = await StartAsync(Local(2026, 11, 26, 10));
        await host.AddDepartmentAsync("综合部", "29:zhang");
        await host.AddPersonAsync("29:wang", "王小明", "综合部");
        await host.SayAsync("29:wang", "周报");

        // A double click: two activities with the same form, both reading the dialog before either saves it.
        JsonObject Same() => Form("完成三季度考勤汇总，组织两场新员工培训。", "起草年终考核方案。", suggestionTitle: "会议材料提前发", suggestionDetails: "周会材料提前一天发到群里，会上只讨论问题。");
        var sends = await Task.WhenAll(host.SubmitAsync("29:wang", Same()), host.SubmitAsync("29:wang", Same()));

        var texts = sends.Select(ReadableText).ToList();
        Assert.NotNull(await host.Get<WeeklyReportStore>().GetAsync(Tenant, "综合部", "2026-W48", "29:wang"));
        Assert.Single(await host.Get<SuggestionStore>().ListAsync(Tenant, "2026-W48", "29:wang", default));
        Assert.Single(texts, t => t.StartsWith("已收到你 2026-W48", StringComparison.Ordinal));
        Assert.All(texts, t => Assert.NotEmpty(t));
        Assert.DoesNotContain(texts, t => t.Contains("没有保存成功", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("zh-CN", "周报", "上周周报", "11月27日（周五）17:00")]
    [InlineData("en", "report", "last report", "Fri 27 Nov 17:00")]
    public async Task Hand_in_edit_until_the_deadline_then_late_and_last_week(string locale, string report, string lastReport, string deadline)
    {
        // Thursday of 2026-W48; reports are due Friday 17:00.
        await using var host = await StartAsync(Local(2026, 11, 26, 10));
        await host.AddDepartmentAsync("综合部", "29:zhang");
        await host.AddPersonAsync("29:zhang", "张伟", "综合部", locale);
        await host.AddPersonAsync("29:wang", "王小明", "综合部", locale);
        await host.AddPersonAsync("29:li", "李娜", "综合部", locale);
        var store = host.Get<WeeklyReportStore>();

        // The form for this week, with its deadline.
        var open = await host.SayAsync("29:wang", report, locale);
        var form = ReadableText(open);
        Assert.Contains("2026-W48", form);
        Assert.Contains(deadline, form);
        Assert.Contains(Strings.Get(locale, "weeklyReports.form.suggestionsNone"), form);

        // Too short, no plan, no suggestion: the form comes back with a message next to each field, and what was typed.
        var bad = await host.SubmitAsync("29:wang", Form("太短", "", suggestionDetails: "只写了内容没写标题的建议内容"), locale);
        var badText = ReadableText(bad);
        Assert.Contains(Strings.Get(locale, "dialogs.cardForm.invalid", 3), badText);
        Assert.Contains(Strings.Get(locale, "weeklyReports.errors.tooShort", 6), badText);
        Assert.Contains(Strings.Get(locale, "weeklyReports.errors.planRequired"), badText);
        Assert.Contains(Strings.Get(locale, "weeklyReports.errors.suggestionTitleLength", 4, 60), badText);
        var retry = Card(bad);
        Assert.Equal("太短", (string?)Input(retry, "summary")["value"]);
        Assert.Equal("只写了内容没写标题的建议内容", (string?)Input(retry, "suggestionDetails")["value"]);
        Assert.Null(await store.GetAsync(Tenant, "综合部", "2026-W48", "29:wang"));

        // Valid, with the week's improvement suggestion written on the form.
        var saved = ReadableText(await host.SubmitAsync("29:wang", Form("完成三季度考勤汇总，组织两场新员工培训。", "起草年终考核方案。",
            coordination: "财务部：报销单据周三前审核\n人力资源部：年终考核口径", suggestionTitle: "周会材料提前发", suggestionDetails: "周会材料提前一天发到群里，会上只讨论问题。"), locale));
        Assert.Equal(Strings.Get(locale, "weeklyReports.saved", ReportText.Week(Strings, locale, "2026-W48"), 1, deadline), saved);
        var first = await store.GetAsync(Tenant, "综合部", "2026-W48", "29:wang");
        Assert.NotNull(first);
        Assert.False(first.Late);
        Assert.Equal(["财务部：报销单据周三前审核", "人力资源部：年终考核口径"], first.CoordinationItems);
        var suggestion = Assert.Single(await host.Get<SuggestionStore>().ListAsync(Tenant, "2026-W48", "29:wang", default));
        Assert.Equal("周会材料提前发", suggestion.Title);

        // Before the deadline it opens pre-filled, with the suggestion counted; an edit keeps the first hand-in time.
        host.MoveTo(Local(2026, 11, 27, 16, 30));
        var again = await host.SayAsync("29:wang", report, locale);
        var againCard = Card(again);
        Assert.Equal("完成三季度考勤汇总，组织两场新员工培训。", (string?)Input(againCard, "summary")["value"]);
        Assert.Contains("周会材料提前发", ReadableText(again));
        Assert.Contains(Strings.Get(locale, "weeklyReports.form.suggestionsFiled", 1), ReadableText(again));
        var updated = ReadableText(await host.SubmitAsync("29:wang", Form("完成三季度考勤汇总，组织两场新员工培训。", "起草年终考核方案，周三前发各部门征求意见。"), locale));
        Assert.Equal(Strings.Get(locale, "weeklyReports.updated", ReportText.Week(Strings, locale, "2026-W48"), 1, deadline), updated);
        var edited = await store.GetAsync(Tenant, "综合部", "2026-W48", "29:wang");
        Assert.Equal("起草年终考核方案，周三前发各部门征求意见。", edited!.Plan);
        Assert.Equal(2, edited.Revisions);
        Assert.Equal(first.SubmittedUtc, edited.SubmittedUtc);
        Assert.Single(await host.Get<SuggestionStore>().ListAsync(Tenant, "2026-W48", "29:wang", default));

        // After the deadline: what was handed in stands and is shown, not edited.
        host.MoveTo(Local(2026, 11, 27, 17, 5));
        var closed = await host.SayAsync("29:wang", report, locale);
        Assert.Equal(Strings.Get(locale, "weeklyReports.closed", deadline), (string?)closed[0]!["text"]);
        Assert.Contains("起草年终考核方案，周三前发各部门征求意见。", ReadableText(closed));

        // A first hand-in after the deadline is kept and marked late.
        var lateForm = await host.SayAsync("29:li", report, locale);
        Assert.Contains(Strings.Get(locale, "weeklyReports.form.late"), ReadableText(lateForm));
        var late = ReadableText(await host.SubmitAsync("29:li", Form("回访会员客户四十二位，整理回访记录。", "完成剩余回访并写回访总结。",
            suggestionTitle: "回访时段表", suggestionDetails: "按客户登记的休息时间生成可拨打时段表。"), locale));
        Assert.Equal(Strings.Get(locale, "weeklyReports.savedLate", ReportText.Week(Strings, locale, "2026-W48"), 1, deadline), late);
        Assert.True((await store.GetAsync(Tenant, "综合部", "2026-W48", "29:li"))!.Late);

        // The next week, last week's report is what I handed in.
        host.MoveTo(Local(2026, 11, 30, 9));
        var mine = ReadableText(await host.SayAsync("29:wang", lastReport, locale));
        Assert.Contains("起草年终考核方案，周三前发各部门征求意见。", mine);
        Assert.Contains("周会材料提前发", mine);
        Assert.Contains(Strings.Get(locale, "weeklyReports.view.onTime", Strings.Get(locale, "weeklyReports.format.dateTime", 11, 26, Strings.Get(locale, "weeklyReports.days.thursday"), "10:00", "Nov")), mine);
        var liMine = ReadableText(await host.SayAsync("29:li", lastReport, locale));
        Assert.Contains(Strings.Get(locale, "weeklyReports.view.late", ReportText.DateTime(Strings, locale, Local(2026, 11, 27, 17, 5), ChatRegs.Bot.Core.TimeZones.Find("Asia/Shanghai")), deadline), liMine);
        var none = ReadableText(await host.SayAsync("29:zhang", lastReport, locale));
        Assert.Equal(Strings.Get(locale, "weeklyReports.view.none", ReportText.Week(Strings, locale, "2026-W48")), none);
    }

    [Theory]
    [InlineData("zh-CN", "周报", "你还没有所属部门")]
    [InlineData("en", "report", "You are not in a department yet")]
    public async Task Someone_without_a_department_is_told_why_and_nothing_is_saved(string locale, string report, string expected)
    {
        await using var host = await StartAsync(Local(2026, 11, 26, 10));
        await host.AddPersonAsync("29:new", "赵新", null, locale);
        var reply = ReadableText(await host.SayAsync("29:new", report, locale));
        Assert.StartsWith(expected, reply);
    }

    [Theory]
    [InlineData("zh-CN", "周报")]
    [InlineData("en", "report")]
    public async Task A_suggestion_filed_with_suggest_counts_and_a_future_week_is_refused(string locale, string report)
    {
        await using var host = await StartAsync(Local(2026, 11, 25, 9));
        await host.AddDepartmentAsync("客服部", "29:liu");
        await host.AddPersonAsync("29:liu", "刘洋", "客服部", locale);
        await host.Get<SuggestionStore>().AddAsync(new Suggestion(Tenant, "29:liu", "刘洋", "2026-W48", host.Clock.GetUtcNow(), "回访时段表", "按客户登记的休息时间生成可拨打时段表。", null, null), 0, null, default);

        Assert.Contains("回访时段表", ReadableText(await host.SayAsync("29:liu", report, locale)));
        var saved = ReadableText(await host.SubmitAsync("29:liu", Form("回访会员客户四十二位，整理回访记录。", "完成剩余回访并写回访总结。"), locale));
        Assert.Equal(Strings.Get(locale, "weeklyReports.saved", ReportText.Week(Strings, locale, "2026-W48"), 1, ReportText.DateTime(Strings, locale, new DateTime(2026, 11, 27, 17, 0, 0))), saved);

        var future = ReadableText(await host.SayAsync("29:liu", report + " 2026-W50", locale));
        Assert.Equal(Strings.Get(locale, "weeklyReports.futureWeek", "2026-W50", "2026-W48"), future);
    }

    private static JsonObject Input(JsonObject card, string id) =>
        Find(card, id) ?? throw new Xunit.Sdk.XunitException($"No input '{id}' on the card.");

    private static JsonObject? Find(JsonNode? node, string id) => node switch
    {
        JsonObject obj when (string?)obj["id"] == id && ((string?)obj["type"])?.StartsWith("Input.") == true => obj,
        JsonObject obj => obj.Select(p => Find(p.Value, id)).FirstOrDefault(f => f != null),
        JsonArray array => array.Select(n => Find(n, id)).FirstOrDefault(f => f != null),
        _ => null,
    };
}
