using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Complaints;
using ChatRegs.Bot.People;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

using Activity = Microsoft.Bot.Schema.Activity;

namespace ChatRegs.Complaints.Tests.Support;

/// <summary>
/// The real bot on a fake clock (FeatureHost) with a small company in tenant "tenant-cp":
/// 刘洋 (customer-service supervisor), 王经理 (manager), 李娜 (rep on duty), 赵强 (售后部, the
/// investigator), 王小明 (an employee), 陈主任 (office); Amy (supervisor), Bob (manager) and
/// Mike (rep) read English.
/// </summary>
public sealed class ComplaintsHost : IAsyncDisposable
{
    public const string Tenant = "tenant-cp";
    public const string Supervisor = "29:sup";
    public const string Manager = "29:mgr";
    public const string Rep = "29:rep";
    public const string Investigator = "29:zhao";
    public const string Employee = "29:emp";
    public const string Office = "29:office-cp";
    public const string SupervisorEn = "29:amy-en";
    public const string ManagerEn = "29:bob-en";
    public const string RepEn = "29:mike-en";

    /// <summary>Thursday 26 November 2026, 10:00 in Shanghai.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 10, 0, 0, FeatureHost.Shanghai);

    public static readonly DateOnly Day = new(2026, 11, 26);

    private ComplaintsHost(FeatureHost host) => Host = host;

    public FeatureHost Host { get; }

    public ComplaintStore Store => Host.Get<ComplaintStore>();

    public CallbackStore Callbacks => Host.Get<CallbackStore>();

    public static async Task<ComplaintsHost> StartAsync(Dictionary<string, string?>? settings = null, DateTimeOffset? now = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configure = null)
    {
        var host = await FeatureHost.StartAsync(Tenant, now ?? Start, settings, configure);
        await host.PersonAsync(Supervisor, "刘洋", roles: Roles.CsSupervisor);
        await host.PersonAsync(Manager, "王经理", roles: Roles.Manager);
        await host.PersonAsync(Rep, "李娜", onDuty: true, team: "客服部", roles: Roles.CsRep);
        await host.PersonAsync(Investigator, "赵强", team: "售后部");
        await host.PersonAsync(Employee, "王小明", team: "行政部");
        await host.PersonAsync(Office, "陈主任", roles: Roles.Office);
        await host.PersonAsync(SupervisorEn, "Amy", roles: Roles.CsSupervisor);
        await host.PersonAsync(ManagerEn, "Bob", roles: Roles.Manager);
        await host.PersonAsync(RepEn, "Mike", onDuty: false, roles: Roles.CsRep);
        return new ComplaintsHost(host);
    }

    /// <summary>
    /// A turn, with the fake clock running while it works: a turn that tells the next owner sends
    /// proactive messages, and the connector pacing (Teams' limits) waits on this clock.
    /// </summary>
    public Task<List<IActivity>> SayAsync(string userId, string text, string? locale = null) => Host.DriveAsync(Host.SayAsync(userId, text, locale));

    public Task<List<IActivity>> SubmitAsync(string userId, object value) => Host.DriveAsync(Host.SubmitAsync(userId, value));

    /// <summary>A time to the minute (turns let the fake clock run a few milliseconds).</summary>
    public static DateTimeOffset Minute(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerMinute, t.Offset);

    /// <summary>
    /// Presses a card's Action.Submit button as Teams does: the button's data with every input of
    /// the card as shown, overlaid with what the person typed.
    /// </summary>
    public Task<List<IActivity>> PressAsync(string userId, JObject card, string button, object? inputs = null, string? locale = null) =>
        Host.PressAsync(userId, card, button, inputs, locale);

    /// <summary>Presses an Action.Execute button (an adaptiveCard/action invoke); returns the replies, the invoke response last.</summary>
    public Task<List<IActivity>> ExecuteAsync(string userId, JObject card, string button, object? inputs = null)
    {
        var action = card.Descendants().OfType<JObject>().Single(o => (string?)o["type"] == "Action.Execute" && (string?)o["title"] == button);
        var data = (JObject)action["data"]!.DeepClone();
        foreach (var p in inputs == null ? [] : JObject.FromObject(inputs).Properties())
        {
            data[p.Name] = p.Value;
        }
        return Host.DriveAsync(Host.SendAsync(Host.Adapter(userId), new Activity
        {
            Type = ActivityTypes.Invoke,
            Name = "adaptiveCard/action",
            Value = new JObject { ["action"] = new JObject { ["type"] = "Action.Execute", ["verb"] = (string?)action["verb"], ["data"] = data }, ["trigger"] = "manual" },
        }));
    }

    /// <summary>The card an invoke answered with (the refreshed card).</summary>
    public static JObject InvokeCard(List<IActivity> replies)
    {
        var response = replies.Single(r => r.Type == "invokeResponse");
        var body = JObject.FromObject(((Activity)response).Value)["Body"] ?? JObject.FromObject(((Activity)response).Value)["body"];
        var card = (JObject)body!["value"]!;
        Assert.DoesNotContain("${", card.ToString());
        return card;
    }

    /// <summary>The last card among the replies.</summary>
    public static JObject LastCard(IEnumerable<IActivity> replies) =>
        TurnKit.Card(replies.Last(r => r.AsMessageActivity()?.Attachments?.Any(a => a.Content is JObject) == true));

    public static string Texts(IEnumerable<IActivity> replies) =>
        string.Join("\n", replies.Select(r => r.AsMessageActivity()?.Text).Where(t => !string.IsNullOrEmpty(t)));

    /// <summary>The last card the bot sent to a person's 1:1 chat proactively.</summary>
    public JObject LastCardTo(string userId)
    {
        var card = Host.CardsTo(userId).Last();
        Assert.DoesNotContain("${", card.ToString());
        return card;
    }

    public async Task<Complaint> ComplaintAsync(string number) => (await Store.GetAsync(Tenant, number, default))!;

    public async Task<IReadOnlyList<string>> EventsAsync(string number) =>
        (await Store.EventsAsync(Tenant, number, default)).Select(e => $"{e.ActorName}:{e.Action}").ToList();

    /// <summary>A valid 顾客投诉登记表 (typed values).</summary>
    public static object Form(string name = "张丽", string phone = "13900001111", string category = "service", string what = "洗完车还有水渍", string request = "重新清洗", string date = "2026-11-26", string time = "09:30") =>
        new { complainant = name, title = "ms", contact = phone, receivedDate = date, receivedTime = time, channel = "phone", category, what, request };

    /// <summary>投诉判定, founded: both questions answered, the customer asked for time until a reply-by time they accepted.</summary>
    public static object Founded(string investigator = Investigator, string department = "", string replyByDate = "2026-12-20", string replyByTime = "18:00", string requestReasonable = "yes") =>
        new { reasonsSufficient = "yes", requestReasonable, verdict = "founded", investigator, department, askedForTime = "true", replyByDate, replyByTime, reply = "" };

    /// <summary>投诉判定, not founded: the questions answered and the tactful reply given.</summary>
    public static object Unfounded(string reply, string reasonsSufficient = "no", string requestReasonable = "no") =>
        new { reasonsSufficient, requestReasonable, verdict = "unfounded", reply };

    /// <summary>展开调查: the cause, the person responsible, and who it goes to (a repair-quality problem to 赵强 by default).</summary>
    public static object Investigated(string cause = "烘干机故障", string responsible = "洗车组 王师傅", string problemType = "repair", string handler = Investigator) =>
        new { cause, responsible, problemType, handler };

    /// <summary>实施处理方案, accepted: the penalties decided, the signature on paper kept by 李娜, the feedback.</summary>
    public static object Implemented(string feedback = "顾客满意", string keeper = "李娜") =>
        new { confirmed = "yes", penaltyPerson = "王师傅", penaltyPersonWhat = "按规定扣当月绩效 100 元", penaltyHead = "洗车组 刘组长", penaltyHeadWhat = "书面警告", signatureMethod = "paper", signatureKeeper = keeper, feedback };

    /// <summary>李娜 registers a complaint through the form; returns its number.</summary>
    public async Task<string> RegisterAsync(string userId = Rep, object? form = null)
    {
        var en = userId.EndsWith("-en", StringComparison.Ordinal);
        // A command is answered in the language it is typed in (docs/language.md).
        var card = LastCard(await SayAsync(userId, en ? "complaint" : "投诉"));
        var replies = await PressAsync(userId, card, en ? "Register complaint" : "登记投诉", form ?? Form());
        var c = (await Store.ListAsync(Tenant, default)).OrderBy(x => x.RegisteredUtc).Last();
        Assert.Contains(c.Number, Texts(replies));
        return c.Number;
    }

    /// <summary>
    /// A complaint taken by 李娜 to 实施处理方案: judged founded, investigated by 赵强 (a repair
    /// problem he handles), one plan, approved by the manager. Returns its number.
    /// </summary>
    public async Task<string> ToImplementationAsync()
    {
        var number = await RegisterAsync();
        await PressAsync(Supervisor, LastCardTo(Supervisor), "提交判定", Founded());
        var planCard = LastCard(await PressAsync(Investigator, LastCardTo(Investigator), "提交调查结果", Investigated()));
        await PressAsync(Investigator, planCard, "提交领导批示", new { plan = "免费重洗" });
        await ExecuteAsync(Manager, LastCardTo(Manager), "批准所选方案", new { chosenPlan = "1" });
        Assert.Equal(ComplaintStage.Implement, (await ComplaintAsync(number)).Stage);
        return number;
    }

    /// <summary>A message with a file attached, as Teams sends it (a download-info attachment), in the person's 1:1 chat unless another adapter is given.</summary>
    public Task<List<IActivity>> SendFileAsync(string userId, string text, string fileName, string downloadUrl, Microsoft.Bot.Builder.Adapters.TestAdapter? adapter = null) =>
        Host.DriveAsync(Host.SendAsync(adapter ?? Host.Adapter(userId), new Activity
        {
            Type = ActivityTypes.Message,
            Text = text,
            Attachments =
            [
                new Attachment
                {
                    ContentType = CallbackFiles.TeamsFileDownload,
                    Name = fileName,
                    Content = JObject.FromObject(new { downloadUrl, uniqueId = Guid.NewGuid().ToString(), fileType = Path.GetExtension(fileName).TrimStart('.') }),
                },
            ],
        }));

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
