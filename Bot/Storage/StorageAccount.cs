using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;

namespace ChatRegs.Bot.Storage;

/// <summary>
/// The one place the bot's <see cref="TableServiceClient"/> is made, from
/// <see cref="StorageOptions"/>, two ways:
/// <list type="bullet">
/// <item><c>ChatRegs:Storage:ServiceUri</c> (production): the account's https Table endpoint and a
/// token credential, <c>DefaultAzureCredential</c> unless one is registered: the app's managed
/// identity in Azure (the "Storage Table Data Contributor" role on the account, see infra/), the
/// developer's Azure CLI or Visual Studio login elsewhere. No key in any setting.</item>
/// <item><c>ChatRegs:Storage:ConnectionString</c> (Azurite, local development and tests; the
/// default, <c>UseDevelopmentStorage=true</c>).</item>
/// </list>
/// A ServiceUri next to a real connection string is refused (which one is meant?); the shipped
/// default connection string gives way to a ServiceUri. Table creation
/// (<see cref="StorageInitializer"/>) and <c>/healthz</c> (<see cref="StorageHealthCheck"/>) use the
/// same client, so they work either way.
/// </summary>
public static class StorageAccount
{
    public const string DevelopmentConnectionString = "UseDevelopmentStorage=true";

    /// <summary>Whether the options name the account by its endpoint (token credential) rather than a connection string.</summary>
    public static bool UsesServiceUri(StorageOptions options) => !string.IsNullOrWhiteSpace(options.ServiceUri);

    /// <summary>What is wrong with the storage settings, said so an administrator can fix it; null when they are usable.</summary>
    public static string? Problem(StorageOptions options)
    {
        var section = StorageOptions.Section;
        var connection = options.ConnectionString?.Trim();
        if (!UsesServiceUri(options))
        {
            return string.IsNullOrEmpty(connection)
                ? $"No storage account is configured: set {section}:ServiceUri (the account's Table endpoint, e.g. https://myaccount.table.core.windows.net/, reached with the app's managed identity) " +
                  $"or {section}:ConnectionString (e.g. {DevelopmentConnectionString} for Azurite)."
                : null;
        }
        if (!string.IsNullOrEmpty(connection) && !string.Equals(connection, DevelopmentConnectionString, StringComparison.OrdinalIgnoreCase))
        {
            return $"Both {section}:ServiceUri and {section}:ConnectionString are set: set only one. ServiceUri (with the app's managed identity, no key) is the production way; " +
                   "the connection string is for Azurite.";
        }
        if (!Uri.TryCreate(options.ServiceUri!.Trim(), UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            return $"{section}:ServiceUri '{Shown(options.ServiceUri)}' is not an https address; it is the account's Table endpoint, e.g. https://myaccount.table.core.windows.net/ " +
                   "(tokens are only sent over https).";
        }
        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return $"{section}:ServiceUri must be the bare Table endpoint, without a query (a SAS token is a key) or user information.";
        }
        return null;
    }

    /// <summary>
    /// The service client the options describe; throws <see cref="InvalidOperationException"/>
    /// with <see cref="Problem"/> when they describe none. <paramref name="credential"/> replaces
    /// <c>DefaultAzureCredential</c> on the ServiceUri path.
    /// </summary>
    public static TableServiceClient CreateServiceClient(StorageOptions options, TableClientOptions clientOptions, TokenCredential? credential = null)
    {
        if (Problem(options) is { } problem)
        {
            throw new InvalidOperationException(problem);
        }
        return UsesServiceUri(options)
            ? new TableServiceClient(new Uri(options.ServiceUri!.Trim()), credential ?? new DefaultAzureCredential(), clientOptions)
            : new TableServiceClient(options.ConnectionString.Trim(), clientOptions);
    }

    /// <summary>How the log names the account: its endpoint, never a key.</summary>
    public static string Describe(StorageOptions options) =>
        UsesServiceUri(options) ? $"{options.ServiceUri!.Trim()} (Microsoft Entra ID: managed identity or the developer's login)" : "a connection string";

    private static string Shown(string? value) => value == null ? "" : value.Length > 200 ? value[..200] + "…" : value;
}
