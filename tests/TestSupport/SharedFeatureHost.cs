using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

using Xunit;

namespace ChatRegs.TestSupport;

/// <summary>
/// One bot behind the TestAdapter for a whole test class (an xunit class fixture:
/// <c>class FooTests(SharedFeatureHost bot) : IClassFixture&lt;SharedFeatureHost&gt;</c>), instead of
/// a <see cref="FeatureHost"/> of its own for every test. <see cref="SharedBotFixture{THost}.StartAsync"/> starts the bot
/// the first time and gives every test a fresh tenant, a clock of its own
/// (<see cref="SwitchableClock"/>), a fresh <see cref="TeamsConnector"/> and an empty log. The
/// same limits as <see cref="SharedHttpHost"/>: one configuration per class, <c>configure</c>
/// runs once, no test that reads another tenant's rows or needs the bot's background timers.
/// </summary>
public sealed class SharedFeatureHost : SharedBotFixture<FeatureHost>
{
    private BotTestHost? _bot;

    protected override async Task StartBotAsync(Dictionary<string, string?>? settings, Action<IServiceCollection> configure) =>
        _bot = await BotTestHost.StartAsync(settings, configure: configure);

    protected override IServiceProvider BotServices => _bot!.Services;

    protected override ListLogger BotLogs => _bot!.Logs;

    protected override FeatureHost Share(string tenant, FakeTimeProvider clock, TeamsConnector connector) => FeatureHost.Share(_bot!, tenant, clock, connector);

    public override async Task DisposeAsync()
    {
        if (_bot != null)
        {
            await _bot.DisposeAsync();
        }
    }
}
