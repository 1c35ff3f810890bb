using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Proactive;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Schema;
using Microsoft.Bot.Schema.Teams;
using Newtonsoft.Json.Linq;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Exports;

/// <summary>The Teams file consent flow behind <see cref="IFileExporter"/>; see there.</summary>
public sealed class FileExporter(PendingExportStore pending, IServiceProvider services, Localizer localizer, ILogger<FileExporter> logger) : IFileExporter
{
    public async Task<ExportOffer> OfferAsync(ITurnContext turn, string fileName, string contentType, byte[] bytes, string description, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(turn);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentNullException.ThrowIfNull(bytes);
        var activity = turn.Activity;
        var locale = activity.Locale ?? "";
        if (activity.ChannelId != Channels.Msteams)
        {
            var inline = MessageFactory.Attachment(new Attachment
            {
                ContentType = contentType,
                Name = fileName,
                ContentUrl = $"data:{contentType};base64,{Convert.ToBase64String(bytes)}",
            }, description);
            await turn.SendActivityAsync(inline, cancellationToken).ConfigureAwait(false);
            return new ExportOffer(ExportOfferStatus.Inline);
        }

        var tenant = Tenants.Of(activity) ?? "";
        var owner = activity.From?.Id ?? "";
        var export = await pending.AddAsync(tenant, owner, fileName, contentType, description, bytes, cancellationToken).ConfigureAwait(false);
        if (export == null)
        {
            await turn.SendActivityAsync(MessageFactory.Text(localizer.Get(locale, "exports.tooLarge", fileName, Size(bytes.Length))), cancellationToken).ConfigureAwait(false);
            return new ExportOffer(ExportOfferStatus.TooLarge);
        }

        if (IsPersonal(activity))
        {
            await turn.SendActivityAsync(ConsentCard(export), cancellationToken).ConfigureAwait(false);
            return new ExportOffer(ExportOfferStatus.Offered, export.ExportId);
        }

        // Teams sends files only in a 1:1 chat: the card goes there, the conversation gets a note.
        var sender = services.GetRequiredService<ProactiveSender>();
        DeliveryResult delivery;
        try
        {
            delivery = await sender.SendToPersonAsync(tenant, owner, ConsentCard(export), "exports.offer " + fileName, cancellationToken).ConfigureAwait(false);
        }
        catch (ProactiveDeliveryException e)
        {
            // Teams failing for now (5xx after the retries, the network): the person is told here,
            // as when the chat cannot be reached at all, instead of the turn failing.
            delivery = new DeliveryResult(DeliveryStatus.Undeliverable, null, e.Message);
        }
        if (!delivery.Delivered)
        {
            logger.LogWarning("Could not send export {FileName} to {UserId}'s 1:1 chat: {Status} {Reason}", fileName, owner, delivery.Status, delivery.Reason);
            await pending.DeleteAsync(tenant, export.ExportId, cancellationToken).ConfigureAwait(false);
            await turn.SendActivityAsync(MessageFactory.Text(localizer.Get(locale, "exports.notDelivered", fileName)), cancellationToken).ConfigureAwait(false);
            return new ExportOffer(ExportOfferStatus.NotDelivered);
        }
        await turn.SendActivityAsync(MessageFactory.Text(localizer.Get(locale, "exports.sentToPersonalChat", activity.From?.Name ?? "", fileName)), cancellationToken).ConfigureAwait(false);
        return new ExportOffer(ExportOfferStatus.SentToPersonalChat, export.ExportId);
    }

    /// <summary>The file consent card (application/vnd.microsoft.teams.card.file.consent) for a pending export.</summary>
    public static IMessageActivity ConsentCard(PendingExport export)
    {
        var context = new JObject { ["exportId"] = export.ExportId };
        var attachment = new Attachment
        {
            ContentType = FileConsentCard.ContentType,
            Name = export.FileName,
            Content = new FileConsentCard
            {
                Description = export.Description,
                SizeInBytes = export.Bytes.Length,
                AcceptContext = context,
                DeclineContext = context.DeepClone(),
            },
        };
        return MessageFactory.Attachment(attachment);
    }

    /// <summary>A 1:1 chat (Teams' "personal"); group chats, meeting chats and channels are not.</summary>
    public static bool IsPersonal(IActivity activity) =>
        activity.Conversation?.IsGroup != true && (activity.Conversation?.ConversationType is null or "" or "personal");

    internal static string Size(long bytes) => bytes < 1024 * 1024
        ? $"{Math.Ceiling(bytes / 1024.0):0} KB"
        : $"{bytes / (1024.0 * 1024.0):0.0} MB";
}
