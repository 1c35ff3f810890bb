using ChatRegs.Bot.Core;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Scheduling;
using CsvHelper;

namespace ChatRegs.Bot.Callbacks;

/// <summary>A good row of an import: one service record to call back.</summary>
public sealed record ImportedRow(int Line, string CustomerName, string Title, string Phone, bool IsMember, string ServiceItem, string ServiceType,
    DateOnly ServiceDate, string? Rep, string TimeZone);

/// <summary>A row that was not imported, with why, in the supervisor's language.</summary>
public sealed record RowError(int Line, string Reason);

/// <summary>What a file or pasted text held: good rows, bad rows, or a reason it could not be read at all.</summary>
public sealed record ParsedImport(IReadOnlyList<ImportedRow> Rows, IReadOnlyList<RowError> Errors, string? Refusal = null)
{
    public static ParsedImport Refused(string reason) => new([], [], reason);
}

/// <summary>
/// Reads service records (客户资料) from CSV text — a file, or rows pasted into the chat — with
/// CsvHelper. Columns: customer name, title (先生/女士/小姐), phone, member (是/否), service item,
/// service date, then optionally the rep, the customer's time zone and the service type. A first
/// row of column names (Chinese or English, any order) is recognised; without one the columns
/// are read in that order. Every row is checked on its own: a bad row is reported with its line
/// number and the reason, and the good rows are kept.
/// </summary>
public static partial class CallbackImport
{
    public const int MaxName = 50, MaxService = 100, MaxRep = 100;

    private static readonly Dictionary<string, string> HeaderNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["客户姓名"] = "name", ["姓名"] = "name", ["客户"] = "name", ["客户名称"] = "name", ["name"] = "name", ["customer"] = "name", ["customer name"] = "name",
        ["称呼"] = "title", ["称谓"] = "title", ["先生/女士"] = "title", ["title"] = "title",
        ["电话"] = "phone", ["手机"] = "phone", ["手机号"] = "phone", ["联系电话"] = "phone", ["电话号码"] = "phone", ["phone"] = "phone", ["mobile"] = "phone", ["telephone"] = "phone",
        ["会员"] = "member", ["是否会员"] = "member", ["member"] = "member", ["is member"] = "member",
        ["服务项目"] = "service", ["项目"] = "service", ["service"] = "service", ["service item"] = "service",
        ["服务日期"] = "date", ["日期"] = "date", ["service date"] = "date", ["date"] = "date",
        ["客服"] = "rep", ["客服专员"] = "rep", ["负责客服"] = "rep", ["rep"] = "rep", ["assigned rep"] = "rep",
        ["时区"] = "timezone", ["客户时区"] = "timezone", ["time zone"] = "timezone", ["timezone"] = "timezone",
        ["服务类型"] = "type", ["service type"] = "type", ["type"] = "type",
    };

    private static readonly string[] Positional = ["name", "title", "phone", "member", "service", "date", "rep", "timezone", "type"];

    private static readonly string[] DateFormats =
    [
        "yyyy-M-d", "yyyy-MM-dd", "yyyy/M/d", "yyyy/MM/dd", "yyyy.M.d", "yyyy.MM.dd", "yyyy年M月d日", "yyyyMMdd", "yyyy-MM-ddTHH:mm:ss", "yyyy/M/d H:mm", "yyyy-M-d H:mm", "yyyy/M/d H:mm:ss", "yyyy-M-d H:mm:ss",
    ];

    /// <summary>The title codes and the words that mean them.</summary>
    public static string? TitleCode(string text) => text.Trim().TrimEnd('.').ToLowerInvariant() switch
    {
        "先生" or "mr" or "男" or "sir" => "mr",
        "女士" or "ms" or "mrs" or "女" or "madam" => "ms",
        "小姐" or "miss" => "miss",
        _ => null,
    };

    public static bool? Member(string text) => text.Trim().ToLowerInvariant() switch
    {
        "是" or "会员" or "y" or "yes" or "true" or "1" or "√" or "✓" or "member" => true,
        "否" or "非会员" or "不是" or "n" or "no" or "false" or "0" or "×" or "non-member" or "not a member" => false,
        _ => null,
    };

    /// <summary>Reads the rows. <paramref name="today"/> is the team's date (a service cannot be in the future).</summary>
    public static ParsedImport Parse(string text, DateOnly today, string defaultTimeZone, int maxRows, Localizer localizer, string locale)
    {
        string L(string key, params object?[] args) => localizer.Get(locale, "callbacks.import.errors." + key, args);
        text = FromChat(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            return ParsedImport.Refused(localizer.Get(locale, "callbacks.import.empty"));
        }

        var raw = new List<(int Line, string[] Cells)>();
        var (separated, separator) = Separated(text);
        var options = CsvReaderOptions.Default with
        {
            Separator = separator,
            HasHeader = false,
            TrimWhitespace = true,
            TrackLineNumbers = true,
            // A stray quote must not swallow the rows after it: no field of an import spans lines.
            AllowLineBreaksInQuotes = false,
            MalformedData = CsvMalformedDataHandling.Recover,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            MissingField = CsvMissingFieldHandling.ReturnEmpty,
            IncludeValuesInExceptions = false,
        };
        try
        {
            using var reader = CsvReader.FromText(separated, options);
            while (reader.Read())
            {
                var cells = reader.Current.ToArray().Select(c => c.Trim()).ToArray();
                if (cells.All(c => c.Length == 0))
                {
                    continue;
                }
                raw.Add(((int)reader.LineNumber, cells));
                if (raw.Count > maxRows + 1)
                {
                    return ParsedImport.Refused(localizer.Get(locale, "callbacks.import.tooManyRows", maxRows));
                }
            }
        }
        catch (Exception e) when (e is CsvFormatException or CsvValidationException)
        {
            return ParsedImport.Refused(localizer.Get(locale, "callbacks.import.unreadable"));
        }
        if (raw.Count == 0)
        {
            return ParsedImport.Refused(localizer.Get(locale, "callbacks.import.empty"));
        }

        // Column names on the first row, or the fixed order.
        var columns = Positional;
        var first = raw[0].Cells.Select(c => HeaderNames.GetValueOrDefault(c.Trim())).ToArray();
        if (first.Count(c => c != null) >= 2)
        {
            columns = first.Select(c => c ?? "").ToArray();
            raw.RemoveAt(0);
            var missing = new[] { "name", "title", "phone", "member", "service", "date" }.Where(c => !columns.Contains(c)).ToList();
            if (missing.Count > 0)
            {
                return ParsedImport.Refused(localizer.Get(locale, "callbacks.import.missingColumns",
                    string.Join(localizer.Get(locale, "callbacks.import.listSeparator"), missing.Select(c => localizer.Get(locale, "callbacks.import.columns." + c)))));
            }
        }
        if (raw.Count > maxRows)
        {
            return ParsedImport.Refused(localizer.Get(locale, "callbacks.import.tooManyRows", maxRows));
        }

        var rows = new List<ImportedRow>();
        var errors = new List<RowError>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (line, cells) in raw)
        {
            string Cell(string column)
            {
                var i = Array.IndexOf(columns, column);
                return i >= 0 && i < cells.Length ? cells[i].Trim() : "";
            }
            var problems = new List<string>();
            if (cells.Length < 6 && columns == Positional)
            {
                errors.Add(new RowError(line, L("columns", cells.Length)));
                continue;
            }

            var name = Cell("name");
            if (name.Length == 0) problems.Add(L("name"));
            else if (name.Length > MaxName) problems.Add(L("nameLength", MaxName));

            var titleText = Cell("title");
            var title = TitleCode(titleText);
            if (title == null) problems.Add(titleText.Length == 0 ? L("titleMissing") : L("title", titleText));

            var phone = Cell("phone");
            var digits = CallbackStore.NormalizePhone(phone);
            if (phone.Length == 0) problems.Add(L("phoneMissing"));
            else if (!PhonePattern().IsMatch(phone) || digits.Length is < 5 or > 15) problems.Add(L("phone", phone));

            var memberText = Cell("member");
            var member = Member(memberText);
            if (member == null) problems.Add(memberText.Length == 0 ? L("memberMissing") : L("member", memberText));

            var service = Cell("service");
            if (service.Length == 0) problems.Add(L("service"));
            else if (service.Length > MaxService) problems.Add(L("serviceLength", MaxService));

            var dateText = Cell("date");
            DateOnly date = default;
            if (dateText.Length == 0) problems.Add(L("dateMissing"));
            else if (!TryDate(dateText, out date)) problems.Add(L("date", dateText));
            else if (date > today) problems.Add(L("dateFuture", CallbackDates.Iso(date)));

            var rep = Cell("rep");
            if (rep.Length > MaxRep) problems.Add(L("repLength", MaxRep));

            var zone = Cell("timezone");
            if (zone.Length > 0)
            {
                try
                {
                    TimeZones.Find(zone);
                }
                catch (ArgumentException)
                {
                    problems.Add(L("timeZone", zone));
                }
            }
            var type = Cell("type");
            if (type.Length > MaxService) problems.Add(L("typeLength", MaxService));

            if (problems.Count == 0)
            {
                var key = CallbackStore.TaskId(phone, service, date);
                if (seen.TryGetValue(key, out var earlier))
                {
                    problems.Add(L("duplicate", earlier));
                }
                else
                {
                    seen[key] = line;
                }
            }
            if (problems.Count > 0)
            {
                errors.Add(new RowError(line, string.Join(localizer.Get(locale, "callbacks.import.reasonSeparator"), problems)));
                continue;
            }
            rows.Add(new ImportedRow(line, name, title!, phone, member!.Value, service, type.Length > 0 ? type : service, date,
                rep.Length > 0 ? rep : null, zone.Length > 0 ? zone : defaultTimeZone));
        }
        return new ParsedImport(rows, errors);
    }

    public static bool TryDate(string text, out DateOnly date)
    {
        var t = text.Trim();
        if (DateTime.TryParseExact(t, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var dt))
        {
            date = DateOnly.FromDateTime(dt);
            return true;
        }
        date = default;
        return false;
    }

    /// <summary>
    /// Decodes a file's bytes: UTF-8 (with or without a byte order mark), else GB18030 — what
    /// Excel writes for "CSV" on a Chinese Windows.
    /// </summary>
    public static string Decode(byte[] bytes)
    {
        try
        {
            var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
            var text = utf8.GetString(bytes);
            return text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;
        }
        catch (DecoderFallbackException)
        {
            Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
            return Encoding.GetEncoding("GB18030").GetString(bytes);
        }
    }

    /// <summary>Text pasted in Teams may arrive as simple HTML (paragraphs, line breaks, entities): plain lines again.</summary>
    public static string FromChat(string text)
    {
        if (!HtmlHint().IsMatch(text))
        {
            return text;
        }
        var t = LineBreak().Replace(text, "\n");
        t = Tag().Replace(t, "");
        return WebUtility.HtmlDecode(t);
    }

    /// <summary>
    /// The rows with commas between the fields: rows copied from a spreadsheet come with tabs, and
    /// rows typed with a Chinese keyboard may use the full-width comma (，) throughout.
    /// </summary>
    private static (string Text, char Separator) Separated(string text)
    {
        var firstLine = text.Split('\n').FirstOrDefault(l => l.Trim().Length > 0) ?? "";
        if (firstLine.Contains('\t'))
        {
            return (text, '\t');
        }
        if (!firstLine.Contains(',') && firstLine.Contains('，'))
        {
            return (text.Replace('，', ','), ',');
        }
        return (text, ',');
    }

    [GeneratedRegex(@"^\+?[0-9()\-\s]+$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"<(p|br|div)[\s>/]", RegexOptions.IgnoreCase)]
    private static partial Regex HtmlHint();

    [GeneratedRegex(@"<br\s*/?>|</p>|</div>", RegexOptions.IgnoreCase)]
    private static partial Regex LineBreak();

    [GeneratedRegex(@"<[^>]+>")]
    private static partial Regex Tag();
}
