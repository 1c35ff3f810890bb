namespace ChatRegs.Bot.Exports;

/// <summary>Bound from "ChatRegs:Exports".</summary>
public sealed class ExportOptions
{
    public const string Section = "ChatRegs:Exports";

    /// <summary>
    /// The hosts an accepted file may be uploaded to, comma-separated; "*.example.com" means every
    /// name below example.com (as <c>ChatRegs:Callbacks:ImportHosts</c>). Teams hands the bot an
    /// upload session in the person's OneDrive for Business, which lives on SharePoint
    /// (*.sharepoint.com; *.sharepoint.cn for Teams operated by 21Vianet). The upload URL must also
    /// be https on the default port without credentials.
    /// </summary>
    public string UploadHosts { get; set; } = "*.sharepoint.com,*.sharepoint.cn";

    /// <summary><see cref="UploadHosts"/> as a list.</summary>
    public IReadOnlyList<string> UploadHostList() =>
        UploadHosts.Split([',', ';', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// Where <see cref="FileConsentHandler"/> may PUT an accepted file: the <c>uploadUrl</c> comes in
/// the invoke, i.e. from the client, so without a check a forged invoke could make the bot send
/// the export (and its own HTTP requests) anywhere. A service, not a setting: production runs
/// with <see cref="Strict"/>; only the local chat channel (Development, no app id) registers
/// <see cref="LocalChannel"/>, which also accepts its own upload address (under the turn's
/// loopback serviceUrl).
/// </summary>
public sealed class ExportUploadNetwork
{
    /// <summary>https on port 443 to a host on <see cref="ExportOptions.UploadHosts"/>.</summary>
    public static readonly ExportUploadNetwork Strict = new(false);

    /// <summary>Also the local chat channel's own files endpoint: a URL under the turn's serviceUrl when that is loopback.</summary>
    public static readonly ExportUploadNetwork LocalChannel = new(true);

    private ExportUploadNetwork(bool localChannel) => AllowsLocalChannel = localChannel;

    public bool AllowsLocalChannel { get; }

    /// <summary>True when the bot may PUT the file to <paramref name="uploadUrl"/>.</summary>
    public bool Permits(Uri uploadUrl, IReadOnlyList<string> hosts, string? serviceUrl)
    {
        if (!uploadUrl.IsAbsoluteUri || uploadUrl.UserInfo.Length > 0)
        {
            return false;
        }
        if (AllowsLocalChannel && uploadUrl.IsLoopback && uploadUrl.Scheme is "http" or "https"
            && Uri.TryCreate(serviceUrl, UriKind.Absolute, out var service) && service.IsLoopback
            && uploadUrl.GetLeftPart(UriPartial.Authority) == service.GetLeftPart(UriPartial.Authority)
            && uploadUrl.AbsolutePath.StartsWith(service.AbsolutePath, StringComparison.Ordinal))
        {
            return true;
        }
        return uploadUrl.Scheme == Uri.UriSchemeHttps && uploadUrl.IsDefaultPort
            && Callbacks.CallbackFileNetwork.HostAllowed(uploadUrl.IdnHost, hosts);
    }
}
