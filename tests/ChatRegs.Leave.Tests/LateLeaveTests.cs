using System.Text.Json.Nodes;
using ChatRegs.Bot.Leave;
using ChatRegs.Leave.Tests.Support;
using static ChatRegs.Leave.Tests.Support.LeaveHost;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.Leave.Tests;

/// <summary>
/// Leave is asked beforehand (事先请假): by default a meeting that has started is not offered, and
/// one that starts while the form is open is refused. Where the office allows late leave
/// (<c>ChatRegs:Leave:LateWindowDays</c>), asking after the meeting (or the days) started is
/// allowed, marked 事后补假, and the approver sees it.
/// </summary>
public sealed class LateLeaveTests
{
    [Fact]
    public async Task Leave_asked_after_the_meeting_started_is_marked_and_the_approver_sees_it()
    {
        // Monday 08:50: the weekly meeting started at 08:30. The office allows a week of late leave.
        await using var host = await LeaveHost.StartAsync(Local(2026, 11, 30, 8, 50), new() { ["ChatRegs:Leave:LateWindowDays"] = "7" });
        var target = Card(await host.SayAsync(People.Wang, "请假"));
        Assert.Equal("周工作例会 · 11月30日 周一 08:30–09:30（已开始，事后补假）", Choices(target, "target")[WeeklyKey]);
        // Upcoming meetings come first.
        Assert.Equal(SafetyKey, InputValue(target, "target"));

        var form = CardText(Card(await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.target", ["target"] = WeeklyKey })));
        Assert.Contains("这次会议已经开始：现在提交算事后补假，审批人会看到标记。", form);

        var done = ReadableText(await host.SubmitAsync(People.Wang, new JsonObject
        {
            ["verb"] = "leave.submit", ["type"] = "sick", ["reason"] = "早上突发肠胃炎，在医院输液，刚刚才能看手机。",
            ["summary"] = "完成了三号楼验收资料的整理。", ["plan"] = "下周一提交验收申请，周三前完成整改。",
        }));
        Assert.Contains("会议（或请假时间）已经开始，这次是事后补假，审批人会看到标记。", done);
        var request = Assert.Single(await host.Store.ListAllAsync(Tenant));
        Assert.True(request.Late);

        var card = CardText(Assert.Single(host.Connector.PostedTo(Chat(People.Host))).CardJson!);
        Assert.Contains("事后补假：会议开始后才提交（11月30日 周一 08:50）", card);

        // Approved afterwards, it still counts in the roll.
        await host.ExecuteAsync(People.Host, "leave.approve", new JsonObject { ["id"] = request.Id });
        host.MoveTo(Local(2026, 11, 30, 9, 45));
        var roll = RollGroups(Card(await host.SubmitAsync(People.Host, new JsonObject { ["verb"] = "meetings.roll", ["occurrence"] = WeeklyKey })));
        Assert.Equal(["王小明"], roll["请假（1）"]);

        // The office sees the mark in the records, and my list shows it.
        Assert.Contains("事后补假", CardText(Card(await host.SayAsync(People.Office, "请假记录"))));
        Assert.Contains("病假 · 事后补假", CardText(Card(await host.SayAsync(People.Wang, "我的请假"))));
    }

    [Fact]
    public async Task By_default_a_started_meeting_is_not_offered_and_one_that_starts_meanwhile_is_refused()
    {
        // Monday 08:20: the weekly meeting starts at 08:30.
        await using var host = await LeaveHost.StartAsync(Local(2026, 11, 30, 8, 20));
        var target = Card(await host.SayAsync(People.Wang, "请假"));
        Assert.Contains(WeeklyKey, Choices(target, "target").Keys);
        await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.target", ["target"] = WeeklyKey });

        // The form is sent at 08:40, after the start: refused, nothing saved.
        host.MoveTo(Local(2026, 11, 30, 8, 40));
        var done = ReadableText(await host.SubmitAsync(People.Wang, new JsonObject
        {
            ["verb"] = "leave.submit", ["type"] = "sick", ["reason"] = "早上突发肠胃炎，在医院输液，刚刚才能看手机。",
            ["summary"] = "完成了三号楼验收资料的整理。", ["plan"] = "下周一提交验收申请，周三前完成整改。",
        }));
        Assert.Contains("这次会议已经开始。按制度，会议请假须在会前提出", done);
        Assert.Empty(await host.Store.ListAllAsync(Tenant));

        // Asked again now, the started meeting is no longer offered (in English too).
        Assert.DoesNotContain(WeeklyKey, Choices(Card(await host.SayAsync(People.Wang, "请假")), "target").Keys);
        Assert.DoesNotContain(WeeklyKey, Choices(Card(await host.SayAsync(People.Amy, "leave", "en-US")), "target").Keys);
    }

    [Fact]
    public async Task In_English_late_days_are_marked_too_and_meetings_past_the_window_are_not_offered()
    {
        // Thursday 3 Dec: Monday's meeting (3 days ago) is still offered; with a 2-day window it is not.
        await using var host = await LeaveHost.StartAsync(Local(2026, 12, 3, 9, 0), new() { ["ChatRegs:Leave:LateWindowDays"] = "2" });
        var target = Card(await host.SayAsync(People.Amy, "leave", "en-US"));
        var choices = Choices(target, "target");
        Assert.DoesNotContain(WeeklyKey, choices.Keys);
        Assert.Equal("安全生产例会 · Tue 1 Dec 14:00–15:00 (already started: asked afterwards)", choices[SafetyKey]);

        await host.SubmitAsync(People.Amy, new JsonObject { ["verb"] = "leave.target", ["target"] = "days" }, "en-US");
        var done = ReadableText(await host.SubmitAsync(People.Amy, new JsonObject
        {
            ["verb"] = "leave.submit", ["type"] = "sick", ["reason"] = "I had the flu and stayed at home on doctor's advice.",
            ["fromDate"] = "2026-12-02", ["fromHalf"] = "am", ["toDate"] = "2026-12-03", ["toHalf"] = "pm",
        }, "en-US"));
        Assert.Contains("The meeting (or the leave) has already started, so this is marked as asked afterwards, and the approver sees that.", done);
        var card = CardText(Assert.Single(host.Connector.PostedTo(Chat(People.Bob))).CardJson!);
        Assert.Contains("Asked afterwards: sent after the leave had started (Thu 3 Dec 09:00)", card);
        Assert.True(Assert.Single(await host.Store.ListAllAsync(Tenant)).Late);
    }
}
