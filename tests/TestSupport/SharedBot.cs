using Azure.Data.Tables;
using ChatRegs.Bot.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace ChatRegs.TestSupport;

/// <summary>
/// The clock a shared bot (<see cref="SharedHttpHost"/>, <see cref="SharedFeatureHost"/>) is built
/// with: it reads the current test's <see cref="FakeTimeProvider"/>, so each test starts its own
/// clock wherever it wants (a <see cref="FakeTimeProvider"/> cannot go back in time, and the tests
/// of a class often start at the same moment). Timers are made on the clock that is current when
/// they are made: one a background service started with the bot stays on the first test's clock,
/// so a test that needs the bot's own background timers (not the job runner, which the tests poll)
/// starts a host of its own.
/// </summary>
public sealed class SwitchableClock(FakeTimeProvider first) : TimeProvider
{
    private FakeTimeProvider _current = first;

    /// <summary>The clock of the test running now.</summary>
    public FakeTimeProvider Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    public override DateTimeOffset GetUtcNow() => Current.GetUtcNow();

    public override long GetTimestamp() => Current.GetTimestamp();

    public override long TimestampFrequency => Current.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Current.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        Current.CreateTimer(callback, state, dueTime, period);
}

/// <summary>
/// An HTTP handler a shared bot keeps for its life (the client factory keeps the first primary
/// handler it is given) while each test gets its own: forwards every call to <see cref="Current"/>.
/// </summary>
public class SwitchableHandler<T>(T first) : HttpMessageHandler where T : HttpMessageHandler
{
    private T _current = first;

    /// <summary>The handler of the test running now.</summary>
    public T Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        new HttpMessageInvoker(Current, disposeHandler: false).SendAsync(request, cancellationToken);
}

/// <summary>
/// Teams' connector as a shared bot's proactive HttpClient sees it: each test gets a fresh
/// <see cref="TeamsConnector"/> (no calls recorded, no refusals, message ids from "m-1").
/// </summary>
public sealed class SwitchableConnector() : SwitchableHandler<TeamsConnector>(new TeamsConnector());

/// <summary>What the shared hosts have in common: one configuration per bot, a fresh tenant per test.</summary>
public static class SharedBots
{
    /// <summary>A tenant id no other test uses.</summary>
    public static string NewTenant() => "tenant-" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>The settings as one comparable string (a shared bot runs with one configuration).</summary>
    public static string Key(Dictionary<string, string?>? settings) =>
        string.Join("\n", (settings ?? []).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value));

    /// <summary>
    /// Deletes every row of the bot's tables (the tables stay): the next test finds no record of
    /// the last one. Its tenant is new anyway, but not everything is partitioned by tenant: the
    /// SDK's conversation and user state (BotState) is keyed by the channel's conversation and user
    /// ids, which the next test may use again, and the job runner polls the due jobs of every tenant.
    /// </summary>
    public static async Task EmptyTablesAsync(IServiceProvider services)
    {
        var tables = services.GetRequiredService<TableServiceClient>();
        await Task.WhenAll(services.GetRequiredService<TableNames>().All.Select(async name =>
        {
            var table = tables.GetTableClient(name);
            var rows = new List<TableEntity>();
            await foreach (var row in table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"]))
            {
                rows.Add(row);
            }
            foreach (var partition in rows.GroupBy(r => r.PartitionKey))
            {
                foreach (var chunk in partition.Chunk(100))
                {
                    try
                    {
                        await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, Azure.ETag.All)));
                    }
                    catch (Azure.RequestFailedException)
                    {
                        // a row went meanwhile (a late write of the last test's): one by one
                        foreach (var row in chunk)
                        {
                            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey);
                        }
                    }
                }
            }
        }));
    }

    public static void SameSettings(string started, Dictionary<string, string?>? settings)
    {
        if (started != Key(settings))
        {
            throw new InvalidOperationException(
                "A shared bot runs with the settings it was started with; these differ:\n" + started + "\n---\n" + Key(settings) +
                "\nStart a host of its own for a test that needs other settings.");
        }
    }
}

/// <summary>
/// What <see cref="SharedHttpHost"/> and <see cref="SharedFeatureHost"/> share: one bot per test
/// class, started by the first test; each <see cref="StartAsync"/> gives the test a fresh tenant (or
/// the one it names), empty tables, a clock of its own, a fresh <see cref="TeamsConnector"/> and an
/// empty log. xunit runs the tests of one class one after the other; the gate keeps a second start
/// from overlapping anyway.
/// </summary>
public abstract class SharedBotFixture<THost> : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SwitchableConnector _connector = new();
    private readonly HashSet<string> _tenants = new(StringComparer.Ordinal);
    private SwitchableClock? _clock;
    private string _settings = "";
    private bool _started;

    /// <summary>How many tests this bot served (one start for all of them).</summary>
    public int Tenants { get; private set; }

    /// <summary>
    /// A fresh tenant on the class's bot, its clock at <paramref name="now"/>; starts the bot the
    /// first time with <paramref name="settings"/> and <paramref name="configure"/> (later calls must
    /// pass the same settings; <c>configure</c> runs once). A class whose settings must name the
    /// tenants (an allow-list) lists a tenant per test and passes each test's <paramref name="tenant"/>;
    /// none of them may serve two tests.
    /// </summary>
    public async Task<THost> StartAsync(DateTimeOffset now, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null, string? tenant = null)
    {
        await _gate.WaitAsync();
        try
        {
            var clock = new FakeTimeProvider(now);
            var connector = new TeamsConnector();
            if (!_started)
            {
                _clock = new SwitchableClock(clock);
                _settings = SharedBots.Key(settings);
                await StartBotAsync(settings, services =>
                {
                    services.AddSingleton<TimeProvider>(_clock);
                    services.AddHttpClient(Bot.Proactive.ProactiveOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _connector);
                    configure?.Invoke(services);
                });
                _started = true;
            }
            else
            {
                SharedBots.SameSettings(_settings, settings);
                await SharedBots.EmptyTablesAsync(BotServices);
            }
            if (tenant != null && !_tenants.Add(tenant))
            {
                throw new InvalidOperationException($"The tenant {tenant} already served a test of this class: give each test a tenant of its own.");
            }
            _clock!.Current = clock;
            _connector.Current = connector;
            BotLogs.Clear();
            Tenants++;
            return Share(tenant ?? SharedBots.NewTenant(), clock, connector);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Starts the bot (and creates its tables) with the settings and the services of the first test.</summary>
    protected abstract Task StartBotAsync(Dictionary<string, string?>? settings, Action<IServiceCollection> configure);

    /// <summary>The running bot's services.</summary>
    protected abstract IServiceProvider BotServices { get; }

    /// <summary>The running bot's log.</summary>
    protected abstract ListLogger BotLogs { get; }

    /// <summary>A test's view of the running bot: its tenant, clock and connector; disposing it leaves the bot running.</summary>
    protected abstract THost Share(string tenant, FakeTimeProvider clock, TeamsConnector connector);

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Called by xunit when the class's tests are done: the bot's tables go, the bot stops.</summary>
    public abstract Task DisposeAsync();
}
