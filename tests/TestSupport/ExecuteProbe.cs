using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ChatRegs.TestSupport;

/// <summary>
/// A card with an Action.Execute button, and the handler (a test-only verb registered in the
/// real bot, <c>services.AddSingleton&lt;ICardActionHandler&gt;(probe)</c>, through the card-action
/// base like every feature's) that answers it with a new card: "已确认：{the presser's name}".
/// The browser tests (the local chat page, Microsoft 365 Agents Playground) click it.
/// </summary>
public sealed class ExecuteProbe : ICardActionHandler
{
    public const string VerbName = "test.execute";
    public const string QuestionText = "测试卡片：请点击按钮确认。";
    public const string ButtonTitle = "确认执行";
    public const string AnswerText = "已确认";

    private readonly List<(Activity Activity, JObject Data)> _calls = [];

    public string Verb => VerbName;

    /// <summary>Every press that reached the handler: the activity and the action's data.</summary>
    public IReadOnlyList<(Activity Activity, JObject Data)> Calls
    {
        get { lock (_calls) { return _calls.ToList(); } }
    }

    public Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken)
    {
        lock (_calls)
        {
            _calls.Add((turnContext.Activity, data));
        }
        var answer = Card(new JObject { ["type"] = "TextBlock", ["text"] = $"{AnswerText}：{turnContext.Activity.From?.Name}", ["wrap"] = true });
        return Task.FromResult(new CardActionResult(RefreshedCard: answer));
    }

    /// <summary>The card with the button.</summary>
    public static Attachment Question() => Card(
        new JObject { ["type"] = "TextBlock", ["text"] = QuestionText, ["wrap"] = true },
        new JObject { ["type"] = "Action.Execute", ["title"] = ButtonTitle, ["verb"] = VerbName, ["data"] = new JObject { ["x"] = 1 } });

    /// <summary>An Adaptive Card 1.5 of one element, and one action if given.</summary>
    public static Attachment Card(JObject body, JObject? action = null)
    {
        var card = new JObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.5",
            ["body"] = new JArray(body),
        };
        if (action != null)
        {
            card["actions"] = new JArray(action);
        }
        return new Attachment { ContentType = "application/vnd.microsoft.card.adaptive", Content = card };
    }
}
