using ChatRegs.Bot.Core;
using System.Globalization;
using ChatRegs.Bot.Localization;

namespace ChatRegs.Bot.Meetings;

/// <summary>Dates, times and statuses of meetings as people read them, in the series' time zone and the reader's language.</summary>
public static class MeetingText
{
    public static bool IsEnglish(string locale) => Localizer.Resolve(locale) == Localizer.English;

    public static DateTime Local(DateTimeOffset instant, MeetingSeries series) => TeamClock.LocalIn(instant, series.Zone);

    public static string Time(DateTimeOffset instant, MeetingSeries series) => Local(instant, series).ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>
    /// A check-in's time: "08:26"; a late one with its seconds, "21:00:19" — late counts from one
    /// second after the start, so the minute alone ("21:00 迟到") would contradict the status.
    /// </summary>
    public static string CheckInTime(DateTimeOffset instant, bool late, MeetingSeries series) =>
        Local(instant, series).ToString(late ? "HH:mm:ss" : "HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"11月30日 周一" / "Mon 30 Nov".</summary>
    public static string Date(DateTime local, string locale)
    {
        if (IsEnglish(locale))
        {
            return local.ToString("ddd d MMM", CultureInfo.GetCultureInfo("en-US"));
        }
        var zh = CultureInfo.GetCultureInfo("zh-CN");
        return $"{local.Month}月{local.Day}日 {zh.DateTimeFormat.GetShortestDayName(local.DayOfWeek).Replace("周", "周")}";
    }

    /// <summary>"2026年11月30日 周一" / "Mon 30 Nov 2026": for records that are kept (minutes), where the year belongs.</summary>
    public static string DateWithYear(DateTime local, string locale) =>
        IsEnglish(locale) ? Date(local, locale) + " " + local.Year.ToString(CultureInfo.InvariantCulture) : $"{local.Year}年{Date(local, locale)}";

    /// <summary>"11月30日 周一 08:30–09:30" / "Mon 30 Nov 08:30–09:30" (with <paramref name="withYear"/>: "2026年11月30日 周一 08:30–09:30").</summary>
    public static string When(MeetingOccurrence occurrence, string locale, bool withYear = false)
    {
        var start = occurrence.LocalStart;
        var end = occurrence.LocalEnd;
        Func<DateTime, string, string> date = withYear ? DateWithYear : Date;
        var endText = end.Date == start.Date ? end.ToString("HH:mm", CultureInfo.InvariantCulture) : date(end, locale) + " " + end.ToString("HH:mm", CultureInfo.InvariantCulture);
        return $"{date(start, locale)} {start:HH\\:mm}–{endText}";
    }

    /// <summary>The check-in window: "08:00–09:30", with the date when it is not <paramref name="today"/> (or, without today, not the meeting's day).</summary>
    public static string Window(MeetingOccurrence occurrence, string locale, DateOnly? today = null)
    {
        var opens = Local(occurrence.CheckInOpens, occurrence.Series);
        var closes = Local(occurrence.CheckInCloses, occurrence.Series);
        // The date only when it is not obvious: not today (when today is given), else not the meeting's own day.
        var sameDay = today != null ? today == DateOnly.FromDateTime(opens) : opens.Date == occurrence.LocalStart.Date;
        var prefix = sameDay ? "" : Date(opens, locale) + " ";
        var closesText = closes.Date == opens.Date ? closes.ToString("HH:mm", CultureInfo.InvariantCulture) : Date(closes, locale) + " " + closes.ToString("HH:mm", CultureInfo.InvariantCulture);
        return $"{prefix}{opens:HH\\:mm}–{closesText}";
    }

    public static string Status(Localizer localizer, string locale, AttendanceStatus status) =>
        localizer.Get(locale, "meetings.status." + char.ToLowerInvariant(status.ToString()[0]) + status.ToString()[1..]);

    public static string Status(Localizer localizer, string locale, CheckIns.CheckInStatus status) => Status(localizer, locale, ToAttendance(status));

    public static AttendanceStatus ToAttendance(CheckIns.CheckInStatus status) => status switch
    {
        CheckIns.CheckInStatus.Early => AttendanceStatus.Early,
        CheckIns.CheckInStatus.Late => AttendanceStatus.Late,
        _ => AttendanceStatus.OnTime,
    };
}

/// <summary>A person's line in the roll.</summary>
public enum AttendanceStatus
{
    /// <summary>Checked in at least five minutes before the start (提前).</summary>
    Early,

    /// <summary>Checked in by the start plus the grace (准时).</summary>
    OnTime,

    /// <summary>
    /// Checked in, not late, but later than the series' arrive-by offset before the start
    /// (未提前签到: 例会制度(四) 第八条 asks for five minutes early). Present, in the roll only:
    /// statistics count it as on time.
    /// </summary>
    NotEarly,

    /// <summary>Checked in after the start plus the grace (迟到).</summary>
    Late,

    /// <summary>Approved leave (请假), from the leave feature (<see cref="Attendance.ILeaveRoster"/>).</summary>
    OnLeave,

    /// <summary>Neither checked in nor on leave (缺席).</summary>
    Absent,

    /// <summary>Left before the end (早退): a correction by the host or recorder.</summary>
    LeftEarly,

    /// <summary>Excused by the host or recorder (准假/特殊情况).</summary>
    Excused,
}
