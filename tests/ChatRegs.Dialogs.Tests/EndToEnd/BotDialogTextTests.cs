using ChatRegs.Bot.Localization;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder;

namespace ChatRegs.Dialogs.Tests.EndToEnd;

/// <summary>
/// The dialogs with the bot's words: the only tests here that need the bot. ChatRegs.Dialogs holds
/// no text; the bot supplies it from its string tables (Localization/LocalizedDialogText) and its
/// dialog host hands it to every dialog turn.
/// </summary>
public sealed class BotDialogTextTests
{
    private static readonly LocalizedDialogText BotText = new(Localizer.Default);

    /// <summary>The keys whose text shows arguments, and how many.</summary>
    private static readonly Dictionary<string, int> Arguments = new(StringComparer.Ordinal)
    {
        [DialogTextKeys.FormInvalid] = 1,
        [DialogTextKeys.GaveUp] = 1,
        [DialogTextKeys.FormTooLong] = 1,
        [DialogTextKeys.AnswerTooLong] = 2,
        [DialogTextKeys.FieldTooLong] = 2,
    };

    [Fact]
    public void The_bot_has_every_dialog_string_in_every_language_with_its_numbers()
    {
        Assert.Equal([Localizer.Chinese, Localizer.English], BotText.Languages);
        foreach (var language in BotText.Languages)
        {
            foreach (var key in DialogTextKeys.All)
            {
                var text = BotText.Get(language, key, 731, 9042);
                Assert.False(string.IsNullOrWhiteSpace(text), $"{key} ({language}) is empty");
                var shown = Arguments.GetValueOrDefault(key);
                Assert.True(shown < 1 || text.Contains("731"), $"{key} ({language}) does not show its first number: {text}");
                Assert.True(shown < 2 || text.Contains("9042"), $"{key} ({language}) does not show its second number: {text}");
            }
        }

        // Languages differ where a person reads them.
        Assert.NotEqual(BotText.Get(Localizer.Chinese, DialogTextKeys.UseTheForm), BotText.Get(Localizer.English, DialogTextKeys.UseTheForm));
        Assert.Equal(Localizer.English, BotText.Language("en-GB"));
        Assert.Equal(Localizer.Chinese, BotText.Language(null));
    }

    [Fact]
    public async Task Every_word_that_cancels_from_the_command_line_cancels_inside_a_dialog_too()
    {
        // The command router reads commands.cancel from the string tables; the dialogs get the
        // same words through the bot's IDialogText, so "退出" or "quit" never becomes an answer.
        var words = Localizer.Default.CommandWords("cancel").ToList();
        Assert.Contains("退出", words);
        Assert.Contains("exit", words);
        Assert.Equal(words.Count, InterruptibleComponentDialog.CancelWords(BotText).Count);
        foreach (var word in words)
        {
            var harness = new DialogHarness(text: BotText)
                .Add(new Reason())
                .Add(new WaterfallDialog("main", [async (step, ct) => await step.BeginDialogAsync("reason", null, ct)]));
            await harness.Flow("main")
                .Send(Say.Zh("请假")).AssertReply("请假原因？")
                .Send(Say.Zh(word)).AssertReply(Localizer.Default.Get(Localizer.Chinese, "common.cancelled"))
                .StartTestAsync();
            Assert.Empty(harness.Stacks[^1]);
        }
    }

    [Fact]
    public async Task The_bots_dialog_host_gives_its_flows_the_bots_words_in_the_users_language()
    {
        // 建议 starts the suggestion flow, whose title prompt takes at most 100 characters.
        await using var host = await BotTestHost.StartAsync();
        var zh = host.CreateAdapter(conversationId: "a:dialogs-zh", userId: "29:dialogs-zh");
        await host.SayAsync(zh, "建议");
        var refused = await host.SayAsync(zh, new string('题', 101));
        Assert.Equal(Localizer.Default.Get(Localizer.Chinese, DialogTextKeys.AnswerTooLong, 100, 101), refused[0].AsMessageActivity().Text);

        var en = host.CreateAdapter(conversationId: "a:dialogs-en", userId: "29:dialogs-en", locale: "en-US");
        await host.SayAsync(en, "suggest", "en-US");
        refused = await host.SayAsync(en, new string('x', 101), "en-US");
        Assert.StartsWith("Your answer is 101 characters long, over the limit of 100", refused[0].AsMessageActivity().Text);
    }

    private sealed class Reason : InterruptibleComponentDialog
    {
        public Reason()
            : base("reason", null)
        {
            AddDialog(new WaterfallDialog("ask", [async (step, ct) => await step.PromptAsync("text", new PromptOptions { Prompt = MessageFactory.Text("请假原因？") }, ct)]));
            AddDialog(new TextPrompt("text"));
        }
    }
}
