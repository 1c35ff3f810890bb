using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Callbacks;

/// <summary>
/// The proactive side of callbacks: the daily run (assignment of unassigned tasks, the due-day
/// reminder to each rep, overdue and unreachable tasks to the supervisors) and the reminders
/// at a retry's time or a booked time. Each task is marked once notified, so a run repeated
/// (a retry, a second instance) does not send it again; a message is sent before its mark is
/// written, so a crash in between can repeat one message, never lose one.
/// </summary>
public sealed class CallbackNotifier(
    CallbackService service,
    CallbackCards cards,
    ProactiveSender sender,
    Localizer localizer,
    ILogger<CallbackNotifier> logger)
{
    /// <summary>A job's time and the task's, compared after a trip through storage.</summary>
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(1);

    public sealed record SweepOutcome(int Assigned, int RepsReminded, int Escalated);

    public async Task<SweepOutcome> SweepAsync(string tenantId, CancellationToken cancellationToken)
    {
        var assigned = await service.AssignUnassignedAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var tasks = await service.AllTasksAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var today = service.Today;

        var reminded = 0;
        foreach (var group in tasks.Where(t => t.IsDueToday(today) && t.RepId != null && t.RemindedOn != today).GroupBy(t => t.RepId!))
        {
            var rep = await service.PersonAsync(tenantId, group.Key, cancellationToken).ConfigureAwait(false);
            var locale = rep?.PreferredLanguage ?? Localizer.Chinese;
            var due = CallbackService.ByUrgency(group, today);
            var card = cards.Notice(localizer.Get(locale, "callbacks.notice.dueTodayHeading"),
                localizer.Get(locale, "callbacks.notice.dueTodayBody", due.Count, service.Options.WindowDays), due, forRep: true, locale);
            await sender.SendToPersonAsync(tenantId, group.Key, MessageFactory.Attachment(card), $"callbacks.dueToday {today:yyyy-MM-dd}", cancellationToken).ConfigureAwait(false);
            foreach (var task in due)
            {
                await service.MarkAsync(task, t => t with { RemindedOn = today }, t => t.RemindedOn == today, cancellationToken).ConfigureAwait(false);
            }
            reminded++;
        }

        var escalate = tasks.Where(t => (t.IsOverdue(today) || t.Status == CallbackStatus.Unreachable) && t.EscalatedUtc == null)
            .OrderBy(t => t.Status == CallbackStatus.Unreachable ? 1 : 0).ThenBy(t => t.DueDate).ThenBy(t => t.IsMember ? 0 : 1).ToList();
        if (escalate.Count > 0)
        {
            var supervisors = await service.SupervisorsAsync(tenantId, cancellationToken).ConfigureAwait(false);
            if (supervisors.Count == 0)
            {
                // Kept for when someone is made supervisor: the next run sends them.
                logger.LogWarning("{Count} callbacks are overdue or unreachable in tenant {TenantId}, and nobody is a customer-service supervisor.", escalate.Count, tenantId);
            }
            else
            {
                foreach (var supervisor in supervisors)
                {
                    var locale = supervisor.PreferredLanguage;
                    var card = cards.Notice(localizer.Get(locale, "callbacks.notice.escalationHeading"),
                        localizer.Get(locale, "callbacks.notice.escalationBody", escalate.Count(t => t.IsOpen), escalate.Count(t => !t.IsOpen), service.Options.WindowDays),
                        escalate, forRep: false, locale);
                    await sender.SendToPersonAsync(tenantId, supervisor.UserId, MessageFactory.Attachment(card), $"callbacks.escalation {today:yyyy-MM-dd}", cancellationToken).ConfigureAwait(false);
                }
                var now = service.Now;
                foreach (var task in escalate)
                {
                    await service.MarkAsync(task, t => t with { EscalatedUtc = now }, t => t.EscalatedUtc != null, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        logger.LogInformation("Callback run in tenant {TenantId}: {Assigned} assigned, {Reminded} reps reminded, {Escalated} escalated.", tenantId, assigned.Count, reminded, escalate.Count);
        return new SweepOutcome(assigned.Count, reminded, escalate.Count);
    }

    /// <summary>Tells the rep a retry may start now, or that the time the customer booked has come.</summary>
    public async Task<bool> RemindAsync(string tenantId, CallbackReminderJob job, CancellationToken cancellationToken)
    {
        var task = await service.GetTaskAsync(tenantId, job.TaskId, cancellationToken).ConfigureAwait(false);
        if (task is not { IsOpen: true, RepId: not null })
        {
            return false;
        }
        var current = job.Kind == CallbackPlanner.BookingReminder ? task.BookedUtc : task.NextAttemptUtc;
        if (current is not { } at || (at - job.At).Duration() > Tolerance)
        {
            // Superseded: called meanwhile, booked again, reassigned…
            return false;
        }
        var rep = await service.PersonAsync(tenantId, task.RepId, cancellationToken).ConfigureAwait(false);
        var locale = rep?.PreferredLanguage ?? Localizer.Chinese;
        var customer = CallbackText.Customer(localizer, locale, task.CustomerName, task.Title);
        var (heading, body) = job.Kind == CallbackPlanner.BookingReminder
            ? (localizer.Get(locale, "callbacks.notice.bookedHeading"), localizer.Get(locale, "callbacks.notice.bookedBody", customer))
            : (localizer.Get(locale, "callbacks.notice.retryHeading"), localizer.Get(locale, "callbacks.notice.retryBody", customer, task.FailedAttempts + 1, service.Options.MaxAttempts));
        var card = cards.Notice(heading, body, [task], forRep: true, locale);
        var result = await sender.SendToPersonAsync(tenantId, task.RepId, MessageFactory.Attachment(card), $"callbacks.{job.Kind} {task.Id}", cancellationToken).ConfigureAwait(false);
        return result.Delivered;
    }
}

/// <summary>"callbacks.sweep": the daily run (and the same work right after an import or a change).</summary>
public sealed class CallbackSweepHandler(CallbackNotifier notifier) : IJobHandler
{
    public string Kind => CallbackPlanner.SweepKind;

    public Task RunAsync(Job job, CancellationToken cancellationToken) => notifier.SweepAsync(job.TenantId, cancellationToken);
}

/// <summary>"callbacks.remind": a retry's time or a booked time has come.</summary>
public sealed class CallbackReminderHandler(CallbackNotifier notifier) : IJobHandler
{
    public string Kind => CallbackPlanner.ReminderKind;

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var data = job.DataAs<CallbackReminderJob>() ?? throw new PermanentJobFailureException("The reminder job has no data.");
        await notifier.RemindAsync(job.TenantId, data, cancellationToken).ConfigureAwait(false);
    }
}
