using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Suggestions;
using Microsoft.Bot.Builder;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.WeeklyReports;

/// <summary>Words the weekly-report commands take after them, in either language.</summary>
internal static class CommandWords
{
    public static bool Is(Localizer localizer, string key, string text) =>
        Localizer.Supported.Any(language => localizer.Get(language, key)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Any(word => string.Equals(word, text.Trim(), StringComparison.OrdinalIgnoreCase)));

    /// <summary>"2026-W47", or a "last week" word (relative to <paramref name="current"/>); null when neither.</summary>
    public static string? Week(Localizer localizer, string text, string current) =>
        IsoWeek.TryParse(text, out var week) ? week
        : Is(localizer, "weeklyReports.words.lastWeek", text) ? IsoWeek.Add(current, -1)
        : Is(localizer, "weeklyReports.words.thisWeek", text) ? current
        : null;
}

/// <summary>
/// "周报" / "report": opens this week's form (<see cref="WeeklyReportDialog"/>); "周报 2026-W47"
/// opens a past week (handed in late); "周报 设置" / "report settings" is the office's settings card.
/// </summary>
public sealed class ReportCommand(DialogHost flows, WeeklyReportSettingsCards settings, Localizer localizer) : IChatCommand
{
    public string Id => "report";

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        var locale = turnContext.Activity.Locale ?? "";
        if (arguments.Length == 0)
        {
            await flows.BeginAsync(turnContext, WeeklyReportDialog.Id, null, cancellationToken).ConfigureAwait(false);
        }
        else if (CommandWords.Is(localizer, "weeklyReports.words.settings", arguments))
        {
            await settings.SendListAsync(turnContext, cancellationToken).ConfigureAwait(false);
        }
        else if (IsoWeek.TryParse(arguments, out var week))
        {
            await flows.BeginAsync(turnContext, WeeklyReportDialog.Id, week, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(localizer.Get(locale, "weeklyReports.usage.report", arguments)), cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>"上周周报" / "last report": what I handed in last week (or in the week named after it).</summary>
public sealed class LastReportCommand(WeeklyReportService service, WeeklyReportStore store, SuggestionStore suggestions, PeopleDirectory people, ICardFactory cards, Localizer localizer) : IChatCommand
{
    public string Id => "lastReport";

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        var locale = turnContext.Activity.Locale ?? "";
        var tenant = Tenants.Of(turnContext.Activity) ?? "";
        var userId = turnContext.Activity.From?.Id ?? "";
        var person = await people.GetAsync(tenant, userId, cancellationToken).ConfigureAwait(false);
        var team = person?.Team;
        var settings = team == null
            ? TeamSettings.Defaults(tenant, "", service.Options, service.DefaultTimeZone)
            : await service.SettingsAsync(tenant, team, cancellationToken).ConfigureAwait(false);
        var current = service.CurrentWeek(settings);
        var week = arguments.Length == 0 ? IsoWeek.Add(current, -1) : CommandWords.Week(localizer, arguments, current);
        if (week == null)
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(localizer.Get(locale, "weeklyReports.usage.lastReport", arguments)), cancellationToken).ConfigureAwait(false);
            return;
        }

        var report = (team == null ? null : await store.GetAsync(tenant, team, week, userId, cancellationToken).ConfigureAwait(false))
            ?? await store.FindAsync(tenant, userId, week, cancellationToken).ConfigureAwait(false);
        if (report == null)
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(localizer.Get(locale, "weeklyReports.view.none", ReportText.Week(localizer, locale, week))), cancellationToken).ConfigureAwait(false);
            return;
        }
        var plan = service.Plan(SameTeam(settings, report.Team) ? settings : await service.SettingsAsync(tenant, report.Team, cancellationToken).ConfigureAwait(false), week);
        var mine = await suggestions.ListAsync(tenant, week, userId, cancellationToken).ConfigureAwait(false);
        await turnContext.SendActivityAsync(MessageFactory.Attachment(ReportView.Card(cards, localizer, locale, report, mine, plan)), cancellationToken).ConfigureAwait(false);
    }

    private static bool SameTeam(TeamSettings settings, string team) => WeeklyReportService.SameTeam(settings.Team, team);
}

/// <summary>
/// "周报汇总" / "digest" (the team's digest recipients and the office): the compiled week of a
/// team as a paged card, with Markdown and CSV exports. "周报汇总 综合部 上周" names the team and
/// the week; without a team it is the one team the person receives, or a choice of them.
/// "周报汇总 发到本群 综合部" / "周报汇总 不发到群 综合部": the office names the chat the digest is
/// also posted to, or stops it (<see cref="WeeklyDigestChat"/>).
/// </summary>
public sealed class DigestCommand(WeeklyDigestResponder digests, WeeklyDigestChat chat, Localizer localizer) : IChatCommand
{
    public string Id => "digest";

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        if (chat.Parse(arguments) is { } sub)
        {
            var answer = await chat.RunAsync(turnContext, sub.Action, sub.Team, cancellationToken).ConfigureAwait(false);
            await turnContext.SendActivityAsync(MessageFactory.Text(answer), cancellationToken).ConfigureAwait(false);
            return;
        }
        // The last word may be a week ("上周", "2026-W47"); the rest names the team.
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        string? weekWord = null;
        if (words.Count > 0 && (IsoWeek.TryParse(words[^1], out _) || CommandWords.Is(localizer, "weeklyReports.words.lastWeek", words[^1]) || CommandWords.Is(localizer, "weeklyReports.words.thisWeek", words[^1])))
        {
            weekWord = words[^1];
            words.RemoveAt(words.Count - 1);
        }
        else if (words.Count > 1 && CommandWords.Is(localizer, "weeklyReports.words.lastWeek", string.Join(" ", words.TakeLast(2))))
        {
            weekWord = string.Join(" ", words.TakeLast(2));
            words.RemoveRange(words.Count - 2, 2);
        }
        var team = string.Join(" ", words);
        var result = await digests.ShowAsync(turnContext, team.Length == 0 ? null : team, weekWord, 1, cancellationToken).ConfigureAwait(false);
        if (result.RefreshedCard != null)
        {
            await turnContext.SendActivityAsync(MessageFactory.Attachment(result.RefreshedCard), cancellationToken).ConfigureAwait(false);
        }
        if (result.Message != null)
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(result.Message), cancellationToken).ConfigureAwait(false);
        }
    }
}
