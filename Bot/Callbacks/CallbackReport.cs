using ChatRegs.Bot.Core;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ChatRegs.Bot.Localization;
using CsvHelper;

namespace ChatRegs.Bot.Callbacks;

/// <summary>One rep's figures in the 回访总结报告.</summary>
public sealed record RepFigures(string RepId, string Name, int Tasks, int Finished, int WithinWindow, int Calls,
    int Satisfied, int Average, int Dissatisfied, int Overdue, int Unreachable);

/// <summary>A complaint as customers put it, with how many said the same.</summary>
public sealed record ComplaintTheme(string Words, int Count);

/// <summary>A period of days, both ends included (team time).</summary>
public sealed record ReportPeriod(DateOnly From, DateOnly To)
{
    /// <summary>
    /// The years a period may fall in (as the leave records and the monthly attendance take
    /// them): records are no older, and a day near the ends of the calendar (0001-01-01,
    /// 9999-12-31) cannot be turned into an instant in the team's time zone or extended by a month.
    /// </summary>
    public const int FirstYear = 2000, LastYear = 2100;

    /// <summary>The period from one day to another, both in <see cref="FirstYear"/>–<see cref="LastYear"/> and in order; null otherwise.</summary>
    public static ReportPeriod? Of(DateOnly from, DateOnly to) =>
        from.Year is >= FirstYear and <= LastYear && to.Year is >= FirstYear and <= LastYear && from <= to ? new ReportPeriod(from, to) : null;

    /// <summary>
    /// Reads a period: nothing (this month), "本月"/"this month", "上月"/"last month", "2026-03",
    /// or two dates ("2026-03-01 2026-03-31", also with 至, ~, to). Null when it cannot.
    /// </summary>
    public static ReportPeriod? Parse(string? text, DateOnly today)
    {
        var t = TypedDigits.Fold(text).Trim();
        var month = new DateOnly(today.Year, today.Month, 1);
        if (t.Length == 0 || t is "本月" || t.Equals("this month", StringComparison.OrdinalIgnoreCase))
        {
            return new ReportPeriod(month, month.AddMonths(1).AddDays(-1));
        }
        if (t is "上月" or "上个月" || t.Equals("last month", StringComparison.OrdinalIgnoreCase))
        {
            var last = month.AddMonths(-1);
            return new ReportPeriod(last, month.AddDays(-1));
        }
        if (DateTime.TryParseExact(t, ["yyyy-MM", "yyyy-M", "yyyy/M", "yyyy年M月"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var m))
        {
            if (m.Year is < FirstYear or > LastYear)
            {
                return null;
            }
            var first = new DateOnly(m.Year, m.Month, 1);
            return new ReportPeriod(first, first.AddMonths(1).AddDays(-1));
        }
        var parts = Regex.Split(t, @"\s*(?:至|到|~|～|\bto\b|\s)\s*", RegexOptions.IgnoreCase).Where(p => p.Length > 0).ToArray();
        if (parts.Length == 2 && CallbackImport.TryDate(parts[0], out var from) && CallbackImport.TryDate(parts[1], out var to) && to.DayNumber - from.DayNumber <= 366)
        {
            return Of(from, to);
        }
        return null;
    }

    public bool Contains(DateOnly date) => date >= From && date <= To;

    public string Describe() => $"{CallbackDates.Iso(From)} – {CallbackDates.Iso(To)}";

    public string FileSuffix => $"{CallbackDates.Iso(From)}_{CallbackDates.Iso(To)}";
}

/// <summary>
/// The figures an analysis was written against (the report's main counts when it was saved), so
/// the report can say when they have changed since.
/// </summary>
public sealed record ReportFigures(int Tasks, int Finished, int WithinWindow, int Members, int MembersFinished,
    int Satisfied, int Average, int Dissatisfied, int Calls, int ComplaintsAccepted)
{
    public static ReportFigures Of(CallbackReportData r) =>
        new(r.Tasks, r.Finished, r.WithinWindow, r.Members, r.MembersFinished, r.Satisfied, r.Average, r.Dissatisfied, r.Calls, r.ComplaintsAccepted);
}

/// <summary>One day (or month) of a report's trend: customers served then, finished within three days, finished, satisfied.</summary>
public sealed record TrendPoint(string Label, int Served, int WithinWindow, int Finished, int Satisfied);

/// <summary>
/// The written part of a 《回访总结报告》 (客服工作职责(6): 最后分析结果并撰写《回访总结报告》): the
/// supervisor's analysis (分析结果) of one period, kept per tenant and period with the figures it
/// was written against. One row (<see cref="CallbackStore"/>); a second save replaces it at its ETag.
/// </summary>
public sealed record CallbackReportNote
{
    /// <summary>The longest analysis kept (characters): a page of text, far under Table Storage's 64 KiB property.</summary>
    public const int MaxAnalysis = 4000;

    public required string TenantId { get; init; }

    public required ReportPeriod Period { get; init; }

    public required string Analysis { get; init; }

    public required string WrittenById { get; init; }

    public string WrittenByName { get; init; } = "";

    public DateTimeOffset WrittenUtc { get; init; }

    /// <summary>The report's figures when the analysis was saved.</summary>
    public ReportFigures? Figures { get; init; }

    public string? ETag { get; init; }
}

/// <summary>
/// The 回访总结报告 of a period. The tasks counted are those whose service date falls in the
/// period; their calls are counted whenever they happened. Everything is measured from the
/// stored tasks and records, nothing assumed: member coverage is the members called back
/// (finished calls) over the members served.
/// </summary>
public sealed record CallbackReportData
{
    public required ReportPeriod Period { get; init; }

    public required DateOnly Today { get; init; }

    public int Tasks { get; init; }

    public int Finished { get; init; }

    /// <summary>Finished on or before the due day (服务后三天之内).</summary>
    public int WithinWindow { get; init; }

    public int Open { get; init; }

    public int Members { get; init; }

    public int MembersFinished { get; init; }

    public int MembersWithinWindow { get; init; }

    public int Satisfied { get; init; }

    public int Average { get; init; }

    public int Dissatisfied { get; init; }

    /// <summary>Call records: every attempt, booking and finished call.</summary>
    public int Calls { get; init; }

    public int FailedAttempts { get; init; }

    public int Bookings { get; init; }

    public int ComplaintsOffered { get; init; }

    public int ComplaintsAccepted { get; init; }

    public int FollowUps { get; init; }

    /// <summary>回访方式: the call records made by phone, by e-mail and by message.</summary>
    public int ByPhone { get; init; }

    public int ByEmail { get; init; }

    public int ByMessage { get; init; }

    public IReadOnlyList<ComplaintTheme> TopComplaints { get; init; } = [];

    public IReadOnlyList<RepFigures> Reps { get; init; } = [];

    public IReadOnlyList<CallbackTask> OverdueTasks { get; init; } = [];

    public IReadOnlyList<CallbackTask> UnreachableTasks { get; init; } = [];

    /// <summary>
    /// The period day by day (by month when it is longer than <see cref="TrendByDayUpTo"/> days),
    /// by service date: customers served, finished within three days, finished, satisfied. Only
    /// days (months) when someone was served are listed.
    /// </summary>
    public IReadOnlyList<TrendPoint> Trend { get; init; } = [];

    /// <summary>The longest period whose trend is drawn day by day.</summary>
    public const int TrendByDayUpTo = 62;

    /// <summary>Percent with one decimal, or null when there is nothing to divide by.</summary>
    public static double? Percent(int part, int whole) => whole == 0 ? null : Math.Round(100.0 * part / whole, 1, MidpointRounding.AwayFromZero);

    public double? MemberCoverage => Percent(MembersFinished, Members);

    public double? WithinWindowRate => Percent(WithinWindow, Tasks);

    public static string Format(double? percent) => percent is { } p ? p.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";

    public const int TopComplaintCount = 5;

    /// <summary>Computes the report from every task and record of the tenant.</summary>
    /// <summary>
    /// The calls a period's report counts: those to the customers served in the period (by the
    /// task's service date), in the order given. The report and its 回访记录表 both use this.
    /// </summary>
    public static IReadOnlyList<CallRecord> RecordsOf(IEnumerable<CallbackTask> allTasks, IEnumerable<CallRecord> allRecords, ReportPeriod period)
    {
        var ids = allTasks.Where(t => period.Contains(t.ServiceDate)).Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        return allRecords.Where(r => ids.Contains(r.TaskId)).ToList();
    }

    public static CallbackReportData Build(IEnumerable<CallbackTask> allTasks, IEnumerable<CallRecord> allRecords, ReportPeriod period, DateOnly today, Func<DateTimeOffset, DateOnly> dateOf)
    {
        var tasks = allTasks.Where(t => period.Contains(t.ServiceDate)).ToList();
        var records = RecordsOf(tasks, allRecords, period).ToList();
        bool Within(CallbackTask t) => t.Status == CallbackStatus.Finished && t.FinishedUtc is { } f && dateOf(f) <= t.DueDate;
        var finished = tasks.Where(t => t.Status == CallbackStatus.Finished).ToList();
        var finishedRecords = records.Where(r => r.Outcome == CallOutcome.Finished).ToList();

        var complaints = finishedRecords
            .Where(r => r.Satisfaction is Satisfaction.Average or Satisfaction.Dissatisfied && !string.IsNullOrWhiteSpace(r.ComplaintWords))
            .GroupBy(r => ComplaintKey(r.ComplaintWords!))
            .Select(g => new ComplaintTheme(Regex.Replace(g.OrderBy(r => r.EndedUtc).First().ComplaintWords!.Trim(), @"[\s\p{P}]+$", ""), g.Count()))
            .OrderByDescending(c => c.Count)
            .ThenBy(c => c.Words, StringComparer.Ordinal)
            .Take(TopComplaintCount)
            .ToList();

        var reps = tasks.GroupBy(t => t.RepId ?? "")
            .Select(g =>
            {
                var repRecords = records.Where(r => r.RepId == g.Key).ToList();
                var done = g.Where(t => t.Status == CallbackStatus.Finished).ToList();
                return new RepFigures(g.Key, g.Select(t => t.RepName).FirstOrDefault(n => !string.IsNullOrEmpty(n)) ?? "",
                    g.Count(), done.Count, g.Count(Within), repRecords.Count,
                    done.Count(t => t.Satisfaction == Satisfaction.Satisfied),
                    done.Count(t => t.Satisfaction == Satisfaction.Average),
                    done.Count(t => t.Satisfaction == Satisfaction.Dissatisfied),
                    g.Count(t => t.IsOverdue(today)),
                    g.Count(t => t.Status == CallbackStatus.Unreachable));
            })
            .OrderBy(r => r.RepId.Length == 0 ? 1 : 0)
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();

        return new CallbackReportData
        {
            Period = period,
            Today = today,
            Tasks = tasks.Count,
            Finished = finished.Count,
            WithinWindow = tasks.Count(Within),
            Open = tasks.Count(t => t.IsOpen),
            Members = tasks.Count(t => t.IsMember),
            MembersFinished = finished.Count(t => t.IsMember),
            MembersWithinWindow = tasks.Count(t => t.IsMember && Within(t)),
            Satisfied = finished.Count(t => t.Satisfaction == Satisfaction.Satisfied),
            Average = finished.Count(t => t.Satisfaction == Satisfaction.Average),
            Dissatisfied = finished.Count(t => t.Satisfaction == Satisfaction.Dissatisfied),
            Calls = records.Count,
            FailedAttempts = records.Count(r => r.Outcome is CallOutcome.NoAnswer or CallOutcome.WrongPerson),
            Bookings = records.Count(r => r.Outcome == CallOutcome.Booked),
            ComplaintsOffered = finishedRecords.Count(r => r.ComplaintOffered),
            ComplaintsAccepted = finishedRecords.Count(r => r.ComplaintAccepted),
            FollowUps = finishedRecords.Count(r => r.FollowUp),
            ByPhone = records.Count(r => r.Method == CallMethod.Phone),
            ByEmail = records.Count(r => r.Method == CallMethod.Email),
            ByMessage = records.Count(r => r.Method == CallMethod.Message),
            TopComplaints = complaints,
            Reps = reps,
            OverdueTasks = tasks.Where(t => t.IsOverdue(today)).OrderBy(t => t.DueDate).ThenBy(t => t.IsMember ? 0 : 1).ThenBy(t => t.CustomerName, StringComparer.Ordinal).ToList(),
            Trend = TrendOf(tasks, period, Within),
            UnreachableTasks = tasks.Where(t => t.Status == CallbackStatus.Unreachable).OrderBy(t => t.DueDate).ThenBy(t => t.CustomerName, StringComparer.Ordinal).ToList(),
        };
    }

    /// <summary>The period's trend (see <see cref="CallbackReportData.Trend"/>), oldest first.</summary>
    public static IReadOnlyList<TrendPoint> TrendOf(IReadOnlyList<CallbackTask> tasks, ReportPeriod period, Func<CallbackTask, bool> within)
    {
        var byDay = period.To.DayNumber - period.From.DayNumber + 1 <= CallbackReportData.TrendByDayUpTo;
        return tasks
            .GroupBy(t => byDay ? t.ServiceDate : new DateOnly(t.ServiceDate.Year, t.ServiceDate.Month, 1))
            .OrderBy(g => g.Key)
            .Select(g => new TrendPoint(
                g.Key.ToString(byDay ? "MM-dd" : "yyyy-MM", CultureInfo.InvariantCulture),
                g.Count(),
                g.Count(within),
                g.Count(t => t.Status == CallbackStatus.Finished),
                g.Count(t => t.Status == CallbackStatus.Finished && t.Satisfaction == Satisfaction.Satisfied)))
            .ToList();
    }

    /// <summary>Two customers said the same when their words match ignoring case, width, spaces and end punctuation.</summary>
    public static string ComplaintKey(string words) =>
        Regex.Replace(CallbackStore.NormalizeText(words), @"[\s\p{P}]+$", "").Replace(" ", "");
}

/// <summary>The report and the 回访记录表 as CSV files (UTF-8 with a byte order mark, formula-like cells escaped).</summary>
public static class CallbackExport
{
    public const string CsvType = "text/csv";
    public const string MarkdownType = "text/markdown";

    /// <summary>The report's figures as its card and its Markdown file show them (title, value), in the reader's language.</summary>
    public static IReadOnlyList<(string Title, string Value)> Facts(CallbackReportData r, Localizer localizer, string locale)
    {
        string L(string key, params object?[] args) => localizer.Get(locale, "callbacks.report." + key, args);
        string P(int part, int whole) => CallbackReportData.Format(CallbackReportData.Percent(part, whole));
        string N(int n) => n.ToString(CultureInfo.InvariantCulture);
        return
        [
            (L("tasks"), N(r.Tasks)),
            (L("finished"), L("ofTotal", r.Finished, P(r.Finished, r.Tasks))),
            (L("withinWindow"), L("ofTotal", r.WithinWindow, P(r.WithinWindow, r.Tasks))),
            (L("memberCoverage"), L("coverage", CallbackReportData.Format(r.MemberCoverage), r.MembersFinished, r.Members)),
            (L("membersWithinWindow"), L("coverage", CallbackReportData.Format(CallbackReportData.Percent(r.MembersWithinWindow, r.Members)), r.MembersWithinWindow, r.Members)),
            (L("satisfaction"), L("split", r.Satisfied, P(r.Satisfied, r.Finished), r.Average, P(r.Average, r.Finished), r.Dissatisfied, P(r.Dissatisfied, r.Finished))),
            (L("calls"), L("callsLine", r.Calls, r.FailedAttempts, r.Bookings)),
            (L("methods"), L("methodsLine", r.ByPhone, r.ByEmail, r.ByMessage)),
            (L("overdue"), N(r.OverdueTasks.Count)),
            (L("unreachable"), N(r.UnreachableTasks.Count)),
            (L("complaints"), L("complaintsLine", r.ComplaintsOffered, r.ComplaintsAccepted)),
            (L("followUps"), N(r.FollowUps)),
        ];
    }

    /// <summary>"刘洋 写于 2026-03-20 10:00" (team time).</summary>
    public static string WrittenBy(CallbackReportNote note, TimeZoneInfo zone, Localizer localizer, string locale) =>
        localizer.Get(locale, "callbacks.report.analysisBy", note.WrittenByName.Length > 0 ? note.WrittenByName : note.WrittenById,
            TeamClock.LocalIn(note.WrittenUtc, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));

    /// <summary>When the figures have changed since the analysis was written: what they were then; else null.</summary>
    public static string? FiguresThen(CallbackReportNote note, CallbackReportData r, Localizer localizer, string locale) =>
        note.Figures is { } then && then != ReportFigures.Of(r)
            ? localizer.Get(locale, "callbacks.report.analysisStale", then.Tasks, then.Finished, then.Satisfied, then.Average, then.Dissatisfied, then.Calls)
            : null;

    /// <summary>
    /// 《回访总结报告》 as a Markdown file: the figures, the analysis (分析结果), the satisfied
    /// customers' recommendations (推荐, 回访资料 1) and the unsatisfied customers' words, from
    /// <paramref name="records"/> — exactly the calls the report counts
    /// (<see cref="CallbackReportData.RecordsOf"/>). Everything a person typed is escaped.
    /// </summary>
    public static string ReportMarkdown(CallbackReportData r, CallbackReportNote? note, IReadOnlyList<CallRecord> records, TimeZoneInfo zone, Localizer localizer, string locale)
    {
        string L(string key, params object?[] args) => localizer.Get(locale, "callbacks.report." + key, args);
        static string E(string text) => global::ChatRegs.Cards.MarkdownText.EscapeOneLine(text);
        var colon = L("colon");
        var md = new StringBuilder();
        md.Append("# ").AppendLine(E(L("title")));
        md.AppendLine().AppendLine(E(L("period", r.Period.Describe(), CallbackDates.Iso(r.Today))));

        md.AppendLine().Append("## ").AppendLine(E(L("mdFigures"))).AppendLine();
        foreach (var (title, value) in Facts(r, localizer, locale))
        {
            md.Append("- ").AppendLine(E(title + colon + value));
        }
        if (r.Reps.Count > 0)
        {
            md.AppendLine().Append("### ").AppendLine(E(L("repsHeader"))).AppendLine();
            foreach (var rep in r.Reps)
            {
                md.Append("- ").AppendLine(E(RepName(rep, localizer, locale) + colon
                    + L("repLine", rep.Tasks, rep.Finished, rep.WithinWindow, rep.Calls, rep.Satisfied, rep.Average, rep.Dissatisfied, rep.Overdue, rep.Unreachable)));
            }
        }

        md.AppendLine().Append("## ").AppendLine(E(L("analysisHeader"))).AppendLine();
        if (note is { Analysis.Length: > 0 })
        {
            md.AppendLine(global::ChatRegs.Cards.MarkdownText.EscapeLines(note.Analysis));
            md.AppendLine().Append('*').Append(E(WrittenBy(note, zone, localizer, locale))).AppendLine("*");
            if (FiguresThen(note, r, localizer, locale) is { } then)
            {
                md.AppendLine().AppendLine(E(then));
            }
        }
        else
        {
            md.AppendLine(E(L("noAnalysis")));
        }

        var finished = records.Where(x => x.Outcome == CallOutcome.Finished).ToList();
        string Who(CallRecord x) => L("mdWho", CallbackText.Customer(localizer, locale, x.CustomerName, x.Title), x.ServiceItem, CallbackDates.Iso(x.ServiceDate),
            x.RepName, CallbackText.Method(localizer, locale, x.Method));

        md.AppendLine().Append("## ").AppendLine(E(L("mdRecommendations"))).AppendLine();
        var recommendations = finished.Where(x => x.Satisfaction == Satisfaction.Satisfied && !string.IsNullOrWhiteSpace(x.SuggestionWords)).ToList();
        foreach (var x in recommendations)
        {
            md.Append("- ").AppendLine(E(Who(x) + colon + x.SuggestionWords!));
        }
        if (recommendations.Count == 0)
        {
            md.AppendLine(E(L("mdNone")));
        }

        md.AppendLine().Append("## ").AppendLine(E(L("mdUnsatisfied"))).AppendLine();
        var unsatisfied = finished.Where(x => x.Satisfaction is Satisfaction.Average or Satisfaction.Dissatisfied && !string.IsNullOrWhiteSpace(x.ComplaintWords)).ToList();
        foreach (var x in unsatisfied)
        {
            md.Append("- ").AppendLine(E(Who(x) + L("mdSatisfaction", CallbackText.Satisfaction(localizer, locale, x.Satisfaction)) + colon + x.ComplaintWords!));
        }
        if (unsatisfied.Count == 0)
        {
            md.AppendLine(E(L("mdNone")));
        }
        md.AppendLine().AppendLine(E(L("mdSource", records.Count)));
        return md.ToString();
    }

    /// <summary>回访总结报告: the figures, then the per-rep table, the complaints and the overdue list.</summary>
    public static string ReportCsv(CallbackReportData r, Localizer localizer, string locale)
    {
        string L(string key, params object?[] args) => localizer.Get(locale, "callbacks.report." + key, args);
        using var text = new StringWriter();
        // Sections of different widths, one after the other, as a spreadsheet shows them.
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions { NewLine = "\r\n", Injection = CsvInjection.Escape, ValidateFieldCount = false }, false))
        {
            csv.WriteRecord([L("title"), r.Period.Describe()]);
            csv.WriteRecord([L("metric"), L("value")]);
            csv.WriteRecord([L("tasks"), r.Tasks.ToString(CultureInfo.InvariantCulture)]);
            csv.WriteRecord([L("finished"), r.Finished.ToString(CultureInfo.InvariantCulture)]);
            csv.WriteRecord([L("withinWindow"), r.WithinWindow.ToString(CultureInfo.InvariantCulture)]);
            csv.WriteRecord([L("withinWindowRate"), CallbackReportData.Format(r.WithinWindowRate)]);
            csv.WriteRecord([L("members"), r.Members.ToString(CultureInfo.InvariantCulture)]);
            csv.WriteRecord([L("membersFinished"), r.MembersFinished.ToString(CultureInfo.InvariantCulture)]);
            csv.WriteRecord([L("memberCoverage"), CallbackReportData.Format(r.MemberCoverage)]);
            csv.WriteRecord([L("satisfied"), r.Satisfied.ToString(CultureInfo.InvariantCulture)]);
            csv.WriteRecord([L("average"), r.Average.ToString(CultureInfo.InvariantCulture)]);
            csv.WriteRecord([L("dissatisfied"), r.Dissatisfied.ToString(CultureInfo.InvariantCulture)]);
            csv.WriteRecord([L("calls"), r.Calls.ToString(CultureInfo.InvariantCulture)]);
            csv.WriteRecord([L("failedAttempts"), r.FailedAttempts.ToString(CultureInfo.InvariantCulture)]);
            csv.WriteRecord([L("bookings"), r.Bookings.ToString(CultureInfo.InvariantCulture)]);
            csv.WriteRecord([L("byPhone"), r.ByPhone.ToString(CultureInfo.InvariantCulture)]);
            csv.WriteRecord([L("byEmail"), r.ByEmail.ToString(CultureInfo.InvariantCulture)]);
            csv.WriteRecord([L("byMessage"), r.ByMessage.ToString(CultureInfo.InvariantCulture)]);
            csv.WriteRecord([L("overdue"), r.OverdueTasks.Count.ToString(CultureInfo.InvariantCulture)]);
            csv.WriteRecord([L("unreachable"), r.UnreachableTasks.Count.ToString(CultureInfo.InvariantCulture)]);
            csv.WriteRecord([L("complaintsOffered"), r.ComplaintsOffered.ToString(CultureInfo.InvariantCulture)]);
            csv.WriteRecord([L("complaintsAccepted"), r.ComplaintsAccepted.ToString(CultureInfo.InvariantCulture)]);
            csv.WriteRecord([L("followUps"), r.FollowUps.ToString(CultureInfo.InvariantCulture)]);
            csv.WriteRecord([""]);

            csv.WriteRecord([L("repsHeader")]);
            csv.WriteRecord([L("rep"), L("tasks"), L("finished"), L("withinWindow"), L("calls"), L("satisfied"), L("average"), L("dissatisfied"), L("overdue"), L("unreachable")]);
            foreach (var rep in r.Reps)
            {
                csv.WriteRecord([RepName(rep, localizer, locale), .. new[] { rep.Tasks, rep.Finished, rep.WithinWindow, rep.Calls, rep.Satisfied, rep.Average, rep.Dissatisfied, rep.Overdue, rep.Unreachable }.Select(n => n.ToString(CultureInfo.InvariantCulture))]);
            }
            csv.WriteRecord([""]);

            csv.WriteRecord([L("complaintsHeader")]);
            csv.WriteRecord([L("complaintWords"), L("count")]);
            foreach (var c in r.TopComplaints)
            {
                csv.WriteRecord([c.Words, c.Count.ToString(CultureInfo.InvariantCulture)]);
            }
            csv.WriteRecord([""]);

            csv.WriteRecord([L("overdueHeader")]);
            csv.WriteRecord([L("customer"), L("phone"), L("member"), L("service"), L("serviceDate"), L("dueDate"), L("rep"), L("status")]);
            foreach (var t in r.OverdueTasks.Concat(r.UnreachableTasks))
            {
                csv.WriteRecord([CallbackText.Customer(localizer, locale, t.CustomerName, t.Title), t.Phone, CallbackText.YesNo(localizer, locale, t.IsMember), t.ServiceItem,
                    CallbackDates.Iso(t.ServiceDate), CallbackDates.Iso(t.DueDate), t.RepName ?? L("unassigned"),
                    t.Status == CallbackStatus.Unreachable ? CallbackText.Status(localizer, locale, t.Status) : L("overdueDays", r.Today.DayNumber - t.DueDate.DayNumber)]);
            }
        }
        return text.ToString();
    }

    public static string RepName(RepFigures rep, Localizer localizer, string locale) =>
        rep.RepId.Length == 0 ? localizer.Get(locale, "callbacks.report.unassigned") : rep.Name.Length > 0 ? rep.Name : rep.RepId;

    /// <summary>回访记录表: one row per call record (every attempt and every finished call).</summary>
    public static string RecordsCsv(IEnumerable<CallRecord> records, TimeZoneInfo zone, Localizer localizer, string locale)
    {
        string L(string key) => localizer.Get(locale, "callbacks.records." + key);
        using var text = new StringWriter();
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions { NewLine = "\r\n", Injection = CsvInjection.Escape }, false))
        {
            csv.WriteRecord([L("time"), L("customer"), L("phone"), L("member"), L("service"), L("serviceDate"), L("dueDate"), L("rep"), L("call"), L("outcome"), L("method"),
                L("script"), L("steps"), L("satisfaction"), L("words"), L("complaintWords"), L("followUp"), L("followUpNote"), L("complaint"), L("booked")]);
            foreach (var r in records)
            {
                var steps = string.Join("\n", r.Steps.Select(s => $"{s.Line} → {s.AnswerLabel}{(string.IsNullOrWhiteSpace(s.Words) ? "" : " (" + s.Words + ")")}"));
                var complaint = !r.ComplaintOffered ? "" : localizer.Get(locale, r.ComplaintAccepted ? "callbacks.records.complaintAccepted" : "callbacks.records.complaintDeclined")
                    + (r.ComplaintId is { Length: > 0 } id ? " " + id : "");
                csv.WriteRecord(
                [
                    TeamClock.LocalIn(r.EndedUtc, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    CallbackText.Customer(localizer, locale, r.CustomerName, r.Title),
                    r.Phone,
                    CallbackText.YesNo(localizer, locale, r.IsMember),
                    r.ServiceItem,
                    CallbackDates.Iso(r.ServiceDate),
                    CallbackDates.Iso(r.DueDate),
                    r.RepName,
                    r.Number.ToString(CultureInfo.InvariantCulture),
                    CallbackText.Outcome(localizer, locale, r.Outcome) + (r.Attempt > 0 ? $" ({r.Attempt})" : ""),
                    CallbackText.Method(localizer, locale, r.Method),
                    $"{r.ScriptId} v{r.ScriptVersion}",
                    steps,
                    r.Satisfaction == Satisfaction.None ? "" : CallbackText.Satisfaction(localizer, locale, r.Satisfaction),
                    r.CustomerWords,
                    r.ComplaintWords ?? "",
                    r.Outcome == CallOutcome.Finished ? CallbackText.YesNo(localizer, locale, r.FollowUp) : "",
                    r.FollowUpNote ?? "",
                    complaint,
                    r.BookedUtc is { } b ? TeamClock.LocalIn(b, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "",
                ]);
            }
        }
        return text.ToString();
    }

    /// <summary>The file's bytes: UTF-8 with a byte order mark, so Excel reads Chinese.</summary>
    public static byte[] Bytes(string content) => [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(content)];
}
