using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Leave;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Storage;
using ChatRegs.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Activity = Microsoft.Bot.Schema.Activity;

namespace ChatRegs.Leave.Tests.Support;

/// <summary>
/// The whole bot in-process over HTTP (its Program, endpoints, DI, and Azurite tables of its
/// own) on a fake clock, with Teams' connector replaced by <see cref="RecordingConnector"/>
/// (every message posted and every card updated is recorded), the leave table behind
/// <see cref="StoreFaults"/> (an outage, or holding reads so that two clicks really race),
/// and the cast of <see cref="People"/> with their 1:1 chats. The job runner does not poll.
/// </summary>
public sealed class LeaveHost : IAsyncDisposable
{
    public const string Tenant = "tenant-leave";

    /// <summary>The cast: id, name, department, language.</summary>
    public static class People
    {
        public const string Office = "29:office";      // 办公室 (bootstrap office admin)
        public const string Host = "29:host";          // 张伟, hosts the weekly meeting
        public const string Recorder = "29:recorder";  // 刘芳
        public const string Wang = "29:wang";          // 王小明, 工程部
        public const string Zhao = "29:zhao";          // 赵强, 工程部
        public const string Li = "29:li";              // 李娜, 工程部's leave approver
        public const string Amy = "29:amy";            // Amy Chen, Engineering (English)
        public const string Bob = "29:bob";            // Bob Li, Engineering's approver (English)
    }

    public const string WeeklyKey = "weekly@202611300830";
    public const string SafetyKey = "safety@202612011400";

    /// <summary>Thursday 26 Nov 2026, 10:00 in Shanghai: the weekly meeting is next Monday 08:30.</summary>
    public static readonly DateTimeOffset Thursday = Local(2026, 11, 26, 10, 0);

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly BotFactory _factory;
    private readonly WebApplicationFactory<Program> _app;

    private LeaveHost(BotFactory factory, WebApplicationFactory<Program> app, FakeTimeProvider clock, RecordingConnector connector, StoreFaults faults)
    {
        _factory = factory;
        _app = app;
        Clock = clock;
        Connector = connector;
        Faults = faults;
        Client = app.CreateClient();
    }

    public FakeTimeProvider Clock { get; }

    public RecordingConnector Connector { get; }

    public StoreFaults Faults { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public LeaveStore Store => Get<LeaveStore>();

    public ListLogger Logs => Get<ListLogger>();

    public static DateTimeOffset Local(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));

    /// <summary>The bot with the cast, their departments and two series: 周工作例会 (Mondays 08:30–09:30) and 安全生产例会 (Tuesdays 14:00–15:00).</summary>
    public static async Task<LeaveHost> StartAsync(DateTimeOffset? now = null, Dictionary<string, string?>? settings = null, bool cast = true)
    {
        var clock = new FakeTimeProvider(now ?? Thursday);
        var connector = new RecordingConnector();
        var faults = new StoreFaults();
        var logs = new ListLogger();
        var values = new Dictionary<string, string?>
        {
            ["ChatRegs:Jobs:RunnerEnabled"] = "false",
            [$"ChatRegs:Bootstrap:OfficeAdmins:{Tenant}:0"] = "aad-" + People.Office,
        };
        foreach (var (k, v) in settings ?? [])
        {
            values[k] = v;
        }
        var factory = new BotFactory(values);
        var app = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(logs);
            services.AddLogging(b => b.AddProvider(logs));
            services.AddSingleton<TimeProvider>(clock);
            services.AddHttpClient(ProactiveOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => connector);
            // Teams' pacing on the real clock: the fake one stands still while a turn waits its turn.
            services.AddSingleton(sp => new ConnectorRateLimiter(TimeProvider.System, sp.GetRequiredService<IOptions<ProactiveOptions>>().Value));
            services.AddSingleton(sp =>
            {
                var options = new TableClientOptions();
                options.Retry.MaxRetries = 0;
                options.AddPolicy(faults, HttpPipelinePosition.PerCall);
                return new LeaveStore(new TableClient(Azurite.ConnectionString, sp.GetRequiredService<TableNames>().LeaveRequests, options));
            });
        }));
        var host = new LeaveHost(factory, app, clock, connector, faults);
        var tables = host.Get<TableServiceClient>();
        foreach (var table in host.Get<TableNames>().All)
        {
            await tables.CreateTableIfNotExistsAsync(table);
        }
        if (cast)
        {
            await host.AddPersonAsync(People.Office, "办公室 陈静", null);
            await host.AddPersonAsync(People.Host, "张伟", "工程部");
            await host.AddPersonAsync(People.Recorder, "刘芳", "工程部");
            await host.AddPersonAsync(People.Wang, "王小明", "工程部");
            await host.AddPersonAsync(People.Zhao, "赵强", "工程部");
            await host.AddPersonAsync(People.Li, "李娜", "工程部");
            await host.AddPersonAsync(People.Amy, "Amy Chen", "Engineering", "en-US");
            await host.AddPersonAsync(People.Bob, "Bob Li", "Engineering", "en-US");
            await host.AddDepartmentAsync("工程部", People.Li);
            await host.AddDepartmentAsync("Engineering", People.Bob);
            await host.AddSeriesAsync("weekly", "周工作例会", MeetingSchedule.WeeklyOn(new(8, 30), new(9, 30), DayOfWeek.Monday), [People.Wang, People.Zhao, People.Amy, People.Li]);
            await host.AddSeriesAsync("safety", "安全生产例会", MeetingSchedule.WeeklyOn(new(14, 0), new(15, 0), DayOfWeek.Tuesday), [People.Wang, People.Amy], host: People.Li, recorder: null);
        }
        return host;
    }

    // ---- setting up ----

    private static readonly Person Seeder = new() { TenantId = Tenant, UserId = "test-seed", Name = "test seed" };

    /// <summary>Someone known to the bot, in a department, with a 1:1 chat the bot can reach ("a:1to1-{id}").</summary>
    public async Task<Person> AddPersonAsync(string userId, string name, string? team, string locale = "zh-CN", params string[] roles)
    {
        var people = Get<PeopleDirectory>();
        await people.EnsureKnownAsync(Tenant, userId, name, "aad-" + userId, null, locale);
        var known = (await people.GetAsync(Tenant, userId))!;
        if (team != null || roles.Length > 0)
        {
            known = await people.SaveAssignmentAsync(Seeder, known, roles.ToHashSet(), team, false, known.ETag);
        }
        await Get<ConversationReferenceStore>().CaptureAsync(new Activity
        {
            Type = ActivityTypes.Message,
            Id = "seed-" + Guid.NewGuid().ToString("N")[..8],
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

    public async Task<MeetingSeries> AddSeriesAsync(string id, string name, MeetingSchedule schedule, IEnumerable<string> participants,
        string host = People.Host, string? recorder = People.Recorder, string? leaveApprover = null)
    {
        var series = new MeetingSeries
        {
            TenantId = Tenant,
            Id = id,
            Name = name,
            Location = "三楼会议室",
            HostId = host,
            RecorderId = recorder,
            LeaveApproverId = leaveApprover,
            Schedule = schedule,
        };
        var store = Get<MeetingStore>();
        await store.CreateSeriesAsync(series, participants, default);
        Get<MeetingCache>().Invalidate(Tenant, id);
        return (await store.GetSeriesAsync(Tenant, id, default))!;
    }

    /// <summary>The person's 1:1 chat with the bot.</summary>
    public static string Chat(string userId) => "a:1to1-" + userId;

    public void MoveTo(DateTimeOffset when) => Clock.SetUtcNow(when);

    // ---- HTTP, as Teams sends it ----

    public Task<JsonArray> SayAsync(string userId, string text, string locale = "zh-CN", string conversationType = "personal") =>
        PostAsync(ActivityJson(userId, locale, "message", new JsonObject { ["text"] = text }, conversationType: conversationType));

    /// <summary>An Action.Submit: the card's inputs and the action's data.</summary>
    public Task<JsonArray> SubmitAsync(string userId, JsonObject value, string locale = "zh-CN") =>
        PostAsync(ActivityJson(userId, locale, "message", new JsonObject { ["value"] = value.DeepClone() }));

    /// <summary>An Action.Execute (invoke adaptiveCard/action) on the card with id <paramref name="replyToId"/>; returns the invoke response body.</summary>
    public async Task<JsonObject> ExecuteAsync(string userId, string verb, JsonObject data, string locale = "zh-CN", string? replyToId = null)
    {
        var extra = new JsonObject
        {
            ["name"] = "adaptiveCard/action",
            ["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = verb, ["data"] = data.DeepClone() }, ["trigger"] = "manual" },
        };
        if (replyToId != null)
        {
            extra["replyToId"] = replyToId;
        }
        var activity = ActivityJson(userId, locale, "invoke", extra, expectReplies: false);
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

    private JsonObject ActivityJson(string userId, string locale, string type, JsonObject extra, bool expectReplies = true, string conversationType = "personal")
    {
        var conversationId = conversationType == "personal" ? Chat(userId) : "19:group-chat@thread.v2";
        var activity = new JsonObject
        {
            ["type"] = type,
            ["id"] = Guid.NewGuid().ToString(),
            ["timestamp"] = Clock.GetUtcNow().ToString("O"),
            ["serviceUrl"] = RecordingConnector.ServiceUrl,
            ["channelId"] = "msteams",
            ["from"] = new JsonObject { ["id"] = userId, ["name"] = NameOf(userId), ["aadObjectId"] = "aad-" + userId },
            ["conversation"] = new JsonObject { ["id"] = conversationId, ["conversationType"] = conversationType, ["tenantId"] = Tenant, ["isGroup"] = conversationType != "personal" },
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

    /// <summary>Runs every job due now (the job runner is off in these tests).</summary>
    public async Task<int> RunDueJobsAsync()
    {
        var outcome = await Get<JobRunner>().PollAsync();
        return outcome.Ran;
    }

    // ---- reading ----

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

    public static string ReadableText(JsonArray replies) => string.Join("\n", replies.Select(ReadableText));

    /// <summary>Every text a person can read on a card.</summary>
    public static string CardText(JsonNode card)
    {
        var texts = new List<string>();
        Collect(card, texts);
        return string.Join("\n", texts);
    }

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

    /// <summary>The one card among the replies (never with unbound "${…}").</summary>
    public static JsonObject Card(JsonArray replies)
    {
        var cards = replies.SelectMany(r => r?["attachments"]?.AsArray() ?? []).Where(a => (string?)a?["contentType"] == "application/vnd.microsoft.card.adaptive").ToList();
        var card = Assert.Single(cards)!["content"]!.AsObject();
        Assert.DoesNotContain("${", card.ToJsonString());
        return card;
    }

    /// <summary>The card an Action.Execute answered with.</summary>
    public static JsonObject InvokeCard(JsonObject body)
    {
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)body["type"]);
        var card = body["value"]!.AsObject();
        Assert.DoesNotContain("${", card.ToJsonString());
        return card;
    }

    /// <summary>The message an Action.Execute answered with.</summary>
    public static string InvokeMessage(JsonObject body)
    {
        Assert.Equal("application/vnd.microsoft.activity.message", (string?)body["type"]);
        return (string?)body["value"] ?? "";
    }

    /// <summary>The verbs of every Action.Execute / Action.Submit on a card.</summary>
    public static IReadOnlyList<string> Verbs(JsonNode card) =>
        Descendants(card).Where(o => ((string?)o["type"])?.StartsWith("Action.", StringComparison.Ordinal) == true)
            .Select(o => (string?)o["verb"] ?? (string?)o["data"]?["verb"] ?? "").ToList();

    /// <summary>The ids of the inputs on a card.</summary>
    public static IReadOnlyList<string> Inputs(JsonNode card) =>
        Descendants(card).Where(o => ((string?)o["type"])?.StartsWith("Input.", StringComparison.Ordinal) == true).Select(o => (string?)o["id"] ?? "").ToList();

    /// <summary>The value an input shows.</summary>
    public static string? InputValue(JsonNode card, string id) => (string?)Descendants(card).Single(o => (string?)o["id"] == id)["value"];

    /// <summary>The choices (value → title) of a choice input.</summary>
    public static IReadOnlyDictionary<string, string> Choices(JsonNode card, string id) =>
        Descendants(card).Single(o => (string?)o["id"] == id)["choices"]!.AsArray().ToDictionary(c => (string)c!["value"]!, c => (string)c!["title"]!);

    public static IEnumerable<JsonObject> Descendants(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                yield return obj;
                foreach (var (_, value) in obj)
                {
                    foreach (var d in Descendants(value))
                    {
                        yield return d;
                    }
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    foreach (var d in Descendants(item))
                    {
                        yield return d;
                    }
                }
                break;
        }
    }

    /// <summary>The roll card's groups: title ("请假（1）") → names.</summary>
    public static IReadOnlyDictionary<string, List<string>> RollGroups(JsonNode card)
    {
        var groups = new Dictionary<string, List<string>>();
        foreach (var container in card["body"]!.AsArray().OfType<JsonObject>().Where(o => (string?)o["type"] == "Container"))
        {
            var items = container["items"]!.AsArray();
            if (items.Count > 1 && (string?)items[0]?["type"] == "TextBlock" && (string?)items[1]?["type"] == "ColumnSet")
            {
                groups[(string)items[0]!["text"]!] = items.Skip(1).Select(i => (string)i!["columns"]![0]!["items"]![0]!["text"]!).ToList();
            }
        }
        return groups;
    }

    public static string Json(JsonNode node) => node.ToJsonString(Relaxed);

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

/// <summary>
/// Teams' side of the connector: records every message posted (POST) and every card updated
/// (PUT) per conversation, answers 1:1 chat creation, and gives each message an id ("msg-N").
/// </summary>
public sealed class RecordingConnector : HttpMessageHandler
{
    public const string ServiceUrl = "https://smba.test/teams/";

    private readonly List<Sent> _sent = [];
    private int _ids;

    public IReadOnlyList<Sent> All
    {
        get { lock (_sent) { return _sent.ToList(); } }
    }

    /// <summary>Messages posted to a conversation (not updates).</summary>
    public IReadOnlyList<Sent> PostedTo(string conversationId) => All.Where(m => m.ConversationId == conversationId && m.Method == "POST").ToList();

    /// <summary>Cards updated in place in a conversation.</summary>
    public IReadOnlyList<Sent> UpdatedIn(string conversationId) => All.Where(m => m.ConversationId == conversationId && m.Method == "PUT").ToList();

    public void Clear()
    {
        lock (_sent)
        {
            _sent.Clear();
        }
    }

    /// <summary>Conversations Teams answers 500 for (a transient failure the sender does not retry by itself).</summary>
    public HashSet<string> Failing { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content == null ? "" : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var parts = request.RequestUri!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(parts, "conversations");
        lock (Failing)
        {
            if (at >= 0 && at < parts.Length - 1 && Failing.Contains(Uri.UnescapeDataString(parts[at + 1])))
            {
                return new HttpResponseMessage(HttpStatusCode.InternalServerError)
                {
                    Content = new StringContent("{\"error\":{\"code\":\"ServiceError\",\"message\":\"Injected failure (test).\"}}", Encoding.UTF8, "application/json"),
                };
            }
        }
        string id;
        if (at >= 0 && at == parts.Length - 1)
        {
            var member = (string?)JsonNode.Parse(body)?["members"]?[0]?["id"];
            id = "a:1to1-" + member;
        }
        else
        {
            var conversation = Uri.UnescapeDataString(parts[at + 1]);
            var activityId = parts.Length > at + 3 ? Uri.UnescapeDataString(parts[at + 3]) : null;
            id = request.Method == HttpMethod.Put && activityId != null ? activityId : "msg-" + Interlocked.Increment(ref _ids);
            lock (_sent)
            {
                _sent.Add(new Sent(conversation, request.Method.Method, request.Method == HttpMethod.Put ? activityId : id, body.Length > 0 ? JsonNode.Parse(body)!.AsObject() : new JsonObject()));
            }
        }
        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(new JsonObject { ["id"] = id }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
    }

    /// <summary>One call: the conversation, POST (a new message) or PUT (an update), the message's id, and the activity.</summary>
    public sealed record Sent(string ConversationId, string Method, string? ActivityId, JsonObject Activity)
    {
        public string Text => LeaveHost.ReadableText(Activity);

        public JsonObject? Card => Activity["attachments"]?[0]?["content"]?.AsObject();
    }
}

/// <summary>
/// Sits in front of the leave table: <see cref="FailWrites"/> makes every transaction fail as
/// an outage would (HTTP 503); <see cref="HoldRequestReads"/> holds reads of requests until
/// that many are waiting, so concurrent clicks all read the same version before any writes.
/// </summary>
public sealed class StoreFaults : HttpPipelinePolicy
{
    private readonly object _lock = new();
    private int _hold;
    private List<TaskCompletionSource> _waiting = [];

    public volatile bool FailWrites;

    public int FailedWrites;

    /// <summary>The next <paramref name="count"/> reads of a request wait for each other.</summary>
    public void HoldRequestReads(int count)
    {
        lock (_lock)
        {
            _hold = count;
            _waiting = [];
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var uri = Uri.UnescapeDataString(message.Request.Uri.ToString());
        if (FailWrites && message.Request.Method == RequestMethod.Post && uri.Contains("$batch", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref FailedWrites);
            throw new Azure.RequestFailedException(503, "Injected storage outage (test).");
        }
        if (message.Request.Method == RequestMethod.Get && uri.Contains("RowKey='req|", StringComparison.Ordinal))
        {
            Task? wait = null;
            lock (_lock)
            {
                if (_hold > 0)
                {
                    var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    _waiting.Add(mine);
                    wait = mine.Task;
                    if (_waiting.Count >= _hold)
                    {
                        _hold = 0;
                        foreach (var w in _waiting)
                        {
                            w.TrySetResult();
                        }
                    }
                }
            }
            if (wait != null)
            {
                await wait.WaitAsync(TimeSpan.FromSeconds(20));
            }
        }
        await ProcessNextAsync(message, pipeline);
    }
}
