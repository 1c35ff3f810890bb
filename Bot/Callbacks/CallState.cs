using ChatRegs.Bot.Localization;

namespace ChatRegs.Bot.Callbacks;

/// <summary>
/// A call in progress, kept in the dialog's state (Newtonsoft, TypeNameHandling.All): plain
/// properties only. The script id and version are fixed when the call starts, so a script
/// switched meanwhile does not change a call half-way.
/// </summary>
public sealed class CallState
{
    public string TenantId { get; set; } = "";

    public string TaskId { get; set; } = "";

    public string RepId { get; set; } = "";

    public string RepName { get; set; } = "";

    /// <summary>The language the lines are read in (the rep's when the call started).</summary>
    public string Language { get; set; } = Localizer.Chinese;

    public string ScriptId { get; set; } = "";

    public int ScriptVersion { get; set; }

    /// <summary>The script's optional parts switched on when the call started.</summary>
    public List<string> TogglesOn { get; set; } = [];

    public string? ThemeText { get; set; }

    public string StepId { get; set; } = "";

    /// <summary>回访方式: the <see cref="CallMethod"/> name chosen when the call started (Phone by default).</summary>
    public string Method { get; set; } = nameof(CallMethod.Phone);

    public CallMethod MethodValue => Enum.TryParse<CallMethod>(Method, out var m) && Enum.IsDefined(m) ? m : CallMethod.Phone;

    public DateTimeOffset StartedUtc { get; set; }

    public string CustomerName { get; set; } = "";

    public string Title { get; set; } = "";

    public string Phone { get; set; } = "";

    public bool IsMember { get; set; }

    public string ServiceItem { get; set; } = "";

    /// <summary>yyyy-MM-dd.</summary>
    public string ServiceDate { get; set; } = "";

    /// <summary>yyyy-MM-dd.</summary>
    public string DueDate { get; set; } = "";

    public string CustomerTimeZone { get; set; } = "";

    /// <summary>Failed attempts before this call.</summary>
    public int PreviousAttempts { get; set; }

    public List<StepAnswer> Answers { get; set; } = [];

    /// <summary>Step id → what its words are ("complaint" / "suggestion").</summary>
    public Dictionary<string, string> Collects { get; set; } = [];

    /// <summary>The <see cref="Callbacks.Satisfaction"/> name, once answered.</summary>
    public string? Satisfaction { get; set; }

    public string? Greeting { get; set; }

    /// <summary>Whether the rep said (at the closing) whether a follow-up is needed.</summary>
    public bool FollowUpAnswered { get; set; }

    public bool FollowUp { get; set; }

    public string? FollowUpNote { get; set; }

    public bool ComplaintOffered { get; set; }

    public bool ComplaintAccepted { get; set; }

    public Satisfaction SatisfactionValue => Enum.TryParse<Satisfaction>(Satisfaction, out var s) ? s : Callbacks.Satisfaction.None;

    public CallPath Path => new(SatisfactionValue, IsMember, TogglesOn.ToHashSet(StringComparer.Ordinal));

    public StepAnswer? AnswerTo(string stepId) => Answers.LastOrDefault(a => a.StepId == stepId);
}

/// <summary>务必保证回访信息的完整记录: what a finished call must hold before it can be saved.</summary>
public static class CallRules
{
    /// <summary>
    /// The steps of the script that apply to this call and lack a required answer, in script
    /// order (empty when the call may be closed): every applicable step answered, the identity
    /// confirmed, the satisfaction given, required words typed, the complaint offered where the
    /// script offers it, and the follow-up question answered at the closing.
    /// </summary>
    public static IReadOnlyList<ScriptStep> Missing(CallbackScript script, CallState call)
    {
        var missing = new List<ScriptStep>();
        var path = call.Path;
        foreach (var step in script.Steps.Where(s => s.AppliesTo(path)))
        {
            var answer = call.AnswerTo(step.Id);
            var chosen = step.Answer(answer?.AnswerId);
            var incomplete = answer == null
                || chosen == null
                || chosen.Outcome != null
                || ((step.Words == "required" || chosen.RequiresWords) && string.IsNullOrWhiteSpace(answer.Words))
                || (step.OfferComplaint && !call.ComplaintOffered)
                || (step.Closing && (!call.FollowUpAnswered || (call.FollowUp && string.IsNullOrWhiteSpace(call.FollowUpNote)) || string.IsNullOrEmpty(call.Greeting)));
            if (incomplete)
            {
                missing.Add(step);
            }
        }
        if (call.SatisfactionValue == Satisfaction.None)
        {
            var asked = script.Steps.FirstOrDefault(s => s.Answers.Any(a => a.Satisfaction != null));
            if (asked != null && !missing.Contains(asked))
            {
                missing.Insert(0, asked);
            }
        }
        return missing.OrderBy(s => script.Steps.IndexOf(s)).ToList();
    }
}

/// <summary>Words of the callback feature shown in cards, files and messages.</summary>
public static class CallbackText
{
    /// <summary>先生 / 女士 / 小姐, Mr. / Ms. / Miss.</summary>
    public static string Title(Localizer localizer, string locale, string code) =>
        code is "mr" or "ms" or "miss" ? localizer.Get(locale, "callbacks.titles." + code) : code;

    public static string Satisfaction(Localizer localizer, string locale, Satisfaction value) =>
        localizer.Get(locale, "callbacks.satisfaction." + Camel(value.ToString()));

    public static string Outcome(Localizer localizer, string locale, CallOutcome value) =>
        localizer.Get(locale, "callbacks.outcome." + Camel(value.ToString()));

    public static string Status(Localizer localizer, string locale, CallbackStatus value) =>
        localizer.Get(locale, "callbacks.status." + Camel(value.ToString()));

    /// <summary>电话 / 电邮 / 信息.</summary>
    public static string Method(Localizer localizer, string locale, CallMethod value) =>
        localizer.Get(locale, "callbacks.method." + Camel(value.ToString()));

    public static string YesNo(Localizer localizer, string locale, bool value) => localizer.Get(locale, value ? "callbacks.yes" : "callbacks.no");

    /// <summary>"王小明先生" / "Mr. 王小明".</summary>
    public static string Customer(Localizer localizer, string locale, string name, string title) =>
        localizer.Get(locale, "callbacks.customerName", name, Title(localizer, locale, title));

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
