using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Exports;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Routing;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Leave;

/// <summary>Per-request roles for the authorization service.</summary>
public static class LeaveRoles
{
    /// <summary>The person named to decide the request.</summary>
    public const string Approver = "approver";

    /// <summary>The person who asked.</summary>
    public const string Requester = "requester";

    public static AuthorizationResource Resource(LeaveRequest r) => new("leaveRequest", r.Id)
    {
        PeopleByRole = new Dictionary<string, IReadOnlyCollection<string>>
        {
            [Approver] = [r.ApproverId],
            [Requester] = [r.UserId],
        },
    };
}

/// <summary>
/// Approve / Reject on the approval card (Action.Execute, verbs "leave.approve" / "leave.reject",
/// data: the request id and the comment box). Only the named approver decides — the identity is
/// the turn's sender, never the card's data; anyone else is refused, logged, and nothing
/// changes. The decision is a conditional write: a second click, a click racing another, or a
/// click on a withdrawn request answers with the request as it now stands and sends nothing.
/// The winner's click updates the other copies of the card, tells the requester, and answers
/// with the card showing the outcome (no buttons). A storage failure leaves the request pending
/// and says so on the card, buttons kept, so the approver can press again.
/// </summary>
public abstract class DecideLeaveAction(LeaveService service, LeaveNotifier notifier, LeaveCards cards, IAuthorizationService authorization, ILogger logger) : ICardActionHandler
{
    public abstract string Verb { get; }

    /// <summary>Leave requests carry their reasons: never in a shared chat.</summary>
    public string? PersonalOnlyReasonKey => "leave.personalOnly";

    protected abstract bool Approve { get; }

    public async Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var locale = activity.Locale ?? "";
        var tenant = Tenants.Of(activity) ?? "";
        var actorId = activity.From?.Id ?? "";
        var id = data["id"]?.Type == JTokenType.String ? (string)data["id"]! : "";
        var request = await service.GetAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        if (request == null)
        {
            logger.LogWarning("{UserId} pressed {Verb} on leave request '{RequestId}', which does not exist in tenant {TenantId}.", actorId, Verb, id, tenant);
            return new CardActionResult(Message: cards.Text.L(locale, "errors.notFound"));
        }
        var decision = await authorization.AuthorizeAsync(turnContext, LeavePermissions.DecideLeave, LeaveRoles.Resource(request), cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            logger.LogWarning("Refused {Verb} on leave request {RequestId} to {UserId} ({UserName}): the approver is {ApproverId}. Nothing changed.",
                Verb, request.Id, actorId, activity.From?.Name, request.ApproverId);
            return new CardActionResult(Message: Localizer.Default.Get(locale, decision.ReasonKey ?? "auth.notAllowed"));
        }

        var comment = data["comment"]?.Type == JTokenType.String ? ((string)data["comment"]!).Trim() : "";
        if (request.Status != LeaveStatus.Pending)
        {
            return Card(request, locale, cards.Text.L(locale, "approval.alreadyDecided", cards.Text.Decision(request, locale)));
        }
        if (!Approve && comment.Length == 0)
        {
            return Card(request, locale, null, new Dictionary<string, string> { ["comment"] = cards.Text.L(locale, "errors.commentRequired") }, comment);
        }
        if (comment.Length > service.Options.MaxCommentLength)
        {
            return Card(request, locale, null, new Dictionary<string, string> { ["comment"] = cards.Text.L(locale, "errors.tooLong", service.Options.MaxCommentLength, comment.Length) }, comment);
        }

        ChangeResult result;
        try
        {
            var actorName = activity.From?.Name is { Length: > 0 } n ? n : request.ApproverName;
            result = await service.DecideAsync(request, actorId, actorName, Approve, comment, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StorageProblems.Is(e))
        {
            logger.LogError(e, "The decision on leave request {RequestId} by {UserId} was not saved; it stays pending.", request.Id, actorId);
            return Card(request, locale, Localizer.Default.Get(locale, "common.notSaved"), null, comment, noticeIsError: true);
        }
        if (result.Outcome != ChangeOutcome.Changed)
        {
            return Card(result.Request, locale, cards.Text.L(locale, "approval.alreadyDecided", cards.Text.Decision(result.Request, locale)));
        }
        // The card the click came from is refreshed by this answer; the other copies are updated in place.
        await notifier.AfterChangeAsync(result.Request, activity.Type == ActivityTypes.Invoke ? activity.ReplyToId : null, cancellationToken).ConfigureAwait(false);
        return Card(result.Request, locale, cards.Text.L(locale, Approve ? "approval.youApproved" : "approval.youRejected"));
    }

    private CardActionResult Card(LeaveRequest request, string locale, string? notice, IReadOnlyDictionary<string, string>? errors = null, string? comment = null, bool noticeIsError = false) =>
        new(RefreshedCard: cards.Approval(request, locale, notice, errors, comment, noticeIsError));
}

public sealed class ApproveLeaveAction(LeaveService service, LeaveNotifier notifier, LeaveCards cards, IAuthorizationService authorization, ILogger<ApproveLeaveAction> logger)
    : DecideLeaveAction(service, notifier, cards, authorization, logger)
{
    public override string Verb => LeaveCards.ApproveVerb;

    protected override bool Approve => true;
}

public sealed class RejectLeaveAction(LeaveService service, LeaveNotifier notifier, LeaveCards cards, IAuthorizationService authorization, ILogger<RejectLeaveAction> logger)
    : DecideLeaveAction(service, notifier, cards, authorization, logger)
{
    public override string Verb => LeaveCards.RejectVerb;

    protected override bool Approve => false;
}

/// <summary>
/// "撤回" on <c>我的请假</c> (Action.Execute, verb "leave.withdraw", data: the request id): the
/// requester withdraws a request still pending. Conditional like a decision: racing the
/// approver, exactly one of them happens. The approver's card then shows it was withdrawn.
/// </summary>
public sealed class WithdrawLeaveAction(LeaveService service, LeaveNotifier notifier, MyLeave myLeave, LeaveText text, IAuthorizationService authorization, ILogger<WithdrawLeaveAction> logger) : ICardActionHandler
{
    public string Verb => LeaveCards.WithdrawVerb;

    /// <summary>Leave requests carry their reasons: never in a shared chat.</summary>
    public string? PersonalOnlyReasonKey => "leave.personalOnly";

    public async Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var locale = activity.Locale ?? "";
        var tenant = Tenants.Of(activity) ?? "";
        var id = data["id"]?.Type == JTokenType.String ? (string)data["id"]! : "";
        var request = await service.GetAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        if (request == null)
        {
            return new CardActionResult(Message: text.L(locale, "errors.notFound"));
        }
        var decision = await authorization.AuthorizeAsync(turnContext, LeavePermissions.WithdrawLeave, LeaveRoles.Resource(request), cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            logger.LogWarning("Refused to withdraw leave request {RequestId} for {UserId}: it is {RequesterId}'s. Nothing changed.", request.Id, activity.From?.Id, request.UserId);
            return new CardActionResult(Message: Localizer.Default.Get(locale, decision.ReasonKey ?? "auth.notAllowed"));
        }
        string notice;
        try
        {
            var result = await service.WithdrawAsync(request, activity.From?.Id ?? "", activity.From?.Name ?? request.UserName, cancellationToken).ConfigureAwait(false);
            if (result.Outcome == ChangeOutcome.Changed)
            {
                await notifier.AfterChangeAsync(result.Request, null, cancellationToken).ConfigureAwait(false);
                notice = text.L(locale, "list.withdrawn", text.Title(result.Request, locale));
            }
            else
            {
                notice = text.L(locale, "list.cannotWithdraw", text.Title(result.Request, locale), text.Decision(result.Request, locale));
            }
        }
        catch (Exception e) when (StorageProblems.Is(e))
        {
            logger.LogError(e, "Withdrawing leave request {RequestId} was not saved; it stays pending.", request.Id);
            notice = Localizer.Default.Get(locale, "common.notSaved");
        }
        return new CardActionResult(RefreshedCard: await myLeave.CardAsync(turnContext, notice, cancellationToken).ConfigureAwait(false));
    }
}

/// <summary>"审批" next to a request waiting for me on <c>我的请假</c> (verb "leave.show"): the approval card again, here.</summary>
public sealed class ShowLeaveAction(LeaveService service, LeaveNotifier notifier, LeaveText text, IAuthorizationService authorization, ILogger<ShowLeaveAction> logger) : ICardActionHandler
{
    public string Verb => LeaveCards.ShowVerb;

    /// <summary>Leave requests carry their reasons: never in a shared chat.</summary>
    public string? PersonalOnlyReasonKey => "leave.personalOnly";

    public async Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken)
    {
        var activity = turnContext.Activity;
        var locale = activity.Locale ?? "";
        var tenant = Tenants.Of(activity) ?? "";
        var id = data["id"]?.Type == JTokenType.String ? (string)data["id"]! : "";
        var request = await service.GetAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        if (request == null)
        {
            return new CardActionResult(Message: text.L(locale, "errors.notFound"));
        }
        var decision = await authorization.AuthorizeAsync(turnContext, LeavePermissions.DecideLeave, LeaveRoles.Resource(request), cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            logger.LogWarning("Refused to show leave request {RequestId} to {UserId}: the approver is {ApproverId}.", request.Id, activity.From?.Id, request.ApproverId);
            return new CardActionResult(Message: Localizer.Default.Get(locale, decision.ReasonKey ?? "auth.notAllowed"));
        }
        await notifier.ShowApprovalAsync(turnContext, request, cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}

/// <summary>"筛选" on the records card (Action.Execute, verb "leave.records"): the card again for the month, person and status chosen. Office only.</summary>
public sealed class FilterLeaveRecordsAction(LeaveRecords records, LeaveCards cards, LeaveService service, IAuthorizationService authorization) : ICardActionHandler
{
    public string Verb => LeaveCards.RecordsVerb;

    /// <summary>Leave requests carry their reasons: never in a shared chat.</summary>
    public string? PersonalOnlyReasonKey => "leave.personalOnly";

    public async Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken)
    {
        var locale = turnContext.Activity.Locale ?? "";
        // The records hold people's private reasons: like the 请假记录 command, only in the 1:1 chat (a card forwarded or pressed in a group shows nothing).
        if (!LeaveDialog.IsPersonal(turnContext))
        {
            return new CardActionResult(Message: cards.Text.L(locale, "personalOnly"));
        }
        var decision = await authorization.AuthorizeAsync(turnContext, LeavePermissions.ViewLeaveRecords, null, cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            return new CardActionResult(Message: Localizer.Default.Get(locale, decision.ReasonKey ?? "auth.notAllowed"));
        }
        string? S(string k) => data[k]?.Type == JTokenType.String ? (string?)data[k] : null;
        var (filter, errorKeys) = LeaveRecordFilter.Parse(S("month"), S("person"), S("status"), records.Today);
        if (filter == null)
        {
            var errors = errorKeys.ToDictionary(e => e.Key, e => cards.Text.L(locale, e.Value, S(e.Key)));
            // Nothing is listed; what was typed stays in the boxes, with the messages next to them.
            var typed = new Dictionary<string, string> { ["month"] = S("month") ?? "", ["person"] = S("person") ?? "", ["status"] = S("status") ?? "all" };
            return new CardActionResult(RefreshedCard: cards.Records([], null, service.Options.MaxListed, locale, errors, typed));
        }
        return new CardActionResult(RefreshedCard: await records.CardAsync(LeaveRecords.TenantOf(turnContext), filter, locale, cancellationToken).ConfigureAwait(false));
    }
}

/// <summary>
/// "导出 CSV" on the records card (Action.Submit, verb "leave.export"): every request the filter
/// finds, as a CSV file through the shared <see cref="IFileExporter"/> (Teams' file consent flow
/// in the 1:1 chat; inline elsewhere). Office only.
/// </summary>
public sealed class ExportLeaveRecordsAction(LeaveRecords records, LeaveText text, IFileExporter files) : ICardActionHandler
{
    public string Verb => LeaveCards.ExportVerb;

    /// <summary>Leave requests carry their reasons: never in a shared chat.</summary>
    public string? PersonalOnlyReasonKey => "leave.personalOnly";

    public async Task<CardActionResult> HandleAsync(ITurnContext turnContext, JObject data, CancellationToken cancellationToken)
    {
        var locale = turnContext.Activity.Locale ?? "";
        // Only in the 1:1 chat: in a group the file (private reasons) would be offered to everyone.
        if (!LeaveDialog.IsPersonal(turnContext))
        {
            return new CardActionResult(Message: text.L(locale, "personalOnly"));
        }
        if (!await records.AllowedAsync(turnContext, cancellationToken).ConfigureAwait(false))
        {
            return CardActionResult.Done;
        }
        string? S(string k) => data[k]?.Type == JTokenType.String ? (string?)data[k] : null;
        var (filter, errorKeys) = LeaveRecordFilter.Parse(S("month"), S("person"), S("status"), records.Today);
        if (filter == null)
        {
            var first = errorKeys.First();
            return new CardActionResult(Message: text.L(locale, first.Value, S(first.Key)));
        }
        var found = await records.FindAsync(LeaveRecords.TenantOf(turnContext), filter, cancellationToken).ConfigureAwait(false);
        var (name, bytes) = LeaveRecords.CsvFile(records.Csv(found, locale), filter);
        await files.OfferAsync(turnContext, name, "text/csv", bytes, text.L(locale, "records.csvDescription", name, found.Count), cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}
