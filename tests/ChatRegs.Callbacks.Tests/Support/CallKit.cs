using ChatRegs.TestSupport;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Callbacks.Tests.Support;

/// <summary>Drives a call as a rep would: press a card's button with the inputs filled in.</summary>
public static class CallKit
{
    /// <summary>Presses the button titled <paramref name="button"/> on <paramref name="card"/>, sending the card's inputs as typed.</summary>
    public static Task<List<IActivity>> PressAsync(this CallbacksHost host, TestAdapter adapter, JObject card, string button, object? inputs = null)
    {
        var data = (JObject)Replies.Button(card, button).DeepClone();
        if (inputs != null)
        {
            foreach (var p in JObject.FromObject(inputs).Properties())
            {
                data[p.Name] = p.Value;
            }
        }
        return host.SendAsync(adapter, new Activity { Type = ActivityTypes.Message, Value = data });
    }

    /// <summary>The line(s) the step card asks the rep to read.</summary>
    public static string Line(JObject card) =>
        string.Join("\n", card.Descendants().OfType<JObject>()
            .Where(o => (string?)o["type"] == "Container" && (string?)o["style"] == "emphasis")
            .SelectMany(c => c["items"]!.Children<JObject>())
            .Select(t => ChatRegs.TestSupport.CardMarkdown.Visible(t["text"])!));

    /// <summary>Starts the call on a task (the queue card's button).</summary>
    public static Task<List<IActivity>> StartAsync(this CallbacksHost host, TestAdapter adapter, string taskId) =>
        host.SubmitAsync(adapter, new { verb = "callbacks.start", taskId });

    /// <summary>The last card among the replies.</summary>
    public static JObject LastCard(IEnumerable<IActivity> replies) =>
        ChatRegs.TestSupport.TurnKit.Card(replies.Last(r => r.AsMessageActivity()?.Attachments?.Any(a => a.Content is JObject) == true));

    /// <summary>The message texts among the replies.</summary>
    public static string Texts(IEnumerable<IActivity> replies) =>
        string.Join("\n", replies.Select(r => r.AsMessageActivity()?.Text).Where(t => !string.IsNullOrEmpty(t)));
}
