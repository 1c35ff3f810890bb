using System.Text.Json.Nodes;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Meetings.Occurrences;

/// <summary>
/// "会议" / "meetings": my upcoming meetings (the next <see cref="MeetingOptions.UpcomingDays"/>
/// days) with time, place, host and my status; for the series I may manage, buttons to adjust
/// one occurrence or edit the series. "会议 全部" / "meetings all" lists every series' meetings
/// for the office and managers.
/// </summary>
public sealed class MeetingsCommand(MeetingCache cache, CheckInStore checkIns, AuthorizationService authorization, ICardFactory cards, Localizer localizer, TimeProvider time, IOptions<MeetingOptions> options) : IChatCommand
{
    public const int MaxItems = 20;

    public string Id => "meetings";

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var locale = activity.Locale ?? "";
        var tenant = Tenants.Of(activity) ?? "";
        var me = activity.From?.Id ?? "";
        var actor = await authorization.GetActorAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var all = arguments.Trim().ToLowerInvariant() is "全部" or "all" && authorization.Decide(actor, MeetingPermissions.CreateMeeting, null).Allowed;
        var now = time.GetUtcNow();
        var found = (await cache.OccurrencesAsync(tenant, now.AddDays(-1), now.AddDays(options.Value.UpcomingDays), cancellationToken).ConfigureAwait(false))
            .Where(m => m.Occurrence.CheckInCloses >= now && (all || m.Snapshot.AttendeesOf(m.Occurrence).Contains(me)))
            .ToList();
        var items = new JsonArray();
        foreach (var (snapshot, occurrence) in found.OrderBy(f => f.Occurrence.Start).Take(MaxItems))
        {
            var series = snapshot.Series;
            var canManage = authorization.Decide(actor, MeetingPermissions.ManageMeeting, series.AsResource(occurrence.SubstituteHostId)).Allowed;
            var expected = snapshot.AttendeesOf(occurrence).Contains(me);
            var open = CheckInService.IsOpen(occurrence, now);
            string status;
            var checkedIn = false;
            if (occurrence.Cancelled)
            {
                status = L(locale, "cancelled");
            }
            else if (!expected)
            {
                status = L(locale, "notExpected");
            }
            else if (occurrence.CheckInOpens <= now && await checkIns.GetAsync(tenant, occurrence.Key, me, cancellationToken).ConfigureAwait(false) is { } mine)
            {
                checkedIn = true;
                status = L(locale, "checkedIn", MeetingText.CheckInTime(mine.At, mine.Status == CheckInStatus.Late, series), MeetingText.Status(localizer, locale, mine.Status));
            }
            else
            {
                status = open ? L(locale, "open", MeetingText.Window(occurrence, locale)) : L(locale, "opensAt", MeetingText.Window(occurrence, locale));
            }
            var flags = new List<string>();
            if (occurrence.Moved)
            {
                flags.Add(L(locale, "moved"));
            }
            if (occurrence.SubstituteHostId != null)
            {
                flags.Add(L(locale, "substitute"));
            }
            if (!string.IsNullOrWhiteSpace(occurrence.Note))
            {
                flags.Add(occurrence.Note!);
            }
            items.Add(new JsonObject
            {
                ["name"] = series.Name,
                ["when"] = MeetingText.When(occurrence, locale),
                ["location"] = series.Location.Length > 0 ? series.Location : "—",
                ["host"] = snapshot.NameOf(occurrence.HostId),
                ["status"] = status,
                ["flags"] = string.Join(" · ", flags),
                ["occurrence"] = occurrence.Key,
                ["series"] = series.Id,
                ["canManage"] = canManage,
                ["canCheckIn"] = open && expected && !checkedIn,
                ["cancelled"] = occurrence.Cancelled,
            });
        }
        var data = new JsonObject
        {
            ["subtitle"] = L(locale, all ? "subtitleAll" : "subtitle", options.Value.UpcomingDays),
            ["isEmpty"] = items.Count == 0,
            ["items"] = items,
        };
        await turnContext.SendActivityAsync(MessageFactory.Attachment(cards.Create("MeetingList", data, locale)), cancellationToken).ConfigureAwait(false);
    }

    private string L(string locale, string key, params object?[] args) => localizer.Get(locale, "meetings.list." + key, args);
}
