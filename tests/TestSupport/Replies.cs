using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ChatRegs.TestSupport;

/// <summary>Reading what the bot answered: texts, cards, their blocks and buttons.</summary>
public static class Replies
{
    /// <summary>Every text of the replies: message texts and the readable text of cards.</summary>
    public static string All(IEnumerable<IActivity> replies) => string.Join("\n", replies.Select(r =>
    {
        var m = r.AsMessageActivity();
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(m?.Text)) parts.Add(m.Text);
        foreach (var a in m?.Attachments ?? [])
        {
            if (a.Content is JObject card) parts.Add(TurnKit.Text(card));
        }
        return string.Join("\n", parts);
    }));

    /// <summary>The single card among the replies (checked for leftover "${…}").</summary>
    public static JObject Card(IEnumerable<IActivity> replies) => TurnKit.Card(replies.Single(r => r.AsMessageActivity()?.Attachments?.Any(a => a.Content is JObject) == true));

    /// <summary>The texts of a card's TextBlocks, in order, as Teams shows them (<see cref="CardMarkdown"/>).</summary>
    public static IReadOnlyList<string> TextBlocks(JObject card) =>
        card.Descendants().OfType<JObject>().Where(o => (string?)o["type"] == "TextBlock").Select(o => CardMarkdown.Visible(o["text"])!).ToList();

    /// <summary>The titles of a card's submit and execute buttons.</summary>
    public static IReadOnlyList<string> Buttons(JObject card) =>
        card.Descendants().OfType<JObject>().Where(o => (string?)o["type"] is "Action.Submit" or "Action.Execute").Select(o => (string)o["title"]!).ToList();

    /// <summary>The data of the submit/execute button with this title.</summary>
    public static JObject Button(JObject card, string title) =>
        (JObject)card.Descendants().OfType<JObject>().Single(o => (string?)o["type"] is "Action.Submit" or "Action.Execute" && (string?)o["title"] == title)["data"]!;
}
