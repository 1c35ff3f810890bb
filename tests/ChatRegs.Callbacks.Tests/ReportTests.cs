using ChatRegs.TestSupport;
using System.Text;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Exports;
using ChatRegs.Bot.Localization;
using ChatRegs.Callbacks.Tests.Support;
using CsvHelper;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Callbacks.Tests;

/// <summary>回访总结报告 on a known data set: every figure, as a card and as CSV, supervisors only.</summary>
public sealed class ReportTests(SharedFeatureHost bot) : IAsyncLifetime, IClassFixture<SharedFeatureHost>
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private CallbacksHost _host = null!;

    public async Task InitializeAsync()
    {
        // Friday 20 March 2026, 10:00.
        _host = await CallbacksHost.StartAsync(bot, new DateTimeOffset(2026, 3, 20, 10, 0, 0, China));
        await ReportSeed.SeedAsync(_host);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task The_figures_of_the_known_data_set()
    {
        var views = (CallbackViews)_host.Services.GetService(typeof(CallbackViews))!;
        var r = await views.ReportAsync(_host.TenantId, ReportPeriod.Parse("2026-03", new DateOnly(2026, 3, 20))!, default);
        Assert.Equal((7, 4, 3, 2), (r.Tasks, r.Finished, r.WithinWindow, r.Open));
        Assert.Equal((4, 3, 2), (r.Members, r.MembersFinished, r.MembersWithinWindow));
        Assert.Equal(75.0, r.MemberCoverage);
        Assert.Equal(42.9, r.WithinWindowRate);
        Assert.Equal((1, 1, 2), (r.Satisfied, r.Average, r.Dissatisfied));
        Assert.Equal((8, 4, 0), (r.Calls, r.FailedAttempts, r.Bookings));
        Assert.Equal((3, 1, 1), (r.ComplaintsOffered, r.ComplaintsAccepted, r.FollowUps));
        Assert.Equal([new ComplaintTheme("等待时间太长", 2), new ComplaintTheme("价格不透明", 1)], r.TopComplaints);
        Assert.Equal(["丁"], r.OverdueTasks.Select(t => t.CustomerName));
        Assert.Equal(["戊"], r.UnreachableTasks.Select(t => t.CustomerName));
        Assert.Equal(
        [
            new RepFigures(CallbacksHost.RepA, "李娜", 3, 3, 2, 4, 1, 1, 1, 0, 0),
            new RepFigures(CallbacksHost.RepB, "赵强", 3, 1, 1, 4, 0, 0, 1, 1, 1),
            new RepFigures("", "", 1, 0, 0, 0, 0, 0, 0, 0, 0),
        ], r.Reps);
    }

    [Fact]
    public async Task The_report_card_shows_the_figures_to_the_supervisor()
    {
        var card = Replies.Card(await _host.SayAsync(_host.Adapter(CallbacksHost.Supervisor), "回访报告 2026-03"));
        var text = ChatRegs.TestSupport.TurnKit.Text(card);
        Assert.Contains("回访总结报告", text);
        Assert.Contains("服务日期 2026-03-01 – 2026-03-31（截至 2026-03-20）", text);
        string Fact(string title) => ChatRegs.TestSupport.CardMarkdown.Visible(card.Descendants().OfType<JObject>().Single(f => ChatRegs.TestSupport.CardMarkdown.Visible(f["title"]) == title && f["value"] != null)["value"])!;
        Assert.Equal("7", Fact("回访任务"));
        Assert.Equal("4（57.1%）", Fact("已完成回访"));
        Assert.Equal("3（42.9%）", Fact("三天内完成"));
        Assert.Equal("75.0%（3/4）", Fact("会员回访覆盖率"));
        Assert.Equal("50.0%（2/4）", Fact("会员三天内回访"));
        Assert.Equal("满意 1（25.0%）· 一般 1（25.0%）· 不满意 2（50.0%）", Fact("满意度"));
        Assert.Equal("8 次（无人接听/非本人 4 次，约时间 0 次）", Fact("通话记录"));
        Assert.Equal("提出登记 3 次，客户接受 1 次", Fact("投诉"));
        Assert.Contains("「等待时间太长」", text);
        Assert.Contains("2 次", text);
        Assert.Contains("任务 3 · 完成 3 · 三天内 2 · 通话 4 · 满意 1 / 一般 1 / 不满意 1 · 逾期 0 · 联系不上 0", text);
        Assert.Contains("丁先生 · 汽车保养 · 期限 2026-03-13，已逾期 7 天 · 客服：赵强 · 会员：是", text);
        Assert.Contains("戊先生 · 汽车保养 · 138000005 · 客服：赵强", text);
        Assert.Equal("电话 7 · 电邮 1 · 信息 0", Fact("回访方式"));
        Assert.Equal(["保存分析结果", "导出报告 Markdown", "导出报告 CSV", "导出回访记录表 CSV"], Replies.Buttons(card));

        var en = Replies.Card(await _host.SayAsync(_host.Adapter(CallbacksHost.Supervisor, "en-US"), "callback report 2026-03-01 to 2026-03-31"));
        Assert.Contains("75.0% (3/4)", ChatRegs.TestSupport.TurnKit.Text(en));
        Assert.Contains("Member coverage", ChatRegs.TestSupport.TurnKit.Text(en));
    }

    [Fact]
    public async Task The_report_card_shows_satisfaction_as_a_donut_with_a_table_for_hosts_without_charts()
    {
        var card = Replies.Card(await _host.SayAsync(_host.Adapter(CallbacksHost.Supervisor), "回访报告 2026-03"));
        var chart = ChatRegs.TestSupport.Charts.Single(card, "Chart.Donut");
        Assert.Equal("满意度（已完成的回访）", (string?)chart["title"]);
        Assert.Equal("zh", (string?)chart["lang"]);
        // The same figures as the 满意度 line: 满意 1 · 一般 1 · 不满意 2.
        ChatRegs.TestSupport.Charts.AssertShows(chart, ("满意", 1), ("一般", 1), ("不满意", 2));

        var en = Replies.Card(await _host.SayAsync(_host.Adapter(CallbacksHost.Supervisor, "en-US"), "callback report 2026-03"));
        var enChart = ChatRegs.TestSupport.Charts.Single(en, "Chart.Donut");
        Assert.Equal("Satisfaction (finished callbacks)", (string?)enChart["title"]);
        ChatRegs.TestSupport.Charts.AssertShows(enChart, ("Satisfied", 1), ("Average", 1), ("Dissatisfied", 2));

        // A period with no finished callback: nothing to draw, no chart.
        var empty = Replies.Card(await _host.SayAsync(_host.Adapter(CallbacksHost.Supervisor), "回访报告 2026-01"));
        Assert.False(ChatRegs.TestSupport.Charts.Any(empty));
    }

    [Fact]
    public async Task The_report_card_draws_the_days_satisfied_and_within_three_days_rates_as_lines_with_a_table_for_hosts_without_charts()
    {
        static List<(string X, double Y)> Values(JObject chart, string legend) =>
            Assert.Single(chart["data"]!.Children<JObject>(), s => (string?)s["legend"] == legend)["values"]!.Children<JObject>()
                .Select(v => ((string)v["x"]!, (double)v["y"]!)).ToList();

        var card = Replies.Card(await _host.SayAsync(_host.Adapter(CallbacksHost.Supervisor), "回访报告 2026-03"));
        var line = ChatRegs.TestSupport.Charts.Single(card, "Chart.Line");
        Assert.Equal("满意率和三天内回访率（%，按服务日期）", (string?)line["title"]);
        // By service date: the 1st (甲 satisfied, within three days), the 2nd (乙 average, late; 丙 dissatisfied, in time),
        // the 16th (己 dissatisfied, in time); the 10th, 15th and 19th were served but not finished: no satisfaction point.
        Assert.Equal([("03-01", 100), ("03-02", 0), ("03-16", 0)], Values(line, "满意率"));
        Assert.Equal([("03-01", 100), ("03-02", 50), ("03-10", 0), ("03-15", 0), ("03-16", 100), ("03-19", 0)], Values(line, "三天内回访率"));
        var table = ChatRegs.TestSupport.Charts.Fallback(line);
        Assert.Contains(("三天内回访率 · 03-02", "50"), table);
        Assert.Equal(9, table.Count);

        var en = Replies.Card(await _host.SayAsync(_host.Adapter(CallbacksHost.Supervisor, "en-US"), "callback report 2026-03"));
        var enLine = ChatRegs.TestSupport.Charts.Single(en, "Chart.Line");
        Assert.Equal("en", (string?)enLine["lang"]);
        Assert.Equal([("03-01", 100), ("03-02", 0), ("03-16", 0)], Values(enLine, "Satisfied"));

        // A year: month by month; one month served is one point, no line to draw.
        var year = Replies.Card(await _host.SayAsync(_host.Adapter(CallbacksHost.Supervisor), "回访报告 2026-01-01 至 2026-12-31"));
        var months = ChatRegs.TestSupport.Charts.Single(year, "Chart.Line");
        Assert.Equal([("2026-02", 0), ("2026-03", 25)], Values(months, "满意率"));
        var january = Replies.Card(await _host.SayAsync(_host.Adapter(CallbacksHost.Supervisor), "回访报告 2026-01"));
        Assert.DoesNotContain(january.Descendants().OfType<JObject>(), o => (string?)o["type"] == "Chart.Line");
    }

    [Fact]
    public async Task The_report_as_csv()
    {
        var supervisor = _host.Adapter(CallbacksHost.Supervisor, "en-US");
        var card = Replies.Card(await _host.SayAsync(supervisor, "callback report 2026-03"));
        var replies = await _host.PressAsync(supervisor, card, "Report as CSV");
        var (name, rows) = await CsvAsync(_host, replies);
        Assert.Equal("callback-report-2026-03-01_2026-03-31.csv", name);
        Assert.Contains(["Callbacks", "7"], rows);
        Assert.Contains(["Member coverage", "75.0%"], rows);
        Assert.Contains(["Finished within three days", "3"], rows);
        Assert.Contains(["Dissatisfied", "2"], rows);
        Assert.Contains(["By phone", "7"], rows);
        Assert.Contains(["By e-mail", "1"], rows);
        Assert.Contains(["By message", "0"], rows);
        Assert.Contains(["李娜", "3", "3", "2", "4", "1", "1", "1", "0", "0"], rows);
        Assert.Contains(["Unassigned", "1", "0", "0", "0", "0", "0", "0", "0", "0"], rows);
        Assert.Contains(["等待时间太长", "2"], rows);
        Assert.Contains(["Mr. 丁", "138000004", "Yes", "汽车保养", "2026-03-10", "2026-03-13", "赵强", "7 days overdue"], rows);
        Assert.Contains(["Mr. 戊", "138000005", "No", "汽车保养", "2026-03-15", "2026-03-18", "赵强", "Unreachable"], rows);
    }

    [Fact]
    public async Task The_record_sheet_has_one_row_per_attempt_and_per_finished_call()
    {
        var replies = await _host.SayAsync(_host.Adapter(CallbacksHost.Supervisor), "回访记录 2026-03-01 至 2026-03-31");
        var consent = JObject.FromObject(replies.SelectMany(r => r.AsMessageActivity()!.Attachments).Single().Content);
        // The calls the March report counts (8): those to customers served in March. T7, served in
        // February and called on 1 March, belongs to February's sheet.
        Assert.Equal("回访记录表（2026-03-01 – 2026-03-31，共 8 条记录）", (string?)consent["description"]);
        var (name, rows) = await CsvAsync(_host, replies);
        Assert.Equal("回访记录表-2026-03-01_2026-03-31.csv", name);
        Assert.DoesNotContain(rows, r => r[1] == "庚先生");
        Assert.Equal(["回访时间", "客户", "电话", "会员", "服务项目", "服务日期", "回访期限", "客服专员", "第几次通话", "结果", "回访方式", "话术版本", "各步回答", "满意度", "客户原话", "不满意的方面", "需要跟进", "跟进说明", "投诉", "约定时间"], rows[0]);
        Assert.Equal(9, rows.Count);
        var t3 = rows.Single(r => r[1] == "丙先生");
        Assert.Equal(["2026-03-04 10:00", "丙先生", "138000003", "否", "汽车保养", "2026-03-02", "2026-03-05", "赵强", "1", "完成回访", "电话", "regulation-7 v1", "您好我是… → 本人", "不满意", "", "等待时间太长。", "是", "店长回电", "客户要登记投诉", ""], t3);
        Assert.Equal(["无人接听 (1)", "非本人 (2)", "无人接听 (3)"], rows.Where(r => r[1] == "戊先生").Select(r => r[9]));
        Assert.Equal("电邮", rows.Single(r => r[1] == "己先生")[10]);
    }

    [Theory]
    [InlineData("回访报告 2026-03-02 至 2026-03-02", 3, "乙先生,丙先生")]
    [InlineData("回访报告 2026-02", 1, "庚先生")]
    public async Task The_report_button_exports_exactly_the_calls_the_report_counts(string command, int calls, string customers)
    {
        var supervisor = _host.Adapter(CallbacksHost.Supervisor);
        var card = Replies.Card(await _host.SayAsync(supervisor, command));
        Assert.Contains($"{calls} 次（", ChatRegs.TestSupport.TurnKit.Text(card));
        var replies = await _host.PressAsync(supervisor, card, "导出回访记录表 CSV");
        var consent = JObject.FromObject(replies.SelectMany(r => r.AsMessageActivity()!.Attachments).Single().Content);
        Assert.Contains($"共 {calls} 条记录", (string?)consent["description"]);
        var (_, rows) = await CsvAsync(_host, replies);
        Assert.Equal(customers.Split(',').Order(), rows.Skip(1).Select(r => r[1]).Distinct().Order());
    }

    [Fact]
    public async Task A_period_that_cannot_be_read_is_explained()
    {
        Assert.Equal("看不懂这个时间段：「三月」。可以写：本月、上月、2026-03，或 2026-03-01 至 2026-03-31。",
            CallKit.Texts(await _host.SayAsync(_host.Adapter(CallbacksHost.Supervisor), "回访报告 三月")));
    }

    /// <summary>The CSV offered on Teams' file consent card, as the bot keeps it until the person accepts.</summary>
    public static async Task<(string Name, List<string[]> Rows)> CsvAsync(CallbacksHost host, IEnumerable<Microsoft.Bot.Schema.IActivity> replies)
    {
        var attachment = replies.SelectMany(r => r.AsMessageActivity()?.Attachments ?? []).Single(a => a.ContentType == "application/vnd.microsoft.teams.card.file.consent");
        var content = JObject.FromObject(attachment.Content);
        var exportId = (string)content["acceptContext"]!["exportId"]!;
        var file = (await ((PendingExportStore)host.Services.GetService(typeof(PendingExportStore))!).GetAsync(host.TenantId, exportId, default))!;
        Assert.Equal(file.FileName, attachment.Name);
        Assert.Equal("text/csv", file.ContentType);
        var bytes = file.Bytes;
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        var rows = new List<string[]>();
        using var reader = CsvReader.FromText(Encoding.UTF8.GetString(bytes[3..]), CsvReaderOptions.Default with { HasHeader = false, Separator = ',', SkipEmptyLines = true });
        while (reader.Read())
        {
            rows.Add(reader.Current.ToArray());
        }
        return (file.FileName, rows.Where(r => r.Any(c => c.Length > 0)).ToList());
    }
}
