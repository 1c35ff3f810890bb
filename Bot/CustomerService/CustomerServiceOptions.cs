namespace ChatRegs.Bot.CustomerService;

/// <summary><c>ChatRegs:CustomerService</c>: customer files and the reps' own papers (docs/customers.md).</summary>
public sealed class CustomerServiceOptions
{
    public const string Section = "ChatRegs:CustomerService";

    /// <summary>Days from a customer's first service to the first contact (客服工作职责(6): 一周内).</summary>
    public int FirstContactDays { get; set; } = 7;

    /// <summary>The daily run (team time): customer files from the imports, first-contact reminders, monthly reminders.</summary>
    public TimeSpan DailyAt { get; set; } = new(9, 0, 0);

    /// <summary>When reps without today's 工作日志 are reminded (team time, working days).</summary>
    public TimeSpan LogReminderAt { get; set; } = new(17, 30, 0);

    /// <summary>The day of the next month by which a month's 月报 and 工作总结 are due (end of that day); reminders on the 1st and on this day.</summary>
    public int MonthlyDueDay { get; set; } = 3;

    /// <summary>A note's length cap.</summary>
    public int NoteMaxLength { get; set; } = 1000;

    /// <summary>A paper field's length cap.</summary>
    public int FieldMaxLength { get; set; } = 2000;

    public int EffectiveFirstContactDays => Math.Clamp(FirstContactDays, 1, 60);

    public int EffectiveMonthlyDueDay => Math.Clamp(MonthlyDueDay, 1, 28);

    public int EffectiveNoteMaxLength => Math.Clamp(NoteMaxLength, 10, 4000);

    public int EffectiveFieldMaxLength => Math.Clamp(FieldMaxLength, 10, 4000);
}
