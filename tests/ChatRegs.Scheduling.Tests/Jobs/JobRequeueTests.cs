using ChatRegs.Bot.People;
using ChatRegs.Bot.Scheduling;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.Scheduling.Tests.Jobs;

/// <summary>The office runs a parked job again from the 任务状态 card; nobody else can.</summary>
public class JobRequeueTests
{
    private const string Tenant = "tenant-rq";
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 10, 0, 0, TimeSpan.FromHours(8));

    /// <summary>Fails for good until the office fixes what it needs.</summary>
    private sealed class Fixable
    {
        public bool Fixed { get; set; }

        public int Runs { get; set; }
    }

    private sealed class FixableJob(Fixable state) : IJobHandler
    {
        public string Kind => "test.fixable";

        public Task RunAsync(Job job, CancellationToken cancellationToken)
        {
            state.Runs++;
            return state.Fixed ? Task.CompletedTask : throw new PermanentJobFailureException("the meeting chat was deleted");
        }
    }

    private static async Task<(FeatureHost Host, Fixable State)> StartAsync()
    {
        var state = new Fixable();
        var host = await FeatureHost.StartAsync(Tenant, Now, configure: services =>
        {
            services.AddSingleton(state);
            services.AddSingleton<IJobHandler, FixableJob>();
        });
        await host.PersonAsync("29:office", "周敏", roles: Roles.Office);
        await host.PersonAsync("29:office-en", "Mary", roles: Roles.Office);
        await host.PersonAsync("29:manager", "张伟", roles: Roles.Manager);
        await host.Get<JobScheduler>().ScheduleAsync(Tenant, "test.fixable", Now, jobId: "post|weekly|2026-11-30");
        await host.PollJobsAsync();
        return (host, state);
    }

    [Fact]
    public async Task The_office_presses_run_again_on_a_parked_job_and_it_runs_at_the_next_poll()
    {
        var (host, state) = await StartAsync();
        await using var _ = host;
        Assert.Equal(JobStatus.Parked, (await host.Get<JobStore>().GetAsync(Tenant, "post|weekly|2026-11-30", default))!.Status);

        var card = Replies.Card(await host.SayAsync("29:office", "任务状态"));
        Assert.Contains("the meeting chat was deleted", TurnKit.Text(card));
        var button = Replies.Button(card, "重新运行");
        Assert.Equal("post|weekly|2026-11-30", (string?)button["jobId"]);

        state.Fixed = true;
        var reply = Replies.All(await host.SubmitAsync("29:office", button));
        Assert.Equal("已重新排队：test.fixable · post|weekly|2026-11-30，将在一分钟内运行。", reply);
        await host.PollJobsAsync();

        var job = await host.Get<JobStore>().GetAsync(Tenant, "post|weekly|2026-11-30", default);
        Assert.Equal(JobStatus.Done, job!.Status);
        Assert.Equal(2, state.Runs);
        var after = Replies.Card(await host.SayAsync("29:office", "任务状态"));
        Assert.DoesNotContain("重新运行", Replies.Buttons(after));

        // Pressing the old button again changes nothing.
        Assert.Equal("这项任务已不在搁置状态（可能已被重新运行或取消），没有改动。", Replies.All(await host.SubmitAsync("29:office", button)));
        await host.PollJobsAsync();
        Assert.Equal(2, state.Runs);
    }

    [Fact]
    public async Task Only_the_office_can_run_a_job_again_and_a_forged_or_unknown_id_changes_nothing()
    {
        var (host, state) = await StartAsync();
        await using var _ = host;
        var refused = Replies.All(await host.SubmitAsync("29:manager", new { verb = "jobs.requeue", jobId = "post|weekly|2026-11-30" }));
        Assert.Equal("只有办公室可以做这件事。如需权限，请联系办公室。", refused);

        Assert.Equal("This job is no longer parked (it may have been run again or cancelled); nothing changed.",
            Replies.All(await host.SubmitAsync("29:office-en", new { verb = "jobs.requeue", jobId = "no-such-job" })));
        Assert.Equal("This job is no longer parked (it may have been run again or cancelled); nothing changed.",
            Replies.All(await host.SubmitAsync("29:office-en", new { verb = "jobs.requeue", jobId = new[] { 1, 2 } })));
        await host.PollJobsAsync();
        Assert.Equal(JobStatus.Parked, (await host.Get<JobStore>().GetAsync(Tenant, "post|weekly|2026-11-30", default))!.Status);
        Assert.Equal(1, state.Runs);

        var english = Replies.Card(await host.SayAsync("29:office-en", "jobs"));
        Assert.Contains("Run again", Replies.Buttons(english));
    }
}
