using ChatRegs.TestSupport;
using System.Net;
using System.Text;
using ChatRegs.Bot.People;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.People.Tests.People;

/// <summary>Installing the bot learns the conversation's members through Teams' paged members API.</summary>
public sealed class MemberDiscoveryTests
{
    /// <summary>A connector that serves the paged members API in two pages, as Teams does.</summary>
    private sealed class PagedMembersConnector : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!.PathAndQuery;
            Requests.Add(request.Method + " " + url);
            string body;
            if (url.Contains("/pagedmembers") && !url.Contains("continuationToken"))
            {
                body = """{"continuationToken":"page-2","members":[{"id":"29:a","name":"甲","aadObjectId":"aad-a","userPrincipalName":"a@contoso.com"},{"id":"29:b","name":"乙","aadObjectId":"aad-b","userPrincipalName":"b@contoso.com"}]}""";
            }
            else if (url.Contains("/pagedmembers"))
            {
                body = """{"members":[{"id":"29:c","name":"丙","aadObjectId":"aad-c","userPrincipalName":"c@contoso.com"}]}""";
            }
            else if (request.Method == HttpMethod.Get && url.Contains("/members/"))
            {
                // One member (TeamsInfo.GetMemberAsync, used for people who join).
                var id = Uri.UnescapeDataString(url[(url.LastIndexOf("/members/", StringComparison.Ordinal) + "/members/".Length)..]);
                body = $$"""{"id":"{{id}}","name":"晚到的人","aadObjectId":"aad-late","userPrincipalName":"late@contoso.com"}""";
            }
            else
            {
                // Replies the bot sends during the turn.
                body = """{"id":"1"}""";
            }
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }

    /// <summary>Puts a connector client on the turn, as CloudAdapter does for Teams traffic.</summary>
    private sealed class ConnectorMiddleware(HttpMessageHandler handler) : Microsoft.Bot.Builder.IMiddleware
    {
        public Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
        {
            var client = new ConnectorClient(new Uri("https://smba.trafficmanager.net/teams/"), MicrosoftAppCredentials.Empty, new HttpClient(handler));
            turnContext.TurnState.Add<IConnectorClient>(client);
            return next(cancellationToken);
        }
    }

    [Fact]
    public async Task Installing_in_a_group_chat_records_every_member_across_pages()
    {
        await using var host = await BotTestHost.StartAsync();
        var connector = new PagedMembersConnector();
        var adapter = host.CreateAdapter(conversationId: "19:group@thread.v2", conversationType: "groupChat", tenantId: "tenant-d");
        adapter.Use(new ConnectorMiddleware(connector));

        await host.SendAsync(adapter, new Activity { Type = ActivityTypes.InstallationUpdate, Action = "add" });

        Assert.Equal(2, connector.Requests.Count(r => r.Contains("/pagedmembers")));
        var people = await host.Services.GetRequiredService<PeopleDirectory>().ListAsync("tenant-d");
        Assert.Equal(new[] { "甲", "乙", "丙" }.Order(), people.Select(p => p.Name).Order());
        Assert.Equal("a@contoso.com", people.Single(p => p.UserId == "29:a").UserPrincipalName);
    }

    [Fact]
    public async Task A_bootstrap_admin_named_by_principal_name_is_recognised_once_discovered()
    {
        await using var host = await BotTestHost.StartAsync(new() { ["ChatRegs:Bootstrap:OfficeAdmins:tenant-d:0"] = "B@contoso.com" });
        var adapter = host.CreateAdapter(conversationId: "19:group@thread.v2", conversationType: "groupChat", tenantId: "tenant-d");
        adapter.Use(new ConnectorMiddleware(new PagedMembersConnector()));
        await host.SendAsync(adapter, new Activity { Type = ActivityTypes.InstallationUpdate, Action = "add" });

        var asB = host.CreateAdapter(conversationId: "a:b", userId: "29:b", tenantId: "tenant-d");
        var reply = Assert.Single(await host.SayAsync(asB, "角色"));
        Assert.Contains("角色与部门管理", TurnKit.Text(TurnKit.Card(reply)));
    }

    [Fact]
    public async Task People_joining_later_are_recorded()
    {
        await using var host = await BotTestHost.StartAsync();
        var adapter = host.CreateAdapter(conversationId: "19:group@thread.v2", conversationType: "groupChat", tenantId: "tenant-d");
        adapter.Use(new ConnectorMiddleware(new PagedMembersConnector()));
        await host.SendAsync(adapter, new Activity { Type = ActivityTypes.ConversationUpdate, MembersAdded = [new ChannelAccount("29:late", "晚到的人", aadObjectId: "aad-late")] });
        var person = await host.Services.GetRequiredService<PeopleDirectory>().GetAsync("tenant-d", "29:late");
        Assert.Equal("晚到的人", person?.Name);
        Assert.Equal("late@contoso.com", person?.UserPrincipalName);
    }
}
