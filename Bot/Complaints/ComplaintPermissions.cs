using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.People;

namespace ChatRegs.Bot.Complaints;

/// <summary>Complaints (投诉)'s actions and who may do them (registered with AddPermissions in ComplaintServices; rows in the authorization matrix test).</summary>
public static class ComplaintPermissions
{
    public const string ComplaintRegister = "complaints.register";
    public const string ComplaintView = "complaints.view";
    public const string ComplaintAdvance = "complaints.advance";
    public const string ComplaintApprove = "complaints.approve";
    public const string ComplaintWithdraw = "complaints.withdraw";
    public const string ComplaintStats = "complaints.stats";

    public static readonly IReadOnlyList<PermissionRule> Rules =
    [
        new(ComplaintRegister, [], [], "complaints.auth.register", Everyone: true),
        new(ComplaintView, [Roles.CsSupervisor, Roles.Manager, Roles.Office], [ComplaintRoles.StepOwner, ComplaintRoles.Participant], "complaints.auth.view"),
        new(ComplaintAdvance, [Roles.CsSupervisor], [ComplaintRoles.StepOwner], "complaints.auth.advance"),
        new(ComplaintApprove, [Roles.Manager], [], "complaints.auth.approve"),
        new(ComplaintWithdraw, [Roles.CsSupervisor], [], "complaints.auth.withdraw"),
        new(ComplaintStats, [Roles.CsSupervisor, Roles.Manager, Roles.Office], [], "complaints.auth.stats"),
    ];
}
