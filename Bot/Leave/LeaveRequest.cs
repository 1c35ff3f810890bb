namespace ChatRegs.Bot.Leave;

/// <summary>What a leave request is for: one meeting, or a span of days.</summary>
public enum LeaveKind
{
    /// <summary>One occurrence of a meeting series (请假不参加某次例会).</summary>
    Meeting,

    /// <summary>A span of days, half days allowed: every meeting in it is covered.</summary>
    Days,
}

public enum LeaveStatus
{
    /// <summary>待审批.</summary>
    Pending,

    /// <summary>已批准.</summary>
    Approved,

    /// <summary>未批准 (驳回).</summary>
    Rejected,

    /// <summary>已撤回 by the requester while it was pending.</summary>
    Withdrawn,
}

/// <summary>Half of a day: leave starts in the morning or the afternoon, and ends after the morning or the afternoon.</summary>
public enum HalfDay
{
    /// <summary>上午: 00:00–12:00 local.</summary>
    Morning,

    /// <summary>下午: 12:00–24:00 local.</summary>
    Afternoon,
}

/// <summary>The kinds of leave (请假类型), as stored values.</summary>
public static class LeaveTypes
{
    public const string Personal = "personal";   // 事假
    public const string Sick = "sick";           // 病假
    public const string Annual = "annual";       // 年假
    public const string Business = "business";   // 公出/出差
    public const string Other = "other";         // 其他

    public static readonly IReadOnlyList<string> All = [Personal, Sick, Annual, Business, Other];

    public static bool IsValid(string? value) => value != null && All.Contains(value, StringComparer.Ordinal);
}

/// <summary>
/// One leave request (请假条): who, for what, why, and who decides. The decision (who, when,
/// comment) is kept on it and in its history; nothing is ever deleted.
/// </summary>
public sealed record LeaveRequest
{
    public required string TenantId { get; init; }

    /// <summary>"{yyyyMMdd of the leave's first local day}-{random}": requests of a month are one key range.</summary>
    public required string Id { get; init; }

    public required string UserId { get; init; }

    public string UserName { get; init; } = "";

    public required LeaveKind Kind { get; init; }

    /// <summary>One of <see cref="LeaveTypes"/>.</summary>
    public required string Type { get; init; }

    /// <summary>The written reason (请假原因).</summary>
    public required string Reason { get; init; }

    /// <summary>Meeting leave: the occurrence ("{series id}@{yyyyMMddHHmm}").</summary>
    public string? OccurrenceKey { get; init; }

    public string? SeriesId { get; init; }

    public string? SeriesName { get; init; }

    /// <summary>Days: the first day and whether leave starts in its morning or afternoon.</summary>
    public DateOnly? FromDate { get; init; }

    public HalfDay FromHalf { get; init; } = HalfDay.Morning;

    /// <summary>Days: the last day and whether leave ends after its morning or its afternoon.</summary>
    public DateOnly? ToDate { get; init; }

    public HalfDay ToHalf { get; init; } = HalfDay.Afternoon;

    /// <summary>Days: working days covered, in halves (1.5 = a day and a half).</summary>
    public double WorkingDays { get; init; }

    /// <summary>The time covered: the meeting's start and end, or the span's first and last instant (end exclusive).</summary>
    public required DateTimeOffset FromUtc { get; init; }

    public required DateTimeOffset ToUtc { get; init; }

    /// <summary>The time zone dates and times are shown in (the series', or the requester's).</summary>
    public string TimeZone { get; init; } = Core.TimeZones.DefaultId;

    /// <summary>Weekly meetings: this week's work summary handed in with the leave (一周工作状况, 例会制度(一) 6.1).</summary>
    public string? WorkSummary { get; init; }

    /// <summary>Weekly meetings: next week's plan.</summary>
    public string? WorkPlan { get; init; }

    /// <summary>
    /// Leave by days: the weekly meetings the span covers that the requester takes part in
    /// (occurrence keys, as when the request was sent); their hosts get the summary and plan once
    /// the leave is approved (例会制度(一) 6.1, (四) 第八条). Empty for meeting leave.
    /// </summary>
    public IReadOnlyList<string> WeeklyOccurrenceKeys { get; init; } = [];

    /// <summary>When summary and plan were taken from the weekly report already handed in: its week ("2026-W49").</summary>
    public string? LinkedReportWeek { get; init; }

    public required string ApproverId { get; init; }

    public string ApproverName { get; init; } = "";

    /// <summary>Asked for after the meeting (or the span) had started: 事后补假.</summary>
    public bool Late { get; init; }

    public required DateTimeOffset SubmittedAt { get; init; }

    public LeaveStatus Status { get; init; } = LeaveStatus.Pending;

    /// <summary>Who approved, rejected or withdrew it, when, and the comment.</summary>
    public string? DecidedById { get; init; }

    public string? DecidedByName { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    public string? Comment { get; init; }

    /// <summary>How many times it changed since it was submitted (0 = as submitted): numbers its history lines.</summary>
    public int Revision { get; init; }

    /// <summary>The stored row's ETag (null before it is stored).</summary>
    public string? ETag { get; init; }

    public TimeZoneInfo Zone => Core.TimeZones.Find(TimeZone);

    /// <summary>Does the leave cover any of [<paramref name="start"/>, <paramref name="end"/>)?</summary>
    public bool Overlaps(DateTimeOffset start, DateTimeOffset end) => FromUtc < end && start < ToUtc;
}

/// <summary>One line of a request's history: submitted, approved, rejected, withdrawn — who, when, what they wrote.</summary>
public sealed record LeaveHistoryEntry(string RequestId, DateTimeOffset At, string Action, string ActorId, string ActorName, string? Comment);

/// <summary>A card showing a request that was sent somewhere (the approver's chat): updated in place when the request changes.</summary>
public sealed record LeaveCardPost(string RequestId, string ConversationId, string ActivityId, string Locale, string UserId, DateTimeOffset PostedAt);
