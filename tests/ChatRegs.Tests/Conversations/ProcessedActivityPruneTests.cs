using ChatRegs.Bot.Conversations;
using ChatRegs.TestSupport;

namespace ChatRegs.Tests.Conversations;

/// <summary>The redelivery guard's rows are kept two days, then pruned; a pruned id is no longer a redelivery.</summary>
public sealed class ProcessedActivityPruneTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, FeatureHost.Shanghai);

    [Fact]
    public async Task Rows_older_than_the_cutoff_are_deleted_and_newer_ones_kept()
    {
        await using var host = await FeatureHost.StartAsync("tenant-prune", Now);
        var store = host.Get<ProcessedActivityStore>();
        Assert.True((await store.ClaimAsync("tenant-prune", "a:1", "old", Now.AddDays(-3), default)).IsWritten);
        Assert.True((await store.ClaimAsync("tenant-prune", "a:1", "new", Now.AddHours(-1), default)).IsWritten);

        Assert.Equal(1, await new ProcessedActivityPruner(store, host.Get<TimeProvider>(), Microsoft.Extensions.Logging.Abstractions.NullLogger<ProcessedActivityPruner>.Instance).PruneAsync(default));

        Assert.True((await store.ClaimAsync("tenant-prune", "a:1", "old", Now, default)).IsWritten);
        Assert.True((await store.ClaimAsync("tenant-prune", "a:1", "new", Now, default)).IsAlreadyExisting);
    }
}
