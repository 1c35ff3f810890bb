using System.Collections.Concurrent;
using System.Globalization;
using ChatRegs.Cards;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Bot.DevChannel;

/// <summary>
/// Teams' file consent flow on the local chat page, where there is no OneDrive. Teams shows the
/// bot's file consent card (<c>application/vnd.microsoft.teams.card.file.consent</c>) with Allow
/// and Decline, sends <c>fileConsent/invoke</c> with an upload URL in the person's OneDrive, and
/// shows the file card (<c>…file.info</c>) the bot sends after uploading as a file to open.
/// Web Chat knows none of these, so the channel plays Teams' part:
/// <list type="bullet">
/// <item>in the transcript, a consent card becomes an Adaptive Card with the file's name, size
/// and description and 接受/拒绝 (Accept/Decline) buttons, and a file card becomes an Adaptive
/// Card with a 下载 (Download) link;</item>
/// <item>pressing a button is turned into the <c>fileConsent/invoke</c> Teams would send, whose
/// upload URL is this channel's <c>/devchannel/files/{id}</c>;</item>
/// <item>the bot's upload (PUT) is kept in memory, and the link serves it.</item>
/// </list>
/// The bot runs its Teams code path unchanged. Files live in memory only (the newest
/// <see cref="MaxFiles"/>, at most <see cref="MaxFileBytes"/> each) and a PUT is accepted only
/// for an upload URL the channel handed out.
/// </summary>
public sealed class DevFiles(Localization.Localizer localizer)
{
    public const string ConsentContentType = "application/vnd.microsoft.teams.card.file.consent";
    public const string FileInfoContentType = "application/vnd.microsoft.teams.card.file.info";
    public const string ConsentField = "devchannel:fileConsent";
    public const int MaxFiles = 50;
    public const int MaxFileBytes = 10 * 1024 * 1024;

    private readonly ConcurrentDictionary<string, Consent> _consents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Upload> _uploads = new(StringComparer.Ordinal);

    private sealed record Consent(string Id, string Name, JToken? AcceptContext, JToken? DeclineContext);

    private sealed record Upload(string Name, DateTimeOffset OfferedAt)
    {
        public byte[]? Bytes { get; set; }
    }

    /// <summary>Rewrites the file cards of an activity the bot sent into cards the page can show.</summary>
    public void Present(JObject activity)
    {
        if (activity["attachments"] is not JArray attachments)
        {
            return;
        }
        var locale = (string?)activity["locale"] ?? "";
        for (var i = 0; i < attachments.Count; i++)
        {
            if (attachments[i] is not JObject attachment)
            {
                continue;
            }
            var card = (string?)attachment["contentType"] switch
            {
                ConsentContentType => ConsentCard(attachment, locale),
                FileInfoContentType => FileCard(attachment, locale),
                _ => null,
            };
            if (card != null)
            {
                attachments[i] = new JObject { ["contentType"] = DevInvokes.AdaptiveCardContentType, ["content"] = card };
            }
        }
    }

    private JObject ConsentCard(JObject attachment, string locale)
    {
        var content = attachment["content"] as JObject ?? [];
        var consent = new Consent(Guid.NewGuid().ToString("N"), (string?)attachment["name"] ?? "file",
            content["acceptContext"]?.DeepClone(), content["declineContext"]?.DeepClone());
        _consents[consent.Id] = consent;
        var size = content["sizeInBytes"]?.Type == JTokenType.Integer ? (long)content["sizeInBytes"]! : (long?)null;
        var body = new JArray
        {
            new JObject { ["type"] = "TextBlock", ["text"] = localizer.Get(locale, "exports.devConsent", MarkdownText.Escape(consent.Name), size == null ? "?" : Exports.FileExporter.Size(size.Value)), ["weight"] = "Bolder", ["wrap"] = true },
        };
        if (content["description"] is JValue { Type: JTokenType.String } description)
        {
            body.Add(new JObject { ["type"] = "TextBlock", ["text"] = MarkdownText.Escape((string)description!), ["wrap"] = true });
        }
        return new JObject
        {
            ["type"] = "AdaptiveCard",
            ["version"] = "1.5",
            ["body"] = body,
            ["actions"] = new JArray(Button(localizer.Get(locale, "exports.accept"), "accept", consent.Id), Button(localizer.Get(locale, "exports.decline"), "decline", consent.Id)),
        };
    }

    private static JObject Button(string title, string action, string consentId) => new()
    {
        ["type"] = "Action.Submit",
        ["title"] = title,
        ["data"] = new JObject { [ConsentField] = action, ["consentId"] = consentId },
    };

    private JObject FileCard(JObject attachment, string locale)
    {
        var name = (string?)attachment["name"] ?? "file";
        var url = (string?)attachment["contentUrl"];
        var card = new JObject
        {
            ["type"] = "AdaptiveCard",
            ["version"] = "1.5",
            ["body"] = new JArray(new JObject { ["type"] = "TextBlock", ["text"] = "📄 " + MarkdownText.Escape(name), ["weight"] = "Bolder", ["wrap"] = true }),
        };
        if (Uri.TryCreate(url, UriKind.Absolute, out _))
        {
            card["actions"] = new JArray(new JObject { ["type"] = "Action.OpenUrl", ["title"] = localizer.Get(locale, "exports.download"), ["url"] = url });
        }
        return card;
    }

    /// <summary>
    /// The <c>fileConsent/invoke</c> Teams sends when the person presses a button of a consent
    /// card (the value of the page's submit); null when the value is not such a press or names no
    /// consent card the channel showed.
    /// </summary>
    public JObject? ConsentInvoke(JToken? value, string serviceUrl)
    {
        if (value is not JObject data || (string?)data[ConsentField] is not ("accept" or "decline") || (string?)data["consentId"] is not { } consentId
            || !_consents.TryGetValue(consentId, out var consent))
        {
            return null;
        }
        var action = (string)data[ConsentField]!;
        var response = new JObject
        {
            ["type"] = "fileUpload",
            ["action"] = action,
            ["context"] = (action == "accept" ? consent.AcceptContext : consent.DeclineContext)?.DeepClone(),
        };
        if (action == "accept")
        {
            var fileId = Guid.NewGuid().ToString("N");
            Remember(fileId, new Upload(consent.Name, DateTimeOffset.UtcNow));
            var url = serviceUrl + "files/" + fileId;
            response["uploadInfo"] = new JObject
            {
                ["name"] = consent.Name,
                ["uploadUrl"] = url,
                ["contentUrl"] = url,
                ["uniqueId"] = fileId,
                ["fileType"] = Path.GetExtension(consent.Name).TrimStart('.'),
            };
        }
        return new JObject { ["type"] = "invoke", ["name"] = "fileConsent/invoke", ["value"] = response };
    }

    private void Remember(string fileId, Upload upload)
    {
        _uploads[fileId] = upload;
        foreach (var old in _uploads.OrderByDescending(u => u.Value.OfferedAt).Skip(MaxFiles).ToList())
        {
            _uploads.TryRemove(old.Key, out _);
        }
    }

    /// <summary>The bot uploads the file; false when the URL was not handed out (or has been forgotten).</summary>
    public bool Store(string fileId, byte[] bytes)
    {
        if (!_uploads.TryGetValue(fileId, out var upload))
        {
            return false;
        }
        upload.Bytes = bytes;
        return true;
    }

    /// <summary>An uploaded file, or null.</summary>
    public (string Name, byte[] Bytes)? Get(string fileId) =>
        _uploads.TryGetValue(fileId, out var upload) && upload.Bytes is { } bytes ? (upload.Name, bytes) : null;
}
