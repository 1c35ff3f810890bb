using Azure.Data.Tables;

namespace ChatRegs.Bot.Storage;

/// <summary>
/// Creates every table at start-up. If storage is not reachable yet (the emulator still
/// starting, a network blip), the bot starts anyway — /healthz says what is wrong — and keeps
/// trying in the background.
/// </summary>
public sealed class StorageInitializer : BackgroundService
{
    private readonly TableServiceClient _service;
    private readonly TableNames _names;
    private readonly ILogger<StorageInitializer> _logger;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StorageInitializer(TableServiceClient service, TableNames names, ILogger<StorageInitializer> logger)
    {
        _service = service;
        _names = names;
        _logger = logger;
    }

    /// <summary>Completes once every table exists.</summary>
    public Task Ready => _ready.Task;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Try once before the server starts listening, so the first turn finds its tables.
        if (!await TryCreateAsync(cancellationToken).ConfigureAwait(false))
        {
            await base.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested && !await TryCreateAsync(stoppingToken).ConfigureAwait(false))
        {
            await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> TryCreateAsync(CancellationToken cancellationToken)
    {
        try
        {
            foreach (var table in _names.All)
            {
                await _service.CreateTableIfNotExistsAsync(table, cancellationToken).ConfigureAwait(false);
            }
            _logger.LogInformation("Table Storage ready: {Tables}.", string.Join(", ", _names.All));
            _ready.TrySetResult();
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogError("Table Storage is not reachable ({Reason}); the bot will keep trying. Until then every turn answers \"not saved, try again\".", e.Message);
            return false;
        }
    }
}
