using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

using Activity = Microsoft.Bot.Schema.Activity;

namespace ChatRegs.Agenda.Tests.Support;

/// <summary>
/// <see cref="FeatureHost"/> (the real bot on Azurite, a fake clock, Teams' connector faked
/// behind every connector call) in tenant "tenant-1" with the office bootstrap admin
/// "29:office", and the agenda's own seeding: the usual people, a series and its meeting chat.
/// </summary>
public sealed class AgendaHost(FeatureHost feature) : FeatureHostWrapper(feature)
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
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, FeatureHost.Shanghai);

    /// <summary>The next meeting's occurrence key.</summary>
    public const string Next = "weekly@202611300830";

    /// <summary>The one after.</summary>
    public const string NextButOne = "weekly@202612070830";

    public MeetingStore Meetings => Get<MeetingStore>();

    public AgendaStore Store => Get<AgendaStore>();

    public AgendaService Agenda => Get<AgendaService>();

    public static async Task<AgendaHost> StartAsync(Dictionary<string, string?>? settings = null, DateTimeOffset? now = null)
    {
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
        return new AgendaHost(await FeatureHost.StartAsync(Tenant, now ?? Start, values));
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

    /// <summary>The bot was seen in the meeting's chat, in this language (so the agenda can be posted there).</summary>
    public Task KnowMeetingChatAsync(string locale = "zh-CN") => Feature.KnowChatAsync(MeetingChat, Host, "张伟", "channel", locale);

    /// <summary>
    /// A weekly Monday 08:30–09:30 series ("周工作例会") in the meeting chat, with these participants
    /// (host and recorder come with the series). Its topic cutoff is 17:00 the working day before
    /// unless <paramref name="topicCutoff"/> says otherwise (the form's default is "when the agenda is posted").
    /// </summary>
    public Task<MeetingSeries> WeeklyAsync(IEnumerable<string> participants, string id = "weekly", string name = "周工作例会", MeetingSchedule? schedule = null,
        int speakingLimit = 5, string? conversationId = MeetingChat, string host = Host, string topicCutoff = TopicCutoffs.WorkingDayBefore, int arriveBy = 5) =>
        BotSeed.SeriesAsync(Services, new MeetingSeries
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
            ArriveByMinutes = arriveBy,
            TopicCutoff = topicCutoff,
            Schedule = schedule ?? MeetingSchedule.WeeklyOn(new(8, 30), new(9, 30), DayOfWeek.Monday),
        }, participants);

    /// <summary>Sets the clock to a local (Shanghai) time.</summary>
    public void At(int year, int month, int day, int hour, int minute, int second = 0) =>
        Clock.SetUtcNow(new DateTimeOffset(year, month, day, hour, minute, second, FeatureHost.Shanghai));

    /// <summary>An Action.Execute press (invoke adaptiveCard/action, with the card's inputs merged into the data); returns the invoke response's body.</summary>
    public async Task<JObject> ExecuteAsync(TestAdapter adapter, string verb, object data, string? locale = null) =>
        (await ExecuteWithRepliesAsync(adapter, verb, data, locale)).Response;

    /// <summary>As <see cref="ExecuteAsync"/>, with the messages the bot sent during the press (e.g. a refusal).</summary>
    public async Task<(JObject Response, List<IActivity> Messages)> ExecuteWithRepliesAsync(TestAdapter adapter, string verb, object data, string? locale = null)
    {
        var payload = JObject.FromObject(data);
        payload["verb"] = verb;
        var replies = await Feature.SendAsync(adapter, new Activity
        {
            Type = ActivityTypes.Invoke,
            Name = "adaptiveCard/action",
            Locale = locale,
            Value = JObject.FromObject(new { action = new { type = "Action.Execute", verb, data = payload } }),
        });
        var response = replies.SingleOrDefault(r => r.Type == "invokeResponse")
            ?? throw new InvalidOperationException("No invoke response. Replies: " + Seen.All(replies) + "\nErrors: "
                + string.Join("\n", Logs.Entries.Where(e => e.Exception != null).Select(e => e.Exception!.ToString())));
        var body = JObject.FromObject(((Microsoft.Bot.Builder.InvokeResponse)((Activity)response).Value).Body);
        return (body, replies.Where(r => r.Type == ActivityTypes.Message).ToList());
    }
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
            .Where(o => (string?)o["type"] == "Action.Execute" && !IsRefresh(o))
            .Select(o => ((string)o["verb"]!, (JObject)o["data"]!))
            .ToList();

    /// <summary>The card's <c>refresh.action</c>: Teams runs it, nobody presses it.</summary>
    public static bool IsRefresh(JObject action) => action.Parent is JProperty { Name: "action" } p && p.Parent?.Parent is JProperty { Name: "refresh" };

    /// <summary>The action of the card's <c>refresh</c> (Universal Actions), if it has one.</summary>
    public static (string Verb, JObject Data, IReadOnlyList<string> UserIds)? Refresh(JObject card) =>
        card["refresh"] is JObject { } r && r["action"] is JObject a
            ? ((string)a["verb"]!, (JObject)a["data"]!, (r["userIds"] as JArray ?? []).Select(u => (string)u!).ToList())
            : null;

    /// <summary>The value an input shows.</summary>
    public static string? Value(JObject card, string inputId) => TurnKit.Input(card, inputId)["value"]?.ToString();
}
