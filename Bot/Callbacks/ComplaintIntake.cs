using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Scheduling;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Callbacks;

/// <summary>
/// A complaint to register from a callback whose customer answered 一般 or 不满意 and wanted
/// to complain (the 顾客投诉登记表's first fields, filled from the call).
/// </summary>
public sealed record CallbackComplaintDraft
{
    public required string TenantId { get; init; }

    /// <summary>The callback task and the call record the complaint comes from.</summary>
    public required string TaskId { get; init; }

    public required int RecordNumber { get; init; }

    /// <summary>投诉人.</summary>
    public required string CustomerName { get; init; }

    /// <summary>"mr", "ms" or "miss" (先生 / 女士 / 小姐).</summary>
    public required string Title { get; init; }

    public required string Phone { get; init; }

    public bool IsMember { get; init; }

    public required string ServiceItem { get; init; }

    public DateOnly ServiceDate { get; init; }

    /// <summary>The rep who took it on the call (受理人).</summary>
    public required string RepId { get; init; }

    public required string RepName { get; init; }

    /// <summary>投诉时间: when the call ended.</summary>
    public DateTimeOffset ReceivedUtc { get; init; }

    public Satisfaction Satisfaction { get; init; }

    /// <summary>投诉内容: what the customer said they were not satisfied with, in their words.</summary>
    public required string CustomerWords { get; init; }

    /// <summary>The rep's follow-up note, if any.</summary>
    public string? FollowUpNote { get; init; }

    /// <summary>The script version read on the call ("regulation-7 v1").</summary>
    public required string Script { get; init; }

    /// <summary>The draft a saved call record hands over (the record notes the customer accepted).</summary>
    public static CallbackComplaintDraft From(CallRecord record) => new()
    {
        TenantId = record.TenantId,
        TaskId = record.TaskId,
        RecordNumber = record.Number,
        CustomerName = record.CustomerName,
        Title = record.Title,
        Phone = record.Phone,
        IsMember = record.IsMember,
        ServiceItem = record.ServiceItem,
        ServiceDate = record.ServiceDate,
        RepId = record.RepId,
        RepName = record.RepName,
        ReceivedUtc = record.EndedUtc,
        Satisfaction = record.Satisfaction,
        CustomerWords = record.ComplaintWords ?? record.CustomerWords,
        FollowUpNote = record.FollowUpNote,
        Script = $"{record.ScriptId} v{record.ScriptVersion}",
    };
}

/// <summary>
/// Where a callback hands a complaint over to the complaints feature (顾客投诉处理). Called in
/// the rep's turn, right after the finished call was saved, when the customer accepted the
/// offer to register a complaint. The implementation registers it (it may send the rep a card
/// to complete it) and returns the complaint's number, or null when none was registered. It
/// must not start a dialog: the callback dialog is still ending on this turn — send a card
/// whose buttons the complaints feature handles instead.
/// <para>Both methods register at most one complaint per call record, however often they are
/// called (the call's follow-through job, <see cref="CallbackComplaintHandler"/>, calls
/// <see cref="RegisterLaterAsync"/> when the rep's turn could not).</para>
/// </summary>
public interface IComplaintIntake
{
    Task<string?> StartFromCallbackAsync(ITurnContext turnContext, CallbackComplaintDraft draft, CancellationToken cancellationToken);

    /// <summary>Registers it outside the rep's turn (the rep is sent what they would have seen); returns its number, or null when none is registered.</summary>
    Task<string?> RegisterLaterAsync(CallbackComplaintDraft draft, CancellationToken cancellationToken);
}

/// <summary>Until the complaints feature exists: tells the rep, registers nothing (the record keeps that the customer wanted to complain).</summary>
public sealed class ComplaintsNotAvailable(Localizer localizer) : IComplaintIntake
{
    public async Task<string?> StartFromCallbackAsync(ITurnContext turnContext, CallbackComplaintDraft draft, CancellationToken cancellationToken)
    {
        await turnContext.SendActivityAsync(MessageFactory.Text(localizer.Get(turnContext.Activity.Locale ?? "", "callbacks.complaint.notAvailable", draft.CustomerName)), cancellationToken).ConfigureAwait(false);
        return null;
    }

    public Task<string?> RegisterLaterAsync(CallbackComplaintDraft draft, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}

/// <summary>What a "callbacks.complaint" job carries: the call record whose customer accepted to complain.</summary>
public sealed record CallbackComplaintJob(string TaskId, int Number);

/// <summary>
/// "callbacks.complaint": the outbox of a finished call whose customer accepted to register a
/// complaint. Scheduled before the call is saved (<see cref="CallbackCallDialog"/>), so the
/// complaint cannot be lost between saving the call and registering it: when it runs and the
/// record says "accepted" but names no complaint, it registers it (once per record) and notes
/// its number on the record. A call that was not saved, or whose complaint is registered, leaves
/// nothing to do.
/// </summary>
public sealed class CallbackComplaintHandler(CallbackService service, IComplaintIntake complaints, ILogger<CallbackComplaintHandler> logger) : IJobHandler
{
    public const string JobKind = "callbacks.complaint";

    /// <summary>How long the job waits: the rep's turn registers it at once when it can.</summary>
    public static readonly TimeSpan Delay = TimeSpan.FromMinutes(1);

    public string Kind => JobKind;

    public static string JobId(string taskId, int number, string attempt) =>
        $"callbacks.complaint|{taskId}|{number}|{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(attempt)))[..16]}";

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var data = job.DataAs<CallbackComplaintJob>() ?? throw new PermanentJobFailureException("The job names no call.");
        var record = (await service.CallsOfTaskAsync(job.TenantId, data.TaskId, cancellationToken).ConfigureAwait(false)).FirstOrDefault(r => r.Number == data.Number);
        if (record is not { ComplaintAccepted: true, ComplaintId: null })
        {
            logger.LogInformation("Call {TaskId}#{Number}: no complaint left to register.", data.TaskId, data.Number);
            return;
        }
        var number = await complaints.RegisterLaterAsync(CallbackComplaintDraft.From(record), cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(number))
        {
            await service.LinkComplaintAsync(record, number, cancellationToken).ConfigureAwait(false);
        }
    }
}
