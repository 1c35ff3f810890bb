using System.Text.Json.Nodes;
using ChatRegs.Dialogs.Choices;
using ChatRegs.Dialogs;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Newtonsoft.Json;

namespace ChatRegs.Dialogs.Tests;

public class PersistenceTests
{
    private const string Verb = "leave.submit";

    /// <summary>
    /// Builds the whole bot's dialogs from scratch — what a restarted process (or another
    /// instance behind the load balancer) does — over the given storage.
    /// </summary>
    private static (DialogHarness Harness, FakeCardFactory Cards) NewProcess(IStorage storage, string conversation = "conversation-1")
    {
        var cards = new FakeCardFactory();
        var details = new ComponentDialog("details");
        details.AddDialog(new WaterfallDialog("detailSteps", new WaterfallStep[]
        {
            async (step, ct) => await step.PromptAsync("type", new PromptOptions
            {
                Prompt = MessageFactory.Text("请选择会议类型"),
                Choices = ChoiceFactory.ToChoices(["周例会", "月度例会", "临时会议"]),
            }, ct),
            async (step, ct) =>
            {
                step.Values["type"] = ((FoundChoice)step.Result!).Value;
                return await step.PromptAsync("form", new CardFormPromptOptions
                {
                    TemplateName = "LeaveForm",
                    Verb = Verb,
                    Prompt = MessageFactory.Text("请填写请假单"),
                    Data = new JsonObject { ["title"] = "请假单", ["maxDays"] = 5 },
                }, ct);
            },
            async (step, ct) =>
            {
                var form = (CardFormResult)step.Result!;
                return await step.EndDialogAsync($"{step.Values["type"]}/{form.Values["reason"]}/{form.Values["days"]}", ct);
            },
        }));
        details.AddDialog(new ChoicePrompt("type"));
        details.AddDialog(new CardFormPrompt("form", cards, SampleForms.ValidateLeave));

        var harness = new DialogHarness(storage, conversation)
            .Add(details)
            .Add(new TextPrompt("first"))
            .Add(new WaterfallDialog("main", new WaterfallStep[]
            {
                async (step, ct) =>
                {
                    step.Values["start"] = "周一";
                    step.Values["count"] = 2;
                    return await step.PromptAsync("first", new PromptOptions { Prompt = MessageFactory.Text("第一问") }, ct);
                },
                async (step, ct) =>
                {
                    step.Values["a1"] = step.Result!;
                    return await step.BeginDialogAsync("details", null, ct);
                },
                async (step, ct) =>
                {
                    var count = Convert.ToInt32(step.Values["count"]);
                    await step.Context.SendActivityAsync($"汇总：{step.Values["start"]}/{count}/{step.Values["a1"]}/{step.Result}", cancellationToken: ct);
                    return await step.EndDialogAsync(step.Result, ct);
                },
            }));
        return (harness, cards);
    }

    public static TheoryData<string> Storages => new() { "MemoryStorage", "JsonTextStorage" };

    private static IStorage CreateStorage(string kind) => kind == "MemoryStorage" ? new MemoryStorage() : new JsonTextStorage();

    [Theory]
    [MemberData(nameof(Storages))]
    public async Task After_a_restart_the_dialog_continues_at_the_same_step_with_its_values(string storageKind)
    {
        var storage = CreateStorage(storageKind);

        var (first, _) = NewProcess(storage);
        await first.Flow("main")
            .Send(Say.Zh("开始")).AssertReply("第一问")
            .StartTestAsync();

        var (second, _) = NewProcess(storage);
        await second.Flow("main")
            .Send(Say.Zh("答一")).AssertReply("请选择会议类型 (1) 周例会，(2) 月度例会，或 (3) 临时会议")
            .StartTestAsync();

        var (third, thirdCards) = NewProcess(storage);
        await third.Flow("main")
            .Send(Say.Zh("2")).AssertReply(a => Assert.Equal("请填写请假单", a.TextOf()))
            .StartTestAsync();
        Assert.Equal("请假单", (string?)thirdCards.Last.Data["title"]);

        // The options (with their System.Text.Json data) came back from storage: maxDays is still 5.
        var (fourth, fourthCards) = NewProcess(storage);
        await fourth.Flow("main")
            .Send(Say.Submit(new { verb = Verb, reason = "看病", days = "6" })).AssertReply("表单中有 1 处需要修改，请按字段旁的提示修改后重新提交。")
            .StartTestAsync();
        Assert.Equal("天数必须是 1 到 5 的整数。", (string?)fourthCards.Last.Data["errors"]!["days"]);
        Assert.Equal("请假单", (string?)fourthCards.Last.Data["title"]);

        // Help-free re-prompt after a restart still has the user's input.
        var (fifth, _) = NewProcess(storage);
        await fifth.Flow("main")
            .Send(Say.Submit(new { verb = Verb, reason = "看病", days = "3" })).AssertReply("汇总：周一/2/答一/月度例会/看病/3")
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Waiting, first.Last.Status);
        Assert.Equal(DialogTurnStatus.Waiting, second.Last.Status);
        Assert.Equal(DialogTurnStatus.Waiting, third.Last.Status);
        Assert.Equal(DialogTurnStatus.Waiting, fourth.Last.Status);
        Assert.Equal(DialogTurnStatus.Complete, fifth.Last.Status);
        Assert.Equal("月度例会/看病/3", fifth.Last.Result);
        Assert.Empty(fifth.Stacks[^1]);
    }

    [Fact]
    public async Task The_stored_state_is_typed_Newtonsoft_json_and_reads_back_as_the_same_types()
    {
        var storage = new JsonTextStorage();
        var (harness, _) = NewProcess(storage);
        await harness.Flow("main")
            .Send(Say.Zh("开始")).AssertReply("第一问")
            .Send(Say.Zh("答一")).AssertReply(a => Assert.StartsWith("请选择会议类型", a.TextOf()))
            .Send(Say.Zh("临时会议")).AssertReply(a => Assert.Equal("请填写请假单", a.TextOf()))
            .StartTestAsync();

        var json = Assert.Single(storage.Items).Value;
        Assert.Contains("\"$type\": \"ChatRegs.Dialogs.DialogState, ChatRegs.Dialogs\"", json.Replace("\":\"", "\": \""));
        Assert.Contains("ChatRegs.Dialogs.CardFormPromptOptions, ChatRegs.Dialogs", json);

        var state = (IDictionary<string, object>)JsonConvert.DeserializeObject(json, JsonTextStorage.Settings)!;
        var dialogState = Assert.IsType<DialogState>(state["DialogState"]);
        Assert.Equal(new[] { "details", "main" }, dialogState.DialogStack.Select(i => i.Id));

        var main = dialogState.DialogStack[1].State;
        Assert.Equal(1L, main["stepIndex"]);
        var values = Assert.IsAssignableFrom<IDictionary<string, object>>(main["values"]);
        Assert.Equal("周一", values["start"]);
        Assert.Equal(2L, values["count"]);

        var inner = Assert.IsType<DialogState>(dialogState.DialogStack[0].State[ComponentDialog.PersistedDialogState]);
        Assert.Equal(new[] { "form", "detailSteps" }, inner.DialogStack.Select(i => i.Id));
        var form = Assert.IsType<CardFormPromptOptions>(inner.DialogStack[0].State["options"]);
        Assert.Equal("LeaveForm", form.TemplateName);
        Assert.Equal(Verb, form.Verb);
        Assert.Equal(5, form.Data!["maxDays"]!.GetValue<int>());
        Assert.Equal("请填写请假单", form.Prompt!.Text);
        var detailValues = (IDictionary<string, object>)inner.DialogStack[1].State["values"];
        Assert.Equal("临时会议", detailValues["type"]);
    }

    [Fact]
    public void A_dialog_state_survives_a_direct_TypeNameHandling_All_round_trip()
    {
        var state = new DialogState(new List<DialogInstance>
        {
            new()
            {
                Id = "choice",
                State = new Dictionary<string, object>
                {
                    ["options"] = new PromptOptions
                    {
                        Prompt = MessageFactory.Text("请选择"),
                        Choices = new List<Choice> { new("是") { Synonyms = ["对"] }, new("否") },
                        Style = ListStyle.List,
                    },
                    ["state"] = new Dictionary<string, object> { [Prompt<FoundChoice>.AttemptCountKey] = 2 },
                },
            },
        });

        var settings = new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.All };
        var copy = JsonConvert.DeserializeObject<DialogState>(JsonConvert.SerializeObject(state, settings), settings)!;

        var instance = Assert.Single(copy.DialogStack);
        Assert.Equal("choice", instance.Id);
        var options = Assert.IsType<PromptOptions>(instance.State["options"]);
        Assert.Equal("请选择", options.Prompt!.Text);
        Assert.Equal(new[] { "是", "否" }, options.Choices!.Select(c => c.Value));
        Assert.Equal(new[] { "对" }, options.Choices![0].Synonyms);
        Assert.Equal(ListStyle.List, options.Style);
        Assert.Equal(2L, Assert.IsType<Dictionary<string, object>>(instance.State["state"])[Prompt<FoundChoice>.AttemptCountKey]);
    }

    [Fact]
    public async Task Two_conversations_never_see_each_others_dialog_state()
    {
        // One bot (shared ConversationState, DialogSet and dialogs), one storage, two conversations.
        var storage = new MemoryStorage();
        var conversationState = new ConversationState(storage);
        var accessor = conversationState.CreateProperty<DialogState>("DialogState");
        var dialogs = new DialogSet(accessor)
            .Add(new TextPrompt("text"))
            .Add(new WaterfallDialog("pair", new WaterfallStep[]
            {
                async (step, ct) => await step.PromptAsync("text", new PromptOptions { Prompt = MessageFactory.Text("第一问") }, ct),
                async (step, ct) =>
                {
                    step.Values["first"] = step.Result!;
                    return await step.PromptAsync("text", new PromptOptions { Prompt = MessageFactory.Text("第二问") }, ct);
                },
                async (step, ct) =>
                {
                    await step.Context.SendActivityAsync($"汇总：{step.Values["first"]}+{step.Result}", cancellationToken: ct);
                    return await step.EndDialogAsync(cancellationToken: ct);
                },
            }));

        var statuses = new Dictionary<string, List<DialogTurnStatus>> { ["甲"] = new(), ["乙"] = new() };
        BotCallbackHandler bot = async (turn, ct) =>
        {
            var dc = await dialogs.CreateContextAsync(turn, ct);
            var result = await dc.ContinueDialogAsync(ct);
            if (result.Status == DialogTurnStatus.Empty)
            {
                result = await dc.BeginDialogAsync("pair", null, ct);
            }

            statuses[turn.Activity.Conversation.Id].Add(result.Status);
        };

        TestAdapter Adapter(string conversation) =>
            new TestAdapter(TestAdapter.CreateConversation(conversation, "user-" + conversation)).Use(new DialogTextMiddleware(TestDialogText.Instance)).Use(new AutoSaveStateMiddleware(conversationState));

        var a = Adapter("甲");
        var b = Adapter("乙");

        async Task<string?> Turn(TestAdapter adapter, string text)
        {
            await adapter.ProcessActivityAsync(Say.Zh(text), bot, CancellationToken.None);
            var reply = adapter.GetNextReply();
            Assert.Null(adapter.GetNextReply());
            return reply?.TextOf();
        }

        Assert.Equal("第一问", await Turn(a, "开始"));
        Assert.Equal("第一问", await Turn(b, "开始"));
        Assert.Equal("第二问", await Turn(a, "A1"));
        Assert.Equal("第二问", await Turn(b, "B1"));
        Assert.Equal("汇总：A1+A2", await Turn(a, "A2"));
        Assert.Equal("第一问", await Turn(a, "又开始"));
        Assert.Equal("汇总：B1+B2", await Turn(b, "B2"));

        Assert.Equal(new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Complete, DialogTurnStatus.Waiting }, statuses["甲"]);
        Assert.Equal(new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Complete }, statuses["乙"]);
    }
}
