using ChatRegs.Dialogs;
using ChatRegs.Bot.Localization;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Meetings.Attendance;

/// <summary>"签到表" when I may see the rolls of several meetings: which one, then its roll.</summary>
public sealed class RollChoiceDialog(RollPresenter rolls, Localizer localizer, IHelpResponder help)
    : ChooseMeetingDialog(Id, localizer, help)
{
    public new const string Id = "meetings.roll.choose";
    public const string QuestionKey = "meetings.roll.which";

    protected override Task ActAsync(ITurnContext turnContext, string occurrenceKey, CancellationToken cancellationToken) =>
        rolls.SendAsync(turnContext, occurrenceKey, cancellationToken);
}
