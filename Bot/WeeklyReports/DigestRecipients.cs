using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.People;

namespace ChatRegs.Bot.WeeklyReports;

/// <summary>Who may read a team's digest: the office, and the team's digest recipients (a per-team role).</summary>
public static class DigestRecipients
{
    /// <summary>The resource role of the people who receive a team's digest.</summary>
    public const string Role = "digestRecipient";

    public const string ResourceKind = "weeklyReports.team";

    public static AuthorizationResource Resource(string team, IEnumerable<Person> recipients) => new(ResourceKind, team)
    {
        PeopleByRole = new Dictionary<string, IReadOnlyCollection<string>> { [Role] = recipients.Select(p => p.UserId).ToList() },
    };
}
