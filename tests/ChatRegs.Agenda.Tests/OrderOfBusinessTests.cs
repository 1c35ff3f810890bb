using ChatRegs.Agenda.Tests.Support;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.TestSupport;
using Newtonsoft.Json.Linq;

using static ChatRegs.Agenda.Tests.Support.AgendaHost;

namespace ChatRegs.Agenda.Tests;

/// <summary>
/// A series made from a regulation meeting with a fixed order of business (例会制度(四) 第五条:
/// Monday and Thursday differ): the topic form asks where a topic goes, and the agenda is that
/// order with each topic under its item.
/// </summary>
public sealed class OrderOfBusinessTests : IAsyncLifetime
{
    private const string Monday = "dept@202611300900";
    private const string Thursday = "dept@202611260900";
    private AgendaHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await StartAsync();
        await _host.KnowAsync((Host, "张伟"), (Recorder, "陈静"), (Alice, "王小明"), (Lucy, "Lucy"), (Stranger, "外人"));
        await BotSeed.SeriesAsync(_host.Services, new MeetingSeries
        {
            TenantId = Tenant, Id = "dept", Name = "部门例会", ConversationId = MeetingChat, Location = "二楼会议室", HostId = Host, RecorderId = Recorder,
            Schedule = MeetingSchedule.WeeklyOn(new(9, 0), new(10, 0), DayOfWeek.Monday, DayOfWeek.Thursday), TemplateId = "r4-department",
        }, [Alice, Lucy]);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static object Form(string title, string section, string occurrence = Monday) => new
    {
        occurrence,
        formId = Guid.NewGuid().ToString("N"),
        title,
        presenter = Alice,
        material = "一、检查范围：航站楼、货运区；二、分工：各班组长负责本班组。",
        minutes = 5,
        section,
    };

    private async Task<JObject> SubmitAsync(object form, string userId = Alice, string? locale = null) =>
        Seen.CardOf(await _host.ExecuteAsync(_host.Adapter(userId, locale), TopicForms.SubmitVerb, form, locale));

    [Fact]
    public async Task Topics_go_under_their_item_of_the_mondays_order_and_the_agenda_follows_it()
    {
        // Thursday 26 November, after that meeting: the next one is Monday's.
        _host.At(2026, 11, 26, 11, 0);
        var form = TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(Alice), "议题")));
        var offered = TurnKit.Input(form, "section")["choices"]!.Select(c => (string)c["title"]!).ToList();
        Assert.Equal(["部署、下达本周工作计划资料", "信息交流、传达"], offered);
        Assert.Equal("1", Seen.Value(form, "section"));

        await SubmitAsync(Form("资料传达：集团文件", "1"));
        await SubmitAsync(Form("本周计划：安全检查", "0"));
        // A place the form did not offer: refused next to the field, nothing filed.
        var forged = await SubmitAsync(Form("伪造", "7"));
        Assert.Contains("请选择表单给出的议程环节。", Seen.Text(forged));
        var topics = (await _host.Store.ReadAsync(Tenant, Monday, default)).Topics;
        Assert.Equal(2, topics.Count);
        foreach (var t in topics)
        {
            await _host.Agenda.UpdateTopicAsync(t with { Status = TopicStatus.Accepted }, default);
        }

        // The agenda: the order of business, each topic under its item (the second submitted comes first).
        var agenda = Seen.Text(TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(Alice), "议程"))));
        var at = new[] { "部署、下达本周工作计划资料", "本周计划：安全检查", "信息交流、传达", "资料传达：集团文件" }.Select(s => agenda.IndexOf(s, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, at);
        Assert.Equal(at.Order(), at);
        Assert.DoesNotContain("总结本周计划完成状况", agenda);

        // In English, the items read in English.
        var english = Seen.Text(TurnKit.Card(Assert.Single(await _host.SayAsync(_host.Adapter(Lucy, "en-US"), "agenda"))));
        Assert.Contains("This week's work plan: deployment and assignments", english);
        Assert.Contains("Exchange of information and relaying of instructions", english);
    }

    [Fact]
    public async Task Thursdays_meeting_has_thursdays_order_and_a_series_without_a_template_has_none()
    {
        var thursday = await _host.Agenda.LoadAsync(Tenant, Thursday, default);
        Assert.Equal(["总结本周计划完成状况", "工作过程中需要协调解决的问题"], thursday!.Sections.Select(s => s.Zh));
        var card = Seen.CardOf(await _host.ExecuteAsync(_host.Adapter(Alice), TopicForms.SubmitVerb, Form("协调事项", "1", Thursday)));
        Assert.DoesNotContain("请选择", Seen.Text(card));
        Assert.Equal(1, Assert.Single((await _host.Store.ReadAsync(Tenant, Thursday, default)).Topics).Section);

        await _host.WeeklyAsync([Alice], id: "plain");
        var plain = await _host.Agenda.LoadAsync(Tenant, "plain@202611300830", default);
        Assert.Empty(plain!.Sections);
    }
}
