using System.Globalization;

namespace ChatRegs.Bot.Meetings.Minutes;

/// <summary>Bound from "ChatRegs:Minutes".</summary>
public sealed class MinutesOptions
{
    public const string Section = "ChatRegs:Minutes";

    /// <summary>Minutes are due this many working days after the meeting (例会制度(三) 五.3: 两个工作日内).</summary>
    public int DueWorkingDays { get; set; } = 2;

    /// <summary>The morning time ("HH:mm", team time zone) of the daily run: due-day and action-item reminders, overdue reports.</summary>
    public string ReminderTime { get; set; } = "09:00";

    /// <summary>The time zone of the daily run and of "today". Empty = the team's (ChatRegs:TimeZone, else Asia/Shanghai).</summary>
    public string TimeZone { get; set; } = "";

    /// <summary>How far back <c>会议纪要</c> and the daily run look for meetings.</summary>
    public int LookBackDays { get; set; } = 30;

    /// <summary>Empty decision rows offered in the form.</summary>
    public int EmptyDecisionRows { get; set; } = 2;

    /// <summary>At most this many decisions per meeting (the form must stay under Teams' card size).</summary>
    public int MaxDecisions { get; set; } = 20;

    /// <summary>At most this many characters per discussion record or outcome.</summary>
    public int MaxTextLength { get; set; } = 4000;

    /// <summary>Tenants whose daily run is scheduled at start-up (besides <c>ChatRegs:AllowedTenants</c>); others get it on first use.</summary>
    public List<string> Tenants { get; set; } = [];

    public TimeOnly Reminder => TimeOnly.TryParseExact(ReminderTime, ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : new TimeOnly(9, 0);
}
