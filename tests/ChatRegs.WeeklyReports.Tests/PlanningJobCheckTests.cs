using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Storage;
using ChatRegs.Bot.WeeklyReports;
using ChatRegs.TestSupport;
using ChatRegs.WeeklyReports.Tests.Support;
using Microsoft.Extensions.Logging;

namespace ChatRegs.WeeklyReports.Tests;

/// <summary>
/// The tenant's weekly planning job is made sure of once, by the first turn of the tenant, not
/// by every turn of the first burst (the 8:30 rush's first hundred people arrive together).
/// </summary>
public sealed class PlanningJobCheckTests
{
    private static readonly DateTimeOffset Monday = WeeklyHost.Local(2026, 11, 30, 8, 29);

    [Fact]
    public async Task The_first_burst_of_a_tenants_turns_reads_its_planning_job_once_and_the_job_is_there()
    {
        StorageFaults? faults = null;
        await using var host = await WeeklyHost.StartAsync(Monday, configure: s => faults = StorageFaults.Install(s));
        faults!.Count();
        host.Logs.Clear();

        var people = Enumerable.Range(0, 24).Select(i => $"29:rush{i}").ToList();
        var answers = await Task.WhenAll(people.Select(p => host.SayAsync(p, "帮助")));
        Assert.All(answers, a => Assert.NotEmpty(a));

        var planReads = faults.Requests.Count(r => r.StartsWith("GET ", StringComparison.Ordinal) && r.Contains("weeklyReports%7Cplan", StringComparison.Ordinal));
        Assert.Equal(1, planReads);
        var job = await host.Get<JobStore>().GetAsync(WeeklyHost.Tenant, WeeklyReportPlanner.PlanJobId, default);
        Assert.NotNull(job);

        // Later turns do not look again.
        faults.Count();
        await host.SayAsync("29:later", "帮助");
        Assert.DoesNotContain(faults.Requests, r => r.Contains("weeklyReports%7Cplan", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task A_check_that_failed_is_tried_again_a_minute_later_and_never_fails_the_turn()
    {
        await using var host = await WeeklyHost.StartAsync(Monday);
        // Storage refuses the Jobs table (gone): the check fails, the person's turn does not.
        var jobs = host.Get<Azure.Data.Tables.TableServiceClient>().GetTableClient(host.Get<TableNames>().Jobs);
        await jobs.DeleteAsync();
        host.Logs.Clear();
        Assert.NotEmpty(await host.SayAsync("29:first", "帮助"));
        Assert.Contains(host.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("planning job", StringComparison.Ordinal));
        Assert.DoesNotContain(host.Logs.Entries, e => e.Level >= LogLevel.Error);

        // Storage is back; within the minute nobody checks, after it the next turn does.
        await jobs.CreateIfNotExistsAsync();
        await host.SayAsync("29:second", "帮助");
        Assert.Null(await host.Get<JobStore>().GetAsync(WeeklyHost.Tenant, WeeklyReportPlanner.PlanJobId, default));
        host.Clock.Advance(TimeSpan.FromMinutes(1));
        await host.SayAsync("29:third", "帮助");
        Assert.NotNull(await host.Get<JobStore>().GetAsync(WeeklyHost.Tenant, WeeklyReportPlanner.PlanJobId, default));
    }
}
