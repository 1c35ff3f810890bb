using System.Text;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Exports;
using ChatRegs.Bot.Leave;
using ChatRegs.Leave.Tests.Support;
using CsvHelper;
using static ChatRegs.Leave.Tests.Support.LeaveHost;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.Leave.Tests;

/// <summary>The office's archive (请假条送办公室备查): every request and decision kept, listed by month, person and status, exported as CSV.</summary>
public sealed class RecordsTests
{
    /// <summary>Wang: weekly meeting, approved with a comment. Amy: one day in November, rejected. Zhao: an afternoon to the next morning in December, pending. Host: days, withdrawn.</summary>
    private static async Task<LeaveHost> WithRecordsAsync()
    {
        var host = await LeaveHost.StartAsync();
        var wang = await LeaveFlows.AskForWeeklyAsync(host);
        await host.ExecuteAsync(People.Host, "leave.approve", new JsonObject { ["id"] = wang, ["comment"] = "好的，会议纪要会发给你。" });

        async Task<string> Days(string userId, string from, string to, string locale = "zh-CN", string fromHalf = "am", string toHalf = "pm")
        {
            await host.SayAsync(userId, "请假", locale);
            await host.SubmitAsync(userId, new JsonObject { ["verb"] = "leave.target", ["target"] = "days" }, locale);
            await host.SubmitAsync(userId, new JsonObject
            {
                ["verb"] = "leave.submit", ["type"] = "annual", ["reason"] = "=HYPERLINK(\"x\") 回老家参加表哥的婚礼。",
                ["fromDate"] = from, ["fromHalf"] = fromHalf, ["toDate"] = to, ["toHalf"] = toHalf,
            }, locale);
            return (await host.Store.ListByRequesterAsync(Tenant, userId)).OrderByDescending(r => r.SubmittedAt).First().Id;
        }
        var amy = await Days(People.Amy, "2026-11-27", "2026-11-27", "en-US");
        await host.ExecuteAsync(People.Bob, "leave.reject", new JsonObject { ["id"] = amy, ["comment"] = "Release week: please move it." }, "en-US");
        await Days(People.Zhao, "2026-12-07", "2026-12-08", fromHalf: "pm", toHalf: "am");
        var own = await Days(People.Host, "2026-11-27", "2026-11-27");
        await host.ExecuteAsync(People.Host, "leave.withdraw", new JsonObject { ["id"] = own });
        return host;
    }

    [Fact]
    public async Task The_office_lists_by_month_person_and_status_and_nothing_is_ever_deleted()
    {
        await using var host = await WithRecordsAsync();

        var november = Card(await host.SayAsync(People.Office, "请假记录"));
        var text = CardText(november);
        Assert.Contains("2026 年 11 月 · 全部人员 · 全部状态 · 共 3 条", text);
        Assert.Contains("王小明 · 病假 · 已批准", text);
        Assert.Contains("已批准 · 张伟 · 11月26日 周四 10:00 · 意见：好的，会议纪要会发给你。", text);
        Assert.Contains("Amy Chen · 年假 · 未批准", text);
        Assert.Contains("张伟 · 年假 · 已撤回", text);
        Assert.DoesNotContain("赵强", text);
        Assert.Equal(["leave.records", "leave.export"], Verbs(november));

        var december = CardText(InvokeCard(await host.ExecuteAsync(People.Office, "leave.records", new JsonObject { ["month"] = "2026年12月", ["person"] = "", ["status"] = "all" })));
        Assert.Contains("2026 年 12 月 · 全部人员 · 全部状态 · 共 1 条", december);
        Assert.Contains("赵强 · 年假 · 待审批", december);

        var approvedWang = CardText(InvokeCard(await host.ExecuteAsync(People.Office, "leave.records", new JsonObject { ["month"] = "all", ["person"] = "王", ["status"] = "approved" })));
        Assert.Contains("全部月份 · 人员包含“王” · 已批准 · 共 1 条", approvedWang);
        var pending = CardText(InvokeCard(await host.ExecuteAsync(People.Office, "leave.records", new JsonObject { ["month"] = "all", ["person"] = "", ["status"] = "pending" })));
        Assert.Contains("共 1 条", pending);
        Assert.Contains("赵强", pending);

        var english = CardText(InvokeCard(await host.ExecuteAsync(People.Office, "leave.records", new JsonObject { ["month"] = "2026-11", ["person"] = "amy", ["status"] = "rejected" }, "en-US")));
        Assert.Contains("2026-11 · Person contains \"amy\" · Rejected · 1 request(s)", english);
        Assert.Contains("Amy Chen · Annual leave · Rejected", english);
        Assert.Contains("Rejected · Bob Li · Thu 26 Nov 10:00 · comment: Release week: please move it.", english);

        // The history of every request is kept with who and when.
        foreach (var r in await host.Store.ListAllAsync(Tenant))
        {
            var history = await host.Store.HistoryAsync(Tenant, r.Id);
            Assert.Equal("submitted", history[0].Action);
            Assert.Equal(r.Status == LeaveStatus.Pending ? 1 : 2, history.Count);
        }
    }

    [Fact]
    public async Task A_wrong_filter_is_marked_next_to_its_box_and_what_was_typed_stays()
    {
        await using var host = await WithRecordsAsync();
        var zh = InvokeCard(await host.ExecuteAsync(People.Office, "leave.records", new JsonObject { ["month"] = "2026-13", ["person"] = "王", ["status"] = "all" }));
        Assert.Equal("“2026-13”不是月份，请写成 2026-11 这样；all 表示全部月份。", ErrorNextTo(zh, "month"));
        Assert.Equal("2026-13", InputValue(zh, "month"));
        Assert.Equal("王", InputValue(zh, "person"));
        Assert.Contains("请按提示修改筛选条件。", CardText(zh));
        var en = InvokeCard(await host.ExecuteAsync(People.Office, "leave.records", new JsonObject { ["month"] = "June", ["person"] = "", ["status"] = "lost" }, "en-US"));
        Assert.Equal("\"June\" is not a month: write it like 2026-11, or all for every month.", ErrorNextTo(en, "month"));
        Assert.Equal("There is no status \"lost\": choose one from the list.", ErrorNextTo(en, "status"));
        Assert.Equal("“13月”不是月份，请写成 2026-11 这样；all 表示全部月份。", ReadableText(await host.SayAsync(People.Office, "请假记录 13月")));
    }

    [Fact]
    public async Task The_office_exports_every_request_with_its_decision_as_CSV()
    {
        await using var host = await WithRecordsAsync();
        var (name, description, rows) = await ExportAsync(host, new JsonObject { ["verb"] = "leave.export", ["month"] = "all", ["person"] = "", ["status"] = "all" });
        Assert.Equal("leave-all.csv", name);
        Assert.Equal("请假记录 leave-all.csv（4 条）", description);
        Assert.Equal(["编号", "申请人", "用户ID", "请假方式", "会议", "开始", "结束", "工作日", "类型", "原因", "本周工作总结", "下周工作计划", "关联周报", "事后补假", "提交时间", "审批人", "状态", "处理人", "处理时间", "审批意见"], rows[0]);
        Assert.Equal(5, rows.Count);
        var wang = rows.Single(r => r[1] == "王小明");
        Assert.Equal(["会议", "周工作例会", "2026-11-30 08:30", "2026-11-30 09:30", "", "病假"], wang[3..9]);
        Assert.Equal("完成了三号楼验收资料的整理，和监理确认了整改清单。", wang[10]);
        Assert.Equal(["2026-11-26 10:00", "张伟", "已批准", "张伟", "2026-11-26 10:00", "好的，会议纪要会发给你。"], wang[14..]);
        var amy = rows.Single(r => r[1] == "Amy Chen");
        // A one-day leave reads as the day people mean: from the 27th to the 27th, one working day.
        Assert.Equal(["按天", "", "2026-11-27", "2026-11-27", "1", "年假"], amy[3..9]);
        // A reason starting like a formula is escaped, so a spreadsheet shows it as text.
        Assert.StartsWith("'=HYPERLINK", amy[9]);
        Assert.Equal(["未批准", "Bob Li"], amy[16..18]);
        Assert.Equal("已撤回", rows.Single(r => r[1] == "张伟")[16]);

        var (enName, enDescription, en) = await ExportAsync(host, new JsonObject { ["verb"] = "leave.export", ["month"] = "2026-12", ["person"] = "", ["status"] = "all" }, "en-US");
        Assert.Equal("leave-2026-12.csv", enName);
        Assert.Equal("Leave records leave-2026-12.csv (1 request(s))", enDescription);
        Assert.Equal("Requester", en[0][1]);
        Assert.Equal(["赵强", "29:zhao", "Days"], en[1][1..4]);
        // Half days say which half: from the afternoon of the 7th to the morning of the 8th.
        Assert.Equal(["2026-12-07 afternoon", "2026-12-08 morning", "1"], en[1][5..8]);
        Assert.Equal("Pending", en[1][16]);
    }

    /// <summary>Presses export: in Teams the file comes as a consent card in the 1:1 chat, its bytes kept server-side (Bot/Exports).</summary>
    private static async Task<(string Name, string Description, List<string[]> Rows)> ExportAsync(LeaveHost host, JsonObject press, string locale = "zh-CN")
    {
        var replies = await host.SubmitAsync(People.Office, press, locale);
        var consent = Assert.Single(replies.SelectMany(r => r?["attachments"]?.AsArray() ?? []))!;
        Assert.Equal("application/vnd.microsoft.teams.card.file.consent", (string?)consent["contentType"]);
        var exportId = (string)consent["content"]!["acceptContext"]!["exportId"]!;
        var export = (await host.Get<PendingExportStore>().GetAsync(Tenant, exportId, default))!;
        Assert.Equal("text/csv", export.ContentType);
        Assert.Equal(Encoding.UTF8.GetPreamble(), export.Bytes[..3]);
        using var reader = CsvReader.FromText(Encoding.UTF8.GetString(export.Bytes[3..]), CsvReaderOptions.Default with { HasHeader = false });
        var rows = new List<string[]>();
        while (reader.Read())
        {
            rows.Add(reader.Current.ToArray());
        }
        return (export.FileName, export.Description, rows);
    }

    [Fact]
    public async Task Only_the_office_sees_or_exports_the_records()
    {
        await using var host = await WithRecordsAsync();
        Assert.Equal("只有办公室可以查看请假记录。如需查看，请联系办公室。", ReadableText(await host.SayAsync(People.Wang, "请假记录")));
        Assert.Equal("Only the office can see the leave records. Ask the office if you need them.", ReadableText(await host.SayAsync(People.Amy, "leave records", "en-US")));
        // Forged buttons.
        var export = await host.SubmitAsync(People.Host, new JsonObject { ["verb"] = "leave.export", ["month"] = "all" });
        Assert.Equal("只有办公室可以查看请假记录。如需查看，请联系办公室。", ReadableText(export));
        Assert.DoesNotContain(export, r => (r?["attachments"]?.AsArray().Count ?? 0) > 0);
        var filter = await host.ExecuteAsync(People.Li, "leave.records", new JsonObject { ["month"] = "all" });
        Assert.Equal("只有办公室可以查看请假记录。如需查看，请联系办公室。", InvokeMessage(filter));
    }

    [Fact]
    public async Task The_records_buttons_answer_only_in_the_1to1_chat_and_show_nothing_in_a_group()
    {
        await using var host = await WithRecordsAsync();
        const string group = "19:office-and-friends@thread.v2";
        const string personalOnly = "请假相关的内容（原因可能涉及个人情况）请在和我的私聊中处理：点开我的头像，发送同样的命令。";

        // The office presses 导出 CSV on a records card in a group chat: no file, no rows, just the reason.
        var submit = host.Feature.Activity(People.Office, "zh-CN", "message", group, "groupChat");
        submit["value"] = new JsonObject { ["verb"] = "leave.export", ["month"] = "all", ["person"] = "", ["status"] = "all" };
        var replies = await host.Feature.PostAsync(submit);
        Assert.Equal(personalOnly, ReadableText(replies));
        Assert.DoesNotContain(replies, r => (r?["attachments"]?.AsArray().Count ?? 0) > 0);
        Assert.DoesNotContain("回老家", replies.ToJsonString());

        // 筛选 (Action.Execute) there: the card is not refreshed with anyone's records.
        var invoke = host.Feature.Activity(People.Office, "en-US", "invoke", group, "groupChat");
        invoke["name"] = "adaptiveCard/action";
        invoke["value"] = new JsonObject { ["action"] = new JsonObject { ["type"] = "Action.Execute", ["verb"] = "leave.records", ["data"] = new JsonObject { ["month"] = "all", ["person"] = "", ["status"] = "all" } }, ["trigger"] = "manual" };
        var response = await host.Feature.SendAsync(invoke);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Leave (whose reasons may be personal) is handled in your private chat with me: open my profile and send the same command there.", InvokeMessage(JsonNode.Parse(body)!.AsObject()));
        Assert.DoesNotContain("回老家", body);
        Assert.DoesNotContain("Amy Chen", body);

        // The same buttons still work in the office's 1:1 chat.
        var mine = CardText(InvokeCard(await host.ExecuteAsync(People.Office, "leave.records", new JsonObject { ["month"] = "all", ["person"] = "", ["status"] = "all" })));
        Assert.Contains("Amy Chen", mine);
    }
}
