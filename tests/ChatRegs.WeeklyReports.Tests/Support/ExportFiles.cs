using System.Text;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Exports;
using CsvHelper;

namespace ChatRegs.WeeklyReports.Tests.Support;

/// <summary>Reading the files the weekly report feature offers (digest Markdown and CSV).</summary>
public static class ExportFiles
{
    /// <summary>The file offered in Teams' file consent card (the reply), as the bot keeps it until the person accepts.</summary>
    public static async Task<(string Name, string Type, string Content)> FileAsync(WeeklyHost host, JsonArray replies, bool expectBom = false)
    {
        var attachment = Assert.Single(Assert.Single(replies)!["attachments"]!.AsArray())!;
        Assert.Equal("application/vnd.microsoft.teams.card.file.consent", (string?)attachment["contentType"]);
        var exportId = (string)attachment["content"]!["acceptContext"]!["exportId"]!;
        var file = await host.Get<PendingExportStore>().GetAsync(WeeklyHost.Tenant, exportId, default);
        var bytes = file!.Bytes;
        Assert.Equal(bytes.Length, (long)attachment["content"]!["sizeInBytes"]!);
        Assert.Equal(file.FileName, (string?)attachment["name"]);
        var bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
        Assert.Equal(expectBom, bom);
        return (file.FileName, file.ContentType, Encoding.UTF8.GetString(bom ? bytes[3..] : bytes));
    }

    public static List<string[]> ReadCsv(string csv)
    {
        var rows = new List<string[]>();
        using var reader = CsvReader.Create(new StringReader(csv), new CsvReaderOptions { HasHeader = false }, false);
        while (reader.Read())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
        }
        return rows;
    }
}
