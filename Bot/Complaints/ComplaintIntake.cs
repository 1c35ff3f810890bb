using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Proactive;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Complaints;

/// <summary>
/// The hand-over from a callback (IComplaintIntake): in the rep's turn, right after the call was
/// saved, the complaint is registered from the call (complainant, phone, time, channel 回访, the
/// customer's words, the service) at 投诉受理 with the rep as owner, and the rep gets the
/// 顾客投诉登记表 filled in so far to complete (category, what the customer asks for). No dialog
/// is started: the form's button is a card action of this feature.
/// </summary>
public sealed class CallbackComplaintIntake(ComplaintService service, ComplaintCards cards, ComplaintFlow flow, ComplaintViews views, ProactiveSender sender) : IComplaintIntake
{
    public async Task<string?> StartFromCallbackAsync(ITurnContext turnContext, CallbackComplaintDraft draft, CancellationToken cancellationToken)
    {
        var (complaint, _) = await service.RegisterFromCallbackOnceAsync(draft, cancellationToken).ConfigureAwait(false);
        complaint = await flow.AfterAsync(null, complaint, draft.RepId, cancellationToken).ConfigureAwait(false);
        var locale = ComplaintViews.LocaleOf(turnContext);
        await turnContext.SendActivityAsync(MessageFactory.Text(Registered(complaint, draft, locale)), cancellationToken).ConfigureAwait(false);
        await turnContext.SendActivityAsync(MessageFactory.Attachment(Form(complaint, draft, locale)), cancellationToken).ConfigureAwait(false);
        return complaint.Number;
    }

    /// <summary>The call's follow-through job: registers it (once) and sends the rep, in their chat, what the turn would have shown.</summary>
    public async Task<string?> RegisterLaterAsync(CallbackComplaintDraft draft, CancellationToken cancellationToken)
    {
        var (complaint, repeated) = await service.RegisterFromCallbackOnceAsync(draft, cancellationToken).ConfigureAwait(false);
        complaint = await flow.AfterAsync(null, complaint, draft.RepId, cancellationToken).ConfigureAwait(false);
        if (!repeated)
        {
            var rep = await service.PersonAsync(draft.TenantId, draft.RepId, cancellationToken).ConfigureAwait(false);
            var locale = rep?.PreferredLanguage ?? "";
            await sender.SendToPersonAsync(draft.TenantId, draft.RepId, async (turn, ct) =>
            {
                await turn.SendActivityAsync(MessageFactory.Text(Registered(complaint, draft, locale)), ct).ConfigureAwait(false);
                await turn.SendActivityAsync(MessageFactory.Attachment(Form(complaint, draft, locale)), ct).ConfigureAwait(false);
            }, $"complaints.fromCallback {complaint.Number}", cancellationToken).ConfigureAwait(false);
        }
        return complaint.Number;
    }

    private string Registered(Complaint complaint, CallbackComplaintDraft draft, string locale) =>
        views.In(locale, "intake.registered", complaint.Number, draft.CustomerName, complaint.StageDueUtc is { } due ? service.Time(due) : "—");

    private Microsoft.Bot.Schema.Attachment Form(Complaint complaint, CallbackComplaintDraft draft, string locale) =>
        cards.Form(ComplaintCards.CompleteVerb, complaint.Number, locale, cards.FormValues(complaint), null,
            views.In(locale, "form.fromCallback", draft.ServiceItem, draft.RepName), views.In(locale, "form.completeIntro"));
}
