using ChatRegs.Bot.People;
using ChatRegs.Bot.Proactive;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Teams;
using Microsoft.Bot.Schema.Teams;
using Microsoft.Extensions.Options;

namespace ChatRegs.Bot.Meetings.Events;

/// <summary>
/// Teams' targeted in-meeting notification (POST v1/meetings/{id}/notification, sent from the
/// meeting's chat): a dialog on the meeting stage, shown only to the people named, with the
/// meeting panel's check-in page (<see cref="MeetingOptions.InMeetingNotificationUrl"/>). Teams
/// shows it only to those in the meeting; it says which recipients it could not reach, and
/// those get a personal message instead (<see cref="StartReminderJob"/>).
/// One request per language (the dialog's title is in the person's language), at most
/// <see cref="MaxRecipients"/> people each; the recipients' languages are read together
/// (<see cref="PeopleDirectory.GetManyAsync"/>).
/// </summary>
public sealed class InMeetingNotifier(ProactiveSender sender, PeopleDirectory people, IOptions<MeetingOptions> options, ILogger<InMeetingNotifier> logger)
{
    /// <summary>Recipients named in one notification request.</summary>
    public const int MaxRecipients = 50;

    /// <summary>Whether in-meeting notifications are on: a page to show is configured (an absolute https URL, or http on localhost for the local chat page).</summary>
    public bool Enabled => PageUrl() != null;

    /// <summary>
    /// Notifies <paramref name="userIds"/> in the Teams meeting <paramref name="meetingId"/>
    /// through its chat. Returns those Teams accepted; any failure (the bot cannot reach the
    /// chat, Teams refuses the request) counts as nobody reached, and is logged.
    /// </summary>
    public async Task<IReadOnlyCollection<string>> NotifyAsync(string tenantId, string meetingChatId, string meetingId, IReadOnlyList<string> userIds, Func<string, string> title, CancellationToken cancellationToken)
    {
        var reached = new HashSet<string>(StringComparer.Ordinal);
        if (PageUrl() is not { } url || userIds.Count == 0)
        {
            return reached;
        }
        // Everyone's language in one query per 14 people, not a read per person.
        var known = await people.GetManyAsync(tenantId, userIds, cancellationToken).ConfigureAwait(false);
        var byLanguage = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var userId in userIds)
        {
            var language = known.GetValueOrDefault(userId)?.PreferredLanguage ?? "zh-CN";
            if (!byLanguage.TryGetValue(language, out var list))
            {
                byLanguage[language] = list = [];
            }
            list.Add(userId);
        }
        foreach (var (language, ids) in byLanguage)
        {
            foreach (var chunk in ids.Chunk(MaxRecipients))
            {
                var notification = Notification(chunk, title(language), url);
                DeliveryResult result;
                MeetingNotificationResponse? response = null;
                Exception? refused = null;
                try
                {
                    result = await sender.SendToConversationAsync(tenantId, meetingChatId, async (turn, ct) =>
                    {
                        try
                        {
                            response = await TeamsInfo.SendMeetingNotificationAsync(turn, notification, meetingId, ct).ConfigureAwait(false);
                        }
                        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                        {
                            // Not the chat's fault (the meeting is over, notifications are off for the app): a personal message will do.
                            refused = e;
                        }
                    }, "meetings.inMeetingNotification", cancellationToken).ConfigureAwait(false);
                }
                catch (ProactiveDeliveryException e)
                {
                    logger.LogWarning(e, "In-meeting notification for {MeetingId}: the meeting chat cannot be reached for now; {Count} people get a personal message.", meetingId, chunk.Length);
                    continue;
                }
                if (!result.Delivered || refused != null)
                {
                    logger.LogWarning(refused, "In-meeting notification for {MeetingId} not sent ({Status}); {Count} people get a personal message.", meetingId, refused?.Message ?? result.Status.ToString(), chunk.Length);
                    continue;
                }
                var failed = new HashSet<string>((response?.RecipientsFailureInfo ?? []).Select(f => f.RecipientMri ?? ""), StringComparer.Ordinal);
                foreach (var id in chunk.Where(id => !failed.Contains(id)))
                {
                    reached.Add(id);
                }
                if (failed.Count > 0)
                {
                    logger.LogInformation("In-meeting notification for {MeetingId}: Teams could not show it to {Failed} of {Count} (not in the meeting); they get a personal message.", meetingId, failed.Count, chunk.Length);
                }
            }
        }
        return reached;
    }

    private static TargetedMeetingNotification Notification(IEnumerable<string> recipients, string title, string url) => new()
    {
        Type = "targetedMeetingNotification",
        Value = new TargetedMeetingNotificationValue
        {
            Recipients = recipients.ToList(),
            Surfaces =
            [
                new MeetingStageSurface<TaskModuleContinueResponse>
                {
                    ContentType = ContentType.Task,
                    Content = new TaskModuleContinueResponse
                    {
                        Value = new TaskModuleTaskInfo { Title = title, Height = 320, Width = 280, Url = url },
                    },
                },
            ],
        },
    };

    private string? PageUrl()
    {
        var configured = options.Value.InMeetingNotificationUrl;
        if (string.IsNullOrWhiteSpace(configured) || !Uri.TryCreate(configured, UriKind.Absolute, out var uri))
        {
            return null;
        }
        return uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback) ? uri.AbsoluteUri : null;
    }
}
