namespace ChatRegs.Bot.Tabs;

/// <summary>
/// Bound from <c>ChatRegs:Tabs</c>: how the meeting panel and the personal tab (Bot/Tabs) learn
/// who is asking. Teams gives the page an SSO token (Entra ID) for the app registration named in
/// the manifest's <c>webApplicationInfo</c>; the bot accepts it only for that registration.
/// See docs/teams-meeting.md.
/// </summary>
public sealed class TabOptions
{
    public const string Section = "ChatRegs:Tabs";

    /// <summary>The app registration's client id (<c>webApplicationInfo.id</c>): the audience of v2 tokens.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>Its Application ID URI (<c>webApplicationInfo.resource</c>, <c>api://{host}/{client id}</c>): the audience of v1 tokens.</summary>
    public string ApplicationIdUri { get; set; } = "";

    /// <summary>Where Entra ID publishes its signing keys (multi-tenant: the common endpoint; the keys are the same for every tenant).</summary>
    public string MetadataAddress { get; set; } = "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration";

    /// <summary>
    /// Development only, off by default: a signing key of the bot's own, so the local chat page's
    /// host (and the tests) can mint tokens for the sample people. Ignored outside Development.
    /// </summary>
    public bool DevTokens { get; set; }

    /// <summary>The development signing key (base64, at least 32 bytes); empty: a new random key at every start.</summary>
    public string DevSigningKey { get; set; } = "";
}
