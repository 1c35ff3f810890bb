using ChatRegs.Bot.Callbacks;
using ChatRegs.Callbacks.Tests.Support;
using ChatRegs.TestSupport;

namespace ChatRegs.Callbacks.Tests;

/// <summary>
/// Pressing 开始回访 on another customer while a call is open does not throw the open call's
/// answers away: the rep is told to finish or cancel it, and the open call goes on.
/// </summary>
public sealed class OpenCallTests : IAsyncLifetime
{
    private CallbacksHost _host = null!;

    private static readonly DateOnly Served = new(2026, 3, 4);

    public async Task InitializeAsync()
    {
        _host = await CallbacksHost.StartAsync();
        await _host.ImportAsync(CallbacksHost.ThreeCustomers + "\nBrown,Mr,13700003333,yes,car wash,2026-03-04,Mike");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Starting_another_call_mid_call_is_refused_and_the_open_call_carries_on()
    {
        var first = await _host.TaskAsync("13800138000", "汽车保养", Served);
        var second = await _host.TaskAsync("13900001111", "洗车", Served);
        var rep = _host.Adapter(CallbacksHost.RepA);
        var card = CallKit.LastCard(await _host.StartAsync(rep, first.Id));
        card = CallKit.LastCard(await _host.PressAsync(rep, card, "本人"));

        var refused = await _host.StartAsync(rep, second.Id);
        Assert.Equal("你还有一通回访没有结束（见上面的回访卡片）。请先把它做完，或发送「取消」放弃这通回访，再开始新的回访。", CallKit.Texts(refused));
        Assert.DoesNotContain(refused, r => r.AsMessageActivity()?.Attachments?.Count > 0);

        // The open call is where it was: the satisfaction question still takes its answer.
        card = CallKit.LastCard(await _host.PressAsync(rep, card, "满意", new { words = "挺好的" }));
        Assert.Equal("您对我们的服务有什么推荐吗?", CallKit.Line(card));
        Assert.Equal(CallbackStatus.Open, (await _host.TaskAsync("13900001111", "洗车", Served)).Status);

        // Cancelled, the other call can start.
        await _host.SayAsync(rep, "取消");
        var started = CallKit.LastCard(await _host.StartAsync(rep, second.Id));
        Assert.Equal("您好我是李娜,请问您是张丽女士吗?", CallKit.Line(started));
    }

    [Fact]
    public async Task In_English_the_rep_is_told_in_English()
    {
        var first = await _host.TaskAsync("13700002222", "car wash", Served);
        var second = await _host.TaskAsync("13700003333", "car wash", Served);
        var rep = _host.Adapter(CallbacksHost.RepEn);
        await _host.StartAsync(rep, first.Id);

        var refused = await _host.StartAsync(rep, second.Id);
        Assert.Equal("You have a callback still open (its card is above). Finish it, or send \"cancel\" to drop it, before starting another.", CallKit.Texts(refused));
    }
}
