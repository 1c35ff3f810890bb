namespace ChatRegs.Bot.Meetings.Minutes;

/// <summary>One topic of the minutes (议题): the discussion record (发言记录) and the outcome (商议结果).</summary>
public sealed record MinutesTopic
{
    public string Id { get; init; } = "";

    public string Title { get; init; } = "";

    /// <summary>From the meeting's agenda (title fixed) or added by the recorder (title editable).</summary>
    public bool FromAgenda { get; init; }

    public string Discussion { get; init; } = "";

    public string Outcome { get; init; } = "";
}

/// <summary>A decision as written in the minutes; on submission it becomes (or updates) an <see cref="ActionItem"/>.</summary>
public sealed record MinutesDecision
{
    /// <summary>The action item it became; null until the minutes are submitted.</summary>
    public string? ItemId { get; init; }

    public string Description { get; init; } = "";

    public string OwnerId { get; init; } = "";

    public string OwnerName { get; init; } = "";

    /// <summary>yyyy-MM-dd as entered (kept as text so that a draft keeps whatever was typed).</summary>
    public string Due { get; init; } = "";

    public bool IsEmpty => Description.Trim().Length == 0 && OwnerId.Length == 0 && Due.Trim().Length == 0;
}

/// <summary>Someone at the meeting, as the minutes list them.</summary>
public sealed record MinutesPerson(string UserId, string Name, string Status);

/// <summary>
/// What the minutes say: 会议时间 (start and end to the minute), 议题, 主持人, 记录员, 与会人员,
/// 缺席人员, 发言记录 and 商议结果 per topic, and the decisions (例会制度(三) 五.3).
/// </summary>
public sealed record MinutesContent
{
    public string Date { get; init; } = "";

    public string Start { get; init; } = "";

    public string End { get; init; } = "";

    public string HostId { get; init; } = "";

    public string HostName { get; init; } = "";

    public bool SubstituteHost { get; init; }

    public string RecorderId { get; init; } = "";

    public string RecorderName { get; init; } = "";

    public List<MinutesPerson> Attendees { get; init; } = [];

    /// <summary>Absent, on leave (请假) or excused; <see cref="MinutesPerson.Status"/> says which.</summary>
    public List<MinutesPerson> Absentees { get; init; } = [];

    public List<MinutesTopic> Topics { get; init; } = [];

    public List<MinutesDecision> Decisions { get; init; } = [];
}

/// <summary>
/// The minutes of one occurrence: the working copy (draft) and, once submitted, the number of
/// the latest version. Versions are separate, never overwritten (<see cref="MinutesVersion"/>).
/// </summary>
public sealed record MinutesDoc
{
    public required string TenantId { get; init; }

    public required string OccurrenceKey { get; init; }

    public required string SeriesId { get; init; }

    public MinutesContent Content { get; init; } = new();

    /// <summary>0 while never submitted; else the latest version's number.</summary>
    public int Version { get; init; }

    public DateTimeOffset? FirstSubmittedAt { get; init; }

    public string SavedById { get; init; } = "";

    public string SavedByName { get; init; } = "";

    public DateTimeOffset SavedAt { get; init; }

    public string? ETag { get; init; }

    public bool Submitted => Version > 0;
}

/// <summary>One submitted version of the minutes: version 1 is the first submission; every later edit adds one, with who and when.</summary>
public sealed record MinutesVersion
{
    public required string TenantId { get; init; }

    public required string OccurrenceKey { get; init; }

    public int Number { get; init; }

    public string ById { get; init; } = "";

    public string ByName { get; init; } = "";

    public DateTimeOffset At { get; init; }

    public MinutesContent Content { get; init; } = new();
}

public enum ActionItemStatus
{
    /// <summary>Assigned, not yet reported on.</summary>
    Open,
    InProgress,
    Done,
    Blocked,

    /// <summary>Taken out of the minutes by a later version.</summary>
    Cancelled,
}

/// <summary>
/// One entry of an item's history: who set what, when, with which note. <paramref name="MinutesVersion"/>
/// names the version of the minutes that changed (or, with <paramref name="Removed"/>, removed) the item.
/// </summary>
public sealed record ActionItemUpdate(ActionItemStatus Status, string Note, string ById, string ByName, DateTimeOffset At, int MinutesVersion = 0, bool Removed = false);

/// <summary>A decision followed up until it is done (督办: 事事有落实，事事有反馈).</summary>
public sealed record ActionItem
{
    public required string TenantId { get; init; }

    public required string Id { get; init; }

    public required string SeriesId { get; init; }

    public required string OccurrenceKey { get; init; }

    public string MeetingName { get; init; } = "";

    /// <summary>The meeting's local date (yyyy-MM-dd).</summary>
    public string MeetingDate { get; init; } = "";

    public string Description { get; init; } = "";

    public string OwnerId { get; init; } = "";

    public string OwnerName { get; init; } = "";

    public DateOnly Due { get; init; }

    public ActionItemStatus Status { get; init; }

    public string Note { get; init; } = "";

    public List<ActionItemUpdate> History { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }

    public string? ETag { get; init; }

    public bool IsOpen => Status is ActionItemStatus.Open or ActionItemStatus.InProgress or ActionItemStatus.Blocked;

    public bool IsOverdue(DateOnly today) => IsOpen && today > Due;
}

/// <summary>
/// A reviewer's check of one meeting's minutes (例会制度(四) 第十条 计划发展部每周对各部门会议记录进行抽检):
/// who, when, which version, and the remark. One per meeting; a later check replaces it.
/// </summary>
public sealed record MinutesReview
{
    public required string TenantId { get; init; }

    public required string OccurrenceKey { get; init; }

    public string SeriesId { get; init; } = "";

    public int Version { get; init; }

    public string ReviewerId { get; init; } = "";

    public string ReviewerName { get; init; } = "";

    public string Remark { get; init; } = "";

    public DateTimeOffset At { get; init; }
}
