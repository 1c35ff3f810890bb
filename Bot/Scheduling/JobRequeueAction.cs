using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Newtonsoft.Json.Linq;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Scheduling;

/// <summary>
/// "jobs.requeue": the 重新运行 button next to a parked job on the office's 任务状态 card runs it
/// again (once whatever made it fail — a person's chat, a deleted meeting chat, Teams being down
/// all afternoon — is dealt with). Office only; the job id comes from the card, the tenant from
/// the turn, so nobody can touch another tenant's jobs.
/// </summary>
public sealed class JobRequeueAction(IAuthorizationService authorization, JobScheduler scheduler, Localizer localizer) : ICardActionHandler
{
    public string Verb => "jobs.requeue";

    public async Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken)
    {
        if (!await authorization.EnsureAllowedAsync(turnContext, JobPermissions.RequeueJob, null, cancellationToken).ConfigureAwait(false))
        {
            return CardActionResult.Done;
        }
        var locale = turnContext.Activity.Locale ?? "";
        var tenant = Tenants.Of(turnContext.Activity) ?? "";
        var jobId = data["jobId"]?.Type == JTokenType.String ? ((string?)data["jobId"])?.Trim() : null;
        var job = string.IsNullOrEmpty(jobId) || jobId.Length > 300 ? null : await scheduler.RequeueAsync(tenant, jobId, cancellationToken).ConfigureAwait(false);
        return job == null
            ? new CardActionResult(Message: localizer.Get(locale, "jobs.notParked"))
            : new CardActionResult(Message: localizer.Get(locale, "jobs.requeued", $"{job.Kind} · {job.Id}"));
    }
}
