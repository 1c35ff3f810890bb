using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Scheduling;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;

using Activity = Microsoft.Bot.Schema.Activity;

namespace ChatRegs.Callbacks.Tests.Support;

/// <summary>
/// The real bot (BotTestHost: every registration, Azurite) on a fake clock, with a fake Teams
/// connector behind proactive messages, a fake file server behind file downloads, and the
/// people of a small customer-service team in tenant "tenant-cb":
/// 刘洋 (supervisor), 李娜 and 赵强 (reps on duty), 孙丽 (rep, off duty), 王小明 (employee),
/// Mike (a rep who reads English).
/// </summary>
public sealed class CallbacksHost : IAsyncDisposable
{
    public const string Tenant = "tenant-cb";
    public const string Supervisor = "29:sup";
    public const string RepA = "29:rep-a";
    public const string RepB = "29:rep-b";
    public const string RepOff = "29:rep-off";
    public const string RepEn = "29:rep-en";
    public const string Employee = "29:emp";

    /// <summary>Thursday 5 March 2026, 10:00 in Shanghai.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 5, 10, 0, 0, TimeSpan.FromHours(8));

    private CallbacksHost(BotTestHost host, FakeTimeProvider clock, RecordingConnector connector, FakeFiles files)
    {
        Bot = host;
        Clock = clock;
        Connector = connector;
        Files = files;
    }

    public BotTestHost Bot { get; }

    public FakeTimeProvider Clock { get; }

    public RecordingConnector Connector { get; }

    public FakeFiles Files { get; }

    public IServiceProvider Services => Bot.Services;

    public CallbackStore Store => Services.GetRequiredService<CallbackStore>();

    public CallbackService Service => Services.GetRequiredService<CallbackService>();

    public JobScheduler Scheduler => Services.GetRequiredService<JobScheduler>();

    public static async Task<CallbacksHost> StartAsync(DateTimeOffset? now = null, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null, bool team = true)
    {
        var clock = new FakeTimeProvider(now ?? Start);
        var connector = new RecordingConnector();
        var files = new FakeFiles();
        var host = await BotTestHost.StartAsync(settings, configure: services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddHttpClient(ProactiveOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => connector);
            services.AddHttpClient(CallbackFiles.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => files);
            configure?.Invoke(services);
        });
        var result = new CallbacksHost(host, clock, connector, files);
        if (team)
        {
            await result.TeamAsync();
        }
        return result;
    }

    /// <summary>The sample team: each person known, with a 1:1 chat the bot knows, and their roles.</summary>
    public async Task TeamAsync()
    {
        await PersonAsync(Supervisor, "刘洋", onDuty: false, Roles.CsSupervisor);
        await PersonAsync(RepA, "李娜", onDuty: true, Roles.CsRep);
        await PersonAsync(RepB, "赵强", onDuty: true, Roles.CsRep);
        await PersonAsync(RepOff, "孙丽", onDuty: false, Roles.CsRep);
        await PersonAsync(RepEn, "Mike", onDuty: false, Roles.CsRep);
        await PersonAsync(Employee, "王小明", onDuty: false);
    }

    public async Task PersonAsync(string userId, string name, bool onDuty, params string[] roles)
    {
        Names[userId] = name;
        var directory = Services.GetRequiredService<PeopleDirectory>();
        var locale = userId.EndsWith("-en", StringComparison.Ordinal) ? "en-US" : "zh-CN";
        await directory.EnsureKnownAsync(Tenant, userId, name, "aad-" + userId, null, locale);
        var person = (await directory.GetAsync(Tenant, userId))!;
        var actor = new Person { TenantId = Tenant, UserId = "29:office", Name = "办公室" };
        await directory.SaveAssignmentAsync(actor, person, roles.ToHashSet(), null, onDuty, person.ETag);
        await Services.GetRequiredService<ConversationReferenceStore>().CaptureAsync(new Activity
        {
            Type = ActivityTypes.Message,
            ChannelId = "msteams",
            ServiceUrl = RecordingConnector.ServiceUrl,
            From = new ChannelAccount(userId, name),
            Recipient = new ChannelAccount("28:bot", "ChatRegs", RoleTypes.Bot),
            Conversation = new ConversationAccount(conversationType: "personal", id: "a:1to1-" + userId, tenantId: Tenant),
            Locale = locale,
        }, default);
    }

    /// <summary>
    /// The person's 1:1 chat with the bot, as BotTestHost.CreateAdapter builds it but with the
    /// person's own name on their activities (the people middleware keeps names up to date from
    /// them, and the script reads the rep's name).
    /// </summary>
    /// <remarks>
    /// One adapter per person and language, kept: a TestAdapter numbers its activities from 1,
    /// and the bot drops an activity id it has already processed in a conversation (a redelivery).
    /// </remarks>
    public TestAdapter Adapter(string userId, string? locale = null)
    {
        var usual = userId.EndsWith("-en", StringComparison.Ordinal) ? "en-US" : "zh-CN";
        locale ??= usual;
        // Another language is another chat of theirs (its activity ids start again at 1).
        var conversationId = "a:1to1-" + userId + (locale == usual ? "" : "-" + locale);
        lock (_adapters)
        {
            if (_adapters.TryGetValue((userId, locale), out var existing))
            {
                return existing;
            }
        }
        var reference = new ConversationReference
        {
            ChannelId = "msteams",
            ServiceUrl = "https://smba.trafficmanager.net/teams/",
            User = new ChannelAccount(userId, Names.GetValueOrDefault(userId, userId), aadObjectId: "aad-" + userId),
            Bot = new ChannelAccount("28:bot", "ChatRegs", RoleTypes.Bot),
            Conversation = new ConversationAccount(conversationType: "personal", id: conversationId, tenantId: Tenant),
            Locale = locale,
        };
        var adapter = new TestAdapter(reference) { Locale = locale };
        foreach (var middleware in Services.GetServices<Microsoft.Bot.Builder.IMiddleware>())
        {
            adapter.Use(middleware);
        }
        adapter.OnTurnError = Services.GetRequiredService<ChatRegs.Bot.Hosting.TurnErrorHandler>().HandleAsync;
        lock (_adapters)
        {
            _adapters[(userId, locale)] = adapter;
        }
        return adapter;
    }

    private readonly Dictionary<(string, string), TestAdapter> _adapters = [];

    private Dictionary<string, string> Names { get; } = new(StringComparer.Ordinal);

    /// <summary>Sets the clock to a Shanghai wall time on <paramref name="day"/> (default: the start day).</summary>
    public void At(int hour, int minute, DateOnly? day = null)
    {
        var d = day ?? DateOnly.FromDateTime(Start.DateTime);
        Clock.SetUtcNow(new DateTimeOffset(d.Year, d.Month, d.Day, hour, minute, 0, TimeSpan.FromHours(8)));
    }

    public Task<List<IActivity>> SayAsync(TestAdapter adapter, string text) => Bot.SayAsync(adapter, text, adapter.Locale);

    public Task<List<IActivity>> SubmitAsync(TestAdapter adapter, object value) => Bot.SubmitAsync(adapter, value, adapter.Locale);

    /// <summary>Sends an activity in the chat's language.</summary>
    public Task<List<IActivity>> SendAsync(TestAdapter adapter, Activity activity)
    {
        activity.Locale ??= adapter.Locale;
        return Bot.SendAsync(adapter, activity);
    }

    /// <summary>Imports rows as the supervisor (pasted after the command); returns the replies.</summary>
    public Task<List<IActivity>> ImportAsync(string rows, string? locale = null) =>
        SayAsync(Adapter(Supervisor, locale), "导入回访\n" + rows);

    public async Task<CallbackTask> TaskAsync(string phone, string service, DateOnly date) =>
        (await Store.GetTaskAsync(Tenant, CallbackStore.TaskId(phone, service, date), default))
        ?? throw new InvalidOperationException($"No task for {phone} {service} {date}.");

    public async Task<IReadOnlyList<CallbackTask>> TasksAsync() => await Store.ListTasksAsync(Tenant, openOnly: false, default);

    /// <summary>Every job of the tenant with its id starting with <paramref name="prefix"/>.</summary>
    public async Task<IReadOnlyList<Job>> JobsAsync(string prefix)
    {
        var store = Services.GetRequiredService<JobStore>();
        var jobs = new List<Job>();
        foreach (var job in await store.ListAsync(Tenant, [], default))
        {
            if (job.Id.StartsWith(prefix, StringComparison.Ordinal))
            {
                jobs.Add(job);
            }
        }
        return jobs;
    }

    /// <summary>Runs a stored job through its handler, as the runner would.</summary>
    public Task RunJobAsync(Job job)
    {
        var handler = Services.GetServices<IJobHandler>().Single(h => h.Kind == job.Kind);
        return DriveAsync(handler.RunAsync(job, default));
    }

    /// <summary>Runs the daily run's work now.</summary>
    public async Task<CallbackNotifier.SweepOutcome> SweepAsync()
    {
        var work = Services.GetRequiredService<CallbackNotifier>().SweepAsync(Tenant, default);
        await DriveAsync(work);
        return await work;
    }

    /// <summary>
    /// Lets the fake clock run (in 10 ms steps) while proactive messages are sent: the connector
    /// pacing (Teams' per-conversation and per-tenant limits) waits on this clock.
    /// </summary>
    private async Task DriveAsync(Task work)
    {
        var real = System.Diagnostics.Stopwatch.StartNew();
        while (!work.IsCompleted)
        {
            if (real.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException("The job did not finish.");
            }
            Clock.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Delay(1);
        }
        await work;
    }

    /// <summary>The cards the bot sent a person proactively.</summary>
    public IReadOnlyList<JObject> CardsTo(string userId) =>
        Connector.To("a:1to1-" + userId).Where(a => a["attachments"] is JsonArray { Count: > 0 }).Select(a => JObject.Parse(a["attachments"]![0]!["content"]!.ToJsonString())).ToList();

    public async ValueTask DisposeAsync() => await Bot.DisposeAsync();
}

/// <summary>Teams' connector for proactive messages: records every message posted and answers with an id.</summary>
public sealed class RecordingConnector : HttpMessageHandler
{
    public const string ServiceUrl = "https://smba.test/teams/";

    private readonly List<(string ConversationId, JsonObject Activity)> _posted = [];
    private int _ids;

    public IReadOnlyList<(string ConversationId, JsonObject Activity)> Posted
    {
        get { lock (_posted) { return _posted.ToList(); } }
    }

    public IReadOnlyList<JsonObject> To(string conversationId) => Posted.Where(p => p.ConversationId == conversationId).Select(p => p.Activity).ToList();

    public void Clear()
    {
        lock (_posted) { _posted.Clear(); }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content == null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var path = request.RequestUri!.AbsolutePath;
        var marker = "/v3/conversations/";
        var at = path.IndexOf(marker, StringComparison.Ordinal);
        var rest = at < 0 ? "" : path[(at + marker.Length)..];
        if (request.Method == HttpMethod.Post && rest.Length == 0)
        {
            var json = JsonNode.Parse(body)!;
            var member = (string?)json["members"]?[0]?["id"] ?? "x";
            return Json(new JsonObject { ["id"] = "a:1to1-" + member });
        }
        var conversationId = Uri.UnescapeDataString(rest.Split('/')[0]);
        if (request.Method == HttpMethod.Post && body.Length > 0)
        {
            lock (_posted)
            {
                _posted.Add((conversationId, JsonNode.Parse(body)!.AsObject()));
            }
        }
        return Json(new JsonObject { ["id"] = "m-" + Interlocked.Increment(ref _ids) });
    }

    private static HttpResponseMessage Json(JsonObject body) =>
        new(HttpStatusCode.OK) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
}

/// <summary>Where Teams keeps the files people send the bot: serves each registered URL's bytes; anything else is 404.</summary>
public sealed class FakeFiles : HttpMessageHandler
{
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    public List<Uri> Requests { get; } = [];

    public string Add(string name, byte[] content)
    {
        var url = $"https://files.test/download/{Guid.NewGuid():N}/{Uri.EscapeDataString(name)}";
        lock (_files)
        {
            _files[url] = content;
        }
        return url;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_files)
        {
            Requests.Add(request.RequestUri!);
            return Task.FromResult(_files.TryGetValue(request.RequestUri!.AbsoluteUri, out var bytes)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) }
                : new HttpResponseMessage(HttpStatusCode.NotFound));
        }
    }

    /// <summary>What Teams sends when someone sends the bot a file: a download-info attachment.</summary>
    public static Attachment TeamsFile(string name, string downloadUrl) => new()
    {
        ContentType = CallbackFiles.TeamsFileDownload,
        Name = name,
        Content = JObject.FromObject(new { downloadUrl, uniqueId = Guid.NewGuid().ToString(), fileType = Path.GetExtension(name).TrimStart('.') }),
    };
}
