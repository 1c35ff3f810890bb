using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Meetings;

/// <summary>A regular meeting (例会): who, where, when, and its rules.</summary>
public sealed record MeetingSeries
{
    public required string TenantId { get; init; }

    /// <summary>Short id, unique in the tenant.</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>The Teams conversation the meeting belongs to (meeting chat, channel or group chat): check-in cards and agendas are posted there.</summary>
    public string? ConversationId { get; init; }

    /// <summary>The conversation's name as Teams gave it (channel or chat title), for display; may be empty.</summary>
    public string? ConversationName { get; init; }

    public string Location { get; init; } = "";

    public required string HostId { get; init; }

    /// <summary>记录员.</summary>
    public string? RecorderId { get; init; }

    /// <summary>Who approves leave for this meeting; null means the host (or that occurrence's substitute host).</summary>
    public string? LeaveApproverId { get; init; }

    public required MeetingSchedule Schedule { get; init; }

    public string TimeZone { get; init; } = "Asia/Shanghai";

    /// <summary>Minutes after the start before a check-in counts as late.</summary>
    public int LateGraceMinutes { get; init; }

    /// <summary>The check-in window opens this many minutes before the start and closes at the end.</summary>
    public int CheckInOpensMinutesBefore { get; init; } = 30;

    /// <summary>Speaking time per topic (发言时间控制在5分钟以内).</summary>
    public int SpeakingLimitMinutes { get; init; } = 5;

    /// <summary>
    /// Who receives the minutes (e.g. the general manager's office), besides host, recorder and
    /// the office: people by user id, and named groups the office keeps as <c>group:{id}</c>
    /// (<see cref="People.NamedGroups"/>). The lateness notice goes to the same recipients.
    /// </summary>
    public IReadOnlyList<string> MinutesRecipients { get; init; } = [];

    /// <summary>The attendees of a meeting get its minutes too (on by default).</summary>
    public bool MinutesToAttendees { get; init; } = true;

    /// <summary>
    /// 提前五分钟签到 (例会制度(四) 第八条): a check-in later than this many minutes before the start
    /// (and not late) shows in the roll as "not early" (未提前签到); it still counts as present.
    /// 0 turns the distinction off.
    /// </summary>
    public int ArriveByMinutes { get; init; } = 5;

    /// <summary>Until when participants may submit topics (议题征集截止): see <see cref="TopicCutoffs"/>.</summary>
    public string TopicCutoff { get; init; } = TopicCutoffs.AgendaPosted;

    /// <summary>
    /// The regulation meeting this series was made from (新建例会's templates, <see cref="Series.MeetingTemplates"/>),
    /// null for a blank one: its agenda starts from that meeting's fixed order of business.
    /// </summary>
    public string? TemplateId { get; init; }

    public string CreatedBy { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public string? ETag { get; init; }

    public TimeZoneInfo Zone => Core.TimeZones.Find(TimeZone);

    /// <summary>Who approves leave for an occurrence: the named approver, else that occurrence's host.</summary>
    public string LeaveApproverFor(MeetingOccurrence occurrence) => LeaveApproverId ?? occurrence.HostId;

    /// <summary>Everyone expected at the meeting: the participants plus host and recorder.</summary>
    public IEnumerable<string> Attendees(IEnumerable<string> participantIds, string? substituteHostId = null)
    {
        var all = new List<string>(participantIds) { HostId };
        if (RecorderId != null)
        {
            all.Add(RecorderId);
        }
        if (substituteHostId != null)
        {
            all.Add(substituteHostId);
        }
        return all.Where(id => id.Length > 0).Distinct();
    }

    /// <summary>The people with a per-series role, for the authorization service.</summary>
    public Authorization.AuthorizationResource AsResource(string? substituteHostId = null) => new("meetingSeries", Id)
    {
        PeopleByRole = new Dictionary<string, IReadOnlyCollection<string>>
        {
            [MeetingRoles.Host] = substituteHostId == null ? [HostId] : [HostId, substituteHostId],
            [MeetingRoles.Recorder] = RecorderId == null ? [] : [RecorderId],
        },
    };
}

/// <summary>The topic cutoffs a series may choose.</summary>
public static class TopicCutoffs
{
    /// <summary>Until the host posts the agenda (发布议程), at the latest the start (the default).</summary>
    public const string AgendaPosted = "agenda";

    /// <summary>At the configured time on the working day(s) before (ChatRegs:Agenda:DeadlineTime, default 17:00 the working day before).</summary>
    public const string WorkingDayBefore = "dayBefore";

    /// <summary>Until the meeting starts.</summary>
    public const string MeetingStart = "start";

    public static readonly IReadOnlyList<string> All = [AgendaPosted, WorkingDayBefore, MeetingStart];

    /// <summary>A stored value this version does not know (or none) is the default.</summary>
    public static string Normalize(string? value) => value != null && All.Contains(value) ? value : AgendaPosted;
}

/// <summary>Per-series roles (not global roles).</summary>
public static class MeetingRoles
{
    public const string Host = "host";
    public const string Recorder = "recorder";
    public const string Participant = "participant";
}

/// <summary>One meeting of a series, with any one-off change (moved, cancelled, substitute host) applied.</summary>
public sealed record MeetingOccurrence
{
    public required MeetingSeries Series { get; init; }

    /// <summary>"{series id}@{yyyyMMddHHmm}" of the scheduled local start: stable when the occurrence is moved.</summary>
    public required string Key { get; init; }

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    public bool Cancelled { get; init; }

    /// <summary>Moved from its scheduled time (临时调整).</summary>
    public bool Moved { get; init; }

    /// <summary>提前指定主持人: the host for this occurrence only.</summary>
    public string? SubstituteHostId { get; init; }

    public string? Note { get; init; }

    public string HostId => SubstituteHostId ?? Series.HostId;

    public DateTimeOffset CheckInOpens => Start.AddMinutes(-Series.CheckInOpensMinutesBefore);

    public DateTimeOffset CheckInCloses => End;

    public DateTime LocalStart => TeamClock.LocalIn(Start, Series.Zone);

    public DateTime LocalEnd => TeamClock.LocalIn(End, Series.Zone);

    public static string KeyFor(string seriesId, DateTime scheduledLocalStart) => $"{seriesId}@{scheduledLocalStart:yyyyMMddHHmm}";
}
