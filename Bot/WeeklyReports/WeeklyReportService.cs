using ChatRegs.Bot.Calendar;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Suggestions;
using Microsoft.Extensions.Options;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.WeeklyReports;

/// <summary>Where a person stands for a week's report.</summary>
public enum ReportState
{
    /// <summary>Handed in by the deadline.</summary>
    Submitted,

    /// <summary>Handed in after the deadline (kept, marked 逾期).</summary>
    Late,

    /// <summary>Must report and has not (so far).</summary>
    Missing,

    /// <summary>Has not reported, and is on approved leave at the deadline (免交).</summary>
    Exempt,
}

/// <summary>One person of a team's week.</summary>
public sealed record PersonReportStatus(string UserId, string Name, ReportState State, WeeklyReport? Report, IReadOnlyList<Suggestion> Suggestions);

/// <summary>Everything about a team's week: the plan, each person's state, and the suggestions filed.</summary>
public sealed record TeamWeekStatus(TeamSettings Settings, WeekPlan Plan, IReadOnlyList<PersonReportStatus> People)
{
    public IEnumerable<PersonReportStatus> In(ReportState state) => People.Where(p => p.State == state);
}

/// <summary>
/// The weekly-report rules in one place, for the commands, the card actions and the jobs:
/// a team's settings (stored, or the defaults), its deadline for a week (holiday-shifted), who
/// must report (the department's members minus approved leave covering the deadline), who has,
/// and who receives the digest.
/// </summary>
public sealed class WeeklyReportService
{
    private readonly WeeklyReportStore _reports;
    private readonly TeamSettingsStore _settings;
    private readonly SuggestionStore _suggestions;
    private readonly PeopleDirectory _people;
    private readonly RoleHolders _roles;
    private readonly IApprovedLeave _leave;
    private readonly WorkingDayCalendar _calendar;
    private readonly TeamClock _clock;

    public WeeklyReportService(WeeklyReportStore reports, TeamSettingsStore settings, SuggestionStore suggestions, PeopleDirectory people, RoleHolders roles,
        IApprovedLeave leave, WorkingDayCalendar calendar, TeamClock clock, IOptions<WeeklyReportOptions> options)
    {
        _reports = reports;
        _settings = settings;
        _suggestions = suggestions;
        _people = people;
        _roles = roles;
        _leave = leave;
        _calendar = calendar;
        _clock = clock;
        Options = options.Value;
    }

    public WeeklyReportOptions Options { get; }

    /// <summary>The teams' default time zone (the options', else the team clock's).</summary>
    public string DefaultTimeZone => string.IsNullOrWhiteSpace(Options.TimeZone) ? _clock.ZoneId : Options.TimeZone.Trim();

    public DateTimeOffset Now => _clock.Now;

    public WorkingDayCalendar Calendar => _calendar;

    /// <summary>The week it is now in the team's time zone.</summary>
    public string CurrentWeek(TeamSettings settings) => IsoWeek.Of(Now, TimeZones.Find(settings.TimeZone));

    /// <summary>The team's stored settings, or the defaults.</summary>
    public async Task<TeamSettings> SettingsAsync(string tenantId, string team, CancellationToken cancellationToken = default) =>
        await _settings.GetAsync(tenantId, team, cancellationToken).ConfigureAwait(false)
        ?? TeamSettings.Defaults(tenantId, team, Options, DefaultTimeZone);

    public WeekPlan Plan(TeamSettings settings, string week) => WeekPlan.For(settings, week, _calendar);

    /// <summary>The department's members (people whose department is <paramref name="team"/>), by name.</summary>
    public async Task<IReadOnlyList<Person>> MembersAsync(string tenantId, string team, CancellationToken cancellationToken = default) =>
        (await _people.ListAsync(tenantId, cancellationToken).ConfigureAwait(false))
            .Where(p => SameTeam(p.Team, team))
            .ToList();

    public static bool SameTeam(string? a, string? b) =>
        a != null && b != null && string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Each person of the team's week: everyone who handed in (members or not) as Submitted or
    /// Late; members who did not as Missing, or Exempt when their approved leave covers the deadline.
    /// </summary>
    public async Task<TeamWeekStatus> StatusAsync(string tenantId, string team, string week, CancellationToken cancellationToken = default)
    {
        var settings = await SettingsAsync(tenantId, team, cancellationToken).ConfigureAwait(false);
        var plan = Plan(settings, week);
        var members = await MembersAsync(tenantId, team, cancellationToken).ConfigureAwait(false);
        var reports = (await _reports.ListAsync(tenantId, team, week, cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => r.UserId, StringComparer.Ordinal);
        var suggestions = (await _suggestions.ListAsync(tenantId, week, null, cancellationToken).ConfigureAwait(false))
            .GroupBy(s => s.UserId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<Suggestion>)g.OrderBy(s => s.SubmittedAt).ToList(), StringComparer.Ordinal);
        var notHandedIn = members.Where(m => !reports.ContainsKey(m.UserId)).Select(m => m.UserId).ToList();
        var onLeave = notHandedIn.Count == 0
            ? new HashSet<string>()
            : await _leave.OnLeaveAtAsync(tenantId, notHandedIn, plan.DeadlineUtc, cancellationToken).ConfigureAwait(false);

        IReadOnlyList<Suggestion> SuggestionsOf(string userId) => suggestions.TryGetValue(userId, out var list) ? list : [];
        var people = new List<PersonReportStatus>();
        foreach (var member in members)
        {
            if (reports.TryGetValue(member.UserId, out var report))
            {
                people.Add(new PersonReportStatus(member.UserId, Name(member.Name, report.UserName), report.Late ? ReportState.Late : ReportState.Submitted, report, SuggestionsOf(member.UserId)));
            }
            else if (plan.ReportsDue)
            {
                people.Add(new PersonReportStatus(member.UserId, member.Name, onLeave.Contains(member.UserId) ? ReportState.Exempt : ReportState.Missing, null, SuggestionsOf(member.UserId)));
            }
        }
        // Reports from people who have since left the department still count for the week.
        foreach (var report in reports.Values.Where(r => !members.Any(m => m.UserId == r.UserId)).OrderBy(r => r.UserName, StringComparer.CurrentCulture))
        {
            people.Add(new PersonReportStatus(report.UserId, report.UserName, report.Late ? ReportState.Late : ReportState.Submitted, report, SuggestionsOf(report.UserId)));
        }
        return new TeamWeekStatus(settings, plan, people);
    }

    /// <summary>
    /// Who receives the team's digest: its department's leave approver and the office (unless
    /// the office turned them off for the team) — everyone the bot treats as office, the
    /// configured office administrators included (<see cref="RoleHolders"/>) — and the extra
    /// people it named.
    /// </summary>
    public async Task<IReadOnlyList<Person>> RecipientsAsync(string tenantId, TeamSettings settings, CancellationToken cancellationToken = default) =>
        (await AudienceAsync(tenantId, settings, cancellationToken).ConfigureAwait(false)).Recipients;

    /// <summary>The recipients, and the configured office administrators who cannot receive it yet (<see cref="OfficeNotYetMet"/>).</summary>
    public async Task<(IReadOnlyList<Person> Recipients, IReadOnlyList<string> NotYetMet)> AudienceAsync(string tenantId, TeamSettings settings, CancellationToken cancellationToken = default)
    {
        var everyone = await _roles.EveryoneAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var department = await _people.GetDepartmentAsync(tenantId, settings.Team, cancellationToken).ConfigureAwait(false);
        return (Recipients(settings, department, everyone), OfficeNotYetMet(tenantId, settings, everyone));
    }

    /// <summary>The same, from people (read through <see cref="PeopleAsync"/>, roles resolved) and the department already read.</summary>
    public static IReadOnlyList<Person> Recipients(TeamSettings settings, Department? department, IReadOnlyList<Person> everyone)
    {
        var ids = new List<string>();
        if (settings.IncludeApprover && department?.ApproverUserId is { } approver)
        {
            ids.Add(approver);
        }
        if (settings.IncludeOffice)
        {
            ids.AddRange(everyone.Where(p => p.Has(Roles.Office)).Select(p => p.UserId));
        }
        ids.AddRange(settings.ExtraRecipients);
        var byId = everyone.ToDictionary(p => p.UserId, StringComparer.Ordinal);
        return ids.Distinct(StringComparer.Ordinal).Select(id => byId.GetValueOrDefault(id)).OfType<Person>().ToList();
    }

    /// <summary>Every department's settings (stored or default), in one read.</summary>
    public async Task<IReadOnlyList<(Department Department, TeamSettings Settings)>> AllSettingsAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var stored = await _settings.ListAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var departments = await _people.ListDepartmentsAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return departments
            .Select(d => (d, stored.FirstOrDefault(s => SameTeam(s.Team, d.Name)) ?? TeamSettings.Defaults(tenantId, d.Name, Options, DefaultTimeZone)))
            .ToList();
    }

    /// <summary>Everyone known in the tenant, with their roles as the bot treats them (configured office included).</summary>
    public Task<IReadOnlyList<Person>> PeopleAsync(string tenantId, CancellationToken cancellationToken = default) => _roles.EveryoneAsync(tenantId, cancellationToken);

    /// <summary>
    /// Configured office administrators the team's digest would go to but who cannot receive it
    /// yet: nobody in <paramref name="everyone"/> has their id (they never talked to the bot).
    /// </summary>
    public IReadOnlyList<string> OfficeNotYetMet(string tenantId, TeamSettings settings, IReadOnlyList<Person> everyone) =>
        settings.IncludeOffice ? _roles.NotYetMet(tenantId, everyone) : [];

    /// <summary>The departments of the tenant (the teams that report).</summary>
    public Task<IReadOnlyList<Department>> TeamsAsync(string tenantId, CancellationToken cancellationToken = default) =>
        _people.ListDepartmentsAsync(tenantId, cancellationToken);

    private static string Name(string directoryName, string reportName) => directoryName.Length > 0 ? directoryName : reportName;
}
