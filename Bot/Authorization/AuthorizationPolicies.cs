using ChatRegs.Bot.People;

namespace ChatRegs.Bot.Authorization;

/// <summary>
/// Who may do what. An action is allowed to anyone holding one of <see cref="Roles"/>, or to
/// anyone named on the resource under one of <see cref="ResourceRoles"/> (a series' host, a
/// request's approver…), or to everyone. Features add their actions here and a row to the
/// matrix test (tests/ChatRegs.Tests/People/AuthorizationMatrixTests.cs).
/// </summary>
public sealed record AuthorizationPolicy(string[] Roles, string[] ResourceRoles, string DenyReasonKey, bool Everyone = false);

public static class AuthorizationPolicies
{
    public static readonly IReadOnlyDictionary<string, AuthorizationPolicy> All = new Dictionary<string, AuthorizationPolicy>
    {
        [Actions.ManageRoles] = new([Roles.Office], [], "auth.officeOnly"),
        [Actions.ViewRoleLog] = new([Roles.Office], [], "auth.officeOnly"),
        [Actions.ViewJobs] = new([Roles.Office], [], "auth.officeOnly"),
        [Actions.RequeueJob] = new([Roles.Office], [], "auth.officeOnly"),
        [Actions.ViewWeeklyDigest] = new([Roles.Office], [WeeklyReports.DigestRecipients.Role], "weeklyReports.auth.digest"),
        [Actions.ManageWeeklyReports] = new([Roles.Office], [], "weeklyReports.auth.settings"),
        [Actions.CreateMeeting] = new([Roles.Office, Roles.Manager], [], "meetings.auth.create"),
        [Actions.ManageMeeting] = new([Roles.Office, Roles.Manager], [Meetings.MeetingRoles.Host, Meetings.MeetingRoles.Recorder], "meetings.auth.manage"),
        [Actions.CheckIn] = new([], [Meetings.MeetingRoles.Participant], "meetings.auth.checkIn"),
        [Actions.ViewRoll] = new([Roles.Office, Roles.Manager], [Meetings.MeetingRoles.Host, Meetings.MeetingRoles.Recorder], "meetings.auth.roll"),
        [Actions.CorrectRoll] = new([Roles.Office], [Meetings.MeetingRoles.Host, Meetings.MeetingRoles.Recorder], "meetings.auth.correct"),
        [Actions.AttendanceReport] = new([Roles.Office, Roles.Manager], [], "meetings.auth.report"),
        [Actions.SubmitTopic] = new([Roles.Office], [Meetings.MeetingRoles.Participant, Meetings.MeetingRoles.Host, Meetings.MeetingRoles.Recorder], "agenda.auth.submit"),
        [Actions.ViewAgenda] = new([Roles.Office, Roles.Manager], [Meetings.MeetingRoles.Participant, Meetings.MeetingRoles.Host, Meetings.MeetingRoles.Recorder], "agenda.auth.view"),
        [Actions.ManageAgenda] = new([Roles.Office], [Meetings.MeetingRoles.Host, Meetings.MeetingRoles.Recorder], "agenda.auth.manage"),
        [Actions.EditMinutes] = new([], [Meetings.MeetingRoles.Host, Meetings.MeetingRoles.Recorder], "minutes.auth.edit"),
        [Actions.ViewMinutes] = new([Roles.Office, Roles.Manager], [Meetings.MeetingRoles.Participant, Meetings.MeetingRoles.Host, Meetings.MeetingRoles.Recorder, Meetings.Minutes.MinutesRoles.Recipient], "minutes.auth.view"),
        [Actions.UpdateActionItem] = new([], [Meetings.Minutes.MinutesRoles.Owner, Meetings.MeetingRoles.Host], "minutes.auth.update"),
        [Actions.FollowUpActions] = new([Roles.Office], [Meetings.MeetingRoles.Host], "minutes.auth.followUp"),
        [Actions.CallbackImport] = new([Roles.CsSupervisor], [], "callbacks.auth.supervisor"),
        [Actions.CallbackManage] = new([Roles.CsSupervisor], [], "callbacks.auth.supervisor"),
        [Actions.CallbackScripts] = new([Roles.CsSupervisor], [], "callbacks.auth.supervisor"),
        [Actions.CallbackReport] = new([Roles.CsSupervisor], [], "callbacks.auth.report"),
        [Actions.CallbackQueue] = new([Roles.CsRep, Roles.CsSupervisor], [], "callbacks.auth.queue"),
        [Actions.CallbackCall] = new([], [Callbacks.CallbackRoles.AssignedRep], "callbacks.auth.call"),
        [Actions.ComplaintRegister] = new([], [], "complaints.auth.register", Everyone: true),
        [Actions.ComplaintView] = new([Roles.CsSupervisor, Roles.Manager, Roles.Office], [Complaints.ComplaintRoles.StepOwner, Complaints.ComplaintRoles.Participant], "complaints.auth.view"),
        [Actions.ComplaintAdvance] = new([Roles.CsSupervisor], [Complaints.ComplaintRoles.StepOwner], "complaints.auth.advance"),
        [Actions.ComplaintApprove] = new([Roles.Manager], [], "complaints.auth.approve"),
        [Actions.ComplaintWithdraw] = new([Roles.CsSupervisor], [], "complaints.auth.withdraw"),
        [Actions.ComplaintStats] = new([Roles.CsSupervisor, Roles.Manager, Roles.Office], [], "complaints.auth.stats"),
        [Actions.DecideLeave] = new([], [Leave.LeaveRoles.Approver], "leave.auth.approverOnly"),
        [Actions.WithdrawLeave] = new([], [Leave.LeaveRoles.Requester], "leave.auth.requesterOnly"),
        [Actions.ViewLeaveRecords] = new([Roles.Office], [], "leave.auth.officeOnly"),
    };
}
