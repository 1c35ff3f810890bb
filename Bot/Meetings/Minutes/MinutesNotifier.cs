using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Proactive;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.Meetings.Minutes;

/// <summary>
/// Messages to people's 1:1 chats, each in the language of that chat: the minutes to their
/// recipients, a new action item to its owner, an item's update to the host, and the reminders
/// of the daily run.
/// </summary>
public sealed class MinutesNotifier(ProactiveSender sender, MinutesCards cards, MinutesService service, Exports.IFileExporter files, Localizer localizer, RoleHolders roles, NamedGroups groups, ILogger<MinutesNotifier> logger)
{
    private string L(string locale, string key, params object?[] args) => localizer.Get(locale, "minutes." + key, args);

    /// <summary>Sends to a person; false when it could not be delivered (logged, never thrown).</summary>
    public Task<bool> SendAsync(string tenantId, string userId, Func<string, IActivity> build, string purpose, CancellationToken cancellationToken) =>
        SendAsync(tenantId, userId, (t, ct) => t.SendActivityAsync(build(t.Activity.Locale ?? ""), ct), purpose, cancellationToken);

    /// <inheritdoc cref="SendAsync(string, string, Func{string, IActivity}, string, CancellationToken)"/>
    public async Task<bool> SendAsync(string tenantId, string userId, Func<ITurnContext, CancellationToken, Task> send, string purpose, CancellationToken cancellationToken)
    {
        try
        {
            var result = await sender.SendToPersonAsync(tenantId, userId, send, purpose, cancellationToken).ConfigureAwait(false);
            if (!result.Delivered)
            {
                logger.LogWarning("{Purpose} could not be delivered to {UserId}: {Reason}.", purpose, userId, result.Reason);
            }
            return result.Delivered;
        }
        catch (ProactiveDeliveryException e)
        {
            logger.LogWarning(e, "{Purpose} could not be delivered to {UserId} for now.", purpose, userId);
            return false;
        }
    }

    /// <summary>
    /// Who gets the minutes of a meeting (例会制度(三) 五.3: to management; (二) 五(一): the office
    /// keeps them): the office always, the series' recipients (people, and the current members
    /// of its named groups such as 总经理室), the host and the recorder, and — unless the series
    /// turned it off — the attendees of that meeting.
    /// </summary>
    public async Task<IReadOnlyList<string>> RecipientsOfAsync(MinutesContext context, MinutesContent? content, CancellationToken cancellationToken)
    {
        var list = new List<string>(await ManagementOfAsync(context.Series, cancellationToken).ConfigureAwait(false))
        {
            context.Occurrence.HostId, context.Series.HostId, context.Series.RecorderId ?? "",
        };
        if (context.Series.MinutesToAttendees && content != null)
        {
            list.AddRange(content.Attendees.Select(a => a.UserId));
        }
        return list.Where(id => id.Length > 0).Distinct().ToList();
    }

    /// <summary>The office and the series' minutes recipients (groups resolved to their members): who hears of the minutes, and of their lateness.</summary>
    public async Task<IReadOnlyList<string>> ManagementOfAsync(MeetingSeries series, CancellationToken cancellationToken)
    {
        var office = await roles.HoldersAsync(series.TenantId, Roles.Office, cancellationToken).ConfigureAwait(false);
        var named = await groups.ResolveAsync(series.TenantId, series.MinutesRecipients, cancellationToken).ConfigureAwait(false);
        return office.People.Select(p => p.UserId).Concat(named).Where(id => id.Length > 0).Distinct().ToList();
    }

    /// <summary>Sends version N to the recipients (not to the one who submitted it: they have it in their chat), and each new item to its owner. Returns the names reached.</summary>
    public async Task<IReadOnlyList<string>> DeliverMinutesAsync(MinutesContext context, MinutesVersion version, IReadOnlyList<ActionItem> newItems, IReadOnlyList<ActionItem> cancelled, string submitterId, CancellationToken cancellationToken)
    {
        var reached = new List<string>();
        var versions = await service.VersionsAsync(context.TenantId, context.Occurrence.Key, cancellationToken).ConfigureAwait(false);
        foreach (var userId in (await RecipientsOfAsync(context, version.Content, cancellationToken).ConfigureAwait(false)).Where(id => id != submitterId))
        {
            var ok = await SendAsync(context.TenantId, userId, async (t, ct) =>
            {
                var locale = t.Activity.Locale ?? "";
                var activity = MessageFactory.Attachment(cards.View(context, version, version.Number, locale, canEdit: false));
                activity.Text = version.Number == 1
                    ? L(locale, "notify.minutes", context.Series.Name, MinutesCards.Day(version.Content.Date, locale), version.ByName)
                    : L(locale, "notify.minutesVersion", context.Series.Name, MinutesCards.Day(version.Content.Date, locale), version.Number, version.ByName);
                await t.SendActivityAsync(activity, ct).ConfigureAwait(false);
                // The Markdown file with it (Teams: the file consent card in the same chat).
                await files.OfferAsync(t, MinutesExport.FileName(context, localizer, locale, "md"), MinutesExport.MarkdownType,
                    MinutesExport.Markdown(context, versions, cards, localizer, locale), L(locale, "export.description", context.Series.Name, MinutesCards.Day(version.Content.Date, locale)), ct).ConfigureAwait(false);
            }, $"minutes.deliver {context.Occurrence.Key} v{version.Number}", cancellationToken).ConfigureAwait(false);
            if (ok)
            {
                reached.Add(await service.NameAsync(context.Snapshot, userId, cancellationToken).ConfigureAwait(false));
            }
        }
        var today = service.TodayIn(context.Series.Zone);
        foreach (var item in newItems)
        {
            await SendAsync(item.TenantId, item.OwnerId, locale =>
            {
                var activity = MessageFactory.Attachment(cards.Item(item, locale, today, canUpdate: true));
                activity.Text = L(locale, "notify.assigned", item.MeetingName, MinutesCards.Day(item.Due, locale));
                return activity;
            }, $"actions.assigned {item.Id}", cancellationToken).ConfigureAwait(false);
        }
        foreach (var item in cancelled.Where(i => i.OwnerId != submitterId))
        {
            await SendAsync(item.TenantId, item.OwnerId, locale => MessageFactory.Text(L(locale, "notify.cancelled", item.Description, item.MeetingName, version.Number)),
                $"actions.cancelled {item.Id}", cancellationToken).ConfigureAwait(false);
        }
        return reached;
    }

    /// <summary>Done or blocked: the host of the meeting it came from hears of it (unless they made the change).</summary>
    public async Task ItemUpdatedAsync(ActionItem item, string byId, CancellationToken cancellationToken)
    {
        if (item.Status is not (ActionItemStatus.Done or ActionItemStatus.Blocked))
        {
            return;
        }
        var (snapshot, occurrence) = await service.Cache.GetOccurrenceAsync(item.TenantId, item.OccurrenceKey, cancellationToken).ConfigureAwait(false);
        var host = occurrence?.HostId ?? snapshot?.Series.HostId;
        if (host == null || host == byId)
        {
            return;
        }
        await SendAsync(item.TenantId, host, locale => MessageFactory.Text(L(locale, "notify.itemUpdated", item.OwnerName, item.Description, cards.StatusText(locale, item.Status), item.Note)),
            $"actions.updated {item.Id}", cancellationToken).ConfigureAwait(false);
    }
}
