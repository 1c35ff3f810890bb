using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.TestSupport;

/// <summary>
/// Counts the requests that reach Table Storage, for the tests of "how many round trips does
/// this cost". Usage in a bot: <c>var requests = StorageRequests.Install(services)</c> in a host's
/// service overrides (<c>configure</c>); on a client of one's own:
/// <c>requests.AddTo(options)</c>. Then <see cref="Clear"/> before the work and read
/// <see cref="Total"/>, <see cref="On"/> or <see cref="All"/> after it. Per call by default
/// (outside the client's retries: one logical request, a batch transaction is one).
/// </summary>
public sealed class StorageRequests : HttpPipelinePolicy
{
    private readonly ConcurrentQueue<(string Method, string Path)> _requests = new();

    /// <summary>Every request since the start or the last <see cref="Clear"/>, in order: method and path ("/devstoreaccount1/Table(…)").</summary>
    public IReadOnlyList<(string Method, string Path)> All => _requests.ToList();

    public int Total => _requests.Count;

    public void Clear() => _requests.Clear();

    /// <summary>Requests to the table named <paramref name="table"/> (its full name, e.g. from <c>TableNames</c>), of any method or only of <paramref name="method"/>.</summary>
    public int On(string table, HttpMethod? method = null) =>
        _requests.Count(r => (method == null || r.Method == method.Method) && r.Path.Contains("/" + table, StringComparison.Ordinal));

    /// <summary>Each request as "METHOD /path", for a failing test's message or the test's output.</summary>
    public override string ToString() => string.Join(", ", _requests.Select(r => r.Method + " " + r.Path));

    /// <summary>Adds this counter to a client's options.</summary>
    public TableClientOptions AddTo(TableClientOptions options, HttpPipelinePosition position = HttpPipelinePosition.PerCall)
    {
        options.AddPolicy(this, position);
        return options;
    }

    /// <summary>
    /// Replaces the bot's <see cref="TableServiceClient"/> with one that counts (and registers the
    /// counter as a service). Call from a host's service overrides.
    /// </summary>
    public static StorageRequests Install(IServiceCollection services)
    {
        var requests = new StorageRequests();
        services.AddSingleton(requests);
        services.AddSingleton(sp => new TableServiceClient(sp.GetRequiredService<StorageOptions>().ConnectionString, requests.AddTo(new TableClientOptions())));
        return requests;
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Record(HttpMessage message) => _requests.Enqueue((message.Request.Method.Method, message.Request.Uri.Path));
}
