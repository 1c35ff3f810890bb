using System.Text.Json.Nodes;
using ChatRegs.Bot.Leave;
using ChatRegs.Leave.Tests.Support;
using static ChatRegs.Leave.Tests.Support.LeaveHost;
using static ChatRegs.TestSupport.JsonReplies;

namespace ChatRegs.Leave.Tests;

/// <summary>
/// (一)6.1, (四)第八条 for leave by days: days covering a weekly meeting I take part in ask for this
/// week's summary and next week's plan, naming the meetings; once approved, the host of each such
/// meeting (who is not the approver) gets them, once.
/// </summary>
public sealed class DaysHostHandoverTests
{
    private static JsonObject Days(string from, string to) => new()
    {
        ["verb"] = "leave.submit", ["type"] = "business", ["reason"] = "去深圳参加供应商年度评审会，需要出差三天。",
        ["fromDate"] = from, ["fromHalf"] = "am", ["toDate"] = to, ["toHalf"] = "pm",
    };

    private static List<string> ToHost(LeaveHost host) =>
        host.Connector.PostedTo(Chat(People.Host)).Select(c => c.Text ?? "").ToList();

    [Fact]
    public async Task Three_days_covering_monday_weekly_meeting_ask_for_the_week_and_hand_it_to_the_host()
    {
        await using var host = await LeaveHost.StartAsync();
        await host.SayAsync(People.Wang, "请假");
        var form = Card(await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.target", ["target"] = "days" }));
        Assert.DoesNotContain("summary", Inputs(form));

        // Monday 30 Nov to Wednesday 2 Dec: 周工作例会 (Monday, host 张伟) and 安全生产例会 (Tuesday, host 李娜) are in it.
        var press = Days("2026-11-30", "2026-12-02");
        var again = Card(await host.SubmitAsync(People.Wang, press));
        Assert.Equal(["type", "fromDate", "fromHalf", "toDate", "toHalf", "reason", "summary", "plan"], Inputs(again));
        var text = CardText(again);
        Assert.Contains("你请假的日子里有周例会：周工作例会 11月30日 周一 08:30–09:30、安全生产例会 12月1日 周二 14:00–15:00。", text);
        Assert.Contains("请写本周工作总结", text);
        Assert.Contains("请写下周工作计划。", text);
        Assert.Empty(await host.Store.ListByRequesterAsync(Tenant, People.Wang));

        press["summary"] = "完成了三号楼验收资料的整理。";
        press["plan"] = "下周三前完成全部整改。";
        await host.SubmitAsync(People.Wang, press);
        var request = Assert.Single(await host.Store.ListByRequesterAsync(Tenant, People.Wang));
        Assert.Equal(["weekly@202611300830", "safety@202612011400"], request.WeeklyOccurrenceKeys);
        Assert.Equal(3, request.WorkingDays);
        // The approver (李娜, the department's) sees the week's work on the approval card; the host nothing yet.
        var approval = Assert.Single(host.Connector.PostedTo(Chat(People.Li)));
        Assert.Contains("完成了三号楼验收资料的整理。", CardText(approval.CardJson!));
        Assert.Empty(ToHost(host));

        await host.ExecuteAsync(People.Li, "leave.approve", new JsonObject { ["id"] = request.Id }, replyToId: approval.MessageId);
        await host.RunDueJobsAsync();

        // 张伟 hosts the Monday meeting: he gets them once. 李娜 hosts Tuesday's but approved it: not told twice.
        var handed = Assert.Single(ToHost(host));
        Assert.Equal("王小明 请假 11月30日 周一 至 12月2日 周三（共 3 个工作日），已获批准，期间不参加 周工作例会 11月30日 周一 08:30–09:30。按制度交来本周工作总结和下周工作计划：\n"
            + "本周工作总结：完成了三号楼验收资料的整理。\n下周工作计划：下周三前完成全部整改。", handed);
        Assert.DoesNotContain(host.Connector.PostedTo(Chat(People.Li)), m => (m.Text ?? "").Contains("按制度交来", StringComparison.Ordinal));
    }

    [Fact]
    public async Task In_english_the_form_names_the_meetings_and_a_rejected_leave_hands_nothing_over()
    {
        await using var host = await LeaveHost.StartAsync();
        await host.SayAsync(People.Amy, "leave", "en-US");
        await host.SubmitAsync(People.Amy, new JsonObject { ["verb"] = "leave.target", ["target"] = "days" }, "en-US");
        var press = Days("2026-11-30", "2026-12-02");
        var again = Card(await host.SubmitAsync(People.Amy, press, "en-US"));
        Assert.Contains("Your days off include the weekly meeting: 周工作例会 Mon 30 Nov 08:30–09:30; 安全生产例会 Tue 1 Dec 14:00–15:00.", CardText(again));
        Assert.Contains("summary", Inputs(again));

        press["summary"] = "Finished the inspection files for building three.";
        press["plan"] = "Close every open item by Wednesday.";
        await host.SubmitAsync(People.Amy, press, "en-US");
        var request = Assert.Single(await host.Store.ListByRequesterAsync(Tenant, People.Amy));
        await host.ExecuteAsync(People.Bob, "leave.reject", new JsonObject { ["id"] = request.Id, ["comment"] = "The review moved; please attend." }, "en-US");
        await host.RunDueJobsAsync();

        Assert.Empty(ToHost(host));
        Assert.DoesNotContain(host.Connector.PostedTo(Chat(People.Li)), m => (m.Text ?? "").Contains("Amy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Days_without_a_weekly_meeting_ask_for_nothing_more()
    {
        await using var host = await LeaveHost.StartAsync();
        await host.SayAsync(People.Wang, "请假");
        await host.SubmitAsync(People.Wang, new JsonObject { ["verb"] = "leave.target", ["target"] = "days" });
        // Wednesday 2 and Thursday 3 December: no weekly meeting of Wang's.
        await host.SubmitAsync(People.Wang, Days("2026-12-02", "2026-12-03"));
        var request = Assert.Single(await host.Store.ListByRequesterAsync(Tenant, People.Wang));
        Assert.Empty(request.WeeklyOccurrenceKeys);
        Assert.Null(request.WorkSummary);
    }
}
