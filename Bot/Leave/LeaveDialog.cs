using ChatRegs.Bot.Routing;
using System.Globalization;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Meetings;
using Microsoft.Bot.Builder;
using ChatRegs.Bot.Core;
using ChatRegs.Dialogs;

namespace ChatRegs.Bot.Leave;

/// <summary>
/// "请假" / "leave": a guided flow in the personal chat.
/// <list type="number">
/// <item>What for (LeaveTarget card): one of my meetings — upcoming, or started within the late
/// window (marked 事后补假) — or a span of days. Skipped when I have no meeting to offer.</item>
/// <item>The form (LeaveForm card), checked on the server with messages next to the fields: the
/// type, the written reason, the days and half days; for a weekly meeting, this week's summary
/// and next week's plan, or the weekly report already handed in this week.</item>
/// <item>The request is stored, the approver gets the approval card in their 1:1 chat, and I am
/// told who decides.</item>
/// </list>
/// </summary>
public sealed class LeaveDialog : InterruptibleComponentDialog, IPersonalFlow
{
    public new const string Id = "leave";
    public const string TargetVerb = "leave.target";
    public const string FormVerb = "leave.submit";
    public const string DaysValue = "days";

    private readonly LeaveService _service;
    private readonly LeaveNotifier _notifier;
    private readonly LeaveText _text;

    public LeaveDialog(LeaveService service, LeaveNotifier notifier, LeaveText text, ICardFactory cards, IHelpResponder help)
        : base(Id, help)
    {
        _service = service;
        _notifier = notifier;
        _text = text;
        AddDialog(new CardFormPrompt("target", cards, ValidateTargetAsync));
        AddDialog(new CardFormPrompt("form", cards, ValidateFormAsync));
        AddDialog(new WaterfallDialog("steps", [ChooseAsync, FormAsync, SaveAsync]));
        InitialDialogId = "steps";
    }

    /// <summary>Leave is asked for in the personal chat: reasons (a sickness…) are not for a group to read.</summary>
    public static bool IsPersonal(ITurnContext turn) =>
        turn.Activity.Conversation is not { IsGroup: true } && turn.Activity.Conversation?.ConversationType is null or "personal";

    private string L(string locale, string key, params object?[] args) => _text.L(locale, key, args);

    private static string Locale(ITurnContext turn) => turn.Activity.Locale ?? "";

    private static string Tenant(ITurnContext turn) => Tenants.Of(turn.Activity) ?? "";

    private static string Me(ITurnContext turn) => turn.Activity.From?.Id ?? "";

    // ---- 1. what for ----

    private async Task<DialogTurnResult> ChooseAsync(WaterfallStepContext step, CancellationToken ct)
    {
        var turn = step.Context;
        var locale = Locale(turn);
        var offered = await _service.MeetingsToOfferAsync(Tenant(turn), Me(turn), ct).ConfigureAwait(false);
        if (offered.Count == 0)
        {
            if (await _service.DaysApproverAsync(Tenant(turn), Me(turn), ct).ConfigureAwait(false) == null)
            {
                await turn.SendActivityAsync(MessageFactory.Text(L(locale, "noDaysApprover")), ct).ConfigureAwait(false);
                return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
            }
            await turn.SendActivityAsync(MessageFactory.Text(L(locale, "target.noMeetings")), ct).ConfigureAwait(false);
            return await step.NextAsync(new CardFormResult { Values = new Dictionary<string, string> { ["target"] = DaysValue } }, ct).ConfigureAwait(false);
        }
        var choices = new JsonArray();
        foreach (var o in offered)
        {
            var title = $"{o.Snapshot.Series.Name} · {MeetingText.When(o.Occurrence, locale)}" + (o.Started ? L(locale, "target.started") : "");
            choices.Add(new JsonObject { ["title"] = title, ["value"] = o.Occurrence.Key });
        }
        choices.Add(new JsonObject { ["title"] = L(locale, "target.days"), ["value"] = DaysValue });
        return await step.PromptAsync("target", new CardFormPromptOptions
        {
            TemplateName = "LeaveTarget",
            Verb = TargetVerb,
            MaxAttempts = 5,
            Data = new JsonObject
            {
                ["choices"] = choices,
                ["values"] = new JsonObject { ["target"] = offered[0].Occurrence.Key },
                ["offered"] = new JsonArray(choices.Select(c => (JsonNode?)JsonValue.Create((string)c!["value"]!)).ToArray()),
            },
        }, ct).ConfigureAwait(false);
    }

    private Task<IReadOnlyDictionary<string, string>?> ValidateTargetAsync(CardFormValidatorContext form, CancellationToken ct)
    {
        var chosen = form.Value("target");
        var offered = form.Options.Data?["offered"]?.AsArray().Select(v => (string?)v).ToHashSet() ?? [];
        IReadOnlyDictionary<string, string> errors = chosen == null || !offered.Contains(chosen)
            ? new Dictionary<string, string> { ["target"] = L(form.Locale, "errors.targetRequired") }
            : new Dictionary<string, string>();
        return Task.FromResult<IReadOnlyDictionary<string, string>?>(errors);
    }

    // ---- 2. the form ----

    private async Task<DialogTurnResult> FormAsync(WaterfallStepContext step, CancellationToken ct)
    {
        var chosen = (CardFormResult)step.Result!;
        if (chosen.Cancelled)
        {
            return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
        }
        var turn = step.Context;
        var locale = Locale(turn);
        var tenant = Tenant(turn);
        var me = Me(turn);
        var target = chosen.Values.TryGetValue("target", out var t) ? t : DaysValue;
        var now = _service.Now;

        var ctx = new JsonObject();
        var data = new JsonObject
        {
            ["minReason"] = _service.Options.MinReasonLength,
            ["reasonHint"] = L(locale, "form.reasonHint", _service.Options.MinReasonLength),
            ["isWeekly"] = false,
            ["hasReport"] = false,
            ["reportInfo"] = "",
            ["late"] = false,
            ["lateNote"] = "",
            ["workIntro"] = L(locale, "form.workIntro"),
        };
        var values = new JsonObject { ["type"] = "", ["reason"] = "", ["summary"] = "", ["plan"] = "", ["linkReport"] = "false" };
        Approver? approver;
        if (target == DaysValue)
        {
            approver = await _service.DaysApproverAsync(tenant, me, ct).ConfigureAwait(false);
            if (approver == null)
            {
                await turn.SendActivityAsync(MessageFactory.Text(L(locale, "noDaysApprover")), ct).ConfigureAwait(false);
                return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
            }
            var zone = await _service.ZoneOfAsync(tenant, me, ct).ConfigureAwait(false);
            var today = TeamClock.DateIn(now, zone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            data["isDays"] = true;
            data["what"] = L(locale, "form.daysWhat");
            data["daysNote"] = L(locale, "form.daysNote", _service.Options.MaxSpanDays);
            values["fromDate"] = today;
            values["fromHalf"] = "am";
            values["toDate"] = today;
            values["toHalf"] = "pm";
            ctx["kind"] = nameof(LeaveKind.Days);
            ctx["zone"] = zone.Id;
        }
        else
        {
            if (await _service.OccurrenceAsync(tenant, target, ct).ConfigureAwait(false) is not { } found)
            {
                await turn.SendActivityAsync(MessageFactory.Text(L(locale, "errors.targetGone")), ct).ConfigureAwait(false);
                return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
            }
            var occurrence = found.Occurrence;
            approver = await _service.MeetingApproverAsync(tenant, me, occurrence, ct).ConfigureAwait(false);
            if (approver == null)
            {
                await turn.SendActivityAsync(MessageFactory.Text(L(locale, "noMeetingApprover")), ct).ConfigureAwait(false);
                return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
            }
            var weekly = LeaveRules.IsWeeklyMeeting(occurrence.Series);
            data["isDays"] = false;
            data["what"] = $"{occurrence.Series.Name} · {MeetingText.When(occurrence, locale)}";
            data["daysNote"] = "";
            data["isWeekly"] = weekly;
            if (occurrence.Start <= now)
            {
                data["late"] = true;
                data["lateNote"] = L(locale, "form.lateNote");
            }
            if (weekly && await _service.ReportForAsync(tenant, me, occurrence, ct).ConfigureAwait(false) is { } report)
            {
                data["hasReport"] = true;
                data["reportInfo"] = L(locale, "form.linkReport", report.Week, LeaveText.Stamp(report.UpdatedUtc, occurrence.Series.Zone, locale));
                values["linkReport"] = "true";
                ctx["reportWeek"] = report.Week;
            }
            ctx["kind"] = nameof(LeaveKind.Meeting);
            ctx["occurrence"] = occurrence.Key;
            ctx["weekly"] = weekly;
            values["fromDate"] = "";
            values["fromHalf"] = "am";
            values["toDate"] = "";
            values["toHalf"] = "pm";
        }
        // This form's token: whatever turns send it, it stores one request (LeaveStore.CreateOnceAsync).
        ctx["form"] = Guid.NewGuid().ToString("N");
        data["approverLine"] = L(locale, "form.approver", approver.Name.Length > 0 ? approver.Name : approver.UserId);
        data["values"] = values;
        ctx["approverId"] = approver.UserId;
        ctx["approverName"] = approver.Name;
        data["ctx"] = ctx;
        // Dialog state is stored as JSON text (TypeNameHandling.All): keep the context as a string.
        step.Values["ctx"] = ctx.ToJsonString();
        return await step.PromptAsync("form", new CardFormPromptOptions
        {
            TemplateName = "LeaveForm",
            Verb = FormVerb,
            MaxAttempts = 6,
            Data = data,
        }, ct).ConfigureAwait(false);
    }

    private async Task<IReadOnlyDictionary<string, string>?> ValidateFormAsync(CardFormValidatorContext form, CancellationToken ct)
    {
        var locale = form.Locale;
        var options = _service.Options;
        var ctx = form.Options.Data?["ctx"]?.AsObject() ?? new JsonObject();
        var errors = new Dictionary<string, string>();
        void Add(string field, FieldError? error)
        {
            if (error != null && !errors.ContainsKey(field))
            {
                errors[field] = L(locale, "errors." + error.Key, error.Args);
            }
        }

        if (!LeaveTypes.IsValid(form.Value("type")))
        {
            Add("type", new FieldError("typeRequired"));
        }
        Add("reason", LeaveRules.CheckReason(form.Values.GetValueOrDefault("reason"), options.MinReasonLength, options.MaxReasonLength));

        var tenant = Tenant(form.Context);
        var me = Me(form.Context);
        if ((string?)ctx["kind"] == nameof(LeaveKind.Days))
        {
            var zone = Core.TimeZones.Find((string?)ctx["zone"]);
            var today = TeamClock.DateIn(_service.Now, zone);
            foreach (var (field, error) in LeaveRules.CheckSpan(form.Value("fromDate"), form.Value("fromHalf"), form.Value("toDate"), form.Value("toHalf"), today, options.MaxSpanDays, options.LateWindowDays))
            {
                Add(field, error);
            }
            if (!errors.Keys.Any(k => k is "fromDate" or "toDate" or "fromHalf" or "toHalf"))
            {
                var (fromUtc, toUtc) = LeaveRules.SpanUtc(LeaveRules.ParseDate(form.Value("fromDate"))!.Value, LeaveRules.ParseHalf(form.Value("fromHalf"))!.Value,
                    LeaveRules.ParseDate(form.Value("toDate"))!.Value, LeaveRules.ParseHalf(form.Value("toHalf"))!.Value, zone);
                if (await _service.ConflictAsync(tenant, me, LeaveKind.Days, null, fromUtc, toUtc, ct).ConfigureAwait(false) is { } clash)
                {
                    Add("fromDate", new FieldError("overlap", _text.When(clash, locale), _text.Status(locale, clash.Status)));
                }
                // Days covering a weekly meeting I take part in: the form comes back asking for the
                // week's summary and plan for its host, naming the meetings ((一)6.1, (四)第八条).
                var weekly = await _service.WeeklyMeetingsInAsync(tenant, me, fromUtc, toUtc, ct).ConfigureAwait(false);
                if (form.Options.Data is { } shown)
                {
                    shown["isWeekly"] = weekly.Count > 0;
                    shown["workIntro"] = weekly.Count > 0 ? L(locale, "form.daysWeekly", MeetingList(weekly, locale)) : L(locale, "form.workIntro");
                }
                if (weekly.Count > 0)
                {
                    Add("summary", LeaveRules.CheckWorkText(form.Values.GetValueOrDefault("summary"), options.MinWorkTextLength, options.MaxWorkTextLength, "summaryRequired"));
                    Add("plan", LeaveRules.CheckWorkText(form.Values.GetValueOrDefault("plan"), options.MinWorkTextLength, options.MaxWorkTextLength, "planRequired"));
                }
            }
        }
        else
        {
            var key = (string?)ctx["occurrence"] ?? "";
            if (await _service.OccurrenceAsync(tenant, key, ct).ConfigureAwait(false) is not { } found)
            {
                Add("form", new FieldError("targetGone"));
            }
            else if (await _service.ConflictAsync(tenant, me, LeaveKind.Meeting, key, found.Occurrence.Start, found.Occurrence.End, ct).ConfigureAwait(false) is { } clash)
            {
                Add("form", new FieldError(clash.Kind == LeaveKind.Meeting ? "duplicate" : "coveredByDays", _text.When(clash, locale), _text.Status(locale, clash.Status)));
            }
            var linked = ctx["reportWeek"] != null && form.Value("linkReport") == "true";
            if ((bool?)ctx["weekly"] == true && !linked)
            {
                Add("summary", LeaveRules.CheckWorkText(form.Values.GetValueOrDefault("summary"), options.MinWorkTextLength, options.MaxWorkTextLength, "summaryRequired"));
                Add("plan", LeaveRules.CheckWorkText(form.Values.GetValueOrDefault("plan"), options.MinWorkTextLength, options.MaxWorkTextLength, "planRequired"));
            }
        }
        return errors;
    }

    // ---- 3. save and send ----

    private async Task<DialogTurnResult> SaveAsync(WaterfallStepContext step, CancellationToken ct)
    {
        var form = (CardFormResult)step.Result!;
        if (form.Cancelled)
        {
            return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
        }
        var turn = step.Context;
        var locale = Locale(turn);
        var tenant = Tenant(turn);
        var me = Me(turn);
        var now = _service.Now;
        var ctx = LastFormData(step);
        string V(string k) => form.Values.TryGetValue(k, out var v) ? v.Trim() : "";

        LeaveRequest request;
        var common = new
        {
            Type = V("type"),
            Reason = V("reason"),
            ApproverId = (string?)ctx["approverId"] ?? "",
            ApproverName = (string?)ctx["approverName"] ?? "",
        };
        if ((string?)ctx["kind"] == nameof(LeaveKind.Days))
        {
            var zone = Core.TimeZones.Find((string?)ctx["zone"]);
            var from = LeaveRules.ParseDate(V("fromDate"))!.Value;
            var to = LeaveRules.ParseDate(V("toDate"))!.Value;
            var fromHalf = LeaveRules.ParseHalf(V("fromHalf"))!.Value;
            var toHalf = LeaveRules.ParseHalf(V("toHalf"))!.Value;
            var (fromUtc, toUtc) = LeaveRules.SpanUtc(from, fromHalf, to, toHalf, zone);
            var weekly = await _service.WeeklyMeetingsInAsync(tenant, me, fromUtc, toUtc, ct).ConfigureAwait(false);
            request = new LeaveRequest
            {
                TenantId = tenant,
                Id = LeaveStore.NewId(from),
                UserId = me,
                UserName = turn.Activity.From?.Name ?? "",
                Kind = LeaveKind.Days,
                Type = common.Type,
                Reason = common.Reason,
                FromDate = from,
                FromHalf = fromHalf,
                ToDate = to,
                ToHalf = toHalf,
                WorkingDays = LeaveRules.WorkingDays(from, fromHalf, to, toHalf, _service.Calendar),
                FromUtc = fromUtc,
                ToUtc = toUtc,
                TimeZone = zone.Id,
                WeeklyOccurrenceKeys = weekly.Select(o => o.Key).ToList(),
                WorkSummary = weekly.Count > 0 ? V("summary") : null,
                WorkPlan = weekly.Count > 0 ? V("plan") : null,
                ApproverId = common.ApproverId,
                ApproverName = common.ApproverName,
                Late = fromUtc <= now,
                SubmittedAt = now,
            };
        }
        else
        {
            if (await _service.OccurrenceAsync(tenant, (string?)ctx["occurrence"] ?? "", ct).ConfigureAwait(false) is not { } found)
            {
                await turn.SendActivityAsync(MessageFactory.Text(L(locale, "errors.targetGone")), ct).ConfigureAwait(false);
                return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
            }
            var occurrence = found.Occurrence;
            if (occurrence.Start <= now && (_service.Options.LateWindowDays == 0 || occurrence.Start < now.AddDays(-_service.Options.LateWindowDays)))
            {
                // Started while the form was open, and late leave is not allowed (or its window passed).
                await turn.SendActivityAsync(MessageFactory.Text(L(locale, "errors.startedNoLate")), ct).ConfigureAwait(false);
                return await step.EndDialogAsync(null, ct).ConfigureAwait(false);
            }
            string? summary = null, plan = null, reportWeek = null;
            if ((bool?)ctx["weekly"] == true)
            {
                var report = ctx["reportWeek"] != null && V("linkReport") == "true"
                    ? await _service.ReportForAsync(tenant, me, occurrence, ct).ConfigureAwait(false)
                    : null;
                if (report != null)
                {
                    (summary, plan, reportWeek) = (report.Summary, report.Plan, report.Week);
                }
                else
                {
                    (summary, plan) = (V("summary"), V("plan"));
                }
            }
            request = new LeaveRequest
            {
                TenantId = tenant,
                Id = LeaveStore.NewId(DateOnly.FromDateTime(occurrence.LocalStart)),
                UserId = me,
                UserName = turn.Activity.From?.Name ?? "",
                Kind = LeaveKind.Meeting,
                Type = common.Type,
                Reason = common.Reason,
                OccurrenceKey = occurrence.Key,
                SeriesId = occurrence.Series.Id,
                SeriesName = occurrence.Series.Name,
                FromUtc = occurrence.Start,
                ToUtc = occurrence.End,
                TimeZone = occurrence.Series.TimeZone,
                WorkSummary = summary,
                WorkPlan = plan,
                LinkedReportWeek = reportWeek,
                ApproverId = common.ApproverId,
                ApproverName = common.ApproverName,
                Late = occurrence.Start <= now,
                SubmittedAt = now,
            };
        }

        var formToken = (string?)ctx["form"] is { Length: > 0 } token ? token : Guid.NewGuid().ToString("N");
        var (saved, created) = await _service.SubmitOnceAsync(request, formToken, ct).ConfigureAwait(false);
        if (!created)
        {
            // The same form was sent twice (a double click): one request, one approval card; the
            // second send is told so, in words.
            await turn.SendActivityAsync(MessageFactory.Text(L(locale, "alreadySubmitted", _text.Title(saved, locale), saved.ApproverName.Length > 0 ? saved.ApproverName : saved.ApproverId)), ct).ConfigureAwait(false);
            Core.SavedTurns.Mark(turn);
            return await step.EndDialogAsync(saved.Id, ct).ConfigureAwait(false);
        }
        var delivery = await _notifier.SendApprovalAsync(saved, ct).ConfigureAwait(false);
        var approverName = saved.ApproverName.Length > 0 ? saved.ApproverName : saved.ApproverId;
        var message = L(locale, "submitted", _text.Title(saved, locale), approverName);
        if (saved.Late)
        {
            message += L(locale, "submittedLate");
        }
        message += delivery switch
        {
            ApprovalDelivery.Retrying => L(locale, "approverRetrying", approverName),
            ApprovalDelivery.Undeliverable => L(locale, "approverUnreachable", approverName),
            _ => "",
        };
        await turn.SendActivityAsync(MessageFactory.Text(message), ct).ConfigureAwait(false);
        // Saved and said: the other send of this form saving the dialog state first must not add
        // "not saved" (the form is idempotent: sent again it stores nothing more).
        Core.SavedTurns.Mark(turn);
        return await step.EndDialogAsync(saved.Id, ct).ConfigureAwait(false);
    }

    /// <summary>"周工作例会 11月30日 周一 08:30–09:30、…": the weekly meetings a span of days covers.</summary>
    private string MeetingList(IEnumerable<MeetingOccurrence> meetings, string locale) =>
        string.Join(L(locale, "notice.meetingSeparator"), meetings.Select(o => $"{o.Series.Name} {MeetingText.When(o, locale)}"));

    /// <summary>The context the form was shown with (kept in the waterfall's values by <see cref="FormAsync"/>).</summary>
    private static JsonObject LastFormData(WaterfallStepContext step) =>
        step.Values.TryGetValue("ctx", out var json) && json is string s ? JsonNode.Parse(s)!.AsObject() : new JsonObject();
}
