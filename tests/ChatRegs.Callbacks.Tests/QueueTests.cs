using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.People;
using ChatRegs.Callbacks.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Callbacks.Tests;

/// <summary>Queues: balanced assignment, the most urgent first, and each rep sees and calls only their own customers.</summary>
public sealed class QueueTests(SharedFeatureHost bot) : IClassFixture<SharedFeatureHost>, IAsyncLifetime
{
    private CallbacksHost _host = null!;

    public async Task InitializeAsync() => _host = await CallbacksHost.StartAsync(bot);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static IReadOnlyList<string> Customers(JObject card) =>
        card.Descendants().OfType<JObject>().Where(o => (string?)o["type"] == "Container" && o["items"] is JArray items && items.Count > 0 && (string?)items[0]!["type"] == "ColumnSet")
            .Select(c => (string)c["items"]![0]!["columns"]![0]!["items"]![0]!["text"]!).ToList();

    [Fact]
    public async Task Unassigned_records_go_to_the_reps_on_duty_balancing_their_open_load()
    {
        // 李娜 already has three open callbacks; 赵强 none; 孙丽 is off duty.
        await _host.ImportAsync("""
            甲,先生,13800000001,是,保养,2026-03-04,李娜
            乙,先生,13800000002,是,保养,2026-03-04,李娜
            丙,先生,13800000003,是,保养,2026-03-04,李娜
            """);
        var replies = await _host.ImportAsync("""
            丁,先生,13800000004,是,保养,2026-03-04
            戊,先生,13800000005,否,保养,2026-03-04
            己,女士,13800000006,是,保养,2026-03-03
            庚,女士,13800000007,否,保养,2026-03-05
            辛,女士,13800000008,是,保养,2026-03-05
            壬,女士,13800000009,否,保养,2026-03-05,孙丽
            """);
        var open = (await _host.TasksAsync()).GroupBy(t => t.RepId!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(4, open[CallbacksHost.RepA]);
        Assert.Equal(4, open[CallbacksHost.RepB]);
        // Named in the file: assigned even though off duty; never by the balancing.
        Assert.Equal(1, open[CallbacksHost.RepOff]);
        var assigned = Replies.Card(replies).Descendants().OfType<JObject>()
            .Single(c => (string?)c["type"] == "Container" && (string?)c["items"]?[0]?["text"] == "分配给：")["items"]![1]!["facts"]!
            .Select(f => $"{f["title"]} {f["value"]}");
        Assert.Equal(["孙丽 1 条", "李娜 1 条", "赵强 4 条"], assigned);
    }

    [Fact]
    public async Task Between_reps_with_as_many_callbacks_a_members_callback_goes_to_the_one_with_fewer_members()
    {
        // 兼顾业务潜力: 李娜 and 赵强 have two open callbacks each, but 李娜's are both members (会员).
        await _host.ImportAsync("""
            甲,先生,13800000001,是,保养,2026-03-04,李娜
            乙,先生,13800000002,是,保养,2026-03-04,李娜
            丙,先生,13800000003,否,保养,2026-03-04,赵强
            丁,先生,13800000004,否,保养,2026-03-04,赵强
            """);
        await _host.ImportAsync("""
            戊,女士,13800000005,是,保养,2026-03-04
            己,女士,13800000006,否,保养,2026-03-04
            """);
        var tasks = await _host.TasksAsync();
        Assert.Equal(CallbacksHost.RepB, tasks.Single(t => t.CustomerName == "戊").RepId);
        Assert.Equal(CallbacksHost.RepA, tasks.Single(t => t.CustomerName == "己").RepId);
        Assert.Equal(3, tasks.Count(t => t.RepId == CallbacksHost.RepA));
        Assert.Equal(3, tasks.Count(t => t.RepId == CallbacksHost.RepB));
    }

    [Fact]
    public async Task With_nobody_on_duty_records_wait_unassigned_until_the_supervisor_assigns_them()
    {
        var directory = _host.Services.GetRequiredService<PeopleDirectory>();
        var office = new Person { TenantId = _host.TenantId, UserId = "29:office", Name = "办公室" };
        foreach (var id in new[] { CallbacksHost.RepA, CallbacksHost.RepB })
        {
            var rep = (await directory.GetAsync(_host.TenantId, id))!;
            await directory.SaveAssignmentAsync(office, rep, rep.Roles, null, onDuty: false, rep.ETag);
        }
        var replies = await _host.ImportAsync("甲,先生,13800000001,是,保养,2026-03-04\n乙,先生,13800000002,是,保养,2026-03-04");
        Assert.Contains("现在没有值班的客服专员，2 条回访还没有分配。", Replies.All(replies));
        Assert.All(await _host.TasksAsync(), t => Assert.Null(t.RepId));

        var overview = Replies.Card(await _host.SayAsync(_host.Adapter(CallbacksHost.Supervisor), "回访"));
        Assert.Contains("未分配：2 条", Replies.TextBlocks(overview));

        var a = (await directory.GetAsync(_host.TenantId, CallbacksHost.RepA))!;
        await directory.SaveAssignmentAsync(office, a, a.Roles, null, onDuty: true, a.ETag);
        replies = await _host.PressAsync(_host.Adapter(CallbacksHost.Supervisor), overview, "分配给值班客服");
        Assert.Contains("已把 2 条回访分配给值班的客服专员。", CallKit.Texts(replies));
        Assert.All(await _host.TasksAsync(), t => Assert.Equal(CallbacksHost.RepA, t.RepId));
    }

    [Fact]
    public async Task A_reps_queue_lists_overdue_then_due_today_then_later_members_first()
    {
        // Today is 5 March: served 1 March → overdue; served 2 March → due today; 3–4 March → later.
        await _host.ImportAsync("""
            后非会员,先生,13800000001,否,保养,2026-03-04,李娜
            后会员,先生,13800000002,是,保养,2026-03-04,李娜
            今天非会员,先生,13800000003,否,保养,2026-03-02,李娜
            今天会员,先生,13800000004,是,保养,2026-03-02,李娜
            逾期非会员,先生,13800000005,否,保养,2026-03-01,李娜
            逾期会员,先生,13800000006,是,保养,2026-03-01,李娜
            别人的客户,先生,13800000007,是,保养,2026-03-01,赵强
            """);
        var card = Replies.Card(await _host.SayAsync(_host.Adapter(CallbacksHost.RepA), "回访"));
        Assert.Equal(["逾期会员先生", "逾期非会员先生", "今天会员先生", "今天非会员先生", "后会员先生", "后非会员先生"], Customers(card));
        var text = Replies.TextBlocks(card);
        Assert.Contains("我的回访（6 条待办）", text);
        Assert.Contains("逾期 2 条 · 今天到期 2 条 · 会员 3 条", text);
        Assert.Contains("已逾期 1 天", text);
        Assert.Contains("今天到期", text);
        Assert.DoesNotContain("别人的客户先生", text);
        Assert.All(Replies.Buttons(card), b => Assert.Contains(b, new[] { "开始回访", "电邮回访", "信息回访" }));

        // English, for a rep reading English.
        var en = Replies.Card(await _host.SayAsync(_host.Adapter(CallbacksHost.RepA, "en-US"), "callbacks"));
        Assert.Contains("My callbacks (6 to do)", Replies.TextBlocks(en));
        Assert.Contains("1 days overdue", Replies.TextBlocks(en));
    }

    [Fact]
    public async Task A_rep_cannot_call_another_reps_customer_even_with_a_forged_button()
    {
        await _host.ImportAsync("王小明,先生,13800138000,是,汽车保养,2026-03-04,李娜");
        var task = await _host.TaskAsync("13800138000", "汽车保养", new DateOnly(2026, 3, 4));

        // 赵强 sends the start button's data with 李娜's task id (and a claim that it is his).
        var replies = await _host.SubmitAsync(_host.Adapter(CallbacksHost.RepB), new { verb = "callbacks.start", taskId = task.Id, repId = CallbacksHost.RepB });
        Assert.Equal("这条回访没有分配给你，你不能回访这位客户。请联系客服主管。", CallKit.Texts(replies));
        Assert.DoesNotContain(replies, r => r.AsMessageActivity()?.Attachments?.Count > 0);
        // Nor does his queue show it.
        var queue = Replies.Card(await _host.SayAsync(_host.Adapter(CallbacksHost.RepB), "回访"));
        Assert.Contains("你的回访队列是空的。", Replies.TextBlocks(queue));

        // The supervisor may see and reassign, not call.
        replies = await _host.StartAsync(_host.Adapter(CallbacksHost.Supervisor), task.Id);
        Assert.Equal("这条回访没有分配给你，你不能回访这位客户。请联系客服主管。", CallKit.Texts(replies));
    }

    [Theory]
    [InlineData(CallbacksHost.Employee, "回访", "回访队列只给客服专员和客服主管使用。如需权限，请联系办公室。")]
    [InlineData(CallbacksHost.RepA, "回访 赵强", "只有客服主管可以做这件事。如需权限，请联系办公室。")]
    [InlineData(CallbacksHost.RepA, "回访报告", "回访总结报告和回访记录表只有客服主管或经理可以查看。")]
    [InlineData(CallbacksHost.RepA, "回访话术", "只有客服主管可以做这件事。如需权限，请联系办公室。")]
    public async Task Who_may_do_what_is_checked_from_the_senders_identity(string userId, string text, string refusal)
    {
        Assert.Equal(refusal, CallKit.Texts(await _host.SayAsync(_host.Adapter(userId), text)));
    }

    [Fact]
    public async Task Customers_stay_out_of_group_chats()
    {
        await _host.ImportAsync("王小明,先生,13800138000,是,汽车保养,2026-03-04,李娜");
        var group = _host.Bot.CreateAdapter("19:team-chat@thread.v2", CallbacksHost.RepA, _host.TenantId, "zh-CN", "groupChat");
        var replies = await _host.Bot.SayAsync(group, "回访", "zh-CN");
        Assert.Equal("回访只在和机器人的私聊中进行，客户的姓名和电话不在群聊里显示。请在私聊里发送这个命令。", CallKit.Texts(replies));
        Assert.DoesNotContain(replies, r => r.AsMessageActivity()?.Attachments?.Count > 0);
    }

    [Fact]
    public async Task The_supervisor_sees_a_reps_queue_and_reassigns_a_task_to_another_rep()
    {
        await _host.ImportAsync("王小明,先生,13800138000,是,汽车保养,2026-03-01,李娜");
        var task = await _host.TaskAsync("13800138000", "汽车保养", new DateOnly(2026, 3, 1));
        var supervisor = _host.Adapter(CallbacksHost.Supervisor);

        var overview = Replies.Card(await _host.SayAsync(supervisor, "回访"));
        var text = Replies.TextBlocks(overview);
        Assert.Contains("回访概况", text);
        Assert.Contains("值班中 · 待办 1 · 今天到期 0 · 逾期 1", text);
        Assert.Contains("逾期未回访（1 条）", text);

        var queue = Replies.Card(await _host.SayAsync(supervisor, "回访 李娜"));
        Assert.Contains("李娜 的回访（1 条待办）", Replies.TextBlocks(queue));
        Assert.Equal(["改派", "团队概况"], Replies.Buttons(queue));

        var form = Replies.Card(await _host.PressAsync(supervisor, queue, "改派"));
        // A rep who is not one (or a made-up id) is refused next to the field.
        var refused = Replies.Card(await _host.PressAsync(supervisor, form, "改派", new { rep = CallbacksHost.Employee }));
        Assert.Contains("请选择一位客服专员。", Replies.TextBlocks(refused));
        Assert.Equal(CallbacksHost.RepA, (await _host.TaskAsync("13800138000", "汽车保养", new DateOnly(2026, 3, 1))).RepId);

        var replies = await _host.PressAsync(supervisor, form, "改派", new { rep = CallbacksHost.RepB });
        Assert.Equal("已把王小明先生的回访改派给赵强。", CallKit.Texts(replies));
        var moved = await _host.TaskAsync("13800138000", "汽车保养", new DateOnly(2026, 3, 1));
        Assert.Equal((CallbacksHost.RepB, "赵强", CallbacksHost.Supervisor), (moved.RepId, moved.RepName, moved.AssignedBy));

        // Only the supervisor reassigns, whatever the card says.
        replies = await _host.PressAsync(_host.Adapter(CallbacksHost.RepB), form, "改派", new { rep = CallbacksHost.RepB });
        Assert.Equal("只有客服主管可以做这件事。如需权限，请联系办公室。", CallKit.Texts(replies));
    }

    [Fact]
    public async Task A_call_in_progress_when_the_task_is_reassigned_saves_nothing()
    {
        await _host.ImportAsync("王小明,先生,13800138000,是,汽车保养,2026-03-04,李娜");
        var task = await _host.TaskAsync("13800138000", "汽车保养", new DateOnly(2026, 3, 4));
        var rep = _host.Adapter(CallbacksHost.RepA);
        var card = CallKit.LastCard(await _host.StartAsync(rep, task.Id));
        var supervisor = _host.Adapter(CallbacksHost.Supervisor);
        await _host.Service.ReassignAsync(task, (await _host.Service.PersonAsync(_host.TenantId, CallbacksHost.RepB, default))!,
            (await _host.Service.PersonAsync(_host.TenantId, CallbacksHost.Supervisor, default))!, default);

        var replies = await _host.PressAsync(rep, card, "无人接听");
        Assert.Contains("在你回访王小明期间，这条回访被改派或已由别人处理，这次没有保存。", CallKit.Texts(replies));
        Assert.Empty(await _host.Store.RecordsOfTaskAsync(_host.TenantId, task.Id, default));
        Assert.Equal(0, (await _host.TaskAsync("13800138000", "汽车保养", new DateOnly(2026, 3, 4))).FailedAttempts);
    }
}
