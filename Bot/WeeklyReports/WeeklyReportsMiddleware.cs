using System.Collections.Concurrent;
using ChatRegs.Bot.Conversations;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.WeeklyReports;

/// <summary>
/// Makes sure every tenant the bot works in has its weekly planning job (reminders and digests
/// need no one to have typed 周报 first). Checked on the first user turn of each tenant in this
/// process — one point read — and never on proactive turns. Best effort: a failure is logged and
/// tried again on a later turn (after a minute), and never fails the person's turn.
/// </summary>
// The planner is resolved when first needed: it needs the scheduler, which needs the job
// handlers, which need the proactive sender, whose adapter is built with this middleware.
public sealed class WeeklyReportsMiddleware(IServiceProvider services, TimeProvider time, ILogger<WeeklyReportsMiddleware> logger) : IMiddleware
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(1);

    // Tenant → when to check next (MaxValue once its job exists).
    private readonly ConcurrentDictionary<string, DateTimeOffset> _next = new(StringComparer.Ordinal);

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        var activity = turnContext.Activity;
        var tenant = Tenants.Of(activity);
        if (tenant != null && activity.From?.Role != RoleTypes.Bot
            && activity.Type is ActivityTypes.Message or ActivityTypes.Invoke or ActivityTypes.ConversationUpdate or ActivityTypes.InstallationUpdate
            && (!_next.TryGetValue(tenant, out var due) || time.GetUtcNow() >= due))
        {
            try
            {
                await services.GetRequiredService<WeeklyReportPlanner>().EnsureTenantAsync(tenant, cancellationToken).ConfigureAwait(false);
                _next[tenant] = DateTimeOffset.MaxValue;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _next[tenant] = time.GetUtcNow() + RetryAfter;
                logger.LogWarning("Could not make sure tenant {TenantId} has its weekly-report planning job ({Reason}); trying again on a later turn.", tenant, e.Message);
            }
        }
        await next(cancellationToken).ConfigureAwait(false);
    }
}
