using ChatRegs.Bot.Suggestions;
using ChatRegs.Bot.WeeklyReports;

namespace ChatRegs.WeeklyReports.Tests.Support;

/// <summary>Reports and suggestions written straight to storage, for tests about what is made of them.</summary>
public static class Seed
{
    public static async Task<WeeklyReport> ReportAsync(WeeklyHost host, string team, string week, string userId, string name, DateTimeOffset at, bool late,
        string summary, string plan, string? issues = null, string? coordination = null) =>
        (await host.Get<WeeklyReportStore>().SaveAsync(new WeeklyReport
        {
            TenantId = WeeklyHost.Tenant,
            Team = team,
            Week = week,
            UserId = userId,
            UserName = name,
            Summary = summary,
            Plan = plan,
            Issues = issues,
            Coordination = coordination,
            SubmittedUtc = at,
            UpdatedUtc = at,
            DeadlineUtc = at,
            Late = late,
        })).OrThrow();

    public static Task SuggestionAsync(WeeklyHost host, string week, string userId, string name, DateTimeOffset at, string title, string details) =>
        host.Get<SuggestionStore>().AddAsync(new Suggestion(WeeklyHost.Tenant, userId, name, week, at, title, details, null, null), 0, null, default);
}
