using System.Collections.Concurrent;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bot.Proactive;

/// <summary>
/// Teams' requests-per-second limit per app and tenant, shared by every instance of the bot
/// through Table Storage (on with <see cref="ProactiveOptions.ShareTenantBudget"/>).
/// <para>
/// Each second of a tenant has a budget of <see cref="ProactiveOptions.PerTenantPerSecond"/>
/// less <see cref="ProactiveOptions.SharedBudgetHeadroom"/> (for clocks and network delays):
/// <see cref="PerSecond"/> slots, slot i starting i / PerSecond into the second. An instance that
/// has calls waiting claims a run of slots — half the budget at most — by an ETag-conditional
/// update of the tenant's row for that second (Jobs table, PartitionKey <c>budget|{tenant}</c>,
/// RowKey the second of the minute, 00–59, reused every minute: <c>Second</c>, <c>Taken</c> =
/// the next free slot), so however many instances claim, no slot of a second is handed out
/// twice. <see cref="ConnectorRateLimiter"/> lets a call go only in a slot this instance holds,
/// from the slot's start until two slots later (a slot missed by more is dropped, never used
/// later): so all instances together send evenly, one call per slot, at most
/// <see cref="PerSecond"/> + 2 within any second (50 with the default headroom) — not two
/// instances' slices at once at the start of each second. When its slots run low an instance claims more of the current second
/// (from the slot now running: past slots are not taken), and the next second's slots ahead of
/// time. A slot not used is lost, never borrowed. Instances must keep their clocks in step (NTP);
/// skew shifts the instances' slots against each other, which the headroom absorbs up to a slot
/// or two.
/// </para>
/// </summary>
public sealed class SharedTenantBudget
{
    public const string PartitionPrefix = "budget|";

    private readonly TableClient _table;
    private readonly ILogger<SharedTenantBudget> _logger;
    private readonly ConcurrentDictionary<string, State> _tenants = new(StringComparer.Ordinal);
    private long _claims;
    private int _claiming;

    public SharedTenantBudget(TableClient table, ProactiveOptions options, ILogger<SharedTenantBudget> logger)
    {
        _table = table;
        _logger = logger;
        PerSecond = Math.Max(1, (int)Math.Floor(options.PerTenantPerSecond * (1 - Math.Clamp(options.SharedBudgetHeadroom, 0, 0.5))));
        Slice = Math.Max(1, (PerSecond + 1) / 2);
    }

    /// <summary>What all instances together may send to one tenant in one second: its slots.</summary>
    public int PerSecond { get; }

    /// <summary>The most slots one claim takes.</summary>
    public int Slice { get; }

    /// <summary>Slices claimed in storage so far (each cost a read and a write).</summary>
    public long Claims => Interlocked.Read(ref _claims);

    /// <summary>Claims under way right now (tests wait for them before moving a fake clock).</summary>
    public int ClaimsInFlight => Volatile.Read(ref _claiming);

    /// <summary>Called (outside any lock) when a claim for the tenant finished: the limiter tries again.</summary>
    public Action<string>? Wake { get; set; }

    /// <summary>Where slot <paramref name="index"/> starts, in ticks from the start of its second.</summary>
    public long SlotStart(int index) => index * TimeSpan.TicksPerSecond / PerSecond;

    /// <summary>The slot running at <paramref name="offset"/> ticks into a second.</summary>
    public int SlotAt(long offset) => (int)Math.Min(PerSecond, offset * PerSecond / TimeSpan.TicksPerSecond);

    /// <summary>
    /// How late a held slot may still be used: two slots. Calls then go in slots that started
    /// within the last 1 s + two slots: PerSecond + 2 at most (50 for Teams' 50 less the 4 %
    /// headroom), however late this instance's timers fire.
    /// </summary>
    private long Grace => 2 * TimeSpan.TicksPerSecond / PerSecond;

    /// <summary>
    /// Takes the slot running at <paramref name="nowTicks"/> (UTC ticks) when this instance holds
    /// it; otherwise says when to look again at the latest (the start of its next slot, or of the
    /// next second), and starts a claim when it holds too few.
    /// </summary>
    public bool TryTake(string tenantKey, long nowTicks, out long retryAtTicks)
    {
        var second = nowTicks / TimeSpan.TicksPerSecond;
        var offset = nowTicks - (second * TimeSpan.TicksPerSecond);
        retryAtTicks = (second + 1) * TimeSpan.TicksPerSecond;
        var state = _tenants.GetOrAdd(tenantKey, _ => new State());
        long? claim = null;
        var from = 0;
        bool taken = false;
        lock (state)
        {
            if (state.Second != second)
            {
                state.Held.Clear();
                if (state.AheadSecond == second)
                {
                    foreach (var slot in state.Ahead)
                    {
                        state.Held.Enqueue(slot);
                    }
                }
                state.Second = second;
                state.AheadSecond = 0;
                state.Ahead.Clear();
            }
            // Slots missed by more than two slots' length are dropped: used later, they could put
            // more than the limit into a second with the other instances' slots.
            while (state.Held.TryPeek(out var missed) && SlotStart(missed) + Grace <= offset)
            {
                state.Held.Dequeue();
            }
            if (state.Held.TryPeek(out var next))
            {
                if (SlotStart(next) <= offset)
                {
                    state.Held.Dequeue();
                    taken = true;
                }
                else
                {
                    retryAtTicks = (second * TimeSpan.TicksPerSecond) + SlotStart(next);
                }
            }
            if (!state.Claiming)
            {
                if (state.Held.Count == 0 && !taken && state.ExhaustedSecond != second)
                {
                    claim = second; // nothing in hand: this second first, from the slot now running
                    from = SlotAt(offset);
                }
                else if (state.AheadSecond != second + 1)
                {
                    claim = second + 1; // the next second's slots, ready when it starts
                }
                else if (state.Held.Count < Slice / 2 && state.ExhaustedSecond != second)
                {
                    claim = second; // more of this second, if the others left some
                    from = SlotAt(offset) + 1;
                }
                state.Claiming = claim != null;
            }
        }
        if (claim is { } s)
        {
            _ = ClaimInBackgroundAsync(tenantKey, state, s, from);
        }
        return taken;
    }

    private async Task ClaimInBackgroundAsync(string tenantKey, State state, long second, int from)
    {
        Interlocked.Increment(ref _claiming);
        var got = BudgetSlots.None;
        try
        {
            got = await ClaimAsync(tenantKey, second, from).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _logger.LogWarning("Could not claim a share of tenant {Tenant}'s connector budget ({Reason}); its calls wait.", tenantKey, e.Message);
        }
        lock (state)
        {
            state.Claiming = false;
            if (second == state.Second)
            {
                for (var i = 0; i < got.Count; i++)
                {
                    state.Held.Enqueue(got.First + i);
                }
                if (got.Count == 0)
                {
                    state.ExhaustedSecond = second;
                }
            }
            else if (second > state.Second)
            {
                state.AheadSecond = second;
                for (var i = 0; i < got.Count; i++)
                {
                    state.Ahead.Add(got.First + i);
                }
            }
            // An older second: the slots came too late and are lost (never used, so never over).
        }
        try
        {
            Wake?.Invoke(tenantKey);
        }
        finally
        {
            Interlocked.Decrement(ref _claiming);
        }
    }

    /// <summary>
    /// Claims up to a slice of the tenant's slots of <paramref name="second"/> (Unix-epoch-based
    /// ticks / 1 s), none before slot <paramref name="from"/>; <see cref="BudgetSlots.None"/> when
    /// none is left.
    /// </summary>
    public async Task<BudgetSlots> ClaimAsync(string tenantKey, long second, int from = 0)
    {
        var partition = PartitionPrefix + TableKeys.Escape(tenantKey);
        var row = (second % 60).ToString("D2", CultureInfo.InvariantCulture);
        from = Math.Max(0, from);
        if (from >= PerSecond)
        {
            return BudgetSlots.None; // the second's last slot is running
        }
        for (var attempt = 0; attempt < 8; attempt++)
        {
            Interlocked.Increment(ref _claims);
            var current = await _table.GetEntityIfExistsAsync<TableEntity>(partition, row).ConfigureAwait(false);
            if (!current.HasValue)
            {
                var count = Math.Min(Slice, PerSecond - from);
                try
                {
                    await _table.AddEntityAsync(Entity(partition, row, second, from + count)).ConfigureAwait(false);
                    return new BudgetSlots(from, count);
                }
                catch (RequestFailedException e) when (e.Status == 409)
                {
                    continue;
                }
            }
            var stored = current.Value!;
            var storedSecond = stored.GetInt64("Second") ?? 0;
            if (storedSecond > second)
            {
                return BudgetSlots.None; // that second is over everywhere
            }
            var taken = storedSecond == second ? stored.GetInt32("Taken") ?? 0 : 0;
            var start = Math.Max(taken, from);
            var give = Math.Min(Slice, PerSecond - start);
            if (give <= 0)
            {
                return BudgetSlots.None;
            }
            try
            {
                await _table.UpdateEntityAsync(Entity(partition, row, second, start + give), stored.ETag, TableUpdateMode.Replace).ConfigureAwait(false);
                return new BudgetSlots(start, give);
            }
            catch (RequestFailedException e) when (e.Status is 412 or 404)
            {
                // Another instance claimed meanwhile: read again.
            }
        }
        return BudgetSlots.None;
    }

    private static TableEntity Entity(string partition, string row, long second, int taken) => new(partition, row)
    {
        ["Second"] = second,
        ["Taken"] = taken,
    };

    private sealed class State
    {
        public long Second { get; set; } = -1;

        /// <summary>This instance's slots of <see cref="Second"/>, in order.</summary>
        public Queue<int> Held { get; } = new();

        public long AheadSecond { get; set; }

        public List<int> Ahead { get; } = [];

        public long ExhaustedSecond { get; set; } = -1;

        public bool Claiming { get; set; }
    }
}

/// <summary>Slots <see cref="First"/> to <see cref="First"/> + <see cref="Count"/> − 1 of a second of a tenant's shared budget.</summary>
public readonly record struct BudgetSlots(int First, int Count)
{
    public static BudgetSlots None => new(0, 0);
}
