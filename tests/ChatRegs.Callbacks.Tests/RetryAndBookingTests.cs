using ChatRegs.TestSupport;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Callbacks.Tests.Support;

namespace ChatRegs.Callbacks.Tests;

/// <summary>无人接听 / 非本人 are retried (spaced, at most three attempts); 不方便 books the customer's time; the rest time is never called.</summary>
public sealed class RetryAndBookingTests(SharedFeatureHost bot) : IClassFixture<SharedFeatureHost>, IAsyncLifetime
{
    private static readonly DateOnly Served = new(2026, 3, 4);
    private CallbacksHost _host = null!;
    private CallbackTask _task = null!;

    public async Task InitializeAsync()
    {
        _host = await CallbacksHost.StartAsync(bot);
        await _host.ImportAsync("王小明,先生,13800138000,是,汽车保养,2026-03-04,李娜");
        _task = await _host.TaskAsync("13800138000", "汽车保养", Served);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<CallbackTask> Current() => _host.TaskAsync("13800138000", "汽车保养", Served);

    private async Task<List<Microsoft.Bot.Schema.IActivity>> FailAsync(string answer)
    {
        var rep = _host.Adapter(CallbacksHost.RepA);
        var card = CallKit.LastCard(await _host.StartAsync(rep, _task.Id));
        return await _host.PressAsync(rep, card, answer);
    }

    [Fact]
    public async Task No_answer_is_recorded_and_the_next_attempt_waits_two_hours_and_for_the_end_of_the_rest_time()
    {
        // 10:00 + 2 h = 12:00, the start of the midday rest: the next attempt is at 14:00.
        var replies = await FailAsync("无人接听");
        Assert.Equal("已记录：无人接听（第 1 次，最多 3 次）。今天 14:00之后可以再拨（客户当地时间），到时我会提醒你。", CallKit.Texts(replies));
        var task = await Current();
        Assert.Equal((CallbackStatus.Open, 1, CallOutcome.NoAnswer), (task.Status, task.FailedAttempts, task.LastOutcome));
        Assert.Equal(new DateTimeOffset(2026, 3, 5, 14, 0, 0, TimeSpan.FromHours(8)), task.NextAttemptUtc);
        var record = Assert.Single(await _host.Store.RecordsOfTaskAsync(_host.TenantId, _task.Id, default));
        Assert.Equal((CallOutcome.NoAnswer, 1, "无人接听"), (record.Outcome, record.Attempt, record.Steps.Single().AnswerLabel));

        // Too soon: refused with the time.
        _host.At(11, 30);
        replies = await _host.StartAsync(_host.Adapter(CallbacksHost.RepA), _task.Id);
        Assert.Equal("上次没有联系上（已尝试 1/3 次），两次回访要隔开一段时间。下一次可以在 今天 14:00 之后再拨（客户当地时间）。", CallKit.Texts(replies));

        // The reminder at 14:00 tells the rep, with the start button.
        var job = Assert.Single(await _host.JobsAsync("callbacks|retry|"));
        Assert.Equal(task.NextAttemptUtc, job.DueUtc);
        _host.At(14, 0);
        await _host.RunJobAsync(job);
        var notice = Assert.Single(_host.CardsTo(CallbacksHost.RepA));
        Assert.Contains("可以再给王小明先生打电话了（第 2 次，最多 3 次）。", Replies.TextBlocks(notice));
        Assert.Equal(_task.Id, (string?)Replies.Button(notice, "开始回访")["taskId"]);
        Assert.Contains("回访：王小明先生", Replies.TextBlocks(CallKit.LastCard(await _host.StartAsync(_host.Adapter(CallbacksHost.RepA), _task.Id))));
    }

    [Fact]
    public async Task After_three_attempts_without_the_customer_the_task_goes_to_the_supervisor()
    {
        await FailAsync("无人接听");
        // 18:30 + 2 h = 20:30, the evening rest: the next attempt is tomorrow at 09:00.
        _host.At(18, 30);
        var replies = await FailAsync("非本人");
        Assert.Equal("已记录：非本人（第 2 次，最多 3 次）。明天 09:00之后可以再拨（客户当地时间），到时我会提醒你。", CallKit.Texts(replies));
        _host.At(21, 0);
        Assert.Equal("现在是客户的休息时间（20:00–09:00，客户当地时间 21:00），不要打扰客户。下一个可以回访的时间：明天 09:00（Asia/Shanghai）。",
            CallKit.Texts(await _host.StartAsync(_host.Adapter(CallbacksHost.RepA), _task.Id)));
        _host.At(9, 0, new DateOnly(2026, 3, 6));
        replies = await FailAsync("无人接听");
        Assert.Equal("已记录：无人接听。已经尝试 3 次仍联系不上，这条回访已转给客服主管。", CallKit.Texts(replies));

        var task = await Current();
        Assert.Equal((CallbackStatus.Unreachable, 3, 3), (task.Status, task.FailedAttempts, task.Calls));
        Assert.Contains("你的回访队列是空的。", Replies.TextBlocks(Replies.Card(await _host.SayAsync(_host.Adapter(CallbacksHost.RepA), "回访"))));
        Assert.Contains("已经尝试到最多次数仍联系不上", CallKit.Texts(await _host.StartAsync(_host.Adapter(CallbacksHost.RepA), _task.Id)));

        // The run scheduled right away tells the supervisor.
        var sweep = (await _host.JobsAsync("callbacks|sweep|")).OrderBy(j => j.CreatedUtc).Last();
        await _host.RunJobAsync(sweep);
        var notice = Assert.Single(_host.CardsTo(CallbacksHost.Supervisor));
        var text = Replies.TextBlocks(notice);
        Assert.Contains("需要客服主管处理的回访", text);
        Assert.Contains("0 条回访过了期限（服务后 3 天内）还没有完成，1 条尝试到最多次数仍联系不上。", text);
        Assert.Contains("王小明先生 · 会员", text);
        Assert.Equal(3, (await _host.Store.RecordsOfTaskAsync(_host.TenantId, _task.Id, default)).Count);
    }

    [Fact]
    public async Task Not_convenient_books_the_customers_time_outside_the_rest_time_and_reminds_the_rep_then()
    {
        var rep = _host.Adapter(CallbacksHost.RepA);
        var replies = await FailAsync("不方便，约时间");
        var form = CallKit.LastCard(replies);
        Assert.Contains("约定回访时间：王小明先生", Replies.TextBlocks(form));
        Assert.Contains("请问客户方便的时间，按客户当地时间填写（Asia/Shanghai，现在 10:00）。客户的休息时间（12:00–14:00、20:00–09:00）不能约。", Replies.TextBlocks(form));

        // In the rest time, in the past, or not a time: refused next to the field, the input kept, nothing saved.
        var refused = CallKit.LastCard(await _host.PressAsync(rep, form, "约定这个时间", new { date = "2026-03-05", time = "12:30", words = "在开会" }));
        Assert.Contains("这个时间在客户的休息时间（12:00–14:00）内，请约 14:00 以后。", Replies.TextBlocks(refused));
        Assert.Equal("在开会", (string?)ChatRegs.TestSupport.TurnKit.Input(refused, "words")["value"]);
        refused = CallKit.LastCard(await _host.PressAsync(rep, refused, "约定这个时间", new { date = "2026-03-05", time = "09:30" }));
        Assert.Contains("这个时间已经过了，请约以后的时间。", Replies.TextBlocks(refused));
        refused = CallKit.LastCard(await _host.PressAsync(rep, refused, "约定这个时间", new { date = "2026-03-05", time = "下午" }));
        Assert.Contains("请填写时间（时:分）。", Replies.TextBlocks(refused));
        Assert.Empty(await _host.Store.RecordsOfTaskAsync(_host.TenantId, _task.Id, default));

        replies = await _host.PressAsync(rep, refused, "约定这个时间", new { date = "2026-03-05", time = "15:30", words = "在开会，下午再打" });
        Assert.Equal("已约定：今天 15:30（客户当地时间，Asia/Shanghai）回访王小明。到时我会提醒你。", CallKit.Texts(replies));
        var task = await Current();
        var booked = new DateTimeOffset(2026, 3, 5, 15, 30, 0, TimeSpan.FromHours(8));
        Assert.Equal((booked, 0, CallOutcome.Booked), (task.BookedUtc, task.FailedAttempts, task.LastOutcome));
        var record = Assert.Single(await _host.Store.RecordsOfTaskAsync(_host.TenantId, _task.Id, default));
        Assert.Equal((CallOutcome.Booked, (DateTimeOffset?)booked, "在开会，下午再打"), (record.Outcome, record.BookedUtc, record.Steps.Single().Words));

        // Not before the booked time (five minutes early is fine).
        _host.At(15, 0);
        Assert.Equal("客户约的时间是 今天 15:30（客户当地时间），请到时再拨。", CallKit.Texts(await _host.StartAsync(rep, _task.Id)));
        _host.At(15, 26);
        Assert.Contains("您好我是李娜,请问您是王小明先生吗?", CallKit.Line(CallKit.LastCard(await _host.StartAsync(rep, _task.Id))));
        await _host.SayAsync(rep, "取消");

        var job = Assert.Single(await _host.JobsAsync("callbacks|booked|"));
        Assert.Equal(booked, job.DueUtc);
        _host.At(15, 30);
        await _host.RunJobAsync(job);
        var notice = Assert.Single(_host.CardsTo(CallbacksHost.RepA));
        Assert.Contains("王小明先生约的回访时间到了，请现在回访。", Replies.TextBlocks(notice));
    }

    [Fact]
    public async Task A_reminder_that_was_overtaken_by_a_call_sends_nothing()
    {
        await FailAsync("无人接听");
        var job = Assert.Single(await _host.JobsAsync("callbacks|retry|"));
        _host.At(14, 0);
        await FailAsync("无人接听");
        await _host.RunJobAsync(job);
        Assert.Empty(_host.CardsTo(CallbacksHost.RepA));
    }
}
