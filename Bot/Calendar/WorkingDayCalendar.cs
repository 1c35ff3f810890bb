using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatRegs.Bot.Calendar;

/// <summary>Bound from "ChatRegs:Calendar".</summary>
public sealed class CalendarOptions
{
    public const string Section = "ChatRegs:Calendar";

    /// <summary>The file shipped with the bot, next to its binaries.</summary>
    public static readonly string DefaultHolidayFile = Path.Combine("Calendar", "holidays-cn.json");

    /// <summary>
    /// The holiday file (absolute, or relative to the bot's binaries). Empty = the shipped
    /// Calendar/holidays-cn.json. The office replaces it when the State Council publishes a
    /// new year's arrangement; it is read at start-up.
    /// </summary>
    public string HolidayFile { get; set; } = "";
}

/// <summary>
/// The Chinese working-day calendar every feature uses: Saturdays and Sundays are off,
/// public holidays are off, and make-up workdays (调休, a Saturday or Sunday declared a
/// workday) are on. The holidays and make-up days come from a JSON file the office can
/// replace (<see cref="CalendarOptions.HolidayFile"/>); a year the file does not cover counts
/// weekends only.
/// <para>
/// "Due in N working days" and "the working day before" are one function,
/// <see cref="AddWorkingDays"/>: minutes due two working days after a meeting are
/// <c>AddWorkingDays(meetingDay, 2)</c>; the working day before a date is
/// <c>AddWorkingDays(date, -1)</c>.
/// </para>
/// </summary>
public sealed class WorkingDayCalendar
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private readonly Dictionary<DateOnly, string> _holidays;
    private readonly Dictionary<DateOnly, string> _workdays;
    private readonly Dictionary<int, YearInfo> _years;

    private WorkingDayCalendar(Dictionary<DateOnly, string> holidays, Dictionary<DateOnly, string> workdays, Dictionary<int, YearInfo> years, string source)
    {
        _holidays = holidays;
        _workdays = workdays;
        _years = years;
        Source = source;
    }

    /// <summary>Where the calendar was loaded from (a path, or "(inline)").</summary>
    public string Source { get; }

    /// <summary>The years the holiday file describes, with whether each is official or provisional.</summary>
    public IReadOnlyDictionary<int, YearInfo> Years => _years;

    /// <summary>Loads the holiday file named by the options (the shipped one by default).</summary>
    public static WorkingDayCalendar Load(CalendarOptions options)
    {
        var configured = string.IsNullOrWhiteSpace(options.HolidayFile) ? CalendarOptions.DefaultHolidayFile : options.HolidayFile.Trim();
        var path = Path.IsPathRooted(configured) ? configured : Path.Combine(AppContext.BaseDirectory, configured);
        if (!File.Exists(path) && !Path.IsPathRooted(configured) && File.Exists(Path.GetFullPath(configured)))
        {
            path = Path.GetFullPath(configured);
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"The holiday file '{path}' does not exist. Set ChatRegs:Calendar:HolidayFile to the office's holiday file, or leave it empty for the shipped Calendar/holidays-cn.json.", path);
        }
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads a holiday file's JSON. Throws <see cref="FormatException"/> with the reason when it is not valid.</summary>
    public static WorkingDayCalendar Parse(string json, string source = "(inline)")
    {
        HolidayFile? file;
        try
        {
            file = JsonSerializer.Deserialize<HolidayFile>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Holiday file {source} is not valid JSON: {e.Message}", e);
        }
        if (file?.Years == null || file.Years.Count == 0)
        {
            throw new FormatException($"Holiday file {source} has no \"years\".");
        }

        var holidays = new Dictionary<DateOnly, string>();
        var workdays = new Dictionary<DateOnly, string>();
        var years = new Dictionary<int, YearInfo>();
        foreach (var (yearText, year) in file.Years)
        {
            if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var yearNumber) || yearNumber < 2000 || yearNumber > 2200)
            {
                throw new FormatException($"Holiday file {source}: \"{yearText}\" is not a year.");
            }
            var status = year.Status?.Trim().ToLowerInvariant() ?? "official";
            if (status is not ("official" or "provisional"))
            {
                throw new FormatException($"Holiday file {source}, {yearText}: status must be \"official\" or \"provisional\", not \"{year.Status}\".");
            }
            years[yearNumber] = new YearInfo(yearNumber, status == "provisional", year.Source ?? "");

            foreach (var holiday in year.Holidays ?? [])
            {
                var from = Date(holiday.From, source, yearText);
                var to = string.IsNullOrWhiteSpace(holiday.To) ? from : Date(holiday.To, source, yearText);
                if (to < from || to.DayNumber - from.DayNumber > 31)
                {
                    throw new FormatException($"Holiday file {source}, {yearText}: holiday \"{holiday.Name}\" runs from {from:yyyy-MM-dd} to {to:yyyy-MM-dd}.");
                }
                for (var day = from; day <= to; day = day.AddDays(1))
                {
                    holidays[day] = holiday.Name ?? "";
                }
            }
            foreach (var workday in year.Workdays ?? [])
            {
                var day = Date(workday.Date, source, yearText);
                workdays[day] = workday.Name ?? "";
            }
        }

        foreach (var clash in holidays.Keys.Where(workdays.ContainsKey).Order())
        {
            throw new FormatException($"Holiday file {source}: {clash:yyyy-MM-dd} is listed both as a holiday and as a make-up workday.");
        }
        return new WorkingDayCalendar(holidays, workdays, years, source);
    }

    /// <summary>True on a working day: a make-up workday, or a Monday–Friday that is not a holiday.</summary>
    public bool IsWorkingDay(DateOnly date)
    {
        if (_workdays.ContainsKey(date))
        {
            return true;
        }
        if (_holidays.ContainsKey(date))
        {
            return false;
        }
        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>The holiday's name when <paramref name="date"/> is a public holiday, else null.</summary>
    public string? HolidayName(DateOnly date) => _holidays.GetValueOrDefault(date);

    /// <summary>True when <paramref name="date"/> is a weekend day declared a workday (调休).</summary>
    public bool IsMakeUpWorkday(DateOnly date) => _workdays.ContainsKey(date);

    /// <summary>
    /// The working day <paramref name="n"/> working days after <paramref name="start"/>
    /// (before it when n is negative), not counting <paramref name="start"/> itself:
    /// n = 1 is the next working day, n = -1 the working day before. n = 0 is
    /// <paramref name="start"/> when it is a working day, else the next working day.
    /// </summary>
    public DateOnly AddWorkingDays(DateOnly start, int n)
    {
        if (n == 0)
        {
            return IsWorkingDay(start) ? start : AddWorkingDays(start, 1);
        }
        var step = n > 0 ? 1 : -1;
        var remaining = Math.Abs(n);
        var day = start;
        var guard = 0;
        while (remaining > 0)
        {
            day = day.AddDays(step);
            if (IsWorkingDay(day))
            {
                remaining--;
            }
            if (++guard > 366 * 20)
            {
                throw new InvalidOperationException($"No working day found within {guard} days of {start:yyyy-MM-dd}.");
            }
        }
        return day;
    }

    /// <summary>The first working day after <paramref name="date"/> (= <c>AddWorkingDays(date, 1)</c>).</summary>
    public DateOnly NextWorkingDay(DateOnly date) => AddWorkingDays(date, 1);

    /// <summary>The last working day before <paramref name="date"/> (= <c>AddWorkingDays(date, -1)</c>).</summary>
    public DateOnly PreviousWorkingDay(DateOnly date) => AddWorkingDays(date, -1);

    /// <summary>Working days from <paramref name="from"/> (exclusive) to <paramref name="to"/> (inclusive); negative when to is earlier.</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        if (to == from)
        {
            return 0;
        }
        var (low, high, sign) = to > from ? (from, to, 1) : (to, from, -1);
        var count = 0;
        for (var day = low.AddDays(1); day <= high; day = day.AddDays(1))
        {
            if (IsWorkingDay(day))
            {
                count++;
            }
        }
        return sign * count;
    }

    private static DateOnly Date(string? text, string source, string year)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        throw new FormatException($"Holiday file {source}, {year}: \"{text}\" is not a date (yyyy-MM-dd).");
    }

    /// <summary>One year of the holiday file.</summary>
    public sealed record YearInfo(int Year, bool IsProvisional, string Source);

    private sealed class HolidayFile
    {
        public Dictionary<string, YearEntry>? Years { get; set; }
    }

    private sealed class YearEntry
    {
        public string? Status { get; set; }

        public string? Source { get; set; }

        public List<HolidayEntry>? Holidays { get; set; }

        public List<WorkdayEntry>? Workdays { get; set; }
    }

    private sealed class HolidayEntry
    {
        public string? Name { get; set; }

        public string? From { get; set; }

        public string? To { get; set; }
    }

    private sealed class WorkdayEntry
    {
        public string? Name { get; set; }

        public string? Date { get; set; }
    }
}
