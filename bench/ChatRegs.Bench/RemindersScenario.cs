using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Diagnostics;
using ChatRegs.Bot.Hosting;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Scheduling;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Bot.Schema.Teams;

using Activity = Microsoft.Bot.Schema.Activity;

namespace ChatRegs.Bench;

/// <summary>
/// Friday reminders: M people, each with a 1:1 chat the bot recorded, get one reminder each,
/// through the jobs engine (M jobs due now, run by <see cref="JobRunner"/>) and
/// <see cref="ProactiveSender"/>, against <see cref="FakeTeamsConnector"/> on loopback. The
/// bot runs in this process with its real registrations (AddChatRegs, as the tests'
/// BotTestHost does) on Azurite; Teams' limits and the bot's pacing are scaled by the same factor.
/// </summary>
/// With <c>instances</c> 2, two runners (two sets of the bot's registrations, as two instances
/// would have) share the Jobs table and the tenant's budget (ChatRegs:Proactive:ShareTenantBudget),
/// against one fake connector that counts and limits per tenant across both.
public sealed class RemindersScenario(BenchOptions options, string storage, string tablePrefix, string logPath, int instances = 1)
{
    public const string Tenant = "bench-tenant";

    public async Task<ReminderResult> RunAsync(CancellationToken cancellationToken)
    {
        var perConversation = 7 * options.Scale;
        var perTenant = 50 * options.Scale;
        await using var connector = await FakeTeamsConnector.StartAsync((int)Math.Round(perConversation), (int)Math.Round(perTenant)).ConfigureAwait(false);

        var jobConcurrency = options.EffectiveJobConcurrency;
        var settings = new Dictionary<string, string?>
        {
            ["MicrosoftAppId"] = "",
            ["ChatRegs:Storage:ConnectionString"] = storage,
            ["ChatRegs:Storage:TablePrefix"] = tablePrefix,
            [StorageDiagnostics.Switch] = "true",
            ["ChatRegs:Proactive:PerConversationPerSecond"] = perConversation.ToString(CultureInfo.InvariantCulture),
            ["ChatRegs:Proactive:PerTenantPerSecond"] = perTenant.ToString(CultureInfo.InvariantCulture),
            // The runner's defaults (4 at once, 100 a poll) scaled like the limits: otherwise this
            // measures the runner against limits 20 times Teams', not the pacing.
            ["ChatRegs:Jobs:MaxConcurrency"] = jobConcurrency.ToString(CultureInfo.InvariantCulture),
            ["ChatRegs:Jobs:BatchSize"] = BatchSize(jobConcurrency).ToString(CultureInfo.InvariantCulture),
            ["ChatRegs:Jobs:PollInterval"] = "00:00:00.250",
            // Retries come sooner by the same factor (30 s and 30 min by default).
            ["ChatRegs:Jobs:RetryBaseDelay"] = TimeSpan.FromSeconds(30 / options.Scale).ToString("c", CultureInfo.InvariantCulture),
            ["ChatRegs:Jobs:RetryMaxDelay"] = TimeSpan.FromMinutes(30 / options.Scale).ToString("c", CultureInfo.InvariantCulture),
        };
        if (instances > 1)
        {
            settings["ChatRegs:Proactive:ShareTenantBudget"] = "true";
        }
        using var logFile = new FileLoggerProvider(logPath, LogLevel.Warning);
        var tally = new ReminderTally();
        var providers = new List<ServiceProvider>();
        for (var n = 0; n < instances; n++)
        {
            settings["ChatRegs:Jobs:InstanceId"] = $"bench-{n + 1}";
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            var services = new ServiceCollection();
            services.AddLogging(b => b.AddProvider(logFile).SetMinimumLevel(LogLevel.Warning));
            services.AddSingleton<IConfiguration>(configuration);
            services.AddChatRegs(configuration);
            services.AddSingleton(tally);
            services.AddSingleton<IJobHandler, BenchReminderHandler>();
            providers.Add(services.BuildServiceProvider());
        }
        try
        {
            return await RunAsync(providers, connector, logFile, tally, jobConcurrency, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var p in providers)
            {
                await p.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task<ReminderResult> RunAsync(List<ServiceProvider> providers, FakeTeamsConnector connector, FileLoggerProvider logFile, ReminderTally tally, int jobConcurrency, CancellationToken cancellationToken)
    {
        var provider = providers[0];
        var tableService = provider.GetRequiredService<TableServiceClient>();
        var names = provider.GetRequiredService<TableNames>();
        foreach (var table in names.All)
        {
            await tableService.CreateTableIfNotExistsAsync(table, cancellationToken).ConfigureAwait(false);
        }

        // People with a 1:1 chat the bot recorded (as their first message to the bot did),
        // written by a store of its own so the bot starts with cold caches, as after a restart.
        Console.Error.WriteLine($"  reminders: recording {options.Reminders:N0} people's 1:1 chats and scheduling {options.Reminders:N0} jobs…");
        var seeding = Stopwatch.StartNew();
        var seedReferences = new ConversationReferenceStore(tableService.GetTableClient(names.ConversationReferences));
        var scheduler = provider.GetRequiredService<JobScheduler>();
        var due = DateTimeOffset.UtcNow;
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Reminders), new ParallelOptions { MaxDegreeOfParallelism = 50, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var user = Person(i);
            await seedReferences.CaptureAsync(PersonalMessage(connector.Url, user, i), ct).ConfigureAwait(false);
            await scheduler.ScheduleAsync(Tenant, BenchReminderHandler.KindName, due, new ReminderData(user), cancellationToken: ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        var seedSeconds = seeding.Elapsed.TotalSeconds;

        // Go: the runner starts polling; every job is due.
        var counters = providers.Select(p => p.GetRequiredService<StorageRequestCounter>()).ToList();
        var storageBefore = SumOf(counters);
        var runners = providers.Select(p => p.GetRequiredService<JobRunner>()).ToList();
        var clock = Stopwatch.StartNew();
        var startedAt = Stopwatch.GetTimestamp();
        foreach (var runner in runners)
        {
            await runner.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        // Bounded wait: until every person has a message, or nothing moved for 30 s, or the
        // run's time is up (--max-minutes cancels the token).
        var deadline = options.MaxDuration;
        var lastProgress = clock.Elapsed;
        var lastCount = -1;
        var lastPrint = TimeSpan.Zero;
        // Per second of the run: calls waiting at the limiters (fewest seen; 0 = the runner did
        // not keep the pacing busy) — where the time went, in the results JSON.
        var limiters = providers.Select(p => p.GetRequiredService<ConnectorRateLimiter>()).ToList();
        var fewestWaiting = new List<int>();
        while (true)
        {
            var second = (int)clock.Elapsed.TotalSeconds;
            while (fewestWaiting.Count <= second)
            {
                fewestWaiting.Add(int.MaxValue);
            }
            fewestWaiting[second] = Math.Min(fewestWaiting[second], limiters.Sum(l => l.Waiting));
            var accepted = connector.Accepted;
            var finished = tally.Finished;
            if (accepted != lastCount)
            {
                lastCount = accepted;
                lastProgress = clock.Elapsed;
            }
            if (finished >= options.Reminders && accepted >= tally.Delivered)
            {
                break;
            }
            if (clock.Elapsed - lastProgress > TimeSpan.FromSeconds(30) || clock.Elapsed > deadline)
            {
                Console.Error.WriteLine($"  reminders: stopped waiting after {clock.Elapsed.TotalSeconds:N0} s ({accepted:N0} delivered).");
                break;
            }
            if (clock.Elapsed - lastPrint >= TimeSpan.FromSeconds(3))
            {
                lastPrint = clock.Elapsed;
                Console.Error.WriteLine($"  reminders: {accepted:N0}/{options.Reminders:N0} delivered, {connector.Throttled:N0} answered 429");
            }
            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }
        var acceptedAt = connector.AcceptedAt;
        var perSecond = new int[fewestWaiting.Count + 1];
        foreach (var at in acceptedAt)
        {
            var s = (int)Stopwatch.GetElapsedTime(startedAt, at).TotalSeconds;
            if (s >= 0 && s < perSecond.Length)
            {
                perSecond[s]++;
            }
        }
        var lastDelivery = acceptedAt.Count > 0 ? acceptedAt.Max() : Stopwatch.GetTimestamp();
        var wallSeconds = Stopwatch.GetElapsedTime(startedAt, lastDelivery).TotalSeconds;

        // The runner records each job's outcome just after its message went: let it finish
        // (read through a client of our own, so these reads are not counted as the bot's).
        var jobsView = new JobStore(new TableServiceClient(storage).GetTableClient(names.Jobs));
        for (var settle = Stopwatch.StartNew(); settle.Elapsed < TimeSpan.FromSeconds(30);)
        {
            if ((await jobsView.ListAsync(Tenant, [JobStatus.Running], cancellationToken).ConfigureAwait(false)).Count == 0)
            {
                break;
            }
            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
        var storageAfter = SumOf(counters);
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            await Task.WhenAll(runners.Select(r => r.StopAsync(stopping.Token))).ConfigureAwait(false);
        }

        // What the jobs engine thinks, and what each person received.
        var jobs = await jobsView.ListAsync(Tenant, [], cancellationToken).ConfigureAwait(false);
        var jobRetries = jobs.Sum(j => Math.Max(0, j.Attempts - 1));
        var byStatus = jobs.GroupBy(j => j.Status).ToDictionary(g => g.Key.ToString(), g => g.Count());
        var perConversationAccepted = connector.AcceptedPerConversation;
        var expectedConversations = Enumerable.Range(0, options.Reminders).Select(ConversationOf).ToList();
        var missing = expectedConversations.Count(c => !perConversationAccepted.ContainsKey(c));
        var doubled = perConversationAccepted.Values.Count(n => n > 1);
        var steady = acceptedAt.Count > 1 ? (acceptedAt.Count - 1) / Stopwatch.GetElapsedTime(acceptedAt.Min(), acceptedAt.Max()).TotalSeconds : 0;
        var delivered = perConversationAccepted.Count;

        return new ReminderResult
        {
            Instances = providers.Count,
            SharedBudget = providers.Count > 1,
            MostInAnySecond = MostInAnySecond(acceptedAt),
            BudgetClaims = providers.Count > 1 ? providers.Sum(p => p.GetRequiredService<SharedTenantBudget>().Claims) : 0,
            Reminders = options.Reminders,
            Scale = options.Scale,
            PerConversationLimit = connector.PerConversation,
            PerTenantLimit = connector.PerTenant,
            JobConcurrency = jobConcurrency,
            JobBatchSize = BatchSize(jobConcurrency),
            SeedSeconds = seedSeconds,
            Delivered = delivered,
            Retried = connector.Throttled,
            JobRetries = jobRetries,
            Failed = options.Reminders - byStatus.GetValueOrDefault(nameof(JobStatus.Done)),
            Undeliverable = tally.Undeliverable,
            HandlerErrors = tally.Errors,
            Missing = missing,
            Doubled = doubled,
            UnexpectedConnectorCalls = connector.Other,
            JobsByStatus = byStatus,
            WallSeconds = wallSeconds,
            AchievedRate = wallSeconds > 0 ? delivered / wallSeconds : 0,
            SteadyRate = steady,
            FirstMessageSeconds = acceptedAt.Count > 0 ? Stopwatch.GetElapsedTime(startedAt, acceptedAt.Min()).TotalSeconds : 0,
            AcceptedPerSecond = perSecond,
            FewestWaitingPerSecond = fewestWaiting.Select(w => w == int.MaxValue ? 0 : w).ToArray(),
            StorageRequests = storageAfter.Minus(storageBefore).WithoutPrefix(tablePrefix),
            ErrorsLogged = logFile.Errors,
        };
    }

    /// <summary>The runner's default batch (200) for its default concurrency, scaled with it: a batch claimed at once should go out well within a lease.</summary>
    public static int BatchSize(int jobConcurrency) => Math.Max(200, 6 * jobConcurrency);

    /// <summary>The most messages the connector accepted within any one second (Stopwatch timestamps).</summary>
    public static int MostInAnySecond(IReadOnlyList<long> timestamps)
    {
        var sorted = timestamps.Order().ToList();
        var max = 0;
        var start = 0;
        for (var end = 0; end < sorted.Count; end++)
        {
            while (sorted[end] - sorted[start] >= Stopwatch.Frequency)
            {
                start++;
            }
            max = Math.Max(max, end - start + 1);
        }
        return max;
    }

    private static StorageCount SumOf(IEnumerable<StorageRequestCounter> counters)
    {
        var list = counters.ToList();
        return new StorageCount(
            list.Sum(c => c.Total),
            list.SelectMany(c => c.ByTable).GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Sum(p => p.Value)));
    }

    public static string Person(int i) => $"29:bench-r{i:D6}";

    public static string ConversationOf(int i) => $"a:bench-dm-{i:D6}";

    /// <summary>A person's message in their 1:1 chat with the bot, as the bot recorded it (service URL: the fake connector).</summary>
    private static Activity PersonalMessage(Uri serviceUrl, string user, int i) => new()
    {
        Type = ActivityTypes.Message,
        Id = "seed-" + i,
        ChannelId = "msteams",
        ServiceUrl = serviceUrl.ToString(),
        From = new ChannelAccount(user, $"员工{i}", aadObjectId: TeamsActivity.AadOf(user)),
        Recipient = new ChannelAccount(TeamsActivity.BotId, "ChatRegs", RoleTypes.Bot),
        Conversation = new ConversationAccount(isGroup: false, conversationType: "personal", id: ConversationOf(i), tenantId: Tenant),
        ChannelData = new TeamsChannelData { Tenant = new TenantInfo(Tenant) },
        Locale = "zh-CN",
    };
}

public sealed record ReminderData(string UserId);

/// <summary>Counts what the reminder jobs did.</summary>
public sealed class ReminderTally
{
    private int _delivered;
    private int _undeliverable;
    private int _errors;

    public int Delivered => Volatile.Read(ref _delivered);

    public int Undeliverable => Volatile.Read(ref _undeliverable);

    public int Errors => Volatile.Read(ref _errors);

    /// <summary>Jobs that reached an outcome (delivered or given up as undeliverable).</summary>
    public int Finished => Delivered + Undeliverable;

    public void Add(DeliveryStatus status)
    {
        if (status == DeliveryStatus.Delivered)
        {
            Interlocked.Increment(ref _delivered);
        }
        else
        {
            Interlocked.Increment(ref _undeliverable);
        }
    }

    public void Error() => Interlocked.Increment(ref _errors);
}

/// <summary>The reminder job: one message to the person's 1:1 chat, through the bot's proactive sender.</summary>
public sealed class BenchReminderHandler(ProactiveSender sender, ReminderTally tally) : IJobHandler
{
    public const string KindName = "bench.reminder";

    public string Kind => KindName;

    public async Task RunAsync(Job job, CancellationToken cancellationToken)
    {
        var data = job.DataAs<ReminderData>() ?? throw new PermanentJobFailureException("No user in the job.");
        try
        {
            var result = await sender.SendToPersonAsync(job.TenantId, data.UserId, MessageFactory.Text("提醒：请在今天 17:00 前提交本周周报。"), KindName, cancellationToken).ConfigureAwait(false);
            tally.Add(result.Status);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            tally.Error();
            throw;
        }
    }
}

/// <summary>Writes log entries at or above a level to a file and counts errors.</summary>
public sealed class FileLoggerProvider(string path, LogLevel minimum) : ILoggerProvider
{
    private readonly StreamWriter _writer = new(path, append: false) { AutoFlush = true };
    private int _errors;

    public int Errors => Volatile.Read(ref _errors);

    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void Dispose()
    {
        lock (_writer)
        {
            _writer.Dispose();
        }
    }

    private void Write(LogLevel level, string category, string message, Exception? exception)
    {
        if (level >= LogLevel.Error)
        {
            Interlocked.Increment(ref _errors);
        }
        lock (_writer)
        {
            try
            {
                _writer.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {level} {category}: {message}{(exception == null ? "" : Environment.NewLine + exception)}");
            }
            catch (ObjectDisposedException)
            {
                // shutting down
            }
        }
    }

    private sealed class FileLogger(FileLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Write(logLevel, category, formatter(state, exception), exception);
            }
        }
    }

    private readonly LogLevel _minimum = minimum;
}

public sealed class ReminderResult
{
    /// <summary>Runner instances (2: sharing the tenant's budget through storage).</summary>
    public int Instances { get; init; } = 1;
    public bool SharedBudget { get; init; }
    /// <summary>The most messages the connector accepted for the tenant within any one second (both instances together).</summary>
    public int MostInAnySecond { get; init; }
    /// <summary>Claims of the shared budget (each a read and a write, retries included).</summary>
    public long BudgetClaims { get; init; }
    public int Reminders { get; init; }
    public double Scale { get; init; }
    public int PerConversationLimit { get; init; }
    public int PerTenantLimit { get; init; }
    public int JobConcurrency { get; init; }
    public int JobBatchSize { get; init; }
    public double SeedSeconds { get; init; }
    /// <summary>People who received their reminder (the connector accepted it).</summary>
    public int Delivered { get; init; }
    /// <summary>Requests the connector answered 429 (each was retried by the bot).</summary>
    public int Retried { get; init; }
    /// <summary>Runs of reminder jobs beyond the first (a failed run is retried by the runner after a backoff).</summary>
    public int JobRetries { get; init; }
    /// <summary>Jobs not Done when the run ended.</summary>
    public int Failed { get; init; }
    public int Undeliverable { get; init; }
    public int HandlerErrors { get; init; }
    public int Missing { get; init; }
    public int Doubled { get; init; }
    public int UnexpectedConnectorCalls { get; init; }
    public required IReadOnlyDictionary<string, int> JobsByStatus { get; init; }
    /// <summary>From the runner's start to the last accepted message.</summary>
    public double WallSeconds { get; init; }
    /// <summary>Delivered / WallSeconds.</summary>
    public double AchievedRate { get; init; }
    /// <summary>Between the first and the last accepted message.</summary>
    public double SteadyRate { get; init; }
    /// <summary>From the runner's start to the first accepted message.</summary>
    public double FirstMessageSeconds { get; init; }
    /// <summary>Messages the connector accepted in each second from the runner's start.</summary>
    public IReadOnlyList<int> AcceptedPerSecond { get; init; } = [];
    /// <summary>Per second from the runner's start: the fewest calls seen waiting at the limiters (sampled every 20 ms; 0 = the pacing had nothing to send).</summary>
    public IReadOnlyList<int> FewestWaitingPerSecond { get; init; } = [];
    public double FractionOfLimit => PerTenantLimit > 0 ? AchievedRate / PerTenantLimit : 0;
    /// <summary>The achieved rate against Teams' real limit (50 requests/s per tenant).</summary>
    public double FractionOfTeamsLimit => AchievedRate / 50;
    public required StorageCount StorageRequests { get; init; }
    /// <summary>Storage requests while sending, per reminder delivered.</summary>
    public double StoragePerReminder => Delivered > 0 ? (double)StorageRequests.Requests / Delivered : 0;
    public int ErrorsLogged { get; init; }
    public bool Ok => Delivered == Reminders && Missing == 0 && Doubled == 0 && Failed == 0;
}
