using ChatRegs.Bot.Proactive;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

using Xunit;

namespace ChatRegs.TestSupport;

/// <summary>
/// One bot behind the TestAdapter for a whole test class (an xunit class fixture:
/// <c>class FooTests(SharedFeatureHost bot) : IClassFixture&lt;SharedFeatureHost&gt;</c>), instead of
/// a <see cref="FeatureHost"/> of its own for every test. <see cref="StartAsync"/> starts the bot
/// the first time and gives every test a fresh tenant, a clock of its own
/// (<see cref="SwitchableClock"/>), a fresh <see cref="TeamsConnector"/> and an empty log. The
/// same limits as <see cref="SharedHttpHost"/>: one configuration per class, <c>configure</c>
/// runs once, no test that reads another tenant's rows or needs the bot's background timers.
/// </summary>
public sealed class SharedFeatureHost : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SwitchableConnector _connector = new();
    private SwitchableClock? _clock;
    private BotTestHost? _bot;
    private string _settings = "";

    /// <summary>How many tests this bot served (one start for all of them).</summary>
    public int Tenants { get; private set; }

    /// <summary>A fresh tenant on the class's bot, its clock at <paramref name="now"/>; starts the bot the first time.</summary>
    public async Task<FeatureHost> StartAsync(DateTimeOffset now, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        await _gate.WaitAsync();
        try
        {
            var clock = new FakeTimeProvider(now);
            var connector = new TeamsConnector();
            if (_bot == null)
            {
                _clock = new SwitchableClock(clock);
                _settings = SharedBots.Key(settings);
                _bot = await BotTestHost.StartAsync(settings, configure: services =>
                {
                    services.AddSingleton<TimeProvider>(_clock);
                    services.AddHttpClient(ProactiveOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _connector);
                    configure?.Invoke(services);
                });
            }
            else
            {
                SharedBots.SameSettings(_settings, settings);
                await SharedBots.EmptyTablesAsync(_bot.Services);
            }
            _clock!.Current = clock;
            _connector.Current = connector;
            _bot.Logs.Clear();
            Tenants++;
            return FeatureHost.Share(_bot, SharedBots.NewTenant(), clock, connector);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Called by xunit when the class's tests are done: the bot's tables go, the bot stops.</summary>
    public async Task DisposeAsync()
    {
        if (_bot != null)
        {
            await _bot.DisposeAsync();
        }
    }
}
