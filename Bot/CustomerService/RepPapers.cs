using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ChatRegs.Bot.Calendar;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Complaints;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Storage;
using ChatRegs.Cards;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;

namespace ChatRegs.Bot.CustomerService;

/// <summary>What a paper form's fields said: the values as typed and the errors by field (none: valid).</summary>
public sealed record PaperInput(IReadOnlyDictionary<string, string> Values, IReadOnlyDictionary<string, string> Errors)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>One rep's line of the supervisor's overview of a month.</summary>
public sealed record PaperRow(string UserId, string Name, int Logs, MonthlyPaper? Report, MonthlyPaper? Summary);

/// <summary>
/// The reps' own papers (客服工作职责(1) 第五条(4) 工作日志、周报、月报; 第六条(6) 工作日志, 每月上报工作总结):
/// the daily 工作日志 (one per rep per day, editable that day, pre-filled with the day's calls and
/// complaint steps), the 月报 and the 工作总结 of a month (due by <see cref="CustomerServiceOptions.MonthlyDueDay"/>
/// of the next month: the regulation names no deadline), the reminders and the supervisor's overview and
/// export. The only caller of <see cref="CustomerServiceStore"/>'s paper rows.
/// </summary>
public sealed partial class RepPapers(
    CustomerServiceStore store,
    CustomerFiles files,
    CallbackService callbacks,
    ComplaintService complaints,
    PeopleDirectory people,
    RoleHolders roles,
    WorkingDayCalendar calendar,
    ProactiveSender sender,
    Localizer localizer,
    IOptions<CustomerServiceOptions> options,
    TeamClock clock,
    ILogger<RepPapers> logger)
{
    public const string MarkdownType = "text/markdown";

    /// <summary>Lines of the day's or month's facts kept at most.</summary>
    public const int MaxFacts = 60;

    public CustomerServiceOptions Options { get; } = options.Value;

    public TeamClock Clock => clock;

    public DateOnly Today => clock.Today;

    [GeneratedRegex(@"^(\d{4})-(\d{1,2})$")]
    private static partial Regex MonthPattern();

    private string L(string locale, string key, params object?[] args) => localizer.Get(locale, "repPapers." + key, args);

    public static string MonthOf(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    public static DateOnly FirstDay(string month) => DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A month typed ("2026-11", "上月", "本月", "last month", "this month"; "" the default), or null when unreadable.</summary>
    public string? ParseMonth(string text)
    {
        var t = text.Trim();
        var today = Today;
        if (t.Length == 0)
        {
            return DefaultMonth(today);
        }
        if (t is "上月" or "上个月" || t.Equals("last month", StringComparison.OrdinalIgnoreCase))
        {
            return MonthOf(today.AddMonths(-1));
        }
        if (t is "本月" or "这个月" || t.Equals("this month", StringComparison.OrdinalIgnoreCase))
        {
            return MonthOf(today);
        }
        var m = MonthPattern().Match(t);
        if (!m.Success || !int.TryParse(m.Groups[1].Value, out var y) || !int.TryParse(m.Groups[2].Value, out var mo) || y is < 2000 or > 2100 || mo is < 1 or > 12)
        {
            return null;
        }
        return $"{y:D4}-{mo:D2}";
    }

    /// <summary>Until the due day, the month just ended (what is being handed in); after it, the current month.</summary>
    public string DefaultMonth(DateOnly today) => today.Day <= Options.EffectiveMonthlyDueDay ? MonthOf(today.AddMonths(-1)) : MonthOf(today);

    /// <summary>The last day to hand in a month's papers: the due day of the next month.</summary>
    public DateOnly DueDay(string month) => FirstDay(month).AddMonths(1).AddDays(Options.EffectiveMonthlyDueDay - 1);

    /// <summary>After the due day (team time).</summary>
    public bool IsPastDeadline(string month) => Today > DueDay(month);

    public string DueText(string month) => DueDay(month).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 24:00";

    public async Task<Person?> PersonAsync(string tenantId, string userId, CancellationToken cancellationToken) =>
        await people.GetAsync(tenantId, userId, cancellationToken).ConfigureAwait(false) is { } person ? roles.Resolve(person) : null;

    public async Task<IReadOnlyList<Person>> RepsAsync(string tenantId, CancellationToken cancellationToken) =>
        (await roles.HoldersAsync(tenantId, Roles.CsRep, cancellationToken).ConfigureAwait(false)).People;

    // ---- facts ----

    private string Time(DateTimeOffset t) => clock.Local(t).ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The rep's calls and complaint steps of one day, as lines in <paramref name="locale"/>, in time order.</summary>
    public async Task<IReadOnlyList<string>> DayFactsAsync(string tenantId, string userId, DateOnly day, string locale, CancellationToken cancellationToken)
    {
        var from = clock.ToUtc(day, TimeOnly.MinValue);
        var to = clock.ToUtc(day.AddDays(1), TimeOnly.MinValue);
        var lines = new List<(DateTimeOffset At, string Text)>();
        foreach (var call in (await callbacks.CallRecordsAsync(tenantId, from, to, cancellationToken).ConfigureAwait(false)).Where(c => c.RepId == userId))
        {
            var outcome = CallbackText.Outcome(localizer, locale, call.Outcome);
            if (call.Outcome == CallOutcome.Finished)
            {
                outcome += " · " + CallbackText.Satisfaction(localizer, locale, call.Satisfaction);
            }
            lines.Add((call.EndedUtc, L(locale, "log.callFact", Time(call.EndedUtc), CallbackText.Customer(localizer, locale, call.CustomerName, call.Title), call.ServiceItem, outcome)));
        }
        foreach (var (complaint, e) in await ComplaintStepsAsync(tenantId, userId, from, to, cancellationToken).ConfigureAwait(false))
        {
            var details = TextCaps.Truncate(e.Details.ReplaceLineEndings(" "), 100) ?? "";
            lines.Add((e.AtUtc, L(locale, "log.complaintFact", Time(e.AtUtc), complaint.Number, localizer.Get(locale, "complaints.events." + e.Action), details).TrimEnd(' ', '·')));
        }
        return lines.OrderBy(l => l.At).Select(l => l.Text).Take(MaxFacts).ToList();
    }

    /// <summary>The complaint steps the person took in [from, to): the events of the complaints touched then.</summary>
    private async Task<IReadOnlyList<(Complaint Complaint, ComplaintEvent Event)>> ComplaintStepsAsync(string tenantId, string userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        bool In(DateTimeOffset? t) => t is { } v && v >= from && v < to;
        var result = new List<(Complaint, ComplaintEvent)>();
        foreach (var c in await complaints.ListAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            if (!In(c.RegisteredUtc) && !c.Spans.Any(s => In(s.EnteredUtc) || In(s.LeftUtc)))
            {
                continue;
            }
            foreach (var e in await complaints.EventsAsync(tenantId, c.Number, cancellationToken).ConfigureAwait(false))
            {
                if (e.ActorId == userId && In(e.AtUtc) && e.Action is not ("reminded" or "escalated"))
                {
                    result.Add((c, e));
                }
            }
        }
        return result;
    }

    /// <summary>The rep's month in figures: calls, complaints, logs, customers.</summary>
    public async Task<IReadOnlyList<string>> MonthFactsAsync(string tenantId, string userId, string month, string locale, CancellationToken cancellationToken)
    {
        var first = FirstDay(month);
        var from = clock.ToUtc(first, TimeOnly.MinValue);
        var to = clock.ToUtc(first.AddMonths(1), TimeOnly.MinValue);
        var calls = (await callbacks.CallRecordsAsync(tenantId, from, to, cancellationToken).ConfigureAwait(false)).Where(c => c.RepId == userId).ToList();
        var finished = calls.Where(c => c.Outcome == CallOutcome.Finished).ToList();
        var registered = (await complaints.ListAsync(tenantId, cancellationToken).ConfigureAwait(false)).Count(c => c.RegisteredById == userId && c.RegisteredUtc >= from && c.RegisteredUtc < to);
        var steps = (await ComplaintStepsAsync(tenantId, userId, from, to, cancellationToken).ConfigureAwait(false)).Count;
        var logs = (await store.LogsAsync(tenantId, first, first.AddMonths(1).AddDays(-1), cancellationToken).ConfigureAwait(false)).Count(l => l.UserId == userId);
        var owned = (await files.SyncAsync(tenantId, cancellationToken).ConfigureAwait(false)).Where(f => f.OwnerId == userId).ToList();
        return
        [
            L(locale, "month.factCalls", calls.Count, finished.Count, finished.Count(c => c.Satisfaction == Satisfaction.Satisfied),
                finished.Count(c => c.Satisfaction == Satisfaction.Average), finished.Count(c => c.Satisfaction == Satisfaction.Dissatisfied)),
            L(locale, "month.factComplaints", registered, steps),
            L(locale, "month.factLogs", logs),
            L(locale, "month.factCustomers", owned.Count, owned.Count(f => !f.IsContacted)),
        ];
    }

    // ---- reading and checking a form ----

    /// <summary>The paper's fields as typed, each checked: the first required, every one at most <see cref="CustomerServiceOptions.FieldMaxLength"/>.</summary>
    public PaperInput Read(string kind, Func<string, string> field, string locale)
    {
        var max = Options.EffectiveFieldMaxLength;
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var id in RepReportKinds.FieldsOf(kind))
        {
            var text = field(id);
            values[id] = text;
            var label = L(locale, "fields." + id);
            if (text.Length > max)
            {
                errors[id] = L(locale, "errors.tooLong", label, max, text.Length);
            }
            else if (text.Length == 0 && id == RepReportKinds.RequiredOf(kind))
            {
                errors[id] = L(locale, "errors.required", label);
            }
        }
        return new PaperInput(values, errors);
    }

    // ---- saving ----

    public Task<WorkLog?> LogAsync(string tenantId, DateOnly day, string userId, CancellationToken cancellationToken) =>
        store.GetLogAsync(tenantId, day, userId, cancellationToken);

    /// <summary>Saves today's log (a conflict — the same person saving from two places at once — is "not saved, try again").</summary>
    public async Task<WorkLog> SaveLogAsync(Person actor, IReadOnlyDictionary<string, string> fields, IReadOnlyList<string> facts, CancellationToken cancellationToken)
    {
        var today = Today;
        var now = clock.Now;
        var existing = await store.GetLogAsync(actor.TenantId, today, actor.UserId, cancellationToken).ConfigureAwait(false);
        var log = new WorkLog
        {
            TenantId = actor.TenantId,
            UserId = actor.UserId,
            UserName = actor.Name,
            Date = today,
            Facts = facts,
            Fields = fields,
            FirstSavedUtc = existing?.FirstSavedUtc ?? now,
            SavedUtc = now,
            ETag = existing?.ETag,
        };
        return (await store.SaveLogAsync(log, cancellationToken).ConfigureAwait(false)).OrThrow();
    }

    public Task<MonthlyPaper?> PaperAsync(string tenantId, string month, string kind, string userId, CancellationToken cancellationToken) =>
        store.GetPaperAsync(tenantId, month, kind, userId, cancellationToken);

    public async Task<MonthlyPaper> SavePaperAsync(Person actor, string month, string kind, MonthlyPaper? existing, IReadOnlyDictionary<string, string> fields, IReadOnlyList<string> facts, CancellationToken cancellationToken)
    {
        var now = clock.Now;
        var paper = new MonthlyPaper
        {
            TenantId = actor.TenantId,
            UserId = actor.UserId,
            UserName = actor.Name,
            Month = month,
            Kind = kind,
            Facts = facts,
            Fields = fields,
            FirstSavedUtc = existing?.FirstSavedUtc ?? now,
            SavedUtc = now,
            Late = existing?.Late ?? IsPastDeadline(month),
            ETag = existing?.ETag,
        };
        return (await store.SavePaperAsync(paper, cancellationToken).ConfigureAwait(false)).OrThrow();
    }

    // ---- the supervisor's overview and export ----

    /// <summary>Working days of the month up to today (all of them for a past month).</summary>
    public int WorkingDaysSoFar(string month)
    {
        var first = FirstDay(month);
        var last = first.AddMonths(1).AddDays(-1);
        if (Today < last)
        {
            last = Today;
        }
        var n = 0;
        for (var d = first; d <= last; d = d.AddDays(1))
        {
            if (calendar.IsWorkingDay(d))
            {
                n++;
            }
        }
        return n;
    }

    /// <summary>Every rep (and anyone else who handed something in) with what they handed in for the month.</summary>
    public async Task<(IReadOnlyList<PaperRow> Rows, IReadOnlyList<WorkLog> Logs, IReadOnlyList<MonthlyPaper> Papers)> MonthAsync(string tenantId, string month, CancellationToken cancellationToken)
    {
        var first = FirstDay(month);
        var logs = await store.LogsAsync(tenantId, first, first.AddMonths(1).AddDays(-1), cancellationToken).ConfigureAwait(false);
        var papers = await store.PapersAsync(tenantId, month, cancellationToken).ConfigureAwait(false);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rep in await RepsAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            names[rep.UserId] = rep.Name;
        }
        foreach (var l in logs)
        {
            names.TryAdd(l.UserId, l.UserName);
        }
        foreach (var p in papers)
        {
            names.TryAdd(p.UserId, p.UserName);
        }
        var rows = names.Select(n => new PaperRow(n.Key, n.Value,
                logs.Count(l => l.UserId == n.Key),
                papers.FirstOrDefault(p => p.UserId == n.Key && p.Kind == RepReportKinds.Report),
                papers.FirstOrDefault(p => p.UserId == n.Key && p.Kind == RepReportKinds.Summary)))
            .OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        return (rows, logs, papers);
    }

    /// <summary>
    /// The month as Markdown: per rep, the monthly report, the work summary and every day's log
    /// with what the bot recorded. Everything typed is escaped (<see cref="MarkdownText"/>).
    /// </summary>
    public async Task<byte[]> MarkdownAsync(string tenantId, string month, string locale, CancellationToken cancellationToken)
    {
        static string Line(string text) => MarkdownText.EscapeOneLine(text);
        static string Lines(string text) => MarkdownText.EscapeLines(text);
        var (rows, logs, _) = await MonthAsync(tenantId, month, cancellationToken).ConfigureAwait(false);
        var sb = new StringBuilder();
        sb.Append("# ").AppendLine(Line(L(locale, "overview.mdTitle", month)));
        foreach (var row in rows)
        {
            sb.AppendLine();
            sb.Append("## ").AppendLine(Line(row.Name));
            foreach (var (kind, paper) in new[] { (RepReportKinds.Report, row.Report), (RepReportKinds.Summary, row.Summary) })
            {
                sb.AppendLine();
                sb.Append("### ").Append(Line(L(locale, "kinds." + kind)));
                if (paper == null)
                {
                    sb.Append(' ').AppendLine(Line(L(locale, "overview.mdNoPaper")));
                    continue;
                }
                sb.Append(" (").Append(Line(clock.Local(paper.SavedUtc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)));
                sb.AppendLine(paper.Late ? ", " + Line(L(locale, "overview.handedInLate")) + ")" : ")");
                AppendPaper(sb, RepReportKinds.FieldsOf(kind), paper.Fields, paper.Facts, locale);
            }
            sb.AppendLine();
            sb.Append("### ").AppendLine(Line(L(locale, "overview.mdLogs")));
            foreach (var log in logs.Where(l => l.UserId == row.UserId).OrderBy(l => l.Date))
            {
                sb.AppendLine();
                sb.Append("#### ").AppendLine(log.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                AppendPaper(sb, RepReportKinds.LogFields, log.Fields, log.Facts, locale);
            }
        }
        return Encoding.UTF8.GetBytes(sb.ToString());

        void AppendPaper(StringBuilder sb, string[] ids, IReadOnlyDictionary<string, string> fields, IReadOnlyList<string> facts, string loc)
        {
            if (facts.Count > 0)
            {
                sb.AppendLine();
                sb.Append("**").Append(Line(L(loc, "overview.mdFacts"))).AppendLine("**");
                sb.AppendLine();
                foreach (var fact in facts)
                {
                    sb.Append("- ").AppendLine(Line(fact));
                }
            }
            foreach (var id in ids)
            {
                if (fields.TryGetValue(id, out var text) && text.Length > 0)
                {
                    sb.AppendLine();
                    sb.Append("**").Append(Line(L(loc, "fields." + id))).AppendLine("**");
                    sb.AppendLine();
                    sb.AppendLine(Lines(text));
                }
            }
        }
    }

    // ---- reminders ----

    /// <summary>Working days at <see cref="CustomerServiceOptions.LogReminderAt"/>: the reps on duty without today's log are reminded. Answers how many.</summary>
    public async Task<int> RemindLogsAsync(string tenantId, CancellationToken cancellationToken)
    {
        var today = Today;
        if (!calendar.IsWorkingDay(today))
        {
            return 0;
        }
        var written = (await store.LogsAsync(tenantId, today, today, cancellationToken).ConfigureAwait(false)).Select(l => l.UserId).ToHashSet(StringComparer.Ordinal);
        var n = 0;
        foreach (var rep in (await RepsAsync(tenantId, cancellationToken).ConfigureAwait(false)).Where(r => r.OnDuty && !written.Contains(r.UserId)))
        {
            var text = L(rep.PreferredLanguage, "remind.log", today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            await sender.SendToPersonAsync(tenantId, rep.UserId, MessageFactory.Text(text), $"repPapers.log {today:yyyy-MM-dd}", cancellationToken).ConfigureAwait(false);
            n++;
        }
        logger.LogInformation("Work-log reminder in tenant {TenantId}: {Count} reps reminded.", tenantId, n);
        return n;
    }

    /// <summary>On the 1st and on the due day: the reps missing last month's 月报 or 工作总结 are reminded (one message per paper). Answers how many.</summary>
    public async Task<int> RemindMonthlyAsync(string tenantId, CancellationToken cancellationToken)
    {
        var today = Today;
        if (today.Day != 1 && today.Day != Options.EffectiveMonthlyDueDay)
        {
            return 0;
        }
        var month = MonthOf(today.AddMonths(-1));
        var papers = await store.PapersAsync(tenantId, month, cancellationToken).ConfigureAwait(false);
        var n = 0;
        foreach (var rep in await RepsAsync(tenantId, cancellationToken).ConfigureAwait(false))
        {
            foreach (var (kind, command) in new[] { (RepReportKinds.Report, "monthlyReport"), (RepReportKinds.Summary, "workSummary") })
            {
                if (papers.Any(p => p.UserId == rep.UserId && p.Kind == kind))
                {
                    continue;
                }
                var locale = rep.PreferredLanguage;
                var text = L(locale, "remind.month", month, L(locale, "kinds." + kind), DueText(month), localizer.Get(locale, $"commands.{command}.name"));
                await sender.SendToPersonAsync(tenantId, rep.UserId, MessageFactory.Text(text), $"repPapers.{kind} {month}", cancellationToken).ConfigureAwait(false);
                n++;
            }
        }
        return n;
    }
}
