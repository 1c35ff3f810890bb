using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.Meetings.Tests.Support;

/// <summary>
/// One bot for a meetings test class (an xunit class fixture: <c>IClassFixture&lt;MeetingsBot&gt;</c>),
/// on <see cref="SharedFeatureHost"/>. The office bootstrap admin (<see cref="MeetingsHost.Office"/>)
/// is named per tenant in the bot's settings (<c>ChatRegs:Bootstrap:OfficeAdmins:{tenant}</c>), fixed
/// when it starts: it lists <see cref="Tenants"/> and each test takes the next one, so every test
/// still has a tenant of its own (<see cref="MeetingsHost.TenantId"/>).
/// </summary>
public sealed class MeetingsBot : IAsyncLifetime
{
    /// <summary>The tenants the bot serves, one per test (more than a class has tests).</summary>
    public static readonly IReadOnlyList<string> Tenants = Enumerable.Range(1, 60).Select(i => $"tenant-meetings-{i}").ToList();

    private readonly SharedFeatureHost _bot = new();
    private int _next;

    /// <summary>
    /// A fresh tenant of <see cref="Tenants"/> on the class's bot, its clock at <paramref name="now"/>
    /// (<see cref="MeetingsHost.Start"/> unless given); <paramref name="configure"/> is the class's, used
    /// when the first test starts the bot.
    /// </summary>
    public async Task<MeetingsHost> StartAsync(DateTimeOffset? now = null, Action<IServiceCollection>? configure = null)
    {
        var i = Interlocked.Increment(ref _next) - 1;
        if (i >= Tenants.Count)
        {
            throw new InvalidOperationException($"More tests than the {Tenants.Count} tenants MeetingsBot lists: list more.");
        }
        return new MeetingsHost(await _bot.StartAsync(now ?? MeetingsHost.Start, MeetingsHost.Settings(Tenants), configure, Tenants[i]));
    }

    public Task InitializeAsync() => _bot.InitializeAsync();

    public Task DisposeAsync() => _bot.DisposeAsync();
}
