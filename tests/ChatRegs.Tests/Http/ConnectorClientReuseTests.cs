using ChatRegs.Bot.Hosting;
using ChatRegs.Bot.Proactive;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Connector.Authentication;

namespace ChatRegs.Tests.Http;

/// <summary>
/// The connector client the adapter hands every turn is built once per service URL and reused:
/// turns that answer through Teams' connector, and proactive messages after them, all go out
/// through the same (never disposed) client, with nothing lost or sent twice.
/// </summary>
public sealed class ConnectorClientReuseTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, FeatureHost.Shanghai);

    [Fact]
    public async Task Turns_and_proactive_messages_share_one_connector_client_and_every_message_arrives()
    {
        // Pacing off: its waits run on the test's clock, which stands still here.
        await using var host = await HttpFeatureHost.StartAsync("tenant-reuse", Now, new()
        {
            ["ChatRegs:Proactive:PerConversationPerSecond"] = "0",
            ["ChatRegs:Proactive:PerTenantPerSecond"] = "0",
        });
        var reuse = Assert.IsType<ReusedConnectorClients>(host.Get<BotFrameworkAuthentication>());

        // Twelve people say 帮助 at once, delivered the normal way: each answer goes back through the connector.
        var people = Enumerable.Range(0, 12).Select(i => $"29:reuse{i}").ToList();
        await Task.WhenAll(people.Select(async p =>
        {
            var activity = host.Activity(p, "zh-CN", "message");
            activity["text"] = "帮助";
            var response = await host.SendAsync(activity);
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
        }));
        foreach (var p in people)
        {
            Assert.NotEmpty(host.Connector.PostedTo(FeatureHost.ChatOf(p)));
        }
        Assert.Equal(1, reuse.ConnectorClientsBuilt);

        // A proactive message after those turns (whose adapter disposed "its" client) still goes out.
        var sender = host.Get<ProactiveSender>();
        var before = host.Connector.PostedTo(FeatureHost.ChatOf(people[0])).Count;
        await sender.SendToPersonAsync(host.Tenant, people[0], (turn, ct) => turn.SendActivityAsync("提醒", cancellationToken: ct), "test.reuse", default);
        Assert.Equal(before + 1, host.Connector.PostedTo(FeatureHost.ChatOf(people[0])).Count);
        // Proactive sends speak for the bot itself (other claims): at most one client of their own.
        var built = reuse.ConnectorClientsBuilt;
        Assert.InRange(built, 1, 2);

        // And the next turn and the next proactive message still go out, on the clients already built.
        var again = host.Activity(people[1], "zh-CN", "message");
        again["text"] = "帮助";
        var posted = host.Connector.PostedTo(FeatureHost.ChatOf(people[1])).Count;
        Assert.True((await host.SendAsync(again)).IsSuccessStatusCode);
        await sender.SendToPersonAsync(host.Tenant, people[1], (turn, ct) => turn.SendActivityAsync("提醒", cancellationToken: ct), "test.reuse", default);
        Assert.Equal(posted + 2, host.Connector.PostedTo(FeatureHost.ChatOf(people[1])).Count);
        Assert.Equal(built, reuse.ConnectorClientsBuilt);
    }
}
