using ChatRegs.Bot.Core;
using ChatRegs.Bot.Scheduling;

namespace ChatRegs.Bot.Callbacks;

/// <summary>What a reminder job carries.</summary>
public sealed record CallbackReminderJob(string TaskId, string Kind, DateTimeOffset At);

/// <summary>
/// Puts the callback rules on the job scheduler:
/// <list type="bullet">
/// <item>the tenant's daily run (<see cref="CallbackOptions.DailyAt"/>, team time): unassigned
/// tasks are given to the reps on duty, each rep is reminded of the tasks due that day, and
/// overdue or unreachable tasks go to the supervisors;</item>
/// <item>the same run once right away after an import, a reassignment or an unreachable task;</item>
/// <item>a reminder to the rep when a retry may start, and at a time booked with the customer.</item>
/// </list>
/// Job ids make scheduling idempotent.
/// </summary>
public sealed class CallbackPlanner(JobScheduler scheduler, CallbackService service)
{
    public const string SweepKind = "callbacks.sweep";
    public const string ReminderKind = "callbacks.remind";
    public const string DailyJobId = "callbacks|daily";
    public const string RetryReminder = "retry";
    public const string BookingReminder = "booked";

    private static readonly DayOfWeek[] EveryDay = Enum.GetValues<DayOfWeek>();

    public static string RetryJobId(string taskId, int attempt) => $"callbacks|retry|{taskId}|{attempt}";

    public static string BookingJobId(string taskId, int call) => $"callbacks|booked|{taskId}|{call}";

    /// <summary>The tenant's daily run, first at the next <see cref="CallbackOptions.DailyAt"/>. Idempotent.</summary>
    public async Task EnsureDailyAsync(string tenantId, CancellationToken cancellationToken)
    {
        var at = TimeOnly.FromTimeSpan(service.Options.DailyAt);
        var local = TeamClock.LocalIn(service.Now, service.TeamZone);
        var first = local.Date + at.ToTimeSpan();
        if (first <= local)
        {
            first = first.AddDays(1);
        }
        var firstUtc = new DateTimeOffset(first, service.TeamZone.GetUtcOffset(first));
        await scheduler.ScheduleAsync(tenantId, SweepKind, firstUtc, jobId: DailyJobId,
            recurrence: Recurrence.Weekly(at, service.TeamZoneId, EveryDay), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The daily run's work, once, now.</summary>
    public Task SweepNowAsync(string tenantId, CancellationToken cancellationToken) =>
        scheduler.ScheduleAsync(tenantId, SweepKind, service.Now, jobId: $"callbacks|sweep|{Guid.NewGuid():N}", cancellationToken: cancellationToken);

    /// <summary>Reminds the rep when the next attempt may start.</summary>
    public Task RemindRetryAsync(CallbackTask task, CancellationToken cancellationToken) =>
        task.NextAttemptUtc is { } at
            ? scheduler.ScheduleAsync(task.TenantId, ReminderKind, at, new CallbackReminderJob(task.Id, RetryReminder, at), RetryJobId(task.Id, task.FailedAttempts), cancellationToken: cancellationToken)
            : Task.CompletedTask;

    /// <summary>Reminds the rep at the time the customer gave.</summary>
    public Task RemindBookingAsync(CallbackTask task, CancellationToken cancellationToken) =>
        task.BookedUtc is { } at
            ? scheduler.ScheduleAsync(task.TenantId, ReminderKind, at, new CallbackReminderJob(task.Id, BookingReminder, at), BookingJobId(task.Id, task.Calls), cancellationToken: cancellationToken)
            : Task.CompletedTask;
}
