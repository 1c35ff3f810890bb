using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Exports;

/// <summary>
/// Sends a file the bot made (a CSV, a Markdown digest, …) to the person whose turn this is.
/// In Teams, files go through the file consent flow in the person's 1:1 chat with the bot:
/// the bytes wait server-side (<see cref="PendingExportStore"/>, 24 h), the person accepts
/// the consent card, the bot uploads to their OneDrive and shows the file card. From a group
/// chat, meeting chat or channel the card goes to their 1:1 chat and the conversation gets a
/// note saying so. Other channels (Web Chat, the Emulator) get the file inline.
/// </summary>
public interface IFileExporter
{
    /// <param name="fileName">The file's name as the person will see it (e.g. "attendance-2026-11.csv").</param>
    /// <param name="contentType">Its media type (e.g. "text/csv").</param>
    /// <param name="bytes">Its content, exactly as it should land (include a BOM if Excel needs one).</param>
    /// <param name="description">What the file is, in the person's language (shown on the consent card).</param>
    Task<ExportOffer> OfferAsync(ITurnContext turn, string fileName, string contentType, byte[] bytes, string description, CancellationToken cancellationToken);
}

public enum ExportOfferStatus
{
    /// <summary>The consent card was sent in this (1:1) conversation.</summary>
    Offered,

    /// <summary>The consent card went to the person's 1:1 chat; this conversation got a note.</summary>
    SentToPersonalChat,

    /// <summary>The 1:1 chat could not be reached; the person was told, nothing is pending.</summary>
    NotDelivered,

    /// <summary>Not Teams: the file was sent inline as an attachment.</summary>
    Inline,

    /// <summary>Too big to keep for the consent flow; the person was told.</summary>
    TooLarge,
}

/// <summary>What happened to an offered file; <see cref="ExportId"/> names the pending export when there is one.</summary>
public sealed record ExportOffer(ExportOfferStatus Status, string? ExportId = null);
