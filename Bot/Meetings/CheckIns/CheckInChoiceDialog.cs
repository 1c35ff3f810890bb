using ChatRegs.Bot.Core;
using ChatRegs.Dialogs;
using ChatRegs.Bot.Localization;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Meetings.CheckIns;

/// <summary>"签到" when several of my meetings are open: which one, then check in to it.</summary>
public sealed class CheckInChoiceDialog(CheckInService checkIns, Localizer localizer, IHelpResponder help)
    : ChooseMeetingDialog(Id, localizer, help)
{
    public new const string Id = "meetings.checkIn.choose";
    public const string QuestionKey = "meetings.checkIn.which";

    protected override async Task ActAsync(ITurnContext turnContext, string occurrenceKey, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var outcome = await checkIns.CheckInAsync(Tenants.Of(activity) ?? "", occurrenceKey, activity.From?.Id ?? "", activity.From?.Name, CheckInSources.Command, cancellationToken).ConfigureAwait(false);
        await turnContext.SendActivityAsync(MessageFactory.Text(checkIns.Describe(outcome, activity.Locale ?? "")), cancellationToken).ConfigureAwait(false);
    }
}
