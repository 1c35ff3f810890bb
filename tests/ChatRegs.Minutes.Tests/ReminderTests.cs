using ChatRegs.Bot.Meetings.Minutes;
using ChatRegs.Minutes.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;

using static ChatRegs.Minutes.Tests.Support.MinutesHost;

namespace ChatRegs.Minutes.Tests;

/// <summary>The morning run on working days: minutes due and overdue; action items before, on and after their due date.</summary>
public sealed class ReminderTests
{
    private static DateOnly D(int month, int day) => new(2026, month, day);

    [Fact]
    public async Task The_recorder_is_reminded_on_the_due_day_and_overdue_minutes_go_to_host_and_office_once()
    {
        await using var host = await StartAsync();
        await host.SayAsync(Alice, "待办"); // the tenant's daily run is scheduled on first use
        var job = Assert.Single(await host.Feature.JobsAsync(MinutesSchedule.DailyJobId));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 0, 0, FeatureHost.Shanghai), job.DueUtc);

        host.Feature.At(D(12, 1), 9);
        await host.RunDailyAsync();
        Assert.Equal("", host.Said(Recorder));

        host.Feature.At(D(12, 2), 9);
        await host.RunDailyAsync();
        await host.RunDailyAsync(); // a run repeated sends nothing twice
        Assert.Equal("提醒：《周工作例会》（11月30日 周一 08:30–09:30）的会议纪要今天到期，请在今天内提交（发送“会议纪要”）。", host.Said(Recorder));
        Assert.Equal("", host.Said(Host));

        host.Feature.At(D(12, 3), 9);
        await host.RunDailyAsync();
        host.Feature.At(D(12, 4), 9);
        await host.RunDailyAsync();
        var report = "《周工作例会》（11月30日 周一 08:30–09:30）的会议纪要已逾期：应于 12月2日 周三 前提交，记录员 陈静 尚未提交。";
        Assert.Equal(report, host.Said(Host));
        Assert.Equal(report, host.Said(Office));
        // The series' minutes recipient (the general manager's office) hears they are late too.
        Assert.Equal(report, host.Said(Gm));
        Assert.Equal("", host.Said(Alice));
    }

    [Fact]
    public async Task A_recorder_who_never_opened_the_minutes_is_still_reminded_once_the_meeting_was_held()
    {
        await using var host = await StartAsync();
        // Nobody in the tenant has used the minutes yet; the meeting ends and its roll job runs.
        var (_, occurrence) = await host.Feature.Get<ChatRegs.Bot.Meetings.MeetingCache>().GetOccurrenceAsync(Tenant, Meeting, default);
        await host.Feature.Get<ChatRegs.Bot.Meetings.Jobs.MeetingJobs>().ScheduleRollAsync(Tenant, occurrence!, default);
        await host.Feature.RunJobAsync((await host.Feature.JobsAsync("meetings.roll"))[0]);

        Assert.Single(await host.Feature.JobsAsync(MinutesSchedule.DailyJobId));
        host.Feature.At(D(12, 2), 9);
        await host.RunDailyAsync();
        Assert.Contains("提醒：《周工作例会》（11月30日 周一 08:30–09:30）的会议纪要今天到期，请在今天内提交（发送“会议纪要”）。", host.Said(Recorder));
    }

    [Fact]
    public async Task Submitted_minutes_are_not_reminded()
    {
        await using var host = await StartAsync();
        await host.SubmitMinutesAsync(FilledFormWithoutDecisions());
        host.Feature.Connector.Clear();
        host.Feature.At(D(12, 2), 9);
        await host.RunDailyAsync();
        host.Feature.At(D(12, 3), 9);
        await host.RunDailyAsync();
        Assert.Empty(host.Feature.Connector.Calls);
    }

    private static Newtonsoft.Json.Linq.JObject FilledFormWithoutDecisions()
    {
        var form = FilledForm();
        form.Remove("desc_0");
        form.Remove("owner_0");
        form.Remove("due_0");
        return form;
    }

    [Fact]
    public async Task An_item_is_reminded_the_working_day_before_and_on_its_due_date_then_escalated_when_overdue()
    {
        await using var host = await StartAsync();
        await host.SubmitMinutesAsync(); // due Friday 4 Dec
        host.Feature.Connector.Clear();

        host.Feature.At(D(12, 2), 9);
        await host.RunDailyAsync();
        Assert.Equal("", host.Said(Alice));

        host.Feature.At(D(12, 3), 9);
        await host.RunDailyAsync();
        Assert.Contains("提醒：督办事项“完成消防通道清理”将于 12月4日 周五 到期。", host.Said(Alice));

        host.Feature.Connector.Clear();
        host.Feature.At(D(12, 4), 9);
        await host.RunDailyAsync();
        Assert.StartsWith("提醒：督办事项“完成消防通道清理”今天到期", host.Said(Alice));
        Assert.Equal("", host.Said(Host));

        // Saturday: no run acts.
        host.Feature.Connector.Clear();
        host.Feature.At(D(12, 5), 9);
        await host.RunDailyAsync();
        Assert.Empty(host.Feature.Connector.Calls);

        // Monday: overdue — the owner, and the host once.
        host.Feature.At(D(12, 7), 9);
        await host.RunDailyAsync();
        Assert.Contains("督办事项“完成消防通道清理”已逾期（应于 12月4日 周五 完成，已过 1 个工作日）", host.Said(Alice));
        Assert.Equal("督办事项逾期：王小明 负责的“完成消防通道清理”（来自《周工作例会》）应于 12月4日 周五 完成，尚未完成。", host.Said(Host));

        // Tuesday: the owner again, the host not again.
        host.Feature.Connector.Clear();
        host.Feature.At(D(12, 8), 9);
        await host.RunDailyAsync();
        Assert.Contains("已过 2 个工作日", host.Said(Alice));
        Assert.Equal("", host.Said(Host));

        // Done: no more reminders.
        await host.SubmitAsync(Alice, new { verb = "actions.update", item = (await host.ItemsAsync()).Single().Id, status = "Done", note = "完成" });
        host.Feature.Connector.Clear();
        host.Feature.At(D(12, 9), 9);
        await host.RunDailyAsync();
        Assert.Equal("", host.Said(Alice));
    }

    [Fact]
    public async Task Reminders_are_written_in_the_owners_language()
    {
        await using var host = await StartAsync();
        var form = FilledForm();
        form["owner_0"] = Lucy;
        await host.SubmitMinutesAsync(form);
        host.Feature.At(D(12, 7), 9);
        await host.RunDailyAsync();
        Assert.Contains("The action item “完成消防通道清理” is overdue (due Fri 4 Dec, 1 working day(s) ago)", host.Said(Lucy));
    }
}

/// <summary>The daily run of the tenants the deployment names is scheduled at start-up, before anyone uses the minutes.</summary>
public sealed class StartupTests
{
    [Fact]
    public async Task Named_tenants_get_their_daily_run_at_start_up()
    {
        await using var host = await FeatureHost.StartAsync("tenant-startup", new DateTimeOffset(2026, 11, 30, 10, 0, 0, FeatureHost.Shanghai),
            new() { ["ChatRegs:AllowedTenants:0"] = "tenant-startup", ["ChatRegs:Minutes:Tenants:0"] = "tenant-other" });
        Assert.Empty(await host.JobsAsync(MinutesSchedule.DailyJobId));
        var startup = host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<MinutesStartup>().Single();
        await startup.StartAsync(default);
        await (startup.ExecuteTask ?? Task.CompletedTask);
        var job = Assert.Single(await host.JobsAsync(MinutesSchedule.DailyJobId));
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 9, 0, 0, FeatureHost.Shanghai), job.DueUtc);
        Assert.Single(await host.Get<ChatRegs.Bot.Scheduling.JobStore>().ListAsync("tenant-other", [], default), j => j.Id == MinutesSchedule.DailyJobId);
    }
}
