using ChatRegs.Dialogs;
using Microsoft.Bot.Builder;

namespace ChatRegs.Dialogs.Tests;

public class ConfirmPromptTests
{
    private static DialogHarness Harness(string question) => new DialogHarness()
        .Add(new ConfirmPrompt("confirm"))
        .Add(new WaterfallDialog("ask", new WaterfallStep[]
        {
            async (step, ct) => await step.PromptAsync("confirm", new PromptOptions { Prompt = MessageFactory.Text(question) }, ct),
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync((bool)step.Result! ? "yes" : "no", cancellationToken: ct);
                return await step.EndDialogAsync(step.Result, ct);
            },
        }));

    [Theory]
    [InlineData("是", true)]
    [InlineData("是的", true)]
    [InlineData("对", true)]
    [InlineData("好的，谢谢", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("否", false)]
    [InlineData("不", false)]
    [InlineData("不是的", false)]
    [InlineData("2", false)]
    [InlineData("no", false)]
    public async Task Chinese_question_accepts_Chinese_and_English_answers(string answer, bool expected)
    {
        var harness = Harness("确认提交吗？");

        await harness.Flow("ask")
            .Send(Say.Zh("提交")).AssertReply("确认提交吗？ (1) 是 或 (2) 否")
            .Send(Say.Zh(answer)).AssertReply(expected ? "yes" : "no")
            .StartTestAsync();

        Assert.Equal(new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Complete }, harness.Results.Select(r => r.Status));
        Assert.Equal(expected, harness.Last.Result);
    }

    [Theory]
    [InlineData("Yes", true)]
    [InlineData("y", true)]
    [InlineData("Y", true)]
    [InlineData("ok", true)]
    [InlineData("No", false)]
    [InlineData("n", false)]
    [InlineData("no thanks", false)]
    [InlineData("是", true)]
    [InlineData("否", false)]
    public async Task English_question_accepts_English_and_Chinese_answers(string answer, bool expected)
    {
        var harness = Harness("Submit now?");

        await harness.Flow("ask")
            .Send(Say.En("submit")).AssertReply("Submit now? (1) Yes or (2) No")
            .Send(Say.En(answer)).AssertReply(expected ? "yes" : "no")
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Complete, harness.Last.Status);
        Assert.Equal(expected, harness.Last.Result);
    }

    [Fact]
    public async Task An_unclear_answer_re_asks_in_the_users_language()
    {
        var harness = Harness("确认提交吗？");

        await harness.Flow("ask")
            .Send(Say.Zh("提交")).AssertReply("确认提交吗？ (1) 是 或 (2) 否")
            .Send(Say.Zh("也许吧")).AssertReply("没有识别出你的回答，请从选项中选择一个（也可以回复编号）。\n\n确认提交吗？ (1) 是 或 (2) 否")
            .Send(Say.Zh("3")).AssertReply(a => Assert.StartsWith("没有识别出你的回答", a.TextOf()))
            .Send(Say.Zh("对")).AssertReply("yes")
            .StartTestAsync();

        Assert.Equal(
            new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Complete },
            harness.Results.Select(r => r.Status));
    }

    [Fact]
    public async Task An_unclear_answer_re_asks_in_English()
    {
        var harness = Harness("Submit now?");

        await harness.Flow("ask")
            .Send(Say.En("submit")).AssertReply("Submit now? (1) Yes or (2) No")
            .Send(Say.En("maybe")).AssertReply("Sorry, I didn't catch that. Please pick one of the options (or reply with its number).\n\nSubmit now? (1) Yes or (2) No")
            .Send(Say.En("yes")).AssertReply("yes")
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Complete, harness.Last.Status);
    }
}
