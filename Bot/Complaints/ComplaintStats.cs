using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Localization;
using CsvHelper;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.Complaints;

/// <summary>Time spent in one stage over the complaints of a period (finished stays only).</summary>
public sealed record StageTime(ComplaintStage Stage, int Count, double? AverageHours, double? WorstHours, string? WorstNumber);

/// <summary>An improvement measure (改善对策) written at 总结评价: which complaint, which department, what.</summary>
public sealed record ImprovementMeasure(string Number, string Department, string Text);

/// <summary>A complainant (by phone) with more than one complaint in the period.</summary>
public sealed record RepeatComplainant(string Name, string Phone, IReadOnlyList<string> Numbers);

/// <summary>
/// 顾客投诉分类统计表 of a period: the complaints received (投诉时间, team time) in it, counted
/// by category and by the stage they stand in, founded vs unfounded, by cause (the kind of problem
/// 展开调查 found) and by responsible department (the founded ones), with the improvement measures
/// (改善对策) written at 总结评价, the average and worst
/// time of every stage (stays that ended; the 投诉受理 of a complaint registered on the form
/// takes no time and is not counted), and the repeat complainants (same phone twice or more).
/// </summary>
public sealed record ComplaintStatsData
{
    public static readonly ComplaintStage[] TimedStages =
        [ComplaintStage.Intake, ComplaintStage.Judge, ComplaintStage.Investigate, ComplaintStage.Plan, ComplaintStage.Approve, ComplaintStage.Implement, ComplaintStage.Summary];

    public required ReportPeriod Period { get; init; }

    public int Total { get; init; }

    public int Founded { get; init; }

    public int Unfounded { get; init; }

    public int Pending { get; init; }

    public int Withdrawn { get; init; }

    public int Closed { get; init; }

    /// <summary>Every configured category (zero included), then any other key found.</summary>
    public IReadOnlyList<(string Category, int Count)> ByCategory { get; init; } = [];

    /// <summary>Every stage, zero included.</summary>
    public IReadOnlyList<(ComplaintStage Stage, int Count)> ByStage { get; init; } = [];

    public IReadOnlyList<StageTime> Times { get; init; } = [];

    /// <summary>By cause as 展开调查 classed it: 修理质量问题 (repair), 服务问题 (service), and founded ones not investigated yet ("").</summary>
    public IReadOnlyList<(string Cause, int Count)> ByCause { get; init; } = [];

    /// <summary>By the responsible department of the founded complaints (most first).</summary>
    public IReadOnlyList<(string Department, int Count)> ByDepartment { get; init; } = [];

    /// <summary>The improvement measures (改善对策) of the complaints closed in the period's data, by number.</summary>
    public IReadOnlyList<ImprovementMeasure> Improvements { get; init; } = [];

    public IReadOnlyList<RepeatComplainant> Repeats { get; init; } = [];

    public static ComplaintStatsData Build(IEnumerable<Complaint> all, ReportPeriod period, IReadOnlyList<ComplaintCategory> categories, Func<DateTimeOffset, DateOnly> dateOf)
    {
        var list = all.Where(c => period.Contains(dateOf(c.ReceivedUtc))).OrderBy(c => c.Number, StringComparer.Ordinal).ToList();
        var byCategory = categories.Select(k => (k.Key, list.Count(c => c.Category == k.Key))).ToList();
        byCategory.AddRange(list.Where(c => categories.All(k => k.Key != c.Category)).GroupBy(c => c.Category).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Count())));
        var times = new List<StageTime>();
        foreach (var stage in TimedStages)
        {
            var stays = list.SelectMany(c => c.Spans.Where(s => s.Stage == stage && s.LeftUtc != null && !(stage == ComplaintStage.Intake && s.LeftUtc == s.EnteredUtc))
                .Select(s => (c.Number, Hours: (s.LeftUtc!.Value - s.EnteredUtc).TotalHours))).ToList();
            if (stays.Count == 0)
            {
                times.Add(new StageTime(stage, 0, null, null, null));
                continue;
            }
            var worst = stays.OrderByDescending(s => s.Hours).ThenBy(s => s.Number, StringComparer.Ordinal).First();
            times.Add(new StageTime(stage, stays.Count, Math.Round(stays.Average(s => s.Hours), 1, MidpointRounding.AwayFromZero), Math.Round(worst.Hours, 1, MidpointRounding.AwayFromZero), worst.Number));
        }
        var repeats = list.GroupBy(c => CallbackStore.NormalizePhone(c.Contact)).Where(g => g.Key.Length > 0 && g.Count() > 1)
            .Select(g => new RepeatComplainant(g.First().Complainant, g.First().Contact, g.Select(c => c.Number).ToList()))
            .OrderByDescending(r => r.Numbers.Count).ThenBy(r => r.Numbers[0], StringComparer.Ordinal).ToList();
        var founded = list.Where(c => c.Verdict == ComplaintVerdict.Founded).ToList();
        var byCause = ComplaintService.ProblemTypes.Select(t => (t, founded.Count(c => c.ProblemType == t))).ToList();
        byCause.Add(("", founded.Count(c => c.ProblemType == null)));
        var byDepartment = founded.GroupBy(c => c.Department?.Trim() is { Length: > 0 } d ? d : "")
            .Select(g => (g.Key, g.Count())).OrderBy(d => d.Key.Length == 0 ? 1 : 0).ThenByDescending(d => d.Item2).ThenBy(d => d.Key, StringComparer.Ordinal).ToList();
        var improvements = list.Where(c => c.Improvement is { Length: > 0 })
            .Select(c => new ImprovementMeasure(c.Number, c.Department ?? "", c.Improvement!)).ToList();
        return new ComplaintStatsData
        {
            ByCause = byCause,
            ByDepartment = byDepartment,
            Improvements = improvements,
            Period = period,
            Total = list.Count,
            Founded = list.Count(c => c.Verdict == ComplaintVerdict.Founded),
            Unfounded = list.Count(c => c.Verdict == ComplaintVerdict.Unfounded),
            Pending = list.Count(c => c.Verdict == ComplaintVerdict.Pending),
            Withdrawn = list.Count(c => c.Stage == ComplaintStage.Withdrawn),
            Closed = list.Count(c => c.Stage == ComplaintStage.Closed),
            ByCategory = byCategory,
            ByStage = Enum.GetValues<ComplaintStage>().Select(s => (s, list.Count(c => c.Stage == s))).ToList(),
            Times = times,
            Repeats = repeats,
        };
    }

    public static string Hours(double? hours) => hours is { } h ? h.ToString("0.0", CultureInfo.InvariantCulture) : "—";
}

/// <summary>The 顾客投诉分类统计表 as a card and as CSV.</summary>
public sealed class ComplaintStatsView(ICardFactory cards, Localizer localizer, ComplaintService service, ComplaintCards complaintCards)
{
    public const string CsvType = "text/csv";

    private string L(string locale, string key, params object?[] args) => localizer.Get(locale, "complaints.stats." + key, args);

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private IEnumerable<(string Title, string Value)> Summary(ComplaintStatsData s, string locale) =>
    [
        (L(locale, "total"), N(s.Total)),
        (L(locale, "founded"), N(s.Founded)),
        (L(locale, "unfounded"), N(s.Unfounded)),
        (L(locale, "pending"), N(s.Pending)),
        (L(locale, "closed"), N(s.Closed)),
        (L(locale, "withdrawn"), N(s.Withdrawn)),
    ];

    /// <summary>Improvement measures the card lists at most (the CSV has them all); each cut to 300 characters on the card.</summary>
    public const int MaxImprovementsShown = 20;

    /// <summary>Departments the card lists at most (the CSV has them all).</summary>
    public const int MaxDepartmentsShown = 30;

    private string CauseName(string cause, string locale) =>
        cause.Length == 0 ? L(locale, "notInvestigated") : localizer.Get(locale, "complaints.problemTypes." + cause);

    private string DepartmentName(string department, string locale) => department.Length == 0 ? L(locale, "noDepartment") : department;

    private string TimeLine(StageTime t, string locale) =>
        t.Count == 0 ? L(locale, "noTimes") : L(locale, "timeLine", ComplaintStatsData.Hours(t.AverageHours), ComplaintStatsData.Hours(t.WorstHours), t.WorstNumber, t.Count);

    public Attachment Card(ComplaintStatsData s, string locale)
    {
        static JsonArray Facts(IEnumerable<(string Title, string Value)> rows)
        {
            var array = new JsonArray();
            foreach (var (title, value) in rows)
            {
                array.Add(new JsonObject { ["title"] = title, ["value"] = value });
            }
            return array;
        }
        var repeats = new JsonArray();
        foreach (var r in s.Repeats)
        {
            repeats.Add(new JsonObject { ["text"] = L(locale, "repeatLine", r.Name, r.Phone, r.Numbers.Count, string.Join(", ", r.Numbers)) });
        }
        var measures = new JsonArray();
        foreach (var m in s.Improvements.Take(MaxImprovementsShown))
        {
            var text = m.Text.Length > 300 ? m.Text[..300] + "…" : m.Text;
            measures.Add(new JsonObject { ["text"] = L(locale, "improvementLine", m.Number, m.Department.Length > 0 ? m.Department : "—", text) });
        }
        var data = new JsonObject
        {
            ["causes"] = Facts(s.ByCause.Select(c => (CauseName(c.Cause, locale), N(c.Count)))),
            ["departments"] = Facts(s.ByDepartment.Take(MaxDepartmentsShown).Select(d => (DepartmentName(d.Department, locale), N(d.Count)))),
            ["hasDepartments"] = s.ByDepartment.Count > 0,
            ["hasImprovements"] = measures.Count > 0,
            ["improvements"] = measures,
            ["noImprovements"] = L(locale, "noImprovements"),
            ["hasMoreImprovements"] = s.Improvements.Count > MaxImprovementsShown,
            ["moreImprovements"] = L(locale, "moreImprovements", s.Improvements.Count - MaxImprovementsShown),
            ["heading"] = L(locale, "heading"),
            ["period"] = s.Period.Describe(),
            ["from"] = CallbackDates.Iso(s.Period.From),
            ["to"] = CallbackDates.Iso(s.Period.To),
            ["facts"] = Facts(Summary(s, locale)),
            ["categories"] = Facts(s.ByCategory.Select(c => (service.CategoryName(c.Category, locale), N(c.Count)))),
            ["stages"] = Facts(s.ByStage.Select(st => (complaintCards.StageName(st.Stage, locale), N(st.Count)))),
            ["times"] = Facts(s.Times.Select(t => (complaintCards.StageName(t.Stage, locale), TimeLine(t, locale)))),
            ["categoryChart"] = ChartData.Of(locale, s.ByCategory.Select(c => (service.CategoryName(c.Category, locale), c.Count))),
            ["timeChart"] = ChartData.Of(locale, s.Times.Where(t => t.AverageHours != null).Select(t => (complaintCards.StageName(t.Stage, locale), t.AverageHours!.Value))),
            ["hasRepeats"] = repeats.Count > 0,
            ["repeats"] = repeats,
        };
        return cards.Create(ComplaintCards.StatsTemplate, data, locale);
    }

    /// <summary>The same figures, section after section, as a spreadsheet shows them (UTF-8 with BOM for Excel).</summary>
    public string Csv(ComplaintStatsData s, string locale)
    {
        using var text = new StringWriter();
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions { NewLine = "\r\n", Injection = CsvInjection.Escape, ValidateFieldCount = false }, false))
        {
            csv.WriteRecord([L(locale, "heading"), s.Period.Describe()]);
            csv.WriteRecord([L(locale, "metric"), L(locale, "value")]);
            foreach (var (title, value) in Summary(s, locale))
            {
                csv.WriteRecord([title, value]);
            }
            csv.WriteRecord([""]);
            csv.WriteRecord([L(locale, "byCategory"), L(locale, "count")]);
            foreach (var (category, count) in s.ByCategory)
            {
                csv.WriteRecord([service.CategoryName(category, locale), N(count)]);
            }
            csv.WriteRecord([""]);
            csv.WriteRecord([L(locale, "byStage"), L(locale, "count")]);
            foreach (var (stage, count) in s.ByStage)
            {
                csv.WriteRecord([complaintCards.StageName(stage, locale), N(count)]);
            }
            csv.WriteRecord([""]);
            csv.WriteRecord([L(locale, "byCause"), L(locale, "count")]);
            foreach (var (cause, count) in s.ByCause)
            {
                csv.WriteRecord([CauseName(cause, locale), N(count)]);
            }
            csv.WriteRecord([""]);
            csv.WriteRecord([L(locale, "byDepartment"), L(locale, "count")]);
            foreach (var (department, count) in s.ByDepartment)
            {
                csv.WriteRecord([DepartmentName(department, locale), N(count)]);
            }
            csv.WriteRecord([""]);
            csv.WriteRecord([L(locale, "times"), L(locale, "stays"), L(locale, "averageHours"), L(locale, "worstHours"), L(locale, "worstNumber")]);
            foreach (var t in s.Times)
            {
                csv.WriteRecord([complaintCards.StageName(t.Stage, locale), N(t.Count), ComplaintStatsData.Hours(t.AverageHours), ComplaintStatsData.Hours(t.WorstHours), t.WorstNumber ?? ""]);
            }
            csv.WriteRecord([""]);
            csv.WriteRecord([L(locale, "repeats"), L(locale, "phone"), L(locale, "count"), L(locale, "numbers")]);
            foreach (var r in s.Repeats)
            {
                csv.WriteRecord([r.Name, r.Phone, N(r.Numbers.Count), string.Join(" ", r.Numbers)]);
            }
            csv.WriteRecord([""]);
            csv.WriteRecord([L(locale, "improvements"), L(locale, "department"), L(locale, "improvement")]);
            foreach (var m in s.Improvements)
            {
                csv.WriteRecord([m.Number, m.Department, m.Text]);
            }
        }
        return text.ToString();
    }

    public static byte[] Bytes(string csv) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)];
}
