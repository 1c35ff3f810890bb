namespace ChatRegs.Bot.Complaints;

/// <summary>
/// The steps of 投诉处理流程 (客服工作职责(7)): 投诉受理 → 投诉判定 → 展开调查 → 提出处理方案 →
/// (the manager's 批示) → 实施处理方案 → 总结评价; then closed. 作废 (withdrawn) is a status too:
/// nothing is ever deleted.
/// </summary>
public enum ComplaintStage
{
    /// <summary>投诉受理: the 顾客投诉登记表 is being completed (a complaint handed over from a callback).</summary>
    Intake,

    /// <summary>投诉判定: the supervisor decides whether it is founded.</summary>
    Judge,

    /// <summary>展开调查: the investigator records the cause and the responsible party.</summary>
    Investigate,

    /// <summary>提出处理方案: plans are proposed.</summary>
    Plan,

    /// <summary>主管领导批示: the manager picks the best plan.</summary>
    Approve,

    /// <summary>实施处理方案: the customer is told, confirms, and gives feedback.</summary>
    Implement,

    /// <summary>总结评价: the supervisor writes the summary.</summary>
    Summary,

    Closed,

    /// <summary>作废.</summary>
    Withdrawn,
}

public enum ComplaintVerdict
{
    Pending,
    Founded,
    Unfounded,
}

/// <summary>A penalty (处罚) decided under the company's rules: who, and what.</summary>
public sealed record ComplaintPenalty(string Who, string What);

/// <summary>
/// The customer's signature as a photo or scan sent to the bot (Teams sends the file with the
/// message): only the file's name, link and size, who sent it and when — not the file itself.
/// </summary>
public sealed record SignatureFile(string Name, string? Url, long Size, string ById, string ByName, DateTimeOffset AtUtc);

/// <summary>A proposed handling plan (处理方案).</summary>
public sealed record ComplaintPlan(int Number, string Text, string ById, string ByName, DateTimeOffset AtUtc);

/// <summary>How long a complaint stayed in a stage, and who owned it.</summary>
public sealed record StageSpan
{
    public ComplaintStage Stage { get; init; }

    public DateTimeOffset EnteredUtc { get; init; }

    public DateTimeOffset? LeftUtc { get; init; }

    public string? OwnerId { get; init; }
}

/// <summary>
/// One complaint: the 顾客投诉登记表 (complainant, contact, time, channel, what happened, what
/// they ask for, category) and every stage's record. The current step has an owner (a person,
/// or everyone holding a role) and a time limit.
/// </summary>
public sealed record Complaint
{
    public required string TenantId { get; init; }

    /// <summary>TS-20261126-001.</summary>
    public required string Number { get; init; }

    public string Complainant { get; init; } = "";

    /// <summary>"mr", "ms" or "miss" (先生 / 女士 / 小姐), for the follow-up call.</summary>
    public string Title { get; init; } = "ms";

    public string Contact { get; init; } = "";

    /// <summary>投诉时间.</summary>
    public DateTimeOffset ReceivedUtc { get; init; }

    /// <summary>phone, visit, callback, online, other.</summary>
    public string Channel { get; init; } = "";

    public string WhatHappened { get; init; } = "";

    public string Request { get; init; } = "";

    public string Category { get; init; } = "";

    /// <summary>The service the complaint is about (from a callback), when known.</summary>
    public string? ServiceItem { get; init; }

    /// <summary>受理人.</summary>
    public required string RegisteredById { get; init; }

    public string RegisteredByName { get; init; } = "";

    public DateTimeOffset RegisteredUtc { get; init; }

    public string? FromCallbackTaskId { get; init; }

    public int? FromCallbackRecord { get; init; }

    public ComplaintStage Stage { get; init; }

    /// <summary>The person who owns the current step, or null when a role owns it.</summary>
    public string? OwnerId { get; init; }

    public string? OwnerName { get; init; }

    /// <summary>The role that owns the current step (csSupervisor, manager) when no person does.</summary>
    public string? OwnerRole { get; init; }

    public DateTimeOffset StageEnteredUtc { get; init; }

    public DateTimeOffset? StageDueUtc { get; init; }

    public ComplaintVerdict Verdict { get; init; }

    /// <summary>投诉判定: 理由是否充分 (are the customer's reasons sufficient?).</summary>
    public bool? ReasonsSufficient { get; init; }

    /// <summary>投诉判定: 要求是否合理 (is what the customer asks for reasonable?).</summary>
    public bool? RequestReasonable { get; init; }

    /// <summary>The tactful answer to the customer when the complaint is not founded.</summary>
    public string? UnfoundedReply { get; init; }

    /// <summary>Founded: the customer was asked for time to investigate (请顾客给予时间).</summary>
    public bool AskedForTime { get; init; }

    /// <summary>Founded: the reply-by time the customer accepted.</summary>
    public DateTimeOffset? ReplyByUtc { get; init; }

    /// <summary>展开调查: "repair" (修理质量问题, to the responsible person or department head) or "service" (服务问题, to a rep or the supervisor).</summary>
    public string? ProblemType { get; init; }

    /// <summary>Who the investigation handed the complaint to (owns 提出处理方案 and gets it back when plans are returned).</summary>
    public string? HandlerId { get; init; }

    public string? HandlerName { get; init; }

    public string? Department { get; init; }

    public string? InvestigatorId { get; init; }

    public string? InvestigatorName { get; init; }

    public string? Cause { get; init; }

    public string? ResponsibleParty { get; init; }

    public IReadOnlyList<ComplaintPlan> Plans { get; init; } = [];

    public int? ApprovedPlan { get; init; }

    public string? ApprovedById { get; init; }

    public string? ApprovedByName { get; init; }

    public string? ApprovalComment { get; init; }

    public bool? CustomerConfirmed { get; init; }

    public string? CustomerFeedback { get; init; }

    /// <summary>实施处理方案: the penalty for the person directly responsible (直接职责者).</summary>
    public ComplaintPenalty? PenaltyResponsible { get; init; }

    /// <summary>实施处理方案: the penalty for the department head (部门主管).</summary>
    public ComplaintPenalty? PenaltyHead { get; init; }

    /// <summary>How the customer's signature was obtained: "paper" (kept by <see cref="SignatureKeeper"/>) or "upload" (<see cref="SignatureFile"/>).</summary>
    public string? SignatureMethod { get; init; }

    /// <summary>Who keeps the signed paper.</summary>
    public string? SignatureKeeper { get; init; }

    /// <summary>The photo or scan of the signature sent with "投诉 签字 TS-…".</summary>
    public SignatureFile? SignatureFile { get; init; }

    public string? Summary { get; init; }

    public string? Improvement { get; init; }

    public string? WithdrawReason { get; init; }

    public DateTimeOffset? ClosedUtc { get; init; }

    /// <summary>The follow-up callback task (处理后有回访) scheduled when it closed.</summary>
    public string? FollowUpTaskId { get; init; }

    public IReadOnlyList<StageSpan> Spans { get; init; } = [];

    /// <summary>Events written so far (the next one is number Events + 1).</summary>
    public int Events { get; init; }

    public string? ETag { get; init; }

    public bool IsOpen => Stage is not (ComplaintStage.Closed or ComplaintStage.Withdrawn);
}

/// <summary>One change of a complaint: who, when, what. Never updated or deleted.</summary>
public sealed record ComplaintEvent
{
    public required string Number { get; init; }

    public int Seq { get; init; }

    public DateTimeOffset AtUtc { get; init; }

    public required string ActorId { get; init; }

    public string ActorName { get; init; } = "";

    /// <summary>The stage the complaint was in when this happened.</summary>
    public ComplaintStage Stage { get; init; }

    /// <summary>registered, completed, founded, unfounded, investigated, signatureUploaded, planAdded, plansSubmitted, approved, returned, implemented, notAccepted, closed, withdrawn, reminded, escalated.</summary>
    public required string Action { get; init; }

    /// <summary>What was written, in the words typed.</summary>
    public string Details { get; init; } = "";
}
