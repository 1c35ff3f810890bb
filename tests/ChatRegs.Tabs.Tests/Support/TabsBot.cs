using ChatRegs.TestSupport;

namespace ChatRegs.Tabs.Tests.Support;

/// <summary>
/// One bot for a tab test class (an xunit class fixture: <c>IClassFixture&lt;TabsBot&gt;</c>), on
/// <see cref="SharedHttpHost"/>. The tab refuses a token of a tenant not in
/// <c>ChatRegs:AllowedTenants</c>, and the list is the bot's settings, fixed when it starts: it lists
/// <see cref="Tenants"/> (and <see cref="TabsHost.OtherTenant"/>), and each test takes the next one,
/// so every test still has a tenant of its own.
/// </summary>
public sealed class TabsBot : IAsyncLifetime
{
    /// <summary>The tenants the bot serves, one per test (more than a class has tests).</summary>
    public static readonly IReadOnlyList<string> Tenants = Enumerable.Range(1, 80).Select(i => $"tenant-tabs-{i}").ToList();

    private readonly SharedHttpHost _bot = new();
    private int _next;

    /// <summary>A fresh tenant of <see cref="Tenants"/> on the class's bot, its clock at <paramref name="now"/>.</summary>
    public Task<HttpFeatureHost> StartAsync(DateTimeOffset now)
    {
        var i = Interlocked.Increment(ref _next) - 1;
        if (i >= Tenants.Count)
        {
            throw new InvalidOperationException($"More tests than the {Tenants.Count} tenants TabsBot lists: list more.");
        }
        return _bot.StartAsync(now, TabsHost.Settings(Tenants), tenant: Tenants[i]);
    }

    public Task InitializeAsync() => _bot.InitializeAsync();

    public Task DisposeAsync() => _bot.DisposeAsync();
}
