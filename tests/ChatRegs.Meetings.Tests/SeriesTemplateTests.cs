using ChatRegs.Bot.Meetings;
using ChatRegs.Meetings.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Bot.Schema;

namespace ChatRegs.Meetings.Tests;

/// <summary>
/// 新建例会 / new meeting starts from the regulation's meetings (例会制度 (一)–(六),
/// Meetings/Series/meeting-templates.json): the form offers them, "套用" / "Use it" opens it again
/// pre-filled, and the saved series remembers which one it was.
/// </summary>
public sealed class SeriesTemplateTests : IAsyncLifetime
{
    private MeetingsHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await MeetingsHost.StartAsync();
        await _host.KnowAsync((MeetingsHost.Host, "张伟"), (MeetingsHost.Recorder, "陈静"), (MeetingsHost.Office, "办公室主任"), ("29:a", "王小明"));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Microsoft.Bot.Builder.Adapters.TestAdapter Chat(string userId, string? locale = null) =>
        _host.Adapter(userId, locale, MeetingsHost.MeetingChat, "channel");

    private static Dictionary<string, string> Use(string template) => new() { ["verb"] = "meetings.saveSeries", ["useTemplate"] = "1", ["template"] = template };

    private static string Value(Newtonsoft.Json.Linq.JObject card, string id) => (string?)TurnKit.Input(card, id)["value"] ?? "";

    [Fact]
    public async Task The_office_starts_the_seasonal_weekly_meeting_of_rules_one_and_saves_it()
    {
        var adapter = Chat(MeetingsHost.Office);
        var form = TurnKit.Card(Assert.Single(await _host.SayAsync(adapter, "新建例会")));
        var offered = TurnKit.Input(form, "template").ToString();
        foreach (var name in new[] { "空白（自己填写）", "例会制度(一) · 周会", "例会制度(二) · 周工作例会", "例会制度(三) 三 · 部门安全生产会议", "例会制度(四) · 部门例会", "例会制度(五) (一) · 公司周办公会", "例会制度(六) (五) · 生产和工程质量会议" })
        {
            Assert.Contains(name, offered);
        }
        Assert.Equal("blank", Value(form, "template"));
        Assert.Equal("", Value(form, "name"));

        var filled = TurnKit.Card(Assert.Single(await _host.SubmitAsync(adapter, Use("r1-weekly"))));
        Assert.Equal("周会", Value(filled, "name"));
        Assert.Equal("人力资源部办公室", Value(filled, "location"));
        Assert.Equal("seasonal", Value(filled, "kind"));
        Assert.Equal("Friday", Value(filled, "days"));
        Assert.Equal(("13:30", "17:00", "14:30", "18:00"), (Value(filled, "start"), Value(filled, "end"), Value(filled, "summerStart"), Value(filled, "summerEnd")));
        Assert.Equal("r1-weekly", Value(filled, "template"));
        var text = TurnKit.Text(filled);
        Assert.Contains("按例会制度(一)：周会", text);
        Assert.Contains("制度规定：主持 人力资源部经理助理", text);
        Assert.Contains("分管副总及本部门全员", text);
        Assert.Contains("每周五下午(春冬季节1:30-5:00;夏秋季节2:30-6:00)", text);
        Assert.Contains("5.1、主持人对一周的重点工作进行总结;对下一周的工作计划进行布置。", text);
        Assert.Contains("5.8、进行人力资源专业技能培训。", text);
        // The office still picks the people: the host starts as me.
        Assert.Equal(MeetingsHost.Office, Value(filled, "hostId"));

        var done = Assert.Single(await _host.SubmitAsync(adapter, new Dictionary<string, string>
        {
            ["verb"] = "meetings.saveSeries", ["template"] = "r1-weekly", ["name"] = "周会", ["conversation"] = MeetingsHost.MeetingChat, ["location"] = "人力资源部办公室",
            ["hostId"] = MeetingsHost.Host, ["recorder"] = MeetingsHost.Host, ["participants"] = "29:a", ["kind"] = "seasonal", ["days"] = "Friday",
            ["start"] = "13:30", ["end"] = "17:00", ["summerStart"] = "14:30", ["summerEnd"] = "18:00", ["summerFrom"] = "05-05", ["winterFrom"] = "11-07",
            ["dayOfMonth"] = "29", ["date"] = "", ["leaveApprover"] = "host", ["lateGrace"] = "0", ["windowBefore"] = "30", ["speakingLimit"] = "5",
        }));
        Assert.StartsWith("已新建例会“周会”：每星期五：春冬季 13:30–17:00，夏秋季 14:30–18:00", done.AsMessageActivity().Text);
        var series = Assert.Single(await _host.Store.ListSeriesAsync(MeetingsHost.Tenant, default));
        Assert.Equal("r1-weekly", series.TemplateId);
        Assert.Equal(ScheduleKind.Seasonal, series.Schedule.Kind);
    }

    [Fact]
    public async Task Named_after_the_command_the_form_opens_pre_filled_and_times_the_rules_leave_open_must_be_filled_in()
    {
        var adapter = Chat(MeetingsHost.Office);
        var form = TurnKit.Card(Assert.Single(await _host.SayAsync(adapter, "新建例会 周工作例会")));
        Assert.Equal("周工作例会", Value(form, "name"));
        Assert.Equal(("weekly", "Monday", "08:30", "09:30"), (Value(form, "kind"), Value(form, "days"), Value(form, "start"), Value(form, "end")));
        Assert.Contains("制度只规定了开始时间，结束时间先按一小时填写，请确认。", TurnKit.Text(form));
        Assert.Contains("(四)其他需要研究的事项。", TurnKit.Text(form));
        await _host.SayAsync(adapter, "取消");

        // (四) meets Monday and Thursday at a time the department sets: the times are empty, and saving without them is refused next to the fields.
        form = TurnKit.Card(Assert.Single(await _host.SayAsync(adapter, "新建例会")));
        var dept = TurnKit.Card(Assert.Single(await _host.SubmitAsync(adapter, Use("r4-department"))));
        Assert.Equal(("部门例会", "Monday,Thursday", "", ""), (Value(dept, "name"), Value(dept, "days"), Value(dept, "start"), Value(dept, "end")));
        var text = TurnKit.Text(dept);
        Assert.Contains("制度没有规定具体日期或时间，请填写。", text);
        Assert.Contains("星期一：部署、下达本周工作计划资料", text);
        Assert.Contains("星期四：总结本周计划完成状况", text);
    }

    [Fact]
    public async Task In_English_the_templates_and_the_rules_read_in_English_and_a_forged_template_is_a_blank_form()
    {
        var adapter = Chat(MeetingsHost.Office, "en-US");
        var form = TurnKit.Card(Assert.Single(await _host.SayAsync(adapter, "new meeting")));
        Assert.Contains("Meeting rules (2) · Weekly work meeting", TurnKit.Input(form, "template").ToString());
        Assert.Contains("Blank (fill in yourself)", TurnKit.Input(form, "template").ToString());

        var filled = TurnKit.Card(Assert.Single(await _host.SubmitAsync(adapter, Use("r2-weekly"))));
        Assert.Equal("周工作例会", Value(filled, "name"));
        var text = TurnKit.Text(filled);
        Assert.Contains("From Meeting rules (2): Weekly work meeting", text);
        Assert.Contains("The rules say: hosted by the bureau's principal leader", text);
        Assert.Contains("(4) Other matters.", text);

        // A template the form never offered: the form again, blank; nothing saved.
        var forged = TurnKit.Card(Assert.Single(await _host.SubmitAsync(adapter, Use("r9-secret"))));
        Assert.Equal("", Value(forged, "name"));
        Assert.Equal("blank", Value(forged, "template"));
        Assert.Empty(await _host.Store.ListSeriesAsync(MeetingsHost.Tenant, default));
    }

    [Fact]
    public async Task Someone_without_the_office_or_manager_role_is_not_offered_the_templates()
    {
        var reply = Assert.Single(await _host.SayAsync(Chat("29:a"), "新建例会 周会"));
        Assert.Equal("只有办公室或经理可以新建例会。", reply.AsMessageActivity().Text);
        // Pressing another person's "Use it" in the shared chat does not open the form for them.
        var pressed = await _host.SubmitAsync(Chat("29:a"), Use("r1-weekly"));
        Assert.DoesNotContain(pressed, a => a.AsMessageActivity()?.Attachments?.Any(x => x.Content?.ToString()?.Contains("人力资源部办公室") == true) == true);
        Assert.Empty(await _host.Store.ListSeriesAsync(MeetingsHost.Tenant, default));
    }
}
