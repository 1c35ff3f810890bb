using System.Collections.Concurrent;
using System.Net;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;

namespace ChatRegs.Bot.Diagnostics;

/// <summary>
/// Counts the HTTP requests the bot's Table Storage client sends (every attempt, so a retry
/// counts as a round trip of its own), in total and by method and table. Only registered
/// when <see cref="StorageDiagnostics.Switch"/> is on (the benchmark turns it on); off by default.
/// </summary>
public sealed class StorageRequestCounter : HttpPipelinePolicy
{
    private readonly ConcurrentDictionary<string, long> _byKey = new(StringComparer.Ordinal);
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    /// <summary>"{method} {table}" → requests; the table as the URL names it (with the deployment's prefix), or "$batch".</summary>
    public IReadOnlyDictionary<string, long> ByTable => new SortedDictionary<string, long>(_byKey, StringComparer.Ordinal);

    private readonly List<double> _latencies = [];

    /// <summary>Attempts timed so far (the <c>from</c> of a later <see cref="LatenciesSince"/>).</summary>
    public int Timed
    {
        get
        {
            lock (_latencies)
            {
                return _latencies.Count;
            }
        }
    }

    /// <summary>
    /// How long each attempt finished since the <paramref name="from"/>th took, ms, sorted: from the
    /// request leaving the bot's client pipeline to storage's answer read, the client's own
    /// connection queueing included.
    /// </summary>
    public double[] LatenciesSince(int from)
    {
        lock (_latencies)
        {
            var start = Math.Clamp(from, 0, _latencies.Count);
            var copy = _latencies.GetRange(start, _latencies.Count - start).ToArray();
            Array.Sort(copy);
            return copy;
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            Took(started);
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        finally
        {
            Took(started);
        }
    }

    private void Took(long started)
    {
        var ms = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        lock (_latencies)
        {
            if (_latencies.Count < 1_000_000)
            {
                _latencies.Add(ms);
            }
        }
    }

    /// <summary>The attempt latency at percentile <paramref name="p"/> (nearest rank), ms; 0 when none.</summary>
    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private void Record(HttpMessage message)
    {
        Interlocked.Increment(ref _total);
        _byKey.AddOrUpdate(message.Request.Method.Method + " " + TableOf(message.Request.Uri.Path), 1, (_, n) => n + 1);
    }

    /// <summary>The table a request addresses: the last path segment before any "(keys)" ("/account/Table(…)" → "Table"; "Tables", "$batch").</summary>
    public static string TableOf(string path)
    {
        var paren = path.IndexOf('(');
        var beforeKeys = (paren >= 0 ? path[..paren] : path).TrimEnd('/');
        return beforeKeys[(beforeKeys.LastIndexOf('/') + 1)..];
    }
}

/// <summary>
/// Records every Table Storage request in the bot's metrics (<see cref="ChatRegsTelemetry.StorageRequests"/>,
/// and <see cref="ChatRegsTelemetry.StorageConflicts"/> for 409 and 412), by method, table and
/// status; the table as <see cref="StorageRequestCounter.TableOf"/> names it, never a key.
/// Costs next to nothing while no meter listener is attached (no exporter configured).
/// </summary>
public sealed class StorageTelemetryPolicy : HttpPipelinePolicy
{
    public static readonly StorageTelemetryPolicy Instance = new();

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            ProcessNext(message, pipeline);
        }
        finally
        {
            Record(message); // a request that got no answer counts with status 0
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        finally
        {
            Record(message);
        }
    }

    private static void Record(HttpMessage message)
    {
        if (!ChatRegsTelemetry.StorageRequests.Enabled && !ChatRegsTelemetry.StorageConflicts.Enabled)
        {
            return;
        }
        var status = message.HasResponse ? message.Response.Status : 0;
        var table = StorageRequestCounter.TableOf(message.Request.Uri.Path);
        ChatRegsTelemetry.StorageRequests.Add(1,
            new("http.request.method", message.Request.Method.Method), new("table", table), new("http.response.status_code", status));
        if (status is 409 or 412)
        {
            ChatRegsTelemetry.StorageConflicts.Add(1, new("table", table), new("http.response.status_code", status));
        }
    }
}

/// <summary>
/// The benchmark's window into the bot: with <c>ChatRegs:Diagnostics:CountStorageRequests=true</c>
/// the Table Storage client counts its requests (<see cref="StorageRequestCounter"/>) and
/// <c>GET /diagnostics/storage</c> answers <c>{"requests": n, "byTable": {…}}</c> to loopback callers.
/// Without the switch neither exists.
/// </summary>
public static class StorageDiagnostics
{
    public const string Switch = "ChatRegs:Diagnostics:CountStorageRequests";
    public const string Path = "/diagnostics/storage";

    public static IServiceCollection AddStorageDiagnostics(this IServiceCollection services, IConfiguration configuration)
    {
        if (!configuration.GetValue<bool>(Switch))
        {
            return services;
        }
        services.AddSingleton<StorageRequestCounter>();
        services.AddTransient<IStartupFilter, StorageDiagnosticsEndpoint>();
        return services;
    }

    /// <summary>
    /// Adds the storage metrics (<see cref="StorageTelemetryPolicy"/>, always) and the
    /// benchmark's counter (when the switch is on) to the client's pipeline, per retry: every
    /// attempt is a round trip.
    /// </summary>
    public static TableClientOptions WithStorageDiagnostics(this TableClientOptions options, IServiceProvider services)
    {
        options.AddPolicy(StorageTelemetryPolicy.Instance, HttpPipelinePosition.PerRetry);
        if (services.GetService<StorageRequestCounter>() is { } counter)
        {
            options.AddPolicy(counter, HttpPipelinePosition.PerRetry);
        }
        return options;
    }
}

/// <summary>Maps <c>GET /diagnostics/storage</c> (loopback callers only) ahead of the app's own endpoints.</summary>
internal sealed class StorageDiagnosticsEndpoint(StorageRequestCounter counter) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Map(StorageDiagnostics.Path, branch => branch.Run(async http =>
        {
            var remote = http.Connection.RemoteIpAddress;
            if (remote != null && !IPAddress.IsLoopback(remote))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            if (!HttpMethods.IsGet(http.Request.Method))
            {
                http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                return;
            }
            var latencies = counter.LatenciesSince(int.TryParse(http.Request.Query["from"], out var from) ? from : 0);
            var latency = new
            {
                count = latencies.Length,
                p50 = StorageRequestCounter.Percentile(latencies, 50),
                p95 = StorageRequestCounter.Percentile(latencies, 95),
                p99 = StorageRequestCounter.Percentile(latencies, 99),
                max = latencies.Length == 0 ? 0 : latencies[^1],
            };
            await http.Response.WriteAsJsonAsync(new { requests = counter.Total, byTable = counter.ByTable, timed = counter.Timed, latencyMs = latency }, http.RequestAborted).ConfigureAwait(false);
        }));
        next(app);
    };
}
