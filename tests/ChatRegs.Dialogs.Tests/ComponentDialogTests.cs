using ChatRegs.Dialogs;
using Microsoft.Bot.Builder;

namespace ChatRegs.Dialogs.Tests;

public class ComponentDialogTests
{
    /// <summary>Asks a name, then a department, and returns "name/department".</summary>
    private sealed class ProfileDialog : ComponentDialog
    {
        public ProfileDialog()
            : base("profile")
        {
            AddDialog(new WaterfallDialog("profileSteps", new WaterfallStep[]
            {
                async (step, ct) => await step.PromptAsync("name", new PromptOptions { Prompt = MessageFactory.Text("你叫什么名字？") }, ct),
                async (step, ct) =>
                {
                    step.Values["name"] = step.Result!;
                    return await step.BeginDialogAsync("department", null, ct);
                },
                async (step, ct) => await step.EndDialogAsync($"{step.Values["name"]}/{step.Result}", ct),
            }));
            AddDialog(new TextPrompt("name"));
            AddDialog(new DepartmentDialog());
        }
    }

    /// <summary>A component inside the profile component.</summary>
    private sealed class DepartmentDialog : ComponentDialog
    {
        public DepartmentDialog()
            : base("department")
        {
            AddDialog(new WaterfallDialog("departmentSteps", new WaterfallStep[]
            {
                async (step, ct) => await step.PromptAsync("departmentName", new PromptOptions { Prompt = MessageFactory.Text("你在哪个部门？") }, ct),
                async (step, ct) => await step.EndDialogAsync(step.Result, ct),
            }));
            AddDialog(new TextPrompt("departmentName"));
        }
    }

    private static WaterfallDialog MainDialog(Func<WaterfallStepContext, CancellationToken, Task<DialogTurnResult>>? last = null) => new("main", new WaterfallStep[]
    {
        async (step, ct) => await step.BeginDialogAsync("profile", null, ct),
        async (step, ct) =>
        {
            await step.Context.SendActivityAsync($"已登记：{step.Result}", cancellationToken: ct);
            return last == null ? await step.EndDialogAsync(step.Result, ct) : await last(step, ct);
        },
    });

    [Fact]
    public async Task Nested_components_keep_their_own_stacks_and_return_the_result_to_the_outer_waterfall()
    {
        var harness = new DialogHarness().Add(new ProfileDialog()).Add(MainDialog());
        await harness.Flow("main")
            .Send(Say.Zh("登记")).AssertReply("你叫什么名字？")
            .Send(Say.Zh("张三")).AssertReply("你在哪个部门？")
            .Send(Say.Zh("客服部")).AssertReply("已登记：张三/客服部")
            .StartTestAsync();

        Assert.Equal(new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Waiting, DialogTurnStatus.Complete }, harness.Results.Select(r => r.Status));
        Assert.Equal("张三/客服部", harness.Last.Result);

        var saved = harness.Snapshots[1];

        // The root stack only knows the outer dialogs; each component's stack lives in its instance state.
        Assert.Equal(new[] { "profile", "main" }, saved!.DialogStack.Select(i => i.Id));
        var profileStack = (DialogState)saved.DialogStack[0].State[ComponentDialog.PersistedDialogState];
        Assert.Equal(new[] { "department", "profileSteps" }, profileStack.DialogStack.Select(i => i.Id));
        var departmentStack = (DialogState)profileStack.DialogStack[0].State[ComponentDialog.PersistedDialogState];
        Assert.Equal(new[] { "departmentName", "departmentSteps" }, departmentStack.DialogStack.Select(i => i.Id));

        // Inner dialogs are not visible from the root set.
        Assert.Null(harness.Dialogs.Find("name"));
        Assert.Null(harness.Dialogs.Find("departmentSteps"));
        Assert.Empty(harness.Stacks[^1]);
    }

    [Fact]
    public async Task ReplaceDialog_restarts_a_dialog_in_place_without_growing_the_stack()
    {
        var harness = new DialogHarness()
            .Add(new TextPrompt("answer"))
            .Add(new WaterfallDialog("round", new WaterfallStep[]
            {
                async (step, ct) =>
                {
                    var round = step.Options is long or int ? Convert.ToInt32(step.Options) : 1;
                    step.Values["round"] = round;
                    return await step.PromptAsync("answer", new PromptOptions { Prompt = MessageFactory.Text($"第 {round} 轮：继续吗？") }, ct);
                },
                async (step, ct) =>
                {
                    var round = Convert.ToInt32(step.Values["round"]);
                    if ((string)step.Result! == "再来")
                    {
                        return await step.ReplaceDialogAsync("round", round + 1, ct);
                    }

                    await step.Context.SendActivityAsync($"共 {round} 轮", cancellationToken: ct);
                    return await step.EndDialogAsync(round, ct);
                },
            }))
            .Add(new WaterfallDialog("main", new WaterfallStep[]
            {
                async (step, ct) => await step.BeginDialogAsync("round", null, ct),
                async (step, ct) => await step.EndDialogAsync(step.Result, ct),
            }));

        await harness.Flow("main")
            .Send(Say.Zh("开始")).AssertReply("第 1 轮：继续吗？")
            .Send(Say.Zh("再来")).AssertReply("第 2 轮：继续吗？")
            .Send(Say.Zh("再来")).AssertReply("第 3 轮：继续吗？")
            .Send(Say.Zh("好了")).AssertReply("共 3 轮")
            .StartTestAsync();

        Assert.Equal(new[] { "answer", "round", "main" }, harness.Stacks[0]);
        Assert.Equal(new[] { "answer", "round", "main" }, harness.Stacks[2]);
        Assert.Equal(DialogTurnStatus.Complete, harness.Last.Status);
        Assert.Equal(3, harness.Last.Result);
    }

    [Fact]
    public async Task CancelAllDialogs_empties_the_stack_including_component_stacks()
    {
        var cancelledInner = new List<DialogReason>();
        var profile = new RecordingProfile(cancelledInner);
        var harness = new DialogHarness().Add(profile).Add(MainDialog());
        harness.BeforeDialogs = async (dc, ct) =>
        {
            if (dc.Context.Activity.Text == "全部取消")
            {
                var result = await dc.CancelAllDialogsAsync(ct);
                await dc.Context.SendActivityAsync($"已取消全部（{result.Status}）", cancellationToken: ct);
                return result;
            }

            return null;
        };

        await harness.Flow("main")
            .Send(Say.Zh("登记")).AssertReply("你叫什么名字？")
            .Send(Say.Zh("全部取消")).AssertReply("已取消全部（Cancelled）")
            .Send(Say.Zh("登记")).AssertReply("你叫什么名字？")
            .StartTestAsync();

        Assert.Equal(new[] { DialogTurnStatus.Waiting, DialogTurnStatus.Cancelled, DialogTurnStatus.Waiting }, harness.Results.Select(r => r.Status));
        Assert.Empty(harness.Stacks[1]);
        Assert.Equal(new[] { DialogReason.CancelCalled }, cancelledInner);
    }

    [Fact]
    public async Task CancelAllDialogs_on_an_empty_stack_is_Empty()
    {
        var harness = new DialogHarness();
        DialogTurnResult? result = null;
        await new Microsoft.Bot.Builder.Adapters.TestFlow(harness.Adapter, async (turn, ct) =>
            {
                var dc = await harness.Dialogs.CreateContextAsync(turn, ct);
                result = await dc.CancelAllDialogsAsync(ct);
            })
            .Send(Say.Zh("取消"))
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Empty, result!.Status);
    }

    [Fact]
    public async Task EndDialog_returns_a_typed_result_through_the_component()
    {
        var component = new ComponentDialog("summary");
        component.AddDialog(new WaterfallDialog("summarySteps", new WaterfallStep[]
        {
            async (step, ct) => await step.EndDialogAsync(new MeetingSummary { Title = "周例会", Attendees = 12 }, ct),
        }));
        var harness = new DialogHarness().Add(component).Add(new WaterfallDialog("main", new WaterfallStep[]
        {
            async (step, ct) => await step.BeginDialogAsync("summary", null, ct),
            async (step, ct) =>
            {
                var summary = Assert.IsType<MeetingSummary>(step.Result);
                await step.Context.SendActivityAsync($"{summary.Title}：{summary.Attendees} 人", cancellationToken: ct);
                return await step.EndDialogAsync(summary, ct);
            },
        }));

        await harness.Flow("main")
            .Send(Say.Zh("汇总")).AssertReply("周例会：12 人")
            .StartTestAsync();

        Assert.Equal(DialogTurnStatus.Complete, harness.Last.Status);
        Assert.IsType<MeetingSummary>(harness.Last.Result);
    }

    [Fact]
    public async Task RunAsync_begins_then_continues_the_dialog()
    {
        var storage = new Microsoft.Bot.Builder.MemoryStorage();
        var conversationState = new ConversationState(storage);
        var accessor = conversationState.CreateProperty<DialogState>(nameof(DialogState));
        var dialog = new ProfileDialog();
        var adapter = new Microsoft.Bot.Builder.Adapters.TestAdapter(Microsoft.Bot.Builder.Adapters.TestAdapter.CreateConversation("run"))
            .Use(new DialogTextMiddleware(TestDialogText.Instance))
            .Use(new AutoSaveStateMiddleware(conversationState));

        await new Microsoft.Bot.Builder.Adapters.TestFlow((Microsoft.Bot.Builder.Adapters.TestAdapter)adapter, (turn, ct) => dialog.RunAsync(turn, accessor, ct))
            .Send(Say.Zh("登记")).AssertReply("你叫什么名字？")
            .Send(Say.Zh("李四")).AssertReply("你在哪个部门？")
            .Send(Say.Zh("财务部")).AssertNoReply()
            .Send(Say.Zh("再来一次")).AssertReply("你叫什么名字？")
            .StartTestAsync();
    }

    [Fact]
    public void Adding_a_different_dialog_with_the_same_id_renames_it_like_the_SDK()
    {
        var set = new DialogSet();
        var first = new TextPrompt("ask");
        var second = new TextPrompt("ask");
        set.Add(first).Add(first).Add(second);

        Assert.Same(first, set.Find("ask"));
        Assert.Equal("ask2", second.Id);
        Assert.Same(second, set.Find("ask2"));
    }

    private sealed class RecordingProfile : ComponentDialog
    {
        private readonly List<DialogReason> _reasons;

        public RecordingProfile(List<DialogReason> reasons)
            : base("profile")
        {
            _reasons = reasons;
            AddDialog(new WaterfallDialog("profileSteps", new WaterfallStep[]
            {
                async (step, ct) => await step.PromptAsync("name", new PromptOptions { Prompt = MessageFactory.Text("你叫什么名字？") }, ct),
                async (step, ct) => await step.EndDialogAsync(step.Result, ct),
            }));
            AddDialog(new TextPrompt("name"));
        }

        protected override Task OnEndDialogAsync(ITurnContext context, DialogInstance instance, DialogReason reason, CancellationToken cancellationToken = default)
        {
            _reasons.Add(reason);
            var inner = (DialogState)instance.State[PersistedDialogState];
            Assert.Empty(inner.DialogStack);
            return Task.CompletedTask;
        }
    }

    public sealed class MeetingSummary
    {
        public string Title { get; set; } = string.Empty;

        public int Attendees { get; set; }
    }
}
