using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ChatRegs.Agenda.Tests.Support;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Storage;
using ChatRegs.TestSupport;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;

using static ChatRegs.Agenda.Tests.Support.AgendaHost;

namespace ChatRegs.Agenda.Tests;

/// <summary>
/// The whole flow over HTTP, as Teams sends it to /api/messages: a participant submits a topic,
/// the host reviews it, posts the agenda in the meeting's channel (a reply there, through the
/// connector), changes it and posts again — from the channel and from a 1:1 chat — and the
/// channel's card is updated in place (PUT of the same activity), never posted twice.
/// </summary>
public sealed class HttpEndToEndTests : IAsyncLifetime
{
    private BotFactory _factory = null!;
    private Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> _app = null!;
    private HttpClient _client = null!;
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly TeamsConnector _connector = new();

    public async Task InitializeAsync()
    {
        _factory = new BotFactory(new()
        {
            ["ChatRegs:Jobs:RunnerEnabled"] = "false",
            ["ChatRegs:Proactive:PerConversationPerSecond"] = "0",
            ["ChatRegs:Proactive:PerTenantPerSecond"] = "0",
        });
        _app = _factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(_clock);
            services.AddHttpClient(ProactiveOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _connector);
        }));
        _client = _app.CreateClient();
        var tables = _app.Services.GetRequiredService<TableServiceClient>();
        foreach (var table in _app.Services.GetRequiredService<TableNames>().All)
        {
            await tables.CreateTableIfNotExistsAsync(table);
        }
        var people = _app.Services.GetRequiredService<PeopleDirectory>();
        foreach (var (id, name) in new[] { (Host, "张伟"), (Recorder, "陈静"), (Alice, "王小明"), (Bob, "李娜") })
        {
            await people.EnsureKnownAsync(Tenant, id, name, "aad-" + id, null, "zh-CN");
        }
        await _app.Services.GetRequiredService<MeetingStore>().CreateSeriesAsync(new MeetingSeries
        {
            TenantId = Tenant,
            Id = "weekly",
            Name = "周工作例会",
            ConversationId = MeetingChat,
            ConversationName = "周例会",
            Location = "三楼会议室",
            HostId = Host,
            RecorderId = Recorder,
            Schedule = MeetingSchedule.WeeklyOn(new(8, 30), new(9, 30), DayOfWeek.Monday),
        }, [Alice, Bob], default);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
    }

    /// <summary>An activity as Teams posts it: in the person's 1:1 chat, or in the meeting's channel.</summary>
    private static JsonObject Activity(string userId, string name, string type, bool inChannel, bool expectReplies, string locale = "zh-CN") => new()
    {
        ["type"] = type,
        ["id"] = Guid.NewGuid().ToString("N"),
        ["timestamp"] = "2026-11-25T02:00:00.000Z",
        ["serviceUrl"] = TeamsConnector.ServiceUrl,
        ["channelId"] = "msteams",
        ["from"] = new JsonObject { ["id"] = userId, ["name"] = name, ["aadObjectId"] = "aad-" + userId },
        ["conversation"] = inChannel
            ? new JsonObject { ["id"] = MeetingChat, ["conversationType"] = "channel", ["isGroup"] = true, ["tenantId"] = Tenant }
            : new JsonObject { ["id"] = "a:1to1-" + userId, ["conversationType"] = "personal", ["tenantId"] = Tenant },
        ["recipient"] = new JsonObject { ["id"] = "28:bot", ["name"] = "ChatRegs" },
        ["locale"] = locale,
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = Tenant } },
        ["deliveryMode"] = expectReplies ? "expectReplies" : null,
    };

    /// <summary>Typed in the 1:1 chat; the replies come back in the HTTP response (expectReplies).</summary>
    private async Task<JsonArray> SayAsync(string userId, string name, string text)
    {
        var activity = Activity(userId, name, "message", inChannel: false, expectReplies: true);
        activity["text"] = text;
        return await TeamsHttp.PostAsync(_client, activity.ToJsonString());
    }

    /// <summary>Typed in the meeting's channel; the bot answers through the connector, as in Teams.</summary>
    private async Task SayInChannelAsync(string userId, string name, string text)
    {
        var activity = Activity(userId, name, "message", inChannel: true, expectReplies: false);
        activity["text"] = "<at>ChatRegs</at> " + text;
        activity["entities"] = new JsonArray { new JsonObject { ["type"] = "mention", ["text"] = "<at>ChatRegs</at>", ["mentioned"] = new JsonObject { ["id"] = "28:bot", ["name"] = "ChatRegs" } } };
        var response = await _client.PostAsync("/api/messages", new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>An Action.Execute press; returns the invoke response (the card that replaces the pressed one, or a message).</summary>
    private async Task<JObject> ExecuteAsync(string userId, string name, string verb, JObject data)
    {
        var activity = Activity(userId, name, "invoke", inChannel: false, expectReplies: false);
        activity["name"] = "adaptiveCard/action";
        activity["value"] = JsonNode.Parse(new JObject { ["action"] = new JObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data }, ["trigger"] = "manual" }.ToString());
        var response = await _client.PostAsync("/api/messages", new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}: {body}");
        return JObject.Parse(body);
    }

    private static JObject CardOf(JsonNode reply) => JObject.Parse(reply["attachments"]![0]!["content"]!.ToJsonString());

    [Fact]
    public async Task Submit_review_post_and_post_again_over_http()
    {
        // A participant asks for the form in their 1:1 chat and fills it in.
        var form = CardOf(Assert.Single(await SayAsync(Alice, "王小明", "议题"))!);
        // The default cutoff: until the host posts the agenda.
        Assert.Contains("主持人发布议程时（最晚 11月30日 周一 08:30）", Seen.Text(form));
        var submit = Seen.Actions(form).Single();
        var data = (JObject)submit.Data.DeepClone();
        data["title"] = "十二月安全检查安排";
        data["presenter"] = Alice;
        data["material"] = "一、检查范围：航站楼、货运区；二、分工：各班组长负责本班组。";
        data["minutes"] = 5;
        var receipt = Seen.CardOf(await ExecuteAsync(Alice, "王小明", submit.Verb, data));
        Assert.Contains("议题“十二月安全检查安排”已提交，等待主持人张伟审核。", Seen.Text(receipt));

        // A bad one from Bob comes back with the message next to the field.
        var bad = (JObject)submit.Data.DeepClone();
        bad["formId"] = Guid.NewGuid().ToString("N");
        bad["title"] = "年终总结";
        bad["presenter"] = Bob;
        bad["material"] = "";
        bad["minutes"] = 3;
        Assert.Contains("议题须附书面材料", Seen.Text(Seen.CardOf(await ExecuteAsync(Bob, "李娜", submit.Verb, bad))));
        bad["material"] = "https://example.sharepoint.com/sites/office/summary.docx";
        Assert.Contains("已提交", Seen.Text(Seen.CardOf(await ExecuteAsync(Bob, "李娜", submit.Verb, bad))));

        // The host reviews in their 1:1 chat and accepts the first.
        var review = CardOf(Assert.Single(await SayAsync(Host, "张伟", "议程"))!);
        Assert.Contains("待审议题", Seen.Text(review));
        var accept = Seen.Actions(review).Where(a => a.Verb == "agenda.accept").ToList();
        Assert.Equal(2, accept.Count);
        var store = _app.Services.GetRequiredService<AgendaStore>();
        var topics = (await store.ReadAsync(Tenant, Next, default)).Topics;
        var first = accept.Single(a => (string?)a.Data["topic"] == topics.Single(t => t.Title == "十二月安全检查安排").Id);
        Assert.Contains("已列入议程：十二月安全检查安排", Seen.Text(Seen.CardOf(await ExecuteAsync(Host, "张伟", first.Verb, first.Data))));

        // A participant's forged press is refused (told through the connector) and changes nothing.
        var second = accept.Single(a => a != first);
        var refused = await ExecuteAsync(Alice, "王小明", second.Verb, second.Data);
        Assert.NotEqual("application/vnd.microsoft.card.adaptive", (string?)refused["type"]);
        Assert.Contains(_connector.Calls, c => c.ConversationId == "a:1to1-" + Alice && (string?)c.Body?["text"] == "只有这次例会的主持人（含代理主持人）、记录员或办公室可以审核和发布议程。");
        Assert.Single((await store.ReadAsync(Tenant, Next, default)).Items);

        // The host posts in the meeting's channel: the card is a reply there.
        await SayInChannelAsync(Host, "张伟", "发布议程");
        var posts = _connector.To(MeetingChat);
        Assert.Equal(["POST", "POST"], posts.Select(c => c.Method));
        var card = Seen.Text(posts[0].Card!);
        Assert.Contains("会议议程", card);
        Assert.Contains("十二月安全检查安排", card);
        Assert.DoesNotContain("年终总结", card);
        Assert.Contains("提前五分钟到场签到", card);
        Assert.Equal("议程已发布到“周例会”。", (string?)posts[1].Body!["text"]);
        var post = (await store.ReadAsync(Tenant, Next, default)).Post!;
        Assert.Equal(MeetingChat, post.ConversationId);
        var cardId = post.ActivityId!;
        Assert.StartsWith("m-", cardId);

        // Bob's topic goes on too; posting again in the channel updates that card.
        Assert.Contains("已列入议程：年终总结", Seen.Text(Seen.CardOf(await ExecuteAsync(Host, "张伟", second.Verb, second.Data))));
        _clock.Advance(TimeSpan.FromMinutes(10));
        await SayInChannelAsync(Host, "张伟", "发布议程");
        posts = _connector.To(MeetingChat);
        Assert.Equal(["POST", "POST", "PUT", "POST"], posts.Select(c => c.Method));
        Assert.Equal(cardId, posts[2].ActivityId);
        Assert.Contains("年终总结", Seen.Text(posts[2].Card!));
        Assert.Contains("（第 2 版）", Seen.Text(posts[2].Card!));
        Assert.Equal("已更新“周例会”中的议程卡片（第 2 版），没有另发新消息。", (string?)posts[3].Body!["text"]);

        // And from the host's 1:1 chat: the same card again, proactively.
        var said = await SayAsync(Host, "张伟", "发布议程");
        Assert.Equal("已更新“周例会”中的议程卡片（第 3 版），没有另发新消息。", (string?)Assert.Single(said)!["text"]);
        posts = _connector.To(MeetingChat);
        Assert.Equal(["POST", "POST", "PUT", "POST", "PUT"], posts.Select(c => c.Method));
        Assert.Equal(cardId, posts[4].ActivityId);
        Assert.Equal(1, posts.Count(c => c.Method == "POST" && c.Card != null));

        // A participant sees the agenda and their topic's status.
        var view = Seen.Text(CardOf(Assert.Single(await SayAsync(Alice, "王小明", "议程"))!));
        Assert.Contains("十二月安全检查安排 — 已列入议程", view);
        Assert.Contains("议程已于", view);
    }
}
