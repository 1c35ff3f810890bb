using System.Globalization;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.Complaints;

/// <summary>
/// The data of every complaint card (Cards/Complaint*.json). Every value a template binds is
/// always given (a missing one would show as "${…}").
/// </summary>
public sealed class ComplaintCards(ICardFactory cards, Localizer localizer, ComplaintService service)
{
    public const string FormTemplate = "ComplaintForm";
    public const string ViewTemplate = "ComplaintView";
    public const string ListTemplate = "ComplaintList";
    public const string StatsTemplate = "ComplaintStats";

    public const string RegisterVerb = "complaints.register";
    public const string CompleteVerb = "complaints.complete";

    /// <summary>History lines a card shows at most (the newest).</summary>
    public const int MaxHistory = 30;

    /// <summary>Complaints a list card shows at most (the earliest time limits).</summary>
    public const int MaxListed = 30;

    /// <summary>People the investigator picker offers at most (by department, then name), to keep the card small.</summary>
    public const int MaxPeople = 150;

    public static readonly string[] FormFields = ["complainant", "title", "contact", "receivedDate", "receivedTime", "channel", "category", "what", "request"];

    public static readonly string[] StageFields = ["verdict", "investigator", "department", "reply", "cause", "responsible", "plan", "chosenPlan", "comment", "confirmed", "feedback", "summary", "improvement", "withdrawReason",
        "reasonsSufficient", "requestReasonable", "askedForTime", "replyByDate", "replyByTime", "problemType", "handler",
        "penaltyPerson", "penaltyPersonWhat", "penaltyHead", "penaltyHeadWhat", "signatureMethod", "signatureKeeper"];

    private string L(string locale, string key, params object?[] args) => localizer.Get(locale, "complaints." + key, args);

    private static JsonObject Fact(string title, string value) => new() { ["title"] = title, ["value"] = value };

    public string StageName(ComplaintStage stage, string locale) => L(locale, "stages." + stage);

    public string Customer(Complaint c, string locale) => L(locale, "customer", c.Complainant, L(locale, "titles." + c.Title));

    public string OwnerOf(Complaint c, string locale) =>
        c.OwnerName is { Length: > 0 } name ? name : c.OwnerRole != null ? L(locale, "roles." + c.OwnerRole) : "—";

    // ---- the 顾客投诉登记表 ----

    public Attachment Form(string verb, string number, string locale, IReadOnlyDictionary<string, string?> values, IReadOnlyDictionary<string, string>? errors = null, string? source = null, string? intro = null)
    {
        var shown = new JsonObject();
        foreach (var field in FormFields)
        {
            shown[field] = values.TryGetValue(field, out var v) ? v ?? "" : "";
        }
        var choices = new JsonArray();
        foreach (var category in service.Options.EffectiveCategories)
        {
            choices.Add(new JsonObject { ["title"] = service.CategoryName(category.Key, locale), ["value"] = category.Key });
        }
        var data = new JsonObject
        {
            ["heading"] = number.Length > 0 ? L(locale, "form.headingNumber", number) : L(locale, "form.heading"),
            ["intro"] = intro ?? L(locale, "form.intro"),
            ["hasSource"] = source != null,
            ["source"] = source ?? "",
            ["verb"] = verb,
            ["number"] = number,
            ["formId"] = values.TryGetValue("formId", out var formId) && formId != null ? formId : "",
            ["submitTitle"] = L(locale, verb == CompleteVerb ? "buttons.complete" : "buttons.register"),
            ["categoryChoices"] = choices,
            ["values"] = shown,
            ["errors"] = CardData.Errors(errors),
        };
        return cards.Create(FormTemplate, data, locale);
    }

    /// <summary>A new form: now as the complaint time, by phone.</summary>
    public Dictionary<string, string?> NewFormValues()
    {
        var local = service.Local(service.Now);
        return new Dictionary<string, string?>
        {
            ["title"] = "ms",
            ["receivedDate"] = local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["receivedTime"] = local.ToString("HH:mm", CultureInfo.InvariantCulture),
            ["channel"] = "phone",
            // Identifies this copy of the form, so pressing 登记 twice registers one complaint.
            ["formId"] = Guid.NewGuid().ToString("N"),
        };
    }

    /// <summary>A stored complaint's registration values (to complete the form).</summary>
    public Dictionary<string, string?> FormValues(Complaint c)
    {
        var local = service.Local(c.ReceivedUtc);
        return new Dictionary<string, string?>
        {
            ["complainant"] = c.Complainant,
            ["title"] = c.Title,
            ["contact"] = c.Contact,
            ["receivedDate"] = local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["receivedTime"] = local.ToString("HH:mm", CultureInfo.InvariantCulture),
            ["channel"] = c.Channel,
            ["category"] = c.Category,
            ["what"] = c.WhatHappened,
            ["request"] = c.Request,
        };
    }


    // ---- one complaint ----

    /// <summary>
    /// What a step's buttons must still match: how many times a stage was entered and how many
    /// plans there are. A reminder or an escalation (events of their own) changes neither, so
    /// the card they came with stays good; a stage left and entered again, or a plan added, does.
    /// </summary>
    public static string VersionOf(Complaint c) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{c.Spans.Count}-{c.Plans.Count}");

    public Attachment View(Complaint c, IReadOnlyList<ComplaintEvent> events, Person viewer, IReadOnlyList<Person> people, string locale,
        string? notice = null, string noticeColor = "Default", IReadOnlyDictionary<string, string?>? submitted = null, IReadOnlyDictionary<string, string>? errors = null) =>
        cards.Create(ViewTemplate, ViewData(c, events, viewer, people, locale, notice, noticeColor, submitted, errors), locale);

    public JsonObject ViewData(Complaint c, IReadOnlyList<ComplaintEvent> events, Person viewer, IReadOnlyList<Person> people, string locale,
        string? notice, string noticeColor, IReadOnlyDictionary<string, string?>? submitted, IReadOnlyDictionary<string, string>? errors)
    {
        var now = service.Now;
        var late = c.IsOpen && c.StageDueUtc is { } due && due < now;
        string status = c.Stage switch
        {
            ComplaintStage.Closed => L(locale, "view.closed", L(locale, "verdicts." + c.Verdict)),
            ComplaintStage.Withdrawn => L(locale, "view.withdrawn"),
            _ => L(locale, "view.status", StageName(c.Stage, locale), OwnerOf(c, locale), c.StageDueUtc is { } d ? service.Time(d) : "—")
                + (late ? L(locale, "view.late") : ""),
        };

        var facts = new JsonArray
        {
            Fact(L(locale, "fields.complainant"), Customer(c, locale)),
            Fact(L(locale, "fields.contact"), c.Contact),
            Fact(L(locale, "fields.received"), service.Time(c.ReceivedUtc)),
            Fact(L(locale, "fields.channel"), L(locale, "channels." + (c.Channel.Length > 0 ? c.Channel : "other"))),
            Fact(L(locale, "fields.category"), c.Category.Length > 0 ? service.CategoryName(c.Category, locale) : "—"),
            Fact(L(locale, "fields.what"), c.WhatHappened.Length > 0 ? c.WhatHappened : "—"),
            Fact(L(locale, "fields.request"), c.Request.Length > 0 ? c.Request : "—"),
        };
        if (c.ServiceItem is { Length: > 0 } item)
        {
            facts.Add(Fact(L(locale, "fields.service"), item));
        }
        facts.Add(Fact(L(locale, "fields.registrar"), $"{c.RegisteredByName} · {service.Time(c.RegisteredUtc)}"));
        if (c.Verdict != ComplaintVerdict.Pending)
        {
            facts.Add(Fact(L(locale, "fields.verdict"), L(locale, "verdicts." + c.Verdict)));
        }
        if (c.ReasonsSufficient is { } reasons)
        {
            facts.Add(Fact(L(locale, "fields.reasonsSufficient"), L(locale, reasons ? "answers.yes" : "answers.no")));
        }
        if (c.RequestReasonable is { } reasonable)
        {
            facts.Add(Fact(L(locale, "fields.requestReasonable"), L(locale, reasonable ? "answers.yes" : "answers.no")));
        }
        if (c.AskedForTime && c.ReplyByUtc is { } replyBy)
        {
            facts.Add(Fact(L(locale, "fields.replyBy"), L(locale, "view.replyBy", service.Time(replyBy))));
        }
        if (c.UnfoundedReply is { } reply)
        {
            facts.Add(Fact(L(locale, "fields.reply"), reply));
        }
        if (c.InvestigatorName is { } investigator)
        {
            facts.Add(Fact(L(locale, "fields.investigator"), c.Department is { Length: > 0 } dept ? $"{investigator} · {dept}" : investigator));
        }
        if (c.Cause is { } cause)
        {
            facts.Add(Fact(L(locale, "fields.cause"), cause));
        }
        if (c.ResponsibleParty is { } responsible)
        {
            facts.Add(Fact(L(locale, "fields.responsible"), responsible));
        }
        if (c.ProblemType is { } problem && c.HandlerName is { } handler)
        {
            facts.Add(Fact(L(locale, "fields.problemType"), $"{L(locale, "problemTypes." + problem)} → {handler}"));
        }
        if (c.ApprovalComment is { } comment)
        {
            facts.Add(Fact(L(locale, "fields.comment"), c.ApprovedByName is { } by && c.ApprovedPlan != null ? $"{comment}（{by}）" : comment));
        }
        if (c.CustomerConfirmed is { } confirmed)
        {
            facts.Add(Fact(L(locale, "fields.confirmed"), L(locale, confirmed ? "confirm.yes" : "confirm.no")));
        }
        if (c.PenaltyResponsible is { } penalty)
        {
            facts.Add(Fact(L(locale, "fields.penaltyResponsible"), $"{penalty.Who}：{penalty.What}"));
        }
        if (c.PenaltyHead is { } headPenalty)
        {
            facts.Add(Fact(L(locale, "fields.penaltyHeadShown"), $"{headPenalty.Who}：{headPenalty.What}"));
        }
        if (c.SignatureMethod == "paper" && c.SignatureKeeper is { } keeper)
        {
            facts.Add(Fact(L(locale, "fields.signature"), L(locale, "signature.paper", keeper)));
        }
        if (c.SignatureFile is { } file)
        {
            facts.Add(Fact(L(locale, c.SignatureMethod == "upload" ? "fields.signature" : "fields.signatureFile"),
                L(locale, "view.signatureFile", file.Name, ComplaintSignature.Kb(file.Size), file.ByName, service.Time(file.AtUtc))));
        }
        if (c.CustomerFeedback is { } feedback)
        {
            facts.Add(Fact(L(locale, "fields.feedback"), feedback));
        }
        if (c.Summary is { } summary)
        {
            facts.Add(Fact(L(locale, "fields.summary"), summary));
        }
        if (c.Improvement is { } improvement)
        {
            facts.Add(Fact(L(locale, "fields.improvement"), improvement));
        }
        if (c.FollowUpTaskId != null)
        {
            facts.Add(Fact(L(locale, "fields.followUp"), L(locale, "view.followUpScheduled")));
        }
        if (c.WithdrawReason is { } withdrawn)
        {
            facts.Add(Fact(L(locale, "fields.withdrawReason"), withdrawn));
        }

        var plans = new JsonArray();
        foreach (var p in c.Plans)
        {
            var approved = c.ApprovedPlan == p.Number;
            plans.Add(new JsonObject
            {
                ["text"] = $"{p.Number}. {p.Text}（{p.ByName}）" + (approved ? L(locale, "view.approvedMark", c.ApprovedByName ?? "") : ""),
                ["weight"] = approved ? "Bolder" : "Default",
            });
        }
        var planChoices = new JsonArray();
        foreach (var p in c.Plans)
        {
            planChoices.Add(new JsonObject { ["title"] = $"{p.Number}. {p.Text}", ["value"] = p.Number.ToString(CultureInfo.InvariantCulture) });
        }
        var investigatorChoices = new JsonArray();
        var canPick = ComplaintService.CanAct(c, viewer) && c.Stage == ComplaintStage.Judge;
        foreach (var p in (canPick ? people : Array.Empty<Person>()).OrderBy(p => p.Team is { Length: > 0 } ? 0 : 1).ThenBy(p => p.Team ?? "", StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).Take(MaxPeople))
        {
            investigatorChoices.Add(new JsonObject { ["title"] = p.Team is { Length: > 0 } team ? $"{p.Name}（{team}）" : p.Name, ["value"] = p.UserId });
        }

        var handlerChoices = new JsonArray();
        var canRoute = ComplaintService.CanAct(c, viewer) && c.Stage == ComplaintStage.Investigate;
        foreach (var p in (canRoute ? people : Array.Empty<Person>()).OrderBy(p => p.Team is { Length: > 0 } ? 0 : 1).ThenBy(p => p.Team ?? "", StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).Take(MaxPeople))
        {
            var role = p.Has(Roles.CsSupervisor) ? L(locale, "roles.csSupervisor") : p.Has(Roles.CsRep) ? L(locale, "roles.csRep") : null;
            var detail = string.Join(" · ", new[] { p.Team, role }.Where(x => !string.IsNullOrEmpty(x)));
            handlerChoices.Add(new JsonObject { ["title"] = detail.Length > 0 ? $"{p.Name}（{detail}）" : p.Name, ["value"] = p.UserId });
        }

        var history = new JsonArray();
        foreach (var e in events.TakeLast(MaxHistory))
        {
            var text = L(locale, "view.historyLine", service.Local(e.AtUtc).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture), e.ActorName, L(locale, "events." + e.Action));
            if (e.Details.Length > 0)
            {
                text += " — " + (e.Details.Length > 200 ? e.Details[..200] + "…" : e.Details);
            }
            history.Add(new JsonObject { ["text"] = text });
        }

        var canAct = ComplaintService.CanAct(c, viewer);
        var values = new JsonObject();
        foreach (var field in StageFields)
        {
            values[field] = submitted != null && submitted.TryGetValue(field, out var v) ? v ?? "" : "";
        }
        if (submitted == null && c.Stage == ComplaintStage.Judge && c.InvestigatorId != null)
        {
            values["investigator"] = c.InvestigatorId;
        }
        if (submitted == null && c.Stage == ComplaintStage.Investigate)
        {
            // 修理质量问题 when the complaint is about quality/repair; a service problem otherwise.
            values["problemType"] = c.Category == "quality" ? "repair" : "service";
        }
        if (submitted == null && c.Stage == ComplaintStage.Implement && c.SignatureFile != null)
        {
            values["signatureMethod"] = "upload";
        }
        return new JsonObject
        {
            ["hasNotice"] = notice != null,
            ["notice"] = notice ?? "",
            ["noticeColor"] = noticeColor,
            ["heading"] = L(locale, "view.heading", c.Number),
            ["status"] = status,
            ["statusColor"] = late ? "Attention" : c.IsOpen ? "Default" : "Good",
            ["number"] = c.Number,
            ["stage"] = c.Stage.ToString(),
            // The complaint as this card shows it: a step pressed on an older card (the stage left
            // and entered again, e.g. plans sent back and submitted anew) saves nothing.
            ["version"] = VersionOf(c),
            ["facts"] = facts,
            ["hasPlans"] = plans.Count > 0,
            ["plans"] = plans,
            ["showIntake"] = canAct && c.Stage == ComplaintStage.Intake,
            ["showJudge"] = canAct && c.Stage == ComplaintStage.Judge,
            ["showInvestigate"] = canAct && c.Stage == ComplaintStage.Investigate,
            ["showPlan"] = canAct && c.Stage == ComplaintStage.Plan,
            ["showApprove"] = canAct && c.Stage == ComplaintStage.Approve,
            ["showImplement"] = canAct && c.Stage == ComplaintStage.Implement,
            ["showSummary"] = canAct && c.Stage == ComplaintStage.Summary,
            ["investigatorChoices"] = investigatorChoices,
            ["planChoices"] = planChoices,
            ["handlerChoices"] = handlerChoices,
            ["today"] = service.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["signatureUploadChoice"] = c.SignatureFile is { } uploaded
                ? L(locale, "signatureMethods.uploaded", uploaded.Name)
                : L(locale, "signatureMethods.upload", c.Number),
            ["readOnly"] = c.IsOpen && !canAct,
            ["readOnlyNote"] = L(locale, "view.readOnly", StageName(c.Stage, locale), c.Stage == ComplaintStage.Approve ? L(locale, "roles.manager") : OwnerOf(c, locale)),
            ["hasHistory"] = history.Count > 0,
            ["history"] = history,
            ["canWithdraw"] = c.IsOpen && viewer.Has(Roles.CsSupervisor),
            ["values"] = values,
            ["errors"] = CardData.Errors(errors),
        };
    }

    // ---- lists ----

    public Attachment List(IReadOnlyList<Complaint> complaints, string locale)
    {
        var items = new JsonArray();
        var now = service.Now;
        foreach (var c in complaints.Take(MaxListed))
        {
            var late = c.StageDueUtc is { } due && due < now;
            var line = L(locale, "list.line", StageName(c.Stage, locale), OwnerOf(c, locale), c.StageDueUtc is { } d ? service.Time(d) : "—") + (late ? L(locale, "view.late") : "");
            items.Add(new JsonObject
            {
                ["number"] = c.Number,
                ["title"] = $"{c.Number} · {Customer(c, locale)} · {(c.Category.Length > 0 ? service.CategoryName(c.Category, locale) : "—")}",
                ["line"] = line,
                ["color"] = late ? "Attention" : "Default",
            });
        }
        var data = new JsonObject
        {
            ["heading"] = L(locale, "list.heading", complaints.Count),
            ["hasItems"] = items.Count > 0,
            ["empty"] = L(locale, "list.empty"),
            ["hasMore"] = complaints.Count > MaxListed,
            ["more"] = L(locale, "list.more", complaints.Count - MaxListed),
            ["items"] = items,
        };
        return cards.Create(ListTemplate, data, locale);
    }
}
