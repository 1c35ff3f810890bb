using System.Text.Json.Nodes;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Suggestions;
using ChatRegs.Bot.WeeklyReports;
using ChatRegs.WeeklyReports.Tests.Support;
using static ChatRegs.WeeklyReports.Tests.Support.WeeklyHost;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.WeeklyReports.Tests;

/// <summary>A weekly report with every field at its cap, in Chinese with emoji and quotes: saved, edited, read back whole, and in the head's digest.</summary>
public sealed class SizeTests
{
    private static readonly Localizer Strings = Localizer.Default;

    private static string Full(int length, string seed) => ChatRegs.TestSupport.TextAtCap.Full(length, seed, "顾客说“水渍”😀'\"");

    private static JsonObject Form(string seed, WeeklyReportOptions o) => new()
    {
        ["verb"] = WeeklyReportDialog.SubmitVerb,
        ["summary"] = Full(o.MaxTextLength, seed + "本周"),
        ["plan"] = Full(o.MaxTextLength, seed + "下周"),
        ["issues"] = Full(o.MaxOptionalLength, seed + "问题"),
        ["coordination"] = Full(o.MaxOptionalLength, seed + "协调"),
        ["suggestionTitle"] = Full(SuggestionDialog.MaxTitle, seed + "建议"),
        ["suggestionDetails"] = Full(SuggestionDialog.MaxDetails, seed + "内容"),
    };

    [Fact]
    public async Task A_report_at_every_cap_is_saved_edited_read_back_and_in_the_digest()
    {
        await using var host = await StartAsync(Local(2026, 11, 26, 10));
        await host.AddDepartmentAsync("综合部", "29:zhang");
        await host.AddPersonAsync("29:zhang", "张伟", "综合部");
        await host.AddPersonAsync("29:wang", "王小明", "综合部");
        var o = new WeeklyReportOptions();
        var store = host.Get<WeeklyReportStore>();
        const string deadline = "11月27日（周五）17:00";

        await host.SayAsync("29:wang", "周报");
        var first = Form("第一版", o);
        var saved = ReadableText(await host.SubmitAsync("29:wang", first));
        Assert.Equal(Strings.Get("zh-CN", "weeklyReports.saved", ReportText.Week(Strings, "zh-CN", "2026-W48"), 1, deadline), saved);
        var stored = (await store.GetAsync(Tenant, "综合部", "2026-W48", "29:wang"))!;
        Assert.Equal((string)first["summary"]!, stored.Summary);
        Assert.Equal((string)first["plan"]!, stored.Plan);
        Assert.Equal((string)first["issues"]!, stored.Issues);
        Assert.Equal((string)first["coordination"]!, stored.Coordination);
        var suggestion = Assert.Single(await host.Get<SuggestionStore>().ListAsync(Tenant, "2026-W48", "29:wang", default));
        Assert.Equal((string)first["suggestionDetails"]!, suggestion.Details);

        // Edited before the deadline, every field at its cap again: replaced (with its ETag), whole.
        await host.SayAsync("29:wang", "周报");
        var second = Form("第二版", o);
        second["suggestionTitle"] = "";
        second["suggestionDetails"] = "";
        var updated = ReadableText(await host.SubmitAsync("29:wang", second));
        Assert.Equal(Strings.Get("zh-CN", "weeklyReports.updated", ReportText.Week(Strings, "zh-CN", "2026-W48"), 1, deadline), updated);
        var edited = (await store.GetAsync(Tenant, "综合部", "2026-W48", "29:wang"))!;
        Assert.Equal((string)second["summary"]!, edited.Summary);
        Assert.Equal((string)second["coordination"]!, edited.Coordination);
        Assert.Equal(2, edited.Revisions);

        // After the deadline: the person reads it back whole, and the head's digest has it.
        host.MoveTo(Local(2026, 11, 27, 18));
        var mine = ReadableText(await host.SayAsync("29:wang", "周报"));
        Assert.Contains((string)second["plan"]!, mine);
        var digest = ReadableText(await host.SayAsync("29:zhang", Strings.Get("zh-CN", "commands.digest.name")));
        Assert.Contains((string)second["summary"]!, digest);
        Assert.Contains((string)second["issues"]!, digest);
        Assert.Contains((string)second["coordination"]!, digest);
        Assert.Contains((string)first["suggestionTitle"]!, digest);
    }
}
