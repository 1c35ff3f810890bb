using System.Text.Json.Nodes;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Exports;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Newtonsoft.Json.Linq;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.WeeklyReports;

/// <summary>
/// Answers "show me a team's digest" for the command and the card buttons alike: resolves the
/// team and week, checks that the sender may read it (the office, or the team's recipients —
/// decided from the turn's identity, never from the card), and builds the requested page.
/// </summary>
public sealed class WeeklyDigestResponder(
    WeeklyReportService service,
    WeeklyDigestCards digestCards,
    IAuthorizationService authorization,
    ICardFactory cards,
    Localizer localizer)
{
    public const string TeamsTemplate = "WeeklyReportTeams";

    /// <summary>A team's digest page, a choice of teams, or a message saying why not.</summary>
    public async Task<CardActionResult> ShowAsync(ITurnContext turn, string? teamName, string? weekWord, int page, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale ?? "";
        if (Routing.DialogHost.IsShared(turn.Activity))
        {
            // People's weekly reports are for the digest's recipients, not for everyone in a group chat.
            return new CardActionResult(Message: localizer.Get(locale, "common.personalOnly"));
        }
        var tenant = Tenants.Of(turn.Activity) ?? "";
        var departments = await service.TeamsAsync(tenant, cancellationToken).ConfigureAwait(false);
        if (teamName != null)
        {
            var department = departments.FirstOrDefault(d => WeeklyReportService.SameTeam(d.Name, teamName));
            if (department == null)
            {
                return new CardActionResult(Message: departments.Count == 0
                    ? localizer.Get(locale, "weeklyReports.digest.noTeams")
                    : localizer.Get(locale, "weeklyReports.digest.unknownTeam", teamName, string.Join(localizer.Get(locale, "weeklyReports.digest.nameSeparator"), departments.Select(d => d.Name))));
            }
            return await PageAsync(turn, tenant, department.Name, weekWord, page, cancellationToken).ConfigureAwait(false);
        }

        // No team named: the ones this person may read (one read of people and settings for all of them).
        var everyone = await service.PeopleAsync(tenant, cancellationToken).ConfigureAwait(false);
        var readable = new List<Department>();
        AuthorizationDecision? refusal = null;
        foreach (var (department, settings) in await service.AllSettingsAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            var recipients = WeeklyReportService.Recipients(settings, department, everyone);
            var decision = await authorization.AuthorizeAsync(turn, WeeklyReportPermissions.ViewWeeklyDigest, DigestRecipients.Resource(department.Name, recipients), cancellationToken).ConfigureAwait(false);
            if (decision.Allowed)
            {
                readable.Add(department);
            }
            else
            {
                refusal ??= decision;
            }
        }
        if (readable.Count == 0)
        {
            return new CardActionResult(Message: departments.Count == 0
                ? localizer.Get(locale, "weeklyReports.digest.noTeams")
                : Reason(locale, refusal?.ReasonKey));
        }
        if (readable.Count == 1)
        {
            return await PageAsync(turn, tenant, readable[0].Name, weekWord, page, cancellationToken).ConfigureAwait(false);
        }

        var teams = new JsonArray();
        foreach (var department in readable)
        {
            var settings = await service.SettingsAsync(tenant, department.Name, cancellationToken).ConfigureAwait(false);
            var current = service.CurrentWeek(settings);
            var week = weekWord == null ? current : CommandWords.Week(localizer, weekWord, current) ?? current;
            teams.Add(new JsonObject { ["name"] = department.Name, ["week"] = week });
        }
        return new CardActionResult(cards.Create(TeamsTemplate, new JsonObject
        {
            ["heading"] = localizer.Get(locale, "weeklyReports.digest.chooseTeam"),
            ["teams"] = teams,
        }, locale));
    }

    private async Task<CardActionResult> PageAsync(ITurnContext turn, string tenant, string team, string? weekWord, int page, CancellationToken cancellationToken)
    {
        var target = await FindAsync(tenant, team, cancellationToken).ConfigureAwait(false);
        if (target == null)
        {
            return new CardActionResult(Message: localizer.Get(turn.Activity.Locale ?? "", "weeklyReports.digest.noTeams"));
        }
        var decision = await authorization.AuthorizeAsync(turn, WeeklyReportPermissions.ViewWeeklyDigest, target.Resource, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            return new CardActionResult(Message: Reason(turn.Activity.Locale ?? "", decision.ReasonKey));
        }
        return await PageAsync(turn, target, weekWord, page, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The department a card names, with its settings and digest recipients; null when the tenant has no such department.</summary>
    public async Task<DigestTeam?> FindAsync(string tenant, string team, CancellationToken cancellationToken)
    {
        var department = team.Length == 0 ? null
            : (await service.TeamsAsync(tenant, cancellationToken).ConfigureAwait(false)).FirstOrDefault(d => WeeklyReportService.SameTeam(d.Name, team));
        if (department == null)
        {
            return null;
        }
        var settings = await service.SettingsAsync(tenant, department.Name, cancellationToken).ConfigureAwait(false);
        return new DigestTeam(department.Name, settings, await service.RecipientsAsync(tenant, settings, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>A page of a team's digest for a week. Callers have decided <see cref="WeeklyReportPermissions.ViewWeeklyDigest"/> on <paramref name="target"/>.</summary>
    public async Task<CardActionResult> PageAsync(ITurnContext turn, DigestTeam target, string? weekWord, int page, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale ?? "";
        var current = service.CurrentWeek(target.Settings);
        var week = weekWord == null ? current : CommandWords.Week(localizer, weekWord, current);
        if (week == null)
        {
            return new CardActionResult(Message: localizer.Get(locale, "weeklyReports.usage.digest", weekWord));
        }
        if (IsoWeek.Compare(week, current) > 0)
        {
            return new CardActionResult(Message: localizer.Get(locale, "weeklyReports.futureWeek", week, current));
        }
        var status = await service.StatusAsync(Tenants.Of(turn.Activity) ?? "", target.Team, week, cancellationToken).ConfigureAwait(false);
        return new CardActionResult(digestCards.Page(new WeeklyDigest(status), locale, page).Card);
    }

    /// <summary>The compiled week as a file (Markdown or CSV). Callers have decided <see cref="WeeklyReportPermissions.ViewWeeklyDigest"/> on <paramref name="target"/>.</summary>
    public async Task<(ExportedFile? File, string Message)> ExportAsync(ITurnContext turn, DigestTeam target, string week, string format, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale ?? "";
        if (!IsoWeek.TryParse(week, out week) || format is not ("md" or "csv"))
        {
            return (null, localizer.Get(locale, "common.unknownAction"));
        }
        var digest = new WeeklyDigest(await service.StatusAsync(Tenants.Of(turn.Activity) ?? "", target.Team, week, cancellationToken).ConfigureAwait(false));
        var prefix = localizer.Get(locale, "weeklyReports.export.filePrefix");
        var file = format == "md"
            ? WeeklyDigestExport.File(WeeklyDigestExport.FileName(prefix, target.Team, week, "md"), WeeklyDigestExport.MarkdownType, WeeklyDigestExport.Markdown(digest, localizer, locale), byteOrderMark: false)
            : WeeklyDigestExport.File(WeeklyDigestExport.FileName(prefix, target.Team, week, "csv"), WeeklyDigestExport.CsvType, WeeklyDigestExport.Csv(digest, localizer, locale), byteOrderMark: true);
        return (file, localizer.Get(locale, "weeklyReports.export.done", file.Name, digest.Status.People.Count));
    }

    private string Reason(string locale, string? key)
    {
        try
        {
            return localizer.Get(locale, key ?? "weeklyReports.auth.digest");
        }
        catch (KeyNotFoundException)
        {
            return localizer.Get(locale, "weeklyReports.auth.digest");
        }
    }
}

/// <summary>A department's digest as the authorization service sees it: who may read it.</summary>
public sealed record DigestTeam(string Team, TeamSettings Settings, IReadOnlyList<Person> Recipients)
{
    public AuthorizationResource Resource => DigestRecipients.Resource(Team, Recipients);
}

/// <summary>
/// The digest's buttons: the department the card names is loaded in the sender's tenant, and only
/// its recipients and the office go further (decided on the stored settings, never the card).
/// The digest is people's weekly reports: never in a shared chat.
/// </summary>
public abstract class DigestAction(IAuthorizationService authorization, WeeklyDigestResponder digests) : CardActionHandler<DigestTeam>(authorization)
{
    protected WeeklyDigestResponder Digests => digests;

    public override string? PersonalOnlyReasonKey => "common.personalOnly";

    protected override string Permission => WeeklyReportPermissions.ViewWeeklyDigest;

    protected override string NotFoundKey => "weeklyReports.auth.digest";

    protected override Task<DigestTeam?> LoadAsync(CardActionContext action, CancellationToken cancellationToken) =>
        digests.FindAsync(action.Tenant, action.Field("team"), cancellationToken);

    protected override AuthorizationResource? ResourceOf(DigestTeam record) => record.Resource;
}

/// <summary>"weeklyReports.digestPage": another page or week of a digest (Action.Execute turns the card in place).</summary>
public sealed class DigestPageAction(IAuthorizationService authorization, WeeklyDigestResponder digests) : DigestAction(authorization, digests)
{
    public override string Verb => WeeklyDigestCards.PageVerb;

    protected override Task<CardActionResult> RunAsync(CardActionContext action, DigestTeam record, CancellationToken cancellationToken)
    {
        var week = action.Field("week", 20);
        var page = int.TryParse(action.Field("page", 10), out var p) ? p : 1;
        return Digests.PageAsync(action.Turn, record, week.Length == 0 ? null : week, page, cancellationToken);
    }
}

/// <summary>"weeklyReports.export": the digest as a Markdown or CSV file, offered through <see cref="IFileExporter"/>.</summary>
public sealed class DigestExportAction(IAuthorizationService authorization, WeeklyDigestResponder digests, IFileExporter files) : DigestAction(authorization, digests)
{
    public override string Verb => WeeklyDigestCards.ExportVerb;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, DigestTeam record, CancellationToken cancellationToken)
    {
        var (file, message) = await Digests.ExportAsync(action.Turn, record, action.Field("week", 20), action.Field("format", 10), cancellationToken).ConfigureAwait(false);
        if (file == null)
        {
            return new CardActionResult(Message: message);
        }
        // Teams: the file consent card in the person's 1:1 chat; elsewhere the file inline.
        await files.OfferAsync(action.Turn, file.Name, file.ContentType, file.Bytes, message, cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}
