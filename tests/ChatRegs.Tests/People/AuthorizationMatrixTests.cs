using System.Reflection;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.People;

namespace ChatRegs.Tests.People;

/// <summary>
/// Every action the bot authorizes, with who may and who may not. Features add rows here
/// when they add an action; the last test fails if an action has no policy or no rows.
/// </summary>
public sealed class AuthorizationMatrixTests
{
    private static Person Someone(string userId, params string[] roles) =>
        new() { TenantId = "t", UserId = userId, Name = userId, Roles = roles.ToHashSet() };

    // action, the actor's roles ("" = plain employee), resource roles the actor holds ("" = none), allowed?
    public static readonly TheoryData<string, string, string, bool> Matrix = new()
    {
        { Actions.ManageRoles, "office", "", true },
        { Actions.ManageRoles, "manager", "", false },
        { Actions.ManageRoles, "csSupervisor", "", false },
        { Actions.ManageRoles, "csRep", "", false },
        { Actions.ManageRoles, "", "", false },
        { Actions.ViewRoleLog, "office", "", true },
        { Actions.ViewRoleLog, "manager", "", false },
        { Actions.ViewRoleLog, "", "", false },
        { Actions.ViewJobs, "office", "", true },
        { Actions.ViewJobs, "manager,csSupervisor", "", false },
        { Actions.ViewJobs, "", "", false },
        { Actions.RequeueJob, "office", "", true },
        { Actions.RequeueJob, "manager,csSupervisor,csRep", "", false },
        { Actions.RequeueJob, "", "", false },
        { Actions.ViewWeeklyDigest, "office", "", true },
        { Actions.ViewWeeklyDigest, "", "digestRecipient", true },
        { Actions.ViewWeeklyDigest, "manager", "", false },
        { Actions.ViewWeeklyDigest, "", "", false },
        { Actions.ManageWeeklyReports, "office", "", true },
        { Actions.ManageWeeklyReports, "manager", "digestRecipient", false },
        { Actions.ManageWeeklyReports, "", "", false },
        { Actions.CreateMeeting, "office", "", true },
        { Actions.CreateMeeting, "manager", "", true },
        { Actions.CreateMeeting, "csSupervisor,csRep", "", false },
        { Actions.CreateMeeting, "", "host", false },
        { Actions.CreateMeeting, "", "", false },
        { Actions.ManageMeeting, "office", "", true },
        { Actions.ManageMeeting, "manager", "", true },
        { Actions.ManageMeeting, "", "host", true },
        { Actions.ManageMeeting, "", "recorder", true },
        { Actions.ManageMeeting, "", "participant", false },
        { Actions.ManageMeeting, "csSupervisor", "", false },
        { Actions.CheckIn, "", "participant", true },
        { Actions.CheckIn, "office", "", false },
        { Actions.CheckIn, "", "", false },
        { Actions.ViewRoll, "", "host", true },
        { Actions.ViewRoll, "", "recorder", true },
        { Actions.ViewRoll, "office", "", true },
        { Actions.ViewRoll, "", "participant", false },
        { Actions.CorrectRoll, "", "host", true },
        { Actions.CorrectRoll, "", "recorder", true },
        { Actions.CorrectRoll, "office", "", true },
        { Actions.CorrectRoll, "manager", "", false },
        { Actions.CorrectRoll, "", "participant", false },
        { Actions.AttendanceReport, "office", "", true },
        { Actions.AttendanceReport, "manager", "", true },
        { Actions.AttendanceReport, "", "host", false },
        { Actions.AttendanceReport, "", "", false },
        { Actions.DecideLeave, "", "approver", true },
        { Actions.DecideLeave, "", "requester", false },
        { Actions.DecideLeave, "office", "", false },
        { Actions.DecideLeave, "manager", "", false },
        { Actions.DecideLeave, "", "host", false },
        { Actions.DecideLeave, "", "", false },
        { Actions.WithdrawLeave, "", "requester", true },
        { Actions.WithdrawLeave, "", "approver", false },
        { Actions.WithdrawLeave, "office", "", false },
        { Actions.ViewLeaveRecords, "office", "", true },
        { Actions.ViewLeaveRecords, "manager", "", false },
        { Actions.ViewLeaveRecords, "", "approver", false },
        { Actions.ViewLeaveRecords, "", "", false },
        { Actions.SubmitTopic, "", "participant", true },
        { Actions.SubmitTopic, "", "host", true },
        { Actions.SubmitTopic, "", "recorder", true },
        { Actions.SubmitTopic, "office", "", true },
        { Actions.SubmitTopic, "manager", "", false },
        { Actions.SubmitTopic, "", "", false },
        { Actions.ViewAgenda, "", "participant", true },
        { Actions.ViewAgenda, "", "host", true },
        { Actions.ViewAgenda, "office", "", true },
        { Actions.ViewAgenda, "manager", "", true },
        { Actions.ViewAgenda, "csRep", "", false },
        { Actions.ViewAgenda, "", "", false },
        { Actions.ManageAgenda, "", "host", true },
        { Actions.ManageAgenda, "", "recorder", true },
        { Actions.ManageAgenda, "office", "", true },
        { Actions.ManageAgenda, "manager", "", false },
        { Actions.ManageAgenda, "", "participant", false },
        { Actions.ManageAgenda, "", "", false },
        { Actions.EditMinutes, "", "recorder", true },
        { Actions.EditMinutes, "", "host", true },
        { Actions.EditMinutes, "", "participant", false },
        { Actions.EditMinutes, "", "minutesRecipient", false },
        { Actions.EditMinutes, "office", "", false },
        { Actions.EditMinutes, "manager", "", false },
        { Actions.EditMinutes, "", "", false },
        { Actions.ViewMinutes, "", "participant", true },
        { Actions.ViewMinutes, "", "host", true },
        { Actions.ViewMinutes, "", "recorder", true },
        { Actions.ViewMinutes, "", "minutesRecipient", true },
        { Actions.ViewMinutes, "office", "", true },
        { Actions.ViewMinutes, "manager", "", true },
        { Actions.ViewMinutes, "csRep", "", false },
        { Actions.ViewMinutes, "", "", false },
        { Actions.UpdateActionItem, "", "actionOwner", true },
        { Actions.UpdateActionItem, "", "host", true },
        { Actions.UpdateActionItem, "", "recorder", false },
        { Actions.UpdateActionItem, "office", "", false },
        { Actions.UpdateActionItem, "", "participant", false },
        { Actions.UpdateActionItem, "", "", false },
        { Actions.FollowUpActions, "", "host", true },
        { Actions.FollowUpActions, "office", "", true },
        { Actions.FollowUpActions, "manager", "", false },
        { Actions.FollowUpActions, "", "participant", false },
        { Actions.FollowUpActions, "", "actionOwner", false },
        { Actions.FollowUpActions, "", "", false },
        { Actions.CallbackImport, "csSupervisor", "", true },
        { Actions.CallbackImport, "csRep", "", false },
        { Actions.CallbackImport, "office", "", false },
        { Actions.CallbackImport, "", "", false },
        { Actions.CallbackManage, "csSupervisor", "", true },
        { Actions.CallbackManage, "csRep", "", false },
        { Actions.CallbackManage, "", "callbackRep", false },
        { Actions.CallbackScripts, "csSupervisor", "", true },
        { Actions.CallbackScripts, "csRep", "", false },
        { Actions.CallbackScripts, "office,manager", "", false },
        { Actions.CallbackReport, "csSupervisor", "", true },
        { Actions.CallbackReport, "csRep", "", false },
        { Actions.CallbackReport, "manager", "", false },
        { Actions.CallbackQueue, "csRep", "", true },
        { Actions.CallbackQueue, "csSupervisor", "", true },
        { Actions.CallbackQueue, "", "", false },
        { Actions.CallbackQueue, "office", "", false },
        { Actions.CallbackCall, "", "callbackRep", true },
        { Actions.CallbackCall, "csRep", "", false },
        { Actions.CallbackCall, "csSupervisor", "", false },
        { Actions.CallbackCall, "", "", false },
        { Actions.ComplaintRegister, "", "", true },
        { Actions.ComplaintRegister, "csRep", "", true },
        { Actions.ComplaintView, "csSupervisor", "", true },
        { Actions.ComplaintView, "manager", "", true },
        { Actions.ComplaintView, "office", "", true },
        { Actions.ComplaintView, "", "complaintParticipant", true },
        { Actions.ComplaintView, "", "complaintStepOwner", true },
        { Actions.ComplaintView, "csRep", "", false },
        { Actions.ComplaintView, "", "", false },
        { Actions.ComplaintAdvance, "csSupervisor", "", true },
        { Actions.ComplaintAdvance, "", "complaintStepOwner", true },
        { Actions.ComplaintAdvance, "", "complaintParticipant", false },
        { Actions.ComplaintAdvance, "manager,office", "", false },
        { Actions.ComplaintAdvance, "csRep", "", false },
        { Actions.ComplaintApprove, "manager", "", true },
        { Actions.ComplaintApprove, "csSupervisor", "", false },
        { Actions.ComplaintApprove, "", "complaintStepOwner", false },
        { Actions.ComplaintApprove, "office", "", false },
        { Actions.ComplaintWithdraw, "csSupervisor", "", true },
        { Actions.ComplaintWithdraw, "", "complaintStepOwner", false },
        { Actions.ComplaintWithdraw, "manager", "", false },
        { Actions.ComplaintStats, "csSupervisor", "", true },
        { Actions.ComplaintStats, "manager", "", true },
        { Actions.ComplaintStats, "office", "", true },
        { Actions.ComplaintStats, "csRep", "", false },
        { Actions.ComplaintStats, "", "", false },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public void The_matrix_holds(string action, string roles, string resourceRoles, bool allowed)
    {
        var actor = Someone("29:actor", roles.Split(',', StringSplitOptions.RemoveEmptyEntries));
        var resource = new AuthorizationResource("thing", "1")
        {
            PeopleByRole = resourceRoles.Split(',', StringSplitOptions.RemoveEmptyEntries)
                .ToDictionary(r => r, r => (IReadOnlyCollection<string>)new[] { "29:actor" }),
        };
        var decision = AuthorizationService.Decide(actor, action, resource);
        Assert.Equal(allowed, decision.Allowed);
        if (!allowed)
        {
            Assert.False(string.IsNullOrEmpty(decision.ReasonKey));
            // The refusal has words in both languages.
            Assert.NotEmpty(ChatRegs.Bot.Localization.Localizer.Default.Get("zh-CN", decision.ReasonKey!));
            Assert.NotEmpty(ChatRegs.Bot.Localization.Localizer.Default.Get("en", decision.ReasonKey!));
        }
    }

    [Fact]
    public void An_action_nobody_defined_is_refused()
    {
        Assert.False(AuthorizationService.Decide(Someone("29:x", Roles.Office), "no.such.action", null).Allowed);
    }

    [Fact]
    public void Every_action_has_a_policy_and_rows_in_the_matrix()
    {
        var actions = typeof(Actions).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetValue(null)!).ToList();
        var covered = Matrix.Select(row => (string)row[0]).ToHashSet();
        Assert.All(actions, a =>
        {
            Assert.True(AuthorizationPolicies.All.ContainsKey(a), $"no policy for {a}");
            Assert.True(covered.Contains(a), $"no matrix rows for {a}");
        });
    }
}
