using System.Net;
using ChatRegs.Bot.Callbacks;
using Microsoft.Bot.Schema;
using Newtonsoft.Json.Linq;

namespace ChatRegs.TestSupport;

/// <summary>
/// Where Teams keeps the files people send the bot (the sender's OneDrive, on SharePoint), as the
/// download's HTTP handler: serves each registered URL's bytes; anything else is 404. Counts requests.
/// </summary>
public sealed class TeamsFileHost : HttpMessageHandler
{
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    public List<Uri> Requests { get; } = [];

    /// <summary>Registers a file; returns its pre-authorized download link (a SharePoint host, as Teams gives).</summary>
    public string Add(string name, byte[] content)
    {
        var url = $"https://contoso-my.sharepoint.com/personal/liuyang_contoso_com/_layouts/15/download.aspx?UniqueId={Guid.NewGuid():N}&Translate=false&tempauth=t&file={Uri.EscapeDataString(name)}";
        lock (_files)
        {
            _files[url] = content;
        }
        return url;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_files)
        {
            Requests.Add(request.RequestUri!);
            return Task.FromResult(_files.TryGetValue(request.RequestUri!.AbsoluteUri, out var bytes)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) }
                : new HttpResponseMessage(HttpStatusCode.NotFound));
        }
    }

    /// <summary>What Teams sends when someone sends the bot a file: a download-info attachment.</summary>
    public static Attachment TeamsFile(string name, string downloadUrl) => new()
    {
        ContentType = CallbackFiles.TeamsFileDownload,
        Name = name,
        Content = JObject.FromObject(new { downloadUrl, uniqueId = Guid.NewGuid().ToString(), fileType = Path.GetExtension(name).TrimStart('.') }),
    };
}
