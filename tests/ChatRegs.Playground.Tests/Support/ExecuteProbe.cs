using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Playground.Tests.Support;

/// <summary>
/// A card with an Action.Execute button, and the handler (a test-only verb registered in the
/// real bot, through the card-action base like every feature's) that answers it with a new card.
/// </summary>
public sealed class ExecuteProbe : ICardActionHandler
{
    public const string VerbName = "playgroundtest.execute";
    public const string Question = "模拟器测试：请点击按钮确认。";
    public const string ButtonTitle = "确认执行";
    public const string AnswerText = "已确认";

    private readonly List<Activity> _calls = [];

    public string Verb => VerbName;

    public IReadOnlyList<Activity> Calls
    {
        get { lock (_calls) { return _calls.ToList(); } }
    }

    public Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken)
    {
        lock (_calls)
        {
            _calls.Add(turnContext.Activity);
        }
        var answer = Card(new JObject { ["type"] = "TextBlock", ["text"] = $"{AnswerText}：{turnContext.Activity.From?.Name}", ["wrap"] = true });
        return Task.FromResult(new CardActionResult(RefreshedCard: answer));
    }

    public static Attachment QuestionCard() => Card(
        new JObject { ["type"] = "TextBlock", ["text"] = Question, ["wrap"] = true },
        new JObject { ["type"] = "Action.Execute", ["title"] = ButtonTitle, ["verb"] = VerbName, ["data"] = new JObject { ["x"] = 1 } });

    private static Attachment Card(JObject body, JObject? action = null)
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
