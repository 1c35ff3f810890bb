using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.People;

namespace ChatRegs.Bot.Meetings;

/// <summary>Meetings (series, occurrences, check-in, roll, attendance)'s actions and who may do them (registered with AddPermissions in MeetingServices; rows in the authorization matrix test).</summary>
public static class MeetingPermissions
{
    public const string CreateMeeting = "meetings.create";
    public const string ManageMeeting = "meetings.manage";
    public const string CheckIn = "meetings.checkIn";
    public const string ViewRoll = "meetings.viewRoll";
    public const string CorrectRoll = "meetings.correctRoll";
    public const string AttendanceReport = "meetings.attendanceReport";

    public static readonly IReadOnlyList<PermissionRule> Rules =
    [
        new(CreateMeeting, [Roles.Office, Roles.Manager], [], "meetings.auth.create"),
        new(ManageMeeting, [Roles.Office, Roles.Manager], [MeetingRoles.Host, MeetingRoles.Recorder], "meetings.auth.manage"),
        new(CheckIn, [], [MeetingRoles.Participant], "meetings.auth.checkIn"),
        new(ViewRoll, [Roles.Office, Roles.Manager], [MeetingRoles.Host, MeetingRoles.Recorder], "meetings.auth.roll"),
        new(CorrectRoll, [Roles.Office], [MeetingRoles.Host, MeetingRoles.Recorder], "meetings.auth.correct"),
        new(AttendanceReport, [Roles.Office, Roles.Manager], [], "meetings.auth.report"),
    ];
}
