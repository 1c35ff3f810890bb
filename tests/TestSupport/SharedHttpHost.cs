using Azure.Data.Tables;
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
/// <see cref="SharedBotFixture{THost}.StartAsync"/> starts the bot the first time and gives every test a fresh tenant, a
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
public sealed class SharedHttpHost : SharedBotFixture<HttpFeatureHost>
{
    private BotFactory? _factory;
    private WebApplicationFactory<Program>? _app;
    private HttpClient? _client;

    /// <summary>The web app (the job runner off, as <see cref="HttpFeatureHost.StartAsync"/>) and its tables.</summary>
    protected override async Task StartBotAsync(Dictionary<string, string?>? settings, Action<IServiceCollection> configure)
    {
        var values = new Dictionary<string, string?> { ["ChatRegs:Jobs:RunnerEnabled"] = "false" };
        foreach (var (k, v) in settings ?? [])
        {
            values[k] = v;
        }
        _factory = new BotFactory(values);
        _app = _factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(configure));
        _client = _app.CreateClient();
        var tables = _app.Services.GetRequiredService<TableServiceClient>();
        foreach (var table in _app.Services.GetRequiredService<TableNames>().All)
        {
            await tables.CreateTableIfNotExistsAsync(table);
        }
    }

    protected override IServiceProvider BotServices => _app!.Services;

    protected override ListLogger BotLogs => _factory!.Logs;

    protected override HttpFeatureHost Share(string tenant, FakeTimeProvider clock, TeamsConnector connector) =>
        HttpFeatureHost.Share(tenant, _factory!, _app!, _client!, clock, connector);

    public override async Task DisposeAsync()
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
