using System.Text.Json.Nodes;
using ChatRegs.Dialogs;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Dialogs.Tests;

public class CardFormPromptTests
{
    private const string Verb = "leave.submit";

    internal static CardFormPromptOptions LeaveForm(int? maxAttempts = null, string? prompt = "请填写请假单") => new()
    {
        TemplateName = "LeaveForm",
        Verb = Verb,
        Prompt = prompt == null ? null : MessageFactory.Text(prompt),
        Data = new JsonObject { ["title"] = "请假单", ["maxDays"] = 30 },
        MaxAttempts = maxAttempts ?? 3,
    };

    internal static DialogHarness Harness(FakeCardFactory cards, Func<CardFormPromptOptions> options, IStorage? storage = null) => new DialogHarness(storage)
        .Add(new CardFormPrompt("form", cards, SampleForms.ValidateLeave))
        .Add(new WaterfallDialog("leave", new WaterfallStep[]
        {
            async (step, ct) => await step.PromptAsync("form", options(), ct),
            async (step, ct) =>
            {
                var result = Assert.IsType<CardFormResult>(step.Result);
                var text = result.Cancelled ? "已放弃" : $"已提交：{result.Values["reason"]}，{result.Values["days"]} 天";
                await step.Context.SendActivityAsync(text, cancellationToken: ct);
                return await step.EndDialogAsync(result, ct);
            },
        }));

    private static Action<IActivity> Card(FakeCardFactory cards, string? text, Action<JsonObject>? data = null) => reply =>
    {
        var activity = reply.AsActivity();
        Assert.Equal(text, activity.Text);
        Assert.Equal(InputHints.ExpectingInput, activity.InputHint);
        var attachment = Assert.Single(activity.Attachments);
        Assert.Equal(FakeCardFactory.ContentType, attachment.ContentType);
        Assert.Equal("LeaveForm", cards.Last.Template);
        data?.Invoke(cards.Last.Data);
    };

    [Fact]
    public async Task A_valid_submit_is_the_answer()
    {
        var cards = new FakeCardFactory();
        var harness = Harness(cards, () => LeaveForm());

        await harness.Flow("leave")
            .Send(Say.Zh("请假")).AssertReply(Card(cards, "请填写请假单", data =>
            {
                Assert.Equal("请假单", (string?)data["title"]);
                Assert.Empty(data["values"]!.AsObject());
                Assert.Empty(data["errors"]!.AsObject());
            }))
            .Send(Say.Submit(new { verb = Verb, reason = "看病", days = "2" })).AssertReply("已提交：看病，2 天")
            .StartTestAsync();

        Assert.Equal(TestDialogText.Chinese, cards.Last.Locale);
        Assert.Equal(new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Complete }, harness.Results.Select(r => r.Status));
        var result = Assert.IsType<CardFormResult>(harness.Last.Result);
        Assert.False(result.Cancelled);
        Assert.Equal(Verb, result.Verb);
        Assert.Equal(new Dictionary<string, string> { ["reason"] = "看病", ["days"] = "2" }, result.Values);
    }

    [Fact]
    public async Task An_invalid_field_re_sends_the_form_with_the_input_kept_and_the_errors()
    {
        var cards = new FakeCardFactory();
        var harness = Harness(cards, () => LeaveForm());

        await harness.Flow("leave")
            .Send(Say.Zh("请假")).AssertReply(Card(cards, "请填写请假单"))
            .Send(Say.Submit(new { verb = Verb, reason = "回老家", days = "四十" })).AssertReply(Card(cards, "表单中有 1 处需要修改，请按字段旁的提示修改后重新提交。", data =>
            {
                Assert.Equal("请假单", (string?)data["title"]);
                Assert.Equal("回老家", (string?)data["values"]!["reason"]);
                Assert.Equal("四十", (string?)data["values"]!["days"]);
                Assert.Equal("天数必须是 1 到 30 的整数。", (string?)data["errors"]!["days"]);
                Assert.Null(data["errors"]!["reason"]);
            }))
            .Send(Say.Submit(new { verb = Verb, reason = " ", days = "40" })).AssertReply(Card(cards, "表单中有 2 处需要修改，请按字段旁的提示修改后重新提交。", data =>
            {
                Assert.Equal(" ", (string?)data["values"]!["reason"]);
                Assert.Equal("请填写请假原因。", (string?)data["errors"]!["reason"]);
            }))
            .Send(Say.Submit(new { verb = Verb, reason = "回老家", days = "4" })).AssertReply("已提交：回老家，4 天")
            .StartTestAsync();

        Assert.Equal(
            new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Complete },
            harness.Results.Select(r => r.Status));
        Assert.False(((CardFormResult)harness.Last.Result!).Cancelled);
    }

    [Fact]
    public async Task English_users_get_English_messages_and_cards()
    {
        var cards = new FakeCardFactory();
        var harness = Harness(cards, () => LeaveForm(prompt: null));

        await harness.Flow("leave")
            .Send(Say.En("leave")).AssertReply(Card(cards, null))
            .Send(Say.Submit(new { verb = Verb, reason = "dentist", days = "0" }, "en-US")).AssertReply(Card(cards, "1 field(s) in the form need correcting. Please follow the notes next to them and submit again.", data =>
                Assert.Equal("Days must be a whole number from 1 to 30.", (string?)data["errors"]!["days"])))
            .Send(Say.En("I'm off tomorrow")).AssertReply(Card(cards, "Please fill in the form and press its submit button. Send \"cancel\" to stop.", data =>
                Assert.Equal("dentist", (string?)data["values"]!["reason"])))
            .Send(Say.Submit(new { verb = Verb, reason = "dentist", days = "0" }, "en-US")).AssertReply("The form still wasn't accepted after 3 attempts, so I've stopped here and nothing was saved. Start again whenever you're ready.")
            .AssertReply("已放弃")
            .StartTestAsync();

        Assert.All(cards.Calls, call => Assert.Equal(TestDialogText.English, call.Locale));
        Assert.Equal(DialogTurnStatus.Complete, harness.Last.Status);
    }

    [Fact]
    public async Task It_gives_up_after_the_default_three_rejected_answers()
    {
        var cards = new FakeCardFactory();
        var harness = Harness(cards, () => LeaveForm());
        var bad = new { verb = Verb, reason = "", days = "" };

        await harness.Flow("leave")
            .Send(Say.Zh("请假")).AssertReply(Card(cards, "请填写请假单"))
            .Send(Say.Submit(bad)).AssertReply(Card(cards, "表单中有 2 处需要修改，请按字段旁的提示修改后重新提交。"))
            .Send(Say.Submit(bad)).AssertReply(Card(cards, "表单中有 2 处需要修改，请按字段旁的提示修改后重新提交。"))
            .Send(Say.Submit(bad)).AssertReply("表单已经尝试了 3 次仍未通过，本次操作已结束，没有保存任何内容。需要时请重新开始。")
            .AssertReply("已放弃")
            .StartTestAsync();

        Assert.Equal(3, cards.Calls.Count);
        Assert.Equal(DialogTurnStatus.Complete, harness.Last.Status);
        var result = Assert.IsType<CardFormResult>(harness.Last.Result);
        Assert.True(result.Cancelled);
        Assert.Equal("", result.Values["reason"]);
    }

    [Fact]
    public async Task The_number_of_attempts_is_configurable()
    {
        var cards = new FakeCardFactory();
        var harness = Harness(cards, () => LeaveForm(maxAttempts: 1));

        await harness.Flow("leave")
            .Send(Say.Zh("请假")).AssertReply(Card(cards, "请填写请假单"))
            .Send(Say.Submit(new { verb = Verb, reason = "x", days = "99" })).AssertReply("表单已经尝试了 1 次仍未通过，本次操作已结束，没有保存任何内容。需要时请重新开始。")
            .AssertReply("已放弃")
            .StartTestAsync();

        Assert.True(((CardFormResult)harness.Last.Result!).Cancelled);
    }

    [Fact]
    public async Task Text_instead_of_a_submit_re_sends_the_form_with_a_hint()
    {
        var cards = new FakeCardFactory();
        var harness = Harness(cards, () => LeaveForm());

        await harness.Flow("leave")
            .Send(Say.Zh("请假")).AssertReply(Card(cards, "请填写请假单"))
            .Send(Say.Zh("我明天请假")).AssertReply(Card(cards, "请在表单中填写，然后点击表单上的提交按钮。发送“取消”可以退出。", data =>
            {
                Assert.Empty(data["values"]!.AsObject());
                Assert.Empty(data["errors"]!.AsObject());
            }))
            .Send(Say.Submit(new { verb = Verb, reason = "事假", days = "1" })).AssertReply("已提交：事假，1 天")
            .StartTestAsync();

        Assert.Equal(
            new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Complete },
            harness.Results.Select(r => r.Status));
    }

    [Fact]
    public async Task A_submit_from_another_card_is_not_the_answer_and_does_not_count()
    {
        var cards = new FakeCardFactory();
        var harness = Harness(cards, () => LeaveForm(maxAttempts: 1));

        await harness.Flow("leave")
            .Send(Say.Zh("请假")).AssertReply(Card(cards, "请填写请假单"))
            .Send(Say.Submit(new { verb = "checkin.submit", reason = "看病", days = "2" })).AssertReply("这个按钮属于另一张卡片。请先完成当前的表单，或发送“取消”退出。")
            .Send(Say.Submit(new { reason = "看病", days = "2" })).AssertReply("这个按钮属于另一张卡片。请先完成当前的表单，或发送“取消”退出。")
            .Send(Say.Submit(new { verb = new[] { Verb }, reason = "看病", days = "2" })).AssertReply("这个按钮属于另一张卡片。请先完成当前的表单，或发送“取消”退出。")
            .Send(Say.Submit(new { verb = Verb, reason = "看病", days = "2" })).AssertReply("已提交：看病，2 天")
            .StartTestAsync();

        Assert.Single(cards.Calls);
        Assert.Equal(
            new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Complete },
            harness.Results.Select(r => r.Status));
    }

    [Fact]
    public async Task Initial_values_in_the_data_are_shown_and_overlaid_by_the_users_input()
    {
        var cards = new FakeCardFactory();
        var harness = Harness(cards, () =>
        {
            var options = LeaveForm();
            options.Data!["values"] = new JsonObject { ["reason"] = "年假", ["days"] = "1", ["approver"] = "王经理" };
            return options;
        });

        await harness.Flow("leave")
            .Send(Say.Zh("请假")).AssertReply(Card(cards, "请填写请假单", data =>
            {
                Assert.Equal("年假", (string?)data["values"]!["reason"]);
                Assert.Equal("王经理", (string?)data["values"]!["approver"]);
            }))
            .Send(Say.Submit(new { verb = Verb, reason = "年假", days = "100", approver = "王经理" })).AssertReply(Card(cards, "表单中有 1 处需要修改，请按字段旁的提示修改后重新提交。", data =>
            {
                Assert.Equal("100", (string?)data["values"]!["days"]);
                Assert.Equal("王经理", (string?)data["values"]!["approver"]);
            }))
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Waiting, harness.Last.Status);
    }

    [Fact]
    public async Task Help_inside_an_interruptible_dialog_re_sends_the_form_with_the_last_input_and_errors()
    {
        var cards = new FakeCardFactory();
        var help = new FakeHelpResponder();
        var leave = new InterruptibleComponentDialog("leave", help);
        leave.AddDialog(new WaterfallDialog("steps", new WaterfallStep[]
        {
            async (step, ct) => await step.PromptAsync("form", LeaveForm(), ct),
            async (step, ct) => await step.EndDialogAsync(step.Result, ct),
        }));
        leave.AddDialog(new CardFormPrompt("form", cards, SampleForms.ValidateLeave));
        var harness = new DialogHarness().Add(leave);

        await harness.Flow("leave")
            .Send(Say.Zh("请假")).AssertReply(Card(cards, "请填写请假单"))
            .Send(Say.Submit(new { verb = Verb, reason = "看病", days = "0" })).AssertReply(Card(cards, "表单中有 1 处需要修改，请按字段旁的提示修改后重新提交。"))
            .Send(Say.Zh("帮助")).AssertReply("帮助：请直接回答问题").AssertReply(Card(cards, "请填写请假单", data =>
            {
                Assert.Equal("看病", (string?)data["values"]!["reason"]);
                Assert.Equal("0", (string?)data["values"]!["days"]);
                Assert.Equal("天数必须是 1 到 30 的整数。", (string?)data["errors"]!["days"]);
            }))
            .Send(Say.Submit(new { verb = Verb, reason = "看病", days = "1" })).AssertNoReply()
            .StartTestAsync();

        Assert.Equal(1, help.Calls);
        Assert.Equal(DialogTurnStatus.Complete, harness.Last.Status);
        Assert.Equal("1", ((CardFormResult)harness.Last.Result!).Values["days"]);
    }

    [Fact]
    public async Task Cancel_at_a_card_form_cancels_all_dialogs()
    {
        var cards = new FakeCardFactory();
        var leave = new InterruptibleComponentDialog("leave", new FakeHelpResponder());
        leave.AddDialog(new WaterfallDialog("steps", new WaterfallStep[]
        {
            async (step, ct) => await step.PromptAsync("form", LeaveForm(), ct),
            async (step, ct) => await step.EndDialogAsync(step.Result, ct),
        }));
        leave.AddDialog(new CardFormPrompt("form", cards, SampleForms.ValidateLeave));
        var harness = new DialogHarness().Add(leave);

        await harness.Flow("leave")
            .Send(Say.Zh("请假")).AssertReply(Card(cards, "请填写请假单"))
            .Send(Say.Zh("取消")).AssertReply("已取消。")
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Cancelled, harness.Last.Status);
        Assert.Empty(harness.Stacks[^1]);
    }

    [Fact]
    public async Task Submitted_values_are_flattened_to_text_without_verb_and_msteams()
    {
        var cards = new FakeCardFactory();
        var harness = new DialogHarness().Add(new CardFormPrompt("form", cards));
        var submit = JObject.Parse("""{"verb":"leave.submit","msteams":{"a":1},"text":"hi","count":3,"ratio":1.5,"agree":true,"none":null,"tags":["a","b"]}""");

        await harness.Flow("form", LeaveForm())
            .Send(Say.Zh("开始")).AssertReply(Card(cards, "请填写请假单"))
            .Send(new Activity(ActivityTypes.Message) { Value = submit }).AssertNoReply()
            .StartTestAsync();

        var result = Assert.IsType<CardFormResult>(harness.Last.Result);
        Assert.Equal(new Dictionary<string, string>
        {
            ["text"] = "hi",
            ["count"] = "3",
            ["ratio"] = "1.5",
            ["agree"] = "true",
            ["tags"] = """["a","b"]""",
        }, result.Values);
    }

    [Fact]
    public async Task Options_without_template_or_verb_are_rejected()
    {
        var harness = new DialogHarness().Add(new CardFormPrompt("form", new FakeCardFactory()));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            harness.Flow("form", new CardFormPromptOptions { TemplateName = "LeaveForm" }).Send(Say.Zh("开始")).StartTestAsync());
    }
}
