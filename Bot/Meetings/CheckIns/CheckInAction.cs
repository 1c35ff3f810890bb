using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Meetings.CheckIns;

/// <summary>
/// The check-in card's button (verb "meetings.checkin", data: the occurrence key), on the
/// card-action base: the meeting is loaded from the cache in the sender's tenant, and the sender
/// must be one of its expected participants (decided without a directory read: the check-in rule
/// needs no role) before the check-in runs. Who checks in is the sender of the activity, never the
/// card's data. Action.Execute (Teams' Universal Actions) answers with the card refreshed for the
/// clicker, showing "已签到 08:26（提前）" without the 签到 button (checked in: nothing left to press); an Action.Submit (the <c>会议</c> list's button, or a
/// client without Universal Actions) gets a reply. Someone not expected gets the reason only,
/// never the meeting's card (where, who hosts).
/// </summary>
public sealed class CheckInAction(CheckInService checkIns, CheckInCard cards, IAuthorizationService authorization) : CardActionHandler<MeetingOnCard>(authorization)
{
    public override string Verb => CheckInCard.Verb;

    /// <summary>The check-in is one insert-once row carrying the activity id: a redelivery is answered as the first delivery and counted once.</summary>
    public override bool GuardsRedelivery => true;

    protected override string Permission => MeetingPermissions.CheckIn;

    protected override string NotFoundKey => "meetings.checkIn.unknown";

    protected override Task<MeetingOnCard?> LoadAsync(CardActionContext action, CancellationToken cancellationToken) =>
        checkIns.FindAsync(action.Tenant, CardFields.Raw(action.Data, "occurrence") ?? "", cancellationToken);

    protected override AuthorizationResource ResourceOf(MeetingOnCard record) => CheckInService.ResourceOf(record.Snapshot, record.Occurrence);

    protected override Task<AuthorizationDecision> DecideAsync(CardActionContext action, AuthorizationResource? resource, CancellationToken cancellationToken) =>
        Task.FromResult(resource == null
            ? AuthorizationDecision.Deny("meetings.auth.checkIn")
            : checkIns.Decide(action.Tenant, action.UserId, action.Activity.From?.Name, resource));

    /// <summary>Not expected at this meeting: the check-in's own answer (which meeting, its window, who hosts), as a message.</summary>
    protected override Task<CardActionResult> RefuseAsync(CardActionContext action, MeetingOnCard? record, string text, CancellationToken cancellationToken) =>
        Task.FromResult(new CardActionResult(Message: record == null
            ? text
            : checkIns.Describe(new CheckInOutcome(CheckInResult.NotParticipant, record.Snapshot, record.Occurrence), action.Locale)));

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, MeetingOnCard record, CancellationToken cancellationToken)
    {
        var activity = action.Activity;
        var locale = action.Locale;
        var outcome = await checkIns.CheckInAsync(record.Snapshot, record.Occurrence, action.UserId, activity.From?.Name, CheckInSources.Card, cancellationToken, activity.Id).ConfigureAwait(false);
        var text = checkIns.Describe(outcome, locale);
        if (activity.Type == ActivityTypes.Invoke && outcome.Snapshot != null && outcome.Occurrence != null && outcome.Result != CheckInResult.NotParticipant)
        {
            // Named: should a client show the refreshed card to others too, it still reads right.
            var who = string.IsNullOrWhiteSpace(activity.From?.Name) ? text : $"{activity.From!.Name}{(MeetingText.IsEnglish(locale) ? ": " : "：")}{text}";
            // Checked in (now or before): no 签到 button left to press, as in the person's refreshed view.
            return new CardActionResult(RefreshedCard: cards.Create(outcome.Snapshot, outcome.Occurrence, locale, who, outcome.Recorded, canCheckIn: !outcome.Recorded));
        }
        return new CardActionResult(Message: text);
    }
}
