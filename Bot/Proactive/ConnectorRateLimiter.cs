namespace ChatRegs.Bot.Proactive;

/// <summary>
/// Paces calls to the Bot Framework connector to Teams' limits: at most
/// <see cref="ProactiveOptions.PerConversationPerSecond"/> per conversation and
/// <see cref="ProactiveOptions.PerTenantPerSecond"/> per tenant.
/// <para>
/// Two levels of first-come-first-served queues. Each conversation is a lane: its requests
/// leave it one at a time, no sooner than one conversation interval (1/7 s) after the
/// previous one was let go. A request at the front of its lane joins its tenant's queue,
/// which lets requests go at the tenant's limit (<see cref="Pacer"/>): on a grid of one slot per
/// (1 s + <see cref="ProactiveOptions.PacingMargin"/>) / 50, paced from the slots' scheduled times,
/// so a timer that fires late costs nothing (it lets go the slots that came due meanwhile; pacing
/// from the late moment lost 15–35 % of the rate on a loaded machine); and never 50 releases within
/// 1 s + half the margin, counted at release, whatever the timers do. The margin (20 ms by default,
/// ~2 % of the rate) is there for the network: the connector counts arrivals, and two calls' trips
/// may differ without the 51st arriving within a second of the 1st; a 429 widens it by 10 ms (once a
/// second at most, up to 100 ms), halved again after 10 s without one. As each lane has at most one request
/// in the tenant queue, a thousand messages to one conversation do not hold up a message to
/// anybody else.
/// </para>
/// <para>
/// All time comes from the <see cref="TimeProvider"/>. Waiting requests are released from the
/// timer callback itself (their continuations run there), so with a fake clock a request
/// reaches the connector at exactly the time it was let go. The per-conversation limit holds per
/// bot instance; the tenant's holds for the whole deployment when
/// <see cref="ProactiveOptions.ShareTenantBudget"/> is on (<see cref="SharedTenantBudget"/>: a call
/// also needs a token of the current second, claimed in storage), else per instance. A 429 that
/// still comes is retried by <see cref="ConnectorThrottlingHandler"/>.
/// </para>
/// </summary>
public sealed class ConnectorRateLimiter
{
    private readonly TimeProvider _time;
    private readonly long _laneInterval;
    private readonly double _perTenant;
    private readonly long _margin;
    private readonly object _lock = new();
    private readonly Dictionary<string, Lane> _lanes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TenantQueue> _tenants = new(StringComparer.Ordinal);
    private int _waiting;
    private long _lastSweep;

    private readonly SharedTenantBudget? _budget;

    public ConnectorRateLimiter(TimeProvider time, ProactiveOptions options, SharedTenantBudget? budget = null)
    {
        _time = time;
        _laneInterval = IntervalTicks(options.PerConversationPerSecond);
        _perTenant = options.PerTenantPerSecond;
        _margin = Math.Max(0, options.PacingMargin.Ticks);
        _budget = budget;
        if (budget != null)
        {
            budget.Wake = Wake;
        }
    }

    /// <summary>A claim of the shared budget finished: let the tenant's waiting calls try again.</summary>
    private void Wake(string tenantKey)
    {
        var granted = new List<Request>();
        lock (_lock)
        {
            if (!_tenants.TryGetValue(tenantKey, out var tenant) || !tenant.WaitingOnBudget)
            {
                return;
            }
            tenant.Timer?.Dispose();
            tenant.Timer = null;
            tenant.WaitingOnBudget = false;
            Pump(tenant, Now(), granted);
        }
        Release(granted);
    }

    /// <summary>Requests waiting for their turn right now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Waits until a call for <paramref name="conversationId"/> (null for a call on no conversation, such as creating one) of <paramref name="tenantKey"/> may go.</summary>
    public Task AcquireAsync(string tenantKey, string? conversationId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var request = new Request();
        List<Request> granted;
        lock (_lock)
        {
            var now = Now();
            SweepIdle(now);
            var tenant = TenantFor(tenantKey);
            var laneKey = tenantKey + "\u001f" + (conversationId ?? "");
            if (!_lanes.TryGetValue(laneKey, out var lane))
            {
                // A call on no conversation is paced by the tenant only.
                lane = new Lane(this, tenant, conversationId == null ? 0 : _laneInterval);
                _lanes[laneKey] = lane;
            }
            request.Lane = lane;
            lane.Queue.Enqueue(request);
            _waiting++;
            granted = [];
            Advance(lane, now, granted);
            Pump(tenant, now, granted);
        }
        Release(granted);
        if (request.Task.IsCompleted || !cancellationToken.CanBeCanceled)
        {
            return request.Task;
        }
        request.CancellationRegistration = cancellationToken.Register(static state => ((ConnectorRateLimiter)((object[])state!)[0]).Cancel((Request)((object[])state!)[1]), new object[] { this, request });
        return request.Task;
    }

    /// <summary>
    /// Holds a conversation (or, for <paramref name="conversationId"/> null, the tenant) back
    /// until <paramref name="until"/>: the connector answered 429 with a Retry-After. Either way
    /// the tenant's margin widens by 10 ms (once a second at most, up to 100 ms; halved after 10 s without a 429).
    /// </summary>
    public void Penalize(string tenantKey, string? conversationId, DateTimeOffset until)
    {
        lock (_lock)
        {
            var ticks = until.UtcTicks;
            var tenant = TenantFor(tenantKey);
            // Teams counted more than the limit although we let go no more: the calls' trips
            // bunched them. A wider margin for a while keeps 429s from becoming a habit.
            tenant.Pacer.Widen(Now());
            if (conversationId != null && _lanes.TryGetValue(tenantKey + "\u001f" + conversationId, out var lane))
            {
                lane.Next = Math.Max(lane.Next, ticks);
            }
            else
            {
                tenant.Pacer.HoldUntil(ticks);
            }
        }
    }

    private static long IntervalTicks(double perSecond)
    {
        if (perSecond <= 0 || double.IsNaN(perSecond))
        {
            return 0;
        }
        // Rounded up, so N intervals always span at least one second.
        return (long)Math.Ceiling(TimeSpan.TicksPerSecond / perSecond);
    }

    private long Now() => _time.GetUtcNow().UtcTicks;

    private TenantQueue TenantFor(string key)
    {
        if (!_tenants.TryGetValue(key, out var tenant))
        {
            tenant = new TenantQueue(key, new Pacer(_perTenant, _margin));
            _tenants[key] = tenant;
        }
        return tenant;
    }

    /// <summary>Moves the lane's front request into its tenant queue once the lane's interval has passed.</summary>
    private void Advance(Lane lane, long now, List<Request> granted)
    {
        if (lane.Busy)
        {
            return;
        }
        while (lane.Queue.TryPeek(out var head) && head.Cancelled)
        {
            lane.Queue.Dequeue();
        }
        if (!lane.Queue.TryPeek(out _))
        {
            return;
        }
        if (now >= lane.Next)
        {
            var head = lane.Queue.Dequeue();
            lane.Busy = true;
            lane.Tenant.Ready.Enqueue(head);
            return;
        }
        lane.Busy = true;
        lane.Timer?.Dispose();
        lane.WaitingOnTimer = true;
        lane.Timer = _time.CreateTimer(static state => ((Lane)state!).Owner.OnLaneTimer((Lane)state!), lane, TimeSpan.FromTicks(lane.Next - now), Timeout.InfiniteTimeSpan);
    }

    private void OnLaneTimer(Lane lane)
    {
        var granted = new List<Request>();
        lock (_lock)
        {
            lane.Timer?.Dispose();
            lane.Timer = null;
            lane.WaitingOnTimer = false;
            lane.Busy = false;
            var now = Now();
            Advance(lane, now, granted);
            Pump(lane.Tenant, now, granted);
        }
        Release(granted);
    }

    /// <summary>Lets tenant-queue requests go, one per tenant interval; starts a timer for the rest.</summary>
    /// <param name="onTimer">Called by the tenant's own timer: the queue was waiting for its slot,
    /// so slots that came due while the timer was late are made up.</param>
    private void Pump(TenantQueue tenant, long now, List<Request> granted, bool onTimer = false)
    {
        if (tenant.Timer != null)
        {
            return; // the timer will pump
        }
        while (tenant.Ready.TryPeek(out var head))
        {
            if (head.Cancelled)
            {
                tenant.Ready.Dequeue();
                head.Lane!.Busy = false;
                Advance(head.Lane, now, granted);
                continue;
            }
            var readyAt = tenant.Pacer.ReadyAt;
            if (now < readyAt)
            {
                tenant.Timer = _time.CreateTimer(static state =>
                {
                    var (owner, t) = ((ConnectorRateLimiter, TenantQueue))state!;
                    owner.OnTenantTimer(t);
                }, (this, tenant), TimeSpan.FromTicks(readyAt - now), Timeout.InfiniteTimeSpan);
                return;
            }
            if (_budget != null && !_budget.TryTake(tenant.Key, now, out var retryAt))
            {
                // No share of this second's budget (yet): a claim is under way, or the next second.
                tenant.WaitingOnBudget = true;
                tenant.Timer = _time.CreateTimer(static state =>
                {
                    var (owner, t) = ((ConnectorRateLimiter, TenantQueue))state!;
                    owner.OnTenantTimer(t);
                }, (this, tenant), TimeSpan.FromTicks(Math.Max(1, retryAt - now)), Timeout.InfiniteTimeSpan);
                return;
            }
            tenant.Ready.Dequeue();
            tenant.Pacer.Released(now, catchUp: onTimer);
            var lane = head.Lane!;
            lane.Next = Math.Max(lane.Next, now + lane.Interval);
            lane.Busy = false;
            head.Granted = true;
            _waiting--;
            granted.Add(head);
            Advance(lane, now, granted);
        }
    }

    private void OnTenantTimer(TenantQueue tenant)
    {
        var granted = new List<Request>();
        lock (_lock)
        {
            tenant.Timer?.Dispose();
            tenant.Timer = null;
            tenant.WaitingOnBudget = false;
            Pump(tenant, Now(), granted, onTimer: true);
        }
        Release(granted);
    }

    private void Cancel(Request request)
    {
        var granted = new List<Request>();
        lock (_lock)
        {
            if (request.Granted || request.Cancelled)
            {
                return;
            }
            request.Cancelled = true;
            _waiting--;
            var lane = request.Lane!;
            var now = Now();
            if (lane.Busy && !lane.WaitingOnTimer)
            {
                // It may be this lane's request in the tenant queue: let the pump skip it.
                Pump(lane.Tenant, now, granted);
            }
        }
        Release(granted);
        request.Completion.TrySetCanceled();
    }

    /// <summary>Completes granted requests outside the lock; their callers continue on this thread.</summary>
    private static void Release(List<Request> granted)
    {
        foreach (var request in granted)
        {
            request.CancellationRegistration.Dispose();
            request.Completion.TrySetResult();
        }
    }

    /// <summary>Forgets conversations idle for a minute, so the lanes do not grow without end.</summary>
    private void SweepIdle(long now)
    {
        if (_lanes.Count < 1000 || now - _lastSweep < TimeSpan.TicksPerMinute)
        {
            return;
        }
        _lastSweep = now;
        foreach (var (key, lane) in _lanes.ToList())
        {
            if (!lane.Busy && lane.Queue.Count == 0 && lane.Next + TimeSpan.TicksPerMinute < now)
            {
                _lanes.Remove(key);
            }
        }
    }

    private sealed class Request
    {
        // Not RunContinuationsAsynchronously: the caller continues as soon as it is let go.
        public TaskCompletionSource Completion { get; } = new();

        public Task Task => Completion.Task;

        public Lane? Lane { get; set; }

        public bool Granted { get; set; }

        public bool Cancelled { get; set; }

        public CancellationTokenRegistration CancellationRegistration { get; set; }
    }

    private sealed class Lane(ConnectorRateLimiter owner, TenantQueue tenant, long interval)
    {
        public ConnectorRateLimiter Owner { get; } = owner;

        public TenantQueue Tenant { get; } = tenant;

        public long Interval { get; } = interval;

        public Queue<Request> Queue { get; } = new();

        /// <summary>Earliest time (UTC ticks) the next request of this lane may go.</summary>
        public long Next { get; set; }

        /// <summary>A request of this lane is in the tenant queue, or the lane waits on its timer.</summary>
        public bool Busy { get; set; }

        public bool WaitingOnTimer { get; set; }

        public ITimer? Timer { get; set; }
    }

    private sealed class TenantQueue(string key, Pacer pacer)
    {
        public string Key { get; } = key;

        public Pacer Pacer { get; } = pacer;

        /// <summary>The timer waits for a share of the shared budget (a finished claim may end it sooner).</summary>
        public bool WaitingOnBudget { get; set; }

        public Queue<Request> Ready { get; } = new();

        public ITimer? Timer { get; set; }
    }

    /// <summary>
    /// A tenant's pace. On average one call per <c>Interval</c> = (1 s + margin) / 50: a grid of
    /// slots, each paced from the previous slot's scheduled time, not from when a timer actually
    /// fired, so a late timer costs nothing: when it fires it lets go every slot that came due
    /// meanwhile (on a loaded machine timers fire tens of ms late; pacing from the late moment lost
    /// a third of the rate). Slots missed by more than <see cref="CatchUpSlots"/> intervals (a long
    /// stall) are forgotten, and a call to an idle queue starts the grid afresh, so a catch-up is a
    /// burst of a few calls, never a second's worth. The hard limit is checked at release, exactly, by a ring of the last 50 release times:
    /// never 50 within 1 s + half the margin (the <c>Guard</c>). The guard is shorter than the
    /// grid's period, so lateness does not carry over from one second to the next. A 429 widens
    /// the margin by 10 ms (once a second at most: a burst of 429s is one bunching; up to 100 ms),
    /// halved after 10 s without one.
    /// </summary>
    private sealed class Pacer
    {
        /// <summary>What a 429 adds to the margin (Teams saw more in a second than we let go: the network bunched them).</summary>
        public static readonly long WidenStep = TimeSpan.FromMilliseconds(10).Ticks;

        /// <summary>The most the margin grows (50 per 1.12 s = 89 % at worst).</summary>
        public static readonly long MaxWidening = TimeSpan.FromMilliseconds(100).Ticks;

        /// <summary>Without a 429 for this long, the widening halves.</summary>
        public static readonly long WideningHalfLife = TimeSpan.FromSeconds(10).Ticks;

        /// <summary>
        /// 429s within this of the last widening are the same bunching (the calls of one late
        /// moment answered together) and widen the margin once: at a busy start 26 429s in one
        /// second widened it to the most, and the pace stayed at 45/s for the rest of the run.
        /// </summary>
        public static readonly long WideningOncePer = TimeSpan.TicksPerSecond;

        /// <summary>Missed slots made up at once at most.</summary>
        public const int CatchUpSlots = 10;

        private readonly long[] _log;
        private readonly int _limit;
        private readonly long _second;
        private readonly long _margin;
        private int _oldest;
        private int _count;
        private long _widening;
        private long _lastWidened;
        private long _lastStep;

        public Pacer(double perSecond, long margin)
        {
            if (perSecond <= 0 || double.IsNaN(perSecond) || double.IsInfinity(perSecond))
            {
                _log = [];
                return; // unlimited
            }
            _limit = Math.Max(1, (int)Math.Floor(perSecond));
            _log = new long[_limit];
            // The time in which the limit may go: a second for a whole-number rate.
            _second = (long)Math.Ceiling(_limit * TimeSpan.TicksPerSecond / perSecond);
            _margin = margin;
        }

        /// <summary>The grid's period: <c>Limit</c> slots in it.</summary>
        public long Window => _second + _margin + _widening;

        /// <summary>Never <c>Limit</c> releases within this (checked at release).</summary>
        public long Guard => _second + ((_margin + _widening) / 2);

        public long Interval => (Window + _limit - 1) / _limit;

        /// <summary>The scheduled time of the next release (UTC ticks).</summary>
        public long Slot { get; private set; }

        /// <summary>Earliest time the next request may go.</summary>
        public long ReadyAt => _log.Length > 0 && _count == _log.Length ? Math.Max(Slot, _log[_oldest] + Guard) : Slot;

        /// <param name="catchUp">The queue was busy (waiting for this slot): slots missed since,
        /// up to <see cref="CatchUpSlots"/>, go at once. Otherwise (a call to an idle queue) the grid
        /// starts again from now.</param>
        public void Released(long now, bool catchUp)
        {
            if (_log.Length == 0)
            {
                return;
            }
            if (_widening > 0 && now - _lastWidened > WideningHalfLife)
            {
                _widening = _widening < TimeSpan.TicksPerMillisecond ? 0 : _widening / 2;
                _lastWidened = now;
            }
            var interval = Interval;
            Slot = Math.Max(Slot, catchUp ? now - (CatchUpSlots * interval) : now) + interval;
            // The ring's oldest entry is overwritten by the newest.
            _log[(_oldest + _count) % _log.Length] = now;
            if (_count < _log.Length)
            {
                _count++;
            }
            else
            {
                _oldest = (_oldest + 1) % _log.Length;
            }
        }

        /// <summary>Teams answered 429 although the pace kept to the limit: widen the margin for a while.</summary>
        public void Widen(long now)
        {
            if (_widening == 0 || now - _lastStep >= WideningOncePer)
            {
                _widening = Math.Min(MaxWidening, _widening + WidenStep);
                _lastStep = now;
            }
            _lastWidened = now;
        }

        /// <summary>Teams answered 429 for the tenant: nothing goes before <paramref name="until"/>.</summary>
        public void HoldUntil(long until) => Slot = Math.Max(Slot, until);
    }
}
