using System.Net;
using ChatRegs.Bot.Diagnostics;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Scheduling.Tests.Support;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatRegs.Scheduling.Tests.Jobs;

/// <summary>
/// What an operator sees in the "ChatRegs" metrics (docs/telemetry.md) when jobs run late or get
/// parked and when Teams throttles: read with a MeterListener, as an exporter would. Other tests
/// in this process record too, so each assertion looks for this test's own job kind or conversation.
/// </summary>
public sealed class JobMetricsTests
{
    private const string Tenant = "tenant-metrics";

    [Fact]
    public async Task A_late_job_and_a_parked_job_are_counted_by_kind()
    {
        var kind = "test.metrics." + Guid.NewGuid().ToString("N")[..8];
        using var recorded = new MetricRecorder();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 29, 9, 0, 0, TimeSpan.FromHours(8)));
        var failing = new RecordingHandler(kind, clock) { Behavior = (_, _) => throw new InvalidOperationException("down") };
        await using var host = await SchedulingHost.StartAsync(clock, new() { ["ChatRegs:Jobs:MaxAttempts"] = "1" }, services => services.AddSingleton<IJobHandler>(failing));
        await host.Scheduler.ScheduleAsync(Tenant, kind, clock.GetUtcNow(), jobId: "late-one");

        clock.Advance(TimeSpan.FromMinutes(5)); // the instance was busy: it starts five minutes late
        await host.Runner.PollAsync();

        Assert.Equal(JobStatus.Parked, (await host.Scheduler.GetAsync(Tenant, "late-one"))!.Status);
        Assert.Equal(1, recorded.Sum("chatregs.jobs.due", "job.kind", kind));
        Assert.Equal(1, recorded.Sum("chatregs.jobs.late", "job.kind", kind));
        Assert.Equal(1, recorded.Sum("chatregs.jobs.parked", "job.kind", kind));
        Assert.Contains(recorded.Values("chatregs.jobs.start_delay", "job.kind", kind), seconds => seconds >= 300);
    }

    [Fact]
    public async Task A_429_from_Teams_is_counted_and_the_message_still_counts_as_delivered()
    {
        using var recorded = new MetricRecorder();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 29, 8, 25, 0, TimeSpan.FromHours(8)));
        await using var host = await SchedulingHost.StartAsync(clock);
        var conversation = "19:metrics-" + Guid.NewGuid().ToString("N")[..8] + "@thread.v2";
        await host.RememberConversationAsync(Tenant, conversation, "29:user");
        var injected = false;
        host.Connector.Inject = request =>
        {
            if (request.ConversationId != conversation || injected)
            {
                return null;
            }
            injected = true;
            return FakeConnector.Error(HttpStatusCode.TooManyRequests, "TooManyRequests", "Slow down.");
        };
        var throttledBefore = recorded.Sum("chatregs.connector.throttled");

        var send = host.Sender.SendToConversationAsync(Tenant, conversation, MessageFactory.Text("签到已开始"));
        await host.DriveAsync(send, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1));

        Assert.True((await send).Delivered);
        Assert.True(recorded.Sum("chatregs.connector.throttled") > throttledBefore);
        Assert.Contains(recorded.Tags("chatregs.connector.requests"), t => t.GetValueOrDefault("http.response.status_code") is 429);
        Assert.Contains(recorded.Tags("chatregs.proactive.sends"), t => t.GetValueOrDefault("outcome") as string == "delivered" && t.GetValueOrDefault("target") as string == "conversation");
        // No id or text of anyone in the tags.
        Assert.DoesNotContain(recorded.AllTagValues(), v => v.Contains(conversation, StringComparison.Ordinal) || v.Contains("签到已开始", StringComparison.Ordinal) || v.Contains(Tenant, StringComparison.Ordinal));
    }
}
