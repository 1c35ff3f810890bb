using System.Net;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Scheduling;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.Leave;

/// <summary>How the approval card went out.</summary>
public enum ApprovalDelivery
{
    /// <summary>In the approver's 1:1 chat.</summary>
    Delivered,

    /// <summary>Teams could not take it for now: a job sends it again shortly.</summary>
    Retrying,

    /// <summary>The approver cannot be reached (no chat with the bot, bot removed): they find it in <c>我的请假</c>.</summary>
    Undeliverable,
}

/// <summary>
/// The messages leave causes, through <see cref="ProactiveSender"/>: the approval card in the
/// approver's 1:1 chat (its activity id kept, so the card is updated in place when the request
/// is decided or withdrawn), and the decision told to the requester in their own chat. Each is
/// written in the language the person chose (<see cref="Person.PreferredLanguage"/>). What
/// Teams cannot take right now is handed to a job ("leave.deliver") that retries; what was
/// delivered is recorded, so a retry never sends it twice.
/// </summary>
public sealed class LeaveNotifier(
    LeaveStore store,
    LeaveCards cards,
    PeopleDirectory people,
    ProactiveSender sender,
    ConversationReferenceStore references,
    Meetings.MeetingCache meetings,
    JobScheduler jobs,
    TimeProvider time,
    ILogger<LeaveNotifier> logger)
{
    public const string JobKind = "leave.deliver";
    public const string ApprovalCard = "approval";
    public const string DecisionNotice = "decision";
    public const string CardUpdate = "cards";
    public const string HostHandover = "host";

    // ---- the approval card ----

    /// <summary>Sends the approval card to the approver; on a transient failure a job sends it later.</summary>
    public async Task<ApprovalDelivery> SendApprovalAsync(LeaveRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await SendApprovalNowAsync(request, cancellationToken).ConfigureAwait(false) ? ApprovalDelivery.Delivered : ApprovalDelivery.Undeliverable;
        }
        catch (ProactiveDeliveryException e)
        {
            logger.LogWarning(e, "The approval card of leave request {RequestId} could not be sent to {ApproverId} for now; a job retries.", request.Id, request.ApproverId);
            await RetryLaterAsync(request, ApprovalCard, cancellationToken).ConfigureAwait(false);
            return ApprovalDelivery.Retrying;
        }
    }

    /// <returns>True when delivered (or it already was), false when the approver cannot be reached. Throws <see cref="ProactiveDeliveryException"/> on a transient failure.</returns>
    internal async Task<bool> SendApprovalNowAsync(LeaveRequest request, CancellationToken cancellationToken)
    {
        if ((await store.CardPostsAsync(request.TenantId, request.Id, cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            return true;
        }
        var locale = await LanguageOfAsync(request.TenantId, request.ApproverId, cancellationToken).ConfigureAwait(false);
        string? activityId = null;
        var result = await sender.SendToPersonAsync(request.TenantId, request.ApproverId, async (turn, ct) =>
        {
            var response = await turn.SendActivityAsync(MessageFactory.Attachment(cards.Approval(request, locale)), ct).ConfigureAwait(false);
            activityId = response?.Id;
        }, $"leave.approval {request.Id}", cancellationToken).ConfigureAwait(false);
        if (!result.Delivered)
        {
            return false;
        }
        if (!string.IsNullOrEmpty(activityId) && result.ConversationId != null)
        {
            try
            {
                await store.AddCardPostAsync(request.TenantId, new LeaveCardPost(request.Id, result.ConversationId, activityId, locale, request.ApproverId, time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            }
            catch (Azure.RequestFailedException e)
            {
                // The card went out; only its later update in place is lost (the click still answers with the outcome).
                logger.LogError(e, "The approval card {ActivityId} of leave request {RequestId} was sent but not recorded.", activityId, request.Id);
            }
        }
        return true;
    }

    /// <summary>The approval card as a reply in this conversation (the approver asked for it from <c>我的请假</c>); kept for updates in place.</summary>
    public async Task ShowApprovalAsync(ITurnContext turnContext, LeaveRequest request, CancellationToken cancellationToken)
    {
        var locale = turnContext.Activity.Locale ?? "";
        var response = await turnContext.SendActivityAsync(MessageFactory.Attachment(cards.Approval(request, locale)), cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(response?.Id) && turnContext.Activity.Conversation?.Id is { } conversationId)
        {
            await store.AddCardPostAsync(request.TenantId, new LeaveCardPost(request.Id, conversationId, response.Id, Localizer.Resolve(locale), turnContext.Activity.From?.Id ?? "", time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }
    }

    // ---- after a change ----

    /// <summary>
    /// After the request was decided or withdrawn (by this turn): the approval cards show the
    /// outcome (except <paramref name="exceptActivityId"/>, the card the click came from, which
    /// the invoke response refreshes), and a decision is told to the requester. Never throws for
    /// delivery: what cannot go now goes by job. The change is saved whatever happens here.
    /// </summary>
    public async Task AfterChangeAsync(LeaveRequest request, string? exceptActivityId, CancellationToken cancellationToken)
    {
        await NowOrByJobAsync(request, CardUpdate, ct => UpdateCardsNowAsync(request, exceptActivityId, ct), cancellationToken).ConfigureAwait(false);
        if (request.Status is LeaveStatus.Approved or LeaveStatus.Rejected)
        {
            await NowOrByJobAsync(request, DecisionNotice, ct => NotifyRequesterNowAsync(request, ct), cancellationToken).ConfigureAwait(false);
        }
        if (request.Status == LeaveStatus.Approved && HasWork(request))
        {
            await NowOrByJobAsync(request, HostHandover, ct => HandToHostNowAsync(request, ct), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Delivers <paramref name="what"/> now; what Teams cannot take for now (a
    /// <see cref="ProactiveDeliveryException"/>) a job retries. Any other failure is logged and not
    /// retried: the message may have gone out before it (a retry could send it twice).
    /// </summary>
    private async Task NowOrByJobAsync(LeaveRequest request, string what, Func<CancellationToken, Task> deliver, CancellationToken cancellationToken)
    {
        try
        {
            await deliver(cancellationToken).ConfigureAwait(false);
        }
        catch (ProactiveDeliveryException e)
        {
            logger.LogWarning(e, "Leave request {RequestId}: the {What} delivery could not go out for now; a job retries.", request.Id, what);
            await RetryLaterAsync(request, what, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Leave request {RequestId}: the {What} delivery failed.", request.Id, what);
        }
    }

    private static bool HasWork(LeaveRequest request) =>
        WeeklyKeys(request).Count > 0 && (!string.IsNullOrEmpty(request.WorkSummary) || !string.IsNullOrEmpty(request.WorkPlan));

    /// <summary>The weekly meetings the leave keeps the requester from: the one meeting, or those the days cover.</summary>
    private static IReadOnlyList<string> WeeklyKeys(LeaveRequest request) =>
        request.Kind == LeaveKind.Meeting
            ? request.OccurrenceKey != null ? [request.OccurrenceKey] : []
            : request.WeeklyOccurrenceKeys;

    /// <summary>
    /// (一)6.1, (四)第八条: someone on approved leave from the weekly meeting — leave for that
    /// meeting, or days covering it — hands this week's summary and next week's plan to that
    /// meeting's host (the substitute, if one is named). The approver saw them on the approval
    /// card; a host who is the approver is not told twice. Once per host: a host of several of
    /// the meetings gets one message naming them; each host's delivery is recorded on its own,
    /// so a retry sends only what did not go.
    /// </summary>
    internal async Task HandToHostNowAsync(LeaveRequest request, CancellationToken cancellationToken)
    {
        if (!HasWork(request))
        {
            return;
        }
        var byHost = new Dictionary<string, List<Meetings.MeetingOccurrence>>(StringComparer.Ordinal);
        foreach (var key in WeeklyKeys(request))
        {
            var (_, occurrence) = await meetings.GetOccurrenceAsync(request.TenantId, key, cancellationToken).ConfigureAwait(false);
            var hostId = occurrence?.HostId;
            if (occurrence == null || occurrence.Cancelled || string.IsNullOrEmpty(hostId) || hostId == request.ApproverId || hostId == request.UserId)
            {
                continue;
            }
            if (!byHost.TryGetValue(hostId, out var list))
            {
                byHost[hostId] = list = [];
            }
            list.Add(occurrence);
        }
        var text = cards.Text;
        var who = request.UserName.Length > 0 ? request.UserName : request.UserId;
        var summary = string.IsNullOrEmpty(request.WorkSummary) ? "—" : request.WorkSummary;
        var plan = string.IsNullOrEmpty(request.WorkPlan) ? "—" : request.WorkPlan;
        foreach (var (hostId, occurrences) in byHost)
        {
            // Meeting leave keeps its one marker ("host"); days mark each host.
            var marker = request.Kind == LeaveKind.Meeting ? HostHandover : $"{HostHandover}-{LeaveStore.KeyPart(hostId)}";
            if (await store.WasSentAsync(request.TenantId, request.Id, marker, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }
            var locale = await LanguageOfAsync(request.TenantId, hostId, cancellationToken).ConfigureAwait(false);
            var message = request.Kind == LeaveKind.Meeting
                ? text.L(locale, "notice.toHost", who, text.Title(request, locale), summary, plan)
                : text.L(locale, "notice.toHostDays", who, text.When(request, locale),
                    string.Join(text.L(locale, "notice.meetingSeparator"), occurrences.Select(o => $"{o.Series.Name} {Meetings.MeetingText.When(o, locale)}")), summary, plan);
            var result = await sender.SendToPersonAsync(request.TenantId, hostId, MessageFactory.Text(message), $"leave.host {request.Id}", cancellationToken).ConfigureAwait(false);
            if (result.Delivered)
            {
                await store.MarkSentAsync(request.TenantId, request.Id, marker, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                logger.LogWarning("The host {HostId} of leave request {RequestId} cannot be reached: {Reason}.", hostId, request.Id, result.Reason);
            }
        }
    }

    internal async Task UpdateCardsNowAsync(LeaveRequest request, string? exceptActivityId, CancellationToken cancellationToken)
    {
        foreach (var post in await store.CardPostsAsync(request.TenantId, request.Id, cancellationToken).ConfigureAwait(false))
        {
            if (post.ActivityId == exceptActivityId)
            {
                continue;
            }
            var reference = await references.GetConversationAsync(request.TenantId, post.ConversationId, cancellationToken).ConfigureAwait(false);
            if (reference == null)
            {
                logger.LogWarning("The approval card {ActivityId} of leave request {RequestId} is in a conversation the bot has no record of.", post.ActivityId, request.Id);
                continue;
            }
            var result = await sender.SendAsync(request.TenantId, reference, async (turn, ct) =>
            {
                var activity = (Activity)MessageFactory.Attachment(cards.Approval(request, post.Locale));
                activity.Id = post.ActivityId;
                try
                {
                    await turn.UpdateActivityAsync(activity, ct).ConfigureAwait(false);
                }
                catch (ErrorResponseException e) when (e.Response?.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone)
                {
                    // Deleted in Teams: nothing left to update.
                }
            }, $"leave.update {request.Id}", cancellationToken).ConfigureAwait(false);
            if (!result.Delivered)
            {
                logger.LogWarning("The approval card {ActivityId} of leave request {RequestId} could not be updated: {Reason}.", post.ActivityId, request.Id, result.Reason);
            }
        }
    }

    /// <summary>Tells the requester the decision, once (a delivery already recorded is not repeated).</summary>
    internal async Task NotifyRequesterNowAsync(LeaveRequest request, CancellationToken cancellationToken)
    {
        if (await store.WasSentAsync(request.TenantId, request.Id, DecisionNotice, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        var locale = await LanguageOfAsync(request.TenantId, request.UserId, cancellationToken).ConfigureAwait(false);
        var text = cards.Text;
        var key = request.Status == LeaveStatus.Approved ? "notice.approved" : "notice.rejected";
        var message = text.L(locale, key, text.Title(request, locale), request.DecidedByName is { Length: > 0 } n ? n : request.DecidedById ?? "",
            request.DecidedAt is { } at ? LeaveText.Stamp(at, request.Zone, locale) : "");
        if (request.Comment is { Length: > 0 } comment)
        {
            message += text.L(locale, "notice.comment", comment);
        }
        if (request.Status == LeaveStatus.Rejected)
        {
            message += text.L(locale, request.Kind == LeaveKind.Meeting ? "notice.attend" : "notice.work");
        }
        var result = await sender.SendToPersonAsync(request.TenantId, request.UserId, MessageFactory.Text(message), $"leave.decision {request.Id}", cancellationToken).ConfigureAwait(false);
        if (result.Delivered)
        {
            await store.MarkSentAsync(request.TenantId, request.Id, DecisionNotice, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> LanguageOfAsync(string tenantId, string userId, CancellationToken cancellationToken) =>
        Localizer.Resolve((await people.GetAsync(tenantId, userId, cancellationToken).ConfigureAwait(false))?.PreferredLanguage ?? Localizer.Chinese);

    private async Task RetryLaterAsync(LeaveRequest request, string what, CancellationToken cancellationToken)
    {
        try
        {
            await jobs.ScheduleAsync(request.TenantId, JobKind, time.GetUtcNow().AddMinutes(1), new LeaveDeliveryData(request.Id, what),
                jobId: $"leave|{request.Id}|{what}|{request.Status.ToString().ToLowerInvariant()}", cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not schedule the retry of {What} for leave request {RequestId}.", what, request.Id);
        }
    }
}

/// <summary>A delivery the job retries: which request, and what ("approval", "decision", "cards").</summary>
public sealed record LeaveDeliveryData(string RequestId, string What);

/// <summary>Retries a leave delivery Teams could not take at the time (job kind "leave.deliver").</summary>
public sealed class LeaveDeliveryJob(LeaveStore store, LeaveNotifier notifier) : IJobHandler
{
    public string Kind => LeaveNotifier.JobKind;

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var data = job.DataAs<LeaveDeliveryData>() ?? throw new PermanentJobFailureException("The job names no leave request.");
        var request = await store.GetAsync(job.TenantId, data.RequestId, cancellationToken).ConfigureAwait(false)
            ?? throw new PermanentJobFailureException($"Leave request {data.RequestId} does not exist.");
        switch (data.What)
        {
            case LeaveNotifier.ApprovalCard when request.Status == LeaveStatus.Pending:
                await notifier.SendApprovalNowAsync(request, cancellationToken).ConfigureAwait(false);
                break;
            case LeaveNotifier.ApprovalCard:
                // Decided or withdrawn meanwhile: there is nothing left to ask.
                break;
            case LeaveNotifier.DecisionNotice:
                await notifier.NotifyRequesterNowAsync(request, cancellationToken).ConfigureAwait(false);
                break;
            case LeaveNotifier.CardUpdate:
                await notifier.UpdateCardsNowAsync(request, null, cancellationToken).ConfigureAwait(false);
                break;
            case LeaveNotifier.HostHandover when request.Status == LeaveStatus.Approved:
                await notifier.HandToHostNowAsync(request, cancellationToken).ConfigureAwait(false);
                break;
            case LeaveNotifier.HostHandover:
                // Withdrawn meanwhile: nothing to hand over.
                break;
            default:
                throw new PermanentJobFailureException($"Unknown leave delivery '{data.What}'.");
        }
    }
}
