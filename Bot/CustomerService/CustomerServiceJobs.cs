using System.Collections.Concurrent;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Scheduling;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;

namespace ChatRegs.Bot.CustomerService;

/// <summary>
/// Puts customer service's own rules on the job scheduler, per tenant:
/// <list type="bullet">
/// <item>the daily run (<see cref="CustomerServiceOptions.DailyAt"/>, team time, every day): the
/// customer files are brought up to date with the imports, each rep is reminded of their new
/// customers whose first contact is due or overdue, and on the 1st and on the due day of a month
/// the reps missing last month's 月报 or 工作总结 are reminded;</item>
/// <item>the work-log reminder (<see cref="CustomerServiceOptions.LogReminderAt"/>, working days):
/// reps without today's 工作日志 are reminded.</item>
/// </list>
/// Scheduled the first time someone uses a customer or paper command in the tenant (checked once
/// per process), and at start-up for the tenants the deployment names. Job ids make it idempotent.
/// </summary>
public sealed class CustomerServiceSchedule(JobScheduler scheduler, TeamClock clock, IOptions<CustomerServiceOptions> options)
{
    public const string DailyKind = "customerService.daily";
    public const string LogReminderKind = "customerService.logReminder";
    public const string DailyJobId = "customerService|daily";
    public const string LogReminderJobId = "customerService|logReminder";

    private static readonly DayOfWeek[] EveryDay = Enum.GetValues<DayOfWeek>();

    private readonly ConcurrentDictionary<string, bool> _ensured = new(StringComparer.Ordinal);

    public async Task EnsureAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (tenantId.Length == 0 || _ensured.ContainsKey(tenantId))
        {
            return;
        }
        await ScheduleAsync(tenantId, DailyKind, DailyJobId, options.Value.DailyAt, cancellationToken).ConfigureAwait(false);
        await ScheduleAsync(tenantId, LogReminderKind, LogReminderJobId, options.Value.LogReminderAt, cancellationToken).ConfigureAwait(false);
        _ensured[tenantId] = true;
    }

    private async Task ScheduleAsync(string tenantId, string kind, string jobId, TimeSpan at, CancellationToken cancellationToken)
    {
        var time = TimeOnly.FromTimeSpan(at);
        var local = clock.Local(clock.Now);
        var first = local.Date + time.ToTimeSpan();
        if (first <= local)
        {
            first = first.AddDays(1);
        }
        await scheduler.ScheduleAsync(tenantId, kind, clock.ToUtc(first), jobId: jobId,
            recurrence: Recurrence.Weekly(time, clock.ZoneId, EveryDay), cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The proactive side: first-contact reminders to the reps (and, with the papers, the papers' reminders).</summary>
public sealed class CustomerServiceNotifier(
    CustomerFiles files,
    CustomerCards cards,
    RepPapers papers,
    ProactiveSender sender,
    Localizer localizer,
    ILogger<CustomerServiceNotifier> logger)
{
    public sealed record DailyOutcome(int Files, int RepsReminded, int MonthlyReminders);

    public async Task<DailyOutcome> DailyAsync(string tenantId, CancellationToken cancellationToken)
    {
        var all = await files.SyncAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var today = files.Today;
        var reminded = 0;
        foreach (var group in all.Where(f => f.IsDue(today) && f.OwnerId != null && f.RemindedOn != today).GroupBy(f => f.OwnerId!))
        {
            var rep = await papers.PersonAsync(tenantId, group.Key, cancellationToken).ConfigureAwait(false);
            var locale = rep?.PreferredLanguage ?? Localizer.Chinese;
            var due = group.OrderBy(f => f.DueDate).ThenBy(f => f.Name, StringComparer.Ordinal).ToList();
            var card = cards.List(localizer.Get(locale, "customers.notice.heading"), localizer.Get(locale, "customers.notice.body", due.Count), due, locale);
            await sender.SendToPersonAsync(tenantId, group.Key, MessageFactory.Attachment(card), $"customers.firstContact {today:yyyy-MM-dd}", cancellationToken).ConfigureAwait(false);
            foreach (var file in due)
            {
                await files.MarkRemindedAsync(file, today, cancellationToken).ConfigureAwait(false);
            }
            reminded++;
        }
        var monthly = await papers.RemindMonthlyAsync(tenantId, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Customer-service daily run in tenant {TenantId}: {Files} customer files, {Reminded} reps reminded of first contacts, {Monthly} monthly reminders.", tenantId, all.Count, reminded, monthly);
        return new DailyOutcome(all.Count, reminded, monthly);
    }
}

/// <summary>"customerService.daily".</summary>
public sealed class CustomerServiceDailyHandler(CustomerServiceNotifier notifier) : IJobHandler
{
    public string Kind => CustomerServiceSchedule.DailyKind;

    public Task RunAsync(Job job, CancellationToken cancellationToken) => notifier.DailyAsync(job.TenantId, cancellationToken);
}

/// <summary>"customerService.logReminder".</summary>
public sealed class WorkLogReminderHandler(RepPapers papers) : IJobHandler
{
    public string Kind => CustomerServiceSchedule.LogReminderKind;

    public Task RunAsync(Job job, CancellationToken cancellationToken) => papers.RemindLogsAsync(job.TenantId, cancellationToken);
}

/// <summary>At start-up, schedules the runs for every tenant the deployment names (<c>ChatRegs:AllowedTenants</c>); tries again while storage is not ready.</summary>
public sealed class CustomerServiceStartup(CustomerServiceSchedule schedule, IOptions<Authorization.TenantOptions> tenants, ILogger<CustomerServiceStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var tenant in tenants.Value.AllowedTenants.Where(t => !string.IsNullOrWhiteSpace(t) && t != "*").Select(t => t.Trim()).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await schedule.EnsureAsync(tenant, stoppingToken).ConfigureAwait(false);
                    break;
                }
                catch (Exception e) when (e is not OperationCanceledException && attempt < 10)
                {
                    logger.LogWarning(e, "The customer-service runs for tenant {Tenant} could not be scheduled yet (attempt {Attempt}).", tenant, attempt);
                    await Task.Delay(TimeSpan.FromSeconds(5 * attempt), stoppingToken).ConfigureAwait(false);
                }
            }
        }
    }
}
