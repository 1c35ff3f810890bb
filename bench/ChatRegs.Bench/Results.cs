using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Serialization;

namespace ChatRegs.Bench;

/// <summary>Everything a run measured: what results-*.json holds.</summary>
public sealed class BenchResults
{
    public DateTimeOffset StartedUtc { get; init; }
    public DateTimeOffset FinishedUtc { get; set; }
    public required MachineInfo Machine { get; init; }
    public required Dictionary<string, object> Options { get; init; }
    public StorageFloorResult? StorageFloor { get; set; }
    public HttpScenarioResult? Rush { get; set; }
    public HttpScenarioResult? State { get; set; }
    public ReminderResult? Reminders { get; set; }
    /// <summary>The same fan-out by two runner instances sharing the tenant's budget through storage.</summary>
    public ReminderResult? RemindersShared { get; set; }
    /// <summary>The benchmark process, which hosts the bot for the reminder scenario (and the fake connector).</summary>
    public ProcessMemory? ReminderProcessMemory { get; set; }
    public int BotErrorsLogged { get; set; }
    public int EchoErrorsLogged { get; set; }
    public int FloorErrorsLogged { get; set; }
    public string? BotTablePrefix { get; set; }

    [JsonIgnore]
    public bool Ok => (Rush == null || Rush.Ok) && (State == null || State.Ok) && (Reminders == null || Reminders.Ok) && (RemindersShared == null || RemindersShared.Ok);
}

public sealed class HttpScenarioResult
{
    public required LoadSummary Bot { get; init; }
    public required LoadSummary Echo { get; init; }
    /// <summary>The floor bot (CloudAdapter + one Table insert per turn, <see cref="FloorServer"/>): the rush only.</summary>
    public LoadSummary? Floor { get; init; }
    /// <summary>The bot's Table Storage requests during the measured run (echo: none, it keeps state in memory).</summary>
    public required StorageCount StorageRequests { get; init; }
    public double StoragePerRequest { get; init; }
    public RollCheck? Roll { get; init; }
    public SuggestionCheck? Suggestions { get; init; }
    public required ProcessMemory BotMemory { get; init; }
    public required ProcessMemory EchoMemory { get; init; }
    public ProcessMemory? FloorMemory { get; init; }

    public double ThroughputRatio => Echo.Throughput > 0 ? Bot.Throughput / Echo.Throughput : double.NaN;

    /// <summary>ChatRegs' throughput over the floor bot's (target ≥ 0.9).</summary>
    public double? FloorThroughputRatio => Floor is { Throughput: > 0 } f ? Bot.Throughput / f.Throughput : null;

    /// <summary>ChatRegs' p99 latency over the floor bot's (target ≤ 1.5).</summary>
    public double? FloorP99Ratio => Floor is { P99Ms: > 0 } f ? Bot.P99Ms / f.P99Ms : null;

    [JsonIgnore]
    public bool Ok => Bot.Failed == 0 && Bot.Requests > 0 && Echo.Failed == 0 && (Floor?.Failed ?? 0) == 0 && (Roll?.Ok ?? true) && (Suggestions?.Ok ?? true);
}

public sealed class LoadSummary
{
    public int Requests { get; init; }
    public int Ok { get; init; }
    public int Failed { get; init; }
    public double Seconds { get; init; }
    public double Throughput { get; init; }
    public double P50Ms { get; init; }
    public double P95Ms { get; init; }
    public double P99Ms { get; init; }
    public double MaxMs { get; init; }
    public double MeanMs { get; init; }
    public required IReadOnlyList<string> FailureSamples { get; init; }

    public static LoadSummary From(LoadResult r) => new()
    {
        Requests = r.Requests,
        Ok = r.Ok,
        Failed = r.Failed,
        Seconds = r.Seconds,
        Throughput = r.Throughput,
        P50Ms = r.Percentile(50),
        P95Ms = r.Percentile(95),
        P99Ms = r.Percentile(99),
        MaxMs = r.LatenciesMs.Length > 0 ? r.LatenciesMs[^1] : double.NaN,
        MeanMs = r.LatenciesMs.Length > 0 ? r.LatenciesMs.Average() : double.NaN,
        FailureSamples = r.FailureSamples,
    };
}

/// <summary>A process's memory: working set now, the highest the benchmark sampled (every 250 ms), and the kernel's peak (VmHWM).</summary>
public sealed record ProcessMemory(double WorkingSetMiB, double SampledMaxMiB, double PeakMiB)
{
    private const double MiB = 1024 * 1024;

    public static ProcessMemory Of(ChildProcess process)
    {
        var (ws, peak, max) = process.Memory();
        return new ProcessMemory(ws / MiB, max / MiB, peak / MiB);
    }

    public static ProcessMemory Current()
    {
        using var self = Process.GetCurrentProcess();
        return new ProcessMemory(self.WorkingSet64 / MiB, self.WorkingSet64 / MiB, self.PeakWorkingSet64 / MiB);
    }
}

/// <summary>The machine the figures come from.</summary>
public sealed record MachineInfo(int Cores, string Cpu, double MemoryGiB, string Os, string Kernel, string Dotnet, string LoadAverage)
{
    public static MachineInfo Read()
    {
        static string FirstLine(string path, string prefix)
        {
            try
            {
                return File.ReadLines(path).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) ?? "";
            }
            catch (IOException)
            {
                return "";
            }
            catch (UnauthorizedAccessException)
            {
                return "";
            }
        }
        var cpu = FirstLine("/proc/cpuinfo", "model name");
        cpu = cpu.Contains(':') ? cpu[(cpu.IndexOf(':') + 1)..].Trim() : RuntimeInformation.ProcessArchitecture.ToString();
        var mem = FirstLine("/proc/meminfo", "MemTotal:");
        var kib = long.TryParse(new string(mem.Where(char.IsDigit).ToArray()), out var k) ? k : 0;
        var os = FirstLine("/etc/os-release", "PRETTY_NAME=");
        os = os.Length > 0 ? os["PRETTY_NAME=".Length..].Trim('"') : RuntimeInformation.OSDescription;
        string load;
        try
        {
            load = string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            load = "";
        }
        string kernel;
        try
        {
            kernel = "Linux " + File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
            kernel = Environment.OSVersion.VersionString;
        }
        return new MachineInfo(Environment.ProcessorCount, cpu, kib / 1024.0 / 1024.0, os, kernel, RuntimeInformation.FrameworkDescription, load);
    }
}
