using ChatRegs.Bot.Core;
using System.Globalization;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Storage;
using ChatRegs.Dialogs;
using Microsoft.Extensions.Options;

namespace ChatRegs.Bot.Complaints;

/// <summary>What a step produced: the saved complaint, or the fields to correct (already localized).</summary>
public sealed record StepOutcome(Complaint? Complaint, IReadOnlyDictionary<string, string> Errors)
{
    /// <summary>The form had been submitted before (a double press): <see cref="Complaint"/> is the one registered then.</summary>
    public bool Repeated { get; init; }

    public static StepOutcome Invalid(Dictionary<string, string> errors) => new(null, errors);

    public bool Saved => Complaint != null;
}

/// <summary>
/// The complaint process of 客服工作职责(7) over the stored complaints: registration (the 顾客投诉登记表),
/// each stage's record and who owns the next step, the time limit of every stage. Every change
/// is written with an event row (who, when, what) in the same transaction.
/// </summary>
public sealed class ComplaintService
{
    public const int MaxName = 50;
    public const int MaxContact = 50;
    public const int MaxText = 1000;
    public const int MaxShort = 200;
    public const int MaxPlans = 5;
    public static readonly string[] Channels = ["phone", "visit", "callback", "online", "other"];
    public static readonly string[] Titles = ["mr", "ms", "miss"];

    private readonly TeamClock _clock;
    private readonly Localizer _localizer;
    private readonly PeopleDirectory _people;
    private readonly RoleHolders _roles;

    public ComplaintService(ComplaintStore store, PeopleDirectory people, RoleHolders roles, IOptions<ComplaintOptions> options, TeamClock clock, Localizer localizer)
    {
        Store = store;
        _people = people;
        _roles = roles;
        _clock = clock;
        _localizer = localizer;
        Options = options.Value;
    }

    private ComplaintStore Store { get; }

    /// <summary>A complaint as stored (by its number), or null.</summary>
    public Task<Complaint?> GetAsync(string tenantId, string number, CancellationToken cancellationToken) =>
        Store.GetAsync(tenantId, number, cancellationToken);

    /// <summary>Every complaint of the tenant, by number.</summary>
    public Task<IReadOnlyList<Complaint>> ListAsync(string tenantId, CancellationToken cancellationToken) =>
        Store.ListAsync(tenantId, cancellationToken);

    /// <summary>What happened to a complaint, in order (its history).</summary>
    public Task<IReadOnlyList<ComplaintEvent>> EventsAsync(string tenantId, string number, CancellationToken cancellationToken) =>
        Store.EventsAsync(tenantId, number, cancellationToken);

    public ComplaintOptions Options { get; }

    public TimeZoneInfo TeamZone => _clock.Zone;

    public DateTimeOffset Now => _clock.Now;

    public DateOnly Today => _clock.Today;

    public DateOnly DateOf(DateTimeOffset instant) => _clock.DateOf(instant);

    public DateTime Local(DateTimeOffset instant) => _clock.Local(instant);

    public DateTimeOffset FromLocal(DateTime local) => new(local, TeamZone.GetUtcOffset(local));

    public string Time(DateTimeOffset instant) => Local(instant).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A person with their roles as the bot treats them (configured office included), or null.</summary>
    public async Task<Person?> PersonAsync(string tenantId, string userId, CancellationToken cancellationToken) =>
        await _people.GetAsync(tenantId, userId, cancellationToken).ConfigureAwait(false) is { } person ? _roles.Resolve(person) : null;

    /// <summary>Everyone known, roles resolved (<see cref="RoleHolders"/>).</summary>
    public Task<IReadOnlyList<Person>> PeopleAsync(string tenantId, CancellationToken cancellationToken) => _roles.EveryoneAsync(tenantId, cancellationToken);

    /// <summary>Who holds <paramref name="role"/>: stored, or office by configuration.</summary>
    public async Task<IReadOnlyList<Person>> WithRoleAsync(string tenantId, string role, CancellationToken cancellationToken) =>
        (await _roles.HoldersAsync(tenantId, role, cancellationToken).ConfigureAwait(false)).People;

    public string CategoryName(string key, string locale)
    {
        var category = Options.EffectiveCategories.FirstOrDefault(c => c.Key == key);
        if (category == null)
        {
            return key;
        }
        return Localizer.Resolve(locale) == Localizer.English && category.NameEn.Length > 0 ? category.NameEn : category.Name;
    }

    /// <summary>May this person move the complaint on now? The approval only the manager; every other step its owner or a supervisor.</summary>
    public static bool CanAct(Complaint c, Person person)
    {
        if (!c.IsOpen)
        {
            return false;
        }
        if (c.Stage == ComplaintStage.Approve)
        {
            return person.Has(Roles.Manager);
        }
        return person.Has(Roles.CsSupervisor) || c.OwnerId == person.UserId || (c.OwnerRole != null && person.Has(c.OwnerRole));
    }

    /// <summary>May this person read the complaint? Supervisor, manager, office: all; others: the ones they registered or own (or owned) a step of.</summary>
    public static bool CanSee(Complaint c, Person person) =>
        person.Has(Roles.CsSupervisor) || person.Has(Roles.Manager) || person.Has(Roles.Office)
        || c.RegisteredById == person.UserId || c.OwnerId == person.UserId || c.InvestigatorId == person.UserId || c.HandlerId == person.UserId
        || c.Spans.Any(s => s.OwnerId == person.UserId);

    // ---- registration ----

    private string E(string locale, string key, params object?[] args) => _localizer.Get(locale, "complaints.errors." + key, args);

    private static string? V(IReadOnlyDictionary<string, string?> values, string key) =>
        values.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    private string? Required(IReadOnlyDictionary<string, string?> values, string key, int max, Dictionary<string, string> errors, string locale)
    {
        var text = V(values, key);
        if (text == null)
        {
            errors[key] = E(locale, "required");
            return null;
        }
        if (text.Length > max)
        {
            errors[key] = E(locale, "tooLong", max);
            return null;
        }
        return text;
    }

    private string? Optional(IReadOnlyDictionary<string, string?> values, string key, int max, Dictionary<string, string> errors, string locale)
    {
        var text = V(values, key);
        if (text != null && text.Length > max)
        {
            errors[key] = E(locale, "tooLong", max);
            return null;
        }
        return text;
    }

    /// <summary>Reads the 顾客投诉登记表; the fields to correct, or the values.</summary>
    public (Complaint? Form, Dictionary<string, string> Errors) ReadForm(IReadOnlyDictionary<string, string?> values, string locale, Complaint template)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var name = Required(values, "complainant", MaxName, errors, locale);
        var title = V(values, "title");
        if (title == null || !Titles.Contains(title))
        {
            errors["title"] = E(locale, "choose");
        }
        var contact = Required(values, "contact", MaxContact, errors, locale);
        if (contact != null)
        {
            var digits = CallbackStore.NormalizePhone(contact);
            if (digits.Length is < 5 or > 20 || contact.Any(ch => !(char.IsAsciiDigit(ch) || ch is ' ' or '-' or '+' or '(' or ')')))
            {
                errors["contact"] = E(locale, "phone");
            }
        }
        DateTimeOffset? received = null;
        var date = V(values, "receivedDate");
        var time = V(values, "receivedTime") ?? "";
        if (date == null || !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            errors["receivedDate"] = E(locale, "date");
        }
        else if (!TimeOnly.TryParseExact(time, ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            errors["receivedTime"] = E(locale, "time");
        }
        else if (d.DayNumber < Today.DayNumber - 400 || d.DayNumber > Today.DayNumber + 1)
        {
            // Checked on the day first: a date near the ends of the calendar (0001-01-01,
            // 9999-12-31) cannot even be turned into an instant in the team's time zone.
            errors["receivedDate"] = E(locale, d > Today ? "future" : "tooOld");
        }
        else
        {
            var at = FromLocal(d.ToDateTime(t));
            if (at > Now.AddMinutes(5))
            {
                errors["receivedDate"] = E(locale, "future");
            }
            else if (at < Now.AddDays(-366))
            {
                errors["receivedDate"] = E(locale, "tooOld");
            }
            else
            {
                received = at;
            }
        }
        var channel = V(values, "channel");
        if (channel == null || !Channels.Contains(channel))
        {
            errors["channel"] = E(locale, "choose");
        }
        var what = Required(values, "what", MaxText, errors, locale);
        var request = Required(values, "request", MaxText, errors, locale);
        var category = V(values, "category");
        if (category == null || Options.EffectiveCategories.All(c => c.Key != category))
        {
            errors["category"] = E(locale, "choose");
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        return (template with
        {
            Complainant = name!,
            Title = title!,
            Contact = contact!,
            ReceivedUtc = received!.Value,
            Channel = channel!,
            WhatHappened = what!,
            Request = request!,
            Category = category!,
        }, errors);
    }

    /// <summary>Registers a complaint from the form (投诉受理): it goes to the supervisors for 投诉判定.</summary>
    public async Task<StepOutcome> RegisterAsync(Person actor, IReadOnlyDictionary<string, string?> values, string locale, CancellationToken cancellationToken)
    {
        var now = Now;
        var blank = new Complaint { TenantId = actor.TenantId, Number = "", RegisteredById = actor.UserId, RegisteredByName = actor.Name, RegisteredUtc = now };
        var (form, errors) = ReadForm(values, locale, blank);
        if (form == null)
        {
            return StepOutcome.Invalid(errors);
        }
        // One form registers one complaint: a second press of 登记 (a double click, Teams
        // redelivering, the card pressed again later) finds the complaint the first one made.
        var formId = ComplaintStore.FormKey(values.GetValueOrDefault("formId"));
        if (formId != null && await Store.RegisteredByFormAsync(actor.TenantId, formId, cancellationToken).ConfigureAwait(false) is { } earlier)
        {
            return new StepOutcome(earlier, errors) { Repeated = true };
        }
        var number = await Store.NextNumberAsync(actor.TenantId, Options.NumberPrefix, DateOf(now), cancellationToken).ConfigureAwait(false);
        var complaint = Enter(form with { Number = number, Stage = ComplaintStage.Intake, StageEnteredUtc = now }, ComplaintStage.Judge, null, null, Roles.CsSupervisor, now, registeredNow: true);
        var saved = await Store.AddAsync(complaint, Event(complaint with { Stage = ComplaintStage.Intake }, actor, "registered", form.WhatHappened), cancellationToken, formId).ConfigureAwait(false);
        if (saved.AlreadyExists(out var raced) && raced != null)
        {
            // Both presses arrived at once; the other one registered it (its number is used, this one's is skipped).
            return new StepOutcome(raced, errors) { Repeated = true };
        }
        return new StepOutcome(saved.OrThrow(), errors);
    }

    /// <summary>
    /// Registers a complaint handed over from a callback, with the call's details filled in: it
    /// stays at 投诉受理 with the rep who took it, until they complete the 顾客投诉登记表.
    /// </summary>
    public async Task<Complaint> RegisterFromCallbackAsync(CallbackComplaintDraft draft, CancellationToken cancellationToken) =>
        (await RegisterFromCallbackOnceAsync(draft, cancellationToken).ConfigureAwait(false)).Complaint;

    /// <summary>The form key of a call's complaint: one call record registers one complaint, however often it is handed over.</summary>
    public static string CallbackFormKey(string taskId, int recordNumber) =>
        "cb" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(taskId + "|" + recordNumber)))[..30];

    /// <summary>
    /// <see cref="RegisterFromCallbackAsync"/>, at most once per call record (the rep's turn and the
    /// call's follow-through job may both try): <c>Repeated</c> when it was registered already.
    /// </summary>
    public async Task<(Complaint Complaint, bool Repeated)> RegisterFromCallbackOnceAsync(CallbackComplaintDraft draft, CancellationToken cancellationToken)
    {
        var formKey = CallbackFormKey(draft.TaskId, draft.RecordNumber);
        if (await Store.RegisteredByFormAsync(draft.TenantId, formKey, cancellationToken).ConfigureAwait(false) is { } earlier)
        {
            return (earlier, true);
        }
        try
        {
            var saved = await RegisterNewFromCallbackAsync(draft, formKey, cancellationToken).ConfigureAwait(false);
            if (saved.IsAlreadyExisting)
            {
                return (saved.Value ?? throw new InvalidOperationException("The call's complaint exists and does not."), true);
            }
            return (saved.OrThrow(), false);
        }
        catch (Azure.RequestFailedException e) when (e.Status is 0 or >= 500)
        {
            // The answer was lost: the transaction may have been applied.
            if (await Store.RegisteredByFormAsync(draft.TenantId, formKey, cancellationToken).ConfigureAwait(false) is { } landed)
            {
                return (landed, false);
            }
            throw;
        }
    }

    private async Task<Saved<Complaint>> RegisterNewFromCallbackAsync(CallbackComplaintDraft draft, string formKey, CancellationToken cancellationToken)
    {
        var now = Now;
        var number = await Store.NextNumberAsync(draft.TenantId, Options.NumberPrefix, DateOf(now), cancellationToken).ConfigureAwait(false);
        var complaint = new Complaint
        {
            TenantId = draft.TenantId,
            Number = number,
            Complainant = draft.CustomerName,
            Title = Titles.Contains(draft.Title) ? draft.Title : "ms",
            Contact = draft.Phone,
            ReceivedUtc = draft.ReceivedUtc,
            Channel = "callback",
            WhatHappened = InputLimits.Truncate(draft.CustomerWords, MaxText),
            Request = InputLimits.Truncate(draft.FollowUpNote ?? "", MaxText),
            ServiceItem = draft.ServiceItem,
            RegisteredById = draft.RepId,
            RegisteredByName = draft.RepName,
            RegisteredUtc = now,
            FromCallbackTaskId = draft.TaskId,
            FromCallbackRecord = draft.RecordNumber,
            Stage = ComplaintStage.Intake,
            OwnerId = draft.RepId,
            OwnerName = draft.RepName,
            StageEnteredUtc = now,
            StageDueUtc = now + Options.LimitOf(ComplaintStage.Intake),
            Spans = [new StageSpan { Stage = ComplaintStage.Intake, EnteredUtc = now, OwnerId = draft.RepId }],
        };
        var actor = new Person { TenantId = draft.TenantId, UserId = draft.RepId, Name = draft.RepName };
        // The event row keeps the words as the complaint does: a call with many long answers would pass one property.
        var details = $"{draft.Script} · {draft.ServiceItem} · {InputLimits.Truncate(draft.CustomerWords, MaxText)}";
        return await Store.AddAsync(complaint, Event(complaint, actor, "fromCallback", details), cancellationToken, formKey).ConfigureAwait(false);
    }

    /// <summary>投诉受理 completed (a complaint from a callback): the form's values, then to 投诉判定.</summary>
    public async Task<StepOutcome> CompleteAsync(Complaint c, Person actor, IReadOnlyDictionary<string, string?> values, string locale, CancellationToken cancellationToken)
    {
        var (form, errors) = ReadForm(values, locale, c);
        if (form == null)
        {
            return StepOutcome.Invalid(errors);
        }
        var next = Enter(form, ComplaintStage.Judge, null, null, Roles.CsSupervisor, Now);
        return await SaveAsync(next, Event(c, actor, "completed", form.Request), cancellationToken).ConfigureAwait(false);
    }

    // ---- stages ----

    /// <summary>
    /// 投诉判定: the two questions (理由是否充分, 要求是否合理) are answered and kept. Not founded →
    /// the tactful reply given to the customer, closed. Founded (only when the reasons are
    /// sufficient) → an investigator, the responsible department (default: the investigator's),
    /// and the customer asked for time (请顾客给予时间) with the reply-by time they accepted (in the future).
    /// </summary>
    public async Task<StepOutcome> JudgeAsync(Complaint c, Person actor, IReadOnlyDictionary<string, string?> values, string locale, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var reasons = V(values, "reasonsSufficient");
        if (reasons is not ("yes" or "no"))
        {
            errors["reasonsSufficient"] = E(locale, "choose");
        }
        var requestOk = V(values, "requestReasonable");
        if (requestOk is not ("yes" or "no"))
        {
            errors["requestReasonable"] = E(locale, "choose");
        }
        var verdict = V(values, "verdict");
        if (verdict is not ("founded" or "unfounded"))
        {
            errors["verdict"] = E(locale, "choose");
        }
        else if (verdict == "founded" && reasons == "no")
        {
            errors["verdict"] = E(locale, "foundedNeedsReasons");
        }
        if (verdict == "unfounded")
        {
            var reply = Required(values, "reply", MaxText, errors, locale);
            if (errors.Count > 0)
            {
                return StepOutcome.Invalid(errors);
            }
            var closed = Enter(c with { Verdict = ComplaintVerdict.Unfounded, UnfoundedReply = reply, ReasonsSufficient = reasons == "yes", RequestReasonable = requestOk == "yes" },
                ComplaintStage.Closed, null, null, null, Now);
            return await SaveAsync(closed, Event(c, actor, "unfounded", $"{Answer(locale, "reasons", reasons)} · {Answer(locale, "request", requestOk)} · {reply}"), cancellationToken).ConfigureAwait(false);
        }
        var department = Optional(values, "department", MaxName, errors, locale);
        Person? investigator = null;
        if (V(values, "investigator") is { } id && id.Length <= 200)
        {
            investigator = await _people.GetAsync(c.TenantId, id, cancellationToken).ConfigureAwait(false);
        }
        if (verdict == "founded" && investigator == null)
        {
            errors["investigator"] = E(locale, "investigator");
        }
        if (verdict == "founded" && department == null && investigator is { Team: not { Length: > 0 } })
        {
            errors["department"] = E(locale, "department");
        }
        if (verdict == "founded" && V(values, "askedForTime") is not ("true" or "yes"))
        {
            errors["askedForTime"] = E(locale, "askedForTime");
        }
        var replyBy = verdict == "founded" ? ReadFuture(values, "replyByDate", "replyByTime", errors, locale) : null;
        if (errors.Count > 0)
        {
            return StepOutcome.Invalid(errors);
        }
        department ??= investigator!.Team;
        var next = Enter(c with
        {
            Verdict = ComplaintVerdict.Founded,
            ReasonsSufficient = true,
            RequestReasonable = requestOk == "yes",
            InvestigatorId = investigator!.UserId,
            InvestigatorName = investigator.Name,
            Department = department,
            AskedForTime = true,
            ReplyByUtc = replyBy,
        }, ComplaintStage.Investigate, investigator.UserId, investigator.Name, null, Now);
        var details = string.Join(" · ", new[] { Answer(locale, "reasons", reasons), Answer(locale, "request", requestOk), investigator.Name, department, Time(replyBy!.Value) }.Where(s => !string.IsNullOrEmpty(s)));
        return await SaveAsync(next, Event(c, actor, "founded", details), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>"理由充分：是" — an answer of 投诉判定 as the history shows it (in the language of the person who gave it).</summary>
    private string Answer(string locale, string question, string? answer) =>
        _localizer.Get(locale, "complaints.answers." + question, _localizer.Get(locale, answer == "yes" ? "complaints.answers.yes" : "complaints.answers.no"));

    /// <summary>A date and a time on the form that must be later than now (and within a year); null with an error otherwise.</summary>
    private DateTimeOffset? ReadFuture(IReadOnlyDictionary<string, string?> values, string dateKey, string timeKey, Dictionary<string, string> errors, string locale)
    {
        var date = V(values, dateKey);
        var time = V(values, timeKey) ?? "";
        if (date == null || !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            errors[dateKey] = E(locale, "replyByDate");
            return null;
        }
        if (!TimeOnly.TryParseExact(time, ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            errors[timeKey] = E(locale, "time");
            return null;
        }
        // Checked on the day first: a date near the ends of the calendar cannot be turned into an instant.
        if (d.DayNumber < Today.DayNumber || d.DayNumber > Today.DayNumber + 366)
        {
            errors[dateKey] = E(locale, d < Today ? "replyByPast" : "replyByFar");
            return null;
        }
        var at = FromLocal(d.ToDateTime(t));
        if (at <= Now)
        {
            errors[dateKey] = E(locale, "replyByPast");
            return null;
        }
        return at;
    }

    public static readonly string[] ProblemTypes = ["repair", "service"];

    /// <summary>
    /// 展开调查: the cause, the person responsible, and where it goes (如属修理质量问题，交相关负责人处理；
    /// 属服务问题，则服务专员/主管处理): a repair-quality problem to the responsible person or department
    /// head named here (anyone in the directory), a service problem to a customer-service rep or
    /// supervisor. That person proposes the plans (提出处理方案) and is told.
    /// </summary>
    public async Task<StepOutcome> InvestigateAsync(Complaint c, Person actor, IReadOnlyDictionary<string, string?> values, string locale, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var cause = Required(values, "cause", MaxText, errors, locale);
        var responsible = Required(values, "responsible", MaxShort, errors, locale);
        var problem = V(values, "problemType");
        if (problem == null || !ProblemTypes.Contains(problem))
        {
            errors["problemType"] = E(locale, "choose");
        }
        Person? handler = null;
        if (V(values, "handler") is { } id && id.Length <= 200)
        {
            handler = await PersonAsync(c.TenantId, id, cancellationToken).ConfigureAwait(false);
        }
        if (handler == null)
        {
            errors["handler"] = E(locale, "handler");
        }
        else if (problem == "service" && !(handler.Has(Roles.CsRep) || handler.Has(Roles.CsSupervisor)))
        {
            errors["handler"] = E(locale, "serviceHandler", handler.Name);
        }
        if (errors.Count > 0)
        {
            return StepOutcome.Invalid(errors);
        }
        var next = Enter(c with { Cause = cause, ResponsibleParty = responsible, ProblemType = problem, HandlerId = handler!.UserId, HandlerName = handler.Name },
            ComplaintStage.Plan, handler.UserId, handler.Name, null, Now);
        var kind = _localizer.Get(locale, "complaints.problemTypes." + problem);
        return await SaveAsync(next, Event(c, actor, "investigated", $"{cause} · {responsible} · {kind} → {handler.Name}"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Who proposes the plans: the person the investigation handed it to, else the investigator.</summary>
    private static (string? Id, string? Name) PlanOwner(Complaint c) => c.HandlerId != null ? (c.HandlerId, c.HandlerName) : (c.InvestigatorId, c.InvestigatorName);

    /// <summary>提出处理方案: one more plan (at most <see cref="MaxPlans"/>); the stage stays.</summary>
    public async Task<StepOutcome> AddPlanAsync(Complaint c, Person actor, IReadOnlyDictionary<string, string?> values, string locale, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = Required(values, "plan", MaxText, errors, locale);
        if (text != null && c.Plans.Count >= MaxPlans)
        {
            errors["plan"] = E(locale, "tooManyPlans", MaxPlans);
        }
        if (errors.Count > 0)
        {
            return StepOutcome.Invalid(errors);
        }
        var plan = new ComplaintPlan(c.Plans.Count + 1, text!, actor.UserId, actor.Name, Now);
        return await SaveAsync(c with { Plans = [.. c.Plans, plan] }, Event(c, actor, "planAdded", $"{plan.Number}. {text}"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The plans go to the manager for 批示 (a plan typed but not yet added is added first).</summary>
    public async Task<StepOutcome> SubmitPlansAsync(Complaint c, Person actor, IReadOnlyDictionary<string, string?> values, string locale, CancellationToken cancellationToken)
    {
        if (V(values, "plan") != null)
        {
            var added = await AddPlanAsync(c, actor, values, locale, cancellationToken).ConfigureAwait(false);
            if (!added.Saved)
            {
                return added;
            }
            c = added.Complaint!;
        }
        if (c.Plans.Count == 0)
        {
            return StepOutcome.Invalid(new Dictionary<string, string> { ["plan"] = E(locale, "noPlans") });
        }
        var next = Enter(c, ComplaintStage.Approve, null, null, Roles.Manager, Now);
        return await SaveAsync(next, Event(c, actor, "plansSubmitted", string.Join(" / ", c.Plans.Select(p => $"{p.Number}. {p.Text}"))), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>主管领导批示: the manager picks one plan; it goes back to the rep who took the complaint to carry out.</summary>
    public async Task<StepOutcome> ApproveAsync(Complaint c, Person actor, IReadOnlyDictionary<string, string?> values, string locale, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var chosen = int.TryParse(V(values, "chosenPlan"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? c.Plans.FirstOrDefault(p => p.Number == n) : null;
        if (chosen == null)
        {
            errors["chosenPlan"] = E(locale, "choosePlan");
        }
        var comment = Optional(values, "comment", MaxText, errors, locale);
        if (errors.Count > 0)
        {
            return StepOutcome.Invalid(errors);
        }
        var next = Enter(c with { ApprovedPlan = chosen!.Number, ApprovedById = actor.UserId, ApprovedByName = actor.Name, ApprovalComment = comment },
            ComplaintStage.Implement, c.RegisteredById, c.RegisteredByName, null, Now);
        return await SaveAsync(next, Event(c, actor, "approved", $"{chosen.Number}. {chosen.Text}" + (comment == null ? "" : $" · {comment}")), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The manager sends the plans back (a comment says why): 提出处理方案 again.</summary>
    public async Task<StepOutcome> ReturnPlansAsync(Complaint c, Person actor, IReadOnlyDictionary<string, string?> values, string locale, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var comment = Required(values, "comment", MaxText, errors, locale);
        if (comment == null)
        {
            return StepOutcome.Invalid(errors);
        }
        var (ownerId, ownerName) = PlanOwner(c);
        var next = Enter(c with { ApprovalComment = comment }, ComplaintStage.Plan, ownerId, ownerName, null, Now);
        return await SaveAsync(next, Event(c, actor, "returned", comment), cancellationToken).ConfigureAwait(false);
    }

    public static readonly string[] SignatureMethods = ["paper", "upload"];

    /// <summary>
    /// 实施处理方案: the customer was told. Accepted → the penalties decided under the company's
    /// rules for the person directly responsible and for the department head (who, what), how the
    /// customer's signature was obtained (the signed paper and who keeps it, or the photo/scan sent
    /// with "投诉 签字"), the feedback; then 总结评价 with the supervisors. Not accepted → back to
    /// 提出处理方案 with the customer's feedback.
    /// </summary>
    public async Task<StepOutcome> ImplementAsync(Complaint c, Person actor, IReadOnlyDictionary<string, string?> values, string locale, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var confirmed = V(values, "confirmed");
        if (confirmed is not ("yes" or "no"))
        {
            errors["confirmed"] = E(locale, "choose");
        }
        var feedback = Required(values, "feedback", MaxText, errors, locale);
        if (confirmed == "no")
        {
            if (errors.Count > 0)
            {
                return StepOutcome.Invalid(errors);
            }
            var (ownerId, ownerName) = PlanOwner(c);
            var back = Enter(c with { CustomerConfirmed = false, CustomerFeedback = feedback, ApprovedPlan = null }, ComplaintStage.Plan, ownerId, ownerName, null, Now);
            return await SaveAsync(back, Event(c, actor, "notAccepted", feedback!), cancellationToken).ConfigureAwait(false);
        }
        var personWho = Required(values, "penaltyPerson", MaxName, errors, locale);
        var personWhat = Required(values, "penaltyPersonWhat", MaxShort, errors, locale);
        var headWho = Required(values, "penaltyHead", MaxName, errors, locale);
        var headWhat = Required(values, "penaltyHeadWhat", MaxShort, errors, locale);
        var method = V(values, "signatureMethod");
        string? keeper = null;
        if (method == null || !SignatureMethods.Contains(method))
        {
            errors["signatureMethod"] = E(locale, "choose");
        }
        else if (method == "paper")
        {
            keeper = Required(values, "signatureKeeper", MaxName, errors, locale);
        }
        else if (c.SignatureFile == null)
        {
            errors["signatureMethod"] = E(locale, "noSignatureFile", c.Number);
        }
        if (errors.Count > 0)
        {
            return StepOutcome.Invalid(errors);
        }
        var next = Enter(c with
        {
            CustomerConfirmed = true,
            CustomerFeedback = feedback,
            PenaltyResponsible = new ComplaintPenalty(personWho!, personWhat!),
            PenaltyHead = new ComplaintPenalty(headWho!, headWhat!),
            SignatureMethod = method,
            SignatureKeeper = keeper,
        }, ComplaintStage.Summary, null, null, Roles.CsSupervisor, Now);
        var signature = method == "paper" ? _localizer.Get(locale, "complaints.signature.paper", keeper) : _localizer.Get(locale, "complaints.signature.upload", c.SignatureFile!.Name);
        return await SaveAsync(next, Event(c, actor, "implemented", $"{personWho}：{personWhat} · {headWho}：{headWhat} · {signature} · {feedback}"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The customer's signature as a photo or scan, sent to the bot at 实施处理方案: its name, link and size are kept (a newer one replaces it).</summary>
    public async Task<StepOutcome> AttachSignatureAsync(Complaint c, Person actor, string name, string? url, long size, CancellationToken cancellationToken)
    {
        var file = new SignatureFile(InputLimits.Truncate(name, MaxShort), url is { Length: <= MaxUrl } ? url : null, size, actor.UserId, actor.Name, Now);
        return await SaveAsync(c with { SignatureFile = file }, Event(c, actor, "signatureUploaded", $"{file.Name} · {size.ToString(CultureInfo.InvariantCulture)} B"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A file link longer than this is not kept (the name, size, who and when still are).</summary>
    public const int MaxUrl = 2048;

    /// <summary>总结评价: the summary and the improvement measures (改善对策, required); closed.</summary>
    public async Task<StepOutcome> CloseAsync(Complaint c, Person actor, IReadOnlyDictionary<string, string?> values, string locale, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var summary = Required(values, "summary", MaxText, errors, locale);
        var improvement = Required(values, "improvement", MaxText, errors, locale);
        if (errors.Count > 0)
        {
            return StepOutcome.Invalid(errors);
        }
        var next = Enter(c with { Summary = summary, Improvement = improvement }, ComplaintStage.Closed, null, null, null, Now);
        return await SaveAsync(next, Event(c, actor, "closed", summary + " · " + improvement), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>作废 (the supervisor, with the reason): a status, nothing is deleted.</summary>
    public async Task<StepOutcome> WithdrawAsync(Complaint c, Person actor, IReadOnlyDictionary<string, string?> values, string locale, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var reason = Required(values, "withdrawReason", MaxText, errors, locale);
        if (reason == null)
        {
            return StepOutcome.Invalid(errors);
        }
        var next = Enter(c with { WithdrawReason = reason }, ComplaintStage.Withdrawn, null, null, null, Now);
        return await SaveAsync(next, Event(c, actor, "withdrawn", reason), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Notes the follow-up callback on a closed complaint (an event says so).</summary>
    public async Task<Complaint> NoteFollowUpAsync(Complaint c, string taskId, string details, CancellationToken cancellationToken) =>
        (await Store.SaveAsync(c with { FollowUpTaskId = taskId }, Event(c, Bot, "followUpScheduled", details), cancellationToken).ConfigureAwait(false)).OrThrow();

    /// <summary>A reminder or an escalation was sent (an event says to whom).</summary>
    public async Task<Complaint> NoteAsync(Complaint c, string action, string details, CancellationToken cancellationToken) =>
        (await Store.SaveAsync(c, Event(c, Bot, action, details), cancellationToken).ConfigureAwait(false)).OrThrow();

    private static readonly Person Bot = new() { TenantId = "", UserId = "bot", Name = "ChatRegs" };

    private async Task<StepOutcome> SaveAsync(Complaint next, ComplaintEvent change, CancellationToken cancellationToken) =>
        new((await Store.SaveAsync(next, change, cancellationToken).ConfigureAwait(false)).OrThrow(), new Dictionary<string, string>());

    private ComplaintEvent Event(Complaint c, Person actor, string action, string details) => new()
    {
        Number = c.Number,
        AtUtc = Now,
        ActorId = actor.UserId,
        ActorName = actor.Name,
        Stage = c.Stage,
        Action = action,
        Details = details,
    };

    /// <summary>Leaves the current stage and enters <paramref name="stage"/> with its owner and time limit.</summary>
    private Complaint Enter(Complaint c, ComplaintStage stage, string? ownerId, string? ownerName, string? ownerRole, DateTimeOffset now, bool registeredNow = false)
    {
        var spans = c.Spans.Select(s => s.LeftUtc == null ? s with { LeftUtc = now } : s).ToList();
        if (registeredNow)
        {
            // Registered through the form: 投诉受理 is done at once.
            spans.Add(new StageSpan { Stage = ComplaintStage.Intake, EnteredUtc = now, LeftUtc = now, OwnerId = c.RegisteredById });
        }
        var open = stage is not (ComplaintStage.Closed or ComplaintStage.Withdrawn);
        if (open)
        {
            spans.Add(new StageSpan { Stage = stage, EnteredUtc = now, OwnerId = ownerId });
        }
        return c with
        {
            Stage = stage,
            OwnerId = ownerId,
            OwnerName = ownerName,
            OwnerRole = ownerRole,
            StageEnteredUtc = now,
            StageDueUtc = open ? now + Options.LimitOf(stage) : null,
            ClosedUtc = open ? null : now,
            Spans = spans,
        };
    }
}
