using System.Globalization;
using System.Text;
using ChatRegs.Bot.Calendar;
using ChatRegs.Bot.Meetings;

namespace ChatRegs.Bot.Leave;

/// <summary>A problem with one field: a key under "leave.errors" and its arguments.</summary>
public sealed record FieldError(string Key, params object[] Args);

/// <summary>
/// The rules a leave request is checked against, without storage: written text (a reason is
/// required and must say something), spans of days with half days, and the times they cover.
/// </summary>
public static class LeaveRules
{
    /// <summary>Answers that are no reason at all (compared without spaces and punctuation, case-insensitive).</summary>
    public static readonly IReadOnlySet<string> Placeholders = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "无", "没有", "暂无", "无原因", "没原因", "没有原因", "无事由", "不详", "略", "同上", "见上", "空",
        "none", "no", "na", "nil", "null", "nothing", "noreason", "tbd",
    };

    /// <summary>How many letters and digits the text has: spaces, punctuation and symbols do not count.</summary>
    public static int Meaningful(string? text) => (text ?? "").EnumerateRunes().Count(Rune.IsLetterOrDigit);

    /// <summary>The letters and digits of the text, lower case (to compare with <see cref="Placeholders"/>).</summary>
    public static string Core(string? text) =>
        string.Concat((text ?? "").EnumerateRunes().Where(Rune.IsLetterOrDigit).Select(r => Rune.ToLowerInvariant(r).ToString()));

    /// <summary>The reason (请假原因): required, written out, at least <paramref name="min"/> letters or digits.</summary>
    public static FieldError? CheckReason(string? text, int min, int max) => CheckText(text, min, max, "reasonRequired", "reasonPlaceholder");

    /// <summary>This week's summary or next week's plan, handed in with leave from a weekly meeting.</summary>
    public static FieldError? CheckWorkText(string? text, int min, int max, string requiredKey) => CheckText(text, min, max, requiredKey, "workPlaceholder");

    private static FieldError? CheckText(string? text, int min, int max, string requiredKey, string placeholderKey)
    {
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0)
        {
            return new FieldError(requiredKey);
        }
        var core = Core(trimmed);
        if (core.Length == 0)
        {
            return new FieldError("punctuationOnly");
        }
        // "无", "none", or one character over and over ("无无无无无无无无无无").
        if (Placeholders.Contains(core) || core.EnumerateRunes().Distinct().Count() == 1)
        {
            return new FieldError(placeholderKey, trimmed.Length > 20 ? trimmed[..20] + "…" : trimmed);
        }
        var length = Meaningful(trimmed);
        if (length < min)
        {
            return new FieldError("tooShort", min, length);
        }
        if (trimmed.Length > max)
        {
            return new FieldError("tooLong", max, trimmed.Length);
        }
        return null;
    }

    /// <summary>A card's date ("2026-11-30"; Teams may also send a full ISO time) as a date, or null.</summary>
    public static DateOnly? ParseDate(string? text)
    {
        var t = (text ?? "").Trim();
        if (t.Length >= 10 && DateOnly.TryParseExact(t[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        return null;
    }

    /// <summary>"am" / "pm" as the card sends them.</summary>
    public static HalfDay? ParseHalf(string? text) => (text ?? "").Trim().ToLowerInvariant() switch
    {
        "am" => HalfDay.Morning,
        "pm" => HalfDay.Afternoon,
        _ => null,
    };

    public static string HalfValue(HalfDay half) => half == HalfDay.Morning ? "am" : "pm";

    /// <summary>The instants a span covers: from the start of its first half day to the end of its last (exclusive).</summary>
    public static (DateTimeOffset FromUtc, DateTimeOffset ToUtc) SpanUtc(DateOnly from, HalfDay fromHalf, DateOnly to, HalfDay toHalf, TimeZoneInfo zone)
    {
        var start = from.ToDateTime(fromHalf == HalfDay.Morning ? TimeOnly.MinValue : new TimeOnly(12, 0));
        var end = toHalf == HalfDay.Morning ? to.ToDateTime(new TimeOnly(12, 0)) : to.AddDays(1).ToDateTime(TimeOnly.MinValue);
        return (MeetingStore.ToUtc(start, zone), MeetingStore.ToUtc(end, zone));
    }

    /// <summary>Working days (Chinese calendar: weekends and holidays off, 调休 on) the span covers, in halves.</summary>
    public static double WorkingDays(DateOnly from, HalfDay fromHalf, DateOnly to, HalfDay toHalf, WorkingDayCalendar calendar)
    {
        var total = 0.0;
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            if (!calendar.IsWorkingDay(day))
            {
                continue;
            }
            var share = 1.0;
            if (day == from && fromHalf == HalfDay.Afternoon)
            {
                share -= 0.5;
            }
            if (day == to && toHalf == HalfDay.Morning)
            {
                share -= 0.5;
            }
            total += Math.Max(0, share);
        }
        return total;
    }

    /// <summary>
    /// Checks a span of days: both dates given and real, in order (a single day cannot run from
    /// the afternoon to the morning), not longer than <paramref name="maxDays"/>, starting no
    /// earlier than <paramref name="lateWindowDays"/> before <paramref name="today"/> and no later
    /// than a year after it. Errors are by input id (fromDate, toDate, fromHalf, toHalf).
    /// </summary>
    public static Dictionary<string, FieldError> CheckSpan(string? fromText, string? fromHalfText, string? toText, string? toHalfText, DateOnly today, int maxDays, int lateWindowDays)
    {
        var errors = new Dictionary<string, FieldError>();
        var from = ParseDate(fromText);
        var to = ParseDate(toText);
        var fromHalf = ParseHalf(fromHalfText);
        var toHalf = ParseHalf(toHalfText);
        if (string.IsNullOrWhiteSpace(fromText))
        {
            errors["fromDate"] = new FieldError("fromRequired");
        }
        else if (from == null)
        {
            errors["fromDate"] = new FieldError("dateInvalid");
        }
        if (string.IsNullOrWhiteSpace(toText))
        {
            errors["toDate"] = new FieldError("toRequired");
        }
        else if (to == null)
        {
            errors["toDate"] = new FieldError("dateInvalid");
        }
        if (fromHalf == null)
        {
            errors["fromHalf"] = new FieldError("halfInvalid");
        }
        if (toHalf == null)
        {
            errors["toHalf"] = new FieldError("halfInvalid");
        }
        if (from is { } f && !errors.ContainsKey("fromDate"))
        {
            var earliest = today.AddDays(-lateWindowDays);
            var latest = today.AddDays(366);
            if (f < earliest)
            {
                errors["fromDate"] = lateWindowDays == 0
                    ? new FieldError("notBeforehand", earliest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                    : new FieldError("tooEarly", lateWindowDays, earliest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
            else if (f > latest)
            {
                errors["fromDate"] = new FieldError("tooFar", latest.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
        }
        if (errors.Count == 0 && from is { } a && to is { } b)
        {
            if (b < a)
            {
                errors["toDate"] = new FieldError("toBeforeFrom");
            }
            else if (a == b && fromHalf == HalfDay.Afternoon && toHalf == HalfDay.Morning)
            {
                errors["toHalf"] = new FieldError("halvesReversed");
            }
            else if (b.DayNumber - a.DayNumber + 1 > maxDays)
            {
                errors["toDate"] = new FieldError("spanTooLong", maxDays);
            }
        }
        return errors;
    }

    /// <summary>Weekly meetings (weekly or seasonal schedules) ask for the week's summary and next week's plan (例会制度(一) 6.1, (四) 第八条).</summary>
    public static bool IsWeeklyMeeting(MeetingSeries series) => series.Schedule.Kind is ScheduleKind.Weekly or ScheduleKind.Seasonal;
}
