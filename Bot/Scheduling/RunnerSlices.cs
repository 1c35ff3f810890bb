namespace ChatRegs.Bot.Scheduling;

/// <summary>
/// Which due jobs this instance's runner claims when several instances run jobs on one Jobs table.
/// <para>
/// Every instance says it is alive every <see cref="JobOptions.HeartbeatInterval"/> (a runner row,
/// see <see cref="JobStore"/>) and reads the others' rows in the same breath. The live instances,
/// sorted by id, split the due jobs between them by a stable hash of tenant and job id: each
/// instance claims only its own slice, so two instances never read and claim the same jobs (with
/// 64 jobs at once and a batch of hundreds, contended claims cost more storage requests than the
/// reminders themselves). Claims stay conditional on the job row's ETag, so a slice is a
/// preference, never what keeps a job from running twice.
/// </para>
/// <para>
/// An instance that stops removes its row; one that dies stops renewing it and drops out after
/// three intervals, and the others split its slice from their next heartbeat. A job of another
/// live instance's slice that is <see cref="JobOptions.SliceGrace"/> late is claimed by anyone (a
/// runner that is alive but stuck). When this instance's view is out of date (its heartbeats
/// fail), it claims every due job, as a single instance does.
/// </para>
/// </summary>
public sealed class RunnerSlices
{
    /// <summary>Heartbeats an instance may miss before the others take its slice.</summary>
    public const int MissedBeforeGone = 3;

    /// <summary>Runner rows not seen for this long are removed by whoever sees them.</summary>
    public static readonly TimeSpan Forgotten = TimeSpan.FromDays(1);

    private readonly JobStore _store;
    private readonly TimeProvider _time;
    private readonly JobOptions _options;
    private readonly string _self;
    private View _view;
    private readonly SemaphoreSlim _soon = new(0, 1);
    private long _lastEarly;
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RunnerSlices(JobStore store, TimeProvider time, JobOptions options, string instanceId)
    {
        _store = store;
        _time = time;
        _options = options;
        _self = instanceId;
        _view = new View([instanceId], DateTimeOffset.MinValue);
    }

    /// <summary>Completes once the first heartbeat of <see cref="RunAsync"/> was tried (written or not).</summary>
    public Task FirstHeartbeat => _first.Task;

    /// <summary>The live runners as this instance last saw them, sorted (itself included).</summary>
    public IReadOnlyList<string> Members => Volatile.Read(ref _view).Members;

    private TimeSpan Interval => _options.HeartbeatInterval > TimeSpan.Zero ? _options.HeartbeatInterval : TimeSpan.FromSeconds(10);

    private TimeSpan LiveFor => Interval * MissedBeforeGone;

    /// <summary>
    /// Writes this instance's heartbeat and reads every runner's: from now on, due jobs are split
    /// between the live ones. Long-forgotten rows are removed.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await _store.HeartbeatAsync(_self, now, cancellationToken).ConfigureAwait(false);
        var rows = await _store.ListRunnersAsync(cancellationToken).ConfigureAwait(false);
        var live = rows.Where(r => r.InstanceId == _self || now - r.SeenUtc < LiveFor).Select(r => r.InstanceId)
            .Append(_self).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Volatile.Write(ref _view, new View(live, now));
        foreach (var (instance, _) in rows.Where(r => r.InstanceId != _self && now - r.SeenUtc > Forgotten))
        {
            await _store.RemoveRunnerAsync(instance, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>This instance stops running jobs: the others take its slice at their next heartbeat.</summary>
    public Task LeaveAsync(CancellationToken cancellationToken) => _store.RemoveRunnerAsync(_self, cancellationToken);

    /// <summary>
    /// True when this instance should claim the due job: it is in this instance's slice, or it
    /// is <see cref="JobOptions.SliceGrace"/> late, or the view is too old to trust.
    /// </summary>
    public bool Mine(DueEntry entry, DateTimeOffset now)
    {
        var view = Volatile.Read(ref _view);
        if (view.Members.Count <= 1 || now - view.At > LiveFor || now - entry.DueUtc >= _options.SliceGrace)
        {
            return true;
        }
        return view.Members[(int)(Hash(entry.TenantId, entry.JobId) % (uint)view.Members.Count)] == _self;
    }

    /// <summary>Another instance claimed a job this one wanted: look at the runners again soon (at most once a second).</summary>
    public void Contended()
    {
        var now = _time.GetUtcNow().UtcTicks;
        var last = Interlocked.Read(ref _lastEarly);
        if (now - last < TimeSpan.TicksPerSecond || Interlocked.CompareExchange(ref _lastEarly, now, last) != last)
        {
            return;
        }
        try
        {
            _soon.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already asked.
        }
    }

    /// <summary>
    /// Heartbeats until <paramref name="stoppingToken"/> fires, then removes this instance's row.
    /// The second heartbeat comes a second after the first, so instances started together see
    /// each other at once; after that every interval, or sooner after a contended claim.
    /// </summary>
    public async Task RunAsync(ILogger logger, CancellationToken stoppingToken)
    {
        var failing = false;
        var round = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken).ConfigureAwait(false);
                failing = false;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                if (!failing)
                {
                    logger.LogWarning("The job runner could not write its heartbeat ({Reason}); until it can, it claims any due job.", e.Message);
                }
                failing = true;
            }
            _first.TrySetResult();
            var wait = round++ == 0 ? TimeSpan.FromSeconds(1) : Interval;
            try
            {
                using var early = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var delay = Task.Delay(wait, _time, early.Token);
                await Task.WhenAny(delay, _soon.WaitAsync(early.Token)).ConfigureAwait(false);
                await early.CancelAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        _first.TrySetResult();
        try
        {
            await LeaveAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            logger.LogWarning("Could not remove this instance's runner row ({Reason}); the others take its jobs once its heartbeat is {Missed} intervals old.", e.Message, MissedBeforeGone);
        }
    }

    /// <summary>FNV-1a over tenant and job id: the same on every instance and every run (string.GetHashCode is not).</summary>
    public static uint Hash(string tenantId, string jobId)
    {
        var hash = 2166136261u;
        foreach (var c in tenantId)
        {
            hash = (hash ^ c) * 16777619u;
        }
        hash = (hash ^ '\n') * 16777619u;
        foreach (var c in jobId)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash;
    }

    private sealed record View(IReadOnlyList<string> Members, DateTimeOffset At);
}
