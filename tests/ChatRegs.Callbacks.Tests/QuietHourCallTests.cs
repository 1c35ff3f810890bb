using ChatRegs.Callbacks.Tests.Support;
using ChatRegs.TestSupport;

namespace ChatRegs.Callbacks.Tests;

/// <summary>Starting a call in the customer's rest time is refused with the next time allowed, at the boundaries and across time zones.</summary>
public sealed class QuietHourCallTests(SharedFeatureHost bot) : IClassFixture<SharedFeatureHost>, IAsyncLifetime
{
    private CallbacksHost _host = null!;
    private string _shanghai = "";
    private string _london = "";

    public async Task InitializeAsync()
    {
        // Early in the morning, so each test can move the clock forward to its time.
        _host = await CallbacksHost.StartAsync(bot, new DateTimeOffset(2026, 3, 5, 0, 30, 0, TimeSpan.FromHours(8)));
        await _host.ImportAsync("""
            王小明,先生,13800138000,是,汽车保养,2026-03-04,李娜
            Smith,Mr,447700900123,是,car wash,2026-03-04,李娜,Europe/London
            """);
        _shanghai = (await _host.TaskAsync("13800138000", "汽车保养", new DateOnly(2026, 3, 4))).Id;
        _london = (await _host.TaskAsync("447700900123", "car wash", new DateOnly(2026, 3, 4))).Id;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(8, 59, "现在是客户的休息时间（20:00–09:00，客户当地时间 08:59），不要打扰客户。下一个可以回访的时间：今天 09:00（Asia/Shanghai）。")]
    [InlineData(9, 0, null)]
    [InlineData(11, 59, null)]
    [InlineData(12, 0, "现在是客户的休息时间（12:00–14:00，客户当地时间 12:00），不要打扰客户。下一个可以回访的时间：今天 14:00（Asia/Shanghai）。")]
    [InlineData(13, 59, "现在是客户的休息时间（12:00–14:00，客户当地时间 13:59），不要打扰客户。下一个可以回访的时间：今天 14:00（Asia/Shanghai）。")]
    [InlineData(14, 0, null)]
    [InlineData(19, 59, null)]
    [InlineData(20, 0, "现在是客户的休息时间（20:00–09:00，客户当地时间 20:00），不要打扰客户。下一个可以回访的时间：明天 09:00（Asia/Shanghai）。")]
    public async Task A_call_starts_only_outside_the_rest_time(int hour, int minute, string? refusal)
    {
        _host.At(hour, minute);
        var replies = await _host.StartAsync(_host.Adapter(CallbacksHost.RepA), _shanghai);
        if (refusal == null)
        {
            Assert.Equal("您好我是李娜,请问您是王小明先生吗?", CallKit.Line(CallKit.LastCard(replies)));
            await _host.SayAsync(_host.Adapter(CallbacksHost.RepA), "取消");
        }
        else
        {
            Assert.Equal(refusal, CallKit.Texts(replies));
            Assert.DoesNotContain(replies, r => r.AsMessageActivity()?.Attachments?.Count > 0);
        }
    }

    [Fact]
    public async Task The_rest_time_is_the_customers_own()
    {
        // 10:00 in Shanghai is 02:00 in London.
        _host.At(10, 0);
        var replies = await _host.StartAsync(_host.Adapter(CallbacksHost.RepA), _london);
        Assert.Equal("现在是客户的休息时间（20:00–09:00，客户当地时间 02:00），不要打扰客户。下一个可以回访的时间：今天 09:00（Europe/London）。", CallKit.Texts(replies));
        // 17:00 in Shanghai is 09:00 in London.
        _host.At(17, 0);
        Assert.Equal("您好我是李娜,请问您是Smith先生吗?", CallKit.Line(CallKit.LastCard(await _host.StartAsync(_host.Adapter(CallbacksHost.RepA), _london))));
    }

    [Fact]
    public async Task The_refusal_is_in_the_reps_language()
    {
        _host.At(12, 30);
        var replies = await _host.StartAsync(_host.Adapter(CallbacksHost.RepA, "en-US"), _shanghai);
        Assert.Equal("It is the customer's rest time (12:00–14:00, 12:30 their time): do not disturb them. The next time you may call: today 14:00 (Asia/Shanghai).", CallKit.Texts(replies));
    }

    [Fact]
    public async Task Quiet_hours_are_configurable()
    {
        await using var host = await CallbacksHost.StartAsync(settings: new() { ["ChatRegs:Callbacks:QuietHours"] = "12:30-13:00,22:00-08:00" });
        await host.ImportAsync("王小明,先生,13800138000,是,汽车保养,2026-03-04,李娜");
        var id = (await host.TaskAsync("13800138000", "汽车保养", new DateOnly(2026, 3, 4))).Id;
        host.At(12, 15);
        Assert.Contains("您好我是李娜", CallKit.Line(CallKit.LastCard(await host.StartAsync(host.Adapter(CallbacksHost.RepA), id))));
        await host.SayAsync(host.Adapter(CallbacksHost.RepA), "取消");
        host.At(12, 45);
        Assert.Contains("下一个可以回访的时间：今天 13:00", CallKit.Texts(await host.StartAsync(host.Adapter(CallbacksHost.RepA), id)));
    }
}
