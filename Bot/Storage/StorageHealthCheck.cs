using Azure.Data.Tables;

namespace ChatRegs.Bot.Storage;

/// <summary>Asks Table Storage a cheap question (does our state table answer?) within a few seconds.</summary>
public sealed class StorageHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private readonly TableServiceClient _service;
    private readonly TableNames _names;

    public StorageHealthCheck(TableServiceClient service, TableNames names)
    {
        _service = service;
        _names = names;
    }

    /// <returns>null when healthy, else the reason.</returns>
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        try
        {
            var table = _service.GetTableClient(_names.BotState);
            await foreach (var _ in table.QueryAsync<TableEntity>(maxPerPage: 1, select: ["PartitionKey"], cancellationToken: cts.Token).AsPages(pageSizeHint: 1).ConfigureAwait(false))
            {
                break;
            }
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"Table Storage did not answer within {Timeout.TotalSeconds:0} s.";
        }
        catch (Exception e)
        {
            return "Table Storage is not reachable: " + FirstLine(e.Message);
        }
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] : line;
    }
}
