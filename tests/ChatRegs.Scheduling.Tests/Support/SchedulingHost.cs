using System.Diagnostics;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Scheduling;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatRegs.Scheduling.Tests.Support;

/// <summary>
/// The bot's real DI registrations (<see cref="BotTestHost"/>: AddChatRegs, which calls
/// AddScheduling, on Azurite with tables of its own), a fake clock shared by everything, and the
/// rate-limit-enforcing <see cref="FakeConnector"/> behind the connector's HttpClient. Two hosts
/// given the same table prefix (and clock) are two bot instances on one storage.
/// </summary>
public sealed class SchedulingHost : IAsyncDisposable
{
    private SchedulingHost(BotTestHost bot, FakeTimeProvider clock, FakeConnector connector)
    {
        Bot = bot;
        Clock = clock;
        Connector = connector;
    }

    public BotTestHost Bot { get; }

    public ServiceProvider Services => Bot.Services;

    public string TablePrefix => Bot.TablePrefix;

    public FakeTimeProvider Clock { get; }

    public FakeConnector Connector { get; }

    public JobScheduler Scheduler => Services.GetRequiredService<JobScheduler>();

    public JobRunner Runner => Services.GetRequiredService<JobRunner>();

    public JobStore Store => Services.GetRequiredService<JobStore>();

    public ProactiveSender Sender => Services.GetRequiredService<ProactiveSender>();

    public ConnectorRateLimiter Limiter => Services.GetRequiredService<ConnectorRateLimiter>();

    public static async Task<SchedulingHost> StartAsync(
        FakeTimeProvider? clock = null,
        Dictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null,
        string? tablePrefix = null,
        FakeConnector? connector = null)
    {
        clock ??= new FakeTimeProvider(new DateTimeOffset(2026, 6, 28, 0, 0, 0, FeatureHost.Shanghai));
        connector ??= new FakeConnector(clock);
        var bot = await BotTestHost.StartAsync(settings, tablePrefix ?? "S" + Guid.NewGuid().ToString("N")[..12], services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddHttpClient(ProactiveOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => connector);
            configure?.Invoke(services);
        });
        return new SchedulingHost(bot, clock, connector);
    }

    /// <summary>Records a conversation (and its sender) as the bot does on every turn.</summary>
    public Task RememberConversationAsync(string tenantId, string conversationId, string userId, string conversationType = "groupChat", string? locale = null) =>
        BotSeed.KnowChatAsync(Services, tenantId, conversationId, userId, "王小明", conversationType, locale);

    /// <summary>
    /// Advances the fake clock in steps until <paramref name="work"/> completes (or the fake
    /// time limit passes). FakeTimeProvider fires a timer with the clock already at the end of
    /// the step, so a step is the resolution of every measured time.
    /// </summary>
    public async Task DriveAsync(Task work, TimeSpan step, TimeSpan limit)
    {
        var end = Clock.GetUtcNow() + limit;
        var real = Stopwatch.StartNew();
        var sinceYield = TimeSpan.Zero;
        while (!work.IsCompleted)
        {
            if (Clock.GetUtcNow() > end || real.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"Still running after {limit} of fake time ({real.Elapsed} real).");
            }
            Clock.Advance(step);
            sinceYield += step;
            if (sinceYield >= TimeSpan.FromMilliseconds(100))
            {
                // Let work that continues off the clock's thread (storage calls, retries) catch up.
                sinceYield = TimeSpan.Zero;
                await Task.Delay(1);
            }
        }
        await work;
    }

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var real = Stopwatch.StartNew();
        while (!condition())
        {
            if (real.Elapsed > (timeout ?? TimeSpan.FromSeconds(30)))
            {
                throw new TimeoutException("The condition did not become true in time.");
            }
            await Task.Delay(2);
        }
    }

    /// <summary>Deletes the tables (best effort: another host on the same prefix may have done it).</summary>
    public ValueTask DisposeAsync() => Bot.DisposeAsync();
}

/// <summary>A job handler that records its runs (with the fake time) and can be told to fail or wait.</summary>
public sealed class RecordingHandler(string kind, TimeProvider clock) : IJobHandler
{
    private readonly List<(Job Job, DateTimeOffset At)> _runs = [];

    public string Kind { get; } = kind;

    /// <summary>Runs before the run is recorded as successful; throw to fail it.</summary>
    public Func<Job, CancellationToken, Task>? Behavior { get; set; }

    public IReadOnlyList<(Job Job, DateTimeOffset At)> Runs
    {
        get { lock (_runs) { return _runs.ToList(); } }
    }

    public int Attempts;

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Attempts);
        var at = clock.GetUtcNow();
        if (Behavior != null)
        {
            await Behavior(job, cancellationToken);
        }
        lock (_runs)
        {
            _runs.Add((job, at));
        }
    }
}
