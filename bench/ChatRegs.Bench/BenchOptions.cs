using System.Globalization;

namespace ChatRegs.Bench;

/// <summary>What scripts/bench.sh passes on (its own flags and any given by the user).</summary>
public sealed class BenchOptions
{
    public const string Usage = """
        usage: scripts/bench.sh [-n N] [-c C] [-m M] [--rounds R] [--scale F] [--job-concurrency J]
                                [--warmup W] [--only rush,state,reminders,reminders-shared] [--max-minutes T]
          -n N                people checking in to one meeting in the 8:30 rush (default 5000)
          -c C                requests in flight at once; also the conversations of "state turns" (default 100)
          -m M                reminders in the Friday fan-out (default 10000)
          --rounds R          suggestion flows per conversation in "state turns" (default 3)
          --scale F           Teams' limits (7/s per conversation, 50/s per tenant) multiplied by F (default 20)
          --job-concurrency J jobs the runner runs at once (default: the runner's default (64) x F, at most 256)
          --warmup W          warm-up requests per bot before measuring (default 2000)
          --only LIST         run only these scenarios (reminders-shared: the reminders by two runner
                              instances sharing the tenant's 50/s through storage)
          --max-minutes T     stop (and fail) after T minutes (default 25)
        """;

    public int People { get; private set; } = 5000;

    public int Concurrency { get; private set; } = 100;

    public int Reminders { get; private set; } = 10000;

    public int Rounds { get; private set; } = 3;

    public double Scale { get; private set; } = 20;

    public int? JobConcurrency { get; private set; }

    /// <summary>
    /// Requests each bot (ChatRegs, floor, echo alike) gets just before it is measured. 2,000 (was
    /// 300): after 300, ChatRegs was still compiling its hot paths to their final tier (the JIT's
    /// tiering and PGO), and a 2,000-request rush measured that: 542–689 req/s after 300 against
    /// 855–908 after 2,000, with the floor bot at 492–723 either way (session 11, same machine).
    /// </summary>
    public int Warmup { get; private set; } = 2000;

    public HashSet<string> Scenarios { get; private set; } = ["rush", "state", "reminders", "reminders-shared"];

    public TimeSpan MaxDuration { get; private set; } = TimeSpan.FromMinutes(25);

    public bool Help { get; private set; }

    /// <summary>Table Storage (Azurite) connection string.</summary>
    public string Storage { get; private set; } = "";

    /// <summary>The Release build of the bot (ChatRegs.Bot.dll).</summary>
    public string BotDll { get; private set; } = "";

    /// <summary>Where results-*.json and the bots' logs go.</summary>
    public string OutputDirectory { get; private set; } = "artifacts/bench";

    /// <summary>
    /// The runner's default scaled like the limits, at most <see cref="MostJobsAtOnce"/>: at limits
    /// ×20 the default's 1,280 jobs at once sent more requests than the Table service (Azurite on
    /// this machine, about 1,000 a second) answers within the bot's 6 s storage timeout.
    /// </summary>
    public int EffectiveJobConcurrency => JobConcurrency ?? Math.Clamp((int)Math.Round(RunnerDefault * Scale), RunnerDefault, Math.Max(RunnerDefault, MostJobsAtOnce));

    public const int MostJobsAtOnce = 256;

    // The bot's own default, so the benchmark measures what a deployment gets.
    private static int RunnerDefault => new ChatRegs.Bot.Scheduling.JobOptions().MaxConcurrency;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int(int min, int max)
            {
                var name = args[i];
                var text = Next();
                return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
                    ? v
                    : throw new ArgumentException($"{name} takes a whole number from {min} to {max}, not '{text}'.");
            }
            switch (args[i])
            {
                case "-n": case "--people": o.People = Int(1, 1_000_000); break;
                case "-c": case "--concurrency": o.Concurrency = Int(1, 2000); break;
                case "-m": case "--reminders": o.Reminders = Int(1, 1_000_000); break;
                case "--rounds": o.Rounds = Int(1, 1000); break;
                case "--job-concurrency": o.JobConcurrency = Int(1, 1000); break;
                case "--warmup": o.Warmup = Int(0, 100_000); break;
                case "--max-minutes": o.MaxDuration = TimeSpan.FromMinutes(Int(1, 240)); break;
                case "--scale":
                    var s = Next();
                    o.Scale = double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f > 0 && f <= 1000
                        ? f
                        : throw new ArgumentException($"--scale takes a number above 0 (at most 1000), not '{s}'.");
                    break;
                case "--only":
                    var list = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
                    var unknown = list.Except(["rush", "state", "reminders", "reminders-shared"]).ToList();
                    if (unknown.Count > 0 || list.Count == 0)
                    {
                        throw new ArgumentException($"--only takes rush, state, reminders and/or reminders-shared, not '{string.Join(",", unknown)}'.");
                    }
                    o.Scenarios = list;
                    break;
                case "--storage": o.Storage = Next(); break;
                case "--bot": o.BotDll = Next(); break;
                case "--out": o.OutputDirectory = Next(); break;
                case "-h": case "--help": o.Help = true; break;
                default: throw new ArgumentException($"unknown option '{args[i]}'.");
            }
        }
        if (!o.Help && string.IsNullOrWhiteSpace(o.Storage))
        {
            throw new ArgumentException("--storage (the Azurite connection string) is required; scripts/bench.sh passes it.");
        }
        if (!o.Help && (o.Scenarios.Contains("rush") || o.Scenarios.Contains("state")) && !File.Exists(o.BotDll))
        {
            throw new ArgumentException($"--bot must name the Release build of the bot (ChatRegs.Bot.dll); '{o.BotDll}' does not exist.");
        }
        return o;
    }
}
