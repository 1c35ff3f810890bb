using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ChatRegs.Bot.Complaints;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Storage;
using ChatRegs.TestSupport;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.Complaints.Tests;

/// <summary>The complaint path and the handbook over HTTP, as Teams sends them (messages, card submits, an Action.Execute invoke).</summary>
public sealed class HttpEndToEndTests
{
    private const string Tenant = "tenant-http-cp";
    private const string Supervisor = "29:http-sup";
    private const string Rep = "29:http-rep";
    private const string Manager = "29:http-mgr";

    private static JsonObject Activity(string type, string from, string name, string locale, string? text = null, JsonObject? value = null, string? invokeName = null)
    {
        var activity = TeamsHttp.From(Tenant, from, name, locale, type);
        if (text != null) activity["text"] = text;
        if (value != null) activity["value"] = value;
        if (invokeName != null) activity["name"] = invokeName;
        return activity;
    }

    private static string CardText(JsonObject card) => TurnKit.Text(Newtonsoft.Json.Linq.JObject.Parse(card.ToJsonString()));

    private static JsonObject Press(JsonObject card, string title, object? inputs = null)
    {
        var data = JsonNode.Parse(Replies.Button(Newtonsoft.Json.Linq.JObject.Parse(card.ToJsonString()), title).ToString())!.AsObject();
        foreach (var p in inputs == null ? [] : Newtonsoft.Json.Linq.JObject.FromObject(inputs).Properties())
        {
            data[p.Name] = (string?)p.Value;
        }
        return data;
    }

    [Fact]
    public async Task Register_judge_investigate_and_approve_over_http_then_read_the_duties()
    {
        var connector = new TeamsConnector();
        await using var factory = new BotFactory(new() { ["ChatRegs:Jobs:RunnerEnabled"] = "false" });
        await using var app = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
            services.AddHttpClient(ProactiveOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => connector)));
        var client = app.CreateClient();
        var services = app.Services;
        foreach (var table in services.GetRequiredService<TableNames>().All)
        {
            await services.GetRequiredService<TableServiceClient>().CreateTableIfNotExistsAsync(table);
        }
        var people = services.GetRequiredService<PeopleDirectory>();
        var seeder = new Person { TenantId = Tenant, UserId = "test-seed", Name = "test seed" };
        foreach (var (id, name, role) in new[] { (Supervisor, "刘洋", Roles.CsSupervisor), (Rep, "李娜", Roles.CsRep), (Manager, "王经理", Roles.Manager) })
        {
            await people.EnsureKnownAsync(Tenant, id, name, "aad-" + id, null, "zh-CN");
            var person = (await people.GetAsync(Tenant, id))!;
            await people.SaveAssignmentAsync(seeder, person, new HashSet<string> { role }, "客服部", onDuty: role == Roles.CsRep, person.ETag);
        }
        async Task<JsonArray> Post(JsonObject activity) => await TeamsHttp.PostAsync(client, activity.ToJsonString());

        // 投诉 → the form; the rep fills it in.
        var form = JsonReplies.LastCard(await Post(Activity("message", Rep, "李娜", "zh-CN", "投诉")));
        Assert.Contains("顾客投诉登记表", CardText(form));
        var earlier = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddHours(-1), TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        var replies = await Post(Activity("message", Rep, "李娜", "zh-CN", value: Press(form, "登记投诉", new
        {
            complainant = "张丽", title = "ms", contact = "139 0000 1111", channel = "visit", category = "attitude", what = "前台态度冷淡", request = "道歉",
            receivedDate = earlier.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), receivedTime = earlier.ToString("HH:mm", CultureInfo.InvariantCulture),
        })));
        var number = (await services.GetRequiredService<ComplaintStore>().ListAsync(Tenant, default)).Single().Number;
        Assert.Contains($"已登记投诉 {number}，已交客服主管判定", JsonReplies.Texts(replies));

        // The supervisor finds it, judges it founded, and (stepping in) records the findings and a plan.
        var list = JsonReplies.LastCard(await Post(Activity("message", Supervisor, "刘洋", "zh-CN", "投诉 列表")));
        Assert.Contains(number, CardText(list));
        var view = JsonReplies.LastCard(await Post(Activity("message", Supervisor, "刘洋", "zh-CN", value: Press(list, "打开"))));
        replies = await Post(Activity("message", Supervisor, "刘洋", "zh-CN", value: Press(view, "提交判定", new
        {
            reasonsSufficient = "yes", requestReasonable = "yes", verdict = "founded", investigator = Rep, department = "前台", askedForTime = "true",
            replyByDate = earlier.AddDays(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), replyByTime = "18:00",
        })));
        Assert.Contains($"投诉 {number} 判定成立，已交李娜调查", JsonReplies.Texts(replies));
        replies = await Post(Activity("message", Supervisor, "刘洋", "zh-CN", value: Press(JsonReplies.LastCard(replies), "提交调查结果", new { cause = "新员工未培训", responsible = "前台 小周", problemType = "service", handler = Rep })));
        replies = await Post(Activity("message", Supervisor, "刘洋", "zh-CN", value: Press(JsonReplies.LastCard(replies), "提交领导批示", new { plan = "店长致电道歉并赠送代金券" })));
        Assert.Contains("已提交主管领导（经理）批示", JsonReplies.Texts(replies));

        // The manager approves with Action.Execute: the invoke answers with the updated card.
        var approval = JsonReplies.LastCard(await Post(Activity("message", Manager, "王经理", "zh-CN", "投诉 " + number)));
        var execute = JsonNode.Parse(Newtonsoft.Json.Linq.JObject.Parse(approval.ToJsonString()).Descendants().OfType<Newtonsoft.Json.Linq.JObject>()
            .Single(o => (string?)o["type"] == "Action.Execute" && (string?)o["title"] == "批准所选方案").ToString())!.AsObject();
        var data = execute["data"]!.AsObject();
        data["chosenPlan"] = "1";
        var invoke = Activity("invoke", Manager, "王经理", "zh-CN", value: new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = (string?)execute["verb"], ["data"] = data.DeepClone() }, ["trigger"] = "manual" }, invokeName: "adaptiveCard/action");
        var response = await client.PostAsync("/api/messages", new StringContent(invoke.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var refreshed = JsonNode.Parse(body)!["value"]!.AsObject();
        Assert.Contains($"已批准方案：投诉 {number} 交李娜实施", CardText(refreshed));
        var c = (await services.GetRequiredService<ComplaintStore>().GetAsync(Tenant, number, default))!;
        Assert.Equal((ComplaintStage.Implement, 1, "王经理"), (c.Stage, c.ApprovedPlan, c.ApprovedByName));

        // The duties handbook, in English.
        var duties = JsonReplies.LastCard(await Post(Activity("message", Rep, "李娜", "en-US", "duties cs complaint")));
        Assert.Contains("Customer service duties mentioning \"complaint\"", CardText(duties));
    }
}
