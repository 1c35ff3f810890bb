using ChatRegs.TestSupport;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Suggestions;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using ChatRegs.Bot.Core;

namespace ChatRegs.Suggestions.Tests;

/// <summary>The two-step suggestion flow (text prompt, then a card form), over HTTP and through turns.</summary>
public sealed class SuggestionFlowTests
{
    private static string Submit(string conversationId, string value) =>
        TeamsHttp.Activity("message", conversationId: conversationId, extra: $"\"value\": {value},");

    [Fact]
    public async Task Over_http_a_title_then_the_form_files_a_suggestion()
    {
        await using var factory = new BotFactory();
        var client = factory.CreateClient();
        const string conv = "a:suggest-http";

        var ask = await TeamsHttp.PostAsync(client, TeamsHttp.Activity("message", "建议", conversationId: conv));
        Assert.Contains("建议标题", (string?)Assert.Single(ask)!["text"]);

        var form = await TeamsHttp.PostAsync(client, TeamsHttp.Activity("message", "周会材料提前发", conversationId: conv));
        var card = Assert.Single(form)!["attachments"]![0]!["content"]!;
        Assert.Contains("周会材料提前发", card.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        Assert.DoesNotContain("${", card.ToJsonString());

        // Too short: the form comes back with the error next to the field and the input kept.
        var retry = await TeamsHttp.PostAsync(client, Submit(conv, """{"verb":"suggestion.submit","details":"太短","department":"办公室","benefit":""}"""));
        var retryCard = retry.Select(a => a!["attachments"]?[0]?["content"]).Single(c => c != null)!.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.Contains("至少 10 个字", retryCard);
        Assert.Contains("\"value\":\"办公室\"", retryCard);

        var done = await TeamsHttp.PostAsync(client, Submit(conv, """{"verb":"suggestion.submit","details":"周会材料提前一天发到群里，会上只讨论问题。","department":"办公室","benefit":"会议缩短一半"}"""));
        Assert.Contains("已收到你的合理化建议“周会材料提前发”", (string?)Assert.Single(done)!["text"]);

        var store = factory.Services.GetRequiredService<SuggestionStore>();
        var week = IsoWeek.Of(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime));
        var saved = Assert.Single(await store.ListAsync("tenant-http", week, "29:1abc", default));
        Assert.Equal("会议缩短一半", saved.ExpectedBenefit);

        // The flow is over: the next message is a command again.
        var help = await TeamsHttp.PostAsync(client, TeamsHttp.Activity("message", "帮助", conversationId: conv));
        Assert.NotNull(Assert.Single(help)!["attachments"]);
    }

    [Fact]
    public async Task The_form_sent_twice_at_the_same_moment_files_one_suggestion()
    {
        await using var factory = new BotFactory();
        var client = factory.CreateClient();
        const string conv = "a:suggest-double";
        await TeamsHttp.PostAsync(client, TeamsHttp.Activity("message", "建议", conversationId: conv));
        await TeamsHttp.PostAsync(client, TeamsHttp.Activity("message", "周会材料提前发", conversationId: conv));

        // A double click: two activities (two ids) with the same form.
        const string form = """{"verb":"suggestion.submit","details":"周会材料提前一天发到群里，会上只讨论问题。","department":"办公室","benefit":""}""";
        var sends = await Task.WhenAll(TeamsHttp.PostAsync(client, Submit(conv, form)), TeamsHttp.PostAsync(client, Submit(conv, form)));

        var store = factory.Services.GetRequiredService<SuggestionStore>();
        var week = IsoWeek.Of(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime));
        Assert.Single(await store.ListAsync("tenant-http", week, "29:1abc", default));
        var texts = sends.Select(s => string.Join("\n", s.Select(a => (string?)a?["text"]))).ToList();
        Assert.Single(texts, t => t.Contains("已收到你的合理化建议", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains("没有保存成功", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancel_mid_flow_saves_nothing_and_help_resumes_the_same_step()
    {
        await using var host = await BotTestHost.StartAsync();
        var adapter = host.CreateAdapter(conversationId: "a:suggest-turns", userId: "29:s");
        await host.SayAsync(adapter, "建议");

        var help = await host.SayAsync(adapter, "帮助");
        Assert.Contains("制度助手", TurnKit.Text(TurnKit.Card(help[0])));
        Assert.Contains("建议标题", help.Last().AsMessageActivity().Text);

        var tooShort = Assert.Single(await host.SayAsync(adapter, "短"));
        Assert.Equal("标题需要 4–60 个字，请重新输入。", tooShort.AsMessageActivity().Text);

        await host.SayAsync(adapter, "一个足够长的标题");
        var cancelled = Assert.Single(await host.SayAsync(adapter, "取消"));
        Assert.Equal("已取消。", cancelled.AsMessageActivity().Text);

        var store = host.Services.GetRequiredService<SuggestionStore>();
        var week = IsoWeek.Of(DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)));
        Assert.Empty(await store.ListAsync("tenant-1", week, null, default));
    }

    [Fact]
    public async Task The_flow_survives_a_restart_of_the_bot_in_the_middle()
    {
        string prefix;
        const string conv = "a:suggest-restart";
        await using (var first = new BotFactory())
        {
            prefix = first.TablePrefix;
            await TeamsHttp.PostAsync(first.CreateClient(), TeamsHttp.Activity("message", "suggest", conversationId: conv, locale: "en-US"));
        }
        await using var second = new BotFactory(tablePrefix: prefix);
        var form = await TeamsHttp.PostAsync(second.CreateClient(), TeamsHttp.Activity("message", "Shorter meetings", conversationId: conv, locale: "en-US"));
        Assert.Contains("Improvement suggestion", Assert.Single(form)!["attachments"]![0]!["content"]!.ToJsonString());
    }
}
