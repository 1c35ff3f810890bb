using ChatRegs.Bot.Duties;
using ChatRegs.Bot.People;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChatRegs.People.Tests.Duties;

/// <summary>The duties handbook (岗位职责): by role, by section, by word, zh-CN and en, from a file the office edits.</summary>
public sealed class DutiesTests
{
    private const string Employee = "29:emp";
    private const string Rep = "29:rep";
    private const string RepEn = "29:mike-en";

    /// <summary>The bot with an employee, a customer-service rep and an English-speaking rep.</summary>
    private sealed class Host(FeatureHost host) : IAsyncDisposable
    {
        public static async Task<Host> StartAsync()
        {
            var host = await FeatureHost.StartAsync("tenant-duties", new DateTimeOffset(2026, 11, 26, 10, 0, 0, FeatureHost.Shanghai));
            await host.PersonAsync(Employee, "王小明", team: "行政部");
            await host.PersonAsync(Rep, "李娜", onDuty: true, team: "客服部", roles: Roles.CsRep);
            await host.PersonAsync(RepEn, "Mike", roles: Roles.CsRep);
            return new Host(host);
        }

        public Task<List<IActivity>> SayAsync(string userId, string text) => host.DriveAsync(host.SayAsync(userId, text));

        public Task<List<IActivity>> PressAsync(string userId, JObject card, string button) => host.PressAsync(userId, card, button);

        public ValueTask DisposeAsync() => host.DisposeAsync();
    }

    private static JObject LastCard(IEnumerable<IActivity> replies) =>
        TurnKit.Card(replies.Last(r => r.AsMessageActivity()?.Attachments?.Any(a => a.Content is JObject) == true));

    private static string Texts(IEnumerable<IActivity> replies) =>
        string.Join("\n", replies.Select(r => r.AsMessageActivity()?.Text).Where(t => !string.IsNullOrEmpty(t)));

    [Fact]
    public async Task A_role_answers_with_its_duties_in_the_words_of_the_regulations_and_in_english()
    {
        await using var h = await Host.StartAsync();
        var roles = LastCard(await h.SayAsync(Employee, "职责"));
        Assert.Equal("岗位职责手册", Replies.TextBlocks(roles)[0]);
        Assert.Equal(["客服", "财务"], Replies.Buttons(roles));

        var finance = LastCard(await h.SayAsync(Employee, "职责 财务"));
        var text = TurnKit.Text(finance);
        Assert.Equal("岗位职责：财务", Replies.TextBlocks(finance)[0]);
        Assert.Contains("财务部岗位职责(1)", text);
        Assert.Contains("一、按照国家会计法,在公司财务主管的指导、监督下做好记帐付帐报帐工作。", text);
        // Too long for one card: the rest is named, with how to ask for it.
        Assert.Contains("发送“职责 财务", text);

        var seven = TurnKit.Text(LastCard(await h.SayAsync(Employee, "职责 客服 7")));
        Assert.Contains("务必保证在三天之内回访(最好与客户在电话中再约一个方便的时光)。", seven);
        Assert.Contains("由客服主管填写《顾客投诉分类统计表》", seven);

        var en = TurnKit.Text(LastCard(await h.SayAsync(RepEn, "duties finance 4")));
        Assert.Contains("Duties: Finance", en);
        Assert.Contains("Finance department duties (4)", en);
        Assert.Contains("a cheque is valid only once the general manager has signed it", en);

        // The role buttons work too.
        var pressed = TurnKit.Text(LastCard(await h.PressAsync(Employee, roles, "客服")));
        Assert.Contains("岗位职责：客服", pressed);
    }

    [Fact]
    public async Task A_word_finds_the_lines_that_mention_it()
    {
        await using var h = await Host.StartAsync();
        var card = LastCard(await h.SayAsync(Rep, "职责 客服 回访"));
        var blocks = Replies.TextBlocks(card);
        Assert.Equal("客服职责中含“回访”的条文", blocks[0]);
        Assert.Contains("务必保证在三天之内回访(最好与客户在电话中再约一个方便的时光)。", blocks);
        Assert.All(blocks.Where(b => b.StartsWith("务必", StringComparison.Ordinal)), b => Assert.Contains("回访", b));
        Assert.DoesNotContain(blocks, b => b.Contains("记帐", StringComparison.Ordinal));

        // Over every role, and in English.
        var everywhere = Replies.TextBlocks(LastCard(await h.SayAsync(Rep, "职责 凭证")));
        Assert.Equal("岗位职责中含“凭证”的条文", everywhere[0]);
        Assert.Contains(everywhere, b => b.StartsWith("财务 · 财务部岗位职责(1)", StringComparison.Ordinal));
        var en = Replies.TextBlocks(LastCard(await h.SayAsync(RepEn, "duties cs complaint")));
        Assert.Equal("Customer service duties mentioning \"complaint\"", en[0]);
        Assert.Contains(en, b => b.Contains("Customer Complaint Classified Statistics Form", StringComparison.Ordinal));

        Assert.Contains("客服的职责中没有找到“火箭”。", Texts(await h.SayAsync(Rep, "职责 客服 火箭")));
        Assert.Contains("岗位职责中没有找到“火箭”。现有岗位：客服、财务。", Texts(await h.SayAsync(Rep, "职责 火箭")));
    }

    [Fact]
    public async Task The_office_edits_the_handbook_file_and_the_next_question_reads_the_new_text()
    {
        var folder = Directory.CreateTempSubdirectory("duties");
        var file = Path.Combine(folder.FullName, "handbook.json");
        File.Copy(Path.Combine(AppContext.BaseDirectory, DutiesHandbook.DefaultFile), file);
        try
        {
            var handbook = new DutiesHandbook(Options.Create(new DutiesOptions { HandbookFile = file }), NullLogger<DutiesHandbook>.Instance);
            Assert.Equal(["cs", "finance"], handbook.Current.Roles.Select(r => r.Key));
            Assert.Equal(7, handbook.FindRole("客服")!.Sections.Count);
            Assert.Equal(10, handbook.FindRole("finance")!.Sections.Count);
            Assert.Same(handbook.FindRole("客服部"), handbook.FindRole("customer service"));
            // Every line has its translation.
            Assert.All(handbook.Current.Roles.SelectMany(r => r.Sections).SelectMany(s => s.Lines), l => Assert.False(string.IsNullOrWhiteSpace(l.En), l.Zh));

            File.WriteAllText(file, """{ "roles": [ { "key": "hr", "names": ["人事"], "title": { "zh-CN": "人事", "en": "HR" }, "sections": [ { "id": "1", "title": { "zh-CN": "人事职责", "en": "HR duties" }, "lines": [ { "zh-CN": "负责招聘。", "en": "Recruiting." } ] } ] } ] }""");
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));
            Assert.Equal("人事", Assert.Single(handbook.Current.Roles).Title.Zh);

            // A broken edit keeps the last good handbook.
            File.WriteAllText(file, "{ not json");
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(2));
            Assert.Equal("hr", Assert.Single(handbook.Current.Roles).Key);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_shipped_handbook_holds_the_regulations_word_for_word()
    {
        // Copied character for character from reference/regulations-zh.txt.
        var handbook = new DutiesHandbook(Options.Create(new DutiesOptions()), NullLogger<DutiesHandbook>.Instance);
        var cs = handbook.FindRole("客服")!;
        var finance = handbook.FindRole("财务")!;
        Assert.Equal([44, 33, 10, 12, 25, 31, 90], cs.Sections.Select(s => s.Lines.Count));
        Assert.Equal([11, 15, 10, 12, 5, 8, 15, 7, 6, 15], finance.Sections.Select(s => s.Lines.Count));
        Assert.Equal("使客服代证明确自我的岗位职责和所要认真执行的规范与制度,以使其工作在必须的制度和规范下顺利完成。", cs.Sections[0].Lines[3].Zh);
        Assert.Equal("投诉处理流程:", cs.Sections[6].Lines[42].Zh);
        Assert.Equal("即初步填写《顾客投诉登记表》的相关资料,如投诉人、投诉时光、投诉资料等。", cs.Sections[6].Lines[44].Zh);
        Assert.Equal("4、用媒体及社会舆论对公司的影响力;", cs.Sections[6].Lines[^1].Zh);
        Assert.Equal("十一、完成公司领导交付的其他任务。", finance.Sections[0].Lines[^1].Zh);
        Assert.Equal("六、报表规定根据报表管理规定每日向深港财务上报《现金/银行存款日报表》,每月上报《工程收入月报表》和《管理人员工资表》。", finance.Sections[9].Lines[^1].Zh);
        Assert.Equal("Guarantee the callback within three days (best to agree another convenient time with the customer on the phone).", cs.Sections[6].Lines[20].En);
    }
}
