using Azure.Data.Tables;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Storage;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

using Xunit;

namespace ChatRegs.TestSupport;

/// <summary>
/// One bot over HTTP for a whole test class (an xunit class fixture:
/// <c>class FooTests(SharedHttpHost bot) : IClassFixture&lt;SharedHttpHost&gt;</c>), instead of an
/// <see cref="HttpFeatureHost"/> of its own for every test: starting one (the web app, its DI and
/// its 17 tables on Azurite) costs about a second and more on a loaded machine.
/// <see cref="StartAsync"/> starts the bot the first time and gives every test a fresh tenant, a
/// clock of its own (<see cref="SwitchableClock"/>: any start time, even one earlier than the last
/// test's), a fresh <see cref="TeamsConnector"/> and an empty log, so tests cannot see each
/// other's people, records, messages or errors. xunit runs the tests of one class one after the
/// other, never two at once on this bot.
/// <para>
/// Not for a test that changes the bot's settings or services per test (they are those of the
/// first start: a later call with other settings throws; <c>configure</c> runs once, so read what
/// it installed from the services, e.g. <c>host.Get&lt;StorageFaults&gt;()</c>, and reset it), reads
/// a table across tenants expecting only its own rows, or needs the bot's background timers.
/// </para>
/// </summary>
public sealed class SharedHttpHost : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SwitchableConnector _connector = new();
    private SwitchableClock? _clock;
    private BotFactory? _factory;
    private WebApplicationFactory<Program>? _app;
    private HttpClient? _client;
    private string _settings = "";
    private readonly HashSet<string> _tenants = new(StringComparer.Ordinal);

    /// <summary>How many tests this bot served (one start for all of them).</summary>
    public int Tenants { get; private set; }

    /// <summary>
    /// A fresh tenant on the class's bot, its clock at <paramref name="now"/>; starts the bot the
    /// first time (the job runner off, as <see cref="HttpFeatureHost.StartAsync"/>). A class whose
    /// settings must name the tenants (an allow-list) lists a tenant per test and passes each test's
    /// <paramref name="tenant"/>; none of them may serve two tests.
    /// </summary>
    public async Task<HttpFeatureHost> StartAsync(DateTimeOffset now, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null, string? tenant = null)
    {
        await _gate.WaitAsync();
        try
        {
            var clock = new FakeTimeProvider(now);
            var connector = new TeamsConnector();
            if (_app == null)
            {
                _clock = new SwitchableClock(clock);
                _settings = SharedBots.Key(settings);
                var values = new Dictionary<string, string?> { ["ChatRegs:Jobs:RunnerEnabled"] = "false" };
                foreach (var (k, v) in settings ?? [])
                {
                    values[k] = v;
                }
                _factory = new BotFactory(values);
                _app = _factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
                {
                    services.AddSingleton<TimeProvider>(_clock);
                    services.AddHttpClient(ProactiveOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _connector);
                    configure?.Invoke(services);
                }));
                _client = _app.CreateClient();
                var tables = _app.Services.GetRequiredService<TableServiceClient>();
                foreach (var table in _app.Services.GetRequiredService<TableNames>().All)
                {
                    await tables.CreateTableIfNotExistsAsync(table);
                }
            }
            else
            {
                SharedBots.SameSettings(_settings, settings);
                await SharedBots.EmptyTablesAsync(_app.Services);
            }
            _clock!.Current = clock;
            _connector.Current = connector;
            _factory!.Logs.Clear();
            Tenants++;
            if (tenant != null && !_tenants.Add(tenant))
            {
                throw new InvalidOperationException($"The tenant {tenant} already served a test of this class: give each test a tenant of its own.");
            }
            return HttpFeatureHost.Share(tenant ?? SharedBots.NewTenant(), _factory, _app, _client!, clock, connector);
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
        if (_app == null)
        {
            return;
        }
        var tables = _app.Services.GetRequiredService<TableServiceClient>();
        foreach (var table in _app.Services.GetRequiredService<TableNames>().All)
        {
            try { await tables.DeleteTableAsync(table); } catch { /* best effort */ }
        }
        _client!.Dispose();
        await _app.DisposeAsync();
        await _factory!.DisposeAsync();
    }
}
