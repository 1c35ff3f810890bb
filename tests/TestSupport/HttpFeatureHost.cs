using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ChatRegs.TestSupport;

/// <summary>
/// <see cref="FeatureHost"/>'s counterpart over HTTP, for tests that go through the bot's
/// endpoint as Teams does: the whole bot in-process (its Program, endpoints, DI, Azurite tables
/// of its own) on a fake clock, Teams' connector faked by <see cref="TeamsConnector"/>, people
/// in one tenant with their 1:1 chats, and Teams-shaped activities posted to /api/messages.
/// The job runner does not poll by itself. A feature's own host adds its seeding on top.
/// </summary>
public sealed class HttpFeatureHost : IAsyncDisposable
{
    private readonly BotFactory _factory;
    private readonly WebApplicationFactory<Program> _app;
    private readonly bool _ownsBot;

    private HttpFeatureHost(string tenant, BotFactory factory, WebApplicationFactory<Program> app, FakeTimeProvider clock, TeamsConnector connector, HttpClient? client = null)
    {
        Tenant = tenant;
        _factory = factory;
        _app = app;
        Clock = clock;
        Connector = connector;
        _ownsBot = client == null;
        Client = client ?? app.CreateClient();
    }

    /// <summary>
    /// A test's view of a bot that <see cref="SharedHttpHost"/> runs for the whole test class:
    /// its own tenant, clock and connector; disposing it leaves the bot running.
    /// </summary>
    internal static HttpFeatureHost Share(string tenant, BotFactory factory, WebApplicationFactory<Program> app, HttpClient client, FakeTimeProvider clock, TeamsConnector connector) =>
        new(tenant, factory, app, clock, connector, client);

    public string Tenant { get; }

    public FakeTimeProvider Clock { get; }

    public TeamsConnector Connector { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Everything the bot logged.</summary>
    public ListLogger Logs => _factory.Logs;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// The names activities carry for people the directory does not know (otherwise their
    /// directory name, else their id).
    /// </summary>
    public Dictionary<string, string> Names { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Starts the bot at <paramref name="now"/> for <paramref name="tenant"/>, the job runner off.
    /// Settings and service overrides are applied after the defaults (clock, connector); a host
    /// that overrides the bot's clock passes its own fake one to use where it wants it.
    /// </summary>
    public static async Task<HttpFeatureHost> StartAsync(string tenant, DateTimeOffset now, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null,
        FakeTimeProvider? clock = null)
    {
        clock ??= new FakeTimeProvider(now);
        var connector = new TeamsConnector();
        var values = new Dictionary<string, string?> { ["ChatRegs:Jobs:RunnerEnabled"] = "false" };
        foreach (var (k, v) in settings ?? [])
        {
            values[k] = v;
        }
        var factory = new BotFactory(values);
        var app = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddHttpClient(ProactiveOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => connector);
            configure?.Invoke(services);
        }));
        var host = new HttpFeatureHost(tenant, factory, app, clock, connector);
        var tables = host.Get<TableServiceClient>();
        foreach (var table in host.Get<TableNames>().All)
        {
            await tables.CreateTableIfNotExistsAsync(table);
        }
        return host;
    }

    // ---- people ----

    /// <inheritdoc cref="BotSeed.PersonAsync"/>
    public Task<Person> PersonAsync(string userId, string name, string? team = null, string locale = "zh-CN", string? email = null, params string[] roles) =>
        BotSeed.PersonAsync(Services, Tenant, userId, name, locale, team: team, email: email, roles: roles);

    /// <inheritdoc cref="BotSeed.DepartmentAsync"/>
    public Task DepartmentAsync(string name, string? approverUserId) => BotSeed.DepartmentAsync(Services, Tenant, name, approverUserId);

    /// <inheritdoc cref="BotSeed.KnowChatAsync"/>
    public Task KnowChatAsync(string conversationId, string userId, string name, string conversationType, string locale = "zh-CN") =>
        BotSeed.KnowChatAsync(Services, Tenant, conversationId, userId, name, conversationType, locale);

    // ---- HTTP, as Teams sends it ----

    /// <summary>
    /// A Teams-shaped activity from a person, in their 1:1 chat unless another conversation is
    /// given, stamped with the fake clock's time.
    /// </summary>
    public JsonObject Activity(string userId, string locale, string type, string? conversationId = null, string conversationType = "personal") => new()
    {
        ["type"] = type,
        ["id"] = Guid.NewGuid().ToString(),
        ["timestamp"] = Clock.GetUtcNow().ToString("O"),
        ["serviceUrl"] = TeamsConnector.ServiceUrl,
        ["channelId"] = "msteams",
        ["from"] = new JsonObject { ["id"] = userId, ["name"] = NameOf(userId), ["aadObjectId"] = "aad-" + userId },
        ["conversation"] = new JsonObject { ["id"] = conversationId ?? FeatureHost.ChatOf(userId), ["conversationType"] = conversationType, ["tenantId"] = Tenant, ["isGroup"] = conversationType != "personal" },
        ["recipient"] = new JsonObject { ["id"] = "28:bot", ["name"] = "ChatRegs" },
        ["locale"] = locale,
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = Tenant } },
    };

    /// <summary>A message (expectReplies: the replies come back in the response).</summary>
    public Task<JsonArray> SayAsync(string userId, string text, string locale = "zh-CN", string? conversationId = null, string conversationType = "personal")
    {
        var activity = Activity(userId, locale, "message", conversationId, conversationType);
        activity["text"] = text;
        return PostAsync(activity);
    }

    /// <summary>An Action.Submit: the card's inputs and the action's data.</summary>
    public Task<JsonArray> SubmitAsync(string userId, JsonObject value, string locale = "zh-CN")
    {
        var activity = Activity(userId, locale, "message");
        activity["value"] = value.DeepClone();
        return PostAsync(activity);
    }

    /// <summary>An Action.Execute (invoke adaptiveCard/action), on the card with id <paramref name="replyToId"/> if given; returns the invoke response body.</summary>
    public async Task<JsonObject> ExecuteAsync(string userId, string verb, JsonObject data, string locale = "zh-CN", string? replyToId = null)
    {
        var activity = Activity(userId, locale, "invoke");
        activity["name"] = "adaptiveCard/action";
        activity["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data.DeepClone() }, ["trigger"] = "manual" };
        if (replyToId != null)
        {
            activity["replyToId"] = replyToId;
        }
        var response = await SendAsync(activity);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>
    /// An Action.Execute as Teams sends it from a card in <paramref name="conversationId"/> (a meeting
    /// chat, a channel): <paramref name="trigger"/> "automatic" is a card's <c>refresh</c>, sent for
    /// each person in its <c>userIds</c> when they see it. <paramref name="tenant"/> overrides the
    /// host's tenant (another organisation's Teams). Returns the invoke response body.
    /// </summary>
    public async Task<JsonObject> ExecuteInAsync(string userId, string verb, JsonObject data, string conversationId, string conversationType, string trigger = "manual",
        string locale = "zh-CN", string? tenant = null)
    {
        var activity = Activity(userId, locale, "invoke", conversationId, conversationType);
        if (tenant != null)
        {
            activity["conversation"]!["tenantId"] = tenant;
            activity["channelData"]!["tenant"]!["id"] = tenant;
        }
        activity["name"] = "adaptiveCard/action";
        activity["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data.DeepClone() }, ["trigger"] = trigger };
        var response = await SendAsync(activity);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>Posts an activity with deliveryMode expectReplies (it must answer 200) and returns the replies.</summary>
    public async Task<JsonArray> PostAsync(JsonObject activity)
    {
        activity["deliveryMode"] = "expectReplies";
        var response = await SendAsync(activity);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["activities"]!.AsArray();
    }

    /// <summary>Posts an activity as it is and returns the bot's HTTP response.</summary>
    public Task<HttpResponseMessage> SendAsync(JsonObject activity) =>
        Client.PostAsync("/api/messages", new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"));

    private string NameOf(string userId) =>
        Get<PeopleDirectory>().GetAsync(Tenant, userId).GetAwaiter().GetResult()?.Name ?? Names.GetValueOrDefault(userId, userId);

    // ---- time and jobs ----

    /// <summary>Moves the clock to <paramref name="when"/>.</summary>
    public void MoveTo(DateTimeOffset when) => Clock.SetUtcNow(when);

    /// <summary>
    /// Runs every job due now, and those due by the time they finish (up to five polls), moving
    /// the fake clock in small steps while they run (the connector's pacing waits on it);
    /// returns how many ran.
    /// </summary>
    public async Task<int> RunDueJobsAsync()
    {
        var runner = Get<JobRunner>();
        var total = 0;
        for (var round = 0; round < 5; round++)
        {
            var poll = runner.PollAsync();
            var real = Stopwatch.StartNew();
            while (!poll.IsCompleted)
            {
                if (real.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException("Due jobs still running after 60 s.");
                }
                Clock.Advance(TimeSpan.FromMilliseconds(20));
                await Task.Delay(2);
            }
            var outcome = await poll;
            total += outcome.Ran;
            if (outcome.Due == 0)
            {
                break;
            }
        }
        return total;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_ownsBot)
        {
            return;
        }
        var tables = Get<TableServiceClient>();
        foreach (var table in Get<TableNames>().All)
        {
            try { await tables.DeleteTableAsync(table); } catch { /* best effort */ }
        }
        Client.Dispose();
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
    }
}
