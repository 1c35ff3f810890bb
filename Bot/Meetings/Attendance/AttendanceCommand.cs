using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Newtonsoft.Json.Linq;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Meetings.Attendance;

/// <summary>
/// "签到表" / "attendance": the roll of the latest meeting (whose check-in has opened, within
/// the last 7 days) of each series I host or record — every series for the office and
/// managers. A name after the command picks the series; several candidates → "which one?".
/// </summary>
public sealed class AttendanceCommand(MeetingCache cache, AuthorizationService authorization, RollPresenter rolls, DialogHost flows, Localizer localizer, TimeProvider time) : IChatCommand
{
    public string Id => "attendance";

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var locale = activity.Locale ?? "";
        var tenant = Tenants.Of(activity) ?? "";
        var actor = await authorization.GetActorAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var candidates = new List<(SeriesSnapshot Snapshot, MeetingOccurrence Occurrence)>();
        // Of each series I may see, its latest meeting within a week whose check-in has opened.
        var meetings = await cache.OccurrencesAsync(tenant, now.AddDays(-7), now.AddDays(1), cancellationToken,
            series => arguments.Length == 0 || series.Name.Contains(arguments, StringComparison.OrdinalIgnoreCase)).ConfigureAwait(false);
        foreach (var latest in meetings.Where(m => !m.Occurrence.Cancelled && m.Occurrence.CheckInOpens <= now).GroupBy(m => m.Snapshot.Series.Id).Select(g => g.Last()))
        {
            if (authorization.Decide(actor, MeetingPermissions.ViewRoll, latest.Snapshot.Series.AsResource(latest.Occurrence.SubstituteHostId)).Allowed)
            {
                candidates.Add((latest.Snapshot, latest.Occurrence));
            }
        }
        if (candidates.Count == 0)
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(localizer.Get(locale, "meetings.roll.none")), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (candidates.Count == 1)
        {
            await rolls.SendAsync(turnContext, candidates[0].Occurrence.Key, cancellationToken).ConfigureAwait(false);
            return;
        }
        candidates = candidates.OrderByDescending(c => c.Occurrence.Start).ToList();
        await flows.BeginAsync(turnContext, RollChoiceDialog.Id, new OccurrenceChoiceOptions
        {
            QuestionKey = RollChoiceDialog.QuestionKey,
            Keys = candidates.Select(c => c.Occurrence.Key).ToList(),
            Titles = candidates.Select(c => $"{c.Snapshot.Series.Name} {MeetingText.When(c.Occurrence, locale)}").ToList(),
        }, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// "签到表" button on a meeting card (verb "meetings.roll", data: the occurrence key), on the
/// card-action base: the roll is loaded in the sender's tenant and shown only to whoever may see
/// it (office, managers, the host, recorder, substitute host). Refusals are sent as messages of their own.
/// </summary>
public sealed class ShowRollAction(AttendanceService attendance, RollPresenter rolls, IAuthorizationService authorization) : CardActionHandler<Roll>(authorization)
{
    public override string Verb => "meetings.roll";

    protected override string Permission => MeetingPermissions.ViewRoll;

    protected override string NotFoundKey => "meetings.checkIn.unknown";

    protected override Task<Roll?> LoadAsync(CardActionContext action, CancellationToken cancellationToken) =>
        attendance.GetRollAsync(action.Tenant, action.Field("occurrence"), cancellationToken);

    protected override AuthorizationResource ResourceOf(Roll roll) => RollPresenter.ResourceOf(roll);

    protected override Task<CardActionResult> AnswerAsync(CardActionContext action, string text, CancellationToken cancellationToken) =>
        action.SendAsync(text, cancellationToken);

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, Roll roll, CancellationToken cancellationToken) =>
        new(RefreshedCard: await rolls.CardForAsync(action.Turn, roll, cancellationToken).ConfigureAwait(false));
}

/// <summary>
/// The roll card's correction form (verb "meetings.correct"): the host, recorder or office marks
/// a person left early (早退), excused, present, late or absent, with a reason; kept with who and when.
/// The rules are <see cref="RollCorrections"/>' (the meeting panel's correction keeps the same).
/// </summary>
public sealed class CorrectRollAction(AttendanceService attendance, IAuthorizationService authorization, RollPresenter rolls, Localizer localizer)
    : CardActionHandler<Roll>(authorization)
{
    public override string Verb => "meetings.correct";

    protected override string Permission => MeetingPermissions.CorrectRoll;

    protected override string NotFoundKey => "meetings.checkIn.unknown";

    protected override Task<Roll?> LoadAsync(CardActionContext action, CancellationToken cancellationToken) =>
        attendance.GetRollAsync(action.Tenant, action.Field("occurrence"), cancellationToken);

    /// <summary>The series' host and recorder, and this occurrence's substitute host.</summary>
    protected override AuthorizationResource ResourceOf(Roll roll) => RollPresenter.ResourceOf(roll);

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, Roll roll, CancellationToken cancellationToken)
    {
        var (turnContext, activity, locale) = (action.Turn, action.Activity, action.Locale);
        var key = action.Field("occurrence");
        var values = new Dictionary<string, string> { ["person"] = action.Field("person"), ["status"] = action.Field("status"), ["reason"] = action.Field("reason") };
        var by = activity.From!;
        var outcome = await attendance.CorrectAsync(roll, values["person"], values["status"], values["reason"], by.Id, by.Name ?? "", cancellationToken).ConfigureAwait(false);
        if (!outcome.Saved)
        {
            var errors = outcome.Problems.ToDictionary(p => p.Field, p => localizer.Get(locale, p.Key, p.Args));
            var again = await rolls.CardAsync(turnContext, key, cancellationToken, localizer.Get(locale, "meetings.errors.fix", errors.Count), errors, values).ConfigureAwait(false);
            return again == null ? CardActionResult.Done : new CardActionResult(RefreshedCard: again);
        }
        var done = localizer.Get(locale, "meetings.roll.corrected", outcome.Entry!.Name, MeetingText.Status(localizer, locale, outcome.Status), outcome.Reason);
        var card = await rolls.CardAsync(turnContext, key, cancellationToken, done).ConfigureAwait(false);
        return card == null ? new CardActionResult(Message: done) : new CardActionResult(RefreshedCard: card);
    }
}
