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
/// less <see cref="ProactiveOptions.SharedBudgetHeadroom"/> (for clocks and network delays).
/// An instance that has calls waiting claims a slice of it — half the budget at most — by an
/// ETag-conditional update of the tenant's row for that second (Jobs table, PartitionKey
/// <c>budget|{tenant}</c>, RowKey the second of the minute, 00–59, reused every minute:
/// <c>Second</c>, <c>Taken</c>), so however many instances claim, the slices of one second
/// never add up to more than the budget. <see cref="ConnectorRateLimiter"/> lets a call go
/// only on a token of the current second (and still paces within it); when the slice runs low
/// it claims more, and the next second's slice ahead of time. A slice not used is lost, never
/// borrowed. Instances must keep their clocks in step (NTP); a second of skew shifts, not
/// exceeds, the budget only when each instance stays within its own slices.
/// </para>
/// </summary>
public sealed class SharedTenantBudget
{
    public const string PartitionPrefix = "budget|";

    private readonly TableClient _table;
    private readonly ILogger<SharedTenantBudget> _logger;
    private readonly ConcurrentDictionary<string, State> _tenants = new(StringComparer.Ordinal);
    private long _claims;

    public SharedTenantBudget(TableClient table, ProactiveOptions options, ILogger<SharedTenantBudget> logger)
    {
        _table = table;
        _logger = logger;
        PerSecond = Math.Max(1, (int)Math.Floor(options.PerTenantPerSecond * (1 - Math.Clamp(options.SharedBudgetHeadroom, 0, 0.5))));
        Slice = Math.Max(1, (PerSecond + 1) / 2);
    }

    /// <summary>What all instances together may send to one tenant in one second.</summary>
    public int PerSecond { get; }

    /// <summary>The most one claim takes.</summary>
    public int Slice { get; }

    /// <summary>Slices claimed in storage so far (each cost a read and a write).</summary>
    public long Claims => Interlocked.Read(ref _claims);

    /// <summary>Called (outside any lock) when a claim for the tenant finished: the limiter tries again.</summary>
    public Action<string>? Wake { get; set; }

    /// <summary>
    /// Takes a token of the current second (<paramref name="nowTicks"/>, UTC ticks) when this
    /// instance holds one; otherwise starts a claim and says when to look again at the latest.
    /// </summary>
    public bool TryTake(string tenantKey, long nowTicks, out long retryAtTicks)
    {
        var second = nowTicks / TimeSpan.TicksPerSecond;
        retryAtTicks = (second + 1) * TimeSpan.TicksPerSecond;
        var state = _tenants.GetOrAdd(tenantKey, _ => new State());
        long? claim = null;
        bool taken;
        lock (state)
        {
            if (state.Second != second)
            {
                state.Tokens = state.AheadSecond == second ? state.AheadTokens : 0;
                state.Second = second;
                state.AheadSecond = 0;
                state.AheadTokens = 0;
            }
            taken = state.Tokens > 0;
            if (taken)
            {
                state.Tokens--;
            }
            if (!state.Claiming)
            {
                if (state.Tokens == 0 && !taken && state.ExhaustedSecond != second)
                {
                    claim = second; // nothing in hand: this second first
                }
                else if (state.AheadSecond != second + 1)
                {
                    claim = second + 1; // the next second's slice, ready when it starts
                }
                else if (state.Tokens < Slice / 2 && state.ExhaustedSecond != second)
                {
                    claim = second; // more of this second, if the others left some
                }
                state.Claiming = claim != null;
            }
        }
        if (claim is { } s)
        {
            _ = ClaimInBackgroundAsync(tenantKey, state, s);
        }
        return taken;
    }

    private async Task ClaimInBackgroundAsync(string tenantKey, State state, long second)
    {
        var got = 0;
        try
        {
            got = await ClaimAsync(tenantKey, second).ConfigureAwait(false);
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
                state.Tokens += got;
                if (got == 0)
                {
                    state.ExhaustedSecond = second;
                }
            }
            else if (second > state.Second)
            {
                state.AheadSecond = second;
                state.AheadTokens += got;
            }
            // An older second: the slice came too late and is lost (never used, so never over).
        }
        Wake?.Invoke(tenantKey);
    }

    /// <summary>Claims up to a slice of the tenant's budget for <paramref name="second"/> (Unix-epoch-based ticks / 1 s); 0 when none is left.</summary>
    public async Task<int> ClaimAsync(string tenantKey, long second)
    {
        var partition = PartitionPrefix + TableKeys.Escape(tenantKey);
        var row = (second % 60).ToString("D2", CultureInfo.InvariantCulture);
        for (var attempt = 0; attempt < 8; attempt++)
        {
            Interlocked.Increment(ref _claims);
            var current = await _table.GetEntityIfExistsAsync<TableEntity>(partition, row).ConfigureAwait(false);
            if (!current.HasValue)
            {
                try
                {
                    await _table.AddEntityAsync(Entity(partition, row, second, Slice)).ConfigureAwait(false);
                    return Slice;
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
                return 0; // that second is over everywhere
            }
            var taken = storedSecond == second ? stored.GetInt32("Taken") ?? 0 : 0;
            var give = Math.Min(Slice, PerSecond - taken);
            if (give <= 0)
            {
                return 0;
            }
            try
            {
                await _table.UpdateEntityAsync(Entity(partition, row, second, taken + give), stored.ETag, TableUpdateMode.Replace).ConfigureAwait(false);
                return give;
            }
            catch (RequestFailedException e) when (e.Status is 412 or 404)
            {
                // Another instance claimed meanwhile: read again.
            }
        }
        return 0;
    }

    private static TableEntity Entity(string partition, string row, long second, int taken) => new(partition, row)
    {
        ["Second"] = second,
        ["Taken"] = taken,
    };

    private sealed class State
    {
        public long Second { get; set; } = -1;

        public int Tokens { get; set; }

        public long AheadSecond { get; set; }

        public int AheadTokens { get; set; }

        public long ExhaustedSecond { get; set; } = -1;

        public bool Claiming { get; set; }
    }
}
