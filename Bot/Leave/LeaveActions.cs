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
/// the turn's sender, never the card's data; anyone else is refused (by the base, before this
/// runs), logged, and nothing changes. The decision is a conditional write: a second click, a
/// click racing another, or a click on a withdrawn request answers with the request as it now
/// stands and sends nothing. The winner's click updates the other copies of the card, tells the
/// requester, and answers with the card showing the outcome (no buttons). A storage failure
/// leaves the request pending and says so on the card, buttons kept, so the approver can press again.
/// </summary>
public abstract class DecideLeaveAction(LeaveService service, LeaveNotifier notifier, LeaveCards cards, IAuthorizationService authorization, ILogger logger)
    : LeaveRequestAction(service, authorization, logger)
{
    protected override string Permission => LeavePermissions.DecideLeave;

    protected abstract bool Approve { get; }

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, LeaveRequest request, CancellationToken cancellationToken)
    {
        var activity = action.Activity;
        var locale = action.Locale;
        var comment = action.Field("comment");
        if (request.Status != LeaveStatus.Pending)
        {
            return Card(request, locale, cards.Text.L(locale, "approval.alreadyDecided", cards.Text.Decision(request, locale)));
        }
        if (!Approve && comment.Length == 0)
        {
            return Card(request, locale, null, new Dictionary<string, string> { ["comment"] = cards.Text.L(locale, "errors.commentRequired") }, comment);
        }
        if (comment.Length > Service.Options.MaxCommentLength)
        {
            return Card(request, locale, null, new Dictionary<string, string> { ["comment"] = cards.Text.L(locale, "errors.tooLong", Service.Options.MaxCommentLength, comment.Length) }, comment);
        }

        ChangeResult result;
        try
        {
            var actorName = activity.From?.Name is { Length: > 0 } n ? n : request.ApproverName;
            result = await Service.DecideAsync(request, action.UserId, actorName, Approve, comment, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StorageProblems.Is(e))
        {
            Logger.LogError(e, "The decision on leave request {RequestId} by {UserId} was not saved; it stays pending.", request.Id, action.UserId);
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

/// <summary>
/// What every button on one leave request shares (the card's <c>id</c>, looked up in the turn's
/// tenant; never in a shared chat): the base loads it and decides <see cref="CardActionHandler{TRecord}.Permission"/>
/// on it (its approver and requester) before the handler runs.
/// </summary>
public abstract class LeaveRequestAction(LeaveService service, IAuthorizationService authorization, ILogger logger) : CardActionHandler<LeaveRequest>(authorization)
{
    protected LeaveService Service => service;

    protected ILogger Logger => logger;

    /// <summary>Leave requests carry their reasons: never in a shared chat.</summary>
    public override string? PersonalOnlyReasonKey => "leave.personalOnly";

    protected override string NotFoundKey => "leave.errors.notFound";

    protected override async Task<LeaveRequest?> LoadAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var id = action.Field("id");
        var request = await service.GetAsync(action.Tenant, id, cancellationToken).ConfigureAwait(false);
        if (request == null)
        {
            logger.LogWarning("{UserId} pressed {Verb} on leave request '{RequestId}', which does not exist in tenant {TenantId}.", action.UserId, Verb, id, action.Tenant);
        }
        return request;
    }

    protected override AuthorizationResource ResourceOf(LeaveRequest record) => LeaveRoles.Resource(record);

    protected override void OnRefused(CardActionContext action, LeaveRequest request) =>
        logger.LogWarning("Refused {Verb} on leave request {RequestId} to {UserId} ({UserName}): the approver is {ApproverId}, the requester {RequesterId}. Nothing changed.",
            Verb, request.Id, action.UserId, action.Activity.From?.Name, request.ApproverId, request.UserId);
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
public sealed class WithdrawLeaveAction(LeaveService service, LeaveNotifier notifier, MyLeave myLeave, LeaveText text, IAuthorizationService authorization, ILogger<WithdrawLeaveAction> logger)
    : LeaveRequestAction(service, authorization, logger)
{
    public override string Verb => LeaveCards.WithdrawVerb;

    protected override string Permission => LeavePermissions.WithdrawLeave;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, LeaveRequest request, CancellationToken cancellationToken)
    {
        var locale = action.Locale;
        string notice;
        try
        {
            var result = await Service.WithdrawAsync(request, action.UserId, action.Activity.From?.Name ?? request.UserName, cancellationToken).ConfigureAwait(false);
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
            Logger.LogError(e, "Withdrawing leave request {RequestId} was not saved; it stays pending.", request.Id);
            notice = Localizer.Default.Get(locale, "common.notSaved");
        }
        return new CardActionResult(RefreshedCard: await myLeave.CardAsync(action.Turn, notice, cancellationToken).ConfigureAwait(false));
    }
}

/// <summary>"审批" next to a request waiting for me on <c>我的请假</c> (verb "leave.show"): the approval card again, here.</summary>
public sealed class ShowLeaveAction(LeaveService service, LeaveNotifier notifier, IAuthorizationService authorization, ILogger<ShowLeaveAction> logger)
    : LeaveRequestAction(service, authorization, logger)
{
    public override string Verb => LeaveCards.ShowVerb;

    protected override string Permission => LeavePermissions.DecideLeave;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, LeaveRequest request, CancellationToken cancellationToken)
    {
        await notifier.ShowApprovalAsync(action.Turn, request, cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}

/// <summary>"筛选" on the records card (Action.Execute, verb "leave.records"): the card again for the month, person and status chosen. Office only.</summary>
public sealed class FilterLeaveRecordsAction(LeaveRecords records, LeaveCards cards, LeaveService service, IAuthorizationService authorization) : CardActionHandler(authorization)
{
    public override string Verb => LeaveCards.RecordsVerb;

    /// <summary>The records hold people's private reasons: like the 请假记录 command, only in the 1:1 chat (a card forwarded or pressed in a group shows nothing).</summary>
    public override string? PersonalOnlyReasonKey => "leave.personalOnly";

    protected override string Permission => LeavePermissions.ViewLeaveRecords;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var locale = action.Locale;
        string? S(string k) => CardFields.Raw(action.Data, k);
        var (filter, errorKeys) = LeaveRecordFilter.Parse(S("month"), S("person"), S("status"), records.Today);
        if (filter == null)
        {
            var errors = errorKeys.ToDictionary(e => e.Key, e => cards.Text.L(locale, e.Value, S(e.Key)));
            // Nothing is listed; what was typed stays in the boxes, with the messages next to them.
            var typed = new Dictionary<string, string> { ["month"] = S("month") ?? "", ["person"] = S("person") ?? "", ["status"] = S("status") ?? "all" };
            return new CardActionResult(RefreshedCard: cards.Records([], null, service.Options.MaxListed, locale, errors, typed));
        }
        return new CardActionResult(RefreshedCard: await records.CardAsync(action.Tenant, filter, locale, cancellationToken).ConfigureAwait(false));
    }
}

/// <summary>
/// "导出 CSV" on the records card (Action.Submit, verb "leave.export"): every request the filter
/// finds, as a CSV file through the shared <see cref="IFileExporter"/> (Teams' file consent flow
/// in the 1:1 chat, never in a group, where the file would be offered to everyone). Office only.
/// </summary>
public sealed class ExportLeaveRecordsAction(LeaveRecords records, LeaveText text, IFileExporter files, IAuthorizationService authorization) : CardActionHandler(authorization)
{
    public override string Verb => LeaveCards.ExportVerb;

    /// <summary>Leave requests carry their reasons: never in a shared chat.</summary>
    public override string? PersonalOnlyReasonKey => "leave.personalOnly";

    protected override string Permission => LeavePermissions.ViewLeaveRecords;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var locale = action.Locale;
        string? S(string k) => CardFields.Raw(action.Data, k);
        var (filter, errorKeys) = LeaveRecordFilter.Parse(S("month"), S("person"), S("status"), records.Today);
        if (filter == null)
        {
            var first = errorKeys.First();
            return new CardActionResult(Message: text.L(locale, first.Value, S(first.Key)));
        }
        var found = await records.FindAsync(action.Tenant, filter, cancellationToken).ConfigureAwait(false);
        var (name, bytes) = LeaveRecords.CsvFile(records.Csv(found, locale), filter);
        await files.OfferAsync(action.Turn, name, "text/csv", bytes, text.L(locale, "records.csvDescription", name, found.Count), cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}
