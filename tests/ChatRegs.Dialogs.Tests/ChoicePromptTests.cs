using ChatRegs.Dialogs.Choices;
using ChatRegs.Dialogs;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ChatRegs.Dialogs.Tests;

public class ChoicePromptTests
{
    private static readonly string[] ZhTypes = ["周例会", "月度例会", "临时会议"];
    private static readonly string[] EnTypes = ["Weekly", "Monthly", "Ad hoc"];

    private static DialogHarness Harness(string prompt, IList<Choice> choices, Activity? retry = null, ListStyle? style = null, string channelId = "test")
    {
        return new DialogHarness(channelId: channelId)
            .Add(new ChoicePrompt("choice"))
            .Add(new WaterfallDialog("pick", new WaterfallStep[]
            {
                async (step, ct) => await step.PromptAsync("choice", new PromptOptions
                {
                    Prompt = MessageFactory.Text(prompt),
                    RetryPrompt = retry,
                    Choices = choices,
                    Style = style,
                }, ct),
                async (step, ct) =>
                {
                    var found = (FoundChoice)step.Result!;
                    await step.Context.SendActivityAsync($"{found.Value}#{found.Index}", cancellationToken: ct);
                    return await step.EndDialogAsync(found, ct);
                },
            }));
    }

    [Theory]
    [InlineData("2", "月度例会#1")]
    [InlineData("２", "月度例会#1")]
    [InlineData("第三个", "临时会议#2")]
    [InlineData("三", "临时会议#2")]
    [InlineData("月度例会", "月度例会#1")]
    [InlineData(" 周例会。", "周例会#0")]
    [InlineData("我要开临时会议", "临时会议#2")]
    public async Task Chinese_choices_are_shown_inline_and_recognized_by_number_or_text(string answer, string expected)
    {
        var harness = Harness("请选择会议类型", ChoiceFactory.ToChoices(ZhTypes));

        await harness.Flow("pick")
            .Send(Say.Zh("开会")).AssertReply("请选择会议类型 (1) 周例会，(2) 月度例会，或 (3) 临时会议")
            .Send(Say.Zh(answer)).AssertReply(expected)
            .StartTestAsync();

        Assert.Equal(new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Complete }, harness.Results.Select(r => r.Status));
        Assert.IsType<FoundChoice>(harness.Last.Result);
    }

    [Theory]
    [InlineData("1", "Weekly#0")]
    [InlineData("monthly", "Monthly#1")]
    [InlineData("AD HOC", "Ad hoc#2")]
    [InlineData("second", "Monthly#1")]
    [InlineData("3rd", "Ad hoc#2")]
    public async Task English_choices_are_shown_inline_and_recognized_by_number_or_text(string answer, string expected)
    {
        var harness = Harness("Pick a meeting type", ChoiceFactory.ToChoices(EnTypes));

        await harness.Flow("pick")
            .Send(Say.En("meeting")).AssertReply("Pick a meeting type (1) Weekly, (2) Monthly, or (3) Ad hoc")
            .Send(Say.En(answer)).AssertReply(expected)
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Complete, harness.Last.Status);
    }

    [Fact]
    public async Task Synonyms_select_their_choice()
    {
        var choices = new List<Choice>
        {
            new("周例会") { Synonyms = ["weekly", "每周"] },
            new("月度例会") { Synonyms = ["monthly", "每月"] },
        };
        var harness = Harness("请选择会议类型", choices);

        await harness.Flow("pick")
            .Send(Say.Zh("开会")).AssertReply("请选择会议类型 (1) 周例会 或 (2) 月度例会")
            .Send(Say.Zh("每月")).AssertReply("月度例会#1")
            .StartTestAsync();

        Assert.Equal("每月", ((FoundChoice)harness.Last.Result!).Synonym);
    }

    [Fact]
    public async Task An_unrecognized_answer_re_asks_with_a_localized_hint_in_Chinese()
    {
        var harness = Harness("请选择会议类型", ChoiceFactory.ToChoices(ZhTypes));

        await harness.Flow("pick")
            .Send(Say.Zh("开会")).AssertReply("请选择会议类型 (1) 周例会，(2) 月度例会，或 (3) 临时会议")
            .Send(Say.Zh("5")).AssertReply("没有识别出你的回答，请从选项中选择一个（也可以回复编号）。\n\n请选择会议类型 (1) 周例会，(2) 月度例会，或 (3) 临时会议")
            .Send(Say.Zh("不知道")).AssertReply(a => Assert.StartsWith("没有识别出你的回答", a.TextOf()))
            .Send(Say.Zh("1")).AssertReply("周例会#0")
            .StartTestAsync();

        Assert.Equal(
            new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Complete },
            harness.Results.Select(r => r.Status));
    }

    [Fact]
    public async Task An_unrecognized_answer_re_asks_with_a_localized_hint_in_English()
    {
        var harness = Harness("Pick a meeting type", ChoiceFactory.ToChoices(EnTypes));

        await harness.Flow("pick")
            .Send(Say.En("meeting")).AssertReply("Pick a meeting type (1) Weekly, (2) Monthly, or (3) Ad hoc")
            .Send(Say.En("yearly")).AssertReply("Sorry, I didn't catch that. Please pick one of the options (or reply with its number).\n\nPick a meeting type (1) Weekly, (2) Monthly, or (3) Ad hoc")
            .Send(Say.En("2")).AssertReply("Monthly#1")
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Complete, harness.Last.Status);
    }

    [Fact]
    public async Task The_RetryPrompt_is_used_with_the_choices_appended()
    {
        var harness = Harness("请选择会议类型", ChoiceFactory.ToChoices(ZhTypes), retry: MessageFactory.Text("请回复 1、2 或 3"));

        await harness.Flow("pick")
            .Send(Say.Zh("开会")).AssertReply("请选择会议类型 (1) 周例会，(2) 月度例会，或 (3) 临时会议")
            .Send(Say.Zh("随便")).AssertReply("请回复 1、2 或 3 (1) 周例会，(2) 月度例会，或 (3) 临时会议")
            .Send(Say.Zh("2")).AssertReply("月度例会#1")
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Complete, harness.Last.Status);
    }

    [Fact]
    public async Task More_than_three_choices_are_shown_as_a_numbered_list()
    {
        var harness = Harness("请选择", ChoiceFactory.ToChoices(["签到", "请假", "周报", "议程"]));

        await harness.Flow("pick")
            .Send(Say.Zh("开始")).AssertReply("请选择\n\n   1. 签到\n   2. 请假\n   3. 周报\n   4. 议程")
            .Send(Say.Zh("4")).AssertReply("议程#3")
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Complete, harness.Last.Status);
    }

    [Fact]
    public async Task Suggested_actions_carry_one_imBack_button_per_choice()
    {
        var harness = Harness("请选择会议类型", ChoiceFactory.ToChoices(ZhTypes), style: ListStyle.SuggestedAction);

        await harness.Flow("pick")
            .Send(Say.Zh("开会")).AssertReply(a =>
            {
                var activity = a.AsActivity();
                Assert.Equal("请选择会议类型", activity.Text);
                Assert.Equal(ZhTypes, activity.SuggestedActions.Actions.Select(x => x.Title));
                Assert.All(activity.SuggestedActions.Actions, x => Assert.Equal(ActionTypes.ImBack, x.Type));
            })
            .Send(Say.Zh("临时会议")).AssertReply("临时会议#2")
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Complete, harness.Last.Status);
    }

    [Fact]
    public async Task On_Teams_up_to_three_choices_become_hero_card_buttons()
    {
        var harness = Harness("请选择会议类型", ChoiceFactory.ToChoices(ZhTypes), channelId: "msteams");

        await harness.Flow("pick")
            .Send(Say.Zh("开会")).AssertReply(a =>
            {
                var card = Assert.IsType<HeroCard>(Assert.Single(a.AsActivity().Attachments).Content);
                Assert.Equal("请选择会议类型", card.Text);
                Assert.Equal(ZhTypes, card.Buttons.Select(b => b.Title));
            })
            .Send(Say.Zh("1")).AssertReply("周例会#0")
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Complete, harness.Last.Status);
    }

    [Fact]
    public async Task A_validator_sees_the_found_choice_and_the_attempt_count()
    {
        var seen = new List<string>();
        var harness = new DialogHarness()
            .Add(new ChoicePrompt("choice", (context, ct) =>
            {
                seen.Add($"{context.AttemptCount}:{(context.Recognized.Succeeded ? context.Recognized.Value.Value : "-")}");
                return Task.FromResult(context.Recognized.Succeeded && context.Recognized.Value.Index != 2);
            }))
            .Add(new WaterfallDialog("pick", new WaterfallStep[]
            {
                async (step, ct) => await step.PromptAsync("choice", new PromptOptions
                {
                    Prompt = MessageFactory.Text("请选择会议类型"),
                    RetryPrompt = MessageFactory.Text("临时会议暂不可选，请重新选择"),
                    Choices = ChoiceFactory.ToChoices(ZhTypes),
                }, ct),
                async (step, ct) => await step.EndDialogAsync(((FoundChoice)step.Result!).Value, ct),
            }));

        await harness.Flow("pick")
            .Send(Say.Zh("开会")).AssertReply(a => Assert.StartsWith("请选择会议类型", a.TextOf()))
            .Send(Say.Zh("3")).AssertReply(a => Assert.StartsWith("临时会议暂不可选，请重新选择 (1)", a.TextOf()))
            .Send(Say.Zh("啊")).AssertReply(a => Assert.StartsWith("临时会议暂不可选", a.TextOf()))
            .Send(Say.Zh("周例会")).AssertNoReply()
            .StartTestAsync();

        Assert.Equal(new[] { "1:临时会议", "2:-", "3:周例会" }, seen);
        Assert.Equal(DialogTurnStatus.Complete, harness.Last.Status);
        Assert.Equal("周例会", harness.Last.Result);
    }
}
