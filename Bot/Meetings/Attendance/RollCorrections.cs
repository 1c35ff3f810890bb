namespace ChatRegs.Bot.Meetings.Attendance;

/// <summary>What is wrong with a correction asked for: the form's field and the message's localization key (with its arguments).</summary>
public sealed record CorrectionProblem(string Field, string Key, params object[] Args);

/// <summary>
/// The outcome of <see cref="AttendanceService.CorrectAsync"/>: saved (<see cref="Problems"/>
/// empty; <see cref="Entry"/> the person's line before it, with the status and reason kept), or
/// the problems in the order of the form's fields (person, status, reason), nothing saved.
/// </summary>
public sealed record CorrectionOutcome(IReadOnlyList<CorrectionProblem> Problems, RollEntry? Entry, AttendanceStatus Status, string Reason)
{
    public bool Saved => Problems.Count == 0;
}

/// <summary>
/// The rules of a roll correction (更正), one place for the roll card's form in chat
/// (<see cref="CorrectRollAction"/>) and the meeting panel's (Tabs): someone in the roll, one of
/// <see cref="AttendanceService.Corrections"/> by its name (not a number), and a reason of 1 to
/// <see cref="MaxReason"/> characters once trimmed. Who may correct is the callers' permission check
/// (<see cref="MeetingPermissions.CorrectRoll"/>).
/// </summary>
public static class RollCorrections
{
    /// <summary>Longest correction reason (the card's input says so too: Cards/AttendanceRoll.json).</summary>
    public const int MaxReason = 200;

    /// <summary>Checks a correction of <paramref name="roll"/> as typed; answers the problems (none: it may be saved) and what it names.</summary>
    public static (IReadOnlyList<CorrectionProblem> Problems, RollEntry? Entry, AttendanceStatus Status, string Reason) Check(Roll? roll, string? userId, string? statusText, string? reason)
    {
        var problems = new List<CorrectionProblem>();
        var person = userId?.Trim() ?? "";
        var entry = person.Length == 0 ? null : roll?.Entries.FirstOrDefault(e => e.UserId == person);
        if (entry == null)
        {
            problems.Add(new("person", "meetings.errors.notInRoll"));
        }
        var text = statusText?.Trim() ?? "";
        if (text.Length == 0 || int.TryParse(text, out _) || !Enum.TryParse<AttendanceStatus>(text, out var status) || !Enum.IsDefined(status) || !AttendanceService.Corrections.Contains(status))
        {
            problems.Add(new("status", "meetings.errors.badStatus"));
            status = default;
        }
        var why = reason?.Trim() ?? "";
        if (why.Length == 0)
        {
            problems.Add(new("reason", "meetings.errors.reasonRequired"));
        }
        else if (why.Length > MaxReason)
        {
            problems.Add(new("reason", "meetings.errors.tooLong", MaxReason));
        }
        return (problems, entry, status, why);
    }
}
