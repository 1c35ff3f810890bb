using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Conversations;
using CsvHelper;
using Microsoft.Bot.Builder;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Leave;

/// <summary>What the office filters the records by: a month (or all months), a person (name or id, part of it), a status.</summary>
public sealed partial record LeaveRecordFilter(int? Year, int? Month, string? Person, LeaveStatus? Status)
{
    public const string AllMonthsValue = "all";

    /// <summary>The month as the filter form shows it: "2026-11", or "all".</summary>
    public string MonthText => Year is { } y && Month is { } m ? $"{y:D4}-{m:D2}" : AllMonthsValue;

    public string Describe(LeaveText text, string locale) => string.Join(" · ",
        Year is { } y && Month is { } m ? text.L(locale, "records.month", y, m) : text.L(locale, "records.allMonths"),
        string.IsNullOrWhiteSpace(Person) ? text.L(locale, "records.everyone") : text.L(locale, "records.person", Person),
        Status is { } s ? text.Status(locale, s) : text.L(locale, "records.allStatuses"));

    public bool Matches(LeaveRequest r) =>
        (Status == null || r.Status == Status)
        && (string.IsNullOrWhiteSpace(Person)
            || r.UserName.Contains(Person.Trim(), StringComparison.OrdinalIgnoreCase)
            || r.UserId.Equals(Person.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Reads the filter form (or the command's argument as the month). Month: "2026-11",
    /// "2026/11", "2026年11月", "11月" (this year), empty (this month), "all"/"全部" (every month).
    /// </summary>
    public static (LeaveRecordFilter? Filter, Dictionary<string, string> ErrorKeys) Parse(string? month, string? person, string? status, DateOnly today)
    {
        var errors = new Dictionary<string, string>();
        int? year = today.Year, mon = today.Month;
        var m = TypedDigits.Fold(month).Trim();
        if (m.Equals(AllMonthsValue, StringComparison.OrdinalIgnoreCase) || m is "全部" or "所有")
        {
            year = null;
            mon = null;
        }
        else if (m.Length > 0)
        {
            var match = MonthPattern().Match(m);
            var y = match.Success && match.Groups["y"].Success ? int.Parse(match.Groups["y"].Value, CultureInfo.InvariantCulture) : today.Year;
            var n = match.Success ? int.Parse(match.Groups["m"].Value, CultureInfo.InvariantCulture) : 0;
            if (!match.Success || n is < 1 or > 12 || y is < 2000 or > 2100)
            {
                errors["month"] = "records.badMonth";
            }
            else
            {
                year = y;
                mon = n;
            }
        }
        LeaveStatus? s = null;
        var st = (status ?? "").Trim();
        if (st.Length > 0 && !st.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            if (Enum.TryParse<LeaveStatus>(st, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(st[0]))
            {
                s = parsed;
            }
            else
            {
                errors["status"] = "records.badStatus";
            }
        }
        var p = (person ?? "").Trim();
        if (p.Length > 100)
        {
            errors["person"] = "records.badPerson";
        }
        return errors.Count > 0 ? (null, errors) : (new LeaveRecordFilter(year, mon, p.Length == 0 ? null : p, s), errors);
    }

    [GeneratedRegex(@"^(?:(?<y>[0-9]{4})\s*[-/年.]?\s*)?(?<m>[0-9]{1,2})\s*月?$")]
    private static partial Regex MonthPattern();
}

/// <summary>The office's view of the archive (请假条送办公室备查): filter, card, CSV.</summary>
public sealed class LeaveRecords(LeaveStore store, LeaveCards cards, LeaveService service, IAuthorizationService authorization, TeamClock clock)
{
    public DateOnly Today => clock.Today;

    /// <summary>The requests the filter finds, by the leave's first day.</summary>
    public async Task<IReadOnlyList<LeaveRequest>> FindAsync(string tenantId, LeaveRecordFilter filter, CancellationToken cancellationToken)
    {
        var all = filter.Year is { } y && filter.Month is { } m
            ? await store.ListMonthAsync(tenantId, y, m, cancellationToken).ConfigureAwait(false)
            : await store.ListAllAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return all.Where(filter.Matches).OrderBy(r => r.FromUtc).ThenBy(r => r.UserName, StringComparer.CurrentCulture).ToList();
    }

    /// <summary>Office only: says why not and returns false for anyone else.</summary>
    public Task<bool> AllowedAsync(ITurnContext turnContext, CancellationToken cancellationToken) =>
        authorization.EnsureAllowedAsync(turnContext, LeavePermissions.ViewLeaveRecords, null, cancellationToken);

    public async Task<Microsoft.Bot.Schema.Attachment> CardAsync(string tenantId, LeaveRecordFilter filter, string locale, CancellationToken cancellationToken) =>
        cards.Records(await FindAsync(tenantId, filter, cancellationToken).ConfigureAwait(false), filter, service.Options.MaxListed, locale);

    /// <summary>
    /// Every request found, one line each, with the decision (who, when, comment), in the reader's
    /// language, written with CsvHelper (RFC 4180; a cell starting with = + - @ is escaped so a
    /// spreadsheet never runs it as a formula).
    /// </summary>
    public string Csv(IReadOnlyList<LeaveRequest> requests, string locale)
    {
        var text = cards.Text;
        string H(string key) => text.L(locale, "csv." + key);
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(writer, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true))
        {
            csv.WriteRecord(new[]
            {
                H("id"), H("name"), H("userId"), H("kind"), H("meeting"), H("from"), H("to"), H("workingDays"), H("type"), H("reason"),
                H("summary"), H("plan"), H("report"), H("late"), H("submitted"), H("approver"), H("status"), H("decidedBy"), H("decidedAt"), H("comment"),
            });
            foreach (var r in requests)
            {
                // Leave by days shows the days people mean (a one-day leave starts and ends on that
                // day), with the half when it starts in the afternoon or ends after the morning.
                string Day(DateOnly? date, string? halfKey) => date is { } d
                    ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + (halfKey == null ? "" : " " + text.L(locale, halfKey))
                    : "";
                string Local(DateTimeOffset? at) => at is { } a ? TeamClock.LocalIn(a, r.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "";
                csv.WriteRecord(new[]
                {
                    r.Id, r.UserName, r.UserId, text.L(locale, "csv.kinds." + (r.Kind == LeaveKind.Meeting ? "meeting" : "days")),
                    r.Kind == LeaveKind.Meeting ? r.SeriesName ?? "" : "",
                    r.Kind == LeaveKind.Days ? Day(r.FromDate, r.FromHalf == HalfDay.Afternoon ? "text.afternoon" : null) : Local(r.FromUtc),
                    r.Kind == LeaveKind.Days ? Day(r.ToDate, r.ToHalf == HalfDay.Morning ? "text.morning" : null) : Local(r.ToUtc),
                    r.Kind == LeaveKind.Days ? LeaveText.Days(r.WorkingDays) : "",
                    text.Type(locale, r.Type), r.Reason, r.WorkSummary ?? "", r.WorkPlan ?? "", r.LinkedReportWeek ?? "",
                    r.Late ? text.L(locale, "csv.yes") : "", Local(r.SubmittedAt), r.ApproverName.Length > 0 ? r.ApproverName : r.ApproverId,
                    text.Status(locale, r.Status), r.DecidedByName ?? "", Local(r.DecidedAt), r.Comment ?? "",
                });
            }
            csv.Flush();
        }
        return writer.ToString();
    }

    /// <summary>The CSV as a file: its name ("leave-2026-11.csv") and UTF-8 bytes with a BOM, so Excel reads the Chinese.</summary>
    public static (string Name, byte[] Bytes) CsvFile(string csv, LeaveRecordFilter filter) =>
        ($"leave-{filter.MonthText}.csv", Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray());

    public static string TenantOf(ITurnContext turnContext) => Tenants.Of(turnContext.Activity) ?? "";
}
