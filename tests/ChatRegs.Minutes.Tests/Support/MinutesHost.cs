using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.Bot.Meetings.Attendance;
using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.Bot.Meetings.Minutes;
using ChatRegs.Bot.People;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Minutes.Tests.Support;

/// <summary>
/// The shared <see cref="FeatureHost"/> with a weekly meeting (Monday 08:30–09:30, 周工作例会):
/// host 张伟, recorder 陈静, participants 王小明, 李娜 (on leave for the 30 Nov meeting), 赵强 and Lucy;
/// the general manager's office (总经理室) receives the minutes; 刘主任 is the office.
/// The clock starts Monday 30 Nov 2026, 10:00 in Shanghai, after the meeting.
/// </summary>
public sealed class MinutesHost : IAsyncDisposable
{
    public const string Tenant = "tenant-minutes";
    public const string Host = "29:host";
    public const string Recorder = "29:recorder";
    public const string Alice = "29:alice";
    public const string Bob = "29:bob";
    public const string Zhao = "29:zhao";
    public const string Lucy = "29:lucy-en";
    public const string Office = "29:office";
    public const string Gm = "29:gm";
    public const string Stranger = "29:stranger";
    public const string Chat = "19:weekly@thread.tacv2";

    /// <summary>The meeting of Monday 30 Nov 2026, 08:30–09:30.</summary>
    public const string Meeting = "weekly@202611300830";

    public const string NextMeeting = "weekly@202612070830";

    public static readonly DateOnly Monday = new(2026, 11, 30);

    private MinutesHost(FeatureHost host) => Feature = host;

    public FeatureHost Feature { get; }

    public MinutesStore Store => Feature.Get<MinutesStore>();

    public static async Task<MinutesHost> StartAsync(bool agenda = true)
    {
        var feature = await FeatureHost.StartAsync(Tenant, new DateTimeOffset(2026, 11, 30, 10, 0, 0, FeatureHost.Shanghai), new()
        {
            ["ChatRegs:Proactive:PerConversationPerSecond"] = "0",
            ["ChatRegs:Proactive:PerTenantPerSecond"] = "0",
        }, services => services.AddSingleton<ILeaveRoster>(new Roster(Meeting, Bob)));
        var host = new MinutesHost(feature);
        await feature.PersonAsync(Host, "张伟");
        await feature.PersonAsync(Recorder, "陈静");
        await feature.PersonAsync(Alice, "王小明");
        await feature.PersonAsync(Bob, "李娜");
        await feature.PersonAsync(Zhao, "赵强");
        await feature.PersonAsync(Lucy, "Lucy");
        await feature.PersonAsync(Office, "刘主任", roles: [Roles.Office]);
        await feature.PersonAsync(Gm, "总经理室");
        await feature.PersonAsync(Stranger, "外人");
        await feature.KnowChatAsync(Chat, Host, "张伟", "channel");
        await feature.Get<MeetingStore>().CreateSeriesAsync(new MeetingSeries
        {
            TenantId = Tenant,
            Id = "weekly",
            Name = "周工作例会",
            ConversationId = Chat,
            ConversationName = "周例会",
            Location = "三楼会议室",
            HostId = Host,
            RecorderId = Recorder,
            MinutesRecipients = [Gm],
            Schedule = MeetingSchedule.WeeklyOn(new(8, 30), new(9, 30), DayOfWeek.Monday),
            CreatedAt = new DateTimeOffset(2026, 11, 29, 0, 0, 0, FeatureHost.Shanghai),
        }, [Alice, Bob, Zhao, Lucy], default);
        // 王小明 and Lucy checked in; 赵强 did not come; 李娜 is on leave.
        var checkIns = feature.Get<CheckInStore>();
        await checkIns.TryAddAsync(Tenant, Meeting, new CheckIn(Alice, "王小明", new DateTimeOffset(2026, 11, 30, 8, 20, 0, FeatureHost.Shanghai), CheckInStatus.Early, CheckInSources.Card), default);
        await checkIns.TryAddAsync(Tenant, Meeting, new CheckIn(Lucy, "Lucy", new DateTimeOffset(2026, 11, 30, 8, 29, 0, FeatureHost.Shanghai), CheckInStatus.OnTime, CheckInSources.Card), default);
        await checkIns.TryAddAsync(Tenant, Meeting, new CheckIn(Host, "张伟", new DateTimeOffset(2026, 11, 30, 8, 25, 0, FeatureHost.Shanghai), CheckInStatus.OnTime, CheckInSources.Card), default);
        await checkIns.TryAddAsync(Tenant, Meeting, new CheckIn(Recorder, "陈静", new DateTimeOffset(2026, 11, 30, 8, 24, 0, FeatureHost.Shanghai), CheckInStatus.OnTime, CheckInSources.Card), default);
        if (agenda)
        {
            var store = feature.Get<AgendaStore>();
            var order = 0;
            foreach (var title in new[] { "十二月安全检查安排", "年终总结材料的报送" })
            {
                await store.AddTopicAsync(new Topic
                {
                    TenantId = Tenant,
                    OccurrenceKey = Meeting,
                    Id = "topic-" + order,
                    Title = title,
                    PresenterId = Alice,
                    PresenterName = "王小明",
                    Material = "材料",
                    Minutes = 5,
                    SubmittedById = Alice,
                    SubmittedAt = new DateTimeOffset(2026, 11, 26, 10, 0, 0, FeatureHost.Shanghai),
                    Status = TopicStatus.Accepted,
                    Order = order++,
                }, default);
            }
        }
        return host;
    }

    /// <summary>The form's inputs, completely and correctly filled (two agenda topics, one decision for 王小明 due Fri 4 Dec).</summary>
    public static JObject FilledForm(string verb = "minutes.submit") => new()
    {
        ["verb"] = verb,
        ["occurrence"] = Meeting,
        ["date"] = "2026-11-30",
        ["start"] = "08:30",
        ["end"] = "09:40",
        ["discussion_t0"] = "王小明：检查范围为航站楼和货运区。",
        ["outcome_t0"] = "同意按计划检查。",
        ["discussion_t1"] = "陈静：模板已发各部门。",
        ["outcome_t1"] = "12月20日前报送。",
        ["desc_0"] = "完成消防通道清理",
        ["owner_0"] = Alice,
        ["due_0"] = "2026-12-04",
    };

    public Task<List<Microsoft.Bot.Schema.IActivity>> SayAsync(string userId, string text, string? locale = null) => Feature.SayAsync(userId, text, locale);

    public Task<List<Microsoft.Bot.Schema.IActivity>> SubmitAsync(string userId, object value, string? locale = null) => Feature.SubmitAsync(userId, value, locale);

    /// <summary>The form as the latest card would send it: with the revision of the minutes' last save (unless the form names one).</summary>
    public async Task<JObject> CurrentAsync(JObject form)
    {
        if (form["rev"] == null)
        {
            var doc = await Store.GetAsync(Tenant, Meeting, default);
            form["rev"] = doc == null ? "" : MinutesCards.RevisionOf(doc);
        }
        return form;
    }

    /// <summary>Someone (the recorder unless named) sends the form from the latest card; returns the replies.</summary>
    public async Task<List<IActivity>> SubmitFormAsync(JObject form, string userId = Recorder, string? locale = null) =>
        await Feature.DriveAsync(Feature.SubmitAsync(userId, await CurrentAsync(form), locale));

    /// <summary>An Action.Execute press (invoke adaptiveCard/action) by the recorder; returns the invoke response's body (a card, or a message).</summary>
    public async Task<(JObject Body, List<IActivity> Replies)> ExecuteAsync(JObject data, string userId = Recorder)
    {
        data = await CurrentAsync(data);
        var adapter = Feature.Adapter(userId);
        var replies = await Feature.DriveAsync(Feature.SendAsync(adapter, new Microsoft.Bot.Schema.Activity
        {
            Type = ActivityTypes.Invoke,
            Name = "adaptiveCard/action",
            Value = JObject.FromObject(new { action = new { type = "Action.Execute", verb = (string?)data["verb"], data } }),
        }));
        var response = replies.Single(r => r.Type == "invokeResponse");
        return (JObject.FromObject(((Microsoft.Bot.Builder.InvokeResponse)((Microsoft.Bot.Schema.Activity)response).Value).Body), replies);
    }

    /// <summary>Teams' meeting event (meetingStart, meetingEnd) in the meeting's chat, at the clock's time, as Teams sends it; then the jobs that are due run.</summary>
    public async Task MeetingEventAsync(string name, object value)
    {
        await Feature.DriveAsync(Feature.SendAsync(Feature.Adapter(Host, conversationId: Chat, conversationType: "channel"), new Microsoft.Bot.Schema.Activity
        {
            Type = ActivityTypes.Event,
            Name = "application/vnd.microsoft." + name,
            Value = JObject.FromObject(value),
            ChannelData = JObject.FromObject(new { tenant = new { id = Tenant }, meeting = new { id = "MCMeeting-weekly" } }),
        }));
        await Feature.PollJobsAsync();
    }

    /// <summary>The recorder submits the filled form; returns the replies.</summary>
    public Task<List<IActivity>> SubmitMinutesAsync(JObject? form = null) => SubmitFormAsync(form ?? FilledForm());

    public async Task<IReadOnlyList<ActionItem>> ItemsAsync() => await Store.ListItemsAsync(Tenant, default);

    /// <summary>The daily run, as the scheduler would run it at the clock's time.</summary>
    public async Task RunDailyAsync()
    {
        var job = (await Feature.JobsAsync(MinutesSchedule.DailyJobId)).SingleOrDefault()
            ?? throw new InvalidOperationException("The daily run was never scheduled.");
        await Feature.RunJobAsync(job);
    }

    /// <summary>Everything sent to a person's 1:1 chat: message texts and the readable text of cards.</summary>
    public string Said(string userId) => string.Join("\n", Feature.Connector.To(FeatureHost.ChatOf(userId))
        .Select(c => string.Join("\n", new[] { c.Text, c.Card == null ? null : TurnKit.Text(c.Card) }.Where(t => !string.IsNullOrEmpty(t)))));

    public ValueTask DisposeAsync() => Feature.DisposeAsync();

    private sealed class Roster(string occurrence, string userId) : ILeaveRoster
    {
        public Task<IReadOnlySet<string>> ApprovedLeaveAsync(string tenantId, string occurrenceKey, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlySet<string>>(occurrenceKey == occurrence ? new HashSet<string> { userId } : new HashSet<string>());
    }
}
