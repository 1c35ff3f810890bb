using ChatRegs.Bot.Core;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Storage;
using Microsoft.Extensions.Options;

namespace ChatRegs.Bot.Callbacks;

/// <summary>What an import did.</summary>
public sealed record ImportOutcome(
    IReadOnlyList<CallbackTask> Added,
    int AlreadyImported,
    IReadOnlyList<RowError> Errors,
    string? Refusal = null)
{
    public static ImportOutcome Refused(string reason) => new([], 0, [], reason);

    /// <summary>Reps on duty when the tasks were spread over them (read once, with the import).</summary>
    public int RepsOnDuty { get; init; }

    /// <summary>New tasks that were not saved: storage failed after some were (each batch of <see cref="CallbackStore.BatchSize"/> is saved whole or not at all). Importing again adds them.</summary>
    public int NotSaved { get; init; }

    public int Unassigned => Added.Count(t => t.RepId == null);
}

/// <summary>The task changed while the rep was on the call (reassigned, or closed elsewhere): nothing was saved.</summary>
public sealed class CallbackTaskChangedException(string taskId, Exception? inner = null)
    : Exception($"Callback task {taskId} changed during the call.", inner)
{
    public string TaskId { get; } = taskId;
}

/// <summary>
/// The rules of 客服工作职责(6)(7) over the stored tasks: importing service records (bad rows
/// reported, re-imports not duplicated), balancing unassigned tasks over the reps on duty by
/// their open load (按照负责客户数量均衡), the queue order (overdue, due today, members first),
/// when a call may start (never in the customer's rest time; attempts spaced; not before a
/// booked time) and what each way a call ends writes.
/// </summary>
public sealed class CallbackService
{
    public const string AutoAssigned = "auto";
    public const string ImportAssigned = "import";

    private readonly CallbackStore _store;
    private readonly PeopleDirectory _people;
    private readonly RoleHolders _roles;
    private readonly TeamClock _clock;
    private readonly Localizer _localizer;

    public CallbackService(CallbackStore store, ScriptLibrary scripts, PeopleDirectory people, RoleHolders roles, IOptions<CallbackOptions> options, TeamClock clock, Localizer localizer)
    {
        _store = store;
        Scripts = scripts;
        _people = people;
        _roles = roles;
        _clock = clock;
        _localizer = localizer;
        Options = options.Value;
        Quiet = QuietHours.Parse(Options.QuietHours);
        TeamZoneId = Options.TeamTimeZoneId(clock.ZoneId);
        TeamZone = clock.ZoneOr(TeamZoneId);
        CustomerZoneDefault = string.IsNullOrWhiteSpace(Options.CustomerTimeZone) ? TeamZoneId : Options.CustomerTimeZone.Trim();
        if (Options.MaxAttempts < 1 || Options.WindowDays < 0)
        {
            throw new ArgumentException("ChatRegs:Callbacks: MaxAttempts must be at least 1 and WindowDays at least 0.");
        }
    }

    public CallbackOptions Options { get; }

    public QuietHours Quiet { get; }

    public ScriptLibrary Scripts { get; }

    // ---- the stored tasks, calls and script choices, for the callbacks' cards, commands and jobs (the store stays inside) ----

    public Task<CallbackTask?> GetTaskAsync(string tenantId, string taskId, CancellationToken cancellationToken) =>
        _store.GetTaskAsync(tenantId, taskId, cancellationToken);

    /// <summary>Every task of the tenant, open or closed.</summary>
    public Task<IReadOnlyList<CallbackTask>> AllTasksAsync(string tenantId, CancellationToken cancellationToken) =>
        _store.ListTasksAsync(tenantId, openOnly: false, cancellationToken);

    /// <summary>Call records that ended in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), all when both are null.</summary>
    public Task<IReadOnlyList<CallRecord>> CallRecordsAsync(string tenantId, DateTimeOffset? fromUtc, DateTimeOffset? toUtc, CancellationToken cancellationToken) =>
        _store.ListRecordsAsync(tenantId, fromUtc, toUtc, cancellationToken);

    /// <summary>The calls made on one task.</summary>
    public Task<IReadOnlyList<CallRecord>> CallsOfTaskAsync(string tenantId, string taskId, CancellationToken cancellationToken) =>
        _store.RecordsOfTaskAsync(tenantId, taskId, cancellationToken);

    /// <summary>The supervisor's analysis of a period's 回访总结报告, or null when none is written.</summary>
    public Task<CallbackReportNote?> ReportNoteAsync(string tenantId, ReportPeriod period, CancellationToken cancellationToken) =>
        _store.GetReportNoteAsync(tenantId, period, cancellationToken);

    /// <summary>
    /// Writes (or replaces, over <paramref name="etag"/> — the row the writer's card showed, none
    /// for the first) the analysis of a period, with the figures it was written against and who
    /// wrote it. Changed: someone else saved one meanwhile.
    /// </summary>
    public Task<Saved<CallbackReportNote>> WriteAnalysisAsync(Person writer, ReportPeriod period, string analysis, ReportFigures figures, string? etag, CancellationToken cancellationToken) =>
        _store.SaveReportNoteAsync(new CallbackReportNote
        {
            TenantId = writer.TenantId,
            Period = period,
            Analysis = analysis,
            WrittenById = writer.UserId,
            WrittenByName = writer.Name,
            WrittenUtc = Now,
            Figures = figures,
            ETag = etag,
        }, cancellationToken);

    /// <summary>Notes on a call the number of the complaint the customer's words were registered as.</summary>
    public Task LinkComplaintAsync(CallRecord record, string complaintNumber, CancellationToken cancellationToken) =>
        _store.SetComplaintIdAsync(record, complaintNumber, cancellationToken);

    /// <summary>Which script each service type uses (the supervisor's choices).</summary>
    public Task<IReadOnlyDictionary<string, (string ServiceType, string ScriptId)>> ScriptChoicesAsync(string tenantId, CancellationToken cancellationToken) =>
        _store.ScriptChoicesAsync(tenantId, cancellationToken);

    public Task<ScriptSettings> ScriptSettingsAsync(string tenantId, string scriptId, CancellationToken cancellationToken) =>
        _store.ScriptSettingsAsync(tenantId, scriptId, cancellationToken);

    /// <summary>A supervisor chooses the script a service type's calls use.</summary>
    public Task ChooseScriptAsync(string tenantId, string serviceType, string scriptId, string changedBy, CancellationToken cancellationToken) =>
        _store.SetScriptChoiceAsync(tenantId, serviceType, scriptId, changedBy, Now, cancellationToken);

    /// <summary>A supervisor changes a script's settings.</summary>
    public Task ChangeScriptSettingsAsync(string tenantId, string scriptId, ScriptSettings settings, string changedBy, CancellationToken cancellationToken) =>
        _store.SetScriptSettingsAsync(tenantId, scriptId, settings, changedBy, Now, cancellationToken);

    /// <summary>Writes a mark on a task (reminded, escalated); when the task changed meanwhile, reads it again and marks the new version (unless already marked).</summary>
    public async Task MarkAsync(CallbackTask task, Func<CallbackTask, CallbackTask> mark, Func<CallbackTask, bool> marked, CancellationToken cancellationToken)
    {
        var current = task;
        for (var i = 0; i < 3; i++)
        {
            if ((await _store.UpdateTaskAsync(mark(current), cancellationToken).ConfigureAwait(false)).IsWritten)
            {
                return;
            }
            var fresh = await _store.GetTaskAsync(task.TenantId, task.Id, cancellationToken).ConfigureAwait(false);
            if (fresh == null || marked(fresh))
            {
                return;
            }
            current = fresh;
        }
    }

    public string TeamZoneId { get; }

    public TimeZoneInfo TeamZone { get; }

    public string CustomerZoneDefault { get; }

    public DateTimeOffset Now => _clock.Now;

    /// <summary>The team's date now.</summary>
    public DateOnly Today => TeamClock.DateIn(Now, TeamZone);

    public DateOnly DateOf(DateTimeOffset instant) => TeamClock.DateIn(instant, TeamZone);

    public TimeZoneInfo ZoneOf(CallbackTask task)
    {
        try
        {
            return TimeZones.Find(task.CustomerTimeZone);
        }
        catch (ArgumentException)
        {
            return TeamZone;
        }
    }

    public DateTime CustomerLocal(CallbackTask task, DateTimeOffset instant) => TeamClock.LocalIn(instant, ZoneOf(task));

    // ---- people ----

    /// <summary>Everyone holding the rep role in the tenant (<see cref="RoleHolders"/> decides who holds a role).</summary>
    public async Task<IReadOnlyList<Person>> RepsAsync(string tenantId, CancellationToken cancellationToken) =>
        (await _roles.HoldersAsync(tenantId, Roles.CsRep, cancellationToken).ConfigureAwait(false)).People;

    public async Task<IReadOnlyList<Person>> SupervisorsAsync(string tenantId, CancellationToken cancellationToken) =>
        (await _roles.HoldersAsync(tenantId, Roles.CsSupervisor, cancellationToken).ConfigureAwait(false)).People;

    public async Task<Person?> PersonAsync(string tenantId, string userId, CancellationToken cancellationToken) =>
        await _people.GetAsync(tenantId, userId, cancellationToken).ConfigureAwait(false) is { } person ? _roles.Resolve(person) : null;

    // ---- import and assignment ----

    /// <summary>
    /// Imports service records from CSV text. Each good row becomes a task due
    /// <see cref="CallbackOptions.WindowDays"/> days after the service; a row already imported
    /// (same phone, service item and date) is counted, not added again; the new tasks nobody
    /// was named for are spread over the reps on duty.
    /// </summary>
    public async Task<ImportOutcome> ImportAsync(Person actor, string text, string locale, CancellationToken cancellationToken)
    {
        var parsed = CallbackImport.Parse(text, Today, CustomerZoneDefault, Options.MaxImportRows, _localizer, locale);
        if (parsed.Refusal != null)
        {
            return ImportOutcome.Refused(parsed.Refusal);
        }
        var tenant = actor.TenantId;
        var reps = await RepsAsync(tenant, cancellationToken).ConfigureAwait(false);
        var everyone = await _people.ListAsync(tenant, cancellationToken).ConfigureAwait(false);
        var errors = parsed.Errors.ToList();
        var now = Now;
        var good = new List<CallbackTask>();
        foreach (var row in parsed.Rows)
        {
            Person? rep = null;
            if (row.Rep != null)
            {
                var (found, reason) = ResolveRep(row.Rep, reps, everyone, locale);
                if (found == null)
                {
                    errors.Add(new RowError(row.Line, reason!));
                    continue;
                }
                rep = found;
            }
            good.Add(new CallbackTask
            {
                TenantId = tenant,
                Id = CallbackStore.TaskId(row.Phone, row.ServiceItem, row.ServiceDate),
                CustomerName = row.CustomerName,
                Title = row.Title,
                Phone = row.Phone,
                IsMember = row.IsMember,
                ServiceItem = row.ServiceItem,
                ServiceType = row.ServiceType,
                ServiceDate = row.ServiceDate,
                DueDate = row.ServiceDate.AddDays(Options.WindowDays),
                CustomerTimeZone = row.TimeZone,
                RepId = rep?.UserId,
                RepName = rep?.Name,
                AssignedBy = rep == null ? null : ImportAssigned,
                AssignedUtc = rep == null ? null : now,
                ImportedUtc = now,
                ImportedBy = actor.UserId,
            });
        }

        var existing = await _store.ListTasksAsync(tenant, openOnly: false, cancellationToken).ConfigureAwait(false);
        var known = existing.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        var fresh = good.Where(t => !known.Contains(t.Id)).ToList();
        var balanced = Balance(fresh.Where(t => t.RepId == null), reps.Where(r => r.OnDuty).ToList(), existing.Concat(fresh).ToList(), now).ToDictionary(t => t.Id);
        fresh = fresh.Select(t => balanced.GetValueOrDefault(t.Id) ?? t).ToList();

        // One batch at a time, so that when storage fails part-way the outcome says which were saved:
        // nothing saved yet is "not saved, try again" (the exception); some saved is said on the card.
        var addedTasks = new List<CallbackTask>();
        var done = 0;
        var notSaved = 0;
        foreach (var batch in fresh.Chunk(CallbackStore.BatchSize))
        {
            try
            {
                var saved = await _store.AddTasksAsync(tenant, batch, cancellationToken).ConfigureAwait(false);
                addedTasks.AddRange(saved.Where(s => s.IsWritten).Select(s => s.Value!));
                done += batch.Length;
            }
            catch (Exception e) when (addedTasks.Count > 0 && StorageProblems.Is(e))
            {
                notSaved = fresh.Count - done;
                break;
            }
        }
        return new ImportOutcome(addedTasks, good.Count - addedTasks.Count - notSaved, errors.OrderBy(e => e.Line).ToList()) { NotSaved = notSaved, RepsOnDuty = reps.Count(r => r.OnDuty) };
    }

    /// <summary>
    /// A follow-up callback (处理后有回访) for a closed complaint: a task like an imported one
    /// (due <see cref="CallbackOptions.WindowDays"/> days after <paramref name="fromDate"/>,
    /// balanced over the reps on duty by their open load), marked as coming from the complaint
    /// (ImportedBy "complaint:{number}"). Asking again for the same complaint finds the task
    /// instead of adding a second one.
    /// </summary>
    public async Task<CallbackTask> AddFollowUpAsync(string tenantId, string customerName, string title, string phone, string serviceItem, DateOnly fromDate, string complaintNumber, CancellationToken cancellationToken)
    {
        var id = CallbackStore.TaskId(phone, "complaint " + complaintNumber, fromDate);
        if (await _store.GetTaskAsync(tenantId, id, cancellationToken).ConfigureAwait(false) is { } known)
        {
            return known;
        }
        var task = new CallbackTask
        {
            TenantId = tenantId,
            Id = id,
            CustomerName = customerName,
            Title = title is "mr" or "ms" or "miss" ? title : "ms",
            Phone = phone,
            ServiceItem = serviceItem,
            ServiceType = serviceItem,
            ServiceDate = fromDate,
            DueDate = fromDate.AddDays(Options.WindowDays),
            CustomerTimeZone = CustomerZoneDefault,
            ImportedUtc = Now,
            ImportedBy = "complaint:" + complaintNumber,
        };
        var open = await _store.ListTasksAsync(tenantId, openOnly: true, cancellationToken).ConfigureAwait(false);
        var reps = (await RepsAsync(tenantId, cancellationToken).ConfigureAwait(false)).Where(r => r.OnDuty).ToList();
        task = Balance([task], reps, open, Now).SingleOrDefault() ?? task;
        await _store.AddTasksAsync(tenantId, [task], cancellationToken).ConfigureAwait(false);
        return (await _store.GetTaskAsync(tenantId, id, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>A rep named in a row: by name, user principal name or user id, holding the rep role.</summary>
    private (Person? Rep, string? Reason) ResolveRep(string text, IReadOnlyList<Person> reps, IReadOnlyList<Person> everyone, string locale)
    {
        bool Matches(Person p) => p.Name.Equals(text, StringComparison.OrdinalIgnoreCase)
            || p.UserId.Equals(text, StringComparison.OrdinalIgnoreCase)
            || (p.UserPrincipalName?.Equals(text, StringComparison.OrdinalIgnoreCase) ?? false);
        var matches = reps.Where(Matches).ToList();
        if (matches.Count == 1)
        {
            return (matches[0], null);
        }
        if (matches.Count > 1)
        {
            return (null, _localizer.Get(locale, "callbacks.import.errors.repAmbiguous", text));
        }
        return everyone.Any(Matches)
            ? (null, _localizer.Get(locale, "callbacks.import.errors.notRep", text))
            : (null, _localizer.Get(locale, "callbacks.import.errors.unknownRep", text));
    }

    /// <summary>Open tasks per rep (all of them, or only the members' when <paramref name="membersOnly"/>).</summary>
    public static Dictionary<string, int> OpenLoads(IEnumerable<CallbackTask> tasks, bool membersOnly = false) =>
        tasks.Where(t => t.IsOpen && t.RepId != null && (!membersOnly || t.IsMember)).GroupBy(t => t.RepId!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>
    /// 客服主管按照负责客户数量均衡、兼顾业务潜力的原则分配: gives each task to the rep with the fewest
    /// open tasks at that moment; among those, a member's task (会员: the customers with the most
    /// business potential) goes to the one with the fewest members, so members are spread evenly
    /// too (then by name, then id). Most urgent tasks first, so that after the round the loads
    /// differ by at most one wherever that is possible. <paramref name="open"/> are the tasks
    /// already assigned (their loads count).
    /// </summary>
    public static IReadOnlyList<CallbackTask> Balance(IEnumerable<CallbackTask> unassigned, IReadOnlyList<Person> reps, IReadOnlyCollection<CallbackTask> open, DateTimeOffset now)
    {
        if (reps.Count == 0)
        {
            return [];
        }
        var loads = OpenLoads(open);
        var members = OpenLoads(open, membersOnly: true);
        static int Of(Dictionary<string, int> counts, string id) => counts.TryGetValue(id, out var n) ? n : 0;
        var result = new List<CallbackTask>();
        foreach (var task in unassigned.OrderBy(t => t.DueDate).ThenBy(t => t.IsMember ? 0 : 1).ThenBy(t => t.ServiceDate).ThenBy(t => t.Id, StringComparer.Ordinal))
        {
            var rep = reps
                .OrderBy(r => Of(loads, r.UserId))
                .ThenBy(r => task.IsMember ? Of(members, r.UserId) : 0)
                .ThenBy(r => r.Name, StringComparer.Ordinal)
                .ThenBy(r => r.UserId, StringComparer.Ordinal)
                .First();
            loads[rep.UserId] = Of(loads, rep.UserId) + 1;
            if (task.IsMember)
            {
                members[rep.UserId] = Of(members, rep.UserId) + 1;
            }
            result.Add(task with { RepId = rep.UserId, RepName = rep.Name, AssignedBy = AutoAssigned, AssignedUtc = now });
        }
        return result;
    }

    /// <summary>Spreads the tenant's open, unassigned tasks over the reps on duty. Returns the tasks assigned.</summary>
    public async Task<IReadOnlyList<CallbackTask>> AssignUnassignedAsync(string tenantId, CancellationToken cancellationToken)
    {
        var open = await _store.ListTasksAsync(tenantId, openOnly: true, cancellationToken).ConfigureAwait(false);
        var unassigned = open.Where(t => t.RepId == null).ToList();
        if (unassigned.Count == 0)
        {
            return [];
        }
        var reps = (await RepsAsync(tenantId, cancellationToken).ConfigureAwait(false)).Where(r => r.OnDuty).ToList();
        var assigned = new List<CallbackTask>();
        foreach (var task in Balance(unassigned, reps, open, Now))
        {
            // Changed meanwhile (assigned by the supervisor, called): leave it.
            if ((await _store.UpdateTaskAsync(task, cancellationToken).ConfigureAwait(false)) is { IsWritten: true } saved)
            {
                assigned.Add(saved.Value!);
            }
        }
        return assigned;
    }

    /// <summary>Gives a task to another rep (the supervisor's choice).</summary>
    public async Task<CallbackTask> ReassignAsync(CallbackTask task, Person rep, Person actor, CancellationToken cancellationToken) =>
        (await _store.UpdateTaskAsync(task with
        {
            RepId = rep.UserId,
            RepName = rep.Name,
            AssignedBy = actor.UserId,
            AssignedUtc = Now,
            // The new rep has not been reminded yet.
            RemindedOn = null,
        }, cancellationToken).ConfigureAwait(false)).OrThrow();

    // ---- queue ----

    public static Urgency UrgencyOf(CallbackTask task, DateOnly today) =>
        task.DueDate < today ? Urgency.Overdue : task.DueDate == today ? Urgency.DueToday : Urgency.Later;

    /// <summary>Most urgent first: overdue, then due today, then the rest; members first within each; then by due date.</summary>
    public static IReadOnlyList<CallbackTask> ByUrgency(IEnumerable<CallbackTask> tasks, DateOnly today) =>
        tasks.Where(t => t.IsOpen)
            .OrderBy(t => UrgencyOf(t, today))
            .ThenBy(t => t.IsMember ? 0 : 1)
            .ThenBy(t => t.DueDate)
            .ThenBy(t => t.ServiceDate)
            .ThenBy(t => t.CustomerName, StringComparer.Ordinal)
            .ThenBy(t => t.Id, StringComparer.Ordinal)
            .ToList();

    public async Task<IReadOnlyList<CallbackTask>> QueueAsync(string tenantId, string repId, CancellationToken cancellationToken) =>
        ByUrgency(await _store.OpenTasksOfAsync(tenantId, repId, cancellationToken).ConfigureAwait(false), Today);

    // ---- scripts ----

    /// <summary>The script a service type is called with now, and its optional parts as set.</summary>
    public async Task<(CallbackScript Script, ScriptSettings Settings)> ScriptForAsync(string tenantId, string serviceType, CancellationToken cancellationToken)
    {
        var choices = await _store.ScriptChoicesAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var script = (choices.TryGetValue(CallbackStore.NormalizeText(serviceType), out var chosen) ? Scripts.Get(chosen.ScriptId) : null)
            ?? (choices.TryGetValue("*", out var all) ? Scripts.Get(all.ScriptId) : null)
            ?? Scripts.Get(Scripts.DefaultId)!;
        var settings = await _store.ScriptSettingsAsync(tenantId, script.Id, cancellationToken).ConfigureAwait(false);
        // A toggle that needs text is off until it has some.
        var on = settings.TogglesOn.Where(id => script.Toggles.Any(t => t.Id == id && (!t.NeedsText || !string.IsNullOrWhiteSpace(settings.ThemeText)))).ToHashSet(StringComparer.Ordinal);
        return (script, settings with { TogglesOn = on });
    }

    // ---- calls ----

    /// <summary>Why a call on this task cannot start now (in the rep's language), or null when it can.</summary>
    public string? WhyNotNow(CallbackTask task, string locale)
    {
        if (!task.IsOpen)
        {
            return _localizer.Get(locale, task.Status == CallbackStatus.Finished ? "callbacks.call.alreadyFinished" : "callbacks.call.unreachable", task.CustomerName);
        }
        var zone = ZoneOf(task);
        var now = Now;
        var local = TeamClock.LocalIn(now, zone);
        if (Quiet.Range(TimeOnly.FromDateTime(local)) is { } range)
        {
            var next = Quiet.NextAllowed(local);
            return _localizer.Get(locale, "callbacks.call.quiet", QuietHours.Describe(range), local.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), When(next, local, locale), zone.Id);
        }
        if (task.NextAttemptUtc is { } retry && retry > now)
        {
            var at = TeamClock.LocalIn(retry, zone);
            return _localizer.Get(locale, "callbacks.call.tooSoon", task.FailedAttempts, Options.MaxAttempts, When(at, local, locale));
        }
        if (task.BookedUtc is { } booked && booked - Options.BookingEarly > now)
        {
            var at = TeamClock.LocalIn(booked, zone);
            return _localizer.Get(locale, "callbacks.call.beforeBooking", When(at, local, locale));
        }
        return null;
    }

    /// <summary>"今天 14:00" / "明天 09:00" / "3月6日 09:00" relative to <paramref name="now"/>.</summary>
    public string When(DateTime at, DateTime now, string locale)
    {
        var time = at.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        if (at.Date == now.Date)
        {
            return _localizer.Get(locale, "callbacks.time.today", time);
        }
        if (at.Date == now.Date.AddDays(1))
        {
            return _localizer.Get(locale, "callbacks.time.tomorrow", time);
        }
        return CallbackDates.Moment(at, locale);
    }

    /// <summary>Re-reads a task at the end of a call: it must still be open and still this rep's.</summary>
    private async Task<CallbackTask> CurrentAsync(string tenantId, string taskId, string repId, CancellationToken cancellationToken)
    {
        var task = await _store.GetTaskAsync(tenantId, taskId, cancellationToken).ConfigureAwait(false);
        if (task == null || !task.IsOpen || task.RepId != repId)
        {
            throw new CallbackTaskChangedException(taskId);
        }
        return task;
    }

    private static CallRecord NewRecord(CallbackTask task, CallState call, int number, DateTimeOffset now) => new()
    {
        TenantId = task.TenantId,
        TaskId = task.Id,
        Number = number,
        StartedUtc = call.StartedUtc,
        EndedUtc = now,
        RepId = call.RepId,
        RepName = call.RepName,
        CustomerName = task.CustomerName,
        Title = task.Title,
        Phone = task.Phone,
        IsMember = task.IsMember,
        ServiceItem = task.ServiceItem,
        ServiceDate = task.ServiceDate,
        DueDate = task.DueDate,
        ScriptId = call.ScriptId,
        ScriptVersion = call.ScriptVersion,
        Language = call.Language,
        Method = call.MethodValue,
        Steps = call.Answers.ToList(),
    };

    /// <summary>
    /// Saves the call (task and record in one transaction) and returns the record as stored.
    /// When the answer to the write is lost, or a retry of the same call finds the task moved on,
    /// a record with this call's number by this rep with this outcome is this call, saved by the
    /// earlier attempt: it is returned (and not reported as "changed by someone else").
    /// </summary>
    private async Task<CallRecord> SaveAsync(CallbackTask task, CallRecord record, CancellationToken cancellationToken)
    {
        try
        {
            var saved = await _store.SaveCallAsync(task, record, cancellationToken).ConfigureAwait(false);
            if (saved.IsWritten)
            {
                return record;
            }
            return await SavedAlreadyAsync(record, cancellationToken).ConfigureAwait(false) ?? throw new CallbackTaskChangedException(task.Id);
        }
        catch (Azure.RequestFailedException e) when (e.Status is 0 or >= 500)
        {
            if (await SavedAlreadyAsync(record, cancellationToken).ConfigureAwait(false) is { } saved)
            {
                return saved;
            }
            throw;
        }
    }

    private async Task<CallRecord?> SavedAlreadyAsync(CallRecord record, CancellationToken cancellationToken) =>
        (await _store.RecordsOfTaskAsync(record.TenantId, record.TaskId, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault(r => r.Number == record.Number && r.RepId == record.RepId && r.Outcome == record.Outcome && SameCall(r, record.StartedUtc));

    private static bool SameCall(CallRecord stored, DateTimeOffset startedUtc) => (stored.StartedUtc - startedUtc).Duration() < TimeSpan.FromSeconds(1);

    /// <summary>
    /// 无人接听 / 非本人: an attempt that did not reach the customer. The next one waits
    /// <see cref="CallbackOptions.RetrySpacing"/> (and for the end of the rest time); after
    /// <see cref="CallbackOptions.MaxAttempts"/> the task is unreachable.
    /// </summary>
    public async Task<(CallbackTask Task, CallRecord Record)> RecordFailedAttemptAsync(CallState call, CallOutcome outcome, CancellationToken cancellationToken)
    {
        var task = await CurrentAsync(call.TenantId, call.TaskId, call.RepId, cancellationToken).ConfigureAwait(false);
        var now = Now;
        var failed = task.FailedAttempts + 1;
        var unreachable = failed >= Options.MaxAttempts;
        var updated = task with
        {
            FailedAttempts = failed,
            Calls = task.Calls + 1,
            NextAttemptUtc = unreachable ? null : Quiet.NextAllowed(now + Options.RetrySpacing, ZoneOf(task)),
            BookedUtc = null,
            LastOutcome = outcome,
            LastCallUtc = now,
            Status = unreachable ? CallbackStatus.Unreachable : CallbackStatus.Open,
        };
        var record = NewRecord(task, call, task.Calls + 1, now) with { Outcome = outcome, Attempt = failed };
        await SaveAsync(updated, record, cancellationToken).ConfigureAwait(false);
        return (updated, record);
    }

    /// <summary>不方便，约时间: the customer's time is booked (再约一个方便的时间).</summary>
    public async Task<(CallbackTask Task, CallRecord Record)> RecordBookingAsync(CallState call, DateTimeOffset bookedUtc, CancellationToken cancellationToken)
    {
        var task = await CurrentAsync(call.TenantId, call.TaskId, call.RepId, cancellationToken).ConfigureAwait(false);
        var now = Now;
        var updated = task with
        {
            Calls = task.Calls + 1,
            BookedUtc = bookedUtc,
            NextAttemptUtc = null,
            LastOutcome = CallOutcome.Booked,
            LastCallUtc = now,
        };
        var record = NewRecord(task, call, task.Calls + 1, now) with { Outcome = CallOutcome.Booked, BookedUtc = bookedUtc };
        await SaveAsync(updated, record, cancellationToken).ConfigureAwait(false);
        return (updated, record);
    }

    /// <summary>
    /// A finished call: the task is done, the record holds every answer. <paramref name="beforeSave"/>
    /// runs with the record about to be written, before it is (the place for an outbox job that
    /// must exist whenever the record does); if it fails, nothing is saved.
    /// </summary>
    public async Task<(CallbackTask Task, CallRecord Record)> RecordFinishedAsync(CallState call, CancellationToken cancellationToken, Func<CallRecord, Task>? beforeSave = null)
    {
        var stored = await _store.GetTaskAsync(call.TenantId, call.TaskId, cancellationToken).ConfigureAwait(false);
        // Pressed again after "not saved" although the first press was saved (its answer was lost): that call, once.
        if (stored is { IsOpen: false, Calls: > 0 } && stored.RepId == call.RepId)
        {
            var earlier = (await _store.RecordsOfTaskAsync(call.TenantId, call.TaskId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(r =>
                r.Number == stored.Calls && r.RepId == call.RepId && r.Outcome == CallOutcome.Finished && SameCall(r, call.StartedUtc));
            if (earlier != null)
            {
                return (stored, earlier);
            }
        }
        if (stored == null || !stored.IsOpen || stored.RepId != call.RepId)
        {
            throw new CallbackTaskChangedException(call.TaskId);
        }
        var task = stored;
        var now = Now;
        var satisfaction = Enum.TryParse<Satisfaction>(call.Satisfaction, out var s) ? s : Satisfaction.None;
        var updated = task with
        {
            Calls = task.Calls + 1,
            Status = CallbackStatus.Finished,
            FinishedUtc = now,
            LastOutcome = CallOutcome.Finished,
            LastCallUtc = now,
            NextAttemptUtc = null,
            BookedUtc = null,
            Satisfaction = satisfaction,
            FollowUp = call.FollowUp,
        };
        var record = NewRecord(task, call, task.Calls + 1, now) with
        {
            Outcome = CallOutcome.Finished,
            Satisfaction = satisfaction,
            ComplaintWords = Words(call, "complaint"),
            SuggestionWords = Words(call, "suggestion"),
            FollowUp = call.FollowUp,
            FollowUpNote = string.IsNullOrWhiteSpace(call.FollowUpNote) ? null : call.FollowUpNote.Trim(),
            ComplaintOffered = call.ComplaintOffered,
            ComplaintAccepted = call.ComplaintAccepted,
        };
        if (beforeSave != null)
        {
            await beforeSave(record).ConfigureAwait(false);
        }
        return (updated, await SaveAsync(updated, record, cancellationToken).ConfigureAwait(false));
    }

    private static string? Words(CallState call, string collects)
    {
        var words = call.Answers.Where(a => call.Collects.TryGetValue(a.StepId, out var c) && c == collects && !string.IsNullOrWhiteSpace(a.Words)).Select(a => a.Words!.Trim()).ToList();
        return words.Count == 0 ? null : string.Join(" / ", words);
    }
}
