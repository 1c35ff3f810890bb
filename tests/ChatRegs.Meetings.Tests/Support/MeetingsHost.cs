using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.Bot.Scheduling;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.Meetings.Tests.Support;

/// <summary>
/// <see cref="FeatureHost"/> (the real bot on Azurite, a fake clock, Teams' connector faked) in
/// tenant "tenant-1" (a bot of its own) or a tenant of its own on a class's bot (<see cref="MeetingsBot"/>;
/// <see cref="TenantId"/>), with the office bootstrap admin "29:office", and the meetings' own
/// seeding: people, the meeting chat and a weekly series.
/// </summary>
public sealed class MeetingsHost(FeatureHost feature) : FeatureHostWrapper(feature)
{
    public const string Tenant = "tenant-1";
    public const string Office = "29:office";
    public const string Host = "29:host";
    public const string Recorder = "29:recorder";
    public const string MeetingChat = "19:weekly@thread.tacv2";

    /// <summary>Monday 30 Nov 2026, 07:00 in Shanghai.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 7, 0, 0, FeatureHost.Shanghai);

    public MeetingStore Store => Get<MeetingStore>();

    public MeetingCache Cache => Get<MeetingCache>();

    public CheckInStore CheckIns => Get<CheckInStore>();

    public JobScheduler Scheduler => Get<JobScheduler>();

    /// <summary>The tenant of this host: <see cref="Tenant"/> for a bot of its own, one of <see cref="MeetingsBot.Tenants"/> on a class's shared bot.</summary>
    public string TenantId => Feature.Tenant;

    /// <summary>A bot of its own, in <see cref="Tenant"/>.</summary>
    public static async Task<MeetingsHost> StartAsync(DateTimeOffset? now = null, Action<IServiceCollection>? configure = null) =>
        new(await FeatureHost.StartAsync(Tenant, now ?? Start, Settings([Tenant]), configure));

    /// <summary>The bot's settings: <see cref="Office"/> is the office bootstrap admin of each of these tenants.</summary>
    internal static Dictionary<string, string?> Settings(IEnumerable<string> tenants) =>
        tenants.ToDictionary(t => $"ChatRegs:Bootstrap:OfficeAdmins:{t}:0", _ => (string?)("aad-" + Office));

    /// <summary>The bot was seen in the meeting's chat (so cards can be posted there).</summary>
    public Task KnowMeetingChatAsync(string locale = "zh-CN") => Feature.KnowChatAsync(MeetingChat, Host, "张伟", "channel", locale);

    /// <summary>A weekly Monday 08:30–09:30 series ("周工作例会") with the given participants (host and recorder are added by the series).</summary>
    public Task<MeetingSeries> WeeklyAsync(IEnumerable<string> participants, string id = "weekly", int grace = 0, MeetingSchedule? schedule = null, string name = "周工作例会") =>
        BotSeed.WeeklySeriesAsync(Services, TenantId, MeetingChat, Host, Recorder, participants, Clock.GetUtcNow(), Office,
            s => s with { Id = id, Name = name, LateGraceMinutes = grace, Schedule = schedule ?? s.Schedule });

    /// <summary>Sets the clock to a Shanghai time on the day of <see cref="Start"/> (or another day).</summary>
    public void At(int hour, int minute, int second = 0, DateTimeOffset? day = null)
    {
        var d = day ?? Start;
        Clock.SetUtcNow(new DateTimeOffset(d.Year, d.Month, d.Day, hour, minute, second, FeatureHost.Shanghai));
    }
}
