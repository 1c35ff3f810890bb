using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using ChatRegs.Bot.Leave;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Storage;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatRegs.Leave.Tests.Support;

/// <summary>
/// <see cref="HttpFeatureHost"/> (the whole bot in-process over HTTP on Azurite, a fake clock,
/// Teams' connector faked by <see cref="TeamsConnector"/>, the job runner not polling) in tenant
/// "tenant-leave" with the bootstrap office admin, and the leave tests' own parts: the leave
/// table behind <see cref="StoreFaults"/> (an outage, or holding reads so that two clicks really
/// race), Teams' pacing on the real clock, and the cast of <see cref="People"/> with their
/// departments and two meeting series.
/// </summary>
public sealed class LeaveHost(HttpFeatureHost feature, StoreFaults faults) : HttpFeatureHostWrapper(feature)
{
    public const string Tenant = "tenant-leave";

    /// <summary>The group chat people talk to the bot in when not in their 1:1 chat.</summary>
    public const string GroupChat = "19:group-chat@thread.v2";

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

    public StoreFaults Faults { get; } = faults;

    public LeaveStore Store => Get<LeaveStore>();

    public static DateTimeOffset Local(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, FeatureHost.Shanghai);

    /// <summary>The person's 1:1 chat with the bot.</summary>
    public static string Chat(string userId) => FeatureHost.ChatOf(userId);

    /// <summary>The bot with the cast, their departments and two series: 周工作例会 (Mondays 08:30–09:30) and 安全生产例会 (Tuesdays 14:00–15:00).</summary>
    public static async Task<LeaveHost> StartAsync(DateTimeOffset? now = null, Dictionary<string, string?>? settings = null, bool cast = true)
    {
        var faults = new StoreFaults();
        var values = new Dictionary<string, string?>
        {
            [$"ChatRegs:Bootstrap:OfficeAdmins:{Tenant}:0"] = "aad-" + People.Office,
        };
        foreach (var (k, v) in settings ?? [])
        {
            values[k] = v;
        }
        var feature = await HttpFeatureHost.StartAsync(Tenant, now ?? Thursday, values, services =>
        {
            // Teams' pacing on the real clock: the fake one stands still while a turn waits its turn.
            services.AddSingleton(sp => new ConnectorRateLimiter(TimeProvider.System, sp.GetRequiredService<IOptions<ProactiveOptions>>().Value));
            services.AddSingleton(sp =>
            {
                var options = new TableClientOptions();
                options.Retry.MaxRetries = 0;
                options.AddPolicy(faults, HttpPipelinePosition.PerCall);
                return new LeaveStore(new TableClient(Azurite.ConnectionString, sp.GetRequiredService<TableNames>().LeaveRequests, options));
            });
        });
        var host = new LeaveHost(feature, faults);
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
            await feature.DepartmentAsync("工程部", People.Li);
            await feature.DepartmentAsync("Engineering", People.Bob);
            await host.AddSeriesAsync("weekly", "周工作例会", MeetingSchedule.WeeklyOn(new(8, 30), new(9, 30), DayOfWeek.Monday), [People.Wang, People.Zhao, People.Amy, People.Li]);
            await host.AddSeriesAsync("safety", "安全生产例会", MeetingSchedule.WeeklyOn(new(14, 0), new(15, 0), DayOfWeek.Tuesday), [People.Wang, People.Amy], host: People.Li, recorder: null);
        }
        return host;
    }

    // ---- setting up ----

    /// <summary>Someone known to the bot, in a department, with a 1:1 chat the bot can reach ("a:1to1-{id}").</summary>
    public Task<Person> AddPersonAsync(string userId, string name, string? team, string locale = "zh-CN", params string[] roles) =>
        Feature.PersonAsync(userId, name, team, locale, null, roles);

    public Task<MeetingSeries> AddSeriesAsync(string id, string name, MeetingSchedule schedule, IEnumerable<string> participants,
        string host = People.Host, string? recorder = People.Recorder, string? leaveApprover = null) =>
        BotSeed.SeriesAsync(Services, new MeetingSeries
        {
            TenantId = Tenant,
            Id = id,
            Name = name,
            Location = "三楼会议室",
            HostId = host,
            RecorderId = recorder,
            LeaveApproverId = leaveApprover,
            Schedule = schedule,
        }, participants);

    /// <summary>Runs every job due now, in one poll, without moving the clock (the job runner is off in these tests).</summary>
    public async Task<int> RunDueJobsAsync()
    {
        var outcome = await Get<JobRunner>().PollAsync();
        return outcome.Ran;
    }

    // ---- reading ----

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
