using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.WeeklyReports;

/// <summary>What the reminder and digest jobs carry.</summary>
public sealed record TeamWeekJob(string Team, string Week, int Round = 0);

/// <summary>
/// Puts a team's week on the scheduler: the first reminder (default Friday 14:00), the second
/// reminder and the digest at the deadline (default Friday 17:00), all holiday-shifted
/// (<see cref="WeekPlan"/>). Jobs have ids per team and week, so planning again is harmless:
/// an existing job keeps its place, or moves when the team's settings moved its time.
/// </summary>
public sealed class WeeklyReportPlanner(WeeklyReportService service, JobScheduler scheduler, ILogger<WeeklyReportPlanner> logger)
{
    public const string PlanKind = "weeklyReports.plan";
    public const string ReminderKind = "weeklyReports.reminder";
    public const string DigestKind = "weeklyReports.digest";
    public const string PlanJobId = "weeklyReports|plan";

    /// <summary>A job whose time is this far in the past when planned is not scheduled (the week was planned too late for it).</summary>
    public static readonly TimeSpan Stale = TimeSpan.FromHours(1);

    public static string ReminderJobId(string team, string week, int round) => $"weeklyReports|reminder|{WeeklyReportStore.TeamKey(team)}|{week}|{round}";

    public static string DigestJobId(string team, string week) => $"weeklyReports|digest|{WeeklyReportStore.TeamKey(team)}|{week}";

    /// <summary>
    /// The tenant's weekly planning job: runs now (planning the current week) and then every
    /// Monday at <see cref="WeeklyReportOptions.PlanTime"/>. Idempotent.
    /// </summary>
    public async Task<bool> EnsureTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var result = await scheduler.ScheduleAsync(tenantId, PlanKind, service.Now, jobId: PlanJobId,
            recurrence: Recurrence.Weekly(service.Options.PlanTime, service.DefaultTimeZone, DayOfWeek.Monday), cancellationToken: cancellationToken).ConfigureAwait(false);
        return result.Created;
    }

    /// <summary>Plans the current week of every department of the tenant.</summary>
    public async Task PlanTenantAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        foreach (var department in await service.TeamsAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            await PlanTeamAsync(tenantId, department.Name, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Schedules (or moves) the team's reminders and digest for <paramref name="week"/> (default: its current week).</summary>
    public async Task PlanTeamAsync(string tenantId, string team, string? week, CancellationToken cancellationToken = default)
    {
        var settings = await service.SettingsAsync(tenantId, team, cancellationToken).ConfigureAwait(false);
        week ??= service.CurrentWeek(settings);
        var plan = service.Plan(settings, week);
        var data = new TeamWeekJob(settings.Team, week);
        var jobs = new List<(string Id, string Kind, DateTimeOffset Due, TeamWeekJob Data, bool Wanted)>
        {
            (ReminderJobId(team, week, 1), ReminderKind, plan.ReminderUtc, data with { Round = 1 }, plan.ReportsDue),
            (ReminderJobId(team, week, 2), ReminderKind, plan.DeadlineUtc, data with { Round = 2 }, plan.ReportsDue),
            (DigestJobId(team, week), DigestKind, plan.DeadlineUtc, data, plan.ReportsDue && settings.DigestAtDeadline),
        };
        var now = service.Now;
        foreach (var (id, kind, due, jobData, wanted) in jobs)
        {
            // A job that is no longer wanted (the digest turned off, a holiday week) stays: its
            // handler checks the settings when it runs and does nothing.
            if (!wanted)
            {
                continue;
            }
            var existing = await scheduler.GetAsync(tenantId, id, cancellationToken).ConfigureAwait(false);
            if (existing == null)
            {
                if (due >= now - Stale)
                {
                    await scheduler.ScheduleAsync(tenantId, kind, due, jobData, id, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }
            else if (existing.Status == JobStatus.Pending && existing.DueUtc != due && !existing.IsRetrying)
            {
                await scheduler.MoveAsync(tenantId, id, due, cancellationToken).ConfigureAwait(false);
            }
        }
        logger.LogDebug("Planned weekly reports of {Team} for {Week} in tenant {TenantId}: deadline {Deadline:O}.", team, week, tenantId, plan.DeadlineUtc);
    }
}

// The handlers resolve what they use when they run: the scheduler is built with every handler,
// and the planner and the proactive sender (through the adapter's middleware) need the scheduler.

/// <summary>"weeklyReports.plan": every Monday, plans the week of every department of the tenant.</summary>
public sealed class PlanWeekJobHandler(IServiceProvider services) : IJobHandler
{
    public string Kind => WeeklyReportPlanner.PlanKind;

    public Task RunAsync(Job job, CancellationToken cancellationToken) =>
        services.GetRequiredService<WeeklyReportPlanner>().PlanTenantAsync(job.TenantId, cancellationToken);
}

/// <summary>"weeklyReports.reminder": reminds those still missing (round 1 before the deadline, round 2 at it).</summary>
public sealed class ReminderJobHandler(IServiceProvider services) : IJobHandler
{
    /// <summary>A second reminder later than this after the deadline is not worth sending.</summary>
    public static readonly TimeSpan SecondReminderWindow = TimeSpan.FromHours(12);

    public string Kind => WeeklyReportPlanner.ReminderKind;

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var service = services.GetRequiredService<WeeklyReportService>();
        var data = job.DataAs<TeamWeekJob>() ?? throw new PermanentJobFailureException("The job has no team and week.");
        if (data.Round is not (1 or 2) || !IsoWeek.TryParse(data.Week, out var week))
        {
            throw new PermanentJobFailureException($"Bad reminder data: team '{data.Team}', week '{data.Week}', round {data.Round}.");
        }
        var settings = await service.SettingsAsync(job.TenantId, data.Team, cancellationToken).ConfigureAwait(false);
        var plan = service.Plan(settings, week);
        var now = service.Now;
        // Stale (a retry or a restart ran it late): a "before the deadline" reminder after it would mislead.
        if ((data.Round == 1 && now >= plan.DeadlineUtc) || (data.Round == 2 && now > plan.DeadlineUtc + SecondReminderWindow))
        {
            return;
        }
        await services.GetRequiredService<WeeklyReportNotifier>().RemindAsync(job, data.Team, week, data.Round, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>"weeklyReports.digest": sends the team's digest to its recipients at the deadline.</summary>
public sealed class DigestJobHandler(IServiceProvider services) : IJobHandler
{
    public string Kind => WeeklyReportPlanner.DigestKind;

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var service = services.GetRequiredService<WeeklyReportService>();
        var data = job.DataAs<TeamWeekJob>() ?? throw new PermanentJobFailureException("The job has no team and week.");
        if (!IsoWeek.TryParse(data.Week, out var week) || string.IsNullOrWhiteSpace(data.Team))
        {
            throw new PermanentJobFailureException($"Bad digest data: team '{data.Team}', week '{data.Week}'.");
        }
        var settings = await service.SettingsAsync(job.TenantId, data.Team, cancellationToken).ConfigureAwait(false);
        if (!settings.DigestAtDeadline || !service.Plan(settings, week).ReportsDue)
        {
            return;
        }
        await services.GetRequiredService<WeeklyReportNotifier>().SendDigestAsync(job, data.Team, week, cancellationToken).ConfigureAwait(false);
    }
}
