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
/// <para>
/// One turn per tenant checks; the turns that arrive while it does (the first hundred people of
/// an 8:30 rush, all at once) go on without waiting or reading anything themselves.
/// </para>
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
            && Claim(tenant))
        {
            try
            {
                await services.GetRequiredService<WeeklyReportPlanner>().EnsureTenantAsync(tenant, cancellationToken).ConfigureAwait(false);
                _next[tenant] = DateTimeOffset.MaxValue;
            }
            catch (OperationCanceledException)
            {
                // The turn was called off, not the check: the next turn may check at once.
                _next[tenant] = time.GetUtcNow();
                throw;
            }
            catch (Exception e)
            {
                _next[tenant] = time.GetUtcNow() + RetryAfter;
                logger.LogWarning("Could not make sure tenant {TenantId} has its weekly-report planning job ({Reason}); trying again on a later turn.", tenant, e.Message);
            }
        }
        await next(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether this turn is the one to check the tenant now: its check is due and no other turn
    /// has taken it. Taking it moves the tenant's next check a minute on, so a turn that finds the
    /// job in the meantime, or fails to, settles it either way.
    /// </summary>
    private bool Claim(string tenant)
    {
        var now = time.GetUtcNow();
        while (true)
        {
            if (_next.TryGetValue(tenant, out var due))
            {
                if (now < due)
                {
                    return false;
                }
                if (_next.TryUpdate(tenant, now + RetryAfter, due))
                {
                    return true;
                }
            }
            else if (_next.TryAdd(tenant, now + RetryAfter))
            {
                return true;
            }
        }
    }
}
