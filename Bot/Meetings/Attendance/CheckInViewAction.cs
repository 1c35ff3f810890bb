using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.Bot.Routing;

namespace ChatRegs.Bot.Meetings.Attendance;

/// <summary>
/// The check-in card's refresh (verb "meetings.checkin.view"): Teams sends it (an
/// <c>adaptiveCard/action</c> invoke, trigger "automatic") for each person named in the card's
/// <c>refresh.userIds</c> when they see the card in the meeting's chat, and shows them the card
/// this answers with instead of the shared one. On the card-action base: the meeting is loaded
/// in the sender's tenant (another tenant's or a forged key: the usual "meeting not found"
/// message, no card), and only someone expected at it or allowed to see its roll gets a
/// personal view:
/// <list type="bullet">
/// <item>their own line, "已签到 08:24（提前）", "请假已批准", "已准假" or "未签到", from the
/// same roll as <c>签到表</c> (check-ins, approved leave, corrections);</item>
/// <item>the 签到 button only while they have not checked in and check-in has not closed;</item>
/// <item>the 签到表 button for whoever may see the roll (host, substitute host, recorder, office,
/// managers), where corrections are made.</item>
/// </list>
/// Anyone else in the meeting's chat gets the shared card as posted. Identity from the activity, never the card.
/// </summary>
public sealed class CheckInViewAction(CheckInService checkIns, AttendanceService attendance, CheckInCard cards, AuthorizationService authorization, Localizer localizer)
    : CardActionHandler<MeetingOnCard>(authorization)
{
    public override string Verb => CheckInCard.ViewVerb;

    protected override string Permission => MeetingPermissions.CheckIn;

    protected override string NotFoundKey => "meetings.checkIn.unknown";

    protected override Task<MeetingOnCard?> LoadAsync(CardActionContext action, CancellationToken cancellationToken) =>
        checkIns.FindAsync(action.Tenant, action.Field("occurrence"), cancellationToken);

    /// <summary>The meeting with its expected people (who may check in) and its host and recorder (who may see the roll).</summary>
    protected override AuthorizationResource ResourceOf(MeetingOnCard record)
    {
        var checkIn = CheckInService.ResourceOf(record.Snapshot, record.Occurrence);
        var roll = record.Snapshot.Series.AsResource(record.Occurrence.SubstituteHostId);
        var roles = new Dictionary<string, IReadOnlyCollection<string>>(roll.PeopleByRole);
        foreach (var (role, people) in checkIn.PeopleByRole)
        {
            roles[role] = people;
        }
        return checkIn with { PeopleByRole = roles };
    }

    /// <summary>A personal view for whoever may check in or see the roll (decided without logging the others as refused: seeing the shared card is not a refusal).</summary>
    protected override async Task<AuthorizationDecision> DecideAsync(CardActionContext action, AuthorizationResource? resource, CancellationToken cancellationToken)
    {
        var actor = await authorization.GetActorAsync(action.Turn, cancellationToken).ConfigureAwait(false);
        return authorization.Decide(actor, MeetingPermissions.CheckIn, resource).Allowed || authorization.Decide(actor, MeetingPermissions.ViewRoll, resource).Allowed
            ? AuthorizationDecision.Allow
            : AuthorizationDecision.Deny("meetings.auth.checkIn");
    }

    /// <summary>
    /// Not expected and not allowed the roll: in the meeting's own chat, the shared card as every
    /// member there sees it; anywhere else (a forged refresh from another chat) only the reason,
    /// never the meeting's card (where, who hosts).
    /// </summary>
    protected override Task<CardActionResult> RefuseAsync(CardActionContext action, MeetingOnCard? record, string text, CancellationToken cancellationToken) =>
        Task.FromResult(record != null && Agenda.AgendaService.SameConversation(record.Snapshot.Series.ConversationId, action.Activity.Conversation?.Id ?? "")
            ? new CardActionResult(RefreshedCard: cards.Create(record.Snapshot, record.Occurrence, action.Locale))
            : new CardActionResult(Message: text));

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, MeetingOnCard record, CancellationToken cancellationToken)
    {
        var (snapshot, occurrence) = (record.Snapshot, record.Occurrence);
        var locale = action.Locale;
        var actor = await authorization.GetActorAsync(action.Turn, cancellationToken).ConfigureAwait(false);
        var canSeeRoll = authorization.Decide(actor, MeetingPermissions.ViewRoll, ResourceOf(record)).Allowed;
        var roll = await attendance.RollAsync(snapshot, occurrence, cancellationToken).ConfigureAwait(false);
        var entry = roll.Entries.FirstOrDefault(e => e.UserId == action.UserId);
        string L(string key, params object?[] args) => localizer.Get(locale, "meetings.checkInCard.mine." + key, args);
        var (line, color) = entry switch
        {
            null => ((string?)null, "Default"),
            { CheckIn: { } c } => (L("checkedIn", MeetingText.CheckInTime(c.At, c.Status == CheckInStatus.Late, snapshot.Series), MeetingText.Status(localizer, locale, entry.Status)),
                entry.Status is AttendanceStatus.Late or AttendanceStatus.LeftEarly or AttendanceStatus.Absent ? "Warning" : "Good"),
            { Status: AttendanceStatus.OnLeave } => (L("onLeave"), "Accent"),
            { Status: AttendanceStatus.Excused } => (L("excused"), "Accent"),
            _ => (L("notCheckedIn"), "Attention"),
        };
        var canCheckIn = entry is { CheckIn: null } && !occurrence.Cancelled && !roll.Final;
        return new CardActionResult(RefreshedCard: cards.Create(snapshot, occurrence, locale, line, canCheckIn: canCheckIn, canSeeRoll: canSeeRoll, resultColor: color));
    }
}
