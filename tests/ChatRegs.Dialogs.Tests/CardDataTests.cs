using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Dialogs.Tests;

/// <summary>How the dialogs read card JSON, and what they need from the application.</summary>
public class CardDataTests
{
    [Fact]
    public void A_field_is_a_string_or_a_number_trimmed_and_anything_else_is_empty()
    {
        var data = JObject.Parse("""{"name":"  周例会 ","days":3,"ratio":1.5,"list":["a"],"obj":{"a":1},"yes":true,"none":null}""");
        Assert.Equal("周例会", CardData.Field(data, "name"));
        Assert.Equal("3", CardData.Field(data, "days"));
        Assert.Equal("1.5", CardData.Field(data, "ratio"));
        Assert.Equal("", CardData.Field(data, "list"));
        Assert.Equal("", CardData.Field(data, "obj"));
        Assert.Equal("", CardData.Field(data, "yes"));
        Assert.Equal("", CardData.Field(data, "none"));
        Assert.Equal("", CardData.Field(data, "missing"));
        Assert.True(CardData.IsTrue(data, "yes"));
        Assert.False(CardData.IsTrue(data, "name"));
        Assert.False(CardData.IsTrue(JObject.Parse("""{"yes":"true"}"""), "yes"));
    }

    [Fact]
    public void A_submitted_value_keeps_its_text_and_other_kinds_become_invariant_text()
    {
        var data = JObject.Parse("""{"reason":"  看病 ","days":3,"ratio":1.5,"ok":false,"list":["a",1]}""");
        Assert.Equal("  看病 ", CardData.Value(data["reason"]!));
        Assert.Equal("3", CardData.Value(data["days"]!));
        Assert.Equal("1.5", CardData.Value(data["ratio"]!));
        Assert.Equal("false", CardData.Value(data["ok"]!));
        Assert.Equal("""["a",1]""", CardData.Value(data["list"]!));
        Assert.Null(CardData.Value(JValue.CreateNull()));
    }

    [Fact]
    public void A_template_whose_input_id_or_max_length_is_not_text_is_read_safely()
    {
        var card = new Microsoft.Bot.Schema.Attachment
        {
            Content = JObject.Parse("""
                {"type":"AdaptiveCard","body":[
                  {"type":"Input.Text","id":["x"]},
                  {"type":"Input.Text","id":"title","maxLength":"50"},
                  {"type":"Input.Text","id":"notes","maxLength":[9],"isMultiline":"yes"},
                  {"type":7,"id":"odd"}
                ]}
                """),
        };
        var limits = CardFormPrompt.ApplyLimits(card, new CardFormPromptOptions());
        Assert.Equal(new Dictionary<string, int> { ["title"] = 50, ["notes"] = InputLimits.Short }, limits);
    }

    [Fact]
    public async Task A_dialog_turn_without_the_applications_words_fails_with_a_clear_error()
    {
        var state = new ConversationState(new MemoryStorage());
        var dialogs = new DialogSet(state.CreateProperty<DialogState>("DialogState")).Add(new ChoicePrompt("pick"));
        var adapter = new TestAdapter(TestAdapter.CreateConversation("no-text"));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => adapter.ProcessActivityAsync(Say.Zh("开始"), async (turn, ct) =>
        {
            var dc = await dialogs.CreateContextAsync(turn, ct);
            await dc.PromptAsync("pick", new PromptOptions { Prompt = MessageFactory.Text("选一个"), Choices = [new Choices.Choice("甲")] }, ct);
        }, CancellationToken.None));
        Assert.Contains(nameof(IDialogText), e.Message);
    }
}
