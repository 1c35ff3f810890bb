using System.Net.Http.Headers;
using ChatRegs.Bot.Routing;
using ChatRegs.Bot.Localization;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Bot.Schema.Teams;
using Microsoft.Extensions.Options;
using Newtonsoft.Json.Linq;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Exports;

/// <summary>
/// What accepting or declining a file consent card does (Teams' <c>fileConsent/invoke</c>: the
/// person pressed 接受/Allow or 拒绝/Decline). The invoke reaches it through the bot's activity
/// handler, like every other activity (ChatRegsBot's OnTeamsFileConsentAsync), after the same
/// middleware (tenant filter, redelivery guard). Accept: the pending bytes are PUT to the upload
/// URL Teams gave (named HttpClient "file-upload"), the file card
/// (application/vnd.microsoft.teams.card.file.info) is sent and the pending row deleted.
/// Decline: the row is deleted and the person told. Only the person the file was offered to may
/// take it, and only to an https upload address on <see cref="ExportOptions.UploadHosts"/>
/// (<see cref="ExportUploadNetwork"/>). The invoke is always answered 200, as Teams expects;
/// what went wrong is said in the chat.
/// </summary>
public sealed class FileConsentHandler(PendingExportStore pending, IHttpClientFactory http, Localizer localizer, IOptions<ExportOptions> options, ExportUploadNetwork network, ILogger<FileConsentHandler> logger)
{
    public const string InvokeName = "fileConsent/invoke";
    public const string HttpClientName = "file-upload";

    /// <summary>The invoke's value as Teams' response, or null when it is not one (the person is told the file is unknown).</summary>
    public static FileConsentCardResponse? Parse(object? value)
    {
        try
        {
            return value switch
            {
                JObject obj => obj.ToObject<FileConsentCardResponse>(),
                FileConsentCardResponse r => r,
                null => null,
                _ => JObject.FromObject(value).ToObject<FileConsentCardResponse>(),
            };
        }
        catch (Exception e) when (e is Newtonsoft.Json.JsonException or ArgumentException or InvalidCastException)
        {
            return null;
        }
    }

    /// <param name="response">What Teams sent (null: nothing usable).</param>
    public async Task HandleAsync(ITurnContext turn, FileConsentCardResponse? response, CancellationToken cancellationToken)
    {
        var activity = turn.Activity;
        var locale = activity.Locale ?? "";
        var exportId = CardFields.Raw(response?.Context as JObject, "exportId");
        var tenant = Tenants.Of(activity) ?? "";
        var export = exportId == null || response?.Action is not ("accept" or "decline")
            ? null
            : await pending.GetAsync(tenant, exportId, cancellationToken).ConfigureAwait(false);
        if (export == null)
        {
            await SayAsync(turn, localizer.Get(locale, "exports.unknown"), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (string.IsNullOrEmpty(activity.From?.Id) || activity.From.Id != export.OwnerUserId)
        {
            logger.LogWarning("{UserId} tried to take export {ExportId} offered to {OwnerId}.", activity.From?.Id, export.ExportId, export.OwnerUserId);
            await SayAsync(turn, localizer.Get(locale, "exports.notYours"), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (response!.Action == "decline")
        {
            await pending.DeleteAsync(tenant, export.ExportId, cancellationToken).ConfigureAwait(false);
            await SayAsync(turn, localizer.Get(locale, "exports.declined"), cancellationToken).ConfigureAwait(false);
            return;
        }

        var upload = response.UploadInfo;
        if (!Uri.TryCreate(upload?.UploadUrl, UriKind.Absolute, out var uploadUrl) || uploadUrl.Scheme is not ("https" or "http"))
        {
            await SayAsync(turn, localizer.Get(locale, "exports.uploadFailed", export.FileName), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!network.Permits(uploadUrl, options.Value.UploadHostList(), activity.ServiceUrl))
        {
            // The address comes from the invoke: only Teams' own file hosts get the file (no SSRF).
            // The row stays, so the real consent card still works.
            logger.LogWarning("Refused to upload export {ExportId} to {Scheme}://{Host}:{Port}: not an https upload address on ChatRegs:Exports:UploadHosts.",
                export.ExportId, uploadUrl.Scheme, uploadUrl.IdnHost, uploadUrl.Port);
            await SayAsync(turn, localizer.Get(locale, "exports.uploadRefused", export.FileName), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (!await UploadAsync(uploadUrl, export, cancellationToken).ConfigureAwait(false))
        {
            // The row stays (until it expires): pressing accept again retries.
            await SayAsync(turn, localizer.Get(locale, "exports.uploadFailed", export.FileName), cancellationToken).ConfigureAwait(false);
            return;
        }

        var card = MessageFactory.Attachment(new Attachment
        {
            ContentType = FileInfoCard.ContentType,
            ContentUrl = upload!.ContentUrl,
            Name = string.IsNullOrEmpty(upload.Name) ? export.FileName : upload.Name,
            Content = new FileInfoCard { UniqueId = upload.UniqueId, FileType = upload.FileType },
        });
        await turn.SendActivityAsync(card, cancellationToken).ConfigureAwait(false);
        await pending.DeleteAsync(tenant, export.ExportId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> UploadAsync(Uri uploadUrl, PendingExport export, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(export.Bytes);
        content.Headers.ContentLength = export.Bytes.Length;
        if (export.Bytes.Length > 0)
        {
            content.Headers.ContentRange = new ContentRangeHeaderValue(0, export.Bytes.Length - 1, export.Bytes.Length);
        }
        using var request = new HttpRequestMessage(HttpMethod.Put, uploadUrl) { Content = content };
        try
        {
            using var result = await http.CreateClient(HttpClientName).SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (result.IsSuccessStatusCode)
            {
                return true;
            }
            logger.LogWarning("Uploading export {ExportId} ({FileName}) failed: HTTP {Status}.", export.ExportId, export.FileName, (int)result.StatusCode);
            return false;
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogWarning(e, "Uploading export {ExportId} ({FileName}) failed.", export.ExportId, export.FileName);
            return false;
        }
    }

    private static Task SayAsync(ITurnContext turn, string text, CancellationToken cancellationToken) =>
        turn.SendActivityAsync(MessageFactory.Text(text), cancellationToken);
}
