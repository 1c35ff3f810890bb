using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Proactive;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;

using Activity = Microsoft.Bot.Schema.Activity;

namespace ChatRegs.Agenda.Tests.Support;

/// <summary>
/// The real bot (BotTestHost: every registration, Azurite) on a fake clock, with a fake Teams
/// connector behind every connector call, the office bootstrap admin "29:office" in tenant
/// "tenant-1", and helpers to set up people, a series and its meeting chat.
/// </summary>
public sealed class AgendaHost : IAsyncDisposable
{
    public const string Tenant = "tenant-1";
    public const string Office = "29:office";
    public const string Host = "29:host";
    public const string Recorder = "29:recorder";
    public const string Alice = "29:alice";
    public const string Bob = "29:bob";
    public const string Lucy = "29:lucy-en";
    public const string Stranger = "29:stranger";
    public const string MeetingChat = "19:weekly@thread.tacv2";

    /// <summary>Wednesday 25 Nov 2026, 10:00 in Shanghai. The next weekly meeting is Monday 30 Nov 08:30–09:30; its topics are due Friday 27 Nov 17:00.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.FromHours(8));

    /// <summary>The next meeting's occurrence key.</summary>
    public const string Next = "weekly@202611300830";

    /// <summary>The one after.</summary>
    public const string NextButOne = "weekly@202612070830";

    private AgendaHost(BotTestHost host, FakeTimeProvider clock, FakeConnector connector)
    {
        Bot = host;
        Clock = clock;
        Connector = connector;
    }

    public BotTestHost Bot { get; }

    public FakeTimeProvider Clock { get; }

    public FakeConnector Connector { get; }

    public IServiceProvider Services => Bot.Services;

    public MeetingStore Meetings => Services.GetRequiredService<MeetingStore>();

    public AgendaStore Store => Services.GetRequiredService<AgendaStore>();

    public AgendaService Agenda => Services.GetRequiredService<AgendaService>();

    public static async Task<AgendaHost> StartAsync(Dictionary<string, string?>? settings = null, DateTimeOffset? now = null)
    {
        var clock = new FakeTimeProvider(now ?? Start);
        var connector = new FakeConnector();
        var values = new Dictionary<string, string?>
        {
            [$"ChatRegs:Bootstrap:OfficeAdmins:{Tenant}:0"] = "aad-" + Office,
            // No pacing of connector calls: the fake clock only moves when a test moves it.
            ["ChatRegs:Proactive:PerConversationPerSecond"] = "0",
            ["ChatRegs:Proactive:PerTenantPerSecond"] = "0",
        };
        foreach (var (k, v) in settings ?? [])
        {
            values[k] = v;
        }
        var host = await BotTestHost.StartAsync(values, configure: services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddHttpClient(ProactiveOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => connector);
        });
        return new AgendaHost(host, clock, connector);
    }

    /// <summary>The people of a usual test (each with a 1:1 chat the bot knows), a weekly Monday 08:30–09:30 series and its meeting chat.</summary>
    public static async Task<AgendaHost> StartWithMeetingAsync(Dictionary<string, string?>? settings = null, string chatLocale = "zh-CN")
    {
        var host = await StartAsync(settings);
        await host.KnowAsync((Host, "张伟"), (Recorder, "陈静"), (Alice, "王小明"), (Bob, "李娜"), (Lucy, "Lucy"), (Office, "刘主任"), (Stranger, "外人"));
        await host.WeeklyAsync([Alice, Bob, Lucy]);
        await host.KnowMeetingChatAsync(chatLocale);
        return host;
    }

    public TestAdapter Adapter(string userId, string? locale = null, string conversationId = "", string conversationType = "personal") =>
        Bot.CreateAdapter(conversationId.Length > 0 ? conversationId : "a:1to1-" + userId, userId, Tenant, locale, conversationType);

    /// <summary>People in the directory, each with a 1:1 chat the bot knows.</summary>
    public async Task KnowAsync(params (string Id, string Name)[] people)
    {
        var directory = Services.GetRequiredService<PeopleDirectory>();
        var references = Services.GetRequiredService<ConversationReferenceStore>();
        foreach (var (id, name) in people)
        {
            await directory.EnsureKnownAsync(Tenant, id, name, "aad-" + id, null, "zh-CN");
            await references.CaptureAsync(new Activity
            {
                Type = ActivityTypes.Message,
                ChannelId = "msteams",
                ServiceUrl = FakeConnector.ServiceUrl,
                From = new ChannelAccount(id, name),
                Recipient = new ChannelAccount("28:bot", "ChatRegs", RoleTypes.Bot),
                Conversation = new ConversationAccount(conversationType: "personal", id: "a:1to1-" + id, tenantId: Tenant),
                Locale = id.EndsWith("-en", StringComparison.Ordinal) ? "en-US" : "zh-CN",
            }, default);
        }
    }

    /// <summary>The bot was seen in the meeting's chat, in this language (so the agenda can be posted there).</summary>
    public Task KnowMeetingChatAsync(string locale = "zh-CN") =>
        Services.GetRequiredService<ConversationReferenceStore>().CaptureAsync(new Activity
        {
            Type = ActivityTypes.Message,
            ChannelId = "msteams",
            ServiceUrl = FakeConnector.ServiceUrl,
            From = new ChannelAccount(Host, "张伟"),
            Recipient = new ChannelAccount("28:bot", "ChatRegs", RoleTypes.Bot),
            Conversation = new ConversationAccount(isGroup: true, conversationType: "channel", id: MeetingChat, tenantId: Tenant),
            Locale = locale,
        }, default);

    /// <summary>A weekly Monday 08:30–09:30 series ("周工作例会") in the meeting chat, with these participants (host and recorder come with the series).</summary>
    public async Task<MeetingSeries> WeeklyAsync(IEnumerable<string> participants, string id = "weekly", string name = "周工作例会", MeetingSchedule? schedule = null,
        int speakingLimit = 5, string? conversationId = MeetingChat, string host = Host)
    {
        var series = new MeetingSeries
        {
            TenantId = Tenant,
            Id = id,
            Name = name,
            ConversationId = conversationId,
            ConversationName = conversationId == null ? null : "周例会",
            Location = "三楼会议室",
            HostId = host,
            RecorderId = Recorder,
            SpeakingLimitMinutes = speakingLimit,
            Schedule = schedule ?? MeetingSchedule.WeeklyOn(new(8, 30), new(9, 30), DayOfWeek.Monday),
        };
        await Meetings.CreateSeriesAsync(series, participants, default);
        Services.GetRequiredService<MeetingCache>().Invalidate(Tenant, id);
        return (await Meetings.GetSeriesAsync(Tenant, id, default))!;
    }

    /// <summary>Sets the clock to a local (Shanghai) time.</summary>
    public void At(int year, int month, int day, int hour, int minute, int second = 0) =>
        Clock.SetUtcNow(new DateTimeOffset(year, month, day, hour, minute, second, TimeSpan.FromHours(8)));

    /// <summary>Types a message, in the adapter's locale.</summary>
    public Task<List<IActivity>> SayAsync(TestAdapter adapter, string text) => Bot.SayAsync(adapter, text, string.IsNullOrEmpty(adapter.Locale) ? null : adapter.Locale);

    /// <summary>An Action.Execute press (invoke adaptiveCard/action, with the card's inputs merged into the data); returns the invoke response's body.</summary>
    public async Task<JObject> ExecuteAsync(TestAdapter adapter, string verb, object data, string? locale = null) =>
        (await ExecuteWithRepliesAsync(adapter, verb, data, locale)).Response;

    /// <summary>As <see cref="ExecuteAsync"/>, with the messages the bot sent during the press (e.g. a refusal).</summary>
    public async Task<(JObject Response, List<IActivity> Messages)> ExecuteWithRepliesAsync(TestAdapter adapter, string verb, object data, string? locale = null)
    {
        var payload = JObject.FromObject(data);
        payload["verb"] = verb;
        var replies = await Bot.SendAsync(adapter, new Activity
        {
            Type = ActivityTypes.Invoke,
            Name = "adaptiveCard/action",
            Locale = locale ?? (string.IsNullOrEmpty(adapter.Locale) ? null : adapter.Locale),
            Value = JObject.FromObject(new { action = new { type = "Action.Execute", verb, data = payload } }),
        });
        var response = replies.SingleOrDefault(r => r.Type == "invokeResponse")
            ?? throw new InvalidOperationException("No invoke response. Replies: " + Seen.All(replies) + "\nErrors: "
                + string.Join("\n", Bot.Logs.Entries.Where(e => e.Exception != null).Select(e => e.Exception!.ToString())));
        var body = JObject.FromObject(((Microsoft.Bot.Builder.InvokeResponse)((Activity)response).Value).Body);
        return (body, replies.Where(r => r.Type == ActivityTypes.Message).ToList());
    }

    public async ValueTask DisposeAsync() => await Bot.DisposeAsync();
}

/// <summary>Reading what people see.</summary>
public static class Seen
{
    /// <summary>The card an Action.Execute answered with.</summary>
    public static JObject CardOf(JObject invokeResponse)
    {
        Assert.Equal("application/vnd.microsoft.card.adaptive", (string?)invokeResponse["type"]);
        var card = (JObject)invokeResponse["value"]!;
        Assert.DoesNotContain("${", card.ToString());
        return card;
    }

    public static string Text(JObject card) => TurnKit.Text(card);

    /// <summary>The text of every message reply (texts and cards).</summary>
    public static string All(IEnumerable<IActivity> replies) => string.Join("\n", replies.Select(r =>
    {
        var message = r.AsMessageActivity();
        if (message?.Attachments is { Count: > 0 } attachments && attachments[0].Content is JObject card)
        {
            return TurnKit.Text(card);
        }
        return message?.Text ?? "";
    }));

    /// <summary>Every Action.Execute on a card: (verb, data).</summary>
    public static IReadOnlyList<(string Verb, JObject Data)> Actions(JObject card) =>
        card.Descendants().OfType<JObject>()
            .Where(o => (string?)o["type"] == "Action.Execute")
            .Select(o => ((string)o["verb"]!, (JObject)o["data"]!))
            .ToList();

    /// <summary>The value an input shows.</summary>
    public static string? Value(JObject card, string inputId) => TurnKit.Input(card, inputId)["value"]?.ToString();
}
