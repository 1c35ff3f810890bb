namespace ChatRegs.Bot.Leave;

/// <summary>Bound from "ChatRegs:Leave".</summary>
public sealed class LeaveOptions
{
    public const string Section = "ChatRegs:Leave";

    /// <summary>
    /// The shortest reason accepted (书面请假务必说明原因), counted in letters and digits: spaces
    /// and punctuation do not count, so "有事。。。。。。" is not a reason.
    /// </summary>
    public int MinReasonLength { get; set; } = 10;

    /// <summary>The longest reason.</summary>
    public int MaxReasonLength { get; set; } = 1000;

    /// <summary>Shortest 本周工作总结 / 下周工作计划 handed in with leave from a weekly meeting (letters and digits).</summary>
    public int MinWorkTextLength { get; set; } = 10;

    /// <summary>Longest 本周工作总结 / 下周工作计划.</summary>
    public int MaxWorkTextLength { get; set; } = 2000;

    /// <summary>Longest approver's comment.</summary>
    public int MaxCommentLength { get; set; } = 500;

    /// <summary>The longest span of days one request may cover (longer leave is asked for in parts). At most 366.</summary>
    public int MaxSpanDays { get; set; } = 90;

    /// <summary>
    /// How far back leave can still be asked for (事后补假): meetings that started within this many
    /// days are offered, and a span of days may start this many days ago. 0 (the default): the
    /// regulation's 事先请假 — leave for a meeting is asked before it starts. The office allows late
    /// leave by setting a number of days; a late request is marked 事后补假 wherever it shows.
    /// </summary>
    public int LateWindowDays { get; set; }

    /// <summary>At most this many meetings are offered in the first step of <c>请假</c> (the nearest ones).</summary>
    public int MaxMeetingsOffered { get; set; } = 15;

    /// <summary>At most this many requests on the <c>我的请假</c> and <c>请假记录</c> cards (the CSV export has them all).</summary>
    public int MaxListed { get; set; } = 25;
}
