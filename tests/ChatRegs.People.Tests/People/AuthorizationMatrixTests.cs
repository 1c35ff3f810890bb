using System.Reflection;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Complaints;
using ChatRegs.Bot.CustomerService;
using ChatRegs.Bot.Language;
using ChatRegs.Bot.Hosting;
using ChatRegs.Bot.Leave;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.Bot.Meetings.Minutes;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.WeeklyReports;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatRegs.People.Tests.People;

/// <summary>
/// Every action the bot authorizes, with who may and who may not, decided by the rules the
/// features register in the bot's own DI (AddChatRegs). Features add rows here when they add
/// an action; a test fails if a registered action has no rows or a row names no registered action.
/// </summary>
public sealed class AuthorizationMatrixTests
{
    /// <summary>The permission table as the bot builds it: every feature's registrations.</summary>
    private static readonly Lazy<PermissionTable> Registered = new(() => BotServices().GetRequiredService<PermissionTable>());

    private static ServiceProvider BotServices(Action<IServiceCollection>? configure = null) => BotRegistrations(configure).BuildServiceProvider();

    private static ServiceCollection BotRegistrations(Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddChatRegs(configuration);
        configure?.Invoke(services);
        return services;
    }

    private static Person Someone(string userId, params string[] roles) =>
        new() { TenantId = "t", UserId = userId, Name = userId, Roles = roles.ToHashSet() };

    // action, the actor's roles ("" = plain employee), resource roles the actor holds ("" = none), allowed?
    public static readonly TheoryData<string, string, string, bool> Matrix = new()
    {
        { PeoplePermissions.ManageRoles, "office", "", true },
        { PeoplePermissions.ManageRoles, "manager", "", false },
        { PeoplePermissions.ManageRoles, "csSupervisor", "", false },
        { PeoplePermissions.ManageRoles, "csRep", "", false },
        { PeoplePermissions.ManageRoles, "", "", false },
        { PeoplePermissions.ViewRoleLog, "office", "", true },
        { PeoplePermissions.ViewRoleLog, "manager", "", false },
        { PeoplePermissions.ViewRoleLog, "", "", false },
        { PeoplePermissions.ManageGroups, "office", "", true },
        { PeoplePermissions.ManageGroups, "manager,csSupervisor,csRep", "", false },
        { PeoplePermissions.ManageGroups, "", "", false },
        { LanguagePermissions.SetChatLanguage, "office", "", true },
        { LanguagePermissions.SetChatLanguage, "", "host", true },
        { LanguagePermissions.SetChatLanguage, "manager", "", false },
        { LanguagePermissions.SetChatLanguage, "", "recorder", false },
        { LanguagePermissions.SetChatLanguage, "", "participant", false },
        { LanguagePermissions.SetChatLanguage, "", "", false },
        { JobPermissions.ViewJobs, "office", "", true },
        { JobPermissions.ViewJobs, "manager,csSupervisor", "", false },
        { JobPermissions.ViewJobs, "", "", false },
        { JobPermissions.RequeueJob, "office", "", true },
        { JobPermissions.RequeueJob, "manager,csSupervisor,csRep", "", false },
        { JobPermissions.RequeueJob, "", "", false },
        { WeeklyReportPermissions.ViewWeeklyDigest, "office", "", true },
        { WeeklyReportPermissions.ViewWeeklyDigest, "", "digestRecipient", true },
        { WeeklyReportPermissions.ViewWeeklyDigest, "manager", "", false },
        { WeeklyReportPermissions.ViewWeeklyDigest, "", "", false },
        { WeeklyReportPermissions.ManageWeeklyReports, "office", "", true },
        { WeeklyReportPermissions.ManageWeeklyReports, "manager", "digestRecipient", false },
        { WeeklyReportPermissions.ManageWeeklyReports, "", "", false },
        { MeetingPermissions.CreateMeeting, "office", "", true },
        { MeetingPermissions.CreateMeeting, "manager", "", true },
        { MeetingPermissions.CreateMeeting, "csSupervisor,csRep", "", false },
        { MeetingPermissions.CreateMeeting, "", "host", false },
        { MeetingPermissions.CreateMeeting, "", "", false },
        { MeetingPermissions.ManageMeeting, "office", "", true },
        { MeetingPermissions.ManageMeeting, "manager", "", true },
        { MeetingPermissions.ManageMeeting, "", "host", true },
        { MeetingPermissions.ManageMeeting, "", "recorder", true },
        { MeetingPermissions.ManageMeeting, "", "participant", false },
        { MeetingPermissions.ManageMeeting, "csSupervisor", "", false },
        { MeetingPermissions.CheckIn, "", "participant", true },
        { MeetingPermissions.CheckIn, "office", "", false },
        { MeetingPermissions.CheckIn, "", "", false },
        { MeetingPermissions.ViewRoll, "", "host", true },
        { MeetingPermissions.ViewRoll, "", "recorder", true },
        { MeetingPermissions.ViewRoll, "office", "", true },
        { MeetingPermissions.ViewRoll, "", "participant", false },
        { MeetingPermissions.CorrectRoll, "", "host", true },
        { MeetingPermissions.CorrectRoll, "", "recorder", true },
        { MeetingPermissions.CorrectRoll, "office", "", true },
        { MeetingPermissions.CorrectRoll, "manager", "", false },
        { MeetingPermissions.CorrectRoll, "", "participant", false },
        { MeetingPermissions.AttendanceReport, "office", "", true },
        { MeetingPermissions.AttendanceReport, "manager", "", true },
        { MeetingPermissions.AttendanceReport, "", "host", false },
        { MeetingPermissions.AttendanceReport, "", "", false },
        { LeavePermissions.DecideLeave, "", "approver", true },
        { LeavePermissions.DecideLeave, "", "requester", false },
        { LeavePermissions.DecideLeave, "office", "", false },
        { LeavePermissions.DecideLeave, "manager", "", false },
        { LeavePermissions.DecideLeave, "", "host", false },
        { LeavePermissions.DecideLeave, "", "", false },
        { LeavePermissions.WithdrawLeave, "", "requester", true },
        { LeavePermissions.WithdrawLeave, "", "approver", false },
        { LeavePermissions.WithdrawLeave, "office", "", false },
        { LeavePermissions.ViewLeaveRecords, "office", "", true },
        { LeavePermissions.ViewLeaveRecords, "manager", "", false },
        { LeavePermissions.ViewLeaveRecords, "", "approver", false },
        { LeavePermissions.ViewLeaveRecords, "", "", false },
        { AgendaPermissions.SubmitTopic, "", "participant", true },
        { AgendaPermissions.SubmitTopic, "", "host", true },
        { AgendaPermissions.SubmitTopic, "", "recorder", true },
        { AgendaPermissions.SubmitTopic, "office", "", true },
        { AgendaPermissions.SubmitTopic, "manager", "", false },
        { AgendaPermissions.SubmitTopic, "", "", false },
        { AgendaPermissions.ViewAgenda, "", "participant", true },
        { AgendaPermissions.ViewAgenda, "", "host", true },
        { AgendaPermissions.ViewAgenda, "office", "", true },
        { AgendaPermissions.ViewAgenda, "manager", "", true },
        { AgendaPermissions.ViewAgenda, "csRep", "", false },
        { AgendaPermissions.ViewAgenda, "", "", false },
        { AgendaPermissions.ManageAgenda, "", "host", true },
        { AgendaPermissions.ManageAgenda, "", "recorder", true },
        { AgendaPermissions.ManageAgenda, "office", "", true },
        { AgendaPermissions.ManageAgenda, "manager", "", false },
        { AgendaPermissions.ManageAgenda, "", "participant", false },
        { AgendaPermissions.ManageAgenda, "", "", false },
        { MinutesPermissions.EditMinutes, "", "recorder", true },
        { MinutesPermissions.EditMinutes, "", "host", true },
        { MinutesPermissions.EditMinutes, "", "participant", false },
        { MinutesPermissions.EditMinutes, "", "minutesRecipient", false },
        { MinutesPermissions.EditMinutes, "office", "", false },
        { MinutesPermissions.EditMinutes, "manager", "", false },
        { MinutesPermissions.EditMinutes, "", "", false },
        { MinutesPermissions.ViewMinutes, "", "participant", true },
        { MinutesPermissions.ViewMinutes, "", "host", true },
        { MinutesPermissions.ViewMinutes, "", "recorder", true },
        { MinutesPermissions.ViewMinutes, "", "minutesRecipient", true },
        { MinutesPermissions.ViewMinutes, "office", "", true },
        { MinutesPermissions.ViewMinutes, "manager", "", true },
        { MinutesPermissions.ViewMinutes, "csRep", "", false },
        { MinutesPermissions.ViewMinutes, "", "", false },
        { MinutesPermissions.UpdateActionItem, "", "actionOwner", true },
        { MinutesPermissions.UpdateActionItem, "", "host", true },
        { MinutesPermissions.UpdateActionItem, "", "recorder", false },
        { MinutesPermissions.UpdateActionItem, "office", "", false },
        { MinutesPermissions.UpdateActionItem, "", "participant", false },
        { MinutesPermissions.UpdateActionItem, "", "", false },
        { MinutesPermissions.FollowUpActions, "", "host", true },
        { MinutesPermissions.FollowUpActions, "office", "", true },
        { MinutesPermissions.FollowUpActions, "manager", "", false },
        { MinutesPermissions.FollowUpActions, "", "participant", false },
        { MinutesPermissions.FollowUpActions, "", "actionOwner", false },
        { MinutesPermissions.FollowUpActions, "", "", false },
        { MinutesPermissions.FollowUpActions, "supervisor", "", true },
        { MinutesPermissions.FollowUpActions, "minutesReviewer", "", false },
        { MinutesPermissions.ViewMinutes, "minutesReviewer", "", true },
        { MinutesPermissions.ViewMinutes, "supervisor", "", false },
        { MinutesPermissions.ReviewMinutes, "minutesReviewer", "", true },
        { MinutesPermissions.ReviewMinutes, "office,manager,supervisor", "", false },
        { MinutesPermissions.ReviewMinutes, "", "host", false },
        { MinutesPermissions.ReviewMinutes, "", "recorder", false },
        { MinutesPermissions.ReviewMinutes, "", "", false },
        { MinutesPermissions.ReviewStatus, "minutesReviewer", "", true },
        { MinutesPermissions.ReviewStatus, "office", "", true },
        { MinutesPermissions.ReviewStatus, "manager,supervisor,csRep", "", false },
        { MinutesPermissions.ReviewStatus, "", "host", false },
        { MinutesPermissions.ReviewStatus, "", "", false },
        { CallbackPermissions.CallbackImport, "csSupervisor", "", true },
        { CallbackPermissions.CallbackImport, "csRep", "", false },
        { CallbackPermissions.CallbackImport, "office", "", false },
        { CallbackPermissions.CallbackImport, "", "", false },
        { CallbackPermissions.CallbackManage, "csSupervisor", "", true },
        { CallbackPermissions.CallbackManage, "csRep", "", false },
        { CallbackPermissions.CallbackManage, "", "callbackRep", false },
        { CallbackPermissions.CallbackScripts, "csSupervisor", "", true },
        { CallbackPermissions.CallbackScripts, "csRep", "", false },
        { CallbackPermissions.CallbackScripts, "office,manager", "", false },
        { CallbackPermissions.CallbackReport, "csSupervisor", "", true },
        { CallbackPermissions.CallbackReport, "csRep", "", false },
        { CallbackPermissions.CallbackReport, "manager", "", true },
        { CallbackPermissions.CallbackReport, "office", "", false },
        { CallbackPermissions.CallbackReportWrite, "csSupervisor", "", true },
        { CallbackPermissions.CallbackReportWrite, "manager", "", true },
        { CallbackPermissions.CallbackReportWrite, "csRep", "", false },
        { CallbackPermissions.CallbackReportWrite, "office", "", false },
        { CallbackPermissions.CallbackReportWrite, "", "", false },
        { CallbackPermissions.CallbackQueue, "csRep", "", true },
        { CallbackPermissions.CallbackQueue, "csSupervisor", "", true },
        { CallbackPermissions.CallbackQueue, "", "", false },
        { CallbackPermissions.CallbackQueue, "office", "", false },
        { CallbackPermissions.CallbackCall, "", "callbackRep", true },
        { CallbackPermissions.CallbackCall, "csRep", "", false },
        { CallbackPermissions.CallbackCall, "csSupervisor", "", false },
        { CallbackPermissions.CallbackCall, "", "", false },
        { ComplaintPermissions.ComplaintRegister, "", "", true },
        { ComplaintPermissions.ComplaintRegister, "csRep", "", true },
        { ComplaintPermissions.ComplaintView, "csSupervisor", "", true },
        { ComplaintPermissions.ComplaintView, "manager", "", true },
        { ComplaintPermissions.ComplaintView, "office", "", true },
        { ComplaintPermissions.ComplaintView, "", "complaintParticipant", true },
        { ComplaintPermissions.ComplaintView, "", "complaintStepOwner", true },
        { ComplaintPermissions.ComplaintView, "csRep", "", false },
        { ComplaintPermissions.ComplaintView, "", "", false },
        { ComplaintPermissions.ComplaintAdvance, "csSupervisor", "", true },
        { ComplaintPermissions.ComplaintAdvance, "", "complaintStepOwner", true },
        { ComplaintPermissions.ComplaintAdvance, "", "complaintParticipant", false },
        { ComplaintPermissions.ComplaintAdvance, "manager,office", "", false },
        { ComplaintPermissions.ComplaintAdvance, "csRep", "", false },
        { ComplaintPermissions.ComplaintApprove, "manager", "", true },
        { ComplaintPermissions.ComplaintApprove, "csSupervisor", "", false },
        { ComplaintPermissions.ComplaintApprove, "", "complaintStepOwner", false },
        { ComplaintPermissions.ComplaintApprove, "office", "", false },
        { ComplaintPermissions.ComplaintWithdraw, "csSupervisor", "", true },
        { ComplaintPermissions.ComplaintWithdraw, "", "complaintStepOwner", false },
        { ComplaintPermissions.ComplaintWithdraw, "manager", "", false },
        { ComplaintPermissions.ComplaintStats, "csSupervisor", "", true },
        { ComplaintPermissions.ComplaintStats, "manager", "", true },
        { ComplaintPermissions.ComplaintStats, "office", "", true },
        { ComplaintPermissions.ComplaintStats, "csRep", "", false },
        { ComplaintPermissions.ComplaintStats, "", "", false },
        { CustomerServicePermissions.CustomerList, "csSupervisor", "", true },
        { CustomerServicePermissions.CustomerList, "manager", "", true },
        { CustomerServicePermissions.CustomerList, "csRep", "", true },
        { CustomerServicePermissions.CustomerList, "office", "", false },
        { CustomerServicePermissions.CustomerList, "", "", false },
        { CustomerServicePermissions.CustomerView, "csSupervisor", "", true },
        { CustomerServicePermissions.CustomerView, "manager", "", true },
        { CustomerServicePermissions.CustomerView, "", "customerRep", true },
        { CustomerServicePermissions.CustomerView, "csRep", "", false },
        { CustomerServicePermissions.CustomerView, "office", "", false },
        { CustomerServicePermissions.CustomerView, "", "", false },
        { CustomerServicePermissions.CustomerSort, "csSupervisor", "", true },
        { CustomerServicePermissions.CustomerSort, "manager", "", false },
        { CustomerServicePermissions.CustomerSort, "", "customerRep", false },
        { CustomerServicePermissions.CustomerNote, "csSupervisor", "", true },
        { CustomerServicePermissions.CustomerNote, "", "customerRep", true },
        { CustomerServicePermissions.CustomerNote, "manager", "", false },
        { CustomerServicePermissions.CustomerNote, "csRep", "", false },
        { CustomerServicePermissions.PaperWrite, "csRep", "", true },
        { CustomerServicePermissions.PaperWrite, "csSupervisor", "", false },
        { CustomerServicePermissions.PaperWrite, "", "", false },
        { CustomerServicePermissions.PaperOverview, "csSupervisor", "", true },
        { CustomerServicePermissions.PaperOverview, "manager", "", true },
        { CustomerServicePermissions.PaperOverview, "csRep", "", false },
        { CustomerServicePermissions.PaperOverview, "office", "", false },
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
        var decision = Registered.Value.Decide(actor, action, resource);
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
        Assert.False(Registered.Value.Decide(Someone("29:x", Roles.Office), "no.such.action", null).Allowed);
    }

    [Fact]
    public void Every_registered_action_has_rows_in_the_matrix_and_every_row_a_registered_action()
    {
        var covered = Matrix.Select(row => (string)row[0]).ToHashSet();
        Assert.All(Registered.Value.Actions, a => Assert.True(covered.Contains(a), $"no matrix rows for {a} (registered by {Registered.Value.FeatureOf(a)})"));
        Assert.All(covered, a => Assert.True(Registered.Value.TryGet(a, out _), $"{a} has rows but no feature registers it"));
    }

    [Fact]
    public void Every_feature_permission_constant_is_registered_by_that_feature()
    {
        // The constants live with their features; each is registered under the feature that declares it.
        var byFeature = new (Type Constants, string Feature)[]
        {
            (typeof(PeoplePermissions), "People"), (typeof(JobPermissions), "Scheduling"), (typeof(WeeklyReportPermissions), "WeeklyReports"),
            (typeof(MeetingPermissions), "Meetings"), (typeof(AgendaPermissions), "Meetings/Agenda"), (typeof(MinutesPermissions), "Meetings/Minutes"),
            (typeof(CallbackPermissions), "Callbacks"), (typeof(ComplaintPermissions), "Complaints"), (typeof(LeavePermissions), "Leave"),
            (typeof(LanguagePermissions), "Language"), (typeof(CustomerServicePermissions), "CustomerService"),
        };
        foreach (var (constants, feature) in byFeature)
        {
            var actions = constants.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetValue(null)!).ToList();
            Assert.NotEmpty(actions);
            Assert.All(actions, a => Assert.Equal(feature, Registered.Value.FeatureOf(a)));
        }
        Assert.Equal(byFeature.Sum(f => f.Constants.GetFields(BindingFlags.Public | BindingFlags.Static).Count(x => x.IsLiteral)), Registered.Value.Actions.Count);
    }

    [Fact]
    public async Task Two_features_registering_one_action_stop_the_start()
    {
        // A second feature claiming leave's "decide" (e.g. copied by mistake) is refused when the
        // table is built, which the host does at start-up, naming both features.
        var registrations = BotRegistrations(s => s.AddPermissions("Duties", [new PermissionRule(LeavePermissions.DecideLeave, [Roles.Office], [], "auth.officeOnly")]));
        await using var services = registrations.BuildServiceProvider();
        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<PermissionTable>());
        Assert.Contains(LeavePermissions.DecideLeave, error.Message);
        Assert.Contains("Leave", error.Message);
        Assert.Contains("Duties", error.Message);
        // Built when the host starts: a hosted service needs the table.
        Assert.Contains(registrations, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(PermissionTableCheck));
    }
}
