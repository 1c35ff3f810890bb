using ChatRegs.TestSupport;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Callbacks.Tests.Support;

namespace ChatRegs.Callbacks.Tests;

/// <summary>回访话术: scripts are data, switched per service type and their optional parts switched on without a deploy; each record names the version read.</summary>
public sealed class ScriptSettingsTests : IAsyncLifetime
{
    private static readonly DateOnly Served = new(2026, 3, 4);
    private CallbacksHost _host = null!;

    public async Task InitializeAsync()
    {
        // The test's Scripts folder adds "short" v1 and regulation-7 v2.
        _host = await CallbacksHost.StartAsync(settings: new() { ["ChatRegs:Callbacks:ScriptsFolder"] = Path.Combine(AppContext.BaseDirectory, "Scripts") });
        await _host.ImportAsync("""
            王小明,先生,13800138000,是,汽车保养,2026-03-04,李娜
            张丽,女士,13900001111,否,洗车,2026-03-04,李娜
            李四,先生,13700002222,是,汽车保养,2026-03-03,李娜
            """);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<CallRecord> FinishSatisfiedAsync(string phone, string service, DateOnly served, Func<Newtonsoft.Json.Linq.JObject, Task>? onStep = null)
    {
        var task = await _host.TaskAsync(phone, service, served);
        var rep = _host.Adapter(CallbacksHost.RepA);
        var card = CallKit.LastCard(await _host.StartAsync(rep, task.Id));
        for (var i = 0; i < 8; i++)
        {
            if (onStep != null)
            {
                await onStep(card);
            }
            var buttons = Replies.Buttons(card);
            var button = new[] { "本人", "满意", "没有建议", "已告知", "有意向", "结束通话并保存" }.First(buttons.Contains);
            var replies = await _host.PressAsync(rep, card, button, new { greeting = "drive", followUp = "no" });
            if (button == "结束通话并保存")
            {
                Assert.Contains("回访已保存", CallKit.Texts(replies));
                break;
            }
            card = CallKit.LastCard(replies);
        }
        return (await _host.Store.RecordsOfTaskAsync(CallbacksHost.Tenant, task.Id, default)).Single();
    }

    [Fact]
    public async Task The_supervisor_lists_the_scripts_and_switches_one_service_type_to_another_script()
    {
        var supervisor = _host.Adapter(CallbacksHost.Supervisor);
        var card = Replies.Card(await _host.SayAsync(supervisor, "回访话术"));
        var text = ChatRegs.TestSupport.TurnKit.Text(card);
        Assert.Contains("回访规范及用语（测试第二版）", text);
        Assert.Contains("当前 v2（已载入：v1, v2）", text);
        Assert.Contains("简短话术（测试）", text);
        Assert.Contains("全部服务（默认）", text);

        var replies = await _host.PressAsync(supervisor, card, "切换", new { serviceType = "洗车", scriptId = "short" });
        Assert.Contains("已切换：洗车 以后用 short v1。正在进行的回访不受影响。", Replies.TextBlocks(Replies.Card(replies)));

        var wash = await FinishSatisfiedAsync("13900001111", "洗车", Served);
        Assert.Equal(("short", 1), (wash.ScriptId, wash.ScriptVersion));
        Assert.Equal(["opening", "satisfaction", "closingSatisfied"], wash.Steps.Select(s => s.StepId));
        // Other services keep the default script, in its newest version.
        var service = await FinishSatisfiedAsync("13800138000", "汽车保养", Served);
        Assert.Equal(("regulation-7", 2), (service.ScriptId, service.ScriptVersion));

        // A made-up script id is refused; nothing changes.
        replies = await _host.PressAsync(supervisor, card, "切换", new { serviceType = "汽车保养", scriptId = "nope" });
        Assert.Contains("没有这个话术，请从列表中选择。", Replies.TextBlocks(Replies.Card(replies)));
        Assert.False((await _host.Store.ScriptChoicesAsync(CallbacksHost.Tenant, default)).ContainsKey("汽车保养"));
    }

    [Fact]
    public async Task Optional_parts_are_switched_on_per_script_and_read_only_where_they_apply()
    {
        var supervisor = _host.Adapter(CallbacksHost.Supervisor);
        var card = Replies.Card(await _host.SayAsync(supervisor, "回访话术"));

        // The themed call needs its text: refused next to it, what was typed kept, nothing saved.
        var refused = Replies.Card(await _host.PressAsync(supervisor, card, "保存可选内容", new Dictionary<string, string>
        {
            ["toggle|regulation-7|theme"] = "true",
            ["toggle|regulation-7|renewal"] = "true",
            ["text|regulation-7"] = "",
        }));
        var text = Replies.TextBlocks(refused);
        Assert.Contains("没有保存，请按提示修改。", text);
        Assert.Contains("打开特色回访时，请写上要读的话。", text);
        Assert.Equal("true", (string?)ChatRegs.TestSupport.TurnKit.Input(refused, "toggle|regulation-7|renewal")["value"]);
        Assert.Empty((await _host.Store.ScriptSettingsAsync(CallbacksHost.Tenant, "regulation-7", default)).TogglesOn);

        var saved = Replies.Card(await _host.PressAsync(supervisor, refused, "保存可选内容", new Dictionary<string, string>
        {
            ["toggle|regulation-7|theme"] = "true",
            ["toggle|regulation-7|renewal"] = "true",
            ["text|regulation-7"] = "本周店庆，保养工时费八折。",
        }));
        Assert.Contains("可选内容已保存，下一次回访开始生效。", Replies.TextBlocks(saved));

        var lines = new List<string>();
        var member = await FinishSatisfiedAsync("13800138000", "汽车保养", Served, c => { lines.Add(CallKit.Line(c)); return Task.CompletedTask; });
        Assert.Equal(["opening", "satisfaction", "suggestion", "theme", "renewal", "closingSatisfied"], member.Steps.Select(s => s.StepId));
        Assert.Contains("本周店庆，保养工时费八折。", lines);
        Assert.Contains("友情提醒您:您的会员卡可以续卡,也可以升级为其他消费卡,如有需要可随时联系我们。", lines);

        // Not a member: no renewal reminder.
        await _host.PressAsync(supervisor, saved, "切换", new { serviceType = "洗车", scriptId = "regulation-7" });
        var nonMember = await FinishSatisfiedAsync("13900001111", "洗车", Served);
        Assert.Equal(["opening", "satisfaction", "suggestion", "theme", "closingSatisfied"], nonMember.Steps.Select(s => s.StepId));
    }

    [Fact]
    public async Task Only_the_supervisor_changes_scripts()
    {
        var card = Replies.Card(await _host.SayAsync(_host.Adapter(CallbacksHost.Supervisor), "回访话术"));
        var replies = await _host.PressAsync(_host.Adapter(CallbacksHost.RepA), card, "切换", new { serviceType = "*", scriptId = "short" });
        Assert.Equal("只有客服主管可以做这件事。如需权限，请联系办公室。", CallKit.Texts(replies));
        Assert.Empty(await _host.Store.ScriptChoicesAsync(CallbacksHost.Tenant, default));
    }
}
