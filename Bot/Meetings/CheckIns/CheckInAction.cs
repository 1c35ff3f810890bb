using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Meetings.CheckIns;

/// <summary>
/// The check-in card's button (verb "meetings.checkin", data: the occurrence key). Who checks
/// in is the sender of the activity, never the card's data. Action.Execute (Teams' Universal
/// Actions) answers with the card refreshed for the clicker, showing "已签到 08:26（提前）";
/// an Action.Submit (the <c>会议</c> list's button, or a client without Universal Actions) gets a reply.
/// </summary>
public sealed class CheckInAction(CheckInService checkIns, CheckInCard cards) : ICardActionHandler
{
    public string Verb => CheckInCard.Verb;

    /// <summary>The check-in is one insert-once row carrying the activity id: a redelivery is answered as the first delivery and counted once.</summary>
    public bool GuardsRedelivery => true;

    public async Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var locale = activity.Locale ?? "";
        var tenant = Tenants.Of(activity) ?? "";
        var key = CardFields.Raw(data, "occurrence") ?? "";
        var outcome = await checkIns.CheckInAsync(tenant, key, activity.From?.Id ?? "", activity.From?.Name, CheckInSources.Card, cancellationToken, activity.Id).ConfigureAwait(false);
        var text = checkIns.Describe(outcome, locale);
        // Someone not expected at the meeting gets the reason only, never the meeting's card (where, who hosts).
        if (activity.Type == ActivityTypes.Invoke && outcome.Snapshot != null && outcome.Occurrence != null && outcome.Result != CheckInResult.NotParticipant)
        {
            // Named: should a client show the refreshed card to others too, it still reads right.
            var who = string.IsNullOrWhiteSpace(activity.From?.Name) ? text : $"{activity.From!.Name}{(MeetingText.IsEnglish(locale) ? ": " : "：")}{text}";
            return new CardActionResult(RefreshedCard: cards.Create(outcome.Snapshot, outcome.Occurrence, locale, who, outcome.Recorded));
        }
        return new CardActionResult(Message: text);
    }
}
