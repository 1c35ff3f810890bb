using ChatRegs.TestSupport;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Callbacks.Tests.Support;

namespace ChatRegs.Callbacks.Tests;

/// <summary>务必保证在三天之内回访: the rep is reminded on the due day; overdue callbacks go to the supervisor.</summary>
public sealed class WindowTests(SharedFeatureHost bot) : IClassFixture<SharedFeatureHost>, IAsyncLifetime
{
    private CallbacksHost _host = null!;

    public async Task InitializeAsync()
    {
        // Tuesday 3 March, 08:00.
        _host = await CallbacksHost.StartAsync(bot, new DateTimeOffset(2026, 3, 3, 8, 0, 0, TimeSpan.FromHours(8)));
        await _host.ImportAsync("""
            王小明,先生,13800138000,是,汽车保养,2026-03-02,李娜
            张丽,女士,13900001111,否,洗车,2026-03-02,赵强
            李四,先生,13700002222,否,洗车,2026-03-03,李娜
            """);
        _host.Connector.Clear();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task An_import_plans_the_daily_run_at_nine_every_day()
    {
        var daily = Assert.Single(await _host.JobsAsync(CallbackPlanner.DailyJobId));
        Assert.Equal(CallbackPlanner.SweepKind, daily.Kind);
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.FromHours(8)), daily.DueUtc);
        Assert.Equal(RecurrenceKind.Weekly, daily.Recurrence!.Kind);
        Assert.Equal(7, daily.Recurrence.Days.Count);
        Assert.Equal(new TimeOnly(9, 0), daily.Recurrence.At);
        // Importing again keeps the one daily job.
        await _host.ImportAsync("赵六,小姐,13600003333,否,喷漆,2026-03-02,李娜");
        Assert.Single(await _host.JobsAsync(CallbackPlanner.DailyJobId));
    }

    [Fact]
    public async Task On_the_due_day_each_rep_is_reminded_once_of_their_callbacks_due_that_day()
    {
        // Served 2 March: due 5 March.
        _host.At(9, 0, new DateOnly(2026, 3, 4));
        await _host.SweepAsync();
        Assert.DoesNotContain(_host.Connector.Calls, c => c.Method == "POST");

        _host.At(9, 0, new DateOnly(2026, 3, 5));
        var outcome = await _host.SweepAsync();
        Assert.Equal(2, outcome.RepsReminded);
        var toA = Assert.Single(_host.CardsTo(CallbacksHost.RepA));
        var text = Replies.TextBlocks(toA);
        Assert.Contains("今天到期的回访", text);
        Assert.Contains("以下 1 位客户今天是回访期限（服务后 3 天内），请记得回访。", text);
        Assert.Contains("王小明先生 · 会员", text);
        Assert.DoesNotContain("李四先生 · 非会员", text);
        Assert.Contains("张丽女士 · 非会员", Replies.TextBlocks(Assert.Single(_host.CardsTo(CallbacksHost.RepB))));

        // Run again the same day (a retry, a second instance): nothing is sent twice.
        _host.At(9, 30, new DateOnly(2026, 3, 5));
        await _host.SweepAsync();
        Assert.Single(_host.CardsTo(CallbacksHost.RepA));
        Assert.Single(_host.CardsTo(CallbacksHost.RepB));
    }

    [Fact]
    public async Task The_day_after_the_due_day_unfinished_callbacks_go_to_the_supervisor_once()
    {
        _host.At(9, 0, new DateOnly(2026, 3, 6));
        var outcome = await _host.SweepAsync();
        Assert.Equal(2, outcome.Escalated);
        var notice = Assert.Single(_host.CardsTo(CallbacksHost.Supervisor));
        var text = Replies.TextBlocks(notice);
        Assert.Contains("需要客服主管处理的回访", text);
        Assert.Contains("2 条回访过了期限（服务后 3 天内）还没有完成，0 条尝试到最多次数仍联系不上。", text);
        Assert.Contains("王小明先生 · 会员", text);
        Assert.Contains("张丽女士 · 非会员", text);
        Assert.Contains("已逾期 1 天", text);
        Assert.Equal(["改派", "改派", "团队概况"], Replies.Buttons(notice));
        Assert.All((await _host.TasksAsync()).Where(t => t.ServiceDate == new DateOnly(2026, 3, 2)), t => Assert.NotNull(t.EscalatedUtc));

        // 李四 (served 3 March, due the 6th) is overdue on the 7th: only that one is new.
        _host.At(9, 0, new DateOnly(2026, 3, 7));
        await _host.SweepAsync();
        var second = _host.CardsTo(CallbacksHost.Supervisor)[1];
        Assert.Contains("1 条回访过了期限（服务后 3 天内）还没有完成，0 条尝试到最多次数仍联系不上。", Replies.TextBlocks(second));
        Assert.DoesNotContain("王小明先生 · 会员", Replies.TextBlocks(second));
        _host.Connector.Clear();
        _host.At(9, 0, new DateOnly(2026, 3, 8));
        await _host.SweepAsync();
        Assert.Empty(_host.CardsTo(CallbacksHost.Supervisor));
    }

    [Fact]
    public async Task A_finished_call_counts_as_within_three_days_until_the_due_day_ends()
    {
        var task = await _host.TaskAsync("13800138000", "汽车保养", new DateOnly(2026, 3, 2));
        _host.At(19, 0, new DateOnly(2026, 3, 5));
        var rep = _host.Adapter(CallbacksHost.RepA);
        var card = CallKit.LastCard(await _host.StartAsync(rep, task.Id));
        card = CallKit.LastCard(await _host.PressAsync(rep, card, "本人"));
        card = CallKit.LastCard(await _host.PressAsync(rep, card, "满意"));
        card = CallKit.LastCard(await _host.PressAsync(rep, card, "没有建议"));
        var replies = await _host.PressAsync(rep, card, "结束通话并保存", new { greeting = "drive", followUp = "no" });
        Assert.Contains("在服务后 3 天内完成。", CallKit.Texts(replies));

        var late = await _host.TaskAsync("13900001111", "洗车", new DateOnly(2026, 3, 2));
        _host.At(10, 0, new DateOnly(2026, 3, 7));
        var b = _host.Adapter(CallbacksHost.RepB);
        card = CallKit.LastCard(await _host.StartAsync(b, late.Id));
        Assert.Contains("回访期限", ChatRegs.TestSupport.TurnKit.Text(card));
        card = CallKit.LastCard(await _host.PressAsync(b, card, "本人"));
        card = CallKit.LastCard(await _host.PressAsync(b, card, "满意"));
        card = CallKit.LastCard(await _host.PressAsync(b, card, "没有建议"));
        replies = await _host.PressAsync(b, card, "结束通话并保存", new { greeting = "drive", followUp = "no" });
        Assert.Contains("超过回访期限（服务后 3 天内）2 天。", CallKit.Texts(replies));
    }
}
