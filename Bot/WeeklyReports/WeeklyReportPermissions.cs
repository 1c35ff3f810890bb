using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.People;

namespace ChatRegs.Bot.WeeklyReports;

/// <summary>Weekly reports's actions and who may do them (registered with AddPermissions in WeeklyReportServices; rows in the authorization matrix test).</summary>
public static class WeeklyReportPermissions
{
    public const string ViewWeeklyDigest = "weeklyReports.viewDigest";
    public const string ManageWeeklyReports = "weeklyReports.manage";

    public static readonly IReadOnlyList<PermissionRule> Rules =
    [
        new(ViewWeeklyDigest, [Roles.Office], [DigestRecipients.Role], "weeklyReports.auth.digest"),
        new(ManageWeeklyReports, [Roles.Office], [], "weeklyReports.auth.settings"),
    ];
}
