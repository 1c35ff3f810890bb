using System.Diagnostics;
using Activity = Microsoft.Bot.Schema.Activity;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Storage;
using ChatRegs.Bot.WeeklyReports;
using ChatRegs.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatRegs.WeeklyReports.Tests.Support;

/// <summary>
/// The whole bot in-process over HTTP (its Program, endpoints, DI and Azurite tables of its
/// own), on a fake clock, with the connector replaced by <see cref="RecordingConnector"/> and
/// approved leave by <see cref="FakeLeave"/>. The job runner does not poll by itself: tests
/// run due jobs with <see cref="RunDueJobsAsync"/> after moving the clock.
/// </summary>
public sealed class WeeklyHost : IAsyncDisposable
{
    public const string Tenant = "tenant-weekly";

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly BotFactory _factory;
    private readonly WebApplicationFactory<Program> _app;

    private WeeklyHost(BotFactory factory, WebApplicationFactory<Program> app, FakeTimeProvider clock, RecordingConnector connector, FakeLeave leave)
    {
        _factory = factory;
        _app = app;
        Clock = clock;
        Connector = connector;
        Leave = leave;
        Client = app.CreateClient();
    }

    public FakeTimeProvider Clock { get; }

    public RecordingConnector Connector { get; }

    public FakeLeave Leave { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>China Standard Time, the teams' default zone.</summary>
    public static DateTimeOffset Local(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    public static async Task<WeeklyHost> StartAsync(DateTimeOffset now, Dictionary<string, string?>? settings = null)
    {
        var clock = new FakeTimeProvider(now);
        var connector = new RecordingConnector();
        var leave = new FakeLeave();
        var values = new Dictionary<string, string?> { ["ChatRegs:Jobs:RunnerEnabled"] = "false" };
        foreach (var (k, v) in settings ?? [])
        {
            values[k] = v;
        }
        var factory = new BotFactory(values);
        var app = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddSingleton<IApprovedLeave>(leave);
            services.AddHttpClient(ProactiveOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => connector);
        }));
        var host = new WeeklyHost(factory, app, clock, connector, leave);
        var tables = host.Get<TableServiceClient>();
        foreach (var table in host.Get<TableNames>().All)
        {
            await tables.CreateTableIfNotExistsAsync(table);
        }
        return host;
    }

    // ---- people ----

    private static readonly Person Seeder = new() { TenantId = Tenant, UserId = "test-seed", Name = "test seed" };

    /// <summary>Someone known to the bot, in a department (or none), with a 1:1 chat the bot can reach ("a:1to1-{id}").</summary>
    public async Task<Person> AddPersonAsync(string userId, string name, string? team, string locale = "zh-CN", params string[] roles)
    {
        var people = Get<PeopleDirectory>();
        await people.EnsureKnownAsync(Tenant, userId, name, "aad-" + userId, userId.TrimStart('2', '9', ':') + "@contoso.com", locale);
        var known = (await people.GetAsync(Tenant, userId))!;
        if (team != null || roles.Length > 0)
        {
            known = await people.SaveAssignmentAsync(Seeder, known, roles.ToHashSet(), team, false, known.ETag);
        }
        await Get<ConversationReferenceStore>().CaptureAsync(new Activity
        {
            Type = ActivityTypes.Message,
            Id = "m-" + Guid.NewGuid().ToString("N")[..8],
            ChannelId = "msteams",
            ServiceUrl = RecordingConnector.ServiceUrl,
            From = new ChannelAccount(userId, name),
            Recipient = new ChannelAccount("28:bot", "ChatRegs", RoleTypes.Bot),
            Conversation = new ConversationAccount(conversationType: "personal", id: Chat(userId), tenantId: Tenant),
            Locale = locale,
        }, default);
        return known;
    }

    public Task AddDepartmentAsync(string name, string? approverUserId) => Get<PeopleDirectory>().SaveDepartmentAsync(Seeder, name, approverUserId);

    /// <summary>The person's 1:1 chat with the bot.</summary>
    public static string Chat(string userId) => "a:1to1-" + userId;

    // ---- HTTP, as Teams sends it ----

    public Task<JsonArray> SayAsync(string userId, string text, string locale = "zh-CN") =>
        PostAsync(ActivityJson(userId, locale, "message", new JsonObject { ["text"] = text }));

    /// <summary>An Action.Submit: the card's inputs and the action's data.</summary>
    public Task<JsonArray> SubmitAsync(string userId, JsonObject value, string locale = "zh-CN") =>
        PostAsync(ActivityJson(userId, locale, "message", new JsonObject { ["value"] = value }));

    /// <summary>An Action.Execute (invoke adaptiveCard/action); returns the invoke response body.</summary>
    public async Task<JsonObject> ExecuteAsync(string userId, string verb, JsonObject data, string locale = "zh-CN")
    {
        var activity = ActivityJson(userId, locale, "invoke", new JsonObject
        {
            ["name"] = "adaptiveCard/action",
            ["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data.DeepClone() }, ["trigger"] = "manual" },
        }, expectReplies: false);
        var response = await Client.PostAsync("/api/messages", new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private async Task<JsonArray> PostAsync(JsonObject activity)
    {
        var response = await Client.PostAsync("/api/messages", new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["activities"]!.AsArray();
    }

    private JsonObject ActivityJson(string userId, string locale, string type, JsonObject extra, bool expectReplies = true)
    {
        var activity = new JsonObject
        {
            ["type"] = type,
            ["id"] = Guid.NewGuid().ToString(),
            ["timestamp"] = Clock.GetUtcNow().ToString("O"),
            ["serviceUrl"] = RecordingConnector.ServiceUrl,
            ["channelId"] = "msteams",
            ["from"] = new JsonObject { ["id"] = userId, ["name"] = NameOf(userId), ["aadObjectId"] = "aad-" + userId },
            ["conversation"] = new JsonObject { ["id"] = Chat(userId), ["conversationType"] = "personal", ["tenantId"] = Tenant },
            ["recipient"] = new JsonObject { ["id"] = "28:bot", ["name"] = "ChatRegs" },
            ["locale"] = locale,
            ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = Tenant } },
        };
        if (expectReplies)
        {
            activity["deliveryMode"] = "expectReplies";
        }
        foreach (var (k, v) in extra)
        {
            activity[k] = v?.DeepClone();
        }
        return activity;
    }

    private string NameOf(string userId) => Get<PeopleDirectory>().GetAsync(Tenant, userId).GetAwaiter().GetResult()?.Name ?? userId;

    // ---- time and jobs ----

    /// <summary>Moves the clock forward to <paramref name="when"/>.</summary>
    public void MoveTo(DateTimeOffset when) => Clock.SetUtcNow(when);

    /// <summary>
    /// Runs every job due now, moving the fake clock in small steps while they run (the
    /// connector's pacing waits on it); returns how many ran.
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

    // ---- reading replies ----

    /// <summary>Every text a person can read in a reply (message text, card texts, titles, labels, input values).</summary>
    public static string ReadableText(JsonNode? activity)
    {
        var texts = new List<string>();
        if ((string?)activity?["text"] is { } text)
        {
            texts.Add(text);
        }
        foreach (var attachment in activity?["attachments"]?.AsArray() ?? [])
        {
            Collect(attachment?["content"], texts);
        }
        return string.Join("\n", texts);
    }

    /// <summary>All readable texts of every reply.</summary>
    public static string ReadableText(JsonArray replies) => string.Join("\n", replies.Select(ReadableText));

    private static void Collect(JsonNode? node, List<string> texts)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key is "text" or "title" or "label" or "value" or "placeholder" && value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                    {
                        texts.Add(v.GetValue<string>());
                    }
                    else if (key != "data")
                    {
                        Collect(value, texts);
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, texts);
                }
                break;
        }
    }

    /// <summary>The one card among the replies.</summary>
    public static JsonObject Card(JsonArray replies)
    {
        var cards = replies.SelectMany(r => r?["attachments"]?.AsArray() ?? []).Where(a => (string?)a?["contentType"] == "application/vnd.microsoft.card.adaptive").ToList();
        var card = Assert.Single(cards)!["content"]!.AsObject();
        Assert.DoesNotContain("${", card.ToJsonString());
        return card;
    }

    /// <summary>The card's size as sent: compact JSON, UTF-8.</summary>
    public static int Bytes(JsonNode card) => Encoding.UTF8.GetByteCount(card.ToJsonString(Relaxed));

    public async ValueTask DisposeAsync()
    {
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

/// <summary>Approved leave as the leave feature will report it: who is on leave over which span.</summary>
public sealed class FakeLeave : IApprovedLeave
{
    private readonly List<(string UserId, DateTimeOffset From, DateTimeOffset To)> _spans = [];

    public void Add(string userId, DateTimeOffset from, DateTimeOffset to)
    {
        lock (_spans)
        {
            _spans.Add((userId, from, to));
        }
    }

    public Task<IReadOnlySet<string>> OnLeaveAtAsync(string tenantId, IReadOnlyCollection<string> userIds, DateTimeOffset instant, CancellationToken cancellationToken)
    {
        lock (_spans)
        {
            return Task.FromResult<IReadOnlySet<string>>(userIds.Where(u => _spans.Any(s => s.UserId == u && s.From <= instant && instant <= s.To)).ToHashSet());
        }
    }
}
