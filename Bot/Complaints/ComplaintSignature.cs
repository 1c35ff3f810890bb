using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Callbacks;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Complaints;

/// <summary>
/// "投诉 签字 TS-20261126-001" / "complaint signature TS-…" with a photo or scan of the
/// customer's signature attached (Teams sends the file with the message), at 实施处理方案, by the
/// step's owner or a supervisor. The file is fetched with the callback import's guards (Teams'
/// file hosts only, public addresses, a size cap, a time limit) to prove it is there and to know
/// its size; only its name, link, size, who and when are kept, not the file.
/// </summary>
public sealed class ComplaintSignature(IAuthorizationService authorization, ComplaintViews views, ComplaintService service, ComplaintCards cards, CallbackFiles files)
{
    public static readonly string[] Words = ["签字", "签名", "signature", "sign"];

    public static readonly string[] Extensions = [".jpg", ".jpeg", ".png", ".gif", ".bmp", ".heic", ".webp", ".tif", ".tiff", ".pdf"];

    public async Task RunAsync(ITurnContext turn, string number, CancellationToken cancellationToken)
    {
        var locale = ComplaintViews.LocaleOf(turn);
        if (!ComplaintCommand.NumberPattern().IsMatch(number))
        {
            await views.SayAsync(turn, "signature.usage", cancellationToken).ConfigureAwait(false);
            return;
        }
        var c = await service.GetAsync(ComplaintViews.TenantOf(turn), number, cancellationToken).ConfigureAwait(false);
        if (c == null)
        {
            await views.SayAsync(turn, "notFound", cancellationToken, number).ConfigureAwait(false);
            return;
        }
        if (!await views.EnsureMaySeeAsync(turn, c, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        if (!c.IsOpen || c.Stage != ComplaintStage.Implement)
        {
            await views.SayAsync(turn, "signature.wrongStage", cancellationToken, c.Number, cards.StageName(c.Stage, locale)).ConfigureAwait(false);
            return;
        }
        if (!await authorization.EnsureAllowedAsync(turn, ComplaintPermissions.ComplaintAdvance, ComplaintRoles.Resource(c), cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        if (CallbackFiles.FileOf(turn.Activity) is not { } file)
        {
            await views.SayAsync(turn, "signature.noFile", cancellationToken, c.Number).ConfigureAwait(false);
            return;
        }
        var name = file.Name.Trim();
        if (!Extensions.Contains(Path.GetExtension(name).ToLowerInvariant()))
        {
            await views.SayAsync(turn, "signature.notImage", cancellationToken, Shown(name)).ConfigureAwait(false);
            return;
        }
        if (file.Url is not { } url || !(url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)))
        {
            await views.SayAsync(turn, "signature.noDownload", cancellationToken, Shown(name)).ConfigureAwait(false);
            return;
        }
        var max = service.Options.MaxSignatureBytes is > 0 and <= 20 * 1024 * 1024 ? service.Options.MaxSignatureBytes : ComplaintOptions.DefaultMaxSignatureBytes;
        var (bytes, refusal) = await files.DownloadAsync(url, Shown(name), max, locale, cancellationToken, "complaints.signature").ConfigureAwait(false);
        if (bytes == null)
        {
            await turn.SendActivityAsync(MessageFactory.Text(refusal), cancellationToken).ConfigureAwait(false);
            return;
        }
        if (bytes.Length == 0)
        {
            await views.SayAsync(turn, "signature.empty", cancellationToken, Shown(name)).ConfigureAwait(false);
            return;
        }
        var actor = await views.ActorAsync(turn, cancellationToken).ConfigureAwait(false);
        StepOutcome outcome;
        try
        {
            outcome = await service.AttachSignatureAsync(c, actor, name, url, bytes.Length, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageConflictException)
        {
            await views.SayAsync(turn, "changed", cancellationToken, c.Number).ConfigureAwait(false);
            return;
        }
        var saved = outcome.Complaint!;
        var text = views.L(turn, "signature.saved", saved.Number, saved.SignatureFile!.Name, Kb(bytes.Length));
        await turn.SendActivityAsync(MessageFactory.Text(text), cancellationToken).ConfigureAwait(false);
        await turn.SendActivityAsync(MessageFactory.Attachment(await views.ViewAsync(turn, saved, actor, cancellationToken, text, "Good").ConfigureAwait(false)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A file name as said back: short, on one line.</summary>
    private static string Shown(string name) => Dialogs.InputLimits.Truncate(name.ReplaceLineEndings(" "), 100);

    public static string Kb(long bytes) => Math.Max(1, (bytes + 1023) / 1024).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
