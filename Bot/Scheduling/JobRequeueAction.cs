using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Routing;

namespace ChatRegs.Bot.Scheduling;

/// <summary>
/// "jobs.requeue": the 重新运行 button next to a parked job on the office's 任务状态 card runs it
/// again (once whatever made it fail — a person's chat, a deleted meeting chat, Teams being down
/// all afternoon — is dealt with). Office only; the job id comes from the card, the tenant from
/// the turn, so nobody can touch another tenant's jobs.
/// </summary>
public sealed class JobRequeueAction(IAuthorizationService authorization, JobScheduler scheduler, Localizer localizer) : CardActionHandler(authorization)
{
    public const int MaxJobId = 300;

    public override string Verb => "jobs.requeue";

    protected override string Permission => JobPermissions.RequeueJob;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var jobId = action.Field("jobId");
        var job = jobId.Length == 0 || jobId.Length > MaxJobId ? null : await scheduler.RequeueAsync(action.Tenant, jobId, cancellationToken).ConfigureAwait(false);
        return job == null
            ? new CardActionResult(Message: localizer.Get(action.Locale, "jobs.notParked"))
            : new CardActionResult(Message: localizer.Get(action.Locale, "jobs.requeued", $"{job.Kind} · {job.Id}"));
    }
}
