namespace ChatRegs.Bot.WeeklyReports;

/// <summary>
/// Bound from "ChatRegs:WeeklyReports": the defaults every team starts with. The office changes
/// a team's own deadline, reminder and digest recipients in chat (<c>周报 设置</c> / <c>report
/// settings</c>); these values apply to teams it has not changed.
/// </summary>
public sealed class WeeklyReportOptions
{
    public const string Section = "ChatRegs:WeeklyReports";

    /// <summary>The weekday reports are due (例会制度(二) 五(二): 每周五下午).</summary>
    public DayOfWeek DeadlineDay { get; set; } = DayOfWeek.Friday;

    /// <summary>The local time reports are due on that day.</summary>
    public TimeOnly DeadlineTime { get; set; } = new(17, 0);

    /// <summary>The local time of the first reminder, on the deadline's day (the second one goes at the deadline).</summary>
    public TimeOnly ReminderTime { get; set; } = new(14, 0);

    /// <summary>The teams' time zone (IANA). Empty = ChatRegs:TimeZone, else Asia/Shanghai.</summary>
    public string TimeZone { get; set; } = "";

    /// <summary>When each tenant's weekly planning job runs (it schedules that week's reminders and digests): Monday 00:05 local.</summary>
    public TimeOnly PlanTime { get; set; } = new(0, 5);

    /// <summary>Shortest 本周工作总结 / 下周工作计划 accepted (characters, after trimming).</summary>
    public int MinTextLength { get; set; } = 6;

    /// <summary>Longest 本周工作总结 / 下周工作计划.</summary>
    public int MaxTextLength { get; set; } = 2000;

    /// <summary>Longest optional field (重点/难点/热点问题, 需协调事项).</summary>
    public int MaxOptionalLength { get; set; } = 1000;

    /// <summary>
    /// The size a digest page aims at (UTF-8 bytes of the card JSON). Pages are then measured,
    /// and any page over <see cref="WeeklyDigestCards.MaxCardBytes"/> is split again.
    /// </summary>
    public int DigestPageBytes { get; set; } = 56 * 1024;

    /// <summary>Reminders and digests sent side by side (the proactive sender paces them under Teams' limits).</summary>
    public int SendConcurrency { get; set; } = 8;
}
