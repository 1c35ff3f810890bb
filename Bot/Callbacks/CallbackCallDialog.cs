using ChatRegs.Bot.Core;
using ChatRegs.Bot.Routing;
using System.Globalization;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Calendar;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Dialogs;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Callbacks;

/// <summary>
/// The guided call (客服工作职责(7) 回访规范及用语): one card per step with the exact line to
/// read (placeholders filled), buttons for the customer's answer and a box for their words.
/// <list type="bullet">
/// <item>本人 → the satisfaction question → the 满意 or 一般/不满意 branch → the optional parts
/// switched on → the branch's closing line with the greeting; the call is saved only when
/// nothing required is missing (务必保证回访信息的完整记录).</item>
/// <item>无人接听 / 非本人 → the attempt is recorded; the rep is reminded when the next may start
/// (at most <see cref="CallbackOptions.MaxAttempts"/>, then the supervisor is told).</item>
/// <item>不方便，约时间 → the time the customer gave is booked and the rep reminded then.</item>
/// <item>一般 / 不满意 → the customer is offered a complaint; if they accept, it is handed to
/// <see cref="IComplaintIntake"/> after the call is saved.</item>
/// </list>
/// 取消 / cancel ends the call without saving anything.
/// </summary>
public sealed class CallbackCallDialog : InterruptibleComponentDialog, IPersonalFlow
{
    public new const string Id = "callbacks.call";
    public const string AnswerVerb = "callbacks.answer";
    public const string BookVerb = "callbacks.book";
    public const int MaxWords = 1000;
    public const int MaxAttemptsPerStep = 6;

    private readonly CallbackService _service;
    private readonly CallbackPlanner _planner;
    private readonly IComplaintIntake _complaints;
    private readonly CallbackCards _cards;
    private readonly Localizer _localizer;
    private readonly WorkingDayCalendar _calendar;
    private readonly ILogger<CallbackCallDialog> _logger;
    private readonly JobScheduler _scheduler;

    public CallbackCallDialog(CallbackService service, CallbackPlanner planner, IComplaintIntake complaints, ICardFactory cardFactory, CallbackCards cards,
        IHelpResponder help, Localizer localizer, WorkingDayCalendar calendar, ILogger<CallbackCallDialog> logger, JobScheduler scheduler)
        : base(Id, help)
    {
        _scheduler = scheduler;
        _service = service;
        _planner = planner;
        _complaints = complaints;
        _cards = cards;
        _localizer = localizer;
        _calendar = calendar;
        _logger = logger;
        AddDialog(new CardFormPrompt("stepForm", cardFactory, ValidateStepAsync));
        AddDialog(new CardFormPrompt("bookForm", cardFactory, ValidateBookingAsync));
        AddDialog(new WaterfallDialog("step", [AskStepAsync, AfterStepAsync]));
        AddDialog(new WaterfallDialog("book", [AskBookingAsync, AfterBookingAsync]));
        InitialDialogId = "step";
    }

    private string L(ITurnContext turn, string key, params object?[] args) => _localizer.Get(turn.Activity.Locale ?? "", key, args);

    private CallbackScript ScriptOf(CallState call) =>
        _service.Scripts.Get(call.ScriptId, call.ScriptVersion)
        ?? throw new InvalidOperationException($"Callback script {call.ScriptId} v{call.ScriptVersion} is no longer loaded.");

    /// <summary>The values a line's placeholders are filled with, in the call's language.</summary>
    public Dictionary<string, string> Placeholders(CallState call, CallbackScript script, string? greetingId = null)
    {
        var language = call.Language;
        var greeting = script.Greetings.FirstOrDefault(g => g.Id == (greetingId ?? call.Greeting)) ?? DefaultGreeting(call, script);
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["rep"] = call.RepName,
            ["customer"] = call.CustomerName,
            ["title"] = CallbackText.Title(_localizer, language, call.Title),
            ["date"] = CallbackImport.TryDate(call.ServiceDate, out var date) ? CallbackDates.Spoken(date, language) : call.ServiceDate,
            ["company"] = Localizer.Resolve(language) == Localizer.English ? _service.Options.CompanyNameEn : _service.Options.CompanyName,
            ["service"] = call.ServiceItem,
            ["greeting"] = CallbackScript.Text(greeting.Text, language),
            ["theme"] = call.ThemeText ?? "",
        };
    }

    /// <summary>节日快乐 on a public holiday (the customer's date), else the script's first greeting.</summary>
    public ScriptGreeting DefaultGreeting(CallState call, CallbackScript script)
    {
        var zone = Core.TimeZones.Find(string.IsNullOrEmpty(call.CustomerTimeZone) ? _service.CustomerZoneDefault : call.CustomerTimeZone);
        var today = TeamClock.DateIn(_service.Now, zone);
        if (script.HolidayGreeting != null && _calendar.HolidayName(today) != null)
        {
            return script.Greetings.First(g => g.Id == script.HolidayGreeting);
        }
        return script.Greetings[0];
    }

    public string Line(CallState call, CallbackScript script, ScriptStep step, string? greetingId = null) =>
        CallbackScript.Fill(CallbackScript.Text(step.Text, call.Language), Placeholders(call, script, greetingId));

    /// <summary>
    /// The script as one text for an e-mail or a message (回访方式 电邮、信息), in the call's
    /// language with its placeholders filled: every line the customer may be asked, a branch's
    /// question marked with the answer it follows ("（如满意）"), the optional parts switched on,
    /// and the first closing line — the customer answers in writing, so both branches are asked.
    /// </summary>
    public string WrittenScript(CallState call, CallbackScript script, string locale)
    {
        var language = call.Language;
        var lines = new List<string>();
        var closed = false;
        foreach (var step in script.Steps)
        {
            if ((step.Toggle != null && !call.TogglesOn.Contains(step.Toggle)) || (step.When?.Member is { } member && member != call.IsMember))
            {
                continue;
            }
            if (step.Closing)
            {
                if (!closed)
                {
                    lines.Add(Line(call, script, step));
                    closed = true;
                }
                continue;
            }
            var prefix = step.When?.Satisfaction is { Count: > 0 } when
                ? _localizer.Get(language, "callbacks.call.writtenIf", string.Join(_localizer.Get(language, "callbacks.call.writtenOr"), when.Select(x => CallbackText.Satisfaction(_localizer, language, x))))
                : "";
            lines.Add(prefix + Line(call, script, step));
        }
        return string.Join("\n", lines.SelectMany(l => l.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));
    }

    // ---- a step ----

    private async Task<DialogTurnResult> AskStepAsync(WaterfallStepContext step, CancellationToken ct)
    {
        var call = (CallState)step.Options!;
        var script = ScriptOf(call);
        var current = script.Step(call.StepId) ?? throw new InvalidOperationException($"Step {call.StepId} is not in {script.Label}.");
        var locale = step.Context.Activity.Locale ?? "";
        var greeting = call.Greeting ?? DefaultGreeting(call, script).Id;
        var data = _cards.StepData(call, script, current, Line(call, script, current, greeting), greeting, locale);
        return await step.PromptAsync("stepForm", new CardFormPromptOptions
        {
            TemplateName = CallbackCards.StepTemplate,
            Verb = AnswerVerb,
            Data = data,
            MaxAttempts = MaxAttemptsPerStep,
        }, ct).ConfigureAwait(false);
    }

    /// <summary>Checks a step's answer: the button belongs to this step, and what the step requires is there.</summary>
    private Task<IReadOnlyDictionary<string, string>?> ValidateStepAsync(CardFormValidatorContext form, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var rules = form.Options.Data?["rules"] as JsonObject ?? new JsonObject();
        string Rule(string name) => rules[name]?.GetValue<string>() ?? "";
        string E(string key, params object?[] args) => _localizer.Get(form.Locale, "callbacks.step.errors." + key, args);

        if (form.Value("stepId") != Rule("stepId"))
        {
            errors["card"] = E("staleCard");
            return Task.FromResult<IReadOnlyDictionary<string, string>?>(errors);
        }
        var answer = form.Value("answer");
        var answers = (rules["answers"] as JsonArray ?? []).Select(a => a!.GetValue<string>()).ToList();
        if (answer == null || !answers.Contains(answer))
        {
            errors["card"] = E("answer");
            return Task.FromResult<IReadOnlyDictionary<string, string>?>(errors);
        }
        var endsCall = (rules["endsCall"] as JsonArray ?? []).Any(a => a!.GetValue<string>() == answer);
        var words = form.Value("words") ?? "";
        if (words.Length > MaxWords)
        {
            errors["words"] = E("wordsTooLong", MaxWords);
        }
        else if (!endsCall && words.Length == 0 && (Rule("words") == "required" || (rules["needWords"] as JsonArray ?? []).Any(a => a!.GetValue<string>() == answer)))
        {
            errors["words"] = E("wordsRequired");
        }
        if (!endsCall && rules["complaint"]?.GetValue<bool>() == true && form.Value("complaint") is not ("yes" or "no"))
        {
            errors["complaint"] = E("complaint");
        }
        if (!endsCall && rules["closing"]?.GetValue<bool>() == true)
        {
            var greetings = (rules["greetings"] as JsonArray ?? []).Select(g => g!.GetValue<string>()).ToList();
            if (!greetings.Contains(form.Value("greeting") ?? ""))
            {
                errors["greeting"] = E("greeting");
            }
            var followUp = form.Value("followUp");
            if (followUp is not ("yes" or "no"))
            {
                errors["followUp"] = E("followUp");
            }
            var note = form.Value("followUpNote") ?? "";
            if (followUp == "yes" && note.Length == 0)
            {
                errors["followUpNote"] = E("followUpNote");
            }
            else if (note.Length > MaxWords)
            {
                errors["followUpNote"] = E("wordsTooLong", MaxWords);
            }
        }
        return Task.FromResult<IReadOnlyDictionary<string, string>?>(errors);
    }

    private async Task<DialogTurnResult> AfterStepAsync(WaterfallStepContext step, CancellationToken ct)
    {
        var form = (CardFormResult)step.Result!;
        var call = (CallState)step.Options!;
        if (form.Cancelled)
        {
            await step.Context.SendActivityAsync(MessageFactory.Text(L(step.Context, "callbacks.call.abandoned", call.CustomerName)), ct).ConfigureAwait(false);
            return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
        }
        var script = ScriptOf(call);
        var current = script.Step(call.StepId)!;
        var answer = current.Answer(form.Values.GetValueOrDefault("answer"))!;
        string? Value(string key) => form.Values.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        if (current.Closing && answer.Outcome == null)
        {
            call.Greeting = Value("greeting");
            call.FollowUpAnswered = Value("followUp") is "yes" or "no";
            call.FollowUp = Value("followUp") == "yes";
            call.FollowUpNote = call.FollowUp ? Value("followUpNote") : null;
        }
        call.Answers.RemoveAll(a => a.StepId == current.Id);
        call.Answers.Add(new StepAnswer
        {
            StepId = current.Id,
            Stage = current.Stage,
            Line = Line(call, script, current, call.Greeting),
            AnswerId = answer.Id,
            AnswerLabel = CallbackScript.Text(answer.Label, call.Language),
            Words = Value("words"),
        });
        if (current.Collects != null)
        {
            call.Collects[current.Id] = current.Collects;
        }
        if (answer.Satisfaction is { } satisfaction)
        {
            call.Satisfaction = satisfaction.ToString();
        }
        if (current.OfferComplaint && answer.Outcome == null)
        {
            call.ComplaintOffered = true;
            call.ComplaintAccepted = Value("complaint") == "yes";
        }

        switch (answer.Outcome)
        {
            case CallOutcome.NoAnswer:
            case CallOutcome.WrongPerson:
                return await FailedAttemptAsync(step, call, answer.Outcome.Value, ct).ConfigureAwait(false);
            case CallOutcome.Booked:
                return await step.ReplaceDialogAsync("book", call, ct).ConfigureAwait(false);
        }

        var next = current.Closing ? null : script.NextStep(current.Id, call.Path);
        if (next == null)
        {
            return await CloseAsync(step, call, script, ct).ConfigureAwait(false);
        }
        call.StepId = next.Id;
        return await step.ReplaceDialogAsync("step", call, ct).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> FailedAttemptAsync(WaterfallStepContext step, CallState call, CallOutcome outcome, CancellationToken ct)
    {
        CallbackTask task;
        try
        {
            (task, _) = await _service.RecordFailedAttemptAsync(call, outcome, ct).ConfigureAwait(false);
        }
        catch (CallbackTaskChangedException)
        {
            return await ChangedAsync(step, call, ct).ConfigureAwait(false);
        }
        var outcomeText = CallbackText.Outcome(_localizer, step.Context.Activity.Locale ?? "", outcome);
        string message;
        if (task.Status == CallbackStatus.Unreachable)
        {
            await PlanAsync(() => _planner.SweepNowAsync(task.TenantId, ct)).ConfigureAwait(false);
            message = L(step.Context, "callbacks.call.unreachableNow", outcomeText, task.FailedAttempts);
        }
        else
        {
            await PlanAsync(() => _planner.RemindRetryAsync(task, ct)).ConfigureAwait(false);
            var local = _service.CustomerLocal(task, _service.Now);
            message = L(step.Context, "callbacks.call.retryLater", outcomeText, task.FailedAttempts, _service.Options.MaxAttempts,
                _service.When(_service.CustomerLocal(task, task.NextAttemptUtc!.Value), local, step.Context.Activity.Locale ?? ""));
        }
        await step.Context.SendActivityAsync(MessageFactory.Text(message), ct).ConfigureAwait(false);
        return await step.EndDialogAsync(task, ct).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> CloseAsync(WaterfallStepContext step, CallState call, CallbackScript script, CancellationToken ct)
    {
        var missing = CallRules.Missing(script, call);
        if (missing.Count > 0)
        {
            var names = string.Join(L(step.Context, "callbacks.import.listSeparator"), missing.Select(s => Line(call, script, s)));
            await step.Context.SendActivityAsync(MessageFactory.Text(L(step.Context, "callbacks.call.incomplete", names)), ct).ConfigureAwait(false);
            call.StepId = missing[0].Id;
            return await step.ReplaceDialogAsync("step", call, ct).ConfigureAwait(false);
        }
        CallbackTask task;
        CallRecord record;
        try
        {
            // A complaint the customer accepted cannot be lost once the call is saved: its
            // registration job (the outbox) is scheduled before the call is written.
            var attempt = step.Context.Activity.Id ?? Guid.NewGuid().ToString("N");
            (task, record) = await _service.RecordFinishedAsync(call, ct, r => r.ComplaintAccepted
                ? _scheduler.ScheduleAsync(r.TenantId, CallbackComplaintHandler.JobKind, _service.Now + CallbackComplaintHandler.Delay, new CallbackComplaintJob(r.TaskId, r.Number),
                    CallbackComplaintHandler.JobId(r.TaskId, r.Number, attempt), cancellationToken: ct)
                : Task.CompletedTask).ConfigureAwait(false);
        }
        catch (CallbackTaskChangedException)
        {
            return await ChangedAsync(step, call, ct).ConfigureAwait(false);
        }
        var locale = step.Context.Activity.Locale ?? "";
        var finishedOn = _service.DateOf(record.EndedUtc);
        var window = finishedOn <= task.DueDate
            ? L(step.Context, "callbacks.call.withinWindow", _service.Options.WindowDays)
            : L(step.Context, "callbacks.call.lateBy", finishedOn.DayNumber - task.DueDate.DayNumber, _service.Options.WindowDays);
        var followUp = record.FollowUp ? L(step.Context, "callbacks.call.followUpNoted") : "";
        await step.Context.SendActivityAsync(MessageFactory.Text(L(step.Context, "callbacks.call.saved",
            CallbackText.Customer(_localizer, locale, task.CustomerName, task.Title), CallbackText.Satisfaction(_localizer, locale, record.Satisfaction), window, followUp)), ct).ConfigureAwait(false);
        Core.SavedTurns.Mark(step.Context);

        if (record.ComplaintAccepted && record.ComplaintId == null)
        {
            try
            {
                var complaintId = await _complaints.StartFromCallbackAsync(step.Context, CallbackComplaintDraft.From(record), ct).ConfigureAwait(false);
                if (!string.IsNullOrEmpty(complaintId))
                {
                    await _service.LinkComplaintAsync(record, complaintId, ct).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException && Core.StorageProblems.Is(e))
            {
                // The call is saved: this is not "not saved". The registration job finishes it.
                _logger.LogWarning(e, "Call {TaskId}#{Number} saved; its complaint will be registered by its follow-through job.", record.TaskId, record.Number);
                await step.Context.SendActivityAsync(MessageFactory.Text(L(step.Context, "callbacks.complaint.pending", record.CustomerName)), ct).ConfigureAwait(false);
            }
        }
        return await step.EndDialogAsync(task, ct).ConfigureAwait(false);
    }

    private async Task<DialogTurnResult> ChangedAsync(WaterfallStepContext step, CallState call, CancellationToken ct)
    {
        await step.Context.SendActivityAsync(MessageFactory.Text(L(step.Context, "callbacks.call.changed", call.CustomerName)), ct).ConfigureAwait(false);
        return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
    }

    /// <summary>The call is saved; a reminder that could not be scheduled is logged, not reported as "not saved".</summary>
    private async Task PlanAsync(Func<Task> plan)
    {
        try
        {
            await plan().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError(e, "A callback reminder could not be scheduled.");
        }
    }

    // ---- 不方便，约时间 ----

    private async Task<DialogTurnResult> AskBookingAsync(WaterfallStepContext step, CancellationToken ct)
    {
        var call = (CallState)step.Options!;
        var zone = Core.TimeZones.Find(call.CustomerTimeZone);
        var local = TeamClock.LocalIn(_service.Now, zone);
        var data = _cards.BookingData(call, local, step.Context.Activity.Locale ?? "");
        return await step.PromptAsync("bookForm", new CardFormPromptOptions
        {
            TemplateName = CallbackCards.BookingTemplate,
            Verb = BookVerb,
            Data = data,
            MaxAttempts = MaxAttemptsPerStep,
        }, ct).ConfigureAwait(false);
    }

    private Task<IReadOnlyDictionary<string, string>?> ValidateBookingAsync(CardFormValidatorContext form, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        string E(string key, params object?[] args) => _localizer.Get(form.Locale, "callbacks.booking.errors." + key, args);
        var zone = Core.TimeZones.Find(form.Options.Data?["zone"]?.GetValue<string>());
        if (!TryBooking(form.Value("date"), form.Value("time"), zone, out var local, out var problem))
        {
            errors[problem == "date" ? "date" : "time"] = E(problem!);
        }
        else
        {
            var now = TeamClock.LocalIn(_service.Now, zone);
            if (local <= now)
            {
                errors["time"] = E("past");
            }
            else if (local > now.AddDays(_service.Options.MaxBookingDays))
            {
                errors["date"] = E("tooFar", _service.Options.MaxBookingDays);
            }
            else if (_service.Quiet.Range(TimeOnly.FromDateTime(local)) is { } range)
            {
                errors["time"] = E("quiet", QuietHours.Describe(range), _service.Quiet.NextAllowed(local).ToString("HH:mm", CultureInfo.InvariantCulture));
            }
        }
        if ((form.Value("words") ?? "").Length > MaxWords)
        {
            errors["words"] = _localizer.Get(form.Locale, "callbacks.step.errors.wordsTooLong", MaxWords);
        }
        return Task.FromResult<IReadOnlyDictionary<string, string>?>(errors);
    }

    /// <summary>Reads the booking form's date (yyyy-MM-dd) and time (HH:mm) as the customer's local time.</summary>
    public static bool TryBooking(string? date, string? time, TimeZoneInfo zone, out DateTime local, out string? problem)
    {
        local = default;
        if (date == null || !DateOnly.TryParseExact(date, ["yyyy-MM-dd", "yyyy/M/d", "yyyy-M-d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            problem = "date";
            return false;
        }
        if (time == null || !TimeOnly.TryParseExact(time, ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            problem = "time";
            return false;
        }
        local = d.ToDateTime(t);
        problem = null;
        return true;
    }

    private async Task<DialogTurnResult> AfterBookingAsync(WaterfallStepContext step, CancellationToken ct)
    {
        var form = (CardFormResult)step.Result!;
        var call = (CallState)step.Options!;
        if (form.Cancelled)
        {
            await step.Context.SendActivityAsync(MessageFactory.Text(L(step.Context, "callbacks.call.abandoned", call.CustomerName)), ct).ConfigureAwait(false);
            return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
        }
        var zone = Core.TimeZones.Find(call.CustomerTimeZone);
        TryBooking(form.Values.GetValueOrDefault("date"), form.Values.GetValueOrDefault("time"), zone, out var local, out _);
        var bookedUtc = new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
        if (form.Values.TryGetValue("words", out var words) && !string.IsNullOrWhiteSpace(words) && call.Answers.Count > 0)
        {
            var last = call.Answers[^1];
            last.Words = string.IsNullOrWhiteSpace(last.Words) ? words.Trim() : last.Words + " / " + words.Trim();
        }
        CallbackTask task;
        try
        {
            (task, _) = await _service.RecordBookingAsync(call, bookedUtc, ct).ConfigureAwait(false);
        }
        catch (CallbackTaskChangedException)
        {
            return await ChangedAsync(step, call, ct).ConfigureAwait(false);
        }
        await PlanAsync(() => _planner.RemindBookingAsync(task, ct)).ConfigureAwait(false);
        var nowLocal = TeamClock.LocalIn(_service.Now, zone);
        await step.Context.SendActivityAsync(MessageFactory.Text(L(step.Context, "callbacks.call.booked",
            call.CustomerName, _service.When(local, nowLocal, step.Context.Activity.Locale ?? ""), zone.Id)), ct).ConfigureAwait(false);
        return await step.EndDialogAsync(task, ct).ConfigureAwait(false);
    }
}
