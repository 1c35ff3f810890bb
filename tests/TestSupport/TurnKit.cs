using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Xunit;
using Newtonsoft.Json.Linq;

namespace ChatRegs.TestSupport;

/// <summary>Small helpers for turn tests: send an activity, collect the replies, read cards.</summary>
public static class TurnKit
{
    public static async Task<List<IActivity>> SendAsync(this BotTestHost host, TestAdapter adapter, Activity activity)
    {
        await adapter.ProcessActivityAsync(activity, host.Bot.OnTurnAsync, default);
        var replies = new List<IActivity>();
        while (adapter.ActiveQueue.Count > 0)
        {
            var reply = adapter.GetNextReply();
            if (reply.Type != ActivityTypes.Trace)
            {
                replies.Add(reply);
            }
        }
        return replies;
    }

    public static Task<List<IActivity>> SayAsync(this BotTestHost host, TestAdapter adapter, string text, string? locale = null) =>
        host.SendAsync(adapter, new Activity { Type = ActivityTypes.Message, Text = text, Locale = locale });

    /// <summary>What Teams sends when a card's Action.Submit is pressed: the inputs and the action's data.</summary>
    public static Task<List<IActivity>> SubmitAsync(this BotTestHost host, TestAdapter adapter, object value, string? locale = null) =>
        host.SendAsync(adapter, new Activity { Type = ActivityTypes.Message, Value = JObject.FromObject(value), Locale = locale });

    public static JObject Card(IActivity reply)
    {
        var attachment = Assert.Single(reply.AsMessageActivity().Attachments);
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.ContentType);
        var card = Assert.IsType<JObject>(attachment.Content);
        // A binding whose data was missing stays as literal "${…}" text: never show that to a person.
        Assert.DoesNotContain("${", card.ToString());
        return card;
    }

    /// <summary>Every text a person can read on the card (text, titles, labels, fact titles and values), as Teams shows it (<see cref="CardMarkdown"/>).</summary>
    public static string Text(JObject card) =>
        string.Join("\n", card.Descendants().OfType<JProperty>()
            .Where(p => p.Name is "text" or "title" or "label" or "value" or "placeholder" && p.Value.Type == JTokenType.String)
            .Select(CardMarkdown.Visible));

    /// <summary>The card input with this id.</summary>
    public static JObject Input(JObject card, string id) =>
        card.Descendants().OfType<JObject>().Single(o => (string?)o["id"] == id && ((string?)o["type"])?.StartsWith("Input.") == true);
}
