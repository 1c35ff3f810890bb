using Azure.Data.Tables;
using ChatRegs.Bot.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.TestSupport;

/// <summary>
/// Every record the features keep, with its ETag ("table/partition/row" → ETag), to show that
/// something was saved, or that nothing was. Bookkeeping is left out: state, conversation
/// references, first-contact people, delivery ids, and the job engine's own rows (recurring jobs
/// reschedule themselves as time passes).
/// </summary>
public static class RecordSnapshot
{
    public static async Task<Dictionary<string, string>> TakeAsync(IServiceProvider services)
    {
        var names = services.GetRequiredService<TableNames>();
        var service = services.GetRequiredService<TableServiceClient>();
        var skip = new HashSet<string> { names.BotState, names.ConversationReferences, names.People, names.ProcessedActivities, names.Jobs, names.DeliveryFailures };
        var snapshot = new Dictionary<string, string>();
        foreach (var table in names.All.Where(t => !skip.Contains(t)))
        {
            try
            {
                await foreach (var row in service.GetTableClient(table).QueryAsync<TableEntity>())
                {
                    snapshot[$"{table}/{row.PartitionKey}/{row.RowKey}"] = row.ETag.ToString();
                }
            }
            catch (Azure.RequestFailedException e) when (e.Status == 404)
            {
            }
        }
        return snapshot;
    }
}
