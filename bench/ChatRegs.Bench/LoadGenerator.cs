using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace ChatRegs.Bench;

/// <summary>One request: the activity JSON to post, and what the replies must look like (null = fine, else what is wrong).</summary>
public sealed record Step(string Body, Func<IReadOnlyList<JsonElement>, string?> Check);

/// <summary>Steps that must run in order (one conversation's turns); sequences run side by side.</summary>
public sealed record Sequence(IReadOnlyList<Step> Steps);

/// <summary>What one load run measured.</summary>
public sealed class LoadResult
{
    public required string Name { get; init; }

    /// <summary>Requests that got an answer (any status).</summary>
    public int Requests { get; init; }

    /// <summary>Requests answered 200 whose replies passed the check.</summary>
    public int Ok { get; init; }

    /// <summary>Requests that failed (error status, exception, wrong reply) plus steps never sent because their sequence had failed.</summary>
    public int Failed { get; init; }

    public double Seconds { get; init; }

    /// <summary>Latency of every answered request, ms, sorted.</summary>
    public required double[] LatenciesMs { get; init; }

    public required IReadOnlyList<string> FailureSamples { get; init; }

    public double Throughput => Seconds > 0 ? Requests / Seconds : 0;

    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }
        // Nearest rank.
        var rank = (int)Math.Ceiling(p / 100.0 * LatenciesMs.Length);
        return LatenciesMs[Math.Clamp(rank - 1, 0, LatenciesMs.Length - 1)];
    }
}

/// <summary>
/// The load generator both bots get: <c>concurrency</c> workers, each taking the next sequence
/// and posting its steps to /api/messages one after another (deliveryMode expectReplies, so
/// the replies come back in the response), timing every request. Bounded: it sends exactly the
/// steps it was given and stops when the token is cancelled.
/// </summary>
public static class LoadGenerator
{
    public static HttpClient CreateClient(int concurrency) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = Math.Max(1, concurrency),
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    public static async Task<LoadResult> RunAsync(string name, HttpClient client, Uri messagesUrl, IReadOnlyList<Sequence> sequences, int concurrency, CancellationToken cancellationToken)
    {
        var total = sequences.Sum(s => s.Steps.Count);
        var latencies = new double[total];
        var answered = 0;
        var ok = 0;
        var failed = 0;
        var next = -1;
        var samples = new List<string>();
        var clock = Stopwatch.StartNew();

        void Fail(string what)
        {
            Interlocked.Increment(ref failed);
            lock (samples)
            {
                if (samples.Count < 10)
                {
                    samples.Add(what);
                }
            }
        }

        async Task Worker()
        {
            while (true)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= sequences.Count)
                {
                    return;
                }
                var steps = sequences[index].Steps;
                for (var s = 0; s < steps.Count; s++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var step = steps[s];
                    string? problem;
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        using var content = new StringContent(step.Body, Encoding.UTF8, "application/json");
                        using var response = await client.PostAsync(messagesUrl, content, cancellationToken).ConfigureAwait(false);
                        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                        latencies[Interlocked.Increment(ref answered) - 1] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                        problem = response.StatusCode == HttpStatusCode.OK
                            ? step.Check(Activities(body))
                            : $"HTTP {(int)response.StatusCode}: {Truncate(body)}";
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException && !cancellationToken.IsCancellationRequested)
                    {
                        problem = $"{e.GetType().Name}: {e.Message}";
                    }
                    if (problem == null)
                    {
                        Interlocked.Increment(ref ok);
                        continue;
                    }
                    Fail($"sequence {index} step {s + 1}: {problem}");
                    // The conversation cannot go on; its remaining steps count as failed.
                    for (var rest = s + 1; rest < steps.Count; rest++)
                    {
                        Interlocked.Increment(ref failed);
                    }
                    break;
                }
            }
        }

        using var progress = new Timer(_ =>
        {
            var done = Volatile.Read(ref answered);
            Console.Error.WriteLine($"  {name}: {done:N0}/{total:N0} requests, {done / Math.Max(0.001, clock.Elapsed.TotalSeconds):N0}/s");
        }, null, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3));

        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, concurrency)).Select(_ => Task.Run(Worker, cancellationToken))).ConfigureAwait(false);
        var seconds = clock.Elapsed.TotalSeconds;
        var measured = latencies[..answered];
        Array.Sort(measured);
        return new LoadResult
        {
            Name = name,
            Requests = answered,
            Ok = ok,
            Failed = failed,
            Seconds = seconds,
            LatenciesMs = measured,
            FailureSamples = samples,
        };
    }

    /// <summary>The activities of an expectReplies response ({"activities": [...]}).</summary>
    public static IReadOnlyList<JsonElement> Activities(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return [];
        }
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.TryGetProperty("activities", out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(a => a.Clone()).ToList()
            : [];
    }

    /// <summary>The texts of the message activities among the replies.</summary>
    public static IReadOnlyList<string> Texts(IReadOnlyList<JsonElement> activities) => activities
        .Where(a => a.TryGetProperty("type", out var t) && t.GetString() == "message" && a.TryGetProperty("text", out var x) && x.ValueKind == JsonValueKind.String)
        .Select(a => a.GetProperty("text").GetString()!)
        .ToList();

    public static string Truncate(string text, int max = 200) => text.Length <= max ? text : text[..max] + "…";
}
