using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using ChatRegs.Bot.Diagnostics;
using ChatRegs.Bot.Storage;

namespace ChatRegs.Bench;

/// <summary>
/// One benchmark run: seeds Table Storage, starts the bot (Release, its own process), the floor
/// bot (one Table insert per turn, its own process) and the echo bot (its own process), drives
/// them with the same generator, the same N and C, runs the
/// reminder fan-out, prints the table and writes results-*.json. Exit code 1 when a check-in,
/// a suggestion or a reminder is missing or doubled, or a reply was wrong.
/// </summary>
public sealed class BenchRun(BenchOptions options)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var stamp = started.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        Directory.CreateDirectory(options.OutputDirectory);
        var machine = MachineInfo.Read();
        var results = new BenchResults { StartedUtc = started, Machine = machine, Options = OptionsSummary() };
        Console.Error.WriteLine($"bench: {machine.Cores} cores, {machine.MemoryGiB:N1} GiB, {machine.Os}, {machine.Dotnet}; load average {machine.LoadAverage}");

        if (options.Scenarios.Contains("rush") || options.Scenarios.Contains("state"))
        {
            await RunOverHttpAsync(results, stamp, cancellationToken).ConfigureAwait(false);
        }
        if (results.StorageFloor == null)
        {
            results.StorageFloor = await MeasureStorageFloorAsync(stamp, cancellationToken).ConfigureAwait(false);
        }
        if (options.Scenarios.Contains("reminders"))
        {
            Console.Error.WriteLine($"bench: Friday reminders — {options.Reminders:N0} reminders, Teams' limits x{options.Scale}");
            results.Reminders = await new RemindersScenario(options, options.Storage, "R" + stamp.Replace("-", ""), Path.Combine(options.OutputDirectory, "reminders.log"))
                .RunAsync(cancellationToken).ConfigureAwait(false);
            results.ReminderProcessMemory = ProcessMemory.Current();
        }
        if (options.Scenarios.Contains("reminders-shared"))
        {
            Console.Error.WriteLine($"bench: Friday reminders, two runner instances sharing the tenant's budget — {options.Reminders:N0} reminders, Teams' limits x{options.Scale}");
            results.RemindersShared = await new RemindersScenario(options, options.Storage, "Q" + stamp.Replace("-", ""), Path.Combine(options.OutputDirectory, "reminders-shared.log"), instances: 2)
                .RunAsync(cancellationToken).ConfigureAwait(false);
        }

        results.FinishedUtc = DateTimeOffset.UtcNow;
        var path = Path.Combine(options.OutputDirectory, $"results-{stamp}.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }), cancellationToken).ConfigureAwait(false);
        Console.WriteLine(Report.Table(results, options));
        Console.WriteLine($"Results: {path}");
        var ok = results.Ok;
        Console.WriteLine(ok ? "PASS: no check-in, suggestion or reminder missing or doubled; every reply as expected." : "FAIL: see the lines marked FAIL above.");
        return ok ? 0 : 1;
    }

    private async Task RunOverHttpAsync(BenchResults results, string stamp, CancellationToken cancellationToken)
    {
        // The bot's tables, seeded before it starts, through its own stores.
        var prefix = "B" + stamp.Replace("-", "");
        var tables = new TableServiceClient(options.Storage);
        var names = new TableNames(new StorageOptions { ConnectionString = options.Storage, TablePrefix = prefix });
        foreach (var table in names.All)
        {
            await tables.CreateTableIfNotExistsAsync(table, cancellationToken).ConfigureAwait(false);
        }
        var scenarios = new BotScenarios(options, tables, names);
        Console.Error.WriteLine($"bench: seeding a meeting with {options.People:N0} participants…");
        await scenarios.SeedAsync(cancellationToken).ConfigureAwait(false);

        var botEnvironment = new Dictionary<string, string>
        {
            // No app id (no Bot Framework tokens in a benchmark): the bot starts that way in
            // Development only, and serves loopback callers only (docs/security.md).
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["MicrosoftAppId"] = "",
            ["ChatRegs__Storage__ConnectionString"] = options.Storage,
            ["ChatRegs__Storage__TablePrefix"] = prefix,
            [StorageDiagnostics.Switch.Replace(":", "__")] = "true",
        };
        var benchDll = typeof(BenchMain).Assembly.Location;
        await using var bot = await ChildProcess.StartAsync("ChatRegs bot", options.BotDll, "", botEnvironment,
            Path.Combine(options.OutputDirectory, "bot.log"), "/healthz", cancellationToken).ConfigureAwait(false);
        await using var echo = await ChildProcess.StartAsync("echo bot", benchDll, "echo", new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" },
            Path.Combine(options.OutputDirectory, "echo.log"), "/healthz", cancellationToken).ConfigureAwait(false);
        // The floor: CloudAdapter and one Table insert per turn, in a table of its own on the same Azurite.
        var floorTable = "L" + stamp.Replace("-", "");
        await tables.CreateTableIfNotExistsAsync(floorTable, cancellationToken).ConfigureAwait(false);
        await using var floor = await ChildProcess.StartAsync("floor bot", benchDll, "floor", new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Floor__Storage"] = options.Storage,
            ["Floor__Table"] = floorTable,
        }, Path.Combine(options.OutputDirectory, "floor.log"), "/healthz", cancellationToken).ConfigureAwait(false);
        Console.Error.WriteLine($"bench: bot pid {bot.Id} on {bot.BaseUrl}, floor pid {floor.Id} on {floor.BaseUrl}, echo pid {echo.Id} on {echo.BaseUrl}");
        using var http = LoadGenerator.CreateClient(options.Concurrency);
        results.StorageFloor = await MeasureStorageFloorAsync(stamp, cancellationToken).ConfigureAwait(false);

        if (options.Scenarios.Contains("rush"))
        {
            Console.Error.WriteLine($"bench: 8:30 rush — {options.People:N0} people, {options.Concurrency} at a time");
            // Each bot is warmed up right before it is measured, so each starts its rush the same way:
            // connections to storage open, code jitted, caches filled.
            async Task WarmUpAsync(string name, Uri url, IReadOnlyList<Sequence> sequences)
            {
                if (options.Warmup > 0)
                {
                    await LoadGenerator.RunAsync("warm-up " + name, http, url, sequences, options.Concurrency, cancellationToken).ConfigureAwait(false);
                }
            }
            await WarmUpAsync("bot", bot.MessagesUrl, scenarios.CheckIns(warmup: true, forEcho: false)).ConfigureAwait(false);
            var before = await bot.StorageRequestsAsync(http, cancellationToken).ConfigureAwait(false);
            var botRun = await LoadGenerator.RunAsync("rush bot", http, bot.MessagesUrl, scenarios.CheckIns(warmup: false, forEcho: false), options.Concurrency, cancellationToken).ConfigureAwait(false);
            var storage = (await bot.StorageRequestsAsync(http, cancellationToken, since: before).ConfigureAwait(false)).Minus(before).WithoutPrefix(prefix);
            await WarmUpAsync("floor", floor.MessagesUrl, scenarios.CheckIns(warmup: true, forEcho: false, forFloor: true)).ConfigureAwait(false);
            var floorRun = await LoadGenerator.RunAsync("rush floor", http, floor.MessagesUrl, scenarios.CheckIns(warmup: false, forEcho: false, forFloor: true), options.Concurrency, cancellationToken).ConfigureAwait(false);
            await WarmUpAsync("echo", echo.MessagesUrl, scenarios.CheckIns(warmup: true, forEcho: true)).ConfigureAwait(false);
            var echoRun = await LoadGenerator.RunAsync("rush echo", http, echo.MessagesUrl, scenarios.CheckIns(warmup: false, forEcho: true), options.Concurrency, cancellationToken).ConfigureAwait(false);
            var roll = await scenarios.VerifyRollAsync(cancellationToken).ConfigureAwait(false);
            results.Rush = new HttpScenarioResult
            {
                Bot = LoadSummary.From(botRun),
                Echo = LoadSummary.From(echoRun),
                Floor = LoadSummary.From(floorRun),
                StorageRequests = storage,
                StoragePerRequest = (double)storage.Requests / Math.Max(1, botRun.Requests),
                Roll = roll,
                BotMemory = ProcessMemory.Of(bot),
                EchoMemory = ProcessMemory.Of(echo),
                FloorMemory = ProcessMemory.Of(floor),
            };
        }

        if (options.Scenarios.Contains("state"))
        {
            var conversations = options.Concurrency;
            Console.Error.WriteLine($"bench: state turns — {conversations} conversations x {options.Rounds} suggestion flows (3 turns each)");
            var warm = Math.Min(conversations, 20);
            await LoadGenerator.RunAsync("warm-up bot", http, bot.MessagesUrl, scenarios.SuggestionFlows("sw", warm, 1, forEcho: false), conversations, cancellationToken).ConfigureAwait(false);
            await LoadGenerator.RunAsync("warm-up echo", http, echo.MessagesUrl, scenarios.SuggestionFlows("sw", warm, 1, forEcho: true), conversations, cancellationToken).ConfigureAwait(false);
            var startedUtc = DateTimeOffset.UtcNow;
            var before = await bot.StorageRequestsAsync(http, cancellationToken).ConfigureAwait(false);
            var botRun = await LoadGenerator.RunAsync("state bot", http, bot.MessagesUrl, scenarios.SuggestionFlows("st", conversations, options.Rounds, forEcho: false), conversations, cancellationToken).ConfigureAwait(false);
            var storage = (await bot.StorageRequestsAsync(http, cancellationToken, since: before).ConfigureAwait(false)).Minus(before).WithoutPrefix(prefix);
            var echoRun = await LoadGenerator.RunAsync("state echo", http, echo.MessagesUrl, scenarios.SuggestionFlows("st", conversations, options.Rounds, forEcho: true), conversations, cancellationToken).ConfigureAwait(false);
            var stored = await scenarios.VerifySuggestionsAsync("st", conversations, options.Rounds, startedUtc, cancellationToken).ConfigureAwait(false);
            results.State = new HttpScenarioResult
            {
                Bot = LoadSummary.From(botRun),
                Echo = LoadSummary.From(echoRun),
                StorageRequests = storage,
                StoragePerRequest = (double)storage.Requests / Math.Max(1, botRun.Requests),
                Suggestions = stored,
                BotMemory = ProcessMemory.Of(bot),
                EchoMemory = ProcessMemory.Of(echo),
            };
        }
        results.BotErrorsLogged = bot.ErrorLines;
        results.EchoErrorsLogged = echo.ErrorLines;
        results.FloorErrorsLogged = floor.ErrorLines;
        results.BotTablePrefix = prefix;
    }

    /// <summary>Azurite on its own, warmed up, just before the first measured scenario.</summary>
    private async Task<StorageFloorResult> MeasureStorageFloorAsync(string stamp, CancellationToken cancellationToken)
    {
        Console.Error.WriteLine($"bench: Table Storage floor — 2,000 inserts, {options.Concurrency} at a time");
        var service = new TableServiceClient(options.Storage);
        await StorageFloor.MeasureAsync(service, "W" + stamp.Replace("-", ""), 200, options.Concurrency, cancellationToken).ConfigureAwait(false);
        return await StorageFloor.MeasureAsync(service, "F" + stamp.Replace("-", ""), 2000, options.Concurrency, cancellationToken).ConfigureAwait(false);
    }

    private Dictionary<string, object> OptionsSummary() => new()
    {
        ["people"] = options.People,
        ["concurrency"] = options.Concurrency,
        ["reminders"] = options.Reminders,
        ["rounds"] = options.Rounds,
        ["scale"] = options.Scale,
        ["jobConcurrency"] = options.EffectiveJobConcurrency,
        ["warmup"] = options.Warmup,
        ["scenarios"] = options.Scenarios.Order().ToArray(),
    };
}
