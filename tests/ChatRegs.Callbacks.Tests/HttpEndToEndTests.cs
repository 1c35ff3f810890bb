using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Storage;
using ChatRegs.Callbacks.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatRegs.Callbacks.Tests;

/// <summary>The whole story over HTTP, as Teams sends it: a file import, the rep's queue, a guided call, the report and the record sheet.</summary>
public sealed class HttpEndToEndTests
{
    private const string Tenant = "tenant-http";
    private const string Supervisor = "29:http-sup";
    private const string Rep = "29:http-rep";

    private static string Json(string from, string name, string locale, string? text = null, JsonObject? value = null, JsonArray? attachments = null)
    {
        var activity = TeamsHttp.From(Tenant, from, name, locale, serviceUrl: "http://127.0.0.1:9/");
        if (text != null) activity["text"] = text;
        if (value != null) activity["value"] = value;
        if (attachments != null) activity["attachments"] = attachments;
        return activity.ToJsonString();
    }

    private static string CardText(JsonObject card) => TurnKit.Text(Newtonsoft.Json.Linq.JObject.Parse(card.ToJsonString()));

    private static string Line(JsonObject card) => CallKit.Line(Newtonsoft.Json.Linq.JObject.Parse(card.ToJsonString()));

    /// <summary>The button's data with the card's inputs as the rep filled them.</summary>
    private static JsonObject Press(JsonObject card, string title, object? inputs = null)
    {
        var data = JsonNode.Parse(Replies.Button(Newtonsoft.Json.Linq.JObject.Parse(card.ToJsonString()), title).ToString())!.AsObject();
        foreach (var (k, v) in inputs == null ? [] : Newtonsoft.Json.Linq.JObject.FromObject(inputs).Properties().Select(p => (p.Name, (string?)p.Value)))
        {
            data[k] = v;
        }
        return data;
    }

    [Fact]
    public async Task Import_a_file_call_a_customer_and_report_over_http()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 5, 10, 0, 0, TimeSpan.FromHours(8)));
        var files = new TeamsFileHost();
        var connector = new TeamsConnector();
        await using var factory = new BotFactory(new() { ["ChatRegs:Jobs:RunnerEnabled"] = "false" });
        await using var app = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddHttpClient(CallbackFiles.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => files);
            services.AddHttpClient(ProactiveOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => connector);
        }));
        var client = app.CreateClient();
        var services = app.Services;
        foreach (var table in services.GetRequiredService<TableNames>().All)
        {
            await services.GetRequiredService<TableServiceClient>().CreateTableIfNotExistsAsync(table);
        }
        await BotSeed.PersonAsync(services, Tenant, Supervisor, "刘洋", "zh-CN", roles: Roles.CsSupervisor);
        await BotSeed.PersonAsync(services, Tenant, Rep, "李娜", "zh-CN", onDuty: true, roles: Roles.CsRep);

        try
        {
            // The supervisor sends the CSV file (Teams: a download-info attachment).
            var url = files.Add("服务记录.csv", Encoding.UTF8.GetBytes("客户姓名,称呼,电话,是否会员,服务项目,服务日期\n王小明,先生,13800138000,是,汽车保养,2026-03-04\n张丽,女士,13900001111,否,洗车,2026-03-02\n坏行,先生,12,是,洗车,2026-03-03\n"));
            var replies = await TeamsHttp.PostAsync(client, Json(Supervisor, "刘洋", "zh-CN", "导入回访", attachments: new JsonArray
            {
                new JsonObject
                {
                    ["contentType"] = CallbackFiles.TeamsFileDownload,
                    ["name"] = "服务记录.csv",
                    ["content"] = new JsonObject { ["downloadUrl"] = url, ["uniqueId"] = "u1", ["fileType"] = "csv" },
                },
            }));
            var import = CardText(JsonReplies.LastCard(replies));
            Assert.Contains("新增回访\n2", import);
            Assert.Contains("第 4 行", import);
            Assert.Contains("电话号码不对：「12」", import);

            // The rep's queue, most urgent first (张丽 is due today).
            replies = await TeamsHttp.PostAsync(client, Json(Rep, "李娜", "zh-CN", "回访"));
            var queue = JsonReplies.LastCard(replies);
            var text = CardText(queue);
            Assert.True(text.IndexOf("张丽女士", StringComparison.Ordinal) < text.IndexOf("王小明先生", StringComparison.Ordinal));

            // The call, step by step.
            var task = (await services.GetRequiredService<CallbackStore>().ListTasksAsync(Tenant, true, default)).Single(t => t.CustomerName == "王小明");
            var card = JsonReplies.LastCard(await TeamsHttp.PostAsync(client, Json(Rep, "李娜", "zh-CN", value: new JsonObject { ["verb"] = "callbacks.start", ["taskId"] = task.Id })));
            Assert.Equal("您好我是李娜,请问您是王小明先生吗?", Line(card));
            card = JsonReplies.LastCard(await TeamsHttp.PostAsync(client, Json(Rep, "李娜", "zh-CN", value: Press(card, "本人"))));
            card = JsonReplies.LastCard(await TeamsHttp.PostAsync(client, Json(Rep, "李娜", "zh-CN", value: Press(card, "不满意"))));
            card = JsonReplies.LastCard(await TeamsHttp.PostAsync(client, Json(Rep, "李娜", "zh-CN", value: Press(card, "已记录，继续", new { words = "等了两个小时", complaint = "no" }))));
            Assert.Equal("十分多谢您的反应,这一点我们的确做得不够,我们很快就会有改善的望您监督,祝您开车愉快,再见!", Line(card));
            replies = await TeamsHttp.PostAsync(client, Json(Rep, "李娜", "zh-CN", value: Press(card, "结束通话并保存", new { greeting = "drive", followUp = "no" })));
            Assert.Contains("回访已保存：王小明先生，不满意。在服务后 3 天内完成。", JsonReplies.Texts(replies));

            // The supervisor's report and record sheet.
            var report = CardText(JsonReplies.LastCard(await TeamsHttp.PostAsync(client, Json(Supervisor, "刘洋", "en-US", "callback report"))));
            Assert.Contains("Member coverage\n100.0% (1/1)", report);
            Assert.Contains("\"等了两个小时\"", report);
            replies = await TeamsHttp.PostAsync(client, Json(Supervisor, "刘洋", "zh-CN", "回访记录"));
            var consent = replies.Select(r => r!["attachments"]?[0]).Single(a => a != null)!;
            Assert.Equal("application/vnd.microsoft.teams.card.file.consent", (string?)consent["contentType"]);
            Assert.Equal("回访记录表-2026-03-01_2026-03-31.csv", (string?)consent["name"]);

            // A rep asking for the report is refused, over HTTP as in a turn.
            Assert.Equal("回访总结报告和回访记录表只有客服主管或经理可以查看。", JsonReplies.Texts(await TeamsHttp.PostAsync(client, Json(Rep, "李娜", "zh-CN", "回访报告"))));
        }
        finally
        {
            foreach (var table in services.GetRequiredService<TableNames>().All)
            {
                try { await services.GetRequiredService<TableServiceClient>().DeleteTableAsync(table); } catch { /* best effort */ }
            }
        }
    }
}
