using ChatRegs.Bot.Complaints;
using ChatRegs.Complaints.Tests.Support;
using ChatRegs.TestSupport;
using static ChatRegs.Complaints.Tests.Support.ComplaintsHost;

namespace ChatRegs.Complaints.Tests;

/// <summary>短·平·快: every stage has a time limit (clock hours), a reminder to its owner before it, and the supervisors told when it passes.</summary>
public sealed class TimeLimitTests
{
    [Fact]
    public async Task Each_stage_reminds_its_owner_before_the_limit_and_escalates_to_the_supervisors_when_late()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var number = await h.RegisterAsync();

        // 投诉判定: 4 hours by default; reminder 1 hour before.
        var jobs = await h.Host.JobsAsync($"complaints|{number}|");
        Assert.Equal(
            [($"complaints|{number}|2|escalate", new DateTimeOffset(2026, 11, 26, 14, 0, 0, FeatureHost.Shanghai)), ($"complaints|{number}|2|remind", new DateTimeOffset(2026, 11, 26, 13, 0, 0, FeatureHost.Shanghai))],
            jobs.Select(j => (j.Id, Minute(j.DueUtc.ToOffset(FeatureHost.Shanghai)))).OrderBy(j => j.Id));

        h.Host.At(Day, 13);
        await h.Host.RunJobAsync(jobs.Single(j => j.Id.EndsWith("remind", StringComparison.Ordinal)));
        Assert.Contains($"提醒：投诉 {number} 的“投诉判定”时限是 2026-11-26 14:00，请尽快处理。", TurnKit.Text(h.LastCardTo(Supervisor)));
        Assert.Contains($"Reminder: \"Judgement\" of complaint {number} is due 2026-11-26 14:00.", TurnKit.Text(h.LastCardTo(SupervisorEn)));
        // Run twice (a retried job): nothing sent twice.
        var sent = h.Host.Connector.Calls.Count;
        await h.Host.RunJobAsync(jobs.Single(j => j.Id.EndsWith("remind", StringComparison.Ordinal)));
        Assert.Equal(sent, h.Host.Connector.Calls.Count);

        h.Host.At(Day, 14, 1);
        await h.Host.RunJobAsync(jobs.Single(j => j.Id.EndsWith("escalate", StringComparison.Ordinal)));
        var escalation = h.LastCardTo(Supervisor);
        Assert.Contains($"超时：投诉 {number} 的“投诉判定”（负责：客服主管）时限 2026-11-26 14:00 已过，请跟进。", TurnKit.Text(escalation));
        Assert.Contains("（已超时）", TurnKit.Text(escalation));
        Assert.Equal(["李娜:registered", "ChatRegs:reminded", "ChatRegs:escalated"], await h.EventsAsync(number));

        // Judged: the investigation gets its own timers (24 h), the old ones are spent.
        await h.PressAsync(Supervisor, escalation, "提交判定", Founded());
        var next = (await h.Host.JobsAsync($"complaints|{number}|3|")).OrderBy(j => j.Id).ToList();
        Assert.Equal([new DateTimeOffset(2026, 11, 27, 14, 1, 0, FeatureHost.Shanghai), new DateTimeOffset(2026, 11, 27, 13, 1, 0, FeatureHost.Shanghai)], next.Select(j => Minute(j.DueUtc.ToOffset(FeatureHost.Shanghai))));

        // An old timer that runs late finds the stage moved on: nothing sent.
        sent = h.Host.Connector.Calls.Count;
        await h.Host.RunJobAsync(jobs.Single(j => j.Id.EndsWith("escalate", StringComparison.Ordinal)));
        Assert.Equal(sent, h.Host.Connector.Calls.Count);

        // The investigator is reminded; the supervisors hear when he is late, with his name.
        h.Host.At(Day.AddDays(1), 13, 1);
        await h.Host.RunJobAsync(next.Single(j => j.Id.EndsWith("remind", StringComparison.Ordinal)));
        Assert.Contains($"提醒：投诉 {number} 的“展开调查”时限是 2026-11-27 14:01", TurnKit.Text(h.LastCardTo(Investigator)));
        h.Host.At(Day.AddDays(1), 15);
        await h.Host.RunJobAsync(next.Single(j => j.Id.EndsWith("escalate", StringComparison.Ordinal)));
        Assert.Contains($"超时：投诉 {number} 的“展开调查”（负责：赵强）", TurnKit.Text(h.LastCardTo(Supervisor)));
        Assert.Contains("Late: \"Investigation\" of complaint " + number + " (owner: 赵强)", TurnKit.Text(h.LastCardTo(SupervisorEn)));
        var list = TurnKit.Text(LastCard(await h.SayAsync(Supervisor, "投诉列表")));
        Assert.Contains("展开调查 · 负责：赵强 · 时限：2026-11-27 14:01（已超时）", list);
    }

    [Fact]
    public async Task When_Teams_cannot_reach_the_next_owner_the_step_stays_saved_and_a_retry_job_tells_them_later()
    {
        await using var h = await ComplaintsHost.StartAsync();
        var number = await h.RegisterAsync();
        var card = h.LastCardTo(Supervisor);
        h.Host.Connector.Refuse[FeatureHost.ChatOf(Investigator)] = System.Net.HttpStatusCode.ServiceUnavailable;

        var replies = await h.PressAsync(Supervisor, card, "提交判定", Founded());

        Assert.DoesNotContain("没有保存成功", Texts(replies));
        Assert.Equal(ComplaintStage.Investigate, (await h.ComplaintAsync(number)).Stage);
        Assert.Empty(h.Host.CardsTo(Investigator));
        var retry = Assert.Single(await h.Host.JobsAsync($"complaints|{number}|3|after"));

        h.Host.Connector.Refuse.Clear();
        h.Host.At(Day, 10, 5);
        await h.Host.RunJobAsync(retry);
        Assert.Contains(number, TurnKit.Text(h.LastCardTo(Investigator)));
        Assert.Equal(2, (await h.Host.JobsAsync($"complaints|{number}|3|")).Count(j => !j.Id.EndsWith("after", StringComparison.Ordinal)));

        // The job runs again (the runner retried it, or an instance died mid-run): nobody is told twice.
        await h.Host.RunJobAsync(retry);
        Assert.Single(h.Host.CardsTo(Investigator));
    }

    [Fact]
    public async Task The_limits_are_configurable_per_stage()
    {
        await using var h = await ComplaintsHost.StartAsync(new() { ["ChatRegs:Complaints:StageLimits:Judge"] = "02:00:00", ["ChatRegs:Complaints:RemindBefore"] = "00:30:00" });
        var number = await h.RegisterAsync();
        var c = await h.ComplaintAsync(number);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 12, 0, 0, FeatureHost.Shanghai), Minute(c.StageDueUtc!.Value.ToOffset(FeatureHost.Shanghai)));
        var remind = (await h.Host.JobsAsync($"complaints|{number}|")).Single(j => j.Id.EndsWith("remind", StringComparison.Ordinal));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 11, 30, 0, FeatureHost.Shanghai), Minute(remind.DueUtc.ToOffset(FeatureHost.Shanghai)));
    }
}
