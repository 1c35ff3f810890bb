using System.Net;
using System.Text.Json.Nodes;
using Azure;
using ChatRegs.Bot.Routing;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Tests.Turns;

/// <summary>
/// A card button (Action.Execute) whose turn fails — storage down, the connector unreachable, a
/// bug — must not leave Teams with the adapter's 501 ("something went wrong" with no word from
/// us): the invoke is answered 200 with the same message in the person's language that a chat
/// turn gets, shown on the card.
/// </summary>
public sealed class FailedInvokeTests
{
    private const string BrokenVerb = "test.broken";
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.FromHours(8));

    private sealed class FailingHandler(Exception failure) : ICardActionHandler
    {
        public string Verb => BrokenVerb;

        public Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken) => throw failure;
    }

    public static TheoryData<string, string, string> Failures => new()
    {
        { "bug", "zh-CN", "抱歉，机器人出了点问题" },
        { "bug", "en-US", "Sorry, something went wrong" },
        { "storage", "zh-CN", "没有保存成功" },
        { "storage", "en-US", "Not saved" },
        { "connector", "zh-CN", "抱歉，机器人出了点问题" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_card_action_whose_turn_fails_is_answered_with_a_message_not_a_5xx(string failure, string locale, string expected)
    {
        Exception exception = failure switch
        {
            "storage" => new RequestFailedException(503, "The server is busy.", "ServerBusy", null),
            "connector" => new HttpRequestException("No connection could be made.", null, HttpStatusCode.BadGateway),
            _ => new InvalidOperationException("A bug."),
        };
        await using var host = await HttpFeatureHost.StartAsync("tenant-failed-invoke", Now,
            configure: services => services.AddSingleton<ICardActionHandler>(new FailingHandler(exception)));
        await host.PersonAsync("29:a", "王小明");

        var activity = host.Activity("29:a", locale, "invoke");
        activity["name"] = "adaptiveCard/action";
        activity["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = BrokenVerb, ["data"] = new JsonObject() }, ["trigger"] = "manual" };
        var response = await host.SendAsync(activity);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}: {body}");
        var answer = JsonNode.Parse(body)!;
        Assert.Equal("application/vnd.microsoft.activity.message", (string?)answer["type"]);
        Assert.Contains(expected, (string?)answer["value"]);
        // The message is on the card, not sent to the chat a second time.
        Assert.DoesNotContain(host.Connector.Calls, c => c.Method == "POST" && (c.Text ?? "").Contains(expected, StringComparison.Ordinal));
    }
}
