using System.Globalization;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.Callbacks;

/// <summary>
/// The data of every callback card (Cards/Callback*.json). Every value a template binds is
/// always given (a missing one would show as "${…}").
/// </summary>
public sealed class CallbackCards(ICardFactory cards, Localizer localizer, CallbackService service)
{
    public const string StepTemplate = "CallbackStep";
    public const string BookingTemplate = "CallbackBooking";
    public const string QueueTemplate = "CallbackQueue";
    public const string OverviewTemplate = "CallbackOverview";
    public const string ImportTemplate = "CallbackImport";
    public const string ReportTemplate = "CallbackReport";
    public const string ScriptsTemplate = "CallbackScripts";
    public const string NoticeTemplate = "CallbackNotice";
    public const string ReassignTemplate = "CallbackReassign";

    /// <summary>Lines of errors or tasks a card lists at most.</summary>
    public const int MaxListed = 30;

    private string L(string locale, string key, params object?[] args) => localizer.Get(locale, "callbacks." + key, args);

    private static JsonObject Fact(string title, string value) => new() { ["title"] = title, ["value"] = value };

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    // ---- the call ----

    public JsonObject StepData(CallState call, CallbackScript script, ScriptStep step, string line, string greeting, string locale)
    {
        var number = script.Steps.Where(s => s.AppliesTo(call.Path)).ToList().FindIndex(s => s.Id == step.Id) + 1;
        var facts = new JsonArray
        {
            Fact(L(locale, "fields.phone"), call.Phone),
            Fact(L(locale, "fields.member"), CallbackText.YesNo(localizer, locale, call.IsMember)),
            Fact(L(locale, "fields.service"), call.ServiceItem),
            Fact(L(locale, "fields.serviceDate"), call.ServiceDate),
            Fact(L(locale, "fields.dueDate"), call.DueDate),
            Fact(L(locale, "fields.attempt"), L(locale, "step.attempt", call.PreviousAttempts + 1, service.Options.MaxAttempts)),
            Fact(L(locale, "fields.script"), $"{script.NameIn(locale)} (v{script.Version})"),
            Fact(L(locale, "fields.method"), CallbackText.Method(localizer, locale, call.MethodValue)),
        };
        var lines = new JsonArray();
        foreach (var text in line.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            lines.Add(new JsonObject { ["text"] = text });
        }
        var answers = new JsonArray();
        foreach (var a in step.Answers)
        {
            answers.Add(new JsonObject { ["id"] = a.Id, ["title"] = CallbackScript.Text(a.Label, call.Language), ["style"] = a.Style ?? "default" });
        }
        var greetings = new JsonArray();
        foreach (var g in script.Greetings)
        {
            greetings.Add(new JsonObject { ["title"] = CallbackScript.Text(g.Text, call.Language), ["value"] = g.Id });
        }
        var endsCall = new JsonArray();
        foreach (var a in step.Answers.Where(a => a.Outcome != null))
        {
            endsCall.Add(a.Id);
        }
        var needWords = new JsonArray();
        foreach (var a in step.Answers.Where(a => a.RequiresWords))
        {
            needWords.Add(a.Id);
        }
        return new JsonObject
        {
            ["stepId"] = step.Id,
            ["heading"] = L(locale, "step.heading", CallbackText.Customer(localizer, call.Language, call.CustomerName, call.Title)),
            ["facts"] = facts,
            ["stage"] = L(locale, "step.stage", L(locale, "stages." + step.Stage), number),
            ["lines"] = lines,
            ["answers"] = answers,
            ["showWords"] = step.Words != "none",
            ["wordsLabel"] = L(locale, step.Words == "required" ? "step.wordsRequired" : "step.wordsOptional"),
            ["showComplaint"] = step.OfferComplaint,
            // What the customer said (一般 or 不满意), not a verdict the customer did not give.
            ["complaintQuestion"] = L(locale, "step.complaintQuestion", CallbackText.Satisfaction(localizer, locale, call.SatisfactionValue)),
            ["showClosing"] = step.Closing,
            ["greetings"] = greetings,
            ["rules"] = new JsonObject
            {
                ["stepId"] = step.Id,
                ["answers"] = new JsonArray(step.Answers.Select(a => (JsonNode)JsonValue.Create(a.Id)!).ToArray()),
                ["endsCall"] = endsCall,
                ["needWords"] = needWords,
                ["words"] = step.Words,
                ["complaint"] = step.OfferComplaint,
                ["closing"] = step.Closing,
                ["greetings"] = new JsonArray(script.Greetings.Select(g => (JsonNode)JsonValue.Create(g.Id)!).ToArray()),
            },
            ["values"] = new JsonObject
            {
                ["words"] = call.AnswerTo(step.Id)?.Words ?? "",
                ["complaint"] = "",
                ["greeting"] = greeting,
                ["followUp"] = "",
                ["followUpNote"] = "",
            },
        };
    }

    public JsonObject BookingData(CallState call, DateTime customerNow, string locale) => new()
    {
        ["heading"] = L(locale, "booking.heading", CallbackText.Customer(localizer, call.Language, call.CustomerName, call.Title)),
        ["intro"] = L(locale, "booking.intro", call.CustomerTimeZone, customerNow.ToString("HH:mm", CultureInfo.InvariantCulture),
            string.Join(L(locale, "import.listSeparator"), service.Quiet.Ranges.Select(QuietHours.Describe))),
        ["zone"] = call.CustomerTimeZone,
        ["minDate"] = customerNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["values"] = new JsonObject
        {
            ["date"] = customerNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["time"] = "",
            ["words"] = "",
        },
    };

    // ---- queues ----

    /// <summary>One task as a line of a list, with what the viewer may do with it.</summary>
    public JsonObject Item(CallbackTask task, DateOnly today, string locale, bool canStart, bool canReassign, bool showRep)
    {
        var urgency = CallbackService.UrgencyOf(task, today);
        var notes = new List<string>();
        if (showRep)
        {
            notes.Add(task.RepName is { Length: > 0 } rep ? L(locale, "queue.rep", rep) : L(locale, "queue.unassigned"));
        }
        if (task.FailedAttempts > 0)
        {
            notes.Add(L(locale, "queue.attempts", task.FailedAttempts, service.Options.MaxAttempts));
        }
        var now = service.Now;
        var customerNow = service.CustomerLocal(task, now);
        if (task.NextAttemptUtc is { } next && next > now)
        {
            notes.Add(L(locale, "queue.nextAttempt", service.When(service.CustomerLocal(task, next), customerNow, locale)));
        }
        if (task.BookedUtc is { } booked)
        {
            notes.Add(L(locale, "queue.booked", service.When(service.CustomerLocal(task, booked), customerNow, locale)));
        }
        if (task.Status == CallbackStatus.Unreachable)
        {
            notes.Add(CallbackText.Status(localizer, locale, task.Status));
        }
        return new JsonObject
        {
            ["taskId"] = task.Id,
            ["customer"] = CallbackText.Customer(localizer, locale, task.CustomerName, task.Title),
            ["member"] = task.IsMember,
            ["memberText"] = L(locale, task.IsMember ? "queue.member" : "queue.nonMember"),
            ["service"] = L(locale, "queue.service", task.ServiceItem, CallbackDates.Iso(task.ServiceDate)),
            ["phone"] = task.Phone,
            ["urgency"] = !task.IsOpen ? L(locale, "queue.dueOn", CallbackDates.Iso(task.DueDate)) : urgency switch
            {
                Urgency.Overdue => L(locale, "queue.overdue", today.DayNumber - task.DueDate.DayNumber),
                Urgency.DueToday => L(locale, "queue.dueToday"),
                _ => L(locale, "queue.dueOn", CallbackDates.Iso(task.DueDate)),
            },
            ["urgencyColor"] = !task.IsOpen ? "Attention" : urgency switch { Urgency.Overdue => "Attention", Urgency.DueToday => "Warning", _ => "Default" },
            ["note"] = string.Join(L(locale, "queue.noteSeparator"), notes),
            ["hasNote"] = notes.Count > 0,
            ["canStart"] = canStart,
            ["canReassign"] = canReassign,
        };
    }

    /// <summary>A rep's queue: to the rep (start buttons) or to a supervisor (reassign buttons).</summary>
    public Attachment Queue(IReadOnlyList<CallbackTask> queue, Person owner, bool ownQueue, bool viewerIsSupervisor, string locale)
    {
        var today = service.Today;
        var items = new JsonArray();
        foreach (var task in queue.Take(service.Options.QueueSize))
        {
            items.Add(Item(task, today, locale, canStart: ownQueue, canReassign: viewerIsSupervisor && !ownQueue, showRep: false));
        }
        var overdue = queue.Count(t => t.IsOverdue(today));
        var dueToday = queue.Count(t => t.IsDueToday(today));
        var data = new JsonObject
        {
            ["heading"] = ownQueue ? L(locale, "queue.mine", queue.Count) : L(locale, "queue.of", owner.Name, queue.Count),
            ["summary"] = L(locale, "queue.summary", overdue, dueToday, queue.Count(t => t.IsMember)),
            ["empty"] = queue.Count == 0,
            ["emptyText"] = L(locale, ownQueue ? "queue.emptyMine" : "queue.emptyOther"),
            ["items"] = items,
            ["hasMore"] = queue.Count > service.Options.QueueSize,
            ["more"] = L(locale, "queue.more", queue.Count - service.Options.QueueSize),
            ["showOverview"] = viewerIsSupervisor,
        };
        return cards.Create(QueueTemplate, data, locale);
    }

    /// <summary>The supervisor's view: every rep's load, the unassigned, overdue and unreachable tasks.</summary>
    public Attachment Overview(IReadOnlyList<CallbackTask> tasks, IReadOnlyList<Person> reps, string locale)
    {
        var today = service.Today;
        var open = tasks.Where(t => t.IsOpen).ToList();
        var repRows = new JsonArray();
        foreach (var rep in reps.OrderBy(r => r.OnDuty ? 0 : 1).ThenBy(r => r.Name, StringComparer.Ordinal))
        {
            var mine = open.Where(t => t.RepId == rep.UserId).ToList();
            repRows.Add(new JsonObject
            {
                ["userId"] = rep.UserId,
                ["name"] = rep.Name.Length > 0 ? rep.Name : rep.UserId,
                ["line"] = L(locale, "overview.repLine", L(locale, rep.OnDuty ? "overview.onDuty" : "overview.offDuty"), mine.Count, mine.Count(t => t.IsDueToday(today)), mine.Count(t => t.IsOverdue(today))),
            });
        }
        var unassigned = open.Count(t => t.RepId == null);
        var overdue = CallbackService.ByUrgency(open.Where(t => t.IsOverdue(today)), today);
        // Unreachable customers of the last month (older ones are in the reports).
        var unreachable = tasks.Where(t => t.Status == CallbackStatus.Unreachable && t.DueDate >= today.AddDays(-30)).OrderBy(t => t.DueDate).ToList();
        var overdueItems = new JsonArray();
        foreach (var t in overdue.Take(MaxListed))
        {
            overdueItems.Add(Item(t, today, locale, canStart: false, canReassign: true, showRep: true));
        }
        var unreachableItems = new JsonArray();
        foreach (var t in unreachable.Take(MaxListed))
        {
            unreachableItems.Add(Item(t, today, locale, canStart: false, canReassign: false, showRep: true));
        }
        var data = new JsonObject
        {
            ["heading"] = L(locale, "overview.heading"),
            ["today"] = L(locale, "overview.today", CallbackDates.Iso(today), open.Count),
            ["hasReps"] = reps.Count > 0,
            ["noReps"] = L(locale, "overview.noReps"),
            ["reps"] = repRows,
            ["hasUnassigned"] = unassigned > 0,
            ["unassigned"] = L(locale, "overview.unassigned", unassigned),
            ["hasOverdue"] = overdue.Count > 0,
            ["overdueTitle"] = L(locale, "overview.overdueTitle", overdue.Count),
            ["overdue"] = overdueItems,
            ["hasUnreachable"] = unreachable.Count > 0,
            ["unreachableTitle"] = L(locale, "overview.unreachableTitle", unreachable.Count),
            ["unreachable"] = unreachableItems,
        };
        return cards.Create(OverviewTemplate, data, locale);
    }

    public Attachment Reassign(CallbackTask task, IReadOnlyList<Person> reps, string locale, string? error = null)
    {
        var choices = new JsonArray();
        foreach (var rep in reps.OrderBy(r => r.OnDuty ? 0 : 1).ThenBy(r => r.Name, StringComparer.Ordinal))
        {
            choices.Add(new JsonObject
            {
                ["title"] = L(locale, "reassign.choice", rep.Name.Length > 0 ? rep.Name : rep.UserId, L(locale, rep.OnDuty ? "overview.onDuty" : "overview.offDuty")),
                ["value"] = rep.UserId,
            });
        }
        var errors = new JsonObject();
        if (error != null)
        {
            errors["rep"] = error;
        }
        var data = new JsonObject
        {
            ["heading"] = L(locale, "reassign.heading"),
            ["task"] = L(locale, "reassign.task", CallbackText.Customer(localizer, locale, task.CustomerName, task.Title), task.ServiceItem, CallbackDates.Iso(task.ServiceDate),
                task.RepName is { Length: > 0 } current ? current : L(locale, "queue.unassigned")),
            ["taskId"] = task.Id,
            ["hasReps"] = choices.Count > 0,
            ["noReps"] = L(locale, "overview.noReps"),
            ["repChoices"] = choices,
            ["values"] = new JsonObject { ["rep"] = task.RepId ?? "" },
            ["errors"] = errors,
        };
        return cards.Create(ReassignTemplate, data, locale);
    }

    // ---- import, notices ----

    public Attachment Import(ImportOutcome outcome, int repsOnDuty, string locale)
    {
        var facts = new JsonArray
        {
            Fact(L(locale, "import.added"), N(outcome.Added.Count)),
            Fact(L(locale, "import.already"), N(outcome.AlreadyImported)),
            Fact(L(locale, "import.rejected"), N(outcome.Errors.Count)),
            Fact(L(locale, "import.members"), N(outcome.Added.Count(t => t.IsMember))),
            Fact(L(locale, "import.unassignedCount"), N(outcome.Unassigned)),
        };
        var assigned = new JsonArray();
        foreach (var group in outcome.Added.Where(t => t.RepId != null).GroupBy(t => t.RepName ?? t.RepId!).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            assigned.Add(Fact(group.Key, L(locale, "import.count", group.Count())));
        }
        var errors = new JsonArray();
        foreach (var e in outcome.Errors.Take(MaxListed))
        {
            errors.Add(new JsonObject { ["line"] = L(locale, "import.line", e.Line), ["reason"] = e.Reason });
        }
        var notes = new List<string>();
        if (outcome.NotSaved > 0)
        {
            notes.Add(L(locale, "import.notSaved", outcome.NotSaved));
        }
        if (outcome.Unassigned > 0 && repsOnDuty == 0)
        {
            notes.Add(L(locale, "import.noRepsOnDuty", outcome.Unassigned));
        }
        var note = string.Join("\n\n", notes);
        var data = new JsonObject
        {
            ["heading"] = L(locale, "import.heading"),
            ["facts"] = facts,
            ["hasAssigned"] = assigned.Count > 0,
            ["assignedTitle"] = L(locale, "import.assignedTitle"),
            ["assigned"] = assigned,
            ["hasErrors"] = outcome.Errors.Count > 0,
            ["errorsTitle"] = L(locale, "import.errorsTitle", outcome.Errors.Count),
            ["errors"] = errors,
            ["hasMoreErrors"] = outcome.Errors.Count > MaxListed,
            ["moreErrors"] = L(locale, "import.moreErrors", outcome.Errors.Count - MaxListed),
            ["hasNote"] = note.Length > 0,
            ["note"] = note,
        };
        return cards.Create(ImportTemplate, data, locale);
    }

    /// <summary>A proactive notice: tasks due today (to a rep), a retry or a booked time (to a rep), overdue or unreachable tasks (to a supervisor).</summary>
    public Attachment Notice(string heading, string body, IReadOnlyList<CallbackTask> tasks, bool forRep, string locale)
    {
        var today = service.Today;
        var items = new JsonArray();
        foreach (var task in tasks.Take(MaxListed))
        {
            items.Add(Item(task, today, locale, canStart: forRep, canReassign: !forRep && task.IsOpen, showRep: !forRep));
        }
        var data = new JsonObject
        {
            ["heading"] = heading,
            ["body"] = body,
            ["items"] = items,
            ["hasMore"] = tasks.Count > MaxListed,
            ["more"] = L(locale, "queue.more", tasks.Count - MaxListed),
            ["showOverview"] = !forRep,
        };
        return cards.Create(NoticeTemplate, data, locale);
    }

    // ---- report ----

    /// <summary>
    /// The 回访总结报告 card: the figures, the saved analysis (分析结果) with who wrote it and when,
    /// and — for those who may write it — the box to write or rewrite it, holding
    /// <paramref name="draft"/> (what was typed, after a refused save) or the saved text.
    /// </summary>
    public Attachment Report(CallbackReportData r, CallbackReportNote? note, bool canWrite, string locale, string? message = null, string? draft = null, bool messageIsProblem = false)
    {
        var facts = new JsonArray();
        foreach (var (title, value) in CallbackExport.Facts(r, localizer, locale))
        {
            facts.Add(Fact(title, value));
        }
        var complaints = new JsonArray();
        foreach (var c in r.TopComplaints)
        {
            complaints.Add(new JsonObject { ["words"] = L(locale, "report.quote", c.Words), ["count"] = L(locale, "report.times", c.Count) });
        }
        var reps = new JsonArray();
        foreach (var rep in r.Reps)
        {
            reps.Add(new JsonObject
            {
                ["name"] = CallbackExport.RepName(rep, localizer, locale),
                ["line"] = L(locale, "report.repLine", rep.Tasks, rep.Finished, rep.WithinWindow, rep.Calls, rep.Satisfied, rep.Average, rep.Dissatisfied, rep.Overdue, rep.Unreachable),
            });
        }
        var overdue = new JsonArray();
        foreach (var t in r.OverdueTasks.Take(MaxListed))
        {
            overdue.Add(new JsonObject
            {
                ["text"] = L(locale, "report.overdueLine", CallbackText.Customer(localizer, locale, t.CustomerName, t.Title), t.ServiceItem, CallbackDates.Iso(t.DueDate),
                    r.Today.DayNumber - t.DueDate.DayNumber, t.RepName is { Length: > 0 } n ? n : L(locale, "report.unassigned"), CallbackText.YesNo(localizer, locale, t.IsMember)),
            });
        }
        var unreachable = new JsonArray();
        foreach (var t in r.UnreachableTasks.Take(MaxListed))
        {
            unreachable.Add(new JsonObject
            {
                ["text"] = L(locale, "report.unreachableLine", CallbackText.Customer(localizer, locale, t.CustomerName, t.Title), t.ServiceItem, t.Phone, t.RepName ?? L(locale, "report.unassigned")),
            });
        }
        var data = new JsonObject
        {
            ["heading"] = L(locale, "report.title"),
            ["period"] = L(locale, "report.period", r.Period.Describe(), CallbackDates.Iso(r.Today)),
            ["facts"] = facts,
            // 满意 / 一般 / 不满意 of the finished callbacks as a donut; a zero is no slice.
            ["chart"] = ChartData.Of(locale, new[] { Satisfaction.Satisfied, Satisfaction.Average, Satisfaction.Dissatisfied }
                .Select(s => (CallbackText.Satisfaction(localizer, locale, s), s switch { Satisfaction.Satisfied => r.Satisfied, Satisfaction.Average => r.Average, _ => r.Dissatisfied })), dropZeros: true),
            // Day by day (month by month for a long period): the share satisfied and the share called back within three days, in percent.
            ["trend"] = ChartData.Line(locale,
            [
                // Every day served first: a host that orders the x axis by first appearance gets the days in order.
                (L(locale, "report.trendWithinWindow"), r.Trend.Where(p => p.Served > 0).Select(p => (p.Label, CallbackReportData.Percent(p.WithinWindow, p.Served)!.Value)).ToList()),
                (L(locale, "report.trendSatisfied"), r.Trend.Where(p => p.Finished > 0).Select(p => (p.Label, CallbackReportData.Percent(p.Satisfied, p.Finished)!.Value)).ToList()),
            ]),
            ["hasComplaints"] = complaints.Count > 0,
            ["complaints"] = complaints,
            ["hasReps"] = reps.Count > 0,
            ["reps"] = reps,
            ["hasOverdue"] = r.OverdueTasks.Count > 0,
            ["overdue"] = overdue,
            ["hasMoreOverdue"] = r.OverdueTasks.Count > MaxListed,
            ["moreOverdue"] = L(locale, "queue.more", r.OverdueTasks.Count - MaxListed),
            ["hasUnreachable"] = unreachable.Count > 0,
            ["unreachable"] = unreachable,
            ["from"] = CallbackDates.Iso(r.Period.From),
            ["to"] = CallbackDates.Iso(r.Period.To),
            ["hasAnalysis"] = note is { Analysis.Length: > 0 },
            ["noAnalysis"] = note is not { Analysis.Length: > 0 },
            ["analysis"] = note?.Analysis ?? "",
            ["analysisBy"] = note != null ? CallbackExport.WrittenBy(note, service.TeamZone, localizer, locale) : "",
            ["analysisStale"] = note != null && CallbackExport.FiguresThen(note, r, localizer, locale) != null,
            ["analysisStaleText"] = note != null ? CallbackExport.FiguresThen(note, r, localizer, locale) ?? "" : "",
            ["canWrite"] = canWrite,
            ["draft"] = draft ?? note?.Analysis ?? "",
            ["analysisLabel"] = L(locale, "report.analysisLabel", CallbackReportNote.MaxAnalysis),
            ["maxAnalysis"] = CallbackReportNote.MaxAnalysis,
            ["etag"] = note?.ETag ?? "",
            ["hasMessage"] = message != null,
            ["message"] = message ?? "",
            ["messageColor"] = messageIsProblem ? "Attention" : "Good",
        };
        return cards.Create(ReportTemplate, data, locale);
    }

    // ---- scripts ----

    public Attachment Scripts(IReadOnlyDictionary<string, (string ServiceType, string ScriptId)> choices, IReadOnlyDictionary<string, ScriptSettings> settings,
        IReadOnlyList<string> serviceTypes, string locale, string? message = null,
        IReadOnlyDictionary<string, string>? errors = null, IReadOnlyDictionary<string, string>? submitted = null)
    {
        var library = service.Scripts;
        var scripts = new JsonArray();
        var scriptChoices = new JsonArray();
        foreach (var script in library.Latest)
        {
            var set = settings.GetValueOrDefault(script.Id) ?? ScriptSettings.None;
            var toggles = new JsonArray();
            // After a refused save the card shows what was typed, not what is stored.
            var textId = $"text|{script.Id}";
            var text = submitted != null ? submitted.GetValueOrDefault(textId) ?? "" : set.ThemeText ?? "";
            foreach (var toggle in script.Toggles)
            {
                var inputId = $"toggle|{script.Id}|{toggle.Id}";
                toggles.Add(new JsonObject
                {
                    ["inputId"] = inputId,
                    ["label"] = CallbackScript.Text(toggle.Label, locale),
                    ["value"] = submitted != null ? (submitted.GetValueOrDefault(inputId) == "true" ? "true" : "false") : set.TogglesOn.Contains(toggle.Id) ? "true" : "false",
                    ["needsText"] = toggle.NeedsText,
                    ["textId"] = textId,
                    ["text"] = text,
                    ["textLabel"] = L(locale, "scripts.themeText"),
                });
            }
            var error = errors?.GetValueOrDefault(script.Id);
            scripts.Add(new JsonObject
            {
                ["id"] = script.Id,
                ["name"] = script.NameIn(locale),
                ["version"] = L(locale, "scripts.version", script.Version, string.Join(", ", library.Versions(script.Id).Select(v => "v" + v))),
                ["steps"] = L(locale, "scripts.steps", script.Steps.Count, string.Join(" → ", script.Steps.Select(s => s.Id))),
                ["hasToggles"] = toggles.Count > 0,
                ["toggles"] = toggles,
                ["hasError"] = error != null,
                ["error"] = error ?? "",
            });
            scriptChoices.Add(new JsonObject { ["title"] = $"{script.NameIn(locale)} ({script.Label})", ["value"] = script.Id });
        }
        var current = new JsonArray();
        var defaultChoice = choices.TryGetValue("*", out var all) ? all.ScriptId : library.DefaultId;
        current.Add(Fact(L(locale, "scripts.allTypes"), defaultChoice));
        foreach (var (key, (type, scriptId)) in choices.Where(c => c.Key != "*").OrderBy(c => c.Value.ServiceType, StringComparer.Ordinal))
        {
            current.Add(Fact(type, scriptId));
        }
        var typeChoices = new JsonArray { new JsonObject { ["title"] = L(locale, "scripts.allTypes"), ["value"] = "*" } };
        foreach (var type in serviceTypes.Concat(choices.Values.Select(c => c.ServiceType)).Where(t => t != "*").Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal))
        {
            typeChoices.Add(new JsonObject { ["title"] = type, ["value"] = type });
        }
        var data = new JsonObject
        {
            ["heading"] = L(locale, "scripts.heading"),
            ["hasMessage"] = message != null,
            ["message"] = message ?? "",
            ["scripts"] = scripts,
            ["current"] = current,
            ["typeChoices"] = typeChoices,
            ["scriptChoices"] = scriptChoices,
            ["values"] = new JsonObject { ["serviceType"] = "*", ["scriptId"] = defaultChoice },
        };
        return cards.Create(ScriptsTemplate, data, locale);
    }
}
