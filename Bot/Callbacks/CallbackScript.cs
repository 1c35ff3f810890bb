using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using ChatRegs.Bot.Localization;

namespace ChatRegs.Bot.Callbacks;

/// <summary>
/// A callback script (回访话术) as data: the lines the rep reads, step by step, with the
/// customer's possible answers as buttons. Scripts live in JSON files (Callbacks/Scripts/*.json,
/// plus <see cref="CallbackOptions.ScriptsFolder"/>), are read at start, and carry an id and a
/// version, so every call record says exactly which wording was read.
/// <para>
/// The steps are walked in order; a step is skipped unless its <see cref="ScriptStep.When"/>
/// holds (the satisfaction answer given so far, whether the customer is a member) and its
/// <see cref="ScriptStep.Toggle"/> (an optional part, such as the renewal reminder) is switched
/// on. An answer with an <see cref="ScriptAnswer.Outcome"/> ends the call early (无人接听, 非本人,
/// 不方便); the first <see cref="ScriptStep.Closing"/> step reached ends it as finished.
/// </para>
/// </summary>
public sealed partial class CallbackScript
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>The placeholders a line may use.</summary>
    public static readonly IReadOnlySet<string> Placeholders = new HashSet<string>(StringComparer.Ordinal)
    {
        "rep", "customer", "title", "date", "company", "service", "greeting", "theme",
    };

    public string Id { get; set; } = "";

    public int Version { get; set; }

    public Dictionary<string, string> Name { get; set; } = [];

    /// <summary>Where the wording comes from (for the people who maintain scripts).</summary>
    public string? Source { get; set; }

    public List<ScriptGreeting> Greetings { get; set; } = [];

    /// <summary>The greeting proposed on a public holiday (else the first).</summary>
    public string? HolidayGreeting { get; set; }

    /// <summary>Optional parts a supervisor can switch on (特色回访, 续卡提醒…).</summary>
    public List<ScriptToggle> Toggles { get; set; } = [];

    public List<ScriptStep> Steps { get; set; } = [];

    /// <summary>"regulation-7 v1".</summary>
    [JsonIgnore]
    public string Label => $"{Id} v{Version}";

    public string NameIn(string locale) => Text(Name, locale);

    public ScriptStep? Step(string id) => Steps.FirstOrDefault(s => s.Id == id);

    /// <summary>The text of a localized map in the reader's language (Chinese when missing).</summary>
    public static string Text(IReadOnlyDictionary<string, string> texts, string locale) =>
        texts.TryGetValue(Localizer.Resolve(locale), out var t) ? t : texts.TryGetValue(Localizer.Chinese, out var zh) ? zh : texts.Values.FirstOrDefault() ?? "";

    /// <summary>The first step, and the one after <paramref name="currentId"/> that applies to this call.</summary>
    public ScriptStep? NextStep(string? currentId, CallPath path)
    {
        var start = currentId == null ? 0 : Steps.FindIndex(s => s.Id == currentId) + 1;
        for (var i = start; i < Steps.Count; i++)
        {
            if (Steps[i].AppliesTo(path))
            {
                return Steps[i];
            }
        }
        return null;
    }

    /// <summary>Fills a line's placeholders ({rep}, {customer}…); unknown ones stay as they are.</summary>
    public static string Fill(string line, IReadOnlyDictionary<string, string> values) =>
        PlaceholderPattern().Replace(line, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    /// <summary>Reads and checks a script file. Throws <see cref="FormatException"/> naming every problem.</summary>
    public static CallbackScript Parse(string json, string source)
    {
        CallbackScript? script;
        try
        {
            script = JsonSerializer.Deserialize<CallbackScript>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{source}: not a valid script file: {e.Message}", e);
        }
        if (script == null)
        {
            throw new FormatException($"{source}: the file is empty.");
        }
        var problems = script.Problems();
        if (problems.Count > 0)
        {
            throw new FormatException($"{source}: " + string.Join("; ", problems));
        }
        return script;
    }

    /// <summary>Everything wrong with the script, in words for the person who wrote it.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!IdPattern().IsMatch(Id))
        {
            problems.Add($"id '{Id}' must be 1–40 letters, digits or '-'");
        }
        if (Version < 1)
        {
            problems.Add("version must be 1 or more");
        }
        CheckText(Name, "name", problems);
        if (Greetings.Count == 0)
        {
            problems.Add("at least one greeting is needed (祝您…)");
        }
        foreach (var g in Greetings)
        {
            CheckText(g.Text, $"greeting '{g.Id}'", problems);
        }
        if (HolidayGreeting != null && Greetings.All(g => g.Id != HolidayGreeting))
        {
            problems.Add($"holidayGreeting '{HolidayGreeting}' is not one of the greetings");
        }
        if (Steps.Count == 0)
        {
            problems.Add("a script needs steps");
            return problems;
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in Steps)
        {
            var where = $"step '{step.Id}'";
            if (string.IsNullOrWhiteSpace(step.Id) || !ids.Add(step.Id))
            {
                problems.Add($"{where}: step ids must be present and unique");
            }
            if (step.Stage is not ("opening" or "exchange" or "closing"))
            {
                problems.Add($"{where}: stage must be opening, exchange or closing");
            }
            CheckText(step.Text, where, problems);
            foreach (var line in step.Text.Values)
            {
                foreach (Match m in PlaceholderPattern().Matches(line))
                {
                    if (!Placeholders.Contains(m.Groups[1].Value))
                    {
                        problems.Add($"{where}: unknown placeholder {{{m.Groups[1].Value}}}");
                    }
                }
            }
            if (step.Words is not ("none" or "optional" or "required"))
            {
                problems.Add($"{where}: words must be none, optional or required");
            }
            if (step.Answers.Count == 0)
            {
                problems.Add($"{where}: a step needs at least one answer button");
            }
            var answerIds = new HashSet<string>(StringComparer.Ordinal);
            foreach (var answer in step.Answers)
            {
                if (string.IsNullOrWhiteSpace(answer.Id) || !answerIds.Add(answer.Id))
                {
                    problems.Add($"{where}: answer ids must be present and unique");
                }
                CheckText(answer.Label, $"{where} answer '{answer.Id}'", problems);
                if (answer.Outcome is { } outcome && outcome is not (CallOutcome.NoAnswer or CallOutcome.WrongPerson or CallOutcome.Booked))
                {
                    problems.Add($"{where} answer '{answer.Id}': outcome must be noAnswer, wrongPerson or booked");
                }
                if (answer.Style is not (null or "default" or "positive" or "destructive"))
                {
                    problems.Add($"{where} answer '{answer.Id}': style must be default, positive or destructive");
                }
            }
            if (step.Toggle != null && Toggles.All(t => t.Id != step.Toggle))
            {
                problems.Add($"{where}: toggle '{step.Toggle}' is not declared in toggles");
            }
            if (step.Collects is not (null or "complaint" or "suggestion"))
            {
                problems.Add($"{where}: collects must be complaint or suggestion");
            }
        }
        if (Steps[0].Answers.All(a => a.Outcome == null))
        {
            problems.Add("the first step must let the rep record a call that did not reach the customer (an answer with an outcome)");
        }
        // Every satisfaction answer must reach a closing step, members or not.
        var satisfactions = Steps.SelectMany(s => s.Answers).Select(a => a.Satisfaction).OfType<Satisfaction>().Distinct().ToList();
        if (satisfactions.Count == 0)
        {
            problems.Add("no answer records the satisfaction (满意 / 一般 / 不满意)");
        }
        foreach (var satisfaction in satisfactions)
        {
            foreach (var member in new[] { true, false })
            {
                var path = new CallPath(satisfaction, member, new HashSet<string>(Toggles.Select(t => t.Id)));
                if (!Steps.Any(s => s.Closing && s.AppliesTo(path)))
                {
                    problems.Add($"no closing step for satisfaction {satisfaction} (member: {member})");
                }
            }
        }
        foreach (var toggle in Toggles)
        {
            CheckText(toggle.Label, $"toggle '{toggle.Id}'", problems);
        }
        return problems;
    }

    private static void CheckText(IReadOnlyDictionary<string, string> text, string where, List<string> problems)
    {
        foreach (var language in Localizer.Supported)
        {
            if (!text.TryGetValue(language, out var t) || string.IsNullOrWhiteSpace(t))
            {
                problems.Add($"{where}: text in {language} is missing");
            }
        }
    }

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex PlaceholderPattern();

    [GeneratedRegex("^[A-Za-z0-9-]{1,40}$")]
    private static partial Regex IdPattern();
}

/// <summary>What decides which steps a call goes through.</summary>
public sealed record CallPath(Satisfaction Satisfaction, bool IsMember, IReadOnlySet<string> TogglesOn);

public sealed class ScriptStep
{
    public string Id { get; set; } = "";

    /// <summary>opening (开始), exchange (交流) or closing (结束).</summary>
    public string Stage { get; set; } = "exchange";

    /// <summary>The line to read, per language, with placeholders.</summary>
    public Dictionary<string, string> Text { get; set; } = [];

    /// <summary>The box for the customer's words: none, optional or required.</summary>
    public string Words { get; set; } = "optional";

    /// <summary>complaint: the words are what the customer was not satisfied with (the report counts them); suggestion: their suggestions.</summary>
    public string? Collects { get; set; }

    /// <summary>Ask whether the customer wants a complaint registered (一般 / 不满意).</summary>
    public bool OfferComplaint { get; set; }

    /// <summary>The step that ends the call: the greeting is chosen here and the record is saved.</summary>
    public bool Closing { get; set; }

    public StepCondition? When { get; set; }

    /// <summary>An optional part: the step is read only when the script's toggle is on.</summary>
    public string? Toggle { get; set; }

    public List<ScriptAnswer> Answers { get; set; } = [];

    public bool AppliesTo(CallPath path)
    {
        if (Toggle != null && !path.TogglesOn.Contains(Toggle))
        {
            return false;
        }
        if (When?.Satisfaction is { Count: > 0 } wanted && !wanted.Contains(path.Satisfaction))
        {
            return false;
        }
        if (When?.Member is { } member && member != path.IsMember)
        {
            return false;
        }
        return true;
    }

    public ScriptAnswer? Answer(string? id) => Answers.FirstOrDefault(a => a.Id == id);
}

public sealed class StepCondition
{
    public List<Satisfaction>? Satisfaction { get; set; }

    public bool? Member { get; set; }
}

public sealed class ScriptAnswer
{
    public string Id { get; set; } = "";

    public Dictionary<string, string> Label { get; set; } = [];

    /// <summary>Ends the call without finishing it.</summary>
    public CallOutcome? Outcome { get; set; }

    /// <summary>Records the customer's satisfaction.</summary>
    public Satisfaction? Satisfaction { get; set; }

    /// <summary>The customer's words must be typed before this button is accepted.</summary>
    public bool RequiresWords { get; set; }

    /// <summary>The button's Adaptive Card style: default, positive or destructive.</summary>
    public string? Style { get; set; }
}

public sealed class ScriptGreeting
{
    public string Id { get; set; } = "";

    public Dictionary<string, string> Text { get; set; } = [];
}

public sealed class ScriptToggle
{
    public string Id { get; set; } = "";

    public Dictionary<string, string> Label { get; set; } = [];

    /// <summary>The supervisor gives the text to read when switching it on (the {theme} of a themed call).</summary>
    public bool NeedsText { get; set; }
}

/// <summary>A script's optional parts as a supervisor set them: which are on, and the theme's text.</summary>
public sealed record ScriptSettings(IReadOnlySet<string> TogglesOn, string? ThemeText)
{
    public static ScriptSettings None { get; } = new(new HashSet<string>(), null);
}

/// <summary>Dates of a call as the customer hears them.</summary>
public static class CallbackDates
{
    /// <summary>"2026年3月5日" / "5 March 2026".</summary>
    public static string Spoken(DateOnly date, string locale) => Localizer.Resolve(locale) == Localizer.English
        ? date.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-US"))
        : $"{date.Year}年{date.Month}月{date.Day}日";

    /// <summary>"3月5日 15:30" / "5 Mar 15:30".</summary>
    public static string Moment(DateTime local, string locale) => Localizer.Resolve(locale) == Localizer.English
        ? local.ToString("d MMM HH:mm", CultureInfo.GetCultureInfo("en-US"))
        : $"{local.Month}月{local.Day}日 {local.ToString("HH:mm", CultureInfo.InvariantCulture)}";

    /// <summary>"2026-03-05" for files and data.</summary>
    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
