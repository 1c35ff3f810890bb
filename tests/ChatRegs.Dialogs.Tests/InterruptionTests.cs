using Microsoft.Bot.Builder;

namespace ChatRegs.Dialogs.Tests;

public class InterruptionTests
{
    /// <summary>Leave request: reason (text), then confirmation; interruptible.</summary>
    private sealed class LeaveDialog : InterruptibleComponentDialog
    {
        public LeaveDialog(IHelpResponder help)
            : base("leave", help)
        {
            AddDialog(new WaterfallDialog("leaveSteps", new WaterfallStep[]
            {
                async (step, ct) => await step.PromptAsync("reason", new PromptOptions { Prompt = MessageFactory.Text(Text(step, "请假原因？", "Reason for leave?")) }, ct),
                async (step, ct) =>
                {
                    step.Values["reason"] = step.Result!;
                    return await step.PromptAsync("confirm", new PromptOptions { Prompt = MessageFactory.Text(Text(step, "确认提交吗？", "Submit?")) }, ct);
                },
                async (step, ct) => await step.EndDialogAsync((bool)step.Result! ? $"已提交：{step.Values["reason"]}" : "未提交", ct),
            }));
            AddDialog(new TextPrompt("reason"));
            AddDialog(new ConfirmPrompt("confirm"));
        }

        private static string Text(DialogContext dc, string zh, string en) =>
            dc.Context.Activity.Locale?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true ? en : zh;
    }

    private static (DialogHarness Harness, FakeHelpResponder Help) Build()
    {
        var help = new FakeHelpResponder();
        var harness = new DialogHarness()
            .Add(new LeaveDialog(help))
            .Add(new WaterfallDialog("main", new WaterfallStep[]
            {
                async (step, ct) => await step.BeginDialogAsync("leave", null, ct),
                async (step, ct) =>
                {
                    // Must never run after a cancel: cancel ends the whole conversation's dialogs.
                    await step.Context.SendActivityAsync($"主流程继续：{step.Result}", cancellationToken: ct);
                    return await step.EndDialogAsync(step.Result, ct);
                },
            }));
        return (harness, help);
    }

    [Theory]
    [InlineData("取消")]
    [InlineData(" 取消。")]
    [InlineData("退出")]
    [InlineData("cancel")]
    [InlineData("Cancel")]
    [InlineData("QUIT")]
    [InlineData("ｃａｎｃｅｌ")]
    [InlineData("stop!")]
    [InlineData("exit")]
    public async Task Cancel_at_a_prompt_ends_every_dialog_and_says_so_in_Chinese(string word)
    {
        var (harness, _) = Build();

        await harness.Flow("main")
            .Send(Say.Zh("请假")).AssertReply("请假原因？")
            .Send(Say.Zh(word)).AssertReply("已取消。")
            .StartTestAsync();

        Assert.Equal(new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Cancelled }, harness.Results.Select(r => r.Status));
        Assert.Empty(harness.Stacks[^1]);
        Assert.Empty(harness.Snapshots[^1].DialogStack);
    }

    [Fact]
    public async Task Every_cancel_word_the_text_gives_cancels_and_nothing_else_does()
    {
        // The words come from the application's IDialogText, not from the dialogs' code.
        var words = TestDialogText.Instance.CommandWords(DialogTextKeys.CancelCommand).ToList();
        Assert.Equal(words.Count, InterruptibleComponentDialog.CancelWords(TestDialogText.Instance).Count);
        foreach (var word in words)
        {
            var (harness, _) = Build();
            await harness.Flow("main")
                .Send(Say.Zh("请假")).AssertReply("请假原因？")
                .Send(Say.Zh(word)).AssertReply("已取消。")
                .StartTestAsync();
            Assert.Empty(harness.Stacks[^1]);
        }

        var (kept, _) = Build();
        await kept.Flow("main")
            .Send(Say.Zh("请假")).AssertReply("请假原因？")
            .Send(Say.Zh("取消会议后需要补休")).AssertReply(a => Assert.StartsWith("确认提交吗？", a.TextOf()))
            .StartTestAsync();
    }

    [Fact]
    public async Task Cancel_inside_nested_components_ends_the_outer_ones_too()
    {
        var help = new FakeHelpResponder();
        var outer = new ComponentDialog("outer");
        outer.AddDialog(new WaterfallDialog("outerSteps", new WaterfallStep[]
        {
            async (step, ct) => await step.BeginDialogAsync("leave", null, ct),
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync("外层继续", cancellationToken: ct);
                return await step.EndDialogAsync(step.Result, ct);
            },
        }));
        outer.AddDialog(new LeaveDialog(help));
        var harness = new DialogHarness().Add(outer).Add(new WaterfallDialog("main", new WaterfallStep[]
        {
            async (step, ct) => await step.BeginDialogAsync("outer", null, ct),
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync("主流程继续", cancellationToken: ct);
                return await step.EndDialogAsync(step.Result, ct);
            },
        }));

        await harness.Flow("main")
            .Send(Say.Zh("请假")).AssertReply("请假原因？")
            .Send(Say.Zh("生病")).AssertReply("确认提交吗？ (1) 是 或 (2) 否")
            .Send(Say.Zh("取消")).AssertReply("已取消。")
            .Send(Say.Zh("请假")).AssertReply("请假原因？")
            .StartTestAsync();

        Assert.Equal(new[] { "outer", "main" }, harness.Stacks[1]);
        Assert.Equal(DialogTurnStatus.Cancelled, harness.Results[2].Status);
        Assert.Empty(harness.Stacks[2]);
        Assert.Equal(DialogTurnStatus.Waiting, harness.Last.Status);
    }

    [Fact]
    public async Task Cancel_in_English_replies_in_English_and_the_next_message_starts_afresh()
    {
        var (harness, _) = Build();

        await harness.Flow("main")
            .Send(Say.En("leave")).AssertReply("Reason for leave?")
            .Send(Say.En("sick")).AssertReply("Submit? (1) Yes or (2) No")
            .Send(Say.En("cancel")).AssertReply("Cancelled.")
            .Send(Say.En("leave")).AssertReply("Reason for leave?")
            .StartTestAsync();

        Assert.Equal(
            new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Cancelled, DialogTurnStatus.Waiting },
            harness.Results.Select(r => r.Status));
    }

    [Fact]
    public async Task Help_at_a_prompt_sends_help_then_re_asks_the_same_step_and_the_next_answer_still_works()
    {
        var (harness, help) = Build();

        await harness.Flow("main")
            .Send(Say.Zh("请假")).AssertReply("请假原因？")
            .Send(Say.Zh("帮助")).AssertReply("帮助：请直接回答问题").AssertReply("请假原因？")
            .Send(Say.Zh("家里有事")).AssertReply("确认提交吗？ (1) 是 或 (2) 否")
            .Send(Say.Zh("Help")).AssertReply("帮助：请直接回答问题").AssertReply("确认提交吗？ (1) 是 或 (2) 否")
            .Send(Say.Zh("是")).AssertReply("主流程继续：已提交：家里有事")
            .StartTestAsync();

        Assert.Equal(2, help.Calls);
        Assert.Equal(
            new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Complete },
            harness.Results.Select(r => r.Status));
        Assert.Equal("已提交：家里有事", harness.Last.Result);
    }

    [Fact]
    public async Task Help_in_English_re_asks_in_English()
    {
        var (harness, help) = Build();

        await harness.Flow("main")
            .Send(Say.En("leave")).AssertReply("Reason for leave?")
            .Send(Say.En("help")).AssertReply("HELP: send your answer").AssertReply("Reason for leave?")
            .Send(Say.En("doctor")).AssertReply("Submit? (1) Yes or (2) No")
            .StartTestAsync();

        Assert.Equal(1, help.Calls);
        Assert.Equal(DialogTurnStatus.Waiting, harness.Last.Status);
    }

    [Fact]
    public async Task The_help_menu_words_of_the_command_line_ask_for_help_inside_a_dialog_and_a_lone_question_mark_is_an_answer()
    {
        var (harness, help) = Build();

        await harness.Flow("main")
            .Send(Say.Zh("请假")).AssertReply("请假原因？")
            .Send(Say.Zh("菜单")).AssertReply("帮助：请直接回答问题").AssertReply("请假原因？")
            // The re-asked question is the one asked (in Chinese); the help follows the message's language.
            .Send(Say.En("menu")).AssertReply("HELP: send your answer").AssertReply("请假原因？")
            .Send(Say.Zh("？")).AssertReply("确认提交吗？ (1) 是 或 (2) 否")
            .StartTestAsync();

        Assert.Equal(2, help.Calls);
    }

    [Fact]
    public async Task Text_that_only_contains_a_cancel_word_is_an_ordinary_answer()
    {
        var (harness, _) = Build();

        await harness.Flow("main")
            .Send(Say.Zh("请假")).AssertReply("请假原因？")
            .Send(Say.Zh("取消会议后需要补休")).AssertReply("确认提交吗？ (1) 是 或 (2) 否")
            .Send(Say.Zh("否")).AssertReply("主流程继续：未提交")
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Complete, harness.Last.Status);
    }

    [Fact]
    public async Task Without_a_help_responder_help_is_an_ordinary_answer()
    {
        var dialog = new InterruptibleComponentDialog("ask", null);
        dialog.AddDialog(new WaterfallDialog("steps", new WaterfallStep[]
        {
            async (step, ct) => await step.PromptAsync("text", new PromptOptions { Prompt = MessageFactory.Text("说点什么") }, ct),
            async (step, ct) => await step.EndDialogAsync(step.Result, ct),
        }));
        dialog.AddDialog(new TextPrompt("text"));
        var harness = new DialogHarness().Add(dialog);

        await harness.Flow("ask")
            .Send(Say.Zh("开始")).AssertReply("说点什么")
            .Send(Say.Zh("帮助")).AssertNoReply()
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Complete, harness.Last.Status);
        Assert.Equal("帮助", harness.Last.Result);
    }
}
