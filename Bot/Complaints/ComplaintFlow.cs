using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Complaints;

/// <summary>What a follow-through retry job carries: the complaint, the stage entry it follows, and who took the step.</summary>
public sealed record ComplaintRetryJob(string Number, int Span, string ActorId);

/// <summary>What a stage-timer job carries: the complaint, and which stage entry it times.</summary>
public sealed record ComplaintTimerJob(string Number, string Stage, int Span);

/// <summary>
/// What follows a saved step: the new owner is told (the manager gets the approval card),
/// the stage's time limit is put on the scheduler (a reminder to the owner
/// <see cref="ComplaintOptions.RemindBefore"/> before it, the supervisors told when it passes),
/// and a closed complaint gets its follow-up callback (处理后有回访) in the callbacks queue.
/// </summary>
public sealed class ComplaintFlow(
    ComplaintService service,
    ComplaintCards cards,
    JobScheduler scheduler,
    ProactiveSender sender,
    JobDeliveries deliveries,
    CallbackService callbacks,
    Localizer localizer,
    ILogger<ComplaintFlow> logger)
{
    public const string RemindKind = "complaints.remind";
    public const string EscalateKind = "complaints.escalate";

    public static string JobId(Complaint c, string kind) => $"complaints|{c.Number}|{c.Spans.Count}|{kind}";

    /// <summary>After a step was saved by <paramref name="actorId"/>. Returns the complaint as it now stands (with its follow-up noted).</summary>
    /// <remarks>
    /// The step is saved: what follows is never reported as "not saved". When it fails (Teams or
    /// storage unavailable for a moment), a <see cref="RetryKind"/> job does it again later, with
    /// the scheduler's retries, so no timer, notice or follow-up callback is lost.
    /// </remarks>
    public async Task<Complaint> AfterAsync(Complaint? before, Complaint after, string actorId, CancellationToken cancellationToken)
    {
        var moved = before == null || before.Stage != after.Stage || before.Spans.Count != after.Spans.Count;
        if (!moved)
        {
            return after;
        }
        try
        {
            return await FollowThroughAsync(after, actorId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Complaint {Number} moved to {Stage}; its timers, notices or follow-up callback will be set by a retry job.", after.Number, after.Stage);
            try
            {
                await scheduler.ScheduleAsync(after.TenantId, RetryKind, service.Now + RetryDelay, new ComplaintRetryJob(after.Number, after.Spans.Count, actorId),
                    $"complaints|{after.Number}|{after.Spans.Count}|after", cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception again) when (again is not OperationCanceledException)
            {
                logger.LogError(again, "Complaint {Number} moved to {Stage}, but neither its follow-through nor a retry of it could be set.", after.Number, after.Stage);
            }
            return after;
        }
    }

    public const string RetryKind = "complaints.after";

    /// <summary>How long a failed follow-through waits before its retry job runs.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMinutes(1);

    /// <summary>The retry job: does what follows the step again, unless the complaint has moved on since.</summary>
    public async Task RetryAsync(string tenantId, ComplaintRetryJob job, Job retry, CancellationToken cancellationToken)
    {
        var c = await service.GetAsync(tenantId, job.Number, cancellationToken).ConfigureAwait(false);
        if (c == null || c.Spans.Count != job.Span)
        {
            return;
        }
        await FollowThroughAsync(c, job.ActorId, cancellationToken, retry).ConfigureAwait(false);
    }

    /// <summary>
    /// Timers and the new owner's notice for an open complaint; the follow-up callback for a
    /// closed one. Idempotent; throws on failure. Run by the retry job (<paramref name="retry"/>),
    /// each owner is told once however often the job runs (<see cref="JobDeliveries"/>).
    /// </summary>
    private async Task<Complaint> FollowThroughAsync(Complaint after, string actorId, CancellationToken cancellationToken, Job? retry = null)
    {
        if (after.IsOpen)
        {
            await PlanAsync(after, cancellationToken).ConfigureAwait(false);
            var owners = (await OwnersAsync(after, cancellationToken).ConfigureAwait(false)).Where(o => o.UserId != actorId).ToList();
            string Notice(Person owner) => localizer.Get(owner.PreferredLanguage, "complaints.notice.yourStep", after.Number, cards.StageName(after.Stage, owner.PreferredLanguage), after.StageDueUtc is { } due ? service.Time(due) : "—");
            var purpose = $"complaints.step {after.Number} {after.Stage}";
            if (retry == null)
            {
                foreach (var owner in owners)
                {
                    await SendViewAsync(after, owner, Notice(owner), "Accent", purpose, cancellationToken).ConfigureAwait(false);
                }
                return after;
            }
            var events = await service.EventsAsync(after.TenantId, after.Number, cancellationToken).ConfigureAwait(false);
            var people = await service.PeopleAsync(after.TenantId, cancellationToken).ConfigureAwait(false);
            var byId = owners.ToDictionary(o => o.UserId, StringComparer.Ordinal);
            await deliveries.SendToEachAsync(retry, byId.Keys, userId => (turn, ct) =>
            {
                var owner = byId[userId];
                return turn.SendActivityAsync(MessageFactory.Attachment(cards.View(after, events, owner, people, owner.PreferredLanguage, Notice(owner), "Accent")), ct);
            }, purpose, cancellationToken).ConfigureAwait(false);
            return after;
        }
        if (after.Stage == ComplaintStage.Closed && after.FollowUpTaskId == null)
        {
            return await FollowUpAsync(after, cancellationToken).ConfigureAwait(false);
        }
        return after;
    }

    /// <summary>Who owns the current step: the person, or everyone holding the role.</summary>
    public async Task<IReadOnlyList<Person>> OwnersAsync(Complaint c, CancellationToken cancellationToken)
    {
        if (c.OwnerId != null)
        {
            var person = await service.PersonAsync(c.TenantId, c.OwnerId, cancellationToken).ConfigureAwait(false);
            return person == null ? [] : [person];
        }
        return c.OwnerRole == null ? [] : await service.WithRoleAsync(c.TenantId, c.OwnerRole, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendViewAsync(Complaint c, Person to, string notice, string color, string purpose, CancellationToken cancellationToken)
    {
        var events = await service.EventsAsync(c.TenantId, c.Number, cancellationToken).ConfigureAwait(false);
        var people = await service.PeopleAsync(c.TenantId, cancellationToken).ConfigureAwait(false);
        var card = cards.View(c, events, to, people, to.PreferredLanguage, notice, color);
        await sender.SendToPersonAsync(c.TenantId, to.UserId, MessageFactory.Attachment(card), purpose, cancellationToken).ConfigureAwait(false);
    }

    private async Task PlanAsync(Complaint c, CancellationToken cancellationToken)
    {
        if (c.StageDueUtc is not { } due)
        {
            return;
        }
        var data = new ComplaintTimerJob(c.Number, c.Stage.ToString(), c.Spans.Count);
        var remindAt = due - service.Options.RemindBefore;
        if (remindAt > service.Now)
        {
            await scheduler.ScheduleAsync(c.TenantId, RemindKind, remindAt, data, JobId(c, "remind"), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        await scheduler.ScheduleAsync(c.TenantId, EscalateKind, due, data, JobId(c, "escalate"), cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private async Task<Complaint> FollowUpAsync(Complaint c, CancellationToken cancellationToken)
    {
        if (CallbackStore.NormalizePhone(c.Contact).Length < 5)
        {
            logger.LogWarning("Complaint {Number} has no phone to call back.", c.Number);
            return c;
        }
        var serviceItem = c.ServiceItem is { Length: > 0 } item ? item : localizer.Get(Localizer.Chinese, "complaints.followUpService");
        var task = await callbacks.AddFollowUpAsync(c.TenantId, c.Complainant, c.Title, c.Contact, serviceItem, service.Today, c.Number, cancellationToken).ConfigureAwait(false);
        var details = $"{task.RepName ?? "—"} · {task.DueDate:yyyy-MM-dd}";
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                return await service.NoteFollowUpAsync(c, task.Id, details, cancellationToken).ConfigureAwait(false);
            }
            catch (StorageConflictException)
            {
                c = await service.GetAsync(c.TenantId, c.Number, cancellationToken).ConfigureAwait(false) ?? c;
                if (c.FollowUpTaskId != null)
                {
                    return c;
                }
            }
        }
        return c;
    }

    /// <summary>A stage-timer job: the reminder to the owner, or the escalation to the supervisors when the limit passed.</summary>
    public async Task RunTimerAsync(string tenantId, string kind, ComplaintTimerJob job, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var c = await service.GetAsync(tenantId, job.Number, cancellationToken).ConfigureAwait(false);
            if (c == null || !c.IsOpen || c.Stage.ToString() != job.Stage || c.Spans.Count != job.Span)
            {
                // Moved on meanwhile: nothing to say.
                return;
            }
            var action = kind == RemindKind ? "reminded" : "escalated";
            var events = await service.EventsAsync(tenantId, c.Number, cancellationToken).ConfigureAwait(false);
            var since = c.StageEnteredUtc;
            if (events.Any(e => e.Action == action && e.AtUtc >= since))
            {
                return;
            }
            var recipients = kind == RemindKind
                ? await OwnersAsync(c, cancellationToken).ConfigureAwait(false)
                : await service.WithRoleAsync(tenantId, Roles.CsSupervisor, cancellationToken).ConfigureAwait(false);
            if (recipients.Count == 0)
            {
                logger.LogWarning("Complaint {Number}: nobody to send the {Kind} to.", c.Number, kind);
            }
            foreach (var person in recipients)
            {
                var locale = person.PreferredLanguage;
                var due = c.StageDueUtc is { } d ? service.Time(d) : "—";
                var notice = kind == RemindKind
                    ? localizer.Get(locale, "complaints.notice.reminder", c.Number, cards.StageName(c.Stage, locale), due)
                    : localizer.Get(locale, "complaints.notice.escalation", c.Number, cards.StageName(c.Stage, locale), cards.OwnerOf(c, locale), due);
                await SendViewAsync(c, person, notice, kind == RemindKind ? "Warning" : "Attention", $"{kind} {c.Number} {c.Stage}", cancellationToken).ConfigureAwait(false);
            }
            try
            {
                await service.NoteAsync(c, action, string.Join("、", recipients.Select(p => p.Name)), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (StorageConflictException)
            {
                // Changed while sending: look again (a step taken meanwhile ends it).
            }
        }
    }
}

/// <summary>"complaints.after": what follows a saved step, again, after it failed the first time.</summary>
public sealed class ComplaintRetryHandler(ComplaintFlow flow) : IJobHandler
{
    public string Kind => ComplaintFlow.RetryKind;

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var data = job.DataAs<ComplaintRetryJob>() ?? throw new PermanentJobFailureException("The complaint retry job has no data.");
        await flow.RetryAsync(job.TenantId, data, job, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>"complaints.remind" / "complaints.escalate": a stage's time limit is near, or passed.</summary>
public sealed class ComplaintTimerHandler(string kind, ComplaintFlow flow) : IJobHandler
{
    public string Kind => kind;

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var data = job.DataAs<ComplaintTimerJob>() ?? throw new PermanentJobFailureException("The complaint timer job has no data.");
        await flow.RunTimerAsync(job.TenantId, kind, data, cancellationToken).ConfigureAwait(false);
    }
}
