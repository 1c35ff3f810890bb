using ChatRegs.Dialogs;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ChatRegs.Dialogs.Tests;

public class TextPromptTests
{
    private static WaterfallDialog AskTitle(PromptOptions options) => new("ask", new WaterfallStep[]
    {
        async (step, ct) => await step.PromptAsync("text", options, ct),
        async (step, ct) =>
        {
            await step.Context.SendActivityAsync($"标题：{step.Result}", cancellationToken: ct);
            return await step.EndDialogAsync(step.Result, ct);
        },
    });

    [Fact]
    public async Task Asks_and_returns_the_text()
    {
        var harness = new DialogHarness()
            .Add(new TextPrompt("text"))
            .Add(AskTitle(new PromptOptions { Prompt = new Activity(ActivityTypes.Message) { Text = "请输入会议标题" } }));

        // As in the SDK, a prompt activity without an input hint is sent as "expecting input".
        await harness.Flow("ask")
            .Send(Say.Zh("开会")).AssertReply(a =>
            {
                Assert.Equal("请输入会议标题", a.TextOf());
                Assert.Equal(InputHints.ExpectingInput, a.AsActivity().InputHint);
            })
            .Send(Say.Zh("周一例会")).AssertReply("标题：周一例会")
            .StartTestAsync();

        Assert.Equal(new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Complete }, harness.Results.Select(r => r.Status));
        Assert.Equal("周一例会", harness.Last.Result);
    }

    [Fact]
    public async Task A_failing_validator_re_asks_with_the_RetryPrompt_and_counts_attempts()
    {
        var attempts = new List<int>();
        var harness = new DialogHarness()
            .Add(new TextPrompt("text", (context, ct) =>
            {
                attempts.Add(context.AttemptCount);
                Assert.True(context.Recognized.Succeeded);
                return Task.FromResult(context.Recognized.Value.Trim().Length >= 2);
            }))
            .Add(AskTitle(new PromptOptions
            {
                Prompt = MessageFactory.Text("请输入会议标题"),
                RetryPrompt = MessageFactory.Text("标题至少两个字，请重新输入"),
            }));

        await harness.Flow("ask")
            .Send(Say.Zh("开会")).AssertReply("请输入会议标题")
            .Send(Say.Zh("a")).AssertReply("标题至少两个字，请重新输入")
            .Send(Say.Zh(" b ")).AssertReply("标题至少两个字，请重新输入")
            .Send(Say.Zh("月度例会")).AssertReply("标题：月度例会")
            .StartTestAsync();

        Assert.Equal(new[] { 1, 2, 3 }, attempts);
        Assert.Equal(
            new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Complete },
            harness.Results.Select(r => r.Status));
    }

    [Fact]
    public async Task Without_a_RetryPrompt_the_prompt_is_repeated()
    {
        var harness = new DialogHarness()
            .Add(new TextPrompt("text", (context, ct) => Task.FromResult(context.Recognized.Value != "x")))
            .Add(AskTitle(new PromptOptions { Prompt = MessageFactory.Text("请输入会议标题") }));

        await harness.Flow("ask")
            .Send(Say.Zh("开会")).AssertReply("请输入会议标题")
            .Send(Say.Zh("x")).AssertReply("请输入会议标题")
            .Send(Say.Zh("y")).AssertReply("标题：y")
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Complete, harness.Last.Status);
    }

    [Fact]
    public async Task A_validator_that_replies_itself_suppresses_the_retry_prompt()
    {
        var harness = new DialogHarness()
            .Add(new TextPrompt("text", async (context, ct) =>
            {
                if (context.Recognized.Value.Length <= 20)
                {
                    return true;
                }

                await context.Context.SendActivityAsync($"第 {context.AttemptCount} 次：标题不能超过 20 个字", cancellationToken: ct);
                return false;
            }))
            .Add(AskTitle(new PromptOptions
            {
                Prompt = MessageFactory.Text("请输入会议标题"),
                RetryPrompt = MessageFactory.Text("请重新输入"),
            }));

        await harness.Flow("ask")
            .Send(Say.Zh("开会")).AssertReply("请输入会议标题")
            .Send(Say.Zh(new string('长', 21))).AssertReply("第 1 次：标题不能超过 20 个字")
            .Send(Say.Zh("短标题")).AssertReply("标题：短标题")
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Complete, harness.Last.Status);
    }

    [Fact]
    public async Task A_card_submit_without_text_is_not_a_text_answer()
    {
        var harness = new DialogHarness()
            .Add(new TextPrompt("text"))
            .Add(AskTitle(new PromptOptions { Prompt = MessageFactory.Text("请输入会议标题"), RetryPrompt = MessageFactory.Text("请直接输入文字") }));

        await harness.Flow("ask")
            .Send(Say.Zh("开会")).AssertReply("请输入会议标题")
            .Send(Say.Submit(new { verb = "other" })).AssertReply("请直接输入文字")
            .Send(Say.Zh("周会")).AssertReply("标题：周会")
            .StartTestAsync();

        Assert.Equal(new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Complete }, harness.Results.Select(r => r.Status));
    }

    [Fact]
    public async Task Prompts_require_PromptOptions()
    {
        var harness = new DialogHarness().Add(new TextPrompt("text"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => harness.Flow("text", "not options").Send(Say.Zh("开始")).StartTestAsync());
    }

    [Fact]
    public async Task The_persisted_prompt_activity_is_not_changed_by_sending_it()
    {
        var prompt = MessageFactory.Text("请输入会议标题");
        var harness = new DialogHarness().Add(new TextPrompt("text")).Add(AskTitle(new PromptOptions { Prompt = prompt }));

        await harness.Flow("ask")
            .Send(Say.Zh("开会")).AssertReply("请输入会议标题")
            .StartTestAsync();

        Assert.Null(prompt.Id);
        Assert.Null(prompt.Conversation);
    }
}
