using ChatRegs.Bot.Callbacks;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Complaints;

/// <summary>
/// The hand-over from a callback (IComplaintIntake): in the rep's turn, right after the call was
/// saved, the complaint is registered from the call (complainant, phone, time, channel 回访, the
/// customer's words, the service) at 投诉受理 with the rep as owner, and the rep gets the
/// 顾客投诉登记表 filled in so far to complete (category, what the customer asks for). No dialog
/// is started: the form's button is a card action of this feature.
/// </summary>
public sealed class CallbackComplaintIntake(ComplaintService service, ComplaintCards cards, ComplaintFlow flow, ComplaintViews views) : IComplaintIntake
{
    public async Task<string?> StartFromCallbackAsync(ITurnContext turnContext, CallbackComplaintDraft draft, CancellationToken cancellationToken)
    {
        var complaint = await service.RegisterFromCallbackAsync(draft, cancellationToken).ConfigureAwait(false);
        complaint = await flow.AfterAsync(null, complaint, draft.RepId, cancellationToken).ConfigureAwait(false);
        var locale = ComplaintViews.LocaleOf(turnContext);
        await views.SayAsync(turnContext, "intake.registered", cancellationToken, complaint.Number, draft.CustomerName, complaint.StageDueUtc is { } due ? service.Time(due) : "—").ConfigureAwait(false);
        var form = cards.Form(ComplaintCards.CompleteVerb, complaint.Number, locale, cards.FormValues(complaint), null,
            views.In(locale, "form.fromCallback", draft.ServiceItem, draft.RepName), views.In(locale, "form.completeIntro"));
        await turnContext.SendActivityAsync(MessageFactory.Attachment(form), cancellationToken).ConfigureAwait(false);
        return complaint.Number;
    }
}
