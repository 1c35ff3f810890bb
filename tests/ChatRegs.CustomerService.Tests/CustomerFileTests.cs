using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.CustomerService;
using ChatRegs.CustomerService.Tests.Support;
using ChatRegs.TestSupport;
using Newtonsoft.Json.Linq;
using static ChatRegs.CustomerService.Tests.Support.CustomerServiceHost;

namespace ChatRegs.CustomerService.Tests;

/// <summary>客户资料管理: files from the import, the first-contact list, the customer card, sorting and notes, as each role uses them.</summary>
public sealed class CustomerFileTests
{
    [Fact]
    public async Task The_imported_customers_become_files_with_a_first_contact_due_within_a_week()
    {
        await using var h = await StartAsync();
        await h.ImportAsync();

        // The supervisor sees every new customer, due a week after the service (4 March + 7).
        var card = LastCard(await h.SayAsync(Supervisor, "客户"));
        var text = TurnKit.Text(card);
        Assert.Contains("首次联系待办（3）", text);
        Assert.Contains("王小明先生 · 13800138000", text);
        Assert.Contains("张丽女士 · 13900001111", text);
        Assert.Contains("首次联系期限：2026-03-11", text);
        Assert.Contains("未分类 · 会员 · 负责：李娜", text);

        // One file per customer: importing the same phone again (another service) adds none.
        await h.ImportAsync("张丽,女士,+86 139-0000-1111,否,打蜡,2026-03-05,李娜");
        var files = await h.Store.ListCustomersAsync(Tenant, default);
        Assert.Equal(3, files.Count);
        var zhang = await h.FileAsync("13900001111");
        Assert.Equal(new DateOnly(2026, 3, 4), zhang.FirstServiceDate);
        Assert.Equal(new DateOnly(2026, 3, 11), zhang.DueDate);
        Assert.Equal(RepA, zhang.OwnerId);

        // A rep sees only the customers they own; Mike reads English.
        var mine = TurnKit.Text(LastCard(await h.SayAsync(RepA, "客户")));
        Assert.Contains("首次联系待办（2）", mine);
        Assert.DoesNotContain("Smith", mine);
        var mike = TurnKit.Text(LastCard(await h.SayAsync(RepEn, "customer")));
        Assert.Contains("First contacts due (1)", mike);
        Assert.Contains("Ms. Smith · 13700002222", mike);
        Assert.Contains("first contact due 2026-03-11", mike);
        Assert.Contains("Not sorted · Member · owner: Mike", mike);
    }

    [Fact]
    public async Task The_customer_card_shows_the_whole_history_services_callbacks_complaints_and_notes()
    {
        await using var h = await StartAsync();
        await h.ImportAsync();
        await h.ImportAsync("张丽,女士,13900001111,否,打蜡,2026-03-05,李娜");
        await h.FinishCallAsync(await h.TaskAsync("13900001111", "洗车", new DateOnly(2026, 3, 4)), Satisfaction.Dissatisfied, "车里还有水渍");
        // A complaint registered with her phone.
        var form = LastCard(await h.SayAsync(RepA, "投诉"));
        await h.PressAsync(RepA, form, "登记投诉", new { complainant = "张丽", title = "ms", contact = "13900001111", receivedDate = "2026-03-05", receivedTime = "09:30", channel = "phone", category = "service", what = "洗完车还有水渍", request = "重新清洗" });

        var card = LastCard(await h.SayAsync(Manager, "客户 张丽"));
        var text = TurnKit.Text(card);
        Assert.Contains("客户资料：张丽女士", text);
        Assert.Contains("服务记录（2）", text);
        Assert.Contains("2026-03-05 · 打蜡", text);
        Assert.Contains("2026-03-04 · 洗车", text);
        Assert.Contains("回访：已完成 · 专员：李娜", text);
        Assert.Contains("回访记录（1）", text);
        Assert.Contains("李娜 · 完成回访", text);
        Assert.Contains("满意度：不满意 · 客户原话：车里还有水渍", text);
        Assert.Contains("投诉（1）", text);
        Assert.Contains("洗完车还有水渍", text);
        Assert.Contains("备案（0）", text);
        // The finished callback was the first contact.
        Assert.Contains("已首次联系", text);
        // A manager reads; only supervisors sort and only supervisors and her reps add notes.
        Assert.Empty(Inputs(card));

        // By phone, any way it is written, the same file.
        Assert.Contains("客户资料：张丽女士", TurnKit.Text(LastCard(await h.SayAsync(Supervisor, "客户 139-0000-1111"))));
        // Unknown.
        Assert.Contains("没有找到客户“李四”", Texts(await h.SayAsync(Supervisor, "客户 李四")));
    }

    [Fact]
    public async Task The_supervisor_sorts_a_customer_and_gives_the_file_to_another_rep()
    {
        await using var h = await StartAsync();
        await h.ImportAsync();
        var card = LastCard(await h.SayAsync(Supervisor, "客户 王小明"));
        Assert.Equal(["category", "priority", "owner", "note", "contact"], Inputs(card));

        var replies = await h.PressAsync(Supervisor, card, "保存分类", new { category = "existing", priority = "high", owner = RepB });
        var text = TurnKit.Text(LastCard(replies));
        Assert.Contains("已保存：已有的客户 · 优先级 高 · 负责 赵强。", text);
        Assert.Contains("分类人", text);
        var file = await h.FileAsync("13800138000");
        Assert.Equal(("existing", "high", RepB, Supervisor), (file.Category, file.Priority, file.OwnerId, file.SortedById));

        // Now 赵强 owns it: it is on his list, and no longer on 李娜's.
        Assert.Contains("王小明先生", TurnKit.Text(LastCard(await h.SayAsync(RepB, "客户"))));
        Assert.DoesNotContain("王小明先生", TurnKit.Text(LastCard(await h.SayAsync(RepA, "客户"))));

        // The card pressed again is older than the file: nothing is saved, the latest file is shown.
        var stale = await h.PressAsync(Supervisor, card, "保存分类", new { category = "potential", priority = "low", owner = RepA });
        Assert.Contains("这份客户资料刚被别人修改过，没有保存。", TurnKit.Text(LastCard(stale)));
        Assert.Equal("existing", (await h.FileAsync("13800138000")).Category);

        // Forged values are refused.
        var fresh = LastCard(await h.SayAsync(Supervisor, "客户 王小明"));
        Assert.Contains("请选择分类和优先级", Texts(await h.PressAsync(Supervisor, fresh, "保存分类", new { category = "vip", priority = "high" })));
        Assert.Contains("负责客服必须是客服专员", Texts(await h.PressAsync(Supervisor, fresh, "保存分类", new { category = "existing", priority = "high", owner = Employee })));

        // In English.
        var amy = LastCard(await h.SayAsync(SupervisorEn, "customer Smith"));
        var en = TurnKit.Text(LastCard(await h.PressAsync(SupervisorEn, amy, "Save sorting", new { category = "potential", priority = "low" })));
        Assert.Contains("Saved: Potential target customer · priority Low · owner Mike.", en);
    }

    [Fact]
    public async Task A_rep_keeps_notes_on_the_file_and_a_contact_note_is_the_first_contact()
    {
        await using var h = await StartAsync();
        await h.ImportAsync();
        var card = LastCard(await h.SayAsync(RepA, "客户 张丽"));
        Assert.Equal(["note", "contact"], Inputs(card));

        var replies = await h.PressAsync(RepA, card, "添加备案", new { note = "电话沟通，客户希望周末再来 **洗车**", contact = "true" });
        var text = TurnKit.Text(LastCard(replies));
        Assert.Contains("已添加备案，并记为首次联系。", text);
        Assert.Contains("李娜（首次联系）", text);
        Assert.Contains("电话沟通，客户希望周末再来 **洗车**", text);
        Assert.NotNull((await h.FileAsync("13900001111")).ContactedUtc);
        // Contacted: off the first-contact list.
        Assert.DoesNotContain("张丽", TurnKit.Text(LastCard(await h.SayAsync(RepA, "客户"))));

        // Empty and too long notes are refused, nothing saved.
        Assert.Contains("备案内容不能为空", Texts(await h.PressAsync(RepA, card, "添加备案", new { note = "  " })));
        Assert.Contains("备案最多 1000 个字，现在是 1001 个字", Texts(await h.PressAsync(RepA, card, "添加备案", new { note = new string('字', 1001) })));
        Assert.Single(await h.Store.NotesAsync(Tenant, "13900001111", default));

        // Mike in English.
        var mike = LastCard(await h.SayAsync(RepEn, "customer 13700002222"));
        Assert.Contains("Note added.", TurnKit.Text(LastCard(await h.PressAsync(RepEn, mike, "Add note", new { note = "Sent the price list" }))));
    }

    [Theory]
    [InlineData("*")]
    [InlineData("W/\"datetime'2020-01-01T00%3A00%3A00.0000000Z'\"")]
    [InlineData("not-an-etag")]
    public async Task A_forged_card_version_is_refused_as_outdated_never_handed_to_storage(string version)
    {
        // The supervisor may sort; only the card's version is forged. "*" would overwrite
        // whatever is stored unconditionally, a malformed one would fail as a bad request.
        await using var h = await StartAsync();
        await h.ImportAsync();
        var card = LastCard(await h.SayAsync(Supervisor, "客户 王小明"));
        await h.PressAsync(Supervisor, card, "保存分类", new { category = "existing", priority = "high", owner = RepB });
        var before = await h.FileAsync("13800138000");
        h.Logs.Clear();

        var replies = await h.SubmitAsync(Supervisor, new { verb = "customers.sort", key = "13800138000", version, category = "potential", priority = "low", owner = RepA });

        Assert.Contains("这份客户资料刚被别人修改过，没有保存。", Readable(replies));
        var after = await h.FileAsync("13800138000");
        Assert.Equal((before.ETag, "existing", RepB), (after.ETag, after.Category, after.OwnerId));
        Assert.DoesNotContain(h.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task Nobody_else_sees_or_changes_a_customer_file()
    {
        await using var h = await StartAsync();
        await h.ImportAsync();

        // No role: no list, no file.
        await h.SayAsync(Supervisor, "客户");
        Assert.Contains("客户资料只给客服专员、客服主管和经理使用", Texts(await h.SayAsync(Employee, "客户")));
        Assert.Contains("客户资料只给客服专员、客服主管和经理使用", Texts(await h.SayAsync(Employee, "客户 张丽")));
        Assert.Contains("只有客服主管、经理，以及负责、服务过或回访过这位客户的客服专员可以查看", Texts(await h.SubmitAsync(Employee, new { verb = "customers.open", key = "13900001111" })));

        // Another rep: not her customer. She finds no one by name, and forged buttons are refused.
        Assert.Contains("没有找到客户“张”", Texts(await h.SayAsync(RepB, "客户 张")));
        Assert.Contains("没有找到客户“13900001111”", Texts(await h.SayAsync(RepB, "客户 13900001111")));
        Assert.Contains("只有客服主管、经理，以及负责、服务过或回访过这位客户的客服专员可以查看", Texts(await h.SubmitAsync(RepB, new { verb = "customers.open", key = "13900001111" })));
        Assert.Contains("只有客服主管，以及负责、服务过或回访过这位客户的客服专员可以添加备案", Texts(await h.SubmitAsync(RepB, new { verb = "customers.note", key = "13900001111", note = "x" })));
        Assert.Contains("只有客服主管可以给客户分类", Texts(await h.SubmitAsync(RepA, new { verb = "customers.sort", key = "13900001111", category = "existing", priority = "high" })));
        Assert.Contains("只有客服主管可以给客户分类", Texts(await h.SubmitAsync(Manager, new { verb = "customers.sort", key = "13900001111", category = "existing", priority = "high" })));
        Assert.Empty(await h.Store.NotesAsync(Tenant, "13900001111", default));
        Assert.Equal("", (await h.FileAsync("13900001111")).Category);

        // Forged keys: nothing found.
        foreach (var key in new object[] { "", "0", new string('1', 5000), new[] { "13900001111" }, "13900001111|x" })
        {
            Assert.Contains("这位客户的资料找不到了", Texts(await h.SubmitAsync(Supervisor, new JObject { ["verb"] = "customers.open", ["key"] = JToken.FromObject(key) })));
        }

        // Another tenant: the same phone is not theirs.
        var outsider = h.Bot.CreateAdapter(FeatureHost.ChatOf("29:x"), "29:x", "tenant-other", "zh-CN", "personal");
        Assert.Contains("这位客户的资料找不到了", Texts(await h.Bot.SubmitAsync(outsider, new { verb = "customers.open", key = "13900001111" }, "zh-CN")));

        // A group chat: personal records stay out of it.
        var group = h.Adapter(Supervisor, conversationId: "19:group", conversationType: "groupChat");
        Assert.Contains("客户资料只在和我的私聊中显示", Texts(await h.SayAsync(group, "客户 张丽")));
        Assert.Contains("客户资料只在和我的私聊中显示", Texts(await h.SubmitAsync(group, new { verb = "customers.open", key = "13900001111" })));
    }

    [Fact]
    public async Task The_rep_is_reminded_when_a_first_contact_is_due_once_a_day()
    {
        await using var h = await StartAsync();
        await h.ImportAsync();
        await h.SayAsync(Supervisor, "客户");
        var job = Assert.Single(await h.Feature.JobsAsync(CustomerServiceSchedule.DailyJobId));

        // Not due yet: nobody is reminded.
        await h.RunJobAsync(job.Id);
        Assert.DoesNotContain("客户首次联系提醒", h.ReadableTo(RepA));

        // 11 March, due day: 李娜 is told about her two customers, once.
        h.At(new DateOnly(2026, 3, 11), 9, 0);
        await h.RunJobAsync(job.Id);
        var text = h.ReadableTo(RepA);
        Assert.Contains("客户首次联系提醒", text);
        Assert.Contains("你负责的 2 位新客户应在一周内首次联系", text);
        Assert.Contains("王小明先生", text);
        Assert.Contains("今天到期", text);
        Assert.Contains("First contacts due", h.ReadableTo(RepEn));
        await h.RunJobAsync(job.Id);
        Assert.Equal(1, h.Feature.CardsTo(RepA).Count(c => TurnKit.Text(c).Contains("客户首次联系提醒")));
        Assert.DoesNotContain("客户首次联系提醒", h.ReadableTo(Supervisor));
    }

    [Fact]
    public async Task Storage_failing_at_any_request_of_a_note_says_not_saved_or_saved_and_means_it()
    {
        StorageFaults? faults = null;
        await using var h = await StartAsync(s => faults = StorageFaults.Install(s));
        await h.ImportAsync();
        var card = LastCard(await h.SayAsync(RepA, "客户 张丽"));
        faults!.Count();
        await h.PressAsync(RepA, card, "添加备案", new { note = "第0条" });
        var requests = faults.Seen;
        faults.Off();
        Assert.True(requests > 3, string.Join("\n", faults.Requests));
        for (var n = 1; n <= requests; n++)
        {
            faults.FailAt(n, StorageFault.BeforeSending);
            var replies = await h.PressAsync(RepA, card, "添加备案", new { note = $"第{n}条" });
            faults.Off();
            var saved = (await h.Store.NotesAsync(Tenant, "13900001111", default)).Count(x => x.Text == $"第{n}条");
            var said = Readable(replies);
            Assert.True(saved == 1 ? said.Contains("已添加备案") : said.Contains("没有保存成功，请稍后再试"), $"request {n} ({faults.InjectedInto}): saved {saved}, said {said}");
        }
    }
}
