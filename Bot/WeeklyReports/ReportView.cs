using System.Text.Json.Nodes;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Suggestions;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.WeeklyReports;

/// <summary>One handed-in report as a card ("WeeklyReportView"): what 上周周报 / last report shows.</summary>
public static class ReportView
{
    public const string Template = "WeeklyReportView";

    public static Attachment Card(ICardFactory cards, Localizer localizer, string locale, WeeklyReport report, IReadOnlyList<Suggestion> suggestions, WeekPlan plan) =>
        cards.Create(Template, Data(localizer, locale, report, suggestions, plan), locale);

    public static JsonObject Data(Localizer localizer, string locale, WeeklyReport report, IReadOnlyList<Suggestion> suggestions, WeekPlan plan)
    {
        var sections = new JsonArray();
        void Add(string labelKey, string? text)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                sections.Add(new JsonObject { ["label"] = localizer.Get(locale, labelKey), ["text"] = text });
            }
        }
        if (report.PlanReview.Count > 0)
        {
            Add("weeklyReports.fields.planReview", WeeklyDigest.PlanReviewText(localizer, locale, report));
        }
        Add("weeklyReports.fields.summary", report.Summary);
        Add("weeklyReports.fields.plan", report.Plan);
        Add("weeklyReports.fields.issues", report.Issues);
        Add("weeklyReports.fields.coordination", report.Coordination);
        var list = new JsonArray();
        foreach (var s in suggestions.OrderBy(s => s.SubmittedAt))
        {
            list.Add(new JsonObject { ["title"] = s.Title, ["details"] = s.Details });
        }
        var submitted = ReportText.DateTime(localizer, locale, report.SubmittedUtc, plan.Zone);
        return new JsonObject
        {
            ["heading"] = localizer.Get(locale, "weeklyReports.view.heading", report.Team, ReportText.Week(localizer, locale, report.Week)),
            ["status"] = report.Late
                ? localizer.Get(locale, "weeklyReports.view.late", submitted, ReportText.Deadline(localizer, locale, plan))
                : localizer.Get(locale, "weeklyReports.view.onTime", submitted),
            ["isLate"] = report.Late,
            ["edited"] = report.Revisions > 1 ? localizer.Get(locale, "weeklyReports.view.edited", ReportText.DateTime(localizer, locale, report.UpdatedUtc, plan.Zone)) : "",
            ["isEdited"] = report.Revisions > 1,
            ["sections"] = sections,
            ["suggestionsHeader"] = localizer.Get(locale, "weeklyReports.view.suggestions", list.Count),
            ["hasSuggestions"] = list.Count > 0,
            ["suggestions"] = list,
        };
    }
}
