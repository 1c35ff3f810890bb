using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.Bot.Storage;

/// <summary>How a feature's registration gets the client of one of its tables.</summary>
public static class StorageServices
{
    /// <summary>
    /// The client of one of the bot's tables, by its name in <see cref="TableNames"/> (which
    /// carries the deployment's prefix): <c>sp.Table(n =&gt; n.Complaints)</c>.
    /// </summary>
    public static TableClient Table(this IServiceProvider services, Func<TableNames, string> name) =>
        services.GetRequiredService<TableServiceClient>().GetTableClient(name(services.GetRequiredService<TableNames>()));
}
