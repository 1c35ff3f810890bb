using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Leave;

/// <summary>"请假" / "leave": starts the leave flow (personal chat only).</summary>
public sealed class LeaveCommand(DialogHost flows, LeaveText text) : IChatCommand
{
    public string Id => "leave";

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        if (!LeaveDialog.IsPersonal(turnContext))
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(text.L(turnContext.Activity.Locale ?? "", "personalOnly")), cancellationToken).ConfigureAwait(false);
            return;
        }
        await flows.BeginAsync(turnContext, LeaveDialog.Id, null, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>"我的请假" / "my leave": my requests with their status (withdraw while pending), and those waiting for my decision.</summary>
public sealed class MyLeaveCommand(MyLeave myLeave, LeaveText text) : IChatCommand
{
    public string Id => "myLeave";

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        if (!LeaveDialog.IsPersonal(turnContext))
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(text.L(turnContext.Activity.Locale ?? "", "personalOnly")), cancellationToken).ConfigureAwait(false);
            return;
        }
        await turnContext.SendActivityAsync(MessageFactory.Attachment(await myLeave.CardAsync(turnContext, null, cancellationToken).ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The "我的请假" card for this turn's sender.</summary>
public sealed class MyLeave(LeaveStore store, LeaveCards cards, LeaveService service)
{
    public async Task<Attachment> CardAsync(ITurnContext turnContext, string? notice, CancellationToken cancellationToken)
    {
        var tenant = Tenants.Of(turnContext.Activity) ?? "";
        var me = turnContext.Activity.From?.Id ?? "";
        var mine = store.ListByRequesterAsync(tenant, me, cancellationToken);
        var toApprove = store.ListPendingForApproverAsync(tenant, me, cancellationToken);
        return cards.List(await mine.ConfigureAwait(false), await toApprove.ConfigureAwait(false), service.Options.MaxListed, turnContext.Activity.Locale ?? "", notice);
    }
}

/// <summary>"请假记录 [2026-11]" / "leave records [2026-11]": the office's archive of leave requests, filtered, with CSV export.</summary>
public sealed class LeaveRecordsCommand(LeaveRecords records, LeaveText text) : IChatCommand
{
    public string Id => "leaveRecords";

    /// <summary>Listed in help only for those who may use it.</summary>
    public string? HelpAction => LeavePermissions.ViewLeaveRecords;

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        var locale = turnContext.Activity.Locale ?? "";
        if (!LeaveDialog.IsPersonal(turnContext))
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(text.L(locale, "personalOnly")), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!await records.AllowedAsync(turnContext, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        var (filter, errors) = LeaveRecordFilter.Parse(arguments, null, null, records.Today);
        if (filter == null)
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(text.L(locale, errors.Values.First(), arguments)), cancellationToken).ConfigureAwait(false);
            return;
        }
        var card = await records.CardAsync(LeaveRecords.TenantOf(turnContext), filter, locale, cancellationToken).ConfigureAwait(false);
        await turnContext.SendActivityAsync(MessageFactory.Attachment(card), cancellationToken).ConfigureAwait(false);
    }
}
