namespace ChatRegs.Bot.Storage;

/// <summary>
/// Every table the bot uses, with the deployment's prefix. Features add their tables here so
/// that start-up creates them all and the health check covers them.
/// </summary>
public sealed class TableNames
{
    public TableNames(StorageOptions options)
    {
        var prefix = options.TablePrefix ?? "";
        if (prefix.Length > 0 && (!char.IsAsciiLetter(prefix[0]) || !prefix.All(char.IsAsciiLetterOrDigit)))
        {
            throw new ArgumentException($"ChatRegs:Storage:TablePrefix '{prefix}' must be letters and digits, starting with a letter.");
        }
        BotState = prefix + "BotState";
        ConversationReferences = prefix + "ConversationReferences";
        People = prefix + "People";
        Suggestions = prefix + "Suggestions";
        ProcessedActivities = prefix + "ProcessedActivities";
        Jobs = prefix + "Jobs";
        DeliveryFailures = prefix + "DeliveryFailures";
        Meetings = prefix + "Meetings";
        CheckIns = prefix + "CheckIns";
        Agendas = prefix + "Agendas";
        Minutes = prefix + "Minutes";
        WeeklyReports = prefix + "WeeklyReports";
        WeeklyReportSettings = prefix + "WeeklyReportSettings";
        PendingExports = prefix + "PendingExports";
        LeaveRequests = prefix + "LeaveRequests";
        Callbacks = prefix + "Callbacks";
        Complaints = prefix + "Complaints";
        CustomerService = prefix + "CustomerService";
    }

    /// <summary>Bot Framework state (conversation, user and dialog state) behind IStorage.</summary>
    public string BotState { get; }

    /// <summary>Where each conversation and person can be reached proactively.</summary>
    public string ConversationReferences { get; }

    /// <summary>People, departments and the audit of changes to them (one partition per tenant).</summary>
    public string People { get; }

    /// <summary>Improvement suggestions (合理化建议) by tenant and ISO week.</summary>
    public string Suggestions { get; }

    /// <summary>Activity ids already processed, so a redelivered activity runs once.</summary>
    public string ProcessedActivities { get; }

    /// <summary>Scheduled jobs and their due index (Scheduling/JobStore.cs).</summary>
    public string Jobs { get; }

    /// <summary>Proactive messages that could not be delivered, per tenant, newest first.</summary>
    public string DeliveryFailures { get; }

    /// <summary>Meeting series, their participants and one-off changes (Meetings/MeetingStore.cs).</summary>
    public string Meetings { get; }

    /// <summary>Check-ins and roll corrections: one partition per tenant and meeting occurrence (Meetings/CheckIns/CheckInStore.cs).</summary>
    public string CheckIns { get; }

    /// <summary>Meeting topics and the posted agenda: one partition per tenant and meeting occurrence (Meetings/Agenda/AgendaStore.cs).</summary>
    public string Agendas { get; }

    /// <summary>Meeting minutes (会议纪要), their versions, action items (督办) and reminders sent: one partition per tenant (Meetings/Minutes/MinutesStore.cs).</summary>
    public string Minutes { get; }

    /// <summary>Weekly reports (周报): PartitionKey = tenant|team|ISO week, RowKey = user (WeeklyReports/WeeklyReportStore.cs).</summary>
    public string WeeklyReports { get; }

    /// <summary>Each team's weekly-report deadline, reminder and digest recipients, per tenant.</summary>
    public string WeeklyReportSettings { get; }


    /// <summary>Files offered through Teams' file consent card and not yet accepted: PartitionKey = tenant, RowKey = export id (Exports/PendingExportStore.cs).</summary>
    public string PendingExports { get; }

    /// <summary>Leave requests (请假), their index rows, history and approval cards: one partition per tenant (Leave/LeaveStore.cs).</summary>
    public string LeaveRequests { get; }

    /// <summary>Callback tasks, their call records (回访记录表) and script settings: one partition per tenant (Callbacks/CallbackStore.cs).</summary>
    public string Callbacks { get; }

    /// <summary>Complaints (顾客投诉), their events and number counters: one partition per tenant (Complaints/ComplaintStore.cs).</summary>
    public string Complaints { get; }

    /// <summary>Customer files, their notes and the reps' 工作日志 / 月报 / 工作总结: one partition per tenant (CustomerService/CustomerServiceStore.cs).</summary>
    public string CustomerService { get; }

    public IReadOnlyList<string> All => [BotState, ConversationReferences, People, Suggestions, ProcessedActivities, Jobs, DeliveryFailures, Meetings, CheckIns, WeeklyReports, WeeklyReportSettings, Agendas, Minutes, PendingExports, LeaveRequests, Callbacks, Complaints, CustomerService];
}
