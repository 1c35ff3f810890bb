using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.People;

namespace ChatRegs.Bot.Leave;

/// <summary>Leave (请假)'s actions and who may do them (registered with AddPermissions in LeaveServices; rows in the authorization matrix test).</summary>
public static class LeavePermissions
{
    public const string DecideLeave = "leave.decide";
    public const string WithdrawLeave = "leave.withdraw";
    public const string ViewLeaveRecords = "leave.viewRecords";

    public static readonly IReadOnlyList<PermissionRule> Rules =
    [
        new(DecideLeave, [], [LeaveRoles.Approver], "leave.auth.approverOnly"),
        new(WithdrawLeave, [], [LeaveRoles.Requester], "leave.auth.requesterOnly"),
        new(ViewLeaveRecords, [Roles.Office], [], "leave.auth.officeOnly"),
    ];
}
