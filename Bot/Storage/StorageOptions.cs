namespace ChatRegs.Bot.Storage;

/// <summary>Bound from the "ChatRegs:Storage" configuration section.</summary>
public sealed class StorageOptions
{
    public const string Section = "ChatRegs:Storage";

    /// <summary>Azure Table Storage (or Cosmos DB Table API) connection string. Defaults to the local emulator (Azurite).</summary>
    public string ConnectionString { get; set; } = "UseDevelopmentStorage=true";

    /// <summary>
    /// Prepended to every table name, so several deployments (or test runs) can share one
    /// storage account. Letters and digits only; table names must start with a letter.
    /// </summary>
    public string TablePrefix { get; set; } = "";
}
