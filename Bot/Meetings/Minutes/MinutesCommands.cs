using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Meetings.Minutes;

/// <summary>
/// "会议纪要" / "minutes" [meeting name] [date]: the latest meeting's minutes, or those of the
/// meeting held on the date given (any time back). The recorder and the host
/// (or that meeting's substitute) get the form, pre-filled; once submitted, the minutes with
/// an edit button (a new version). Attendees, recipients, office and managers read them.
/// </summary>
public sealed class MinutesCommand(MinutesService service, MinutesCards cards, MinutesActions actions, MinutesSchedule schedule, Localizer localizer) : IChatCommand
{
    public string Id => "minutes";

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        var locale = turnContext.Activity.Locale ?? "";
        var tenant = Tenants.Of(turnContext.Activity) ?? "";
        await schedule.EnsureDailyAsync(tenant, cancellationToken).ConfigureAwait(false);
        var (targets, nameMissed, date) = await service.TargetsAsync(turnContext, arguments, MinutesPermissions.ViewMinutes, cancellationToken).ConfigureAwait(false);
        if (targets.Count == 0)
        {
            var text = nameMissed ? localizer.Get(locale, "minutes.noneNamed", arguments.Trim())
                : date is { } day ? localizer.Get(locale, "minutes.noneOnDate", day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
                : localizer.Get(locale, "minutes.noMeetings");
            await turnContext.SendActivityAsync(MessageFactory.Text(text), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (targets.Count > 1)
        {
            await turnContext.SendActivityAsync(MessageFactory.Attachment(cards.Chooser(targets, locale)), cancellationToken).ConfigureAwait(false);
            return;
        }
        var context = await service.LoadAsync(tenant, targets[0].Occurrence.Key, cancellationToken).ConfigureAwait(false);
        var card = context == null ? null : await actions.OpenCardAsync(turnContext, context, cancellationToken).ConfigureAwait(false);
        if (card != null)
        {
            await turnContext.SendActivityAsync(MessageFactory.Attachment(card), cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>"待办" / "my actions": my open action items, overdue first, each with a button to update it.</summary>
public sealed class MyActionsCommand(MinutesService service, MinutesCards cards, MinutesSchedule schedule, Localizer localizer) : IChatCommand
{
    public string Id => "myActions";

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        var locale = turnContext.Activity.Locale ?? "";
        var tenant = Tenants.Of(turnContext.Activity) ?? "";
        await schedule.EnsureDailyAsync(tenant, cancellationToken).ConfigureAwait(false);
        var me = turnContext.Activity.From?.Id ?? "";
        var today = service.Today;
        var mine = (await service.ItemsAsync(tenant, cancellationToken).ConfigureAwait(false))
            .Where(i => i.OwnerId == me && i.IsOpen)
            .OrderBy(i => i.Due).ThenBy(i => i.CreatedAt).ToList();
        string L(string key, params object?[] args) => localizer.Get(locale, "minutes.list." + key, args);
        await turnContext.SendActivityAsync(MessageFactory.Attachment(cards.List(L("mineHeading"), L("summary", mine.Count, mine.Count(i => i.IsOverdue(today))), L("mineEmpty"), mine, locale, today, showOwner: false)),
            cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>"督办" / "follow-up" [meeting name]: the open action items of the series I host (office: every series), overdue first.</summary>
public sealed class FollowUpCommand(MinutesService service, MinutesCards cards, MinutesSchedule schedule, Localizer localizer) : IChatCommand
{
    public string Id => "followUp";

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        var locale = turnContext.Activity.Locale ?? "";
        var tenant = Tenants.Of(turnContext.Activity) ?? "";
        await schedule.EnsureDailyAsync(tenant, cancellationToken).ConfigureAwait(false);
        string L(string key, params object?[] args) => localizer.Get(locale, "minutes." + key, args);
        var actor = await service.ActorAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var allowed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var series in await service.Cache.ListAsync(tenant, cancellationToken).ConfigureAwait(false))
        {
            var snapshot = await service.Cache.GetAsync(tenant, series.Id, cancellationToken).ConfigureAwait(false);
            var occurrence = snapshot == null ? null : service.LatestOf(snapshot);
            var resource = snapshot == null ? null : occurrence != null
                ? MinutesService.ResourceOf(snapshot, occurrence)
                : new AuthorizationResource(MinutesService.ResourceKind, series.Id) { PeopleByRole = new Dictionary<string, IReadOnlyCollection<string>> { [Meetings.MeetingRoles.Host] = [series.HostId] } };
            if (resource != null && service.Decide(actor, MinutesPermissions.FollowUpActions, resource).Allowed)
            {
                allowed[series.Id] = series.Name;
            }
        }
        if (allowed.Count == 0)
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(L("auth.followUp")), cancellationToken).ConfigureAwait(false);
            return;
        }
        var name = arguments.Trim();
        if (name.Length > 0)
        {
            allowed = allowed.Where(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase) || p.Value.Contains(name, StringComparison.OrdinalIgnoreCase)).ToDictionary(p => p.Key, p => p.Value);
            if (allowed.Count == 0)
            {
                await turnContext.SendActivityAsync(MessageFactory.Text(L("noneNamed", name)), cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        var today = service.Today;
        var open = (await service.ItemsAsync(tenant, cancellationToken).ConfigureAwait(false))
            .Where(i => i.IsOpen && allowed.ContainsKey(i.SeriesId))
            .OrderByDescending(i => i.IsOverdue(today)).ThenBy(i => i.Due).ThenBy(i => i.MeetingName, StringComparer.Ordinal).ToList();
        var heading = L("list.followUpHeading", string.Join(MeetingText.IsEnglish(locale) ? ", " : "、", allowed.Values.OrderBy(v => v, StringComparer.Ordinal)));
        await turnContext.SendActivityAsync(MessageFactory.Attachment(cards.List(heading, L("list.summary", open.Count, open.Count(i => i.IsOverdue(today))), L("list.followUpEmpty"), open, locale, today, showOwner: true)),
            cancellationToken).ConfigureAwait(false);
    }
}
