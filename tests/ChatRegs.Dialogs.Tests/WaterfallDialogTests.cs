using ChatRegs.Dialogs;
using Microsoft.Bot.Builder;

namespace ChatRegs.Dialogs.Tests;

public class WaterfallDialogTests
{
    [Fact]
    public async Task Steps_run_in_order_and_values_are_kept_across_turns()
    {
        var harness = new DialogHarness().Add(new WaterfallDialog("steps", new WaterfallStep[]
        {
            async (step, ct) =>
            {
                step.Values["first"] = "甲";
                await step.Context.SendActivityAsync("第一步", cancellationToken: ct);
                return Dialog.EndOfTurn;
            },
            async (step, ct) =>
            {
                step.Values["second"] = step.Result!;
                await step.Context.SendActivityAsync($"第二步：{step.Result}", cancellationToken: ct);
                return Dialog.EndOfTurn;
            },
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync($"第三步：{step.Values["first"]}，{step.Values["second"]}，{step.Result}", cancellationToken: ct);
                return await step.EndDialogAsync("完成", ct);
            },
        }));

        await harness.Flow("steps")
            .Send(Say.Zh("开始")).AssertReply("第一步")
            .Send(Say.Zh("乙")).AssertReply("第二步：乙")
            .Send(Say.Zh("丙")).AssertReply("第三步：甲，乙，丙")
            .StartTestAsync();

        Assert.Equal(new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Complete }, harness.Results.Select(r => r.Status));
        Assert.Equal("完成", harness.Last.Result);
        Assert.Empty(harness.Stacks[^1]);
    }

    [Fact]
    public async Task Options_passed_to_BeginDialog_reach_every_step()
    {
        var seen = new List<string>();
        var harness = new DialogHarness().Add(new WaterfallDialog("greet", new WaterfallStep[]
        {
            async (step, ct) =>
            {
                var options = (GreetingOptions)step.Options!;
                seen.Add(options.Name);
                await step.Context.SendActivityAsync($"你好，{options.Name}", cancellationToken: ct);
                return Dialog.EndOfTurn;
            },
            async (step, ct) =>
            {
                var options = (GreetingOptions)step.Options!;
                seen.Add(options.Name);
                await step.Context.SendActivityAsync($"再见，{options.Name}", cancellationToken: ct);
                return await step.EndDialogAsync(cancellationToken: ct);
            },
        }));

        await harness.Flow("greet", new GreetingOptions { Name = "张三" })
            .Send(Say.Zh("嗨")).AssertReply("你好，张三")
            .Send(Say.Zh("拜拜")).AssertReply("再见，张三")
            .StartTestAsync();

        Assert.Equal(new[] { "张三", "张三" }, seen);
        Assert.Equal(DialogTurnStatus.Complete, harness.Last.Status);
    }

    [Fact]
    public async Task NextAsync_runs_the_next_step_and_a_second_call_throws()
    {
        InvalidOperationException? error = null;
        var harness = new DialogHarness().Add(new WaterfallDialog("skip", new WaterfallStep[]
        {
            async (step, ct) =>
            {
                var result = await step.NextAsync("跳过", ct);
                error = await Assert.ThrowsAsync<InvalidOperationException>(() => step.NextAsync(null, ct));
                return result;
            },
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync($"第二步收到：{step.Result}（{step.Reason}）", cancellationToken: ct);
                return Dialog.EndOfTurn;
            },
            async (step, ct) => await step.EndDialogAsync(step.Result, ct),
        }));

        await harness.Flow("skip")
            .Send(Say.Zh("开始")).AssertReply("第二步收到：跳过（NextCalled）")
            .Send(Say.Zh("结束")).AssertNoReply()
            .StartTestAsync();

        Assert.NotNull(error);
        Assert.Contains("skip[0]", error!.Message);
        Assert.Equal(new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Complete }, harness.Results.Select(r => r.Status));
        Assert.Equal("结束", harness.Last.Result);
    }

    [Fact]
    public async Task Activities_other_than_messages_do_not_advance_the_waterfall()
    {
        var harness = new DialogHarness().Add(new WaterfallDialog("steps", new WaterfallStep[]
        {
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync("第一步", cancellationToken: ct);
                return Dialog.EndOfTurn;
            },
            async (step, ct) =>
            {
                await step.Context.SendActivityAsync($"第二步：{step.Result}", cancellationToken: ct);
                return await step.EndDialogAsync(cancellationToken: ct);
            },
        }));

        await harness.Flow("steps")
            .Send(Say.Zh("开始")).AssertReply("第一步")
            .Send(Say.Typing()).AssertNoReply()
            .Send(Say.Zh("好")).AssertReply("第二步：好")
            .StartTestAsync();

        Assert.Equal(new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Complete }, harness.Results.Select(r => r.Status));
    }

    [Fact]
    public async Task A_waterfall_without_more_steps_ends_with_the_last_result()
    {
        var harness = new DialogHarness().Add(new WaterfallDialog("one")
            .AddStep(async (step, ct) =>
            {
                await step.Context.SendActivityAsync("唯一一步", cancellationToken: ct);
                return await step.NextAsync(42, ct);
            }));

        await harness.Flow("one")
            .Send(Say.Zh("开始")).AssertReply("唯一一步")
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Complete, harness.Last.Status);
        Assert.Equal(42, harness.Last.Result);
    }

    [Fact]
    public async Task Beginning_an_unknown_dialog_throws_a_clear_error()
    {
        var harness = new DialogHarness();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => harness.Flow("missing").Send(Say.Zh("开始")).StartTestAsync());
        Assert.Contains("'missing' wasn't found", error.Message);
    }

    public sealed class GreetingOptions
    {
        public string Name { get; set; } = string.Empty;
    }
}
