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
        var locale = turn.Activity.Locale ?? "";
        var settings = await service.SettingsAsync(tenant, team, cancellationToken).ConfigureAwait(false);
        var current = service.CurrentWeek(settings);
        var week = weekWord == null ? current : CommandWords.Week(localizer, weekWord, current);
        if (week == null)
        {
            return new CardActionResult(Message: localizer.Get(locale, "weeklyReports.usage.digest", weekWord));
        }
        if (IsoWeek.Compare(week, current) > 0)
        {
            return new CardActionResult(Message: localizer.Get(locale, "weeklyReports.futureWeek", week, current));
        }
        var recipients = await service.RecipientsAsync(tenant, settings, cancellationToken).ConfigureAwait(false);
        var decision = await authorization.AuthorizeAsync(turn, WeeklyReportPermissions.ViewWeeklyDigest, DigestRecipients.Resource(team, recipients), cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            return new CardActionResult(Message: Reason(locale, decision.ReasonKey));
        }
        var status = await service.StatusAsync(tenant, team, week, cancellationToken).ConfigureAwait(false);
        return new CardActionResult(digestCards.Page(new WeeklyDigest(status), locale, page).Card);
    }

    /// <summary>The compiled week as a file (Markdown or CSV), for someone allowed to read it; else why not.</summary>
    public async Task<(ExportedFile? File, string Message)> ExportAsync(ITurnContext turn, string team, string week, string format, CancellationToken cancellationToken)
    {
        var locale = turn.Activity.Locale ?? "";
        var tenant = Tenants.Of(turn.Activity) ?? "";
        var department = (await service.TeamsAsync(tenant, cancellationToken).ConfigureAwait(false)).FirstOrDefault(d => WeeklyReportService.SameTeam(d.Name, team));
        if (department == null || !IsoWeek.TryParse(week, out week) || format is not ("md" or "csv"))
        {
            return (null, localizer.Get(locale, "common.unknownAction"));
        }
        var settings = await service.SettingsAsync(tenant, department.Name, cancellationToken).ConfigureAwait(false);
        var recipients = await service.RecipientsAsync(tenant, settings, cancellationToken).ConfigureAwait(false);
        var decision = await authorization.AuthorizeAsync(turn, WeeklyReportPermissions.ViewWeeklyDigest, DigestRecipients.Resource(department.Name, recipients), cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            return (null, Reason(locale, decision.ReasonKey));
        }
        var digest = new WeeklyDigest(await service.StatusAsync(tenant, department.Name, week, cancellationToken).ConfigureAwait(false));
        var prefix = localizer.Get(locale, "weeklyReports.export.filePrefix");
        var file = format == "md"
            ? WeeklyDigestExport.File(WeeklyDigestExport.FileName(prefix, department.Name, week, "md"), WeeklyDigestExport.MarkdownType, WeeklyDigestExport.Markdown(digest, localizer, locale), byteOrderMark: false)
            : WeeklyDigestExport.File(WeeklyDigestExport.FileName(prefix, department.Name, week, "csv"), WeeklyDigestExport.CsvType, WeeklyDigestExport.Csv(digest, localizer, locale), byteOrderMark: true);
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

    internal static string Field(JObject data, string name, int max = 200) => CardFields.Field(data, name, max);
}

/// <summary>"weeklyReports.digestPage": another page or week of a digest (Action.Execute turns the card in place).</summary>
public sealed class DigestPageAction(WeeklyDigestResponder digests) : ICardActionHandler
{
    public string Verb => WeeklyDigestCards.PageVerb;

    /// <summary>The digest is people's weekly reports: never in a shared chat.</summary>
    public string? PersonalOnlyReasonKey => "common.personalOnly";

    public Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken)
    {
        var team = WeeklyDigestResponder.Field(data, "team");
        var week = WeeklyDigestResponder.Field(data, "week", 20);
        var page = int.TryParse(WeeklyDigestResponder.Field(data, "page", 10), out var p) ? p : 1;
        return digests.ShowAsync(turnContext, team.Length == 0 ? null : team, week.Length == 0 ? null : week, page, cancellationToken);
    }
}

/// <summary>"weeklyReports.export": the digest as a Markdown or CSV file, offered through <see cref="IFileExporter"/>.</summary>
public sealed class DigestExportAction(WeeklyDigestResponder digests, IFileExporter files) : ICardActionHandler
{
    public string Verb => WeeklyDigestCards.ExportVerb;

    /// <summary>The digest is people's weekly reports: never in a shared chat.</summary>
    public string? PersonalOnlyReasonKey => "common.personalOnly";

    public async Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken)
    {
        var (file, message) = await digests.ExportAsync(turnContext, WeeklyDigestResponder.Field(data, "team"), WeeklyDigestResponder.Field(data, "week", 20),
            WeeklyDigestResponder.Field(data, "format", 10), cancellationToken).ConfigureAwait(false);
        if (file == null)
        {
            return new CardActionResult(Message: message);
        }
        // Teams: the file consent card in the person's 1:1 chat; elsewhere the file inline.
        await files.OfferAsync(turnContext, file.Name, file.ContentType, file.Bytes, message, cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}
