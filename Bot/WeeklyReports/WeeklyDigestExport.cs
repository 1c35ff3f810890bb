using ChatRegs.Bot.Core;
using System.Text;
using System.Text.RegularExpressions;
using ChatRegs.Bot.Localization;
using ChatRegs.Cards;
using CsvHelper;

namespace ChatRegs.Bot.WeeklyReports;

/// <summary>
/// The digest as files for the office to circulate (汇总印发): Markdown (the whole compiled
/// week, readable as it is) and CSV (one row per person, for a spreadsheet; UTF-8 with a byte
/// order mark so Excel reads Chinese correctly; cells that a spreadsheet would run as a formula
/// are escaped). Everything a person typed is escaped, so it cannot change the file's structure.
/// </summary>
public static partial class WeeklyDigestExport
{
    public const string MarkdownType = "text/markdown";
    public const string CsvType = "text/csv";

    public static string Markdown(WeeklyDigest digest, Localizer localizer, string locale)
    {
        var plan = digest.Status.Plan;
        var md = new StringBuilder();
        md.Append("# ").AppendLine(Escape(localizer.Get(locale, "weeklyReports.digest.heading", digest.Team, ReportText.Week(localizer, locale, digest.Week))));
        md.AppendLine();
        md.AppendLine(Escape(plan.ReportsDue
            ? localizer.Get(locale, "weeklyReports.digest.deadline", ReportText.Deadline(localizer, locale, plan))
            : localizer.Get(locale, "weeklyReports.digest.notDue")));
        var shift = ReportText.ShiftNote(localizer, locale, plan);
        if (shift.Length > 0)
        {
            md.AppendLine().AppendLine(Escape(shift));
        }
        md.AppendLine().AppendLine(Escape(digest.CountsLine(localizer, locale))).AppendLine();

        foreach (var state in new[] { ReportState.Submitted, ReportState.Late, ReportState.Missing, ReportState.Exempt })
        {
            var names = digest.Names(state);
            if (names.Count > 0)
            {
                md.Append("- **").Append(Escape(localizer.Get(locale, "weeklyReports.digest.group", ReportText.State(localizer, locale, state), names.Count))).Append("**").Append(localizer.Get(locale, "weeklyReports.digest.colon"))
                    .AppendLine(Escape(string.Join(localizer.Get(locale, "weeklyReports.digest.nameSeparator"), names)));
            }
        }

        md.AppendLine().Append("## ").AppendLine(Escape(localizer.Get(locale, "weeklyReports.digest.reportsHeader")));
        if (digest.Reports.Count == 0)
        {
            md.AppendLine().AppendLine(Escape(localizer.Get(locale, "weeklyReports.digest.empty")));
        }
        foreach (var person in digest.Reports)
        {
            var report = person.Report!;
            md.AppendLine().Append("### ").Append(Escape(person.Name));
            if (report.Late)
            {
                md.Append(Escape(localizer.Get(locale, "weeklyReports.digest.bracket", ReportText.State(localizer, locale, ReportState.Late))));
            }
            md.AppendLine().AppendLine();
            md.AppendLine(Escape(localizer.Get(locale, "weeklyReports.digest.personMeta",
                ReportText.DateTime(localizer, locale, report.SubmittedUtc, plan.Zone), person.Suggestions.Count, report.CoordinationItems.Count)));
            foreach (var (label, text) in WeeklyDigest.Sections(localizer, locale, report))
            {
                md.AppendLine().Append("**").Append(Escape(label)).AppendLine("**").AppendLine();
                md.AppendLine(Paragraphs(text));
            }
        }

        md.AppendLine().Append("## ").AppendLine(Escape(localizer.Get(locale, "weeklyReports.digest.itemsHeader", digest.Items.Count))).AppendLine();
        if (digest.Items.Count == 0)
        {
            md.AppendLine(Escape(localizer.Get(locale, "weeklyReports.digest.noItems")));
        }
        var n = 0;
        foreach (var item in digest.Items)
        {
            var kind = localizer.Get(locale, item.Kind == DigestItemKind.Suggestion ? "weeklyReports.digest.suggestionTag" : "weeklyReports.digest.coordinationTag");
            md.Append(++n).Append(". [").Append(Escape(kind)).Append("] ");
            if (item.Title.Length > 0)
            {
                md.Append("**").Append(Escape(item.Title)).Append("**").Append(localizer.Get(locale, "weeklyReports.digest.colon"));
            }
            md.Append(Escape(item.Text)).AppendLine(Escape(localizer.Get(locale, "weeklyReports.digest.bracket", item.PersonName)));
        }
        return md.ToString();
    }

    /// <summary>One row per person of the team's week (missing and exempt too), with a header row.</summary>
    public static string Csv(WeeklyDigest digest, Localizer localizer, string locale)
    {
        var plan = digest.Status.Plan;
        using var text = new StringWriter();
        var options = new CsvWriterOptions
        {
            NewLine = "\r\n",
            Injection = CsvInjection.Escape,
        };
        using (var csv = CsvWriter.Create(text, options, false))
        {
            csv.WriteRecord(
            [
                localizer.Get(locale, "weeklyReports.csv.name"),
                localizer.Get(locale, "weeklyReports.csv.team"),
                localizer.Get(locale, "weeklyReports.csv.week"),
                localizer.Get(locale, "weeklyReports.csv.state"),
                localizer.Get(locale, "weeklyReports.csv.submitted"),
                localizer.Get(locale, "weeklyReports.fields.summary"),
                localizer.Get(locale, "weeklyReports.fields.plan"),
                localizer.Get(locale, "weeklyReports.fields.issues"),
                localizer.Get(locale, "weeklyReports.fields.coordination"),
                localizer.Get(locale, "weeklyReports.fields.suggestions"),
                localizer.Get(locale, "weeklyReports.fields.planReview"),
            ]);
            var order = new[] { ReportState.Submitted, ReportState.Late, ReportState.Missing, ReportState.Exempt };
            foreach (var person in digest.Status.People.OrderBy(p => Array.IndexOf(order, p.State)).ThenBy(p => p.Name, StringComparer.CurrentCulture))
            {
                var report = person.Report;
                csv.WriteRecord(
                [
                    person.Name,
                    digest.Team,
                    digest.Week,
                    ReportText.State(localizer, locale, person.State),
                    report == null ? "" : TeamClock.LocalIn(report.SubmittedUtc, plan.Zone).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
                    report?.Summary ?? "",
                    report?.Plan ?? "",
                    report?.Issues ?? "",
                    report?.Coordination ?? "",
                    string.Join("\n", person.Suggestions.Select(s => s.Title + localizer.Get(locale, "weeklyReports.digest.colon") + s.Details)),
                    report == null ? "" : WeeklyDigest.PlanReviewText(localizer, locale, report),
                ]);
            }
        }
        return text.ToString();
    }

    /// <summary>The file's name, type and UTF-8 bytes (with a byte order mark when asked), for <see cref="Exports.IFileExporter"/>.</summary>
    public static ExportedFile File(string name, string contentType, string content, bool byteOrderMark)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        if (byteOrderMark)
        {
            bytes = [.. Encoding.UTF8.Preamble, .. bytes];
        }
        return new ExportedFile(name, contentType, bytes);
    }

    /// <summary>A file name safe everywhere: the team's name with anything but letters, digits, '-' and '_' replaced.</summary>
    public static string FileName(string prefix, string team, string week, string extension) =>
        $"{prefix}-{Unsafe().Replace(team.Trim(), "_")}-{week}.{extension}";

    /// <summary>Text on one line, escaped with the bot's one Markdown helper (<see cref="MarkdownText"/>): read as typed, never as formatting, a link or a list.</summary>
    public static string Escape(string text) => MarkdownText.EscapeOneLine(text);

    /// <summary>User text as Markdown: escaped, each line kept (a hard line break).</summary>
    private static string Paragraphs(string text) => MarkdownText.EscapeLines(text);

    [GeneratedRegex(@"[^\p{L}\p{Nd}_-]+")]
    private static partial Regex Unsafe();
}

/// <summary>An exported file: its name, media type and content.</summary>
public sealed record ExportedFile(string Name, string ContentType, byte[] Bytes);
