using ChatRegs.Bot.Localization;
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
}

/// <summary>
/// Where a callback hands a complaint over to the complaints feature (顾客投诉处理). Called in
/// the rep's turn, right after the finished call was saved, when the customer accepted the
/// offer to register a complaint. The implementation registers it (it may send the rep a card
/// to complete it) and returns the complaint's number, or null when none was registered. It
/// must not start a dialog: the callback dialog is still ending on this turn — send a card
/// whose buttons the complaints feature handles instead.
/// </summary>
public interface IComplaintIntake
{
    Task<string?> StartFromCallbackAsync(ITurnContext turnContext, CallbackComplaintDraft draft, CancellationToken cancellationToken);
}

/// <summary>Until the complaints feature exists: tells the rep, registers nothing (the record keeps that the customer wanted to complain).</summary>
public sealed class ComplaintsNotAvailable(Localizer localizer) : IComplaintIntake
{
    public async Task<string?> StartFromCallbackAsync(ITurnContext turnContext, CallbackComplaintDraft draft, CancellationToken cancellationToken)
    {
        await turnContext.SendActivityAsync(MessageFactory.Text(localizer.Get(turnContext.Activity.Locale ?? "", "callbacks.complaint.notAvailable", draft.CustomerName)), cancellationToken).ConfigureAwait(false);
        return null;
    }
}
