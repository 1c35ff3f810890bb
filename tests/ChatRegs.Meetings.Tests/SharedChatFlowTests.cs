using ChatRegs.Meetings.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;

namespace ChatRegs.Meetings.Tests;

/// <summary>A flow started in a channel belongs to its starter: others cannot submit or cancel it, and each can run their own.</summary>
public sealed class SharedChatFlowTests : IAsyncLifetime
{
    private MeetingsHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await MeetingsHost.StartAsync();
        await _host.KnowAsync((MeetingsHost.Host, "张伟"), (MeetingsHost.Recorder, "陈静"), (MeetingsHost.Office, "办公室主任"), ("29:a", "王小明"), ("29:b", "李娜"));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Microsoft.Bot.Builder.Adapters.TestAdapter InChannel(string userId) => _host.Adapter(userId, null, MeetingsHost.MeetingChat, "channel");

    private static Dictionary<string, string> Form(string name) => new()
    {
        ["verb"] = "meetings.saveSeries", ["name"] = name, ["conversation"] = MeetingsHost.MeetingChat, ["location"] = "三楼会议室",
        ["hostId"] = MeetingsHost.Host, ["recorder"] = MeetingsHost.Recorder, ["participants"] = "29:a,29:b", ["kind"] = "weekly", ["days"] = "Monday,Thursday",
        ["start"] = "08:30", ["end"] = "09:30", ["summerStart"] = "14:30", ["summerEnd"] = "18:00", ["summerFrom"] = "05-05", ["winterFrom"] = "11-07",
        ["dayOfMonth"] = "29", ["date"] = "2026-12-01", ["leaveApprover"] = "host", ["lateGrace"] = "5", ["windowBefore"] = "30", ["speakingLimit"] = "5",
    };

    [Fact]
    public async Task Another_member_cannot_submit_or_cancel_the_office_form_and_it_survives()
    {
        var office = InChannel(MeetingsHost.Office);
        var other = InChannel("29:a");
        await _host.SayAsync(office, "新建例会");

        var submitted = Assert.Single(await _host.SubmitAsync(other, Form("冒名例会")));
        Assert.StartsWith("这张表单不属于你当前的操作", submitted.AsMessageActivity().Text);
        Assert.Equal("当前没有进行中的操作。", Assert.Single(await _host.SayAsync(other, "取消")).AsMessageActivity().Text);
        Assert.Empty(await _host.Store.ListSeriesAsync(MeetingsHost.Tenant, default));

        // The office's own flow is untouched and still takes its form.
        var done = Assert.Single(await _host.SubmitAsync(office, Form("周工作例会")));
        Assert.StartsWith("已新建例会“周工作例会”", done.AsMessageActivity().Text);
        Assert.Equal("周工作例会", Assert.Single(await _host.Store.ListSeriesAsync(MeetingsHost.Tenant, default)).Name);
    }

    [Fact]
    public async Task A_million_character_name_comes_back_cut_to_the_limit_and_the_flow_goes_on()
    {
        var office = InChannel(MeetingsHost.Office);
        await _host.SayAsync(office, "新建例会");
        var huge = Form("周" + new string('会', 1_000_000));
        var replies = await _host.SubmitAsync(office, huge);
        Assert.Contains(replies, r => r.AsMessageActivity().Text?.StartsWith("有 1 项超过了长度上限") == true);
        var card = TurnKit.Card(replies.Single(r => r.AsMessageActivity().Attachments?.Count > 0));
        Assert.Equal(60, ((string?)TurnKit.Input(card, "name")["value"])!.Length);
        Assert.Empty(await _host.Store.ListSeriesAsync(MeetingsHost.Tenant, default));

        var done = Assert.Single(await _host.SubmitAsync(office, Form("周工作例会")));
        Assert.StartsWith("已新建例会“周工作例会”", done.AsMessageActivity().Text);
    }
}
