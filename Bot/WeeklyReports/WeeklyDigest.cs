using ChatRegs.Bot.Localization;

namespace ChatRegs.Bot.WeeklyReports;

/// <summary>A suggestion or a coordination item, gathered from the whole team into one list.</summary>
public sealed record DigestItem(DigestItemKind Kind, string PersonName, string Title, string Text);

public enum DigestItemKind
{
    /// <summary>合理化建议 (filed with 建议 or on the report form).</summary>
    Suggestion,

    /// <summary>需协调事项 (a line of a report's coordination field).</summary>
    Coordination,
}

/// <summary>
/// The compiled week of a team (汇总): who handed in, late, missing and exempt; the reports
/// grouped by person; and every suggestion and coordination item in one list. The card
/// (<see cref="WeeklyDigestCards"/>) and the exports (<see cref="WeeklyDigestExport"/>) show this.
/// </summary>
public sealed class WeeklyDigest
{
    public WeeklyDigest(TeamWeekStatus status)
    {
        Status = status;
        Reports = status.People
            .Where(p => p.Report != null)
            .OrderBy(p => p.State == ReportState.Late ? 1 : 0)
            .ThenBy(p => p.Name, StringComparer.CurrentCulture)
            .ToList();
        var items = new List<DigestItem>();
        foreach (var person in status.People.OrderBy(p => p.Name, StringComparer.CurrentCulture))
        {
            items.AddRange(person.Suggestions.Select(s => new DigestItem(DigestItemKind.Suggestion, person.Name, s.Title, s.Details)));
        }
        foreach (var person in Reports)
        {
            items.AddRange(person.Report!.CoordinationItems.Select(c => new DigestItem(DigestItemKind.Coordination, person.Name, "", c)));
        }
        Items = items;
    }

    public TeamWeekStatus Status { get; }

    public string Team => Status.Settings.Team;

    public string Week => Status.Plan.Week;

    /// <summary>The people who handed in, on time first, each group by name.</summary>
    public IReadOnlyList<PersonReportStatus> Reports { get; }

    /// <summary>Suggestions (by person), then coordination items.</summary>
    public IReadOnlyList<DigestItem> Items { get; }

    public IReadOnlyList<string> Names(ReportState state) => Status.In(state).Select(p => p.Name).ToList();

    public int Count(ReportState state) => Status.In(state).Count();

    /// <summary>"应交 12 · 已交 9 · 逾期 1 · 未交 1 · 免交 1".</summary>
    public string CountsLine(Localizer localizer, string locale) => localizer.Get(locale, "weeklyReports.digest.counts",
        Count(ReportState.Submitted) + Count(ReportState.Late) + Count(ReportState.Missing),
        Count(ReportState.Submitted), Count(ReportState.Late), Count(ReportState.Missing), Count(ReportState.Exempt));

    /// <summary>上周计划完成情况, one line per item: "【已完成】完成三季度考勤汇总".</summary>
    public static string PlanReviewText(Localizer localizer, string locale, WeeklyReport report) =>
        string.Join("\n", report.PlanReview.Select(i => localizer.Get(locale, "weeklyReports.planStatus.line", localizer.Get(locale, "weeklyReports.planStatus." + i.Status), i.Text)));

    /// <summary>The report's parts that have text, as (label, text).</summary>
    public static IReadOnlyList<(string Label, string Text)> Sections(Localizer localizer, string locale, WeeklyReport report)
    {
        var list = new List<(string, string)>();
        if (report.PlanReview.Count > 0)
        {
            list.Add((localizer.Get(locale, "weeklyReports.fields.planReview"), PlanReviewText(localizer, locale, report)));
        }
        list.AddRange(new List<(string, string)>
        {
            (localizer.Get(locale, "weeklyReports.fields.summary"), report.Summary),
            (localizer.Get(locale, "weeklyReports.fields.plan"), report.Plan),
        });
        if (!string.IsNullOrWhiteSpace(report.Issues))
        {
            list.Add((localizer.Get(locale, "weeklyReports.fields.issues"), report.Issues));
        }
        return list;
    }
}
