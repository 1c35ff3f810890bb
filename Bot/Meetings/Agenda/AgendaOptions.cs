using System.Globalization;

namespace ChatRegs.Bot.Meetings.Agenda;

/// <summary>Bound from "ChatRegs:Agenda".</summary>
public sealed class AgendaOptions
{
    public const string Section = "ChatRegs:Agenda";

    /// <summary>
    /// Topics are due at this local time ("HH:mm", the series' time zone) on the working day
    /// <see cref="DeadlineWorkingDaysBefore"/> working days before the meeting: by default
    /// 17:00 the working day before (Chinese working days, holidays and 调休 included).
    /// </summary>
    public string DeadlineTime { get; set; } = "17:00";

    public int DeadlineWorkingDaysBefore { get; set; } = 1;

    /// <summary>How far ahead the commands look for a series' next meeting.</summary>
    public int LookAheadDays { get; set; } = 60;

    /// <summary>At most this many topics per meeting (the review card must stay under Teams' size limit).</summary>
    public int MaxTopics { get; set; } = 40;

    /// <summary>At most this many people are offered as presenter in the topic form.</summary>
    public int MaxPeopleInForm { get; set; } = 150;

    public TimeOnly Deadline => TimeOnly.TryParseExact(DeadlineTime, ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : new TimeOnly(17, 0);
}
