using ChatRegs.Bot.Core;
using System.Collections.Concurrent;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Scheduling;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.Meetings.Minutes;

/// <summary>
/// The tenant's daily run ("minutes.daily", every morning at <see cref="MinutesOptions.ReminderTime"/>,
/// acting on Chinese working days only). It is scheduled (idempotently) the first time anyone in
/// the tenant uses the minutes or action items, and covers every series from then on.
/// </summary>
public sealed class MinutesSchedule(JobScheduler scheduler, MinutesService service) : Jobs.IOccurrenceHeld
{
    /// <summary>A meeting was held: its minutes are now due, so the tenant's daily run must exist.</summary>
    public Task HeldAsync(string tenantId, MeetingOccurrence occurrence, CancellationToken cancellationToken) => EnsureDailyAsync(tenantId, cancellationToken);

    public const string DailyKind = "minutes.daily";
    public const string DailyJobId = "minutes|daily";

    private readonly ConcurrentDictionary<string, bool> _ensured = new(StringComparer.Ordinal);

    public async Task EnsureDailyAsync(string tenantId, CancellationToken cancellationToken)
    {
        if (tenantId.Length == 0 || _ensured.ContainsKey(tenantId))
        {
            return;
        }
        var zone = service.TeamZone;
        var at = service.Options.Reminder;
        var local = TeamClock.LocalIn(service.Now, zone);
        var first = local.Date + at.ToTimeSpan();
        if (first <= local)
        {
            first = first.AddDays(1);
        }
        var firstUtc = new DateTimeOffset(first, zone.GetUtcOffset(first));
        await scheduler.ScheduleAsync(tenantId, DailyKind, firstUtc, jobId: DailyJobId,
            recurrence: Recurrence.Weekly(at, service.Options.TimeZone, Enum.GetValues<DayOfWeek>()), cancellationToken: cancellationToken).ConfigureAwait(false);
        // The minutes reviewers' list (例会制度(四) 第十条), every Monday at the same time.
        var monday = first.AddDays((8 - (int)first.DayOfWeek) % 7);
        var mondayUtc = new DateTimeOffset(monday, zone.GetUtcOffset(monday));
        await scheduler.ScheduleAsync(tenantId, MinutesReviewWeeklyJob.Kind, mondayUtc, jobId: MinutesReviewWeeklyJob.JobId,
            recurrence: Recurrence.Weekly(at, service.Options.TimeZone, [DayOfWeek.Monday]), cancellationToken: cancellationToken).ConfigureAwait(false);
        _ensured[tenantId] = true;
    }
}

/// <summary>
/// The morning run, on working days: minutes due today → the recorder (else the host) is
/// reminded; minutes overdue → reported once to the host, the office and the series' minutes
/// recipients (named groups resolved to their members). Action items: the
/// owner is reminded the working day before the due date and on it; once overdue, the owner
/// every working day and the host once. Each reminder is recorded before it is sent, so a run
/// repeated sends nothing twice; one that could not be delivered is tried again the next run.
/// </summary>
public sealed class MinutesDailyJob(MinutesService service, MinutesNotifier notifier, MinutesCards cards, RoleHolders roles, NamedGroups groups, Localization.Localizer localizer, ILogger<MinutesDailyJob> logger) : IJobHandler
{
    public string Kind => MinutesSchedule.DailyKind;

    private string L(string locale, string key, params object?[] args) => localizer.Get(locale, "minutes.notify." + key, args);

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var tenant = job.TenantId;
        var today = service.Today;
        if (!service.Calendar.IsWorkingDay(today))
        {
            return;
        }
        await MinutesDueAsync(tenant, today, cancellationToken).ConfigureAwait(false);
        await ItemsAsync(tenant, today, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> OnceAsync(string tenant, string marker, string userId, Func<string, IActivity> build, CancellationToken cancellationToken)
    {
        if (!await service.MarkReminderSentAsync(tenant, marker + "|" + userId, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }
        if (!await notifier.SendAsync(tenant, userId, build, "minutes.daily " + marker, cancellationToken).ConfigureAwait(false))
        {
            await service.UnmarkReminderAsync(tenant, marker + "|" + userId, cancellationToken).ConfigureAwait(false);
            return false;
        }
        return true;
    }

    private async Task MinutesDueAsync(string tenant, DateOnly today, CancellationToken cancellationToken)
    {
        var now = service.Now;
        service.Cache.Invalidate(tenant);
        var docs = (await service.WorkingCopiesAsync(tenant, cancellationToken).ConfigureAwait(false)).ToDictionary(d => d.OccurrenceKey, StringComparer.Ordinal);
        // Everyone the bot treats as office, the configured administrators included.
        var officeHolders = await roles.HoldersAsync(tenant, Roles.Office, cancellationToken).ConfigureAwait(false);
        if (officeHolders.NotYetMet.Count > 0)
        {
            logger.LogWarning("Overdue minutes cannot be reported to configured office administrators {Admins}: they have not talked to the bot yet.", string.Join(", ", officeHolders.NotYetMet));
        }
        var office = officeHolders.People.Select(p => p.UserId).ToList();
        foreach (var series in await service.Cache.ListAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            service.Cache.Invalidate(tenant, series.Id);
            var snapshot = await service.Cache.GetAsync(tenant, series.Id, cancellationToken).ConfigureAwait(false);
            if (snapshot == null)
            {
                continue;
            }
            var held = snapshot.Occurrences(now.AddDays(-service.Options.LookBackDays), now)
                .Where(o => !o.Cancelled && o.End <= now && o.End > series.CreatedAt);
            foreach (var occurrence in held)
            {
                if (docs.TryGetValue(occurrence.Key, out var doc) && doc.Submitted)
                {
                    continue;
                }
                var due = service.DueOf(occurrence);
                if (today == due)
                {
                    var recorder = series.RecorderId ?? occurrence.HostId;
                    await OnceAsync(tenant, "minutesDue|" + occurrence.Key, recorder,
                        locale => MessageFactory.Text(L(locale, "minutesDueToday", series.Name, MeetingText.When(occurrence, locale))), cancellationToken).ConfigureAwait(false);
                }
                else if (today > due)
                {
                    var recorderName = series.RecorderId == null ? "—" : snapshot.NameOf(series.RecorderId);
                    // Host, office and the series' minutes recipients (its named groups' members too): whoever the minutes go to hears they are late.
                    var named = await groups.ResolveAsync(tenant, series.MinutesRecipients, cancellationToken).ConfigureAwait(false);
                    foreach (var userId in new[] { occurrence.HostId }.Concat(office).Concat(named).Distinct())
                    {
                        await OnceAsync(tenant, "minutesOverdue|" + occurrence.Key, userId,
                            locale => MessageFactory.Text(L(locale, "minutesOverdue", series.Name, MeetingText.When(occurrence, locale), MinutesCards.Day(due, locale), recorderName)), cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    private async Task ItemsAsync(string tenant, DateOnly today, CancellationToken cancellationToken)
    {
        foreach (var item in (await service.ItemsAsync(tenant, cancellationToken).ConfigureAwait(false)).Where(i => i.IsOpen))
        {
            var due = item.Due.ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
            if (today < item.Due && today == service.Calendar.PreviousWorkingDay(item.Due))
            {
                await OnceAsync(tenant, $"itemBefore|{item.Id}|{due}", item.OwnerId,
                    locale => Card(item, locale, today, L(locale, "itemDueTomorrow", item.Description, MinutesCards.Day(item.Due, locale))), cancellationToken).ConfigureAwait(false);
            }
            else if (today == item.Due)
            {
                await OnceAsync(tenant, $"itemDue|{item.Id}|{due}", item.OwnerId,
                    locale => Card(item, locale, today, L(locale, "itemDueToday", item.Description)), cancellationToken).ConfigureAwait(false);
            }
            else if (today > item.Due)
            {
                var days = service.Calendar.WorkingDaysBetween(item.Due, today);
                await OnceAsync(tenant, $"itemLate|{item.Id}|{today:yyyyMMdd}", item.OwnerId,
                    locale => Card(item, locale, today, L(locale, "itemOverdue", item.Description, MinutesCards.Day(item.Due, locale), days)), cancellationToken).ConfigureAwait(false);
                var (snapshot, occurrence) = await service.Cache.GetOccurrenceAsync(tenant, item.OccurrenceKey, cancellationToken).ConfigureAwait(false);
                var host = occurrence?.HostId ?? snapshot?.Series.HostId;
                if (host != null && host != item.OwnerId)
                {
                    await OnceAsync(tenant, $"itemLateHost|{item.Id}|{due}", host,
                        locale => MessageFactory.Text(L(locale, "itemOverdueHost", item.OwnerName, item.Description, item.MeetingName, MinutesCards.Day(item.Due, locale))), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        logger.LogDebug("Minutes daily run for {Tenant} on {Today} done.", tenant, today);
    }

    private IActivity Card(ActionItem item, string locale, DateOnly today, string text)
    {
        var activity = MessageFactory.Attachment(cards.Item(item, locale, today, canUpdate: true));
        activity.Text = text;
        return activity;
    }
}

/// <summary>
/// At start-up, schedules the daily run (idempotently) for every tenant the deployment names:
/// <c>ChatRegs:AllowedTenants</c> and <c>ChatRegs:Minutes:Tenants</c>. Other tenants get it when
/// their first meeting is held (the roll job, <see cref="Jobs.IOccurrenceHeld"/>) or someone uses
/// the minutes. Tries again while storage is not ready yet.
/// </summary>
public sealed class MinutesStartup(MinutesSchedule schedule, Microsoft.Extensions.Options.IOptions<MinutesOptions> options,
    Microsoft.Extensions.Options.IOptions<Authorization.TenantOptions> tenants, ILogger<MinutesStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var names = options.Value.Tenants.Concat(tenants.Value.AllowedTenants)
            .Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var tenant in names)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await schedule.EnsureDailyAsync(tenant, stoppingToken).ConfigureAwait(false);
                    break;
                }
                catch (Exception e) when (e is not OperationCanceledException && attempt < 10)
                {
                    logger.LogWarning(e, "The minutes' daily run for tenant {Tenant} could not be scheduled yet (attempt {Attempt}).", tenant, attempt);
                    await Task.Delay(TimeSpan.FromSeconds(5 * attempt), stoppingToken).ConfigureAwait(false);
                }
            }
        }
    }
}
