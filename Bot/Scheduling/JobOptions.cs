using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Scheduling;

/// <summary>Bound from "ChatRegs:Jobs".</summary>
public sealed class JobOptions
{
    public const string Section = "ChatRegs:Jobs";

    /// <summary>How often each bot instance looks for due jobs. A job runs at most this late.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a claim holds. The running instance renews it (every third of it) while the
    /// handler runs; if the instance dies, another one takes the job over once it runs out.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts per occurrence before the job is parked.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Delay before the first retry; doubled for every further one (with ±20 % jitter).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest delay between two attempts.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Due jobs one poll picks up at most (the rest wait for the next poll, which starts at once).</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>
    /// Jobs one instance runs side by side. Each job mostly waits: for its turn in the connector's
    /// pacing (which keeps to Teams' limits however many run), then for the connector and one
    /// storage write. With 8 a loaded machine reached only 53 % of Teams' 50 messages/s per
    /// tenant (8 jobs / ~300 ms each); with 32, 70 % on a machine at load 10 (a storage write
    /// took up to 0.6 s there); 64 leaves the pacing as the limit. A job waiting for its turn
    /// costs no CPU.
    /// </summary>
    public int MaxConcurrency { get; set; } = 64;

    /// <summary>
    /// How often each runner says it is alive and looks at the others (<see cref="RunnerSlices"/>):
    /// the live instances split the due jobs between them. One that misses three is taken to be gone.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A due job of another live instance's slice is claimed by any instance once it is this late.</summary>
    public TimeSpan SliceGrace { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>This instance's name in leases. Empty = machine name, process id and a random suffix.</summary>
    public string InstanceId { get; set; } = "";

    /// <summary>Time zone used when showing times to people; defaults to the team's (ChatRegs:TimeZone, else Asia/Shanghai).</summary>
    public string TimeZone { get; set; } = TimeZones.DefaultId;

    /// <summary>
    /// How long finished jobs (done, cancelled, parked) and their sent rows are kept before
    /// <see cref="FinishedJobPruner"/> deletes them. Scheduling an id again within this time is a
    /// no-op, so keep it longer than any feature plans ahead or looks back.
    /// </summary>
    public TimeSpan KeepFinished { get; set; } = TimeSpan.FromDays(90);

    /// <summary>False stops this instance from running jobs (scheduling still works; another instance runs them).</summary>
    public bool RunnerEnabled { get; set; } = true;
}
