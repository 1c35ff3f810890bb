using ChatRegs.Bot.Core;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatRegs.Bot.Localization;

namespace ChatRegs.Bot.Meetings.Series;

/// <summary>What a series form may offer and what it is checked against.</summary>
public sealed record MeetingFormContext(
    IReadOnlyDictionary<string, string> Conversations,
    IReadOnlyDictionary<string, string> People,
    DateTimeOffset Now,
    TimeZoneInfo Zone)
{
    /// <summary>The named groups the office keeps (value <c>group:{name}</c> → name), offered as minutes recipients.</summary>
    public IReadOnlyDictionary<string, string> Groups { get; init; } = new Dictionary<string, string>();
}

/// <summary>A valid form: the series' fields (id, tenant and audit are the caller's) and the participants.</summary>
public sealed record MeetingFormResult(
    string Name, string ConversationId, string Location, string HostId, string? RecorderId, IReadOnlyList<string> Participants,
    MeetingSchedule Schedule, string? LeaveApproverId, int LateGraceMinutes, int CheckInOpensMinutesBefore, int SpeakingLimitMinutes)
{
    public IReadOnlyList<string> MinutesRecipients { get; init; } = [];

    public bool MinutesToAttendees { get; init; } = true;

    public int ArriveByMinutes { get; init; } = 5;

    public string TopicCutoff { get; init; } = TopicCutoffs.AgendaPosted;
}

/// <summary>
/// The series form (Cards/MeetingForm.json): its fields, defaults, and the server-side check of
/// every field — each error in the user's language, keyed by the input it belongs next to.
/// Everything submitted is checked against what the form offered: a forged conversation,
/// person or weekday is an error, never stored.
/// </summary>
public static partial class MeetingForm
{
    public const string TemplateName = "MeetingForm";
    public const string Verb = "meetings.saveSeries";
    public const string NoOne = "-";
    public const string HostApproves = "host";
    public const int MaxName = 60, MaxLocation = 100, MaxMinutesRecipients = 20;

    /// <summary>The form's "start from this meeting" button (data field): not a save, the form again from the picked template.</summary>
    public const string UseTemplate = "useTemplate";

    public static readonly IReadOnlyList<string> Fields =
    [
        "name", "conversation", "location", "hostId", "recorder", "participants", "kind", "days", "start", "end",
        "summerStart", "summerEnd", "summerFrom", "winterFrom", "dayOfMonth", "date", "leaveApprover", "lateGrace", "windowBefore", "speakingLimit",
        "arriveBy", "topicCutoff", "minutesRecipients", "minutesToAttendees",
    ];

    private static readonly Dictionary<string, DayOfWeek> DayValues = Enum.GetValues<DayOfWeek>().ToDictionary(d => d.ToString(), d => d);

    /// <summary>The form's starting values: for a new series (host: me; conversation: this one), or an existing series.</summary>
    public static Dictionary<string, string> Defaults(string me, string conversationId, DateOnly today, MeetingSeries? series = null, IEnumerable<string>? participants = null)
    {
        if (series == null)
        {
            return new Dictionary<string, string>
            {
                ["name"] = "", ["conversation"] = conversationId, ["location"] = "", ["hostId"] = me, ["recorder"] = NoOne, ["participants"] = "",
                ["kind"] = "weekly", ["days"] = "Monday", ["start"] = "08:30", ["end"] = "09:30", ["summerStart"] = "14:30", ["summerEnd"] = "18:00",
                ["summerFrom"] = "05-05", ["winterFrom"] = "11-07", ["dayOfMonth"] = "29", ["date"] = today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["leaveApprover"] = HostApproves, ["lateGrace"] = "0", ["windowBefore"] = "30", ["speakingLimit"] = "5",
                ["arriveBy"] = "5", ["topicCutoff"] = TopicCutoffs.AgendaPosted, ["minutesRecipients"] = "", ["minutesToAttendees"] = "true",
            };
        }
        var s = series.Schedule;
        return new Dictionary<string, string>
        {
            ["name"] = series.Name, ["conversation"] = series.ConversationId ?? conversationId, ["location"] = series.Location, ["hostId"] = series.HostId,
            ["recorder"] = series.RecorderId ?? NoOne, ["participants"] = string.Join(",", participants ?? []),
            ["kind"] = s.Kind.ToString().ToLowerInvariant(), ["days"] = string.Join(",", s.Days.Select(d => d.ToString())),
            ["start"] = s.Start.ToString("HH:mm", CultureInfo.InvariantCulture), ["end"] = s.End.ToString("HH:mm", CultureInfo.InvariantCulture),
            ["summerStart"] = (s.SummerStart ?? new TimeOnly(14, 30)).ToString("HH:mm", CultureInfo.InvariantCulture),
            ["summerEnd"] = (s.SummerEnd ?? new TimeOnly(18, 0)).ToString("HH:mm", CultureInfo.InvariantCulture),
            ["summerFrom"] = $"{s.SummerFrom.Month:D2}-{s.SummerFrom.Day:D2}", ["winterFrom"] = $"{s.WinterFrom.Month:D2}-{s.WinterFrom.Day:D2}",
            ["dayOfMonth"] = (s.DayOfMonth is >= 1 and <= 31 ? s.DayOfMonth : 29).ToString(CultureInfo.InvariantCulture),
            ["date"] = (s.Date ?? today.AddDays(1)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["leaveApprover"] = series.LeaveApproverId ?? HostApproves, ["lateGrace"] = series.LateGraceMinutes.ToString(CultureInfo.InvariantCulture),
            ["windowBefore"] = series.CheckInOpensMinutesBefore.ToString(CultureInfo.InvariantCulture), ["speakingLimit"] = series.SpeakingLimitMinutes.ToString(CultureInfo.InvariantCulture),
            ["arriveBy"] = series.ArriveByMinutes.ToString(CultureInfo.InvariantCulture), ["topicCutoff"] = series.TopicCutoff,
            ["minutesRecipients"] = string.Join(",", series.MinutesRecipients), ["minutesToAttendees"] = series.MinutesToAttendees ? "true" : "false",
        };
    }

    /// <summary>
    /// A regulation meeting's values over the defaults: name, place and schedule. Times the
    /// regulation leaves open are emptied, so the office must fill them in (the form says so).
    /// </summary>
    public static void ApplyTemplate(Dictionary<string, string> values, MeetingTemplate template)
    {
        values["name"] = template.Name.Zh;
        values["location"] = template.Location;
        values["kind"] = template.Kind;
        if (template.Days.Count > 0)
        {
            values["days"] = string.Join(",", template.Days.Select(d => d.ToString()));
        }
        values["start"] = template.Start ?? "";
        values["end"] = template.End ?? "";
        if (template.SummerStart != null)
        {
            values["summerStart"] = template.SummerStart;
        }
        if (template.SummerEnd != null)
        {
            values["summerEnd"] = template.SummerEnd;
        }
        values["dayOfMonth"] = template.DayOfMonth?.ToString(CultureInfo.InvariantCulture) ?? (template.Kind == "monthly" ? "" : values["dayOfMonth"]);
        if (template.Kind == "once")
        {
            values["date"] = "";
        }
    }

    /// <summary>A new series' form offers the regulation's meetings (and blank) to start from.</summary>
    public static void OfferTemplates(JsonObject data, MeetingTemplate? current, string locale)
    {
        var localizer = Localizer.Default;
        var choices = new JsonArray { new JsonObject { ["title"] = localizer.Get(locale, "meetings.form.templateBlank"), ["value"] = MeetingTemplates.Blank } };
        foreach (var t in MeetingTemplates.Default.All)
        {
            choices.Add(new JsonObject { ["title"] = localizer.Get(locale, "meetings.form.templateChoice", t.Source.In(locale), t.Name.In(locale)), ["value"] = t.Id });
        }
        data["templateChoices"] = choices;
        data["template"] = current?.Id ?? MeetingTemplates.Blank;
    }

    /// <summary>What the form shows of the regulation meeting it starts from (or the series was made from): roles, time and order of business.</summary>
    public static void DescribeTemplate(JsonObject data, MeetingTemplate? template, string locale)
    {
        var localizer = Localizer.Default;
        data["hasTemplate"] = template != null;
        if (template == null)
        {
            return;
        }
        var notes = new List<string>
        {
            localizer.Get(locale, "meetings.form.templateRoles", template.Host.In(locale), template.Recorder.In(locale), template.Participants.In(locale)),
            localizer.Get(locale, "meetings.form.templateTime", template.TimeNote.In(locale)),
        };
        if (template.EndAssumed)
        {
            notes.Add(localizer.Get(locale, "meetings.form.templateEndAssumed"));
        }
        if (template.Start == null)
        {
            notes.Add(localizer.Get(locale, "meetings.form.templateFillTime"));
        }
        if (template.Order.Count > 0)
        {
            notes.Add(localizer.Get(locale, "meetings.form.templateOrder"));
            var culture = CultureInfo.GetCultureInfo(Localizer.Resolve(locale) == Localizer.English ? "en-US" : "zh-CN");
            notes.AddRange(template.Order.Select(o => o.Days.Count == 0
                ? o.In(locale)
                : localizer.Get(locale, "meetings.form.templateOrderDays", string.Join("/", o.Days.Select(d => culture.DateTimeFormat.GetDayName(d))), o.In(locale))));
        }
        data["templateTitle"] = localizer.Get(locale, "meetings.form.templateTitle", template.Source.In(locale), template.Name.In(locale));
        data["templateNotes"] = new JsonArray(notes.Select(n => (JsonNode)new JsonObject { ["text"] = n }).ToArray());
    }

    /// <summary>The data the template binds: the choices offered and the values.</summary>
    public static JsonObject Data(MeetingFormContext context, IReadOnlyDictionary<string, string> values, bool editing, string locale)
    {
        static JsonArray Choices(IEnumerable<KeyValuePair<string, string>> items) =>
            new(items.Select(p => (JsonNode)new JsonObject { ["title"] = p.Value.Length > 0 ? p.Value : p.Key, ["value"] = p.Key }).ToArray());
        var localizer = Localizer.Default;
        var people = context.People.OrderBy(p => p.Value, StringComparer.CurrentCulture).ToList();
        var recorder = new[] { KeyValuePair.Create(NoOne, localizer.Get(locale, "meetings.form.noRecorder")) }.Concat(people);
        var approver = new[] { KeyValuePair.Create(HostApproves, localizer.Get(locale, "meetings.form.hostApproves")) }.Concat(people);
        var v = new JsonObject();
        foreach (var field in Fields)
        {
            v[field] = values.TryGetValue(field, out var value) ? value : "";
        }
        return new JsonObject
        {
            ["editing"] = editing,
            ["hasTemplate"] = false,
            ["conversationChoices"] = Choices(context.Conversations),
            ["peopleChoices"] = Choices(people),
            ["recorderChoices"] = Choices(recorder),
            ["approverChoices"] = Choices(approver),
            ["recipientChoices"] = Choices(context.Groups.OrderBy(g => g.Value, StringComparer.CurrentCulture)
                .Select(g => KeyValuePair.Create(g.Key, localizer.Get(locale, "meetings.form.groupChoice", g.Value))).Concat(people)),
            ["cutoffChoices"] = Choices(TopicCutoffs.All.Select(c => KeyValuePair.Create(c, localizer.Get(locale, "meetings.form.cutoffs." + c)))),
            ["values"] = v,
        };
    }

    /// <summary>Checks a submitted form. Returns the result, or the errors by field (localized), never both.</summary>
    public static (MeetingFormResult? Result, Dictionary<string, string> Errors) Validate(IReadOnlyDictionary<string, string> values, MeetingFormContext context, string locale)
    {
        var errors = new Dictionary<string, string>();
        string E(string key, params object?[] args) => Localizer.Default.Get(locale, "meetings.errors." + key, args);
        string V(string field) => values.TryGetValue(field, out var v) ? v.Trim() : "";
        void Error(string field, string message) => errors.TryAdd(field, message);

        var name = V("name");
        if (name.Length == 0) Error("name", E("nameRequired"));
        else if (name.Length > MaxName) Error("name", E("tooLong", MaxName));

        var conversation = V("conversation");
        if (!context.Conversations.ContainsKey(conversation)) Error("conversation", E("unknownConversation"));

        var location = V("location");
        if (location.Length > MaxLocation) Error("location", E("tooLong", MaxLocation));

        string? Person(string field, bool optional, string? special = null)
        {
            var id = V(field);
            if (optional && (id.Length == 0 || id == special))
            {
                return null;
            }
            if (!context.People.ContainsKey(id))
            {
                Error(field, id.Length == 0 ? E("personRequired") : E("unknownPerson"));
                return null;
            }
            return id;
        }
        var host = Person("hostId", false);
        var recorder = Person("recorder", true, NoOne);
        var approver = Person("leaveApprover", true, HostApproves);

        var participants = V("participants").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        if (participants.Count == 0) Error("participants", E("noParticipants"));
        else if (participants.Any(p => !context.People.ContainsKey(p))) Error("participants", E("unknownPerson"));

        var schedule = Schedule(V, Error, E, context);

        int Number(string field, int min, int max)
        {
            if (!int.TryParse(V(field), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            {
                Error(field, E("numberRange", min, max));
                return min;
            }
            return n;
        }
        var grace = Number("lateGrace", 0, 120);
        var window = Number("windowBefore", 0, 720);
        var speaking = Number("speakingLimit", 1, 60);
        // The settings below came later: a card from before them (no such input) keeps the defaults.
        var arriveBy = values.ContainsKey("arriveBy") ? Number("arriveBy", 0, 60) : 5;
        var cutoff = values.ContainsKey("topicCutoff") ? V("topicCutoff") : TopicCutoffs.AgendaPosted;
        if (!TopicCutoffs.All.Contains(cutoff)) Error("topicCutoff", E("unknownChoice"));
        var recipients = V("minutesRecipients").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        if (recipients.Count > MaxMinutesRecipients) Error("minutesRecipients", E("tooManyRecipients", MaxMinutesRecipients));
        else if (recipients.Any(r => !context.People.ContainsKey(r) && !context.Groups.ContainsKey(r))) Error("minutesRecipients", E("unknownPerson"));
        var toAttendeesText = values.ContainsKey("minutesToAttendees") ? V("minutesToAttendees") : "true";
        if (toAttendeesText is not ("true" or "false")) Error("minutesToAttendees", E("unknownChoice"));

        if (errors.Count > 0 || schedule == null || host == null)
        {
            return (null, errors);
        }
        return (new MeetingFormResult(name, conversation, location, host, recorder, participants, schedule, approver, grace, window, speaking)
        {
            MinutesRecipients = recipients,
            MinutesToAttendees = toAttendeesText == "true",
            ArriveByMinutes = arriveBy,
            TopicCutoff = cutoff,
        }, errors);
    }

    private static MeetingSchedule? Schedule(Func<string, string> V, Action<string, string> Error, Func<string, object?[], string> E, MeetingFormContext context)
    {
        string Err(string key, params object?[] args) => E(key, args);
        TimeOnly? Time(string field)
        {
            var text = V(field);
            var m = TimePattern().Match(TypedDigits.Fold(text));
            if (!m.Success || int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) > 23 || int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) > 59)
            {
                Error(field, Err("badTime"));
                return null;
            }
            return new TimeOnly(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
        }
        var kindText = V("kind");
        ScheduleKind? kind = kindText switch
        {
            "weekly" => ScheduleKind.Weekly,
            "seasonal" => ScheduleKind.Seasonal,
            "monthly" => ScheduleKind.Monthly,
            "once" => ScheduleKind.Once,
            _ => null,
        };
        if (kind == null)
        {
            Error("kind", Err("unknownKind"));
            return null;
        }
        var start = Time("start");
        var end = Time("end");
        if (start != null && end != null && end <= start) Error("end", Err("endBeforeStart"));

        var schedule = new MeetingSchedule { Kind = kind.Value, Start = start ?? default, End = end ?? default };
        switch (kind)
        {
            case ScheduleKind.Weekly or ScheduleKind.Seasonal:
                var dayTexts = V("days").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (dayTexts.Length == 0) Error("days", Err("noWeekday"));
                else if (dayTexts.Any(d => !DayValues.ContainsKey(d))) Error("days", Err("unknownWeekday"));
                else schedule = schedule with { Days = dayTexts.Select(d => DayValues[d]).Distinct().OrderBy(d => ((int)d + 6) % 7).ToList() };
                if (kind == ScheduleKind.Seasonal)
                {
                    var summerStart = Time("summerStart");
                    var summerEnd = Time("summerEnd");
                    if (summerStart != null && summerEnd != null && summerEnd <= summerStart) Error("summerEnd", Err("endBeforeStart"));
                    (int, int)? MonthDay(string field)
                    {
                        var m = MonthDayPattern().Match(TypedDigits.Fold(V(field)));
                        if (m.Success && int.TryParse(m.Groups[1].Value, out var mo) && int.TryParse(m.Groups[2].Value, out var d)
                            && mo is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(2024, mo))
                        {
                            return (mo, d);
                        }
                        Error(field, Err("badSeason"));
                        return null;
                    }
                    var summerFrom = MonthDay("summerFrom");
                    var winterFrom = MonthDay("winterFrom");
                    if (summerFrom != null && winterFrom != null && summerFrom == winterFrom) Error("winterFrom", Err("sameSeason"));
                    schedule = schedule with { SummerStart = summerStart, SummerEnd = summerEnd, SummerFrom = summerFrom ?? (5, 5), WinterFrom = winterFrom ?? (11, 7) };
                }
                break;
            case ScheduleKind.Monthly:
                if (!int.TryParse(V("dayOfMonth"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var dom) || dom is < 1 or > 31) Error("dayOfMonth", Err("badDayOfMonth"));
                else schedule = schedule with { DayOfMonth = dom };
                break;
            case ScheduleKind.Once:
                if (!DateOnly.TryParseExact(V("date"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) Error("date", Err("badDate"));
                else
                {
                    var localNow = TeamClock.LocalIn(context.Now, context.Zone);
                    if (date < DateOnly.FromDateTime(localNow) || (start != null && date.ToDateTime(start.Value) <= localNow)) Error("date", Err("pastDate"));
                    schedule = schedule with { Date = date };
                }
                break;
        }
        return schedule;
    }

    [GeneratedRegex(@"^([0-9]{1,2}):([0-9]{2})(?::00)?$")]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"^([0-9]{1,2})\s*[-/月.]\s*([0-9]{1,2})\s*日?$")]
    private static partial Regex MonthDayPattern();
}
