using System.Security.Cryptography;
using System.Text;

namespace ChatRegs.Bot.DevChannel;

/// <summary>
/// The local chat channel's secret: made at start-up (never configured, never stored), printed
/// once in the page's address (<c>Local chat page: http://localhost:3978/?key=…</c>), and
/// required on every request to the channel (see <see cref="DevChannelGate"/>). A browser
/// presents it as a same-origin cookie set when that address is opened; the bot presents it in
/// the <see cref="HeaderName"/> header on its own calls to its serviceUrl
/// (<see cref="DevChannelBotProof"/>); a script may send the header too.
/// </summary>
public sealed class DevChannelKey
{
    /// <summary>The header a non-browser caller (the bot itself, curl, a test) presents the key in.</summary>
    public const string HeaderName = "X-ChatRegs-DevChannel-Key";

    /// <summary>The query parameter of the page's address; accepted on GET only, then swapped for the cookie.</summary>
    public const string QueryName = "key";

    private readonly byte[] _bytes;

    public DevChannelKey()
    {
        // 192 random bits, URL-safe (no escaping needed in the address).
        Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        _bytes = Encoding.ASCII.GetBytes(Value);
    }

    /// <summary>The secret itself. Shown only in the page's address at start-up.</summary>
    public string Value { get; }

    /// <summary>Whether <paramref name="candidate"/> is the key (constant time).</summary>
    public bool Matches(string? candidate)
    {
        if (string.IsNullOrEmpty(candidate) || candidate.Length > 256)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(_bytes, Encoding.UTF8.GetBytes(candidate));
    }

    /// <summary>
    /// The cookie's name, one per port: cookies are shared by every port of a host, and two bots
    /// on one machine (each with its own key) must not overwrite each other's.
    /// </summary>
    public static string CookieName(HttpRequest request) =>
        "chatregs-devchannel-" + (request.Host.Port ?? (request.IsHttps ? 443 : 80)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Remembers a serviceUrl the channel gave the bot (always on a loopback host: the gate lets
    /// no other Host through), so <see cref="DevChannelBotProof"/> presents the key there and
    /// nowhere else. The listening addresses are remembered at start-up too, for conversation
    /// references stored before a restart.
    /// </summary>
    public void Trust(string serviceUrl)
    {
        if (Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) && uri.IsLoopback && uri.Scheme is "http" or "https"
            && (_trusted.Count < 32 || _trusted.ContainsKey(Origin(uri))))
        {
            _trusted.TryAdd(Origin(uri), true);
        }
    }

    /// <summary>Whether <paramref name="uri"/> is one of this channel's own endpoints (a trusted origin, under /devchannel/).</summary>
    public bool IsOwnChannel(Uri? uri) =>
        uri is { IsAbsoluteUri: true, IsLoopback: true }
        && uri.AbsolutePath.StartsWith("/devchannel/", StringComparison.Ordinal)
        && _trusted.ContainsKey(Origin(uri));

    private static string Origin(Uri uri) => uri.Scheme + "://" + uri.IdnHost.ToLowerInvariant() + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _trusted = new(StringComparer.Ordinal);

    /// <summary>The page's address on <paramref name="baseAddress"/> (e.g. http://localhost:3978), with the key.</summary>
    public string PageAddress(string baseAddress) => baseAddress.TrimEnd('/') + "/?" + QueryName + "=" + Value;
}
