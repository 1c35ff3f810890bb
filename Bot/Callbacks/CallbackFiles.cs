using ChatRegs.Bot.Localization;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Options;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.Callbacks;

/// <summary>
/// Gets the CSV of an import from a message: a file sent to the bot (Teams sends a file as an
/// attachment of type <c>application/vnd.microsoft.teams.file.download.info</c> whose content
/// holds a pre-authorized <c>downloadUrl</c>; other channels send a <c>contentUrl</c>, possibly
/// a data: URL), else the rows pasted into the message.
/// </summary>
public sealed class CallbackFiles(IHttpClientFactory http, IOptions<CallbackOptions> options, Localizer localizer)
{
    public const string HttpClientName = "callbacks.files";
    public const string TeamsFileDownload = "application/vnd.microsoft.teams.file.download.info";

    private static readonly string[] TextTypes = ["text/csv", "text/plain", "application/csv", "application/vnd.ms-excel", "text/comma-separated-values", "application/octet-stream"];

    /// <summary>True when the message carries a file (as opposed to a card or Teams' HTML copy of the text).</summary>
    public static bool HasFile(IActivity activity) => Files(activity).Any();

    private static IEnumerable<Attachment> Files(IActivity activity) =>
        (activity.AsMessageActivity()?.Attachments ?? []).Where(a =>
            a.ContentType == TeamsFileDownload
            || (!string.IsNullOrEmpty(a.ContentUrl) && a.ContentType is not ("text/html" or "application/vnd.microsoft.card.adaptive")));

    /// <summary>The CSV text, or a reason (in the user's language) why there is none.</summary>
    public async Task<(string? Text, string? Refusal)> ReadAsync(IActivity activity, string pasted, string locale, CancellationToken cancellationToken)
    {
        var file = Files(activity).FirstOrDefault();
        if (file == null)
        {
            return pasted.Trim().Length > 0 ? (pasted, null) : (null, localizer.Get(locale, "callbacks.import.nothing"));
        }
        var name = file.Name ?? "";
        var url = file.ContentUrl;
        if (file.ContentType == TeamsFileDownload && file.Content != null)
        {
            var content = file.Content as JObject ?? JObject.FromObject(file.Content);
            url = (string?)content["downloadUrl"];
            var fileType = (string?)content["fileType"];
            if (name.Length == 0 && fileType != null)
            {
                name = "file." + fileType;
            }
        }
        var extension = Path.GetExtension(name).ToLowerInvariant();
        if (extension is ".xlsx" or ".xls" or ".xlsm" or ".numbers" or ".ods")
        {
            return (null, localizer.Get(locale, "callbacks.import.notCsv", name));
        }
        if (extension is not (".csv" or ".txt" or "") && !TextTypes.Contains(file.ContentType))
        {
            return (null, localizer.Get(locale, "callbacks.import.notCsv", name));
        }
        if (string.IsNullOrEmpty(url))
        {
            return (null, localizer.Get(locale, "callbacks.import.noDownload", name));
        }

        var max = options.Value.MaxImportBytes;
        byte[] bytes;
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var comma = url.IndexOf(',');
            try
            {
                bytes = comma > 0 && url[..comma].EndsWith(";base64", StringComparison.OrdinalIgnoreCase)
                    ? Convert.FromBase64String(url[(comma + 1)..])
                    : System.Text.Encoding.UTF8.GetBytes(Uri.UnescapeDataString(comma > 0 ? url[(comma + 1)..] : ""));
            }
            catch (FormatException)
            {
                return (null, localizer.Get(locale, "callbacks.import.downloadFailed", name));
            }
        }
        else
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            {
                return (null, localizer.Get(locale, "callbacks.import.noDownload", name));
            }
            try
            {
                using var client = http.CreateClient(HttpClientName);
                using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    return (null, localizer.Get(locale, "callbacks.import.downloadFailed", name));
                }
                if (response.Content.Headers.ContentLength > max)
                {
                    return (null, localizer.Get(locale, "callbacks.import.tooBig", name, max / 1024));
                }
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                using var buffer = new MemoryStream();
                var chunk = new byte[81920];
                int read;
                while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    buffer.Write(chunk, 0, read);
                    if (buffer.Length > max)
                    {
                        return (null, localizer.Get(locale, "callbacks.import.tooBig", name, max / 1024));
                    }
                }
                bytes = buffer.ToArray();
            }
            catch (HttpRequestException)
            {
                return (null, localizer.Get(locale, "callbacks.import.downloadFailed", name));
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return (null, localizer.Get(locale, "callbacks.import.downloadFailed", name));
            }
        }
        if (bytes.Length > max)
        {
            return (null, localizer.Get(locale, "callbacks.import.tooBig", name, max / 1024));
        }
        return (CallbackImport.Decode(bytes), null);
    }
}
