using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.CheckIns;
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

namespace ChatRegs.Meetings.Tests.Support;

/// <summary>
/// The real bot (BotTestHost: all registrations, Azurite) on a fake clock, with a fake Teams
/// connector behind proactive messages, the office bootstrap admin "29:office" in tenant
/// "tenant-1", and helpers to set up people and a series.
/// </summary>
public sealed class MeetingsHost : IAsyncDisposable
{
    public const string Tenant = "tenant-1";
    public const string Office = "29:office";
    public const string Host = "29:host";
    public const string Recorder = "29:recorder";
    public const string MeetingChat = "19:weekly@thread.tacv2";

    /// <summary>Monday 30 Nov 2026, 07:00 in Shanghai.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 7, 0, 0, TimeSpan.FromHours(8));

    private MeetingsHost(BotTestHost host, FakeTimeProvider clock, RecordingConnector connector)
    {
        Bot = host;
        Clock = clock;
        Connector = connector;
    }

    public BotTestHost Bot { get; }

    public FakeTimeProvider Clock { get; }

    public RecordingConnector Connector { get; }

    public IServiceProvider Services => Bot.Services;

    public MeetingStore Store => Services.GetRequiredService<MeetingStore>();

    public MeetingCache Cache => Services.GetRequiredService<MeetingCache>();

    public CheckInStore CheckIns => Services.GetRequiredService<CheckInStore>();

    public JobScheduler Scheduler => Services.GetRequiredService<JobScheduler>();

    public static async Task<MeetingsHost> StartAsync(DateTimeOffset? now = null, Action<IServiceCollection>? configure = null)
    {
        var clock = new FakeTimeProvider(now ?? Start);
        var connector = new RecordingConnector();
        var host = await BotTestHost.StartAsync(new Dictionary<string, string?>
        {
            [$"ChatRegs:Bootstrap:OfficeAdmins:{Tenant}:0"] = "aad-" + Office,
        }, configure: services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddHttpClient(ProactiveOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => connector);
            configure?.Invoke(services);
        });
        return new MeetingsHost(host, clock, connector);
    }

    private readonly Dictionary<string, string> _names = [];

    /// <summary>A chat of <paramref name="userId"/> with the bot (their 1:1 chat unless a conversation is given), under the name they were given in <see cref="KnowAsync"/>.</summary>
    public TestAdapter Adapter(string userId, string? locale = null, string conversationId = "", string conversationType = "personal")
    {
        var adapter = Bot.CreateAdapter(conversationId.Length > 0 ? conversationId : "a:1to1-" + userId, userId, Tenant, locale, conversationType);
        adapter.Conversation.User.Name = _names.GetValueOrDefault(userId, userId);
        return adapter;
    }

    /// <summary>People in the directory (so pickers offer them), each with a 1:1 chat the bot knows.</summary>
    public async Task KnowAsync(params (string Id, string Name)[] people)
    {
        var directory = Services.GetRequiredService<PeopleDirectory>();
        var references = Services.GetRequiredService<ConversationReferenceStore>();
        foreach (var (id, name) in people)
        {
            _names[id] = name;
            await directory.EnsureKnownAsync(Tenant, id, name, "aad-" + id, null, "zh-CN");
            await references.CaptureAsync(new Activity
            {
                Type = ActivityTypes.Message,
                ChannelId = "msteams",
                ServiceUrl = RecordingConnector.ServiceUrl,
                From = new ChannelAccount(id, name),
                Recipient = new ChannelAccount("28:bot", "ChatRegs", RoleTypes.Bot),
                Conversation = new ConversationAccount(conversationType: "personal", id: "a:1to1-" + id, tenantId: Tenant),
                Locale = id.EndsWith("-en", StringComparison.Ordinal) ? "en-US" : "zh-CN",
            }, default);
        }
    }

    /// <summary>The bot was seen in the meeting's chat (so cards can be posted there).</summary>
    public Task KnowMeetingChatAsync(string locale = "zh-CN") =>
        Services.GetRequiredService<ConversationReferenceStore>().CaptureAsync(new Activity
        {
            Type = ActivityTypes.Message,
            ChannelId = "msteams",
            ServiceUrl = RecordingConnector.ServiceUrl,
            From = new ChannelAccount(Host, "张伟"),
            Recipient = new ChannelAccount("28:bot", "ChatRegs", RoleTypes.Bot),
            Conversation = new ConversationAccount(isGroup: true, conversationType: "channel", id: MeetingChat, tenantId: Tenant),
            Locale = locale,
        }, default);

    /// <summary>A weekly Monday 08:30–09:30 series ("周工作例会") with the given participants (host and recorder are added by the series).</summary>
    public async Task<MeetingSeries> WeeklyAsync(IEnumerable<string> participants, string id = "weekly", int grace = 0, MeetingSchedule? schedule = null, string name = "周工作例会")
    {
        var series = new MeetingSeries
        {
            TenantId = Tenant,
            Id = id,
            Name = name,
            ConversationId = MeetingChat,
            Location = "三楼会议室",
            HostId = Host,
            RecorderId = Recorder,
            LateGraceMinutes = grace,
            Schedule = schedule ?? MeetingSchedule.WeeklyOn(new(8, 30), new(9, 30), DayOfWeek.Monday),
            CreatedBy = Office,
            CreatedAt = Clock.GetUtcNow(),
        };
        await Store.CreateSeriesAsync(series, participants, default);
        Cache.Invalidate(Tenant, id);
        return (await Store.GetSeriesAsync(Tenant, id, default))!;
    }

    public void At(int hour, int minute, int second = 0, DateTimeOffset? day = null)
    {
        var d = day ?? Start;
        var target = new DateTimeOffset(d.Year, d.Month, d.Day, hour, minute, second, TimeSpan.FromHours(8));
        Clock.SetUtcNow(target);
    }

    public Task<List<IActivity>> SayAsync(TestAdapter adapter, string text) => Bot.SayAsync(adapter, text);

    public Task<List<IActivity>> SubmitAsync(TestAdapter adapter, object value) => Bot.SubmitAsync(adapter, value);

    /// <summary>An Action.Execute press (invoke adaptiveCard/action); returns the invoke response's card or message.</summary>
    public async Task<JObject> ExecuteAsync(TestAdapter adapter, string verb, object data, string? locale = null)
    {
        var replies = await Bot.SendAsync(adapter, new Activity
        {
            Type = ActivityTypes.Invoke,
            Name = "adaptiveCard/action",
            Locale = locale,
            Value = JObject.FromObject(new { action = new { type = "Action.Execute", verb, data } }),
        });
        var response = replies.Single(r => r.Type == "invokeResponse");
        var body = JObject.FromObject(((Microsoft.Bot.Builder.InvokeResponse)((Activity)response).Value).Body);
        return body;
    }

    /// <summary>One poll of the job runner: runs every job due now, as the background runner would.</summary>
    public Task<PollOutcome> PollJobsAsync() => DriveAsync(Services.GetRequiredService<JobRunner>().PollAsync());

    /// <summary>
    /// Lets work that waits on the clock finish: proactive sends are paced to Teams' limits on
    /// the (fake) clock, so the clock moves on in small steps until the work is done.
    /// </summary>
    public async Task<T> DriveAsync<T>(Task<T> work)
    {
        await DriveAsync((Task)work);
        return await work;
    }

    public async Task DriveAsync(Task work)
    {
        var real = System.Diagnostics.Stopwatch.StartNew();
        while (!work.IsCompleted && real.Elapsed < TimeSpan.FromSeconds(60))
        {
            Clock.Advance(TimeSpan.FromMilliseconds(50));
            await Task.Delay(2);
        }
        await work;
    }

    /// <summary>Runs the stored job with this id through its handler, as the runner would.</summary>
    public async Task RunJobAsync(string jobId)
    {
        var job = await Scheduler.GetAsync(Tenant, jobId) ?? throw new InvalidOperationException($"No job {jobId}.");
        var handler = Services.GetServices<IJobHandler>().Single(h => h.Kind == job.Kind);
        await DriveAsync(handler.RunAsync(job, default));
    }

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

    /// <summary>What GET …/pagedmembers answers for any conversation.</summary>
    public List<(string Id, string Name)> Members { get; } = [];

    public IReadOnlyList<JsonObject> To(string conversationId) => Posted.Where(p => p.ConversationId == conversationId).Select(p => p.Activity).ToList();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content == null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var path = request.RequestUri!.AbsolutePath;
        var marker = "/v3/conversations/";
        var at = path.IndexOf(marker, StringComparison.Ordinal);
        var rest = at < 0 ? "" : path[(at + marker.Length)..];
        if (request.Method == HttpMethod.Post && rest.Length == 0)
        {
            // Create a 1:1 chat.
            var json = JsonNode.Parse(body)!;
            var member = (string?)json["members"]?[0]?["id"] ?? "x";
            return Json(new JsonObject { ["id"] = "a:1to1-" + member });
        }
        var conversationId = Uri.UnescapeDataString(rest.Split('/')[0]);
        if (request.Method == HttpMethod.Get && rest.EndsWith("/pagedmembers", StringComparison.Ordinal))
        {
            // Teams' paged members of a conversation.
            return Json(new JsonObject { ["members"] = new JsonArray(Members.Select(m => (JsonNode)new JsonObject { ["id"] = m.Id, ["name"] = m.Name }).ToArray()) });
        }
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

public static class Posted
{
    /// <summary>The text a person reads on a card (JObject from a reply, or the connector's JSON).</summary>
    public static string Text(JObject card) => TurnKit.Text(card);

    public static JObject Card(JsonObject activity) => JObject.Parse(activity["attachments"]![0]!["content"]!.ToJsonString());

    public static string Json(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}
