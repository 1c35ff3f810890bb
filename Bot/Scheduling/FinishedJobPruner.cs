using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.Scheduling;

/// <summary>
/// Keeps the Jobs table from growing for ever: every six hours, deletes the rows of jobs that
/// finished (done, cancelled or parked) longer than <see cref="JobOptions.KeepFinished"/> ago,
/// and the sent rows (<see cref="JobDeliveries"/>) of runs that old. Until then a finished
/// job still answers "already scheduled" to a feature that schedules its id again, and a
/// parked one is still on the office's 任务状态 card. A job changed since it was read (re-queued
/// by the office) is left alone: deletes are conditional on the row's ETag.
/// </summary>
public sealed class FinishedJobPruner(JobStore store, TimeProvider time, IOptions<JobOptions> options, ILogger<FinishedJobPruner> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(6);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunnerEnabled)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
                var (jobs, sent) = await PruneAsync(stoppingToken).ConfigureAwait(false);
                if (jobs + sent > 0)
                {
                    logger.LogInformation("Pruned {Jobs} finished jobs and {Sent} sent rows older than {Keep}.", jobs, sent, options.Value.KeepFinished);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not prune the Jobs table; will try again later.");
            }
        }
    }

    /// <summary>One pruning pass over every tenant; returns the job rows and sent rows deleted.</summary>
    public Task<(int Jobs, int Sent)> PruneAsync(CancellationToken cancellationToken) =>
        store.PruneFinishedAsync(time.GetUtcNow() - options.Value.KeepFinished, cancellationToken);
}
