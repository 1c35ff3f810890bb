using System.Text.Json.Nodes;
using ChatRegs.Bot.Cards;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.Leave;

/// <summary>The leave cards' data (templates in Cards/: LeaveTarget, LeaveForm, LeaveApproval, LeaveList, LeaveRecords).</summary>
public sealed class LeaveCards(ICardFactory cards, LeaveText text)
{
    public const string ApproveVerb = "leave.approve";
    public const string RejectVerb = "leave.reject";
    public const string WithdrawVerb = "leave.withdraw";
    public const string ShowVerb = "leave.show";
    public const string RecordsVerb = "leave.records";
    public const string ExportVerb = "leave.export";

    public LeaveText Text => text;

    /// <summary>
    /// The approval card (请假审批): the request, the late mark, the work handed in, and — while it
    /// is pending — the comment box with Approve / Reject. Once decided or withdrawn it shows the
    /// outcome and no buttons.
    /// </summary>
    /// <param name="notice">A line about what the click did; <paramref name="noticeIsError"/> shows it as a problem (not saved).</param>
    public Attachment Approval(LeaveRequest r, string locale, string? notice = null, IReadOnlyDictionary<string, string>? errors = null, string? comment = null, bool noticeIsError = false)
    {
        var pending = r.Status == LeaveStatus.Pending;
        var hasWork = r.WorkSummary != null || r.WorkPlan != null;
        var data = new JsonObject
        {
            ["id"] = r.Id,
            ["heading"] = text.L(locale, "approval.heading", Name(r)),
            ["late"] = r.Late,
            ["lateNote"] = text.L(locale, r.Kind == LeaveKind.Meeting ? "approval.lateMeeting" : "approval.lateDays", LeaveText.Stamp(r.SubmittedAt, r.Zone, locale)),
            ["requester"] = Name(r),
            ["what"] = text.What(r, locale),
            ["when"] = text.When(r, locale),
            ["type"] = text.Type(locale, r.Type),
            ["submitted"] = LeaveText.Stamp(r.SubmittedAt, r.Zone, locale),
            ["approver"] = r.ApproverName.Length > 0 ? r.ApproverName : r.ApproverId,
            ["reason"] = r.Reason,
            ["hasWork"] = hasWork,
            ["workSource"] = r.LinkedReportWeek != null ? text.L(locale, "approval.fromReport", r.LinkedReportWeek) : text.L(locale, "approval.fromForm"),
            ["summary"] = r.WorkSummary ?? "",
            ["plan"] = r.WorkPlan ?? "",
            ["status"] = text.Decision(r, locale),
            ["statusColor"] = LeaveText.StatusColor(r.Status),
            ["hasComment"] = !string.IsNullOrEmpty(r.Comment),
            ["comment"] = r.Comment is { Length: > 0 } c ? text.L(locale, "approval.comment", c) : "",
            ["hasNotice"] = !string.IsNullOrEmpty(notice),
            ["notice"] = notice ?? "",
            ["noticeColor"] = noticeIsError ? "Attention" : "Accent",
            ["pending"] = pending,
            ["values"] = new JsonObject { ["comment"] = comment ?? "" },
            ["errors"] = CardData.Errors(errors),
        };
        return cards.Create("LeaveApproval", data, locale);
    }

    /// <summary>"我的请假": my requests with their status (withdraw while pending), and those waiting for my decision.</summary>
    public Attachment List(IReadOnlyList<LeaveRequest> mine, IReadOnlyList<LeaveRequest> toApprove, int max, string locale, string? notice = null)
    {
        var shown = mine.OrderByDescending(r => r.Status == LeaveStatus.Pending).ThenByDescending(r => r.FromUtc).Take(max).ToList();
        var items = new JsonArray(shown.Select(r => (JsonNode)new JsonObject
        {
            ["id"] = r.Id,
            ["title"] = text.What(r, locale),
            ["when"] = text.When(r, locale),
            ["type"] = text.Type(locale, r.Type) + (r.Late ? text.L(locale, "list.lateTag") : ""),
            ["statusColor"] = LeaveText.StatusColor(r.Status),
            ["decision"] = text.Decision(r, locale),
            ["hasComment"] = !string.IsNullOrEmpty(r.Comment),
            ["comment"] = r.Comment is { Length: > 0 } c ? text.L(locale, "approval.comment", c) : "",
            ["canWithdraw"] = r.Status == LeaveStatus.Pending,
        }).ToArray());
        var approvals = new JsonArray(toApprove.OrderBy(r => r.FromUtc).Take(max).Select(r => (JsonNode)new JsonObject
        {
            ["id"] = r.Id,
            ["title"] = text.L(locale, "list.approvalTitle", Name(r), text.What(r, locale)),
            ["when"] = text.When(r, locale) + (r.Late ? text.L(locale, "list.lateTag") : ""),
        }).ToArray());
        var data = new JsonObject
        {
            ["hasNotice"] = !string.IsNullOrEmpty(notice),
            ["notice"] = notice ?? "",
            ["isEmpty"] = shown.Count == 0,
            ["items"] = items,
            ["hasMore"] = mine.Count > shown.Count,
            ["more"] = text.L(locale, "list.more", shown.Count, mine.Count),
            ["hasApprovals"] = approvals.Count > 0,
            ["approvalsHeading"] = text.L(locale, "list.approvals", toApprove.Count),
            ["approvals"] = approvals,
        };
        return cards.Create("LeaveList", data, locale);
    }

    /// <summary>The office's records (请假记录): the filter form, the requests found, and the CSV button.</summary>
    /// <param name="filter">The filter applied; null when the form had errors (then <paramref name="typed"/> is shown back).</param>
    public Attachment Records(IReadOnlyList<LeaveRequest> found, LeaveRecordFilter? filter, int max, string locale, IReadOnlyDictionary<string, string>? errors = null, IReadOnlyDictionary<string, string>? typed = null)
    {
        var shown = found.Take(max).ToList();
        var items = new JsonArray(shown.Select(r => (JsonNode)new JsonObject
        {
            ["title"] = text.L(locale, "records.itemTitle", Name(r), text.Type(locale, r.Type), text.Status(locale, r.Status)),
            ["statusColor"] = LeaveText.StatusColor(r.Status),
            ["when"] = text.Title(r, locale) + (r.Late ? text.L(locale, "list.lateTag") : ""),
            ["reason"] = text.L(locale, "records.reason", r.Reason),
            ["decision"] = text.Decision(r, locale) + (r.Comment is { Length: > 0 } c ? text.L(locale, "records.commentSuffix", c) : ""),
        }).ToArray());
        var data = new JsonObject
        {
            ["summary"] = filter == null ? text.L(locale, "records.fix") : text.L(locale, "records.summary", filter.Describe(text, locale), found.Count),
            ["isEmpty"] = filter != null && found.Count == 0,
            ["items"] = items,
            ["hasMore"] = found.Count > shown.Count,
            ["more"] = text.L(locale, "records.more", shown.Count, found.Count),
            ["values"] = new JsonObject
            {
                ["month"] = filter?.MonthText ?? typed?.GetValueOrDefault("month") ?? "",
                ["person"] = filter?.Person ?? typed?.GetValueOrDefault("person") ?? "",
                ["status"] = filter?.Status?.ToString().ToLowerInvariant() ?? typed?.GetValueOrDefault("status") ?? "all",
            },
            ["errors"] = CardData.Errors(errors),
        };
        return cards.Create("LeaveRecords", data, locale);
    }

    private static string Name(LeaveRequest r) => r.UserName.Length > 0 ? r.UserName : r.UserId;

}
