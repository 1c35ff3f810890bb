using ChatRegs.Bot.Exports;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Callbacks.Tests.Support;

/// <summary>A file the bot offered on Teams' file consent card, as it keeps it until the person accepts.</summary>
public static class ExportKit
{
    public static async Task<(string Name, string ContentType, string Description, byte[] Bytes)> FileAsync(CallbacksHost host, IEnumerable<IActivity> replies)
    {
        var attachment = replies.SelectMany(r => r.AsMessageActivity()?.Attachments ?? []).Single(a => a.ContentType == "application/vnd.microsoft.teams.card.file.consent");
        var content = JObject.FromObject(attachment.Content);
        var exportId = (string)content["acceptContext"]!["exportId"]!;
        var file = (await host.Get<PendingExportStore>().GetAsync(CallbacksHost.Tenant, exportId, default))!;
        Assert.Equal(file.FileName, attachment.Name);
        return (file.FileName, file.ContentType, (string?)content["description"] ?? "", file.Bytes);
    }
}
