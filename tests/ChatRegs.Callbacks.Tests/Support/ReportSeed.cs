using ChatRegs.Bot.Callbacks;

namespace ChatRegs.Callbacks.Tests.Support;

/// <summary>The known data set of the report tests (March 2026, as of the 20th), written straight to the store.</summary>
public static class ReportSeed
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private static DateTimeOffset At(int month, int day, int hour = 10) => new(2026, month, day, hour, 0, 0, China);

    private static CallbackTask Task(string tenant, string id, string name, bool member, int serviceDay, string? rep, CallbackStatus status = CallbackStatus.Open,
        DateTimeOffset? finished = null, Satisfaction satisfaction = Satisfaction.None, int month = 3, int failed = 0) => new()
    {
        TenantId = tenant,
        Id = id,
        CustomerName = name,
        Title = "mr",
        Phone = "1380000" + id,
        IsMember = member,
        ServiceItem = "汽车保养",
        ServiceType = "汽车保养",
        ServiceDate = new DateOnly(2026, month, serviceDay),
        DueDate = new DateOnly(2026, month, serviceDay).AddDays(3),
        CustomerTimeZone = "Asia/Shanghai",
        RepId = rep,
        RepName = rep switch { CallbacksHost.RepA => "李娜", CallbacksHost.RepB => "赵强", _ => null },
        Status = status,
        FinishedUtc = finished,
        Satisfaction = satisfaction,
        FailedAttempts = failed,
    };

    private static CallRecord Record(CallbackTask t, int number, CallOutcome outcome, DateTimeOffset ended, Satisfaction satisfaction = Satisfaction.None,
        string? complaint = null, bool offered = false, bool accepted = false, bool followUp = false, string? suggestion = null, CallMethod method = CallMethod.Phone) => new()
    {
        TenantId = t.TenantId,
        TaskId = t.Id,
        Number = number,
        StartedUtc = ended.AddMinutes(-3),
        EndedUtc = ended,
        RepId = t.RepId!,
        RepName = t.RepName!,
        CustomerName = t.CustomerName,
        Title = t.Title,
        Phone = t.Phone,
        IsMember = t.IsMember,
        ServiceItem = t.ServiceItem,
        ServiceDate = t.ServiceDate,
        DueDate = t.DueDate,
        ScriptId = "regulation-7",
        ScriptVersion = 1,
        Outcome = outcome,
        Attempt = outcome is CallOutcome.NoAnswer or CallOutcome.WrongPerson ? number : 0,
        Satisfaction = satisfaction,
        ComplaintWords = complaint,
        SuggestionWords = suggestion,
        Method = method,
        ComplaintOffered = offered,
        ComplaintAccepted = accepted,
        FollowUp = followUp,
        FollowUpNote = followUp ? "店长回电" : null,
        Steps = [new StepAnswer { StepId = "opening", Stage = "opening", Line = "您好我是…", AnswerId = "self", AnswerLabel = outcome == CallOutcome.NoAnswer ? "无人接听" : "本人" }],
    };

    /// <summary>
    /// March 2026, as of the 20th. T1–T6 and T8 were served in March; T7 in February (not counted).
    /// <list type="bullet">
    /// <item>T1 member, 李娜, satisfied on the 3rd (due the 4th): within three days; recommends "希望周末也能预约 **加急**".</item>
    /// <item>T2 member, 李娜, no answer, then average on the 7th (due the 5th): late. "等待时间太长".</item>
    /// <item>T3 non-member, 赵强, dissatisfied on the 4th (due the 5th), complaint accepted, follow-up. "等待时间太长。".</item>
    /// <item>T4 member, 赵强, still open, due the 13th: overdue.</item>
    /// <item>T5 non-member, 赵强, three failed attempts: unreachable.</item>
    /// <item>T6 member, 李娜, dissatisfied on the 17th (due the 19th): within. "价格不透明", by e-mail.</item>
    /// <item>T8 non-member, unassigned, due the 22nd: open, not overdue.</item>
    /// </list>
    /// </summary>
    public static async Task SeedAsync(CallbacksHost host)
    {
        var tenant = host.TenantId;
        var t1 = Task(tenant, "01", "甲", true, 1, CallbacksHost.RepA, CallbackStatus.Finished, At(3, 3), Satisfaction.Satisfied);
        var t2 = Task(tenant, "02", "乙", true, 2, CallbacksHost.RepA, CallbackStatus.Finished, At(3, 7), Satisfaction.Average);
        var t3 = Task(tenant, "03", "丙", false, 2, CallbacksHost.RepB, CallbackStatus.Finished, At(3, 4), Satisfaction.Dissatisfied);
        var t4 = Task(tenant, "04", "丁", true, 10, CallbacksHost.RepB);
        var t5 = Task(tenant, "05", "戊", false, 15, CallbacksHost.RepB, CallbackStatus.Unreachable, failed: 3);
        var t6 = Task(tenant, "06", "己", true, 16, CallbacksHost.RepA, CallbackStatus.Finished, At(3, 17), Satisfaction.Dissatisfied);
        var t7 = Task(tenant, "07", "庚", true, 27, CallbacksHost.RepA, CallbackStatus.Finished, At(3, 1), Satisfaction.Dissatisfied, month: 2);
        var t8 = Task(tenant, "08", "辛", false, 19, null);
        var tasks = new[] { t1, t2, t3, t4, t5, t6, t7, t8 };
        await host.Store.AddTasksAsync(tenant, tasks, default);
        var records = new (CallbackTask Task, CallRecord Record)[]
        {
            (t1, Record(t1, 1, CallOutcome.Finished, At(3, 3), Satisfaction.Satisfied, suggestion: "希望周末也能预约 **加急**")),
            (t2, Record(t2, 1, CallOutcome.NoAnswer, At(3, 5))),
            (t2, Record(t2, 2, CallOutcome.Finished, At(3, 7), Satisfaction.Average, "等待时间太长", offered: true)),
            (t3, Record(t3, 1, CallOutcome.Finished, At(3, 4), Satisfaction.Dissatisfied, "等待时间太长。", offered: true, accepted: true, followUp: true)),
            (t5, Record(t5, 1, CallOutcome.NoAnswer, At(3, 16))),
            (t5, Record(t5, 2, CallOutcome.WrongPerson, At(3, 17))),
            (t5, Record(t5, 3, CallOutcome.NoAnswer, At(3, 18))),
            (t6, Record(t6, 1, CallOutcome.Finished, At(3, 17), Satisfaction.Dissatisfied, "价格不透明", offered: true, method: CallMethod.Email)),
            (t7, Record(t7, 1, CallOutcome.Finished, At(3, 1), Satisfaction.Dissatisfied, "等待时间太长", offered: true, suggestion: null)),
        };
        foreach (var (task, record) in records)
        {
            await host.Store.SaveCallAsync(task, record, default);
        }
    }
}
