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
