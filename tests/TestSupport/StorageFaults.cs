using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.TestSupport;

/// <summary>
/// Fails the Nth Table Storage request of a change, the way storage fails in production:
/// <list type="bullet">
/// <item><see cref="StorageFault.BeforeSending"/> — the request never reaches storage (503
/// "server busy", after the client's own retries): nothing was written;</item>
/// <item><see cref="StorageFault.ResponseLost"/> — the request reached storage and was applied,
/// but the answer was lost on the way back (the client sees a network error): the write happened,
/// the bot does not know it. This is the case that tells an idempotent retry from a duplicate.</item>
/// </list>
/// Sits in the client's pipeline per call (outside its retry policy), so "request N" is one
/// logical call — a batch transaction is one request — and the injected failure is final.
/// Usage: <c>var faults = StorageFaults.Install(services)</c> in a host's service overrides;
/// <c>faults.Count()</c> before a change and <c>faults.Seen</c> after it give N; then for each
/// n in 1..N, <c>faults.FailAt(n, kind)</c>, make the change, <c>faults.Off()</c>, check.
/// </summary>
public sealed class StorageFaults : HttpPipelinePolicy
{
    private readonly object _gate = new();
    private bool _armed;
    private int _seen;
    private int _failAt;
    private StorageFault _kind;
    private readonly List<string> _requests = [];
    private IServiceProvider? _services;

    /// <summary>Requests seen since <see cref="Count"/> or <see cref="FailAt"/>.</summary>
    public int Seen { get { lock (_gate) { return _seen; } } }

    /// <summary>What was requested since counting started ("METHOD /table(keys)"), for a failing test's message.</summary>
    public IReadOnlyList<string> Requests { get { lock (_gate) { return _requests.ToList(); } } }

    /// <summary>Whether the armed failure has been injected.</summary>
    public bool Injected { get; private set; }

    /// <summary>What the injected failure hit ("METHOD /table(keys)").</summary>
    public string? InjectedInto { get; private set; }

    /// <summary>Counts requests from now on, failing none.</summary>
    public void Count() => Arm(0, StorageFault.BeforeSending);

    /// <summary>Counts requests from now on and fails request number <paramref name="n"/> (1-based) with <paramref name="kind"/>.</summary>
    public void FailAt(int n, StorageFault kind) => Arm(n, kind);

    /// <summary>Stops counting and failing.</summary>
    public void Off()
    {
        lock (_gate)
        {
            _armed = false;
        }
    }

    private void Arm(int n, StorageFault kind)
    {
        // Rows buffered before counting starts (first contact's People and references rows) are
        // written now, not by the buffer's timer in the middle of the change: otherwise request N
        // of one run is not request N of the next.
        if (_services?.GetService<BufferedRowWriter>() is { } buffer)
        {
            buffer.FlushAsync().GetAwaiter().GetResult();
        }
        lock (_gate)
        {
            _armed = true;
            _seen = 0;
            _failAt = n;
            _kind = kind;
            _requests.Clear();
            Injected = false;
            InjectedInto = null;
        }
    }

    /// <summary>
    /// Replaces the bot's <see cref="TableServiceClient"/> with one that has this policy (and the
    /// bot's short retry settings). Call from a host's service overrides
    /// (<c>ConfigureTestServices</c>, e.g. <see cref="HttpFeatureHost.StartAsync"/>'s <c>configure</c>).
    /// </summary>
    public static StorageFaults Install(IServiceCollection services)
    {
        var faults = new StorageFaults();
        services.AddSingleton(faults);
        services.AddSingleton(sp =>
        {
            faults._services = sp;
            var options = new TableClientOptions();
            options.Retry.MaxRetries = 2;
            options.Retry.Delay = TimeSpan.FromMilliseconds(50);
            options.Retry.MaxDelay = TimeSpan.FromMilliseconds(200);
            options.AddPolicy(faults, HttpPipelinePosition.PerCall);
            return new TableServiceClient(sp.GetRequiredService<StorageOptions>().ConnectionString, options);
        });
        return faults;
    }

    private StorageFault? Decide(HttpMessage message)
    {
        lock (_gate)
        {
            if (!_armed)
            {
                return null;
            }
            _seen++;
            var what = message.Request.Method.Method + " " + message.Request.Uri.Path;
            _requests.Add(what);
            if (_seen != _failAt)
            {
                return null;
            }
            Injected = true;
            InjectedInto = what;
            return _kind;
        }
    }

    private static RequestFailedException Busy() => new(503, "Injected by StorageFaults: the server is busy (the request was not sent).", "ServerBusy", null);

    private static RequestFailedException Lost() =>
        new(0, "Injected by StorageFaults: the response was lost after the request was applied.", new IOException("The response ended prematurely."));

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var fault = Decide(message);
        if (fault == StorageFault.BeforeSending)
        {
            throw Busy();
        }
        ProcessNext(message, pipeline);
        if (fault == StorageFault.ResponseLost)
        {
            throw Lost();
        }
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var fault = Decide(message);
        if (fault == StorageFault.BeforeSending)
        {
            throw Busy();
        }
        await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        if (fault == StorageFault.ResponseLost)
        {
            throw Lost();
        }
    }
}

public enum StorageFault
{
    /// <summary>The request never reached storage.</summary>
    BeforeSending,

    /// <summary>The request was applied, the response lost.</summary>
    ResponseLost,
}
