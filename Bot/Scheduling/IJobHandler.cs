namespace ChatRegs.Bot.Scheduling;

/// <summary>
/// Runs the jobs of one kind. Features register their handlers in DI
/// (<c>services.AddSingleton&lt;IJobHandler, MyHandler&gt;()</c>); the runner dispatches each
/// due job to the handler whose <see cref="Kind"/> matches.
/// <para>
/// Returning normally means done (a recurring job is then scheduled for its next run).
/// Throwing means failed: the job is retried with exponential backoff up to
/// <see cref="JobOptions.MaxAttempts"/> times, then parked with the exception's message for
/// the office to see. Throw <see cref="PermanentJobFailureException"/> to park at once
/// (bad data: retrying cannot help).
/// </para>
/// <para>
/// A job runs once per due time across all bot instances, except when an instance dies
/// mid-run: another instance runs it again after the lease runs out. Handlers should
/// therefore be safe to run twice (check before sending, use idempotent writes).
/// </para>
/// </summary>
public interface IJobHandler
{
    /// <summary>The job kind this handler runs, e.g. "meetings.checkinOpen". Unique across handlers.</summary>
    string Kind { get; }

    /// <param name="cancellationToken">Cancelled when the bot shuts down or the job's lease is lost (another instance took it over, or it was cancelled).</param>
    Task RunAsync(Job job, CancellationToken cancellationToken);
}

/// <summary>A failure retrying cannot fix: the job is parked at once with this message.</summary>
public sealed class PermanentJobFailureException : Exception
{
    public PermanentJobFailureException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
