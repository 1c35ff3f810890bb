using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Meetings.CheckIns;

/// <summary>
/// "签到" / "check in", typed anywhere: checks me in to my meeting whose check-in is open;
/// asks which when several are open (or picks the one whose name follows the command).
/// </summary>
public sealed class CheckInCommand(CheckInService checkIns, DialogHost flows, Localizer localizer, TimeProvider time) : IChatCommand
{
    public string Id => "checkIn";

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var locale = activity.Locale ?? "";
        var tenant = Tenants.Of(activity) ?? "";
        var userId = activity.From?.Id ?? "";
        var open = await checkIns.OpenForAsync(tenant, userId, cancellationToken).ConfigureAwait(false);
        if (open.Count > 1 && arguments.Length > 0)
        {
            var named = open.Where(o => o.Snapshot.Series.Name.Contains(arguments, StringComparison.OrdinalIgnoreCase)).ToList();
            if (named.Count > 0)
            {
                open = named;
            }
        }
        if (open.Count == 1)
        {
            var outcome = await checkIns.CheckInAsync(open[0].Snapshot, open[0].Occurrence, userId, activity.From?.Name, CheckInSources.Command, cancellationToken).ConfigureAwait(false);
            await turnContext.SendActivityAsync(MessageFactory.Text(checkIns.Describe(outcome, locale)), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (open.Count > 1)
        {
            await flows.BeginAsync(turnContext, CheckInChoiceDialog.Id, new OccurrenceChoiceOptions
            {
                QuestionKey = CheckInChoiceDialog.QuestionKey,
                Keys = open.Select(o => o.Occurrence.Key).ToList(),
                Titles = open.Select(o => $"{o.Snapshot.Series.Name} {MeetingText.When(o.Occurrence, locale)}").ToList(),
            }, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Nothing of mine is open. In a meeting's own chat whose check-in is open, say why I cannot.
        if (activity.Conversation?.Id is { } conversationId)
        {
            var here = await checkIns.OpenInConversationAsync(tenant, conversationId, cancellationToken).ConfigureAwait(false);
            if (here.Count > 0)
            {
                var refused = await checkIns.CheckInAsync(here[0].Snapshot, here[0].Occurrence, userId, activity.From?.Name, CheckInSources.Command, cancellationToken).ConfigureAwait(false);
                await turnContext.SendActivityAsync(MessageFactory.Text(checkIns.Describe(refused, locale)), cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        var next = await checkIns.NextForAsync(tenant, userId, cancellationToken).ConfigureAwait(false);
        string text;
        if (next is { } n)
        {
            var today = DateOnly.FromDateTime(MeetingText.Local(time.GetUtcNow(), n.Occurrence.Series));
            text = localizer.Get(locale, "meetings.checkIn.noneOpen", n.Snapshot.Series.Name, MeetingText.When(n.Occurrence, locale), MeetingText.Window(n.Occurrence, locale, today));
        }
        else
        {
            text = localizer.Get(locale, "meetings.checkIn.noMeetings");
        }
        await turnContext.SendActivityAsync(MessageFactory.Text(text), cancellationToken).ConfigureAwait(false);
    }
}
