using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Authorization;

/// <summary>
/// The one place that decides "may this person do this?". Features call it with an action
/// (a constant from <see cref="Actions"/>) and, where it matters, the resource acted on; the
/// identity always comes from the turn's activity (tenant + sender), never from card data.
/// </summary>
public interface IAuthorizationService
{
    Task<AuthorizationDecision> AuthorizeAsync(ITurnContext turnContext, string action, AuthorizationResource? resource = null, CancellationToken cancellationToken = default);
}

/// <summary>What an action is applied to: e.g. a meeting series with its host and recorder, a rep's queue.</summary>
public sealed record AuthorizationResource(string Kind, string Id)
{
    /// <summary>People with a per-resource role on it (host, recorder, approver, owner…): role → user ids.</summary>
    public IReadOnlyDictionary<string, IReadOnlyCollection<string>> PeopleByRole { get; init; } =
        new Dictionary<string, IReadOnlyCollection<string>>();
}

/// <summary>Allowed, or refused with a localized reason (a key in the strings tables).</summary>
public sealed record AuthorizationDecision(bool Allowed, string? ReasonKey = null)
{
    public static AuthorizationDecision Allow { get; } = new(true);

    public static AuthorizationDecision Deny(string reasonKey) => new(false, reasonKey);
}

/// <summary>Every action the bot authorizes. Features add theirs here, and a row to the authorization matrix test.</summary>
public static class Actions
{
    public const string ManageRoles = "roles.manage";
    public const string ViewRoleLog = "roles.viewLog";
    public const string ViewJobs = "jobs.view";

    /// <summary>Run a parked job again from the 任务状态 card.</summary>
    public const string RequeueJob = "jobs.requeue";
    public const string ViewWeeklyDigest = "weeklyReports.viewDigest";
    public const string ManageWeeklyReports = "weeklyReports.manage";
    public const string CreateMeeting = "meetings.create";
    public const string ManageMeeting = "meetings.manage";
    public const string CheckIn = "meetings.checkIn";
    public const string ViewRoll = "meetings.viewRoll";
    public const string CorrectRoll = "meetings.correctRoll";
    public const string AttendanceReport = "meetings.attendanceReport";
    public const string SubmitTopic = "agenda.submitTopic";
    public const string ViewAgenda = "agenda.view";
    public const string ManageAgenda = "agenda.manage";
    public const string EditMinutes = "minutes.edit";
    public const string ViewMinutes = "minutes.view";
    public const string UpdateActionItem = "actions.update";
    public const string FollowUpActions = "actions.followUp";
    public const string CallbackImport = "callbacks.import";
    public const string CallbackManage = "callbacks.manage";
    public const string CallbackScripts = "callbacks.scripts";
    public const string CallbackReport = "callbacks.report";
    public const string CallbackQueue = "callbacks.queue";
    public const string CallbackCall = "callbacks.call";
    public const string ComplaintRegister = "complaints.register";
    public const string ComplaintView = "complaints.view";
    public const string ComplaintAdvance = "complaints.advance";
    public const string ComplaintApprove = "complaints.approve";
    public const string ComplaintWithdraw = "complaints.withdraw";
    public const string ComplaintStats = "complaints.stats";
    public const string DecideLeave = "leave.decide";
    public const string WithdrawLeave = "leave.withdraw";
    public const string ViewLeaveRecords = "leave.viewRecords";
}
