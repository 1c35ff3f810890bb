using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatRegs.Bot.Core;

/// <summary>ISO weeks as the bot writes them ("2026-W48"): weekly reports, suggestions and leave are filed under this text.</summary>
public static partial class IsoWeek
{
    /// <summary>The week containing <paramref name="localDate"/>.</summary>
    public static string Of(DateOnly localDate)
    {
        var day = localDate.ToDateTime(TimeOnly.MinValue);
        return $"{ISOWeek.GetYear(day)}-W{ISOWeek.GetWeekOfYear(day):D2}";
    }

    /// <summary>The week containing the instant, in <paramref name="zone"/>.</summary>
    public static string Of(DateTimeOffset instant, TimeZoneInfo zone) => Of(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime));

    /// <summary>True when <paramref name="text"/> is a week such as "2026-W48" (the week exists in that year).</summary>
    public static bool TryParse(string? text, out string week)
    {
        week = "";
        var match = Pattern().Match(TypedDigits.Fold(text).Trim());
        if (!match.Success)
        {
            return false;
        }
        var year = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var number = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        if (year < 2000 || year > 2200 || number < 1 || number > ISOWeek.GetWeeksInYear(year))
        {
            return false;
        }
        week = $"{year}-W{number:D2}";
        return true;
    }

    /// <summary>The Monday of the week.</summary>
    public static DateOnly Monday(string week)
    {
        if (!TryParse(week, out var normalized))
        {
            throw new FormatException($"'{week}' is not an ISO week (e.g. 2026-W48).");
        }
        var year = int.Parse(normalized[..4], CultureInfo.InvariantCulture);
        var number = int.Parse(normalized[6..], CultureInfo.InvariantCulture);
        return DateOnly.FromDateTime(ISOWeek.ToDateTime(year, number, DayOfWeek.Monday));
    }

    /// <summary>The week <paramref name="weeks"/> weeks later (earlier when negative).</summary>
    public static string Add(string week, int weeks) => Of(Monday(week).AddDays(7 * weeks));

    /// <summary>Orders weeks in time (their text sorts the same way).</summary>
    public static int Compare(string a, string b) => string.CompareOrdinal(a, b);

    [GeneratedRegex(@"^([0-9]{4})-?[Ww]([0-9]{1,2})$")]
    private static partial Regex Pattern();
}
