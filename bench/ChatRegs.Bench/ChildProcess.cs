using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace ChatRegs.Bench;

/// <summary>A bot started by the benchmark as a process of its own, listening on a loopback port; its output goes to a log file.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Timer _sampler;
    private long _maxWorkingSet;
    private int _errorLines;

    private ChildProcess(string name, Process process, StreamWriter log, Uri baseUrl, string logPath)
    {
        Name = name;
        _process = process;
        _log = log;
        BaseUrl = baseUrl;
        LogPath = logPath;
        _sampler = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
    }

    public string Name { get; }

    public Uri BaseUrl { get; }

    public Uri MessagesUrl => new(BaseUrl, "/api/messages");

    public string LogPath { get; }

    public int Id => _process.Id;

    /// <summary>Lines the process logged at error level ("fail:" in the console log).</summary>
    public int ErrorLines => Volatile.Read(ref _errorLines);

    /// <summary>Starts <c>dotnet {dll} {args}</c> on a free loopback port and waits until GET {health} answers 200.</summary>
    public static async Task<ChildProcess> StartAsync(string name, string dll, string arguments, IDictionary<string, string> environment, string logPath, string healthPath, CancellationToken cancellationToken)
    {
        dll = Path.GetFullPath(dll);
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var psi = new ProcessStartInfo("dotnet", $"\"{dll}\" {arguments}")
        {
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(dll))!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (k, v) in environment)
        {
            psi.Environment[k] = v;
        }
        psi.Environment["ASPNETCORE_URLS"] = url;
        psi.Environment["DOTNET_NOLOGO"] = "1";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        var log = new StreamWriter(logPath, append: false) { AutoFlush = true };
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {name}.");
        var child = new ChildProcess(name, process, log, new Uri(url), logPath);
        process.OutputDataReceived += (_, e) => child.Write(e.Data);
        process.ErrorDataReceived += (_, e) => child.Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited with code {process.ExitCode} while starting; see {logPath}.");
            }
            try
            {
                using var response = await http.GetAsync(new Uri(child.BaseUrl, healthPath), cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return child;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // slow to answer while starting
            }
            if (deadline.Elapsed > TimeSpan.FromSeconds(90))
            {
                await child.DisposeAsync().ConfigureAwait(false);
                throw new TimeoutException($"{name} did not answer {healthPath} within 90 s; see {logPath}.");
            }
            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The process's working set now and its peak (VmHWM on Linux), bytes.</summary>
    public (long WorkingSet, long Peak, long SampledMax) Memory()
    {
        Sample();
        try
        {
            _process.Refresh();
            return (_process.WorkingSet64, _process.PeakWorkingSet64, Interlocked.Read(ref _maxWorkingSet));
        }
        catch (InvalidOperationException)
        {
            return (0, 0, Interlocked.Read(ref _maxWorkingSet));
        }
    }

    /// <summary>The bot's Table Storage request count (GET /diagnostics/storage; the bot runs with ChatRegs:Diagnostics:CountStorageRequests=true).</summary>
    public async Task<StorageCount> StorageRequestsAsync(HttpClient http, CancellationToken cancellationToken, StorageCount? since = null)
    {
        var json = await http.GetFromJsonAsync<JsonElement>(new Uri(BaseUrl, "/diagnostics/storage?from=" + (since?.Timed ?? 0)), cancellationToken).ConfigureAwait(false);
        var byTable = new Dictionary<string, long>(StringComparer.Ordinal);
        if (json.TryGetProperty("byTable", out var tables))
        {
            foreach (var p in tables.EnumerateObject())
            {
                byTable[p.Name] = p.Value.GetInt64();
            }
        }
        var timed = json.TryGetProperty("timed", out var t) ? t.GetInt32() : 0;
        StorageLatency? latency = json.TryGetProperty("latencyMs", out var l)
            ? new StorageLatency(l.GetProperty("count").GetInt32(), l.GetProperty("p50").GetDouble(), l.GetProperty("p95").GetDouble(), l.GetProperty("p99").GetDouble(), l.GetProperty("max").GetDouble())
            : null;
        return new StorageCount(json.GetProperty("requests").GetInt64(), byTable) { Timed = timed, Latency = latency };
    }

    public async ValueTask DisposeAsync()
    {
        await _sampler.DisposeAsync().ConfigureAwait(false);
        if (!_process.HasExited)
        {
            // SIGTERM: ASP.NET Core shuts down gracefully.
            try
            {
                Posix.Kill(_process.Id, Posix.SigTerm);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (Exception) when (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }

    private void Write(string? line)
    {
        if (line == null)
        {
            return;
        }
        if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _errorLines);
        }
        lock (_log)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // the process is being stopped
            }
        }
    }

    private void Sample()
    {
        try
        {
            _process.Refresh();
            var ws = _process.WorkingSet64;
            long seen;
            while (ws > (seen = Interlocked.Read(ref _maxWorkingSet)) && Interlocked.CompareExchange(ref _maxWorkingSet, ws, seen) != seen)
            {
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // exited
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>A reading of the bot's storage request counter.</summary>
public sealed record StorageCount(long Requests, IReadOnlyDictionary<string, long> ByTable)
{
    /// <summary>Attempts the bot had timed when this was read (where the next reading's latencies start).</summary>
    public int Timed { get; init; }

    /// <summary>How long the bot's storage requests took since the reading this one was taken against (null without one).</summary>
    public StorageLatency? Latency { get; init; }

    public StorageCount Minus(StorageCount earlier) => new(
        Requests - earlier.Requests,
        ByTable.ToDictionary(p => p.Key, p => p.Value - earlier.ByTable.GetValueOrDefault(p.Key)).Where(p => p.Value != 0).ToDictionary())
    { Timed = Timed, Latency = Latency };

    /// <summary>The same counts with the run's table prefix taken off the table names ("POST B2026…CheckIns" → "POST CheckIns").</summary>
    public StorageCount WithoutPrefix(string prefix) => new(
        Requests,
        ByTable.GroupBy(p => p.Key.Replace(" " + prefix, " ", StringComparison.Ordinal)).ToDictionary(g => g.Key, g => g.Sum(p => p.Value)))
    { Timed = Timed, Latency = Latency };
}

/// <summary>The bot's storage attempts over a scenario, as its own client timed them (ms).</summary>
public sealed record StorageLatency(int Count, double P50, double P95, double P99, double Max);

internal static class Posix
{
    public const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);
}
