using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.CustomerService;
using ChatRegs.Bot.People;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace ChatRegs.CustomerService.Tests.Support;

/// <summary>
/// The real bot on a fake clock (FeatureHost) with a small customer-service team in tenant
/// "tenant-cs": 刘洋 (supervisor), 王经理 (manager), 李娜 and 赵强 (reps on duty), 孙丽 (rep, off
/// duty), 王小明 (an employee, no role); Amy (supervisor), Bob (manager) and Mike (rep on duty)
/// read English. It starts on Thursday 5 March 2026, 10:00 in Shanghai.
/// </summary>
public sealed class CustomerServiceHost(FeatureHost feature) : FeatureHostWrapper(feature)
{
    public const string Tenant = "tenant-cs";
    public const string Supervisor = "29:sup";
    public const string Manager = "29:mgr";
    public const string RepA = "29:rep-a";
    public const string RepB = "29:rep-b";
    public const string RepOff = "29:rep-off";
    public const string Employee = "29:emp";
    public const string SupervisorEn = "29:amy-en";
    public const string ManagerEn = "29:bob-en";
    public const string RepEn = "29:mike-en";

    public static readonly DateTimeOffset Start = new(2026, 3, 5, 10, 0, 0, FeatureHost.Shanghai);

    public static readonly DateOnly Day = new(2026, 3, 5);

    /// <summary>Served on 4 March: 王小明 and 张丽 for 李娜, Smith for Mike.</summary>
    public const string ThreeCustomers = """
        王小明,先生,13800138000,是,汽车保养,2026-03-04,李娜
        张丽,女士,13900001111,否,洗车,2026-03-04,李娜
        Smith,Ms,13700002222,yes,car wash,2026-03-04,Mike
        """;

    public CallbackStore Callbacks => Get<CallbackStore>();

    public CustomerServiceStore Store => Get<CustomerServiceStore>();

    public static async Task<CustomerServiceHost> StartAsync(Action<IServiceCollection>? configure = null, DateTimeOffset? now = null)
    {
        var feature = await FeatureHost.StartAsync(Tenant, now ?? Start, configure: configure);
        var host = new CustomerServiceHost(feature);
        await feature.PersonAsync(Supervisor, "刘洋", roles: Roles.CsSupervisor);
        await feature.PersonAsync(Manager, "王经理", roles: Roles.Manager);
        await feature.PersonAsync(RepA, "李娜", onDuty: true, roles: Roles.CsRep);
        await feature.PersonAsync(RepB, "赵强", onDuty: true, roles: Roles.CsRep);
        await feature.PersonAsync(RepOff, "孙丽", onDuty: false, roles: Roles.CsRep);
        await feature.PersonAsync(Employee, "王小明");
        await feature.PersonAsync(SupervisorEn, "Amy", roles: Roles.CsSupervisor);
        await feature.PersonAsync(ManagerEn, "Bob", roles: Roles.Manager);
        await feature.PersonAsync(RepEn, "Mike", onDuty: true, roles: Roles.CsRep);
        return host;
    }

    /// <summary>The supervisor imports the three customers served on 4 March (the callback import).</summary>
    public async Task ImportAsync(string rows = ThreeCustomers)
    {
        var replies = await SayAsync(Supervisor, "导入回访\n" + rows);
        Assert.NotEmpty(replies);
    }

    public Task<List<IActivity>> SayAsync(string userId, string text, string? locale = null) => Feature.DriveAsync(Feature.SayAsync(userId, text, locale));

    public Task<List<IActivity>> SubmitAsync(string userId, object value, string? locale = null) => Feature.DriveAsync(Feature.SubmitAsync(userId, value, locale));

    public Task<List<IActivity>> PressAsync(string userId, JObject card, string button, object? inputs = null) => Feature.PressAsync(userId, card, button, inputs);

    public void At(DateOnly day, int hour, int minute = 0) => Feature.At(day, hour, minute);

    /// <summary>The last card among the replies (no binding text left).</summary>
    public static JObject LastCard(IEnumerable<IActivity> replies)
    {
        var card = TurnKit.Card(replies.Last(r => r.AsMessageActivity()?.Attachments?.Any(a => a.Content is JObject) == true));
        Assert.DoesNotContain("${", card.ToString());
        return card;
    }

    public static string Texts(IEnumerable<IActivity> replies) =>
        string.Join("\n", replies.Select(r => r.AsMessageActivity()?.Text).Where(t => !string.IsNullOrEmpty(t)));

    /// <summary>Everything readable in the replies: texts and the cards' text.</summary>
    public static string Readable(IEnumerable<IActivity> replies) =>
        string.Join("\n", replies.Select(r => r.AsMessageActivity() is { } m
            ? (m.Text ?? "") + string.Concat((m.Attachments ?? []).Where(a => a.Content is JObject).Select(a => "\n" + TurnKit.Text((JObject)a.Content)))
            : ""));

    /// <summary>The ids of a card's inputs.</summary>
    public static IReadOnlyList<string> Inputs(JObject card) =>
        card.Descendants().OfType<JObject>().Where(o => ((string?)o["type"])?.StartsWith("Input.", StringComparison.Ordinal) == true).Select(o => (string)o["id"]!).ToList();

    public async Task<CallbackTask> TaskAsync(string phone, string service, DateOnly date) =>
        (await Callbacks.GetTaskAsync(Tenant, CallbackStore.TaskId(phone, service, date), default))
        ?? throw new InvalidOperationException($"No task for {phone} {service} {date}.");

    /// <summary>A finished callback of the task, by its rep, now (as the guided call saves it).</summary>
    public async Task<CallRecord> FinishCallAsync(CallbackTask task, Satisfaction satisfaction, string words)
    {
        var now = Clock.GetUtcNow();
        var record = new CallRecord
        {
            TenantId = Tenant, TaskId = task.Id, Number = task.Calls + 1, StartedUtc = now.AddMinutes(-5), EndedUtc = now,
            RepId = task.RepId!, RepName = task.RepName!, CustomerName = task.CustomerName, Title = task.Title, Phone = task.Phone,
            IsMember = task.IsMember, ServiceItem = task.ServiceItem, ServiceDate = task.ServiceDate, DueDate = task.DueDate,
            ScriptId = "default", ScriptVersion = 1, Outcome = CallOutcome.Finished, Satisfaction = satisfaction,
            Steps = [new StepAnswer { StepId = "q", Stage = "exchange", Line = "请问您对服务满意吗？", Words = words }],
        };
        var closed = task with { Status = CallbackStatus.Finished, Calls = task.Calls + 1, FinishedUtc = now, LastCallUtc = now, LastOutcome = CallOutcome.Finished, Satisfaction = satisfaction };
        Assert.True((await Callbacks.SaveCallAsync(closed, record, default)).IsWritten);
        return record;
    }

    public async Task<CustomerFile> FileAsync(string phone) =>
        await Store.GetCustomerAsync(Tenant, phone, default) ?? throw new InvalidOperationException($"No customer file {phone}.");

    /// <summary>The proactive cards and texts a person received.</summary>
    public string ReadableTo(string userId) => Feature.ReadableTo(userId);
}
