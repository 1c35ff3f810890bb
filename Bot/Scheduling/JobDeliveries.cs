using ChatRegs.Bot.Proactive;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Scheduling;

/// <summary>
/// Sends one job's message to several people, each exactly once per run of the job, however
/// often the run is retried. Jobs are retried when they fail and run again when an instance
/// dies mid-run; a handler that simply loops over its recipients would then message the first
/// ones again (a second "the meeting was moved" notice is worse than a late one).
/// <para>
/// Each recipient's outcome is recorded in the Jobs table right after the send (see
/// <see cref="JobStore.SentAsync"/>; a storage blip there is tried again at once); a later run of
/// the same job skips everyone recorded.
/// A person who cannot be reached now (throttled past the retries, connector down) does not
/// stop the others: they all get theirs, then <see cref="ProactiveDeliveryException"/> is
/// thrown so the runner retries the job later — for those left only.
/// </para>
/// </summary>
public sealed class JobDeliveries(JobStore store, ProactiveSender sender, TimeProvider time, ILogger<JobDeliveries> logger)
{
    /// <summary>What one run did: sent now, skipped (sent by an earlier run), undeliverable.</summary>
    public sealed record Outcome(int Sent, int Skipped, int Undeliverable);

    /// <summary>
    /// Sends <paramref name="message"/> (given the recipient) to each person's 1:1 chat, once per
    /// run of <paramref name="job"/>, <paramref name="maxParallel"/> at a time (the proactive
    /// sender paces them to Teams' limits). Throws <see cref="ProactiveDeliveryException"/> after
    /// trying everyone when some could not be reached for now.
    /// </summary>
    public async Task<Outcome> SendToEachAsync(Job job, IEnumerable<string> userIds, Func<string, Func<ITurnContext, CancellationToken, Task>> message, string purpose, CancellationToken cancellationToken, int maxParallel = 1)
    {
        var already = await store.SentAsync(job, cancellationToken).ConfigureAwait(false);
        var recipients = userIds.Where(id => !string.IsNullOrEmpty(id)).Distinct(StringComparer.Ordinal).ToList();
        int sent = 0, undeliverable = 0;
        var transient = new List<(string UserId, ProactiveDeliveryException Error)>();
        await Parallel.ForEachAsync(
            recipients.Where(id => !already.Contains(id)),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxParallel), CancellationToken = cancellationToken },
            async (userId, ct) =>
            {
                DeliveryResult result;
                try
                {
                    result = await sender.SendToPersonAsync(job.TenantId, userId, message(userId), purpose, ct).ConfigureAwait(false);
                }
                catch (ProactiveDeliveryException e)
                {
                    logger.LogWarning(e, "{Purpose}: {UserId} could not be reached for now; the job will try again.", purpose, userId);
                    lock (transient)
                    {
                        transient.Add((userId, e));
                    }
                    return;
                }
                // Recorded whether delivered or not: an unreachable person (bot removed, blocked) is
                // in DeliveryFailures for the office, and retrying them would not help.
                await RecordAsync(job, userId, result.Status.ToString(), ct).ConfigureAwait(false);
                Interlocked.Increment(ref result.Delivered ? ref sent : ref undeliverable);
            }).ConfigureAwait(false);
        var skipped = recipients.Count(already.Contains);
        logger.LogInformation("{Purpose}: {Sent} sent, {Undeliverable} undeliverable, {Skipped} sent before, {Transient} to try again.",
            purpose, sent, undeliverable, skipped, transient.Count);
        if (transient.Count > 0)
        {
            throw new ProactiveDeliveryException(
                $"{purpose}: {transient.Count} of {recipients.Count - skipped} recipients could not be reached for now ({string.Join(", ", transient.Select(t => t.UserId))}).",
                transient[0].Error);
        }
        return new Outcome(sent, skipped, undeliverable);
    }

    /// <summary>
    /// Reaches several people with one request through a shared conversation (Teams' targeted
    /// in-meeting notification), once per run of <paramref name="job"/>: <paramref name="send"/>
    /// gets those not reached by an earlier run and returns those it reached, who are recorded
    /// like a 1:1 delivery (under their id, outcome <paramref name="outcome"/>) — so
    /// <see cref="SendToEachAsync"/> in this or a later run skips them.
    /// </summary>
    /// <returns>Those neither reached before nor now: the caller messages them another way.</returns>
    public async Task<IReadOnlyList<string>> SendTogetherOnceAsync(Job job, IEnumerable<string> userIds, Func<IReadOnlyList<string>, CancellationToken, Task<IReadOnlyCollection<string>>> send, string outcome, string purpose, CancellationToken cancellationToken)
    {
        var already = await store.SentAsync(job, cancellationToken).ConfigureAwait(false);
        var left = userIds.Where(id => !string.IsNullOrEmpty(id) && !already.Contains(id)).Distinct(StringComparer.Ordinal).ToList();
        if (left.Count == 0)
        {
            return left;
        }
        var reached = await send(left, cancellationToken).ConfigureAwait(false);
        foreach (var userId in left.Where(reached.Contains))
        {
            await RecordAsync(job, userId, outcome, cancellationToken).ConfigureAwait(false);
        }
        logger.LogInformation("{Purpose}: {Reached} of {Count} reached together ({Outcome}).", purpose, left.Count(reached.Contains), left.Count, outcome);
        return left.Where(id => !reached.Contains(id)).ToList();
    }

    /// <summary>
    /// Posts <paramref name="messages"/> to a shared chat (a group chat or channel the bot is in),
    /// in order, each once per run of <paramref name="job"/>: each is recorded under
    /// "chat:{conversation}#{key}" right after it went, so a retried run posts only what is left.
    /// A chat the bot cannot reach (removed, unknown) is recorded for every message and the rest
    /// are not tried; one that cannot be reached for now throws
    /// <see cref="ProactiveDeliveryException"/> (the job is retried for what is left).
    /// </summary>
    /// <returns>How many messages went now (0 when all went before or the chat is unreachable).</returns>
    public async Task<int> PostToChatOnceAsync(Job job, string conversationId, IReadOnlyList<(string Key, Func<ITurnContext, CancellationToken, Task> Send)> messages, string purpose, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        var already = await store.SentAsync(job, cancellationToken).ConfigureAwait(false);
        var sent = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            var record = ChatRecipient(conversationId, messages[i].Key);
            if (already.Contains(record))
            {
                continue;
            }
            var result = await sender.SendToConversationAsync(job.TenantId, conversationId, messages[i].Send, purpose, cancellationToken).ConfigureAwait(false);
            if (!result.Delivered)
            {
                // Not there any more (recorded in DeliveryFailures for the office): the rest would fail the same way.
                foreach (var (key, _) in messages.Skip(i))
                {
                    await RecordAsync(job, ChatRecipient(conversationId, key), result.Status.ToString(), cancellationToken).ConfigureAwait(false);
                }
                logger.LogWarning("{Purpose}: the chat {ConversationId} cannot be reached ({Status}); {Left} messages not posted.", purpose, conversationId, result.Status, messages.Count - i);
                return sent;
            }
            await RecordAsync(job, record, result.Status.ToString(), cancellationToken).ConfigureAwait(false);
            sent++;
        }
        logger.LogInformation("{Purpose}: {Sent} of {Count} messages posted to the chat now.", purpose, sent, messages.Count);
        return sent;
    }

    /// <summary>How a shared chat's message is recorded among a run's recipients (never a user id: those start "29:").</summary>
    public static string ChatRecipient(string conversationId, string key) => "chat:" + conversationId + "#" + key;

    /// <summary>Times a recipient's record is written before the run gives up (the message is out: a lost record is a second message on the retry).</summary>
    private const int RecordTries = 3;

    /// <summary>
    /// Records a recipient's outcome. The message has gone, so a storage blip here is tried again
    /// at once (the write is an upsert: one that landed and lost its answer is written again, the same):
    /// failing the run would send the message again when the job is retried.
    /// </summary>
    private async Task RecordAsync(Job job, string userId, string outcome, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.RecordSentAsync(job, userId, outcome, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (attempt < RecordTries && Core.StorageProblems.Is(e) && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Could not record that job {JobId} messaged {UserId} ({Reason}); trying again.", job.Id, userId, e.Message);
            }
        }
    }
}
