namespace ChatRegs.Bot.Storage;

/// <summary>
/// Bound from the "ChatRegs:Storage" configuration section. The account is named one of two
/// ways (<see cref="StorageAccount"/>): <see cref="ServiceUri"/> with Microsoft Entra ID (the
/// app's managed identity in Azure: no key anywhere), or <see cref="ConnectionString"/> (Azurite
/// locally and in tests).
/// </summary>
public sealed class StorageOptions
{
    public const string Section = "ChatRegs:Storage";

    /// <summary>Azure Table Storage (or Cosmos DB Table API) connection string. Defaults to the local emulator (Azurite).</summary>
    public string ConnectionString { get; set; } = StorageAccount.DevelopmentConnectionString;

    /// <summary>
    /// The account's Table endpoint, e.g. <c>https://myaccount.table.core.windows.net/</c>:
    /// reached with <c>DefaultAzureCredential</c> (managed identity in Azure, the developer's
    /// login elsewhere). When set, it is used instead of the connection string.
    /// </summary>
    public string? ServiceUri { get; set; }

    /// <summary>
    /// Prepended to every table name, so several deployments (or test runs) can share one
    /// storage account. Letters and digits only; table names must start with a letter.
    /// </summary>
    public string TablePrefix { get; set; } = "";

    /// <summary>
    /// How long one request may wait for storage's answer before it is given up and retried
    /// (<c>ChatRegs:Storage:NetworkTimeoutSeconds</c>, default 6). A person is waiting on the
    /// turn and Teams gives it 15 seconds, so <see cref="NetworkTimeoutSeconds"/> × (retries + 1)
    /// plus the retry delays must stay well under that; too short a timeout gives up on a request
    /// storage is still applying and sends it again (the slowest one per hundred under load).
    /// </summary>
    public double NetworkTimeoutSeconds { get; set; } = 6;

    /// <summary>Retries of a request that failed in a way worth retrying (busy, timed out, connection lost); default 1.</summary>
    public int MaxRetries { get; set; } = 1;
}
