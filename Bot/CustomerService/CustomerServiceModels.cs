namespace ChatRegs.Bot.CustomerService;

/// <summary>
/// The supervisor's sorting of customer files (资料整理: 分析分类). The categories are 第二条服务对象
/// word for word: 已有的客户 (existing), 正在成为的客户 (becoming), 潜在的目标客户 (potential).
/// </summary>
public static class CustomerSorting
{
    public static readonly string[] Categories = ["existing", "becoming", "potential"];

    /// <summary>兼顾业务潜力: 高 / 中 / 低.</summary>
    public static readonly string[] Priorities = ["high", "normal", "low"];
}

/// <summary>
/// One customer's file (客户档案): one per customer per tenant, keyed by the customer's phone as
/// the callback import has it, normalized (digits only, without China's country code:
/// <c>CallbackStore.NormalizePhone</c>). Made from the imported service records (the day's
/// served customers); the supervisor sorts it and names the rep who owns it; the first contact
/// is due within a week of the first service (客服工作职责(6) 一.3: 应在一周内与客户进行沟通).
/// </summary>
public sealed record CustomerFile
{
    public required string TenantId { get; init; }

    /// <summary>The normalized phone.</summary>
    public required string Key { get; init; }

    public string Name { get; init; } = "";

    /// <summary>"mr", "ms" or "miss" as imported.</summary>
    public string Title { get; init; } = "ms";

    /// <summary>The phone as last imported.</summary>
    public string Phone { get; init; } = "";

    public bool IsMember { get; init; }

    public DateOnly FirstServiceDate { get; init; }

    /// <summary>The first contact is due by this day (first service + FirstContactDays).</summary>
    public DateOnly DueDate { get; init; }

    public string? OwnerId { get; init; }

    public string? OwnerName { get; init; }

    /// <summary>One of <see cref="CustomerSorting.Categories"/>, or "" until sorted.</summary>
    public string Category { get; init; } = "";

    /// <summary>One of <see cref="CustomerSorting.Priorities"/>, or "" until sorted.</summary>
    public string Priority { get; init; } = "";

    public string? SortedById { get; init; }

    public string? SortedByName { get; init; }

    public DateTimeOffset? SortedUtc { get; init; }

    /// <summary>The first contact: a finished callback, or a note recorded as a contact.</summary>
    public DateTimeOffset? ContactedUtc { get; init; }

    public string? ContactedByName { get; init; }

    /// <summary>The rep was last reminded of the first contact on this (team) day.</summary>
    public DateOnly? RemindedOn { get; init; }

    public DateTimeOffset CreatedUtc { get; init; }

    public string? ETag { get; init; }

    public bool IsSorted => Category.Length > 0;

    public bool IsContacted => ContactedUtc != null;

    /// <summary>Not contacted yet and due by <paramref name="today"/> (today or overdue).</summary>
    public bool IsDue(DateOnly today) => !IsContacted && DueDate <= today;
}

/// <summary>A note kept on a customer's file (详细备案), by a rep or a supervisor.</summary>
public sealed record CustomerNote
{
    public required string Key { get; init; }

    public DateTimeOffset AtUtc { get; init; }

    public required string AuthorId { get; init; }

    public string AuthorName { get; init; } = "";

    public string Text { get; init; } = "";

    /// <summary>The note records a contact with the customer (counts as the first contact).</summary>
    public bool Contact { get; init; }
}

/// <summary>
/// A rep's 工作日志 of one day (客服工作职责(1) 第六条(6): 把客户反馈的不一样状况以工作日志的形式进行详细的登记，
/// 特殊客户状况需向部门组长汇报): what the bot knew of the day (calls, complaint steps) and what the rep wrote.
/// One per rep per day, editable that day.
/// </summary>
public sealed record WorkLog
{
    public required string TenantId { get; init; }

    public required string UserId { get; init; }

    public string UserName { get; init; } = "";

    public DateOnly Date { get; init; }

    /// <summary>The day's calls and complaint steps as the card showed them when saved.</summary>
    public IReadOnlyList<string> Facts { get; init; } = [];

    /// <summary>The rep's fields by id (<see cref="RepReportKinds"/>).</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

    public DateTimeOffset FirstSavedUtc { get; init; }

    public DateTimeOffset SavedUtc { get; init; }

    public string? ETag { get; init; }
}

/// <summary>A rep's monthly report (月报) or monthly work summary (每月工作总结).</summary>
public sealed record MonthlyPaper
{
    public required string TenantId { get; init; }

    public required string UserId { get; init; }

    public string UserName { get; init; } = "";

    /// <summary>"yyyy-MM".</summary>
    public required string Month { get; init; }

    /// <summary><see cref="RepReportKinds.Report"/> or <see cref="RepReportKinds.Summary"/>.</summary>
    public required string Kind { get; init; }

    public IReadOnlyList<string> Facts { get; init; } = [];

    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

    public DateTimeOffset FirstSavedUtc { get; init; }

    public DateTimeOffset SavedUtc { get; init; }

    /// <summary>First handed in after the deadline.</summary>
    public bool Late { get; init; }

    public string? ETag { get; init; }
}

/// <summary>The reps' own papers and their fields.</summary>
public static class RepReportKinds
{
    public const string Log = "log";
    public const string Report = "report";
    public const string Summary = "summary";

    /// <summary>工作日志: 客户反馈 (the customers' different situations), 特殊客户状况 (to report to the group leader), 其他工作.</summary>
    public static readonly string[] LogFields = ["feedback", "special", "other"];

    /// <summary>月报: 反馈信息的统计、分析 (第五条(4)), 需要汇报的事项.</summary>
    public static readonly string[] ReportFields = ["analysis", "matters"];

    /// <summary>每月工作总结: 本月工作总结, 下月工作计划.</summary>
    public static readonly string[] SummaryFields = ["summary", "plan"];

    public static string[] FieldsOf(string kind) => kind switch
    {
        Log => LogFields,
        Report => ReportFields,
        Summary => SummaryFields,
        _ => [],
    };

    /// <summary>The first field of each paper must be written; the others may stay empty.</summary>
    public static string RequiredOf(string kind) => FieldsOf(kind)[0];
}
