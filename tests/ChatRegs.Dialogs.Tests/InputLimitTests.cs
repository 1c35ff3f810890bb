using System.Text.Json.Nodes;
using ChatRegs.Dialogs.Choices;
using ChatRegs.Dialogs;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Dialogs.Tests;

/// <summary>
/// A pasted novel never reaches dialog state: typed answers and form fields are capped in the
/// prompt layer, the user is told the limit in their language, what fits is kept, and the flow goes on.
/// </summary>
public class InputLimitTests
{
    private static readonly string Million = new('长', 1_000_000);

    /// <summary>A card with a multi-line details input (template maxLength 3000), a single-line name and a choice set.</summary>
    private sealed class FormCards : ICardFormFactory
    {
        public JObject? LastCard { get; private set; }

        public Attachment Create(string templateName, JsonObject data, string locale)
        {
            var card = new JObject
            {
                ["type"] = "AdaptiveCard",
                ["body"] = new JArray
                {
                    new JObject { ["type"] = "Input.Text", ["id"] = "details", ["isMultiline"] = true, ["maxLength"] = 3000, ["value"] = data["values"]?["details"]?.ToString() ?? "" },
                    new JObject { ["type"] = "Input.Text", ["id"] = "name", ["value"] = data["values"]?["name"]?.ToString() ?? "" },
                    new JObject { ["type"] = "Input.ChoiceSet", ["id"] = "kind", ["choices"] = new JArray(new JObject { ["title"] = "A", ["value"] = "a" }) },
                    new JObject { ["type"] = "TextBlock", ["text"] = string.Join("\n", (data["errors"] as JsonObject ?? new JsonObject()).Select(e => $"{e.Key}: {e.Value}")) },
                },
                ["actions"] = new JArray(new JObject { ["type"] = "Action.Submit", ["data"] = new JObject { ["verb"] = "demo.submit" } }),
            };
            LastCard = card;
            return new Attachment { ContentType = "application/vnd.microsoft.card.adaptive", Content = card };
        }
    }

    private static JObject Input(JObject card, string id) => card.Descendants().OfType<JObject>().Single(o => (string?)o["id"] == id);

    [Fact]
    public async Task A_million_character_typed_answer_is_refused_with_the_limit_and_kept_up_to_it()
    {
        var storage = new JsonTextStorage();
        var harness = new DialogHarness(storage)
            .Add(new TextPrompt("title") { MaxLength = 60 })
            .Add(new WaterfallDialog("flow", new WaterfallStep[]
            {
                async (step, ct) => await step.PromptAsync("title", new PromptOptions { Prompt = MessageFactory.Text("标题？") }, ct),
                async (step, ct) =>
                {
                    await step.Context.SendActivityAsync($"标题：{step.Result}", cancellationToken: ct);
                    return await step.EndDialogAsync(null, ct);
                },
            }));
        var bot = harness.Bot("flow");
        await harness.TurnAsync(bot, Say.Zh("建议"));

        var replies = await harness.TurnAsync(bot, Say.Zh(Million));
        Assert.Equal(3, replies.Count);
        Assert.Equal("你的回答有 1000000 个字，超过了上限 60 个字，没有被接受。下面是前 60 个字，可以复制、删减后重新发送：", replies[0].AsMessageActivity().Text);
        Assert.Equal(new string('长', 60), replies[1].AsMessageActivity().Text);
        Assert.Equal(TextFormatTypes.Plain, replies[1].AsMessageActivity().TextFormat);
        Assert.Equal("标题？", replies[2].AsMessageActivity().Text);
        Assert.Equal(DialogTurnStatus.Waiting, harness.Last.Status);
        Assert.True(storage.Items.Values.Sum(v => v.Length) < 10_000, "the refused answer must not be in state");

        var en = await harness.TurnAsync(bot, Say.En(new string('x', 61)));
        Assert.StartsWith("Your answer is 61 characters long, over the limit of 60", en[0].AsMessageActivity().Text);

        var done = await harness.TurnAsync(bot, Say.Zh("周会材料提前发"));
        Assert.Equal("标题：周会材料提前发", Assert.Single(done).AsMessageActivity().Text);
    }

    [Fact]
    public async Task Every_prompt_has_a_default_cap()
    {
        var harness = new DialogHarness()
            .Add(new ChoicePrompt("pick"))
            .Add(new WaterfallDialog("flow", new WaterfallStep[]
            {
                async (step, ct) => await step.PromptAsync("pick", new PromptOptions { Prompt = MessageFactory.Text("选哪个？"), Choices = ChoiceFactory.ToChoices(["甲", "乙"]) }, ct),
                async (step, ct) => await step.EndDialogAsync(null, ct),
            }));
        var bot = harness.Bot("flow");
        await harness.TurnAsync(bot, Say.Zh("开始"));
        var replies = await harness.TurnAsync(bot, Say.Zh(Million));
        Assert.Contains($"超过了上限 {InputLimits.TypedAnswer} 个字", replies[0].AsMessageActivity().Text);
        Assert.Equal(InputLimits.TypedAnswer, replies[1].AsMessageActivity().Text.Length);
        Assert.Equal(DialogTurnStatus.Waiting, harness.Last.Status);
    }

    [Fact]
    public async Task A_form_field_over_its_cap_comes_back_cut_to_it_with_the_limit_and_the_flow_goes_on()
    {
        var storage = new JsonTextStorage();
        var cards = new FormCards();
        var harness = new DialogHarness(storage)
            .Add(new CardFormPrompt("form", cards))
            .Add(new WaterfallDialog("flow", new WaterfallStep[]
            {
                async (step, ct) => await step.PromptAsync("form", new CardFormPromptOptions { TemplateName = "Demo", Verb = "demo.submit", MaxAttempts = 1 }, ct),
                async (step, ct) =>
                {
                    var form = (CardFormResult)step.Result!;
                    await step.Context.SendActivityAsync($"已提交 {form.Values["details"].Length} {form.Values["name"]}", cancellationToken: ct);
                    return await step.EndDialogAsync(null, ct);
                },
            }));
        var bot = harness.Bot("flow");
        await harness.TurnAsync(bot, Say.Zh("开始"));
        // Teams is told the caps too: the template's 3000, the single-line default.
        Assert.Equal(3000, (int)Input(cards.LastCard!, "details")["maxLength"]!);
        Assert.Equal(InputLimits.Short, (int)Input(cards.LastCard!, "name")["maxLength"]!);

        // Even with MaxAttempts = 1, an over-long submit is not an attempt: the flow survives it.
        var extra = Enumerable.Range(0, 5000).ToDictionary(i => "x" + i, _ => (object)new string('垃', 1000));
        extra["verb"] = "demo.submit";
        extra["details"] = Million;
        extra["name"] = "王小明";
        var replies = await harness.TurnAsync(bot, Say.Submit(extra));
        var again = Assert.Single(replies);
        Assert.StartsWith("有 1 项超过了长度上限，表单没有提交。", again.AsMessageActivity().Text);
        var card = cards.LastCard!;
        Assert.Equal(new string('长', 3000), (string?)Input(card, "details")["value"]);
        Assert.Equal("王小明", (string?)Input(card, "name")["value"]);
        Assert.Contains("最多 3000 个字（提交了 1000000 个字）", card.ToString());
        Assert.Equal(DialogTurnStatus.Waiting, harness.Last.Status);
        Assert.True(storage.Items.Values.Sum(v => v.Length) < 40_000, "state holds only what fits");

        var done = await harness.TurnAsync(bot, Say.Submit(new { verb = "demo.submit", details = new string('长', 3000), name = "王小明" }));
        Assert.Equal("已提交 3000 王小明", Assert.Single(done).AsMessageActivity().Text);
    }

    [Fact]
    public void A_form_whose_caps_add_up_past_the_total_is_scaled_down()
    {
        var body = new JArray(Enumerable.Range(0, 20).Select(i => new JObject { ["type"] = "Input.Text", ["id"] = "f" + i, ["isMultiline"] = true, ["maxLength"] = 5000 }));
        var limits = CardFormPrompt.ApplyLimits(new Attachment { Content = new JObject { ["type"] = "AdaptiveCard", ["body"] = body } }, new CardFormPromptOptions());
        Assert.True(limits.Values.Sum() <= InputLimits.FormTotal);
        Assert.All(body, input => Assert.Equal(limits[(string)input["id"]!], (int)input["maxLength"]!));
    }

    [Fact]
    public void Truncation_never_splits_a_surrogate_pair()
    {
        Assert.Equal("ab", InputLimits.Truncate("ab😀", 3));
        Assert.Equal("ab😀", InputLimits.Truncate("ab😀c", 4));
    }
}
