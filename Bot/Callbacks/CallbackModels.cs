namespace ChatRegs.Bot.Callbacks;

/// <summary>Where a callback task stands.</summary>
public enum CallbackStatus
{
    /// <summary>To be called (also after 无人接听 / 非本人 with attempts left, and after 不方便 with a booked time).</summary>
    Open,

    /// <summary>The call was finished and recorded (回访记录表).</summary>
    Finished,

    /// <summary>Every attempt went unanswered or reached someone else; the supervisor is told.</summary>
    Unreachable,
}

/// <summary>How one call attempt ended.</summary>
public enum CallOutcome
{
    /// <summary>The whole script was read and the answers recorded.</summary>
    Finished,

    /// <summary>无人接听: retried later.</summary>
    NoAnswer,

    /// <summary>非本人: retried later.</summary>
    WrongPerson,

    /// <summary>不方便，约时间: the customer's time was booked; the rep is reminded then.</summary>
    Booked,
}

/// <summary>
/// 回访方式 (客服工作职责(6): 电话沟通、电邮沟通、信息业务): how a callback was made. For 电邮 and
/// 信息 the rep sends the script as text and records the customer's reply as for a call.
/// </summary>
public enum CallMethod
{
    /// <summary>电话: the default.</summary>
    Phone,

    /// <summary>电邮.</summary>
    Email,

    /// <summary>信息 (a text message).</summary>
    Message,
}

/// <summary>The customer's answer to 请问您对××服务项目满意吗?</summary>
public enum Satisfaction
{
    None,
    Satisfied,
    Average,
    Dissatisfied,
}

/// <summary>
/// One service record to call back (one row of an import): the customer, the service, and the
/// task's state. Its id comes from the customer's phone, the service item and the service
/// date, so importing the same record again finds it instead of adding a second one.
/// </summary>
public sealed record CallbackTask
{
    public required string TenantId { get; init; }

    public required string Id { get; init; }

    public required string CustomerName { get; init; }

    /// <summary>"mr" (先生), "ms" (女士) or "miss" (小姐).</summary>
    public required string Title { get; init; }

    public required string Phone { get; init; }

    public bool IsMember { get; init; }

    public required string ServiceItem { get; init; }

    /// <summary>What the active script is chosen by: the imported service type, else the service item.</summary>
    public required string ServiceType { get; init; }

    public DateOnly ServiceDate { get; init; }

    /// <summary>The last day the callback counts as within the window (service date + window days).</summary>
    public DateOnly DueDate { get; init; }

    /// <summary>IANA id of the customer's time zone (quiet hours are theirs).</summary>
    public required string CustomerTimeZone { get; init; }

    public string? RepId { get; init; }

    public string? RepName { get; init; }

    /// <summary>"auto" (balanced on import or by the daily run), "import" (named in the file) or the supervisor's user id.</summary>
    public string? AssignedBy { get; init; }

    public DateTimeOffset? AssignedUtc { get; init; }

    public CallbackStatus Status { get; init; } = CallbackStatus.Open;

    /// <summary>Attempts that did not reach the customer (无人接听, 非本人).</summary>
    public int FailedAttempts { get; init; }

    /// <summary>Call records written for this task (every attempt, booking and the finished call).</summary>
    public int Calls { get; init; }

    /// <summary>After a failed attempt: the earliest time to try again.</summary>
    public DateTimeOffset? NextAttemptUtc { get; init; }

    /// <summary>After 不方便: the time the customer asked to be called.</summary>
    public DateTimeOffset? BookedUtc { get; init; }

    public CallOutcome? LastOutcome { get; init; }

    public DateTimeOffset? LastCallUtc { get; init; }

    public DateTimeOffset? FinishedUtc { get; init; }

    public Satisfaction Satisfaction { get; init; }

    public bool FollowUp { get; init; }

    /// <summary>The due-day reminder went to the rep on this (team) day.</summary>
    public DateOnly? RemindedOn { get; init; }

    /// <summary>When the task went to the supervisors (overdue, or unreachable).</summary>
    public DateTimeOffset? EscalatedUtc { get; init; }

    public DateTimeOffset ImportedUtc { get; init; }

    public string ImportedBy { get; init; } = "";

    public string? ETag { get; init; }

    public bool IsOpen => Status == CallbackStatus.Open;

    /// <summary>Overdue on <paramref name="today"/>: still open after its due day.</summary>
    public bool IsOverdue(DateOnly today) => IsOpen && DueDate < today;

    public bool IsDueToday(DateOnly today) => IsOpen && DueDate == today;
}

/// <summary>One step of a call as it was read and answered.</summary>
public sealed class StepAnswer
{
    public string StepId { get; set; } = "";

    /// <summary>"opening", "exchange" or "closing" (开始 / 交流 / 结束).</summary>
    public string Stage { get; set; } = "";

    /// <summary>The line as the rep read it, placeholders filled.</summary>
    public string Line { get; set; } = "";

    public string? AnswerId { get; set; }

    /// <summary>The button's text, in the language of the call.</summary>
    public string? AnswerLabel { get; set; }

    /// <summary>What the customer said, as the rep typed it.</summary>
    public string? Words { get; set; }
}

/// <summary>
/// One row of the 回访记录表: one per attempt and per finished call, with the customer, the rep,
/// the time, the script version read, each step's answer, the satisfaction, the customer's own
/// words and whether a follow-up is needed.
/// </summary>
public sealed record CallRecord
{
    public required string TenantId { get; init; }

    public required string TaskId { get; init; }

    /// <summary>1, 2, 3… per task.</summary>
    public required int Number { get; init; }

    public required DateTimeOffset StartedUtc { get; init; }

    public required DateTimeOffset EndedUtc { get; init; }

    public required string RepId { get; init; }

    public required string RepName { get; init; }

    public required string CustomerName { get; init; }

    public required string Title { get; init; }

    public required string Phone { get; init; }

    public bool IsMember { get; init; }

    public required string ServiceItem { get; init; }

    public DateOnly ServiceDate { get; init; }

    public DateOnly DueDate { get; init; }

    public required string ScriptId { get; init; }

    public int ScriptVersion { get; init; }

    /// <summary>"zh-CN" or "en": the language the lines were shown in.</summary>
    public string Language { get; init; } = "zh-CN";

    public CallOutcome Outcome { get; init; }

    /// <summary>回访方式: how the callback was made (电话 unless the rep chose 电邮 or 信息).</summary>
    public CallMethod Method { get; init; } = CallMethod.Phone;

    /// <summary>For 无人接听 / 非本人: which failed attempt this was.</summary>
    public int Attempt { get; init; }

    public Satisfaction Satisfaction { get; init; }

    public IReadOnlyList<StepAnswer> Steps { get; init; } = [];

    /// <summary>The customer's words at the question of the 一般/不满意 branch (能否告诉我您对哪方面不满意…).</summary>
    public string? ComplaintWords { get; init; }

    /// <summary>The customer's words at the question of the 满意 branch (您对我们的服务有什么推荐吗?).</summary>
    public string? SuggestionWords { get; init; }

    public bool FollowUp { get; init; }

    public string? FollowUpNote { get; init; }

    public bool ComplaintOffered { get; init; }

    public bool ComplaintAccepted { get; init; }

    /// <summary>The complaint registered from this call (IComplaintIntake), when there is one.</summary>
    public string? ComplaintId { get; init; }

    /// <summary>For 不方便: the time booked.</summary>
    public DateTimeOffset? BookedUtc { get; init; }

    /// <summary>Everything the customer said on this call, step by step.</summary>
    public string CustomerWords => string.Join(" / ", Steps.Select(s => s.Words).Where(w => !string.IsNullOrWhiteSpace(w)));
}

/// <summary>What a task's queue line needs to say about urgency.</summary>
public enum Urgency
{
    Overdue,
    DueToday,
    Later,
}
