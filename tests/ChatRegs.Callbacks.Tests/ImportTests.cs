using ChatRegs.TestSupport;
using System.Text;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Callbacks.Tests.Support;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Callbacks.Tests;

/// <summary>导入回访: bad rows reported by line with the reason, good rows kept, nothing imported twice.</summary>
public sealed class ImportTests(SharedFeatureHost bot) : IClassFixture<SharedFeatureHost>, IAsyncLifetime
{
    private CallbacksHost _host = null!;

    public async Task InitializeAsync() => _host = await CallbacksHost.StartAsync(bot);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string Fact(JObject card, string title) =>
        (string)card.Descendants().OfType<JObject>().Single(f => (string?)f["title"] == title && f["value"] != null)["value"]!;

    private static IReadOnlyList<(string Line, string Reason)> RowErrors(JObject card) =>
        card.Descendants().OfType<JObject>().Where(o => (string?)o["type"] == "ColumnSet")
            .Select(c => c["columns"]!.Children<JObject>().Select(col => (string)col["items"]![0]!["text"]!).ToList())
            .Select(t => (t[0], t[1])).ToList();

    [Fact]
    public async Task Bad_rows_are_reported_by_line_with_the_reason_and_good_rows_are_kept()
    {
        var replies = await _host.ImportAsync("""
            客户姓名,称呼,电话,是否会员,服务项目,服务日期
            王小明,先生,138-0013-8000,是,汽车保养,2026-03-04
            张三,老板,13900001111,否,洗车,2026-03-04
            ,女士,12ab,也许,洗车,三月五号
            李四,女士,13700002222,否,四轮定位,2026-03-09
            赵六,小姐,+86 136 0000 3333,会员,喷漆,2026/3/2
            王小明,先生,13800138000,是,汽车保养,2026-03-04
            """);
        var card = Replies.Card(replies);
        Assert.Equal("2", Fact(card, "新增回访"));
        Assert.Equal("4", Fact(card, "有问题、没有导入的行"));
        Assert.Equal(
        [
            ("第 3 行", "称呼应为 先生、女士 或 小姐：「老板」"),
            ("第 4 行", "缺少客户姓名；电话号码不对：「12ab」；是否会员应填 是 或 否：「也许」；服务日期看不懂：「三月五号」，请写成 2026-03-05"),
            ("第 5 行", "服务日期 2026-03-09 还没到"),
            ("第 7 行", "和第 2 行是同一条记录（电话、服务项目、服务日期相同）"),
        ], RowErrors(card));

        var tasks = await _host.TasksAsync();
        Assert.Equal(2, tasks.Count);
        var wang = await _host.TaskAsync("13800138000", "汽车保养", new DateOnly(2026, 3, 4));
        Assert.Equal(("王小明", "mr", true, new DateOnly(2026, 3, 7)), (wang.CustomerName, wang.Title, wang.IsMember, wang.DueDate));
        var zhao = await _host.TaskAsync("13600003333", "喷漆", new DateOnly(2026, 3, 2));
        Assert.Equal(("miss", new DateOnly(2026, 3, 5), "Asia/Shanghai"), (zhao.Title, zhao.DueDate, zhao.CustomerTimeZone));
    }

    [Fact]
    public async Task The_reasons_are_in_the_supervisors_language()
    {
        var replies = await _host.ImportAsync("""
            Smith,Sir?,13800138000,maybe,car wash,2026-03-04
            Jones,Ms,13900001111,no,car wash,2026-03-04,Nobody
            Brown,Ms,13700002222,no,car wash,2026-03-04,王小明
            """, "en-US");
        var card = Replies.Card(replies);
        Assert.Equal("0", Fact(card, "New callbacks"));
        Assert.Equal(
        [
            ("Line 1", "the title must be 先生, 女士 or 小姐 (Mr, Ms or Miss): \"Sir?\"; member must be yes or no: \"maybe\""),
            ("Line 2", "no rep called \"Nobody\""),
            ("Line 3", "\"王小明\" is not a customer-service rep"),
        ], RowErrors(card));
        Assert.Empty(await _host.TasksAsync());
    }

    [Fact]
    public async Task Importing_the_same_records_again_adds_nothing()
    {
        const string rows = "王小明,先生,13800138000,是,汽车保养,2026-03-04\n张丽,女士,13900001111,否,洗车,2026-03-03";
        await _host.ImportAsync(rows);
        var first = await _host.TasksAsync();

        // The same records again (the phone written differently, the service with other spacing), and one new one.
        var replies = await _host.ImportAsync("王小明,先生,+86 138 0013 8000,是,汽车保养 ,2026/3/4\n张丽,女士,13900001111,否,洗车,2026-03-03\n李四,先生,13700002222,否,洗车,2026-03-03");
        var card = Replies.Card(replies);
        Assert.Equal("1", Fact(card, "新增回访"));
        Assert.Equal("2", Fact(card, "以前导入过（没有重复添加）"));
        var after = await _host.TasksAsync();
        Assert.Equal(3, after.Count);
        // The tasks imported before are untouched (same rep, same state).
        foreach (var task in first)
        {
            Assert.Equal(task.RepId, after.Single(t => t.Id == task.Id).RepId);
        }
    }

    [Fact]
    public async Task Columns_are_found_by_their_names_in_any_order_and_spreadsheet_rows_with_tabs_or_chinese_commas_are_read()
    {
        await _host.ImportAsync("服务日期,电话,客户姓名,称呼,服务项目,是否会员,客服\n2026-03-04,13800138000,王小明,先生,汽车保养,是,赵强");
        Assert.Equal(CallbacksHost.RepB, (await _host.TaskAsync("13800138000", "汽车保养", new DateOnly(2026, 3, 4))).RepId);

        await _host.ImportAsync("张丽\t女士\t13900001111\t否\t洗车, 打蜡\t2026-03-03");
        Assert.Equal("洗车, 打蜡", (await _host.TaskAsync("13900001111", "洗车, 打蜡", new DateOnly(2026, 3, 3))).ServiceItem);

        await _host.ImportAsync("李四，先生，13700002222，否，洗车，2026-03-03");
        Assert.Equal("李四", (await _host.TaskAsync("13700002222", "洗车", new DateOnly(2026, 3, 3))).CustomerName);
    }

    [Fact]
    public async Task A_csv_file_sent_in_teams_is_downloaded_even_when_excel_saved_it_in_gb18030()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var bytes = Encoding.GetEncoding("GB18030").GetBytes("客户姓名,称呼,电话,是否会员,服务项目,服务日期,时区\r\n王小明,先生,13800138000,是,汽车保养,2026-03-04,Europe/London\r\n");
        var url = _host.Files.Add("服务记录.csv", bytes);
        var replies = await _host.SendAsync(_host.Adapter(CallbacksHost.Supervisor), new Activity
        {
            Type = ActivityTypes.Message,
            Text = "导入回访",
            Attachments = [new Attachment { ContentType = "text/html", Content = "<p>导入回访</p>" }, TeamsFileHost.TeamsFile("服务记录.csv", url)],
        });
        Assert.Equal("1", Fact(Replies.Card(replies), "新增回访"));
        Assert.Equal(url, Assert.Single(_host.Files.Requests).AbsoluteUri);
        var task = await _host.TaskAsync("13800138000", "汽车保养", new DateOnly(2026, 3, 4));
        Assert.Equal(("王小明", "Europe/London"), (task.CustomerName, task.CustomerTimeZone));
    }

    [Fact]
    public async Task The_command_alone_waits_for_the_file_in_the_next_message()
    {
        var supervisor = _host.Adapter(CallbacksHost.Supervisor);
        var replies = await _host.SayAsync(supervisor, "导入回访");
        Assert.Contains("请发送服务记录的 CSV 文件，或者把数据行粘贴过来", CallKit.Texts(replies));

        var url = _host.Files.Add("records.csv", Encoding.UTF8.GetBytes("\uFEFF王小明,先生,13800138000,是,汽车保养,2026-03-04\n"));
        replies = await _host.SendAsync(supervisor, new Activity { Type = ActivityTypes.Message, Attachments = [TeamsFileHost.TeamsFile("records.csv", url)] });
        Assert.Equal("1", Fact(Replies.Card(replies), "新增回访"));

        // Pasted rows work the same way.
        await _host.SayAsync(supervisor, "导入回访");
        replies = await _host.SayAsync(supervisor, "张丽,女士,13900001111,否,洗车,2026-03-03");
        Assert.Equal("1", Fact(Replies.Card(replies), "新增回访"));
        Assert.Equal(2, (await _host.TasksAsync()).Count);
    }

    [Fact]
    public async Task Files_that_are_not_csv_or_cannot_be_downloaded_are_refused_with_the_reason()
    {
        var supervisor = _host.Adapter(CallbacksHost.Supervisor);
        var replies = await _host.SendAsync(supervisor, new Activity { Type = ActivityTypes.Message, Text = "导入回访", Attachments = [TeamsFileHost.TeamsFile("服务记录.xlsx", _host.Files.Add("服务记录.xlsx", [1, 2, 3]))] });
        Assert.Contains("「服务记录.xlsx」不是 CSV 文件。请在 Excel 里“另存为 CSV”后再发送。", CallKit.Texts(replies));

        replies = await _host.SendAsync(supervisor, new Activity { Type = ActivityTypes.Message, Text = "导入回访", Attachments = [TeamsFileHost.TeamsFile("gone.csv", "https://contoso-my.sharepoint.com/personal/liuyang_contoso_com/_layouts/15/download.aspx?UniqueId=missing")] });
        Assert.Contains("下载「gone.csv」失败，请稍后重新发送。", CallKit.Texts(replies));

        var big = _host.Files.Add("big.csv", new byte[2 * 1024 * 1024]);
        replies = await _host.SendAsync(supervisor, new Activity { Type = ActivityTypes.Message, Text = "导入回访", Attachments = [TeamsFileHost.TeamsFile("big.csv", big)] });
        Assert.Contains("「big.csv」太大了，最多 1024 KB。", CallKit.Texts(replies));

        replies = await _host.SayAsync(supervisor, "导入回访\n客户姓名,称呼,电话\n王小明,先生,13800138000");
        Assert.Contains("表头缺少这些列：是否会员、服务项目、服务日期。", CallKit.Texts(replies));
        Assert.Empty(await _host.TasksAsync());
    }

    [Theory]
    [InlineData(CallbacksHost.RepA)]
    [InlineData(CallbacksHost.Employee)]
    public async Task Only_a_supervisor_imports(string userId)
    {
        var replies = await _host.SayAsync(_host.Adapter(userId), "导入回访\n王小明,先生,13800138000,是,汽车保养,2026-03-04");
        Assert.Equal("只有客服主管可以做这件事。如需权限，请联系办公室。", CallKit.Texts(replies));
        Assert.Empty(await _host.TasksAsync());
    }
}
