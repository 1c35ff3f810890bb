using ChatRegs.Bot.Core;
using ChatRegs.Bot.Scheduling;

namespace ChatRegs.Bot.Callbacks;

/// <summary>Bound from "ChatRegs:Callbacks". Every rule of 客服工作职责(6)(7) that a company may want to tune.</summary>
public sealed class CallbackOptions
{
    public const string Section = "ChatRegs:Callbacks";

    /// <summary>
    /// The customers' rest time (避免在客户休息时打扰客户), in the customer's own time zone, as
    /// comma-separated "HH:mm-HH:mm" ranges; a range may run past midnight ("20:00-09:00"). A call
    /// may start at a range's end, not at its start.
    /// </summary>
    public string QuietHours { get; set; } = "12:00-14:00,20:00-09:00";

    /// <summary>Calls that did not reach the customer (无人接听 / 非本人) before the task counts as unreachable and goes to the supervisor.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The least time between two attempts; the next one is also moved out of the rest time.</summary>
    public TimeSpan RetrySpacing { get; set; } = TimeSpan.FromHours(2);

    /// <summary>务必保证在三天之内回访: a task is due this many calendar days after the service.</summary>
    public int WindowDays { get; set; } = 3;

    /// <summary>The customers' time zone when the imported row names none. Empty = the team's (ChatRegs:TimeZone).</summary>
    public string CustomerTimeZone { get; set; } = "";

    /// <summary>The team's time zone for due days and the daily run. Empty = ChatRegs:TimeZone, else Asia/Shanghai.</summary>
    public string TimeZone { get; set; } = "";

    /// <summary>When the daily run reminds reps of the tasks due that day and sends overdue ones to the supervisors (team time).</summary>
    public TimeSpan DailyAt { get; set; } = new(9, 0, 0);

    /// <summary>The company's name read in the script (感谢您…理解了我们××的××服务项目), Chinese.</summary>
    public string CompanyName { get; set; } = "公司";

    /// <summary>The company's name in the English script.</summary>
    public string CompanyNameEn { get; set; } = "our company";

    /// <summary>The script used for a service type nobody chose one for (a script id from Callbacks/Scripts).</summary>
    public string DefaultScript { get; set; } = "regulation-7";

    /// <summary>A folder of further script files (*.json), beside the shipped ones; new and changed files are picked up without a restart. Empty = none.</summary>
    public string ScriptsFolder { get; set; } = "";

    /// <summary>How often <see cref="ScriptsFolder"/> is looked at again for new or changed files.</summary>
    public TimeSpan ScriptsRecheck { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Rows one import may hold.</summary>
    public int MaxImportRows { get; set; } = 2000;

    /// <summary>Bytes one imported file may hold.</summary>
    public int MaxImportBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The hosts an imported file may be downloaded from, comma-separated; "*.example.com" means
    /// every name below example.com. Teams hands the bot a file sent in a 1:1 chat as a
    /// pre-authorized download link in the sender's OneDrive (SharePoint: *.sharepoint.com, and
    /// *.sharepoint.cn for Teams operated by 21Vianet) and pasted images as attachment links on
    /// its connector (smba.trafficmanager.net). Links must be https on the default port, and the
    /// host must resolve to public addresses only; data: links need no download and are always read.
    /// </summary>
    public string ImportHosts { get; set; } = "*.sharepoint.com,*.sharepoint.cn,smba.trafficmanager.net";

    /// <summary>How long downloading one imported file may take in all (connect, redirects, body); 1 s to 2 min.</summary>
    public TimeSpan ImportTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary><see cref="ImportHosts"/> as a list.</summary>
    public IReadOnlyList<string> ImportHostList() =>
        ImportHosts.Split([',', ';', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Tasks a queue card lists at most (the most urgent ones).</summary>
    public int QueueSize { get; set; } = 25;

    /// <summary>How early before a booked time a call may start.</summary>
    public TimeSpan BookingEarly { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far ahead a customer's 方便的时间 may be booked.</summary>
    public int MaxBookingDays { get; set; } = 30;

    /// <summary>The team's time zone id, resolved.</summary>
    public string TeamTimeZoneId(string? configured) =>
        !string.IsNullOrWhiteSpace(TimeZone) ? TimeZone.Trim() : string.IsNullOrWhiteSpace(configured) ? TimeZones.DefaultId : configured.Trim();
}
