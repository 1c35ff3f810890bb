namespace ChatRegs.Bot.WeeklyReports;

/// <summary>
/// One person's weekly report (周报) for one ISO week, as handed in to their team (department):
/// this week's summary and next week's plan (例会制度(一) 4.1, (二) 五(二)), the key, difficult
/// and hot issues (4.1.3) and the items that need another department. Improvement suggestions
/// (合理化建议, 5.7) are filed in the Suggestions store under the same week and counted there.
/// </summary>
public sealed record WeeklyReport
{
    public required string TenantId { get; init; }

    /// <summary>The department the report was handed in to (its display name).</summary>
    public required string Team { get; init; }

    /// <summary>"2026-W48".</summary>
    public required string Week { get; init; }

    public required string UserId { get; init; }

    public string UserName { get; init; } = "";

    /// <summary>本周工作总结.</summary>
    public required string Summary { get; init; }

    /// <summary>下周工作计划.</summary>
    public required string Plan { get; init; }

    /// <summary>重点/难点/热点问题 (optional).</summary>
    public string? Issues { get; init; }

    /// <summary>需协调事项 (optional): one item per line.</summary>
    public string? Coordination { get; init; }

    /// <summary>
    /// 上周计划完成情况 (例会制度(四) 第三条): last week's plan items — carried over from the previous
    /// report's plan, one item per line — each marked 已完成 / 未完成 / 进行中 on the form. Empty for a
    /// report whose previous week had no plan, and for reports handed in before this existed.
    /// </summary>
    public IReadOnlyList<PlanItem> PlanReview { get; init; } = [];

    /// <summary>When it was first handed in.</summary>
    public required DateTimeOffset SubmittedUtc { get; init; }

    /// <summary>When it was last changed (= <see cref="SubmittedUtc"/> until edited).</summary>
    public required DateTimeOffset UpdatedUtc { get; init; }

    /// <summary>The deadline in force when it was first handed in.</summary>
    public required DateTimeOffset DeadlineUtc { get; init; }

    /// <summary>First handed in after the deadline (kept, and marked 逾期).</summary>
    public bool Late { get; init; }

    /// <summary>How many times it was saved (1 = never edited).</summary>
    public int Revisions { get; init; } = 1;

    /// <summary>The row's ETag (null for a report not stored yet).</summary>
    public string? ETag { get; init; }

    /// <summary>The coordination items, one per non-empty line.</summary>
    public IReadOnlyList<string> CoordinationItems => SplitItems(Coordination);

    public static IReadOnlyList<string> SplitItems(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.TrimStart('-', '*', '•', '·', ' ').Trim())
            .Where(line => line.Length > 0)
            .ToList();
}

/// <summary>One item of last week's plan and how it went: one of <see cref="PlanStatus"/>.</summary>
public sealed record PlanItem(string Text, string Status);

/// <summary>The three states of a plan item (例会制度(四) 第三条: 完成、未完成、进行中), as stored values.</summary>
public static class PlanStatus
{
    public const string Done = "done";
    public const string NotDone = "notDone";
    public const string InProgress = "inProgress";

    public static readonly IReadOnlyList<string> All = [Done, NotDone, InProgress];

    public static bool IsValid(string? value) => value != null && All.Contains(value, StringComparer.Ordinal);

    /// <summary>At most this many items are carried over (the rest of a longer plan stays in its text).</summary>
    public const int MaxItems = 20;

    /// <summary>An item's text is cut to this many characters.</summary>
    public const int MaxItemLength = 300;

    /// <summary>The items of a plan as they are carried over to the next week's report.</summary>
    public static IReadOnlyList<string> ItemsOf(string? plan) =>
        WeeklyReport.SplitItems(plan).Take(MaxItems).Select(i => i.Length > MaxItemLength ? i[..MaxItemLength] : i).ToList();
}
