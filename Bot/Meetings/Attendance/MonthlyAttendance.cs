using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Cards;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Exports;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Routing;
using CsvHelper;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Meetings.Attendance;

/// <summary>The monthly attendance report (card and CSV) for the monthly review (例会制度(一) 6.3: 周会作为员工每月述职的一项重要资料).</summary>
public sealed partial class MonthlyReport(AttendanceService attendance, IAuthorizationService authorization, ICardFactory cards, Localizer localizer, TeamClock clock)
{
    public const string ExportVerb = "meetings.exportCsv";

    /// <summary>"2026-11", "2026/11", "2026年11月", "11月" or "" (this month); null when it is none of those.</summary>
    public (int Year, int Month)? ParseMonth(string text)
    {
        var local = clock.Local(clock.Now);
        var t = TypedDigits.Fold(text).Trim();
        if (t.Length == 0)
        {
            return (local.Year, local.Month);
        }
        var m = MonthPattern().Match(t);
        if (m.Success)
        {
            var year = m.Groups["y"].Success ? int.Parse(m.Groups["y"].Value, CultureInfo.InvariantCulture) : local.Year;
            var month = int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture);
            if (month is >= 1 and <= 12 && year is >= 2000 and <= 2100)
            {
                return (year, month);
            }
        }
        return null;
    }

    [GeneratedRegex(@"^(?:(?<y>[0-9]{4})\s*[-/年.]\s*)?(?<m>[0-9]{1,2})\s*月?$")]
    private static partial Regex MonthPattern();

    /// <summary>Everyone's lines when the sender may see the report (office, manager), else only their own.</summary>
    public async Task<(IReadOnlyList<MonthlyAttendance> Lines, bool All)> LinesAsync(ITurnContext turnContext, int year, int month, CancellationToken cancellationToken)
    {
        var tenant = Tenants.Of(turnContext.Activity) ?? "";
        var all = (await authorization.AuthorizeAsync(turnContext, MeetingPermissions.AttendanceReport, null, cancellationToken).ConfigureAwait(false)).Allowed;
        var lines = await attendance.MonthlyAsync(tenant, year, month, all ? null : turnContext.Activity.From?.Id, cancellationToken).ConfigureAwait(false);
        return (lines, all);
    }

    public Attachment Card(IReadOnlyList<MonthlyAttendance> lines, bool all, int year, int month, string locale)
    {
        var rows = new JsonArray(lines.Select(l => (JsonNode)new JsonObject
        {
            ["name"] = l.Name.Length > 0 ? l.Name : l.UserId,
            ["counts"] = string.Join(" · ", AttendanceService.Order.Select(s => $"{MeetingText.Status(localizer, locale, s)} {l.Count(s)}")),
            ["total"] = localizer.Get(locale, "meetings.monthly.total", l.Total),
        }).ToArray());
        var data = new JsonObject
        {
            ["month"] = $"{year:D4}-{month:D2}",
            ["scope"] = localizer.Get(locale, all ? "meetings.monthly.everyone" : "meetings.monthly.onlyMine"),
            ["isEmpty"] = lines.Count == 0,
            ["rows"] = rows,
            ["canExport"] = all && lines.Count > 0,
            // The month's times by status, everyone in the card together (a bar each, zeros kept).
            ["chart"] = ChartData.Of(locale, AttendanceService.Order.Select(s => (MeetingText.Status(localizer, locale, s), lines.Sum(l => l.Count(s))))),
        };
        return cards.Create("AttendanceMonthly", data, locale);
    }

    /// <summary>The CSV (UTF-8, header row in the reader's language, one line per person) written with CsvHelper.</summary>
    public string Csv(IReadOnlyList<MonthlyAttendance> lines, int year, int month, string locale)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        // RFC 4180 (CRLF, quoted where needed); a name starting with = + - @ is escaped so a spreadsheet never runs it as a formula.
        using (var csv = CsvWriter.Create(writer, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true))
        {
            var header = new List<string>
            {
                localizer.Get(locale, "meetings.monthly.csv.month"),
                localizer.Get(locale, "meetings.monthly.csv.name"),
                localizer.Get(locale, "meetings.monthly.csv.userId"),
            };
            header.AddRange(AttendanceService.Order.Select(status => MeetingText.Status(localizer, locale, status)));
            header.Add(localizer.Get(locale, "meetings.monthly.csv.total"));
            csv.WriteRecord(header.ToArray());
            foreach (var line in lines)
            {
                var fields = new List<string> { $"{year:D4}-{month:D2}", line.Name, line.UserId };
                fields.AddRange(AttendanceService.Order.Select(status => line.Count(status).ToString(CultureInfo.InvariantCulture)));
                fields.Add(line.Total.ToString(CultureInfo.InvariantCulture));
                csv.WriteRecord(fields.ToArray());
            }
            csv.Flush();
        }
        return writer.ToString();
    }

    /// <summary>
    /// The CSV as a file: its name and UTF-8 bytes with a BOM (so Excel reads the Chinese), sent
    /// through <see cref="Exports.IFileExporter"/> (in Teams the file consent card in the person's 1:1 chat).
    /// </summary>
    public (string Name, byte[] Bytes) CsvFile(string csv, int year, int month) =>
        ($"attendance-{year:D4}-{month:D2}.csv", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)]);
}

/// <summary>"出勤统计 [2026-11]" / "monthly attendance [2026-11]": counts by status per person.</summary>
public sealed class MonthlyAttendanceCommand(MonthlyReport report, Localizer localizer) : IChatCommand
{
    public string Id => "monthlyAttendance";

    public bool ListedInHelp => true;

    public async Task RunAsync(ITurnContext turnContext, string arguments, CancellationToken cancellationToken)
    {
        var locale = turnContext.Activity.Locale ?? "";
        if (report.ParseMonth(arguments) is not { } ym)
        {
            await turnContext.SendActivityAsync(MessageFactory.Text(localizer.Get(locale, "meetings.monthly.badMonth", arguments)), cancellationToken).ConfigureAwait(false);
            return;
        }
        var (lines, all) = await report.LinesAsync(turnContext, ym.Year, ym.Month, cancellationToken).ConfigureAwait(false);
        await turnContext.SendActivityAsync(MessageFactory.Attachment(report.Card(lines, all, ym.Year, ym.Month, locale)), cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The monthly card's "export CSV" button (verb "meetings.exportCsv", data: month) — office and managers only.</summary>
public sealed class ExportAttendanceAction(MonthlyReport report, IAuthorizationService authorization, Localizer localizer, IFileExporter files) : CardActionHandler(authorization)
{
    public override string Verb => MonthlyReport.ExportVerb;

    protected override string Permission => MeetingPermissions.AttendanceReport;

    protected override async Task<CardActionResult> RunAsync(CardActionContext action, CancellationToken cancellationToken)
    {
        var (turnContext, locale) = (action.Turn, action.Locale);
        var text = CardFields.Raw(action.Data, "month") ?? "";
        if (text.Trim().Length == 0 || report.ParseMonth(text) is not { } ym)
        {
            return new CardActionResult(Message: localizer.Get(locale, "meetings.monthly.badMonth", text));
        }
        var (lines, _) = await report.LinesAsync(turnContext, ym.Year, ym.Month, cancellationToken).ConfigureAwait(false);
        var csv = report.Csv(lines, ym.Year, ym.Month, locale);
        var (name, bytes) = report.CsvFile(csv, ym.Year, ym.Month);
        var description = localizer.Get(locale, "meetings.monthly.csvIntro", name).TrimEnd('：', ':', ' ');
        await files.OfferAsync(turnContext, name, "text/csv", bytes, description, cancellationToken).ConfigureAwait(false);
        return CardActionResult.Done;
    }
}
