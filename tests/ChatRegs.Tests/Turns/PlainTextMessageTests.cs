using System.Text.Json.Nodes;
using ChatRegs.Bot.Suggestions;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;

namespace ChatRegs.Tests.Turns;

/// <summary>
/// Teams renders a text message as Markdown unless it says otherwise: text the bot quotes back
/// (a suggestion title here) must reach the reader as typed, not as a link, an image or bold.
/// Every text message the bot sends, as a reply or proactively, is marked plain.
/// </summary>
public sealed class PlainTextMessageTests
{
    private const string Markdown = "**急** [点我](https://e.example) ![图](https://e.example/x.png)";

    [Fact]
    public async Task A_quoted_title_with_markdown_is_sent_as_plain_text_over_the_real_adapter()
    {
        await using var factory = new BotFactory();
        var client = factory.CreateClient();
        const string conv = "a:plain-text";

        var replies = new List<JsonNode?>();
        replies.AddRange(await TeamsHttp.PostAsync(client, TeamsHttp.Activity("message", "建议", conversationId: conv)));
        replies.AddRange(await TeamsHttp.PostAsync(client, TeamsHttp.Activity("message", Markdown, conversationId: conv)));
        var submit = $$"""{"verb":"{{SuggestionDialog.SubmitVerb}}","details":"会议材料提前一天发到群里，会上只讨论问题。","department":"","benefit":""}""";
        var done = await TeamsHttp.PostAsync(client, TeamsHttp.Activity("message", conversationId: conv, extra: $"\"value\": {submit},"));
        replies.AddRange(done);

        var thanks = Assert.Single(done)!;
        Assert.Equal("plain", (string?)thanks["textFormat"]);
        Assert.Contains($"“{Markdown}”", (string?)thanks["text"]);

        // Every text message of the flow (the bot's own prompts included) is plain text.
        var texts = replies.Where(r => !string.IsNullOrEmpty((string?)r!["text"])).ToList();
        Assert.NotEmpty(texts);
        Assert.All(texts, r => Assert.Equal("plain", (string?)r!["textFormat"]));
    }

    [Fact]
    public async Task A_quoted_title_with_a_direction_override_cannot_turn_the_rest_of_the_sentence_around()
    {
        await using var factory = new BotFactory();
        var client = factory.CreateClient();
        const string conv = "a:plain-direction";
        // U+202E (right-to-left override) with no closing mark, and an isolate opened and never closed.
        const string title = "\u202e会议材料提前发\u2067";

        await TeamsHttp.PostAsync(client, TeamsHttp.Activity("message", "建议", conversationId: conv));
        await TeamsHttp.PostAsync(client, TeamsHttp.Activity("message", title, conversationId: conv));
        var submit = $$"""{"verb":"{{SuggestionDialog.SubmitVerb}}","details":"会议材料提前一天发到群里，会上只讨论问题。","department":"","benefit":""}""";
        var thanks = (string?)Assert.Single(await TeamsHttp.PostAsync(client, TeamsHttp.Activity("message", conversationId: conv, extra: $"\"value\": {submit},")))!["text"] ?? "";

        // The title is quoted inside an isolate (U+2068 … U+2069) and its own isolate mark is gone,
        // so the override ends with the title: the bot's words after it read left to right.
        Assert.Contains("“\u2068\u202e会议材料提前发\u2069”", thanks);
        Assert.Equal(1, thanks.Count(c => c == '\u2068'));
        Assert.Equal(1, thanks.Count(c => c == '\u2069'));
    }

    [Fact]
    public async Task A_proactive_message_is_plain_text_too()
    {
        const string group = "19:plain-group@thread.v2";
        await using var host = await FeatureHost.StartAsync("tenant-plain", new DateTimeOffset(2026, 11, 30, 9, 0, 0, FeatureHost.Shanghai));
        await host.PersonAsync("29:a", "王小明");
        await host.KnowChatAsync(group, "29:a", "王小明", "groupChat");

        // Started in the group, the flow goes on in the person's 1:1 chat by a proactive message.
        await host.SayAsync(host.Adapter("29:a", conversationId: group, conversationType: "groupChat"), "建议");

        var posted = host.Connector.Calls.Where(c => c.Method == "POST" && !string.IsNullOrEmpty(c.Text)).ToList();
        Assert.Contains(posted, c => c.Text!.Contains("建议标题", StringComparison.Ordinal));
        Assert.All(posted, c => Assert.Equal("plain", (string?)c.Body!["textFormat"]));
    }
}
