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
public sealed class CallbackFiles(IHttpClientFactory http, IOptions<CallbackOptions> options, Localizer localizer, CallbackFileNetwork network, ILogger<CallbackFiles> logger)
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

    /// <summary>The first file a message carries: its name and download link (Teams' pre-authorized downloadUrl, else the contentUrl), or null.</summary>
    public static (string Name, string? Url)? FileOf(IActivity activity)
    {
        var file = Files(activity).FirstOrDefault();
        if (file == null)
        {
            return null;
        }
        var name = file.Name ?? "";
        var url = file.ContentUrl;
        if (file.ContentType == TeamsFileDownload && file.Content != null)
        {
            var content = file.Content as JObject ?? JObject.FromObject(file.Content);
            url = (string?)content["downloadUrl"];
            if (name.Length == 0 && (string?)content["fileType"] is { } fileType)
            {
                name = "file." + fileType;
            }
        }
        return (name, url);
    }

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
            if (url.Length > (long)max * 3 + 1024)
            {
                return (null, localizer.Get(locale, "callbacks.import.tooBig", name, max / 1024));
            }
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
            var (downloaded, refusal) = await DownloadAsync(url, name, max, locale, cancellationToken).ConfigureAwait(false);
            if (downloaded == null)
            {
                return (null, refusal);
            }
            bytes = downloaded;
        }
        if (bytes.Length > max)
        {
            return (null, localizer.Get(locale, "callbacks.import.tooBig", name, max / 1024));
        }
        return (CallbackImport.Decode(bytes), null);
    }

    /// <summary>Redirects followed at most (each hop checked like the link itself).</summary>
    public const int MaxRedirects = 3;

    /// <summary>
    /// Downloads a link with the import's guards: the link (and every redirect) must pass
    /// <see cref="CallbackFileNetwork.Permits(Uri, IReadOnlyList{string})"/>, the connection goes
    /// to public addresses only, the whole download has <see cref="CallbackOptions.ImportTimeout"/>,
    /// and the body stops at <paramref name="max"/> bytes whatever Content-Length says. Every
    /// failure is a refusal in the user's language (and a warning in the log, without the exception).
    /// Other features reuse it for files sent to the bot (the complaints' signature scan), with their
    /// own refusal texts under <paramref name="messages"/> (the same keys: noDownload, notAllowed,
    /// downloadFailed, tooBig, timedOut).
    /// </summary>
    public async Task<(byte[]? Bytes, string? Refusal)> DownloadAsync(string url, string name, int max, string locale, CancellationToken cancellationToken, string messages = "callbacks.import")
    {
        var settings = options.Value;
        var hosts = settings.ImportHostList();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return (null, localizer.Get(locale, messages + ".noDownload", name));
        }
        if (!network.Permits(uri, hosts))
        {
            logger.LogWarning("Callback import: refused to download {Name} from {Host}: not an allowed https host.", name, Host(uri));
            return (null, localizer.Get(locale, messages + ".notAllowed", name));
        }
        var timeout = settings.ImportTimeout;
        if (timeout < TimeSpan.FromSeconds(1) || timeout > TimeSpan.FromMinutes(2))
        {
            timeout = TimeSpan.FromSeconds(15);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var token = deadline.Token;
        try
        {
            using var client = http.CreateClient(HttpClientName);
            HttpResponseMessage? response = null;
            try
            {
                for (var hop = 0; ; hop++)
                {
                    response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, uri), HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                    if ((int)response.StatusCode is not (301 or 302 or 303 or 307 or 308))
                    {
                        break;
                    }
                    var location = response.Headers.Location;
                    response.Dispose();
                    response = null;
                    if (location == null || hop >= MaxRedirects || !Uri.TryCreate(uri, location, out var next) || !network.Permits(next, hosts))
                    {
                        logger.LogWarning("Callback import: refused a redirect of the download of {Name} from {Host} to {Target}.", name, Host(uri), location == null ? "(none)" : Uri.TryCreate(uri, location, out var target) ? Host(target) : "(invalid)");
                        return (null, localizer.Get(locale, messages + ".notAllowed", name));
                    }
                    uri = next;
                }
                if (!response.IsSuccessStatusCode)
                {
                    logger.LogWarning("Callback import: downloading {Name} from {Host} answered HTTP {Status}.", name, Host(uri), (int)response.StatusCode);
                    return (null, localizer.Get(locale, messages + ".downloadFailed", name));
                }
                if (response.Content.Headers.ContentLength > max)
                {
                    return (null, localizer.Get(locale, messages + ".tooBig", name, max / 1024));
                }
                await using var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
                using var buffer = new MemoryStream();
                var chunk = new byte[81920];
                int read;
                while ((read = await stream.ReadAsync(chunk, token).ConfigureAwait(false)) > 0)
                {
                    buffer.Write(chunk, 0, read);
                    if (buffer.Length > max)
                    {
                        return (null, localizer.Get(locale, messages + ".tooBig", name, max / 1024));
                    }
                }
                return (buffer.ToArray(), null);
            }
            finally
            {
                response?.Dispose();
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Callback import: downloading {Name} from {Host} took longer than {Timeout}.", name, Host(uri), timeout);
            return (null, localizer.Get(locale, messages + ".timedOut", name, (int)Math.Ceiling(timeout.TotalSeconds)));
        }
        catch (Exception e) when (e is HttpRequestException or IOException or System.Net.Sockets.SocketException && !cancellationToken.IsCancellationRequested)
        {
            if (Refused(e))
            {
                logger.LogWarning("Callback import: refused to download {Name}: {Host} resolves to a non-public address.", name, Host(uri));
                return (null, localizer.Get(locale, messages + ".notAllowed", name));
            }
            logger.LogWarning("Callback import: downloading {Name} from {Host} failed: {Error}", name, Host(uri), e.Message);
            return (null, localizer.Get(locale, messages + ".downloadFailed", name));
        }
    }

    private static string Host(Uri uri) => uri.IsAbsoluteUri ? uri.IdnHost : "";

    private static bool Refused(Exception? e)
    {
        for (; e != null; e = e.InnerException)
        {
            if (e is CallbackFileNetwork.AddressRefusedException)
            {
                return true;
            }
        }
        return false;
    }
}
