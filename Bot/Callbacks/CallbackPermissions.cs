using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.People;

namespace ChatRegs.Bot.Callbacks;

/// <summary>Callbacks (回访)'s actions and who may do them (registered with AddPermissions in CallbackServices; rows in the authorization matrix test).</summary>
public static class CallbackPermissions
{
    public const string CallbackImport = "callbacks.import";
    public const string CallbackManage = "callbacks.manage";
    public const string CallbackScripts = "callbacks.scripts";
    public const string CallbackReport = "callbacks.report";

    /// <summary>Writing the analysis (分析结果) of the 回访总结报告.</summary>
    public const string CallbackReportWrite = "callbacks.reportWrite";
    public const string CallbackQueue = "callbacks.queue";
    public const string CallbackCall = "callbacks.call";

    public static readonly IReadOnlyList<PermissionRule> Rules =
    [
        new(CallbackImport, [Roles.CsSupervisor], [], "callbacks.auth.supervisor"),
        new(CallbackManage, [Roles.CsSupervisor], [], "callbacks.auth.supervisor"),
        new(CallbackScripts, [Roles.CsSupervisor], [], "callbacks.auth.supervisor"),
        new(CallbackReport, [Roles.CsSupervisor, Roles.Manager], [], "callbacks.auth.report"),
        new(CallbackReportWrite, [Roles.CsSupervisor, Roles.Manager], [], "callbacks.auth.reportWrite"),
        new(CallbackQueue, [Roles.CsRep, Roles.CsSupervisor], [], "callbacks.auth.queue"),
        new(CallbackCall, [], [CallbackRoles.AssignedRep], "callbacks.auth.call"),
    ];
}
