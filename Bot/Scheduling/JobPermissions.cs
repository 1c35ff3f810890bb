using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.People;

namespace ChatRegs.Bot.Scheduling;

/// <summary>The jobs (任务状态)'s actions and who may do them (registered with AddPermissions in SchedulingServices; rows in the authorization matrix test).</summary>
public static class JobPermissions
{
    public const string ViewJobs = "jobs.view";

    /// <summary>Run a parked job again from the 任务状态 card.</summary>
    public const string RequeueJob = "jobs.requeue";

    public static readonly IReadOnlyList<PermissionRule> Rules =
    [
        new(ViewJobs, [Roles.Office], [], "auth.officeOnly"),
        new(RequeueJob, [Roles.Office], [], "auth.officeOnly"),
    ];
}
