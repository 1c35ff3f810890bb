using System.Text;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.People;
using ChatRegs.Callbacks.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Callbacks.Tests;

/// <summary>
/// 《回访总结报告》 as a report (issue #23, 客服工作职责(6) 最后分析结果并撰写《回访总结报告》): the
/// supervisor writes the analysis on the report card, the report keeps it with the period's
/// figures, a second save replaces it only over what the writer saw, and the Markdown export holds
/// the figures, the analysis, the satisfied customers' recommendations and the unsatisfied
/// customers' words — of exactly the calls the report counts. On the known data set of March 2026.
/// </summary>
public sealed class ReportAnalysisTests : IAsyncLifetime
{
    private const string Manager = "29:mgr";
    private const string Analysis = "本月不满意集中在等待时间。\n建议：高峰期增加一名接待。";
    private CallbacksHost _host = null!;

    public async Task InitializeAsync()
    {
        // Friday 20 March 2026, 10:00.
        _host = await CallbacksHost.StartAsync(new DateTimeOffset(2026, 3, 20, 10, 0, 0, FeatureHost.Shanghai));
        await _host.PersonAsync(Manager, "张伟", onDuty: false, Roles.Manager);
        await ReportSeed.SeedAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<JObject> ReportCardAsync(string user = CallbacksHost.Supervisor, string command = "回访报告 2026-03", string? locale = null) =>
        Replies.Card(await _host.SayAsync(_host.Adapter(user, locale), command));

    private Task<List<IActivity>> SaveAsync(JObject card, string analysis, string user = CallbacksHost.Supervisor, string? locale = null, string button = "保存分析结果") =>
        _host.PressAsync(_host.Adapter(user, locale), card, button, new { analysis });

    private static string Text(JObject card) => TurnKit.Text(card);

    private static string? Draft(JObject card) =>
        (string?)card.Descendants().OfType<JObject>().SingleOrDefault(o => (string?)o["type"] == "Input.Text" && (string?)o["id"] == "analysis")?["value"];

    private Task<CallbackReportNote?> StoredAsync(string period = "2026-03") =>
        _host.Service.ReportNoteAsync(CallbacksHost.Tenant, ReportPeriod.Parse(period, new DateOnly(2026, 3, 20))!, default);

    [Fact]
    public async Task The_supervisor_writes_the_analysis_on_the_card_and_the_report_keeps_it_for_its_period()
    {
        var card = await ReportCardAsync();
        Assert.Contains("分析结果", Text(card));
        Assert.Contains("还没有写分析结果。", Text(card));
        Assert.Equal("", Draft(card));

        var saved = Replies.Card(await SaveAsync(card, Analysis));
        Assert.Contains("分析结果已保存。", Text(saved));
        Assert.Contains("本月不满意集中在等待时间。", Text(saved));
        Assert.Contains("刘洋 写于 2026-03-20 10:00", Text(saved));
        Assert.DoesNotContain("还没有写分析结果。", Text(saved));

        var note = await StoredAsync();
        Assert.Equal(Analysis, note!.Analysis);
        Assert.Equal((CallbacksHost.Supervisor, "刘洋"), (note.WrittenById, note.WrittenByName));
        // Kept with the figures it was written against.
        Assert.Equal(new ReportFigures(7, 4, 3, 4, 3, 1, 1, 2, 8, 1), note.Figures);

        // The report of the period shows it the next time; another period has none.
        var again = await ReportCardAsync();
        Assert.Contains("建议：高峰期增加一名接待。", Text(again));
        Assert.Equal(Analysis, Draft(again));
        Assert.DoesNotContain("分析写成后数字有变化", Text(again));
        Assert.Contains("还没有写分析结果。", Text(await ReportCardAsync(command: "回访报告 2026-02")));
        Assert.Contains("还没有写分析结果。", Text(await ReportCardAsync(command: "回访报告 2026-03-01 至 2026-03-15")));
    }

    [Fact]
    public async Task A_second_save_replaces_it_and_a_save_from_a_card_read_before_someone_elses_is_refused_with_theirs_shown()
    {
        var first = await ReportCardAsync();
        var stale = await ReportCardAsync();

        var afterFirst = Replies.Card(await SaveAsync(first, Analysis));
        // The card the save came back with replaces it again.
        var second = Replies.Card(await SaveAsync(afterFirst, "第二版分析"));
        Assert.Contains("分析结果已保存。", Text(second));
        Assert.Equal("第二版分析", (await StoredAsync())!.Analysis);

        // A card shown before the first save: nothing saved, theirs shown, what was typed kept in the box.
        var refused = Replies.Card(await SaveAsync(stale, "另一个人的分析"));
        Assert.Contains("没有保存：在你编辑期间，刘洋 写于 2026-03-20 10:00 保存了分析结果", Text(refused));
        Assert.Contains("第二版分析", Text(refused));
        Assert.Equal("另一个人的分析", Draft(refused));
        Assert.Equal("第二版分析", (await StoredAsync())!.Analysis);

        // Pressing again on that card replaces it knowingly.
        Assert.Contains("分析结果已保存。", Text(Replies.Card(await SaveAsync(refused, "另一个人的分析"))));
        Assert.Equal("另一个人的分析", (await StoredAsync())!.Analysis);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("not-an-etag")]
    public async Task A_forged_card_version_over_someone_elses_analysis_is_refused_never_handed_to_storage(string etag)
    {
        // 刘洋 saved an analysis; the manager, who may write, forges the version on a card read before it.
        var stale = await ReportCardAsync(Manager);
        Assert.Contains("分析结果已保存。", Text(Replies.Card(await SaveAsync(await ReportCardAsync(), Analysis))));
        var before = (await StoredAsync())!;
        _host.Logs.Clear();

        var button = (JObject)Replies.Button(stale, "保存分析结果").DeepClone();
        button["analysis"] = "覆盖掉别人的分析";
        button["etag"] = etag;
        var refused = Replies.Card(await _host.SendAsync(_host.Adapter(Manager), new Activity { Type = ActivityTypes.Message, Value = button }));

        Assert.Contains("没有保存：在你编辑期间，刘洋 写于 2026-03-20 10:00 保存了分析结果", Text(refused));
        var after = (await StoredAsync())!;
        Assert.Equal((before.ETag, Analysis), (after.ETag, after.Analysis));
        Assert.DoesNotContain(_host.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task A_forged_card_version_before_any_analysis_saves_nothing()
    {
        var card = await ReportCardAsync();
        var button = (JObject)Replies.Button(card, "保存分析结果").DeepClone();
        button["analysis"] = "x";
        button["etag"] = "*";
        var refused = Replies.Card(await _host.SendAsync(_host.Adapter(CallbacksHost.Supervisor), new Activity { Type = ActivityTypes.Message, Value = button }));
        Assert.Contains("没有保存：这份分析在你编辑期间有了变化", Text(refused));
        Assert.Null(await StoredAsync());
    }

    [Fact]
    public async Task The_analysis_is_written_and_refused_in_english_too()
    {
        var card = await ReportCardAsync(command: "callback report 2026-03", locale: "en-US");
        Assert.Contains("No analysis written yet.", Text(card));
        Assert.Contains("Analysis (at most 4000 characters)", card.ToString());
        var saved = Replies.Card(await SaveAsync(card, "Waiting times are the main complaint.", locale: "en-US", button: "Save the analysis"));
        Assert.Contains("The analysis is saved.", Text(saved));
        Assert.Contains("Written by 刘洋 on 2026-03-20 10:00", Text(saved));

        var tooLong = Replies.Card(await SaveAsync(saved, new string('x', CallbackReportNote.MaxAnalysis + 1), locale: "en-US", button: "Save the analysis"));
        Assert.Contains("Not saved: the analysis holds at most 4000 characters and yours has 4001.", Text(tooLong));
        Assert.Equal("Waiting times are the main complaint.", (await StoredAsync())!.Analysis);
        Assert.Contains("Only customer-service supervisors and managers can write the analysis",
            CallKit.Texts(await SaveAsync(card, "x", user: CallbacksHost.RepA, locale: "en-US", button: "Save the analysis")));
    }

    [Fact]
    public async Task Reps_employees_group_chats_other_tenants_forged_and_huge_input_change_nothing()
    {
        var card = await ReportCardAsync();
        var button = (JObject)Replies.Button(card, "保存分析结果").DeepClone();
        Task<List<IActivity>> Forged(TestAdapter adapter, object changes)
        {
            var data = (JObject)button.DeepClone();
            foreach (var p in JObject.FromObject(changes).Properties())
            {
                data[p.Name] = p.Value;
            }
            return _host.SendAsync(adapter, new Activity { Type = ActivityTypes.Message, Value = data });
        }

        // No role to write: a rep and an employee, with the supervisor's card data.
        foreach (var user in new[] { CallbacksHost.RepA, CallbacksHost.Employee })
        {
            Assert.Equal("只有客服主管或经理可以写回访总结报告的分析结果。", CallKit.Texts(await Forged(_host.Adapter(user), new { analysis = "改掉" })));
        }
        // A rep cannot read the report either: the card has no box for anyone but writers, and the command is refused.
        Assert.Contains("回访总结报告和回访记录表只有客服主管或经理可以查看。", CallKit.Texts(await _host.SayAsync(_host.Adapter(CallbacksHost.RepA), "回访报告 2026-03")));

        // In a group chat, even the supervisor: customers' words stay in the 1:1 chat.
        var group = _host.Bot.CreateAdapter("19:team-chat@thread.v2", CallbacksHost.Supervisor, CallbacksHost.Tenant, "zh-CN", "groupChat");
        Assert.Contains("回访只在和机器人的私聊中进行", CallKit.Texts(await Forged(group, new { analysis = "群里" })));

        // The supervisor's user id signed in to another tenant: no role there.
        var foreign = _host.Bot.CreateAdapter("a:sup-other", CallbacksHost.Supervisor, "tenant-cb-other", "zh-CN");
        Assert.Equal("只有客服主管或经理可以写回访总结报告的分析结果。", CallKit.Texts(await Forged(foreign, new { analysis = "别的租户", tenantId = CallbacksHost.Tenant })));

        // Forged and out-of-range data from the supervisor.
        var sup = _host.Adapter(CallbacksHost.Supervisor);
        Assert.Contains("看不懂这个时间段", CallKit.Texts(await Forged(sup, new { analysis = "x", from = "9999-99-99" })));
        Assert.Contains("看不懂这个时间段", CallKit.Texts(await Forged(sup, new { analysis = "x", from = "2026-03-31", to = "2026-03-01" })));
        Assert.Contains("看不懂这个时间段", CallKit.Texts(await Forged(sup, new { analysis = "x", from = new[] { "2026-03-01" } })));
        Assert.Contains("没有保存：请先在框里写下分析结果。", Text(Replies.Card(await Forged(sup, new { analysis = new { text = "an object" } }))));
        Assert.Contains("没有保存：请先在框里写下分析结果。", Text(Replies.Card(await Forged(sup, new { analysis = "   " }))));
        var huge = Replies.Card(await Forged(sup, new { analysis = new string('长', 100_000) }));
        Assert.Contains("没有保存：分析结果最多 4000 字，你写了 100000 字。", Text(huge));
        Assert.Equal(4000, Draft(huge)!.Length);
        // A made-up ETag is someone else's save, not a crash.
        Assert.Contains("没有保存：这份分析在你编辑期间有了变化", Text(Replies.Card(await Forged(sup, new { analysis = "x", etag = "W/\"datetime'2000-01-01T00%3A00%3A00Z'\"" }))));

        Assert.Null(await StoredAsync());
    }

    [Fact]
    public async Task A_manager_reads_the_report_and_may_write_the_analysis()
    {
        var card = await ReportCardAsync();
        var replies = await SaveAsync(card, "经理的意见", user: Manager);
        Assert.Contains("分析结果已保存。", Text(Replies.Card(replies)));
        var note = await StoredAsync();
        Assert.Equal(("经理的意见", "张伟"), (note!.Analysis, note.WrittenByName));
        // The statistics report goes to the general manager (客服(7)7: 统计分析报告…报告总经理): the manager reads it, with the analysis.
        var asManager = Text(Replies.Card(await _host.SayAsync(_host.Adapter(Manager), "回访报告 2026-03")));
        Assert.Contains("经理的意见", asManager);
    }

    [Fact]
    public async Task The_report_says_when_the_figures_changed_after_the_analysis_was_written()
    {
        await SaveAsync(await ReportCardAsync(), Analysis);
        // One more customer served in March is imported afterwards.
        await _host.Store.AddTasksAsync(CallbacksHost.Tenant, [new CallbackTask
        {
            TenantId = CallbacksHost.Tenant, Id = "09", CustomerName = "壬", Title = "ms", Phone = "13800000009", ServiceItem = "洗车", ServiceType = "洗车",
            ServiceDate = new DateOnly(2026, 3, 19), DueDate = new DateOnly(2026, 3, 22), CustomerTimeZone = "Asia/Shanghai",
        }], default);
        var card = await ReportCardAsync();
        Assert.Contains("分析写成后数字有变化。当时：任务 7 · 完成 4 · 满意 1 / 一般 1 / 不满意 2 · 通话 8。", Text(card));
    }

    [Fact]
    public async Task The_markdown_export_holds_the_figures_the_analysis_the_recommendations_and_the_unsatisfied_customers_words_of_exactly_the_calls_counted()
    {
        var card = Replies.Card(await SaveAsync(await ReportCardAsync(), "# 不是标题\n- 也不是列表 [链接](http://x.example)"));
        var (name, type, description, bytes) = await ExportKit.FileAsync(_host, await _host.PressAsync(_host.Adapter(CallbacksHost.Supervisor), card, "导出报告 Markdown"));
        Assert.Equal("回访总结报告-2026-03-01_2026-03-31.md", name);
        Assert.Equal("text/markdown", type);
        Assert.Equal("回访总结报告（服务日期 2026-03-01 – 2026-03-31，含 8 条通话记录）", description);
        var md = Encoding.UTF8.GetString(bytes);

        Assert.StartsWith("# 回访总结报告\n", md.Replace("\r\n", "\n"));
        Assert.Contains("- 回访任务：7", md);
        Assert.Contains("- 会员回访覆盖率：75.0%（3/4）", md);
        Assert.Contains("- 回访方式：电话 7 · 电邮 1 · 信息 0", md);
        Assert.Contains("## 分析结果", md);
        // What the supervisor typed is text: no heading, no list, no link.
        Assert.Contains("\\# 不是标题  \n\\- 也不是列表 \\[链接\\](http\\://x.example)", md);
        Assert.Contains("*刘洋 写于 2026-03-20 10:00*", md);

        Assert.Contains("## 满意客户的推荐", md);
        Assert.Contains("- 甲先生（汽车保养，服务日期 2026-03-01，客服：李娜，电话）：希望周末也能预约 \\*\\*加急\\*\\*", md);
        Assert.Contains("## 不满意客户的原话", md);
        Assert.Contains("- 乙先生（汽车保养，服务日期 2026-03-02，客服：李娜，电话），一般：等待时间太长", md);
        Assert.Contains("- 丙先生（汽车保养，服务日期 2026-03-02，客服：赵强，电话），不满意：等待时间太长。", md);
        Assert.Contains("- 己先生（汽车保养，服务日期 2026-03-16，客服：李娜，电邮），不满意：价格不透明", md);
        // 庚, served in February and called on 1 March, is February's.
        Assert.DoesNotContain("庚", md);
        Assert.Contains("以上来自这一期报告统计的 8 条通话记录。", md);

        // English, and the same readers as the report.
        var en = Replies.Card(await _host.SayAsync(_host.Adapter(CallbacksHost.Supervisor, "en-US"), "callback report 2026-02"));
        var enFile = await ExportKit.FileAsync(_host, await _host.PressAsync(_host.Adapter(CallbacksHost.Supervisor, "en-US"), en, "Report as Markdown"));
        var enMd = Encoding.UTF8.GetString(enFile.Bytes);
        Assert.Equal("callback-report-2026-02-01_2026-02-28.md", enFile.Name);
        Assert.Contains("## Analysis", enMd);
        Assert.Contains("No analysis written yet.", enMd);
        Assert.Contains("- Mr. 庚 (汽车保养, served 2026-02-27, rep: 李娜, phone), Dissatisfied: 等待时间太长", enMd);
        Assert.Contains("## Satisfied customers' suggestions\n\n(none)", enMd.Replace("\r\n", "\n"));
        Assert.Contains("回访总结报告和回访记录表只有客服主管或经理可以查看。", CallKit.Texts(await _host.PressAsync(_host.Adapter(CallbacksHost.RepA), card, "导出报告 Markdown")));
    }
}
