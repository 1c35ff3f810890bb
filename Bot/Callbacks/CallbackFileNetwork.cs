using System.Net;
using System.Net.Sockets;

namespace ChatRegs.Bot.Callbacks;

/// <summary>
/// Where the download of an imported file may connect (the SSRF guard of <see cref="CallbackFiles"/>):
/// the link's host must be on <see cref="CallbackOptions.ImportHosts"/>, the link must be https
/// on the default port, and every address the host resolves to must be a public one (checked
/// when the connection is made, so a DNS answer cannot change between the check and the
/// connect). No proxy is used, so the address checked is the address connected to.
/// <para>
/// This is a service, not a setting: no configuration key reaches it, so production always runs
/// with <see cref="Strict"/>. Only code can relax it, and only a test host does
/// (<see cref="LoopbackForTests"/>: plain http and any port to a loopback IP literal, so tests can
/// download from a server they start on 127.0.0.1; the host allow-list still applies).
/// </para>
/// </summary>
public sealed class CallbackFileNetwork
{
    /// <summary>Production: https on port 443 to public addresses only.</summary>
    public static readonly CallbackFileNetwork Strict = new(false);

    /// <summary>Tests only: also http, any port, to 127.0.0.1 / ::1 named as an IP literal (still only when the allow-list names it).</summary>
    public static readonly CallbackFileNetwork LoopbackForTests = new(true);

    private CallbackFileNetwork(bool loopback) => AllowsLoopback = loopback;

    public bool AllowsLoopback { get; }

    /// <summary>True when the URL may be requested at all (scheme, port, credentials, host allow-list).</summary>
    public bool Permits(Uri uri, IReadOnlyList<string> hosts)
    {
        if (!uri.IsAbsoluteUri || uri.UserInfo.Length > 0)
        {
            return false;
        }
        var loopbackLiteral = AllowsLoopback && uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && IPAddress.TryParse(uri.IdnHost, out var ip) && IPAddress.IsLoopback(ip);
        if (!(uri.Scheme == Uri.UriSchemeHttps && uri.IsDefaultPort) && !(loopbackLiteral && uri.Scheme is "http" or "https"))
        {
            return false;
        }
        return HostAllowed(uri.IdnHost, hosts);
    }

    /// <summary>
    /// True when <paramref name="host"/> is on the list: an entry "*.example.com" matches every
    /// name below example.com (not example.com itself), any other entry matches exactly; case
    /// and a trailing dot do not matter.
    /// </summary>
    public static bool HostAllowed(string host, IReadOnlyList<string> hosts)
    {
        host = host.Trim().TrimEnd('.').ToLowerInvariant();
        if (host.Length == 0)
        {
            return false;
        }
        foreach (var raw in hosts)
        {
            var entry = raw.Trim().TrimEnd('.').ToLowerInvariant();
            if (entry.StartsWith("*.", StringComparison.Ordinal))
            {
                var suffix = entry[1..];
                if (suffix.Length > 1 && host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.Ordinal))
                {
                    return true;
                }
            }
            else if (entry.Length > 0 && entry == host)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True when the download may connect to <paramref name="address"/>.</summary>
    public bool Permits(IPAddress address) => IsPublic(address) || (AllowsLoopback && IPAddress.IsLoopback(address));

    /// <summary>
    /// False for every address that is not on the public internet: unspecified, loopback,
    /// private (RFC 1918, unique-local), shared (100.64/10), link-local, multicast, reserved and
    /// documentation ranges, and IPv6 forms that carry such an IPv4 address (mapped, NAT64, 6to4).
    /// </summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] is 0 or 10 or 127 or >= 224
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
                || (b[0] == 198 && b[1] is 18 or 19)
                || (b[0] == 198 && b[1] == 51 && b[2] == 100)
                || (b[0] == 203 && b[1] == 0 && b[2] == 113));
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }
        var v6 = address.GetAddressBytes();
        if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback)
            || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
            || (v6[0] & 0xFE) == 0xFC                                             // fc00::/7 unique local
            || (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0D && v6[3] == 0xB8) // 2001:db8::/32 documentation
            || (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x00 && v6[3] == 0x00) // 2001::/32 Teredo
            || v6.Take(10).All(x => x == 0))                                      // ::/80: IPv4-compatible and the like
        {
            return false;
        }
        if (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xFF && v6[3] == 0x9B)     // 64:ff9b::/96 NAT64
        {
            return IsPublic(new IPAddress(v6[12..16]));
        }
        if (v6[0] == 0x20 && v6[1] == 0x02)                                       // 2002::/16 6to4
        {
            return IsPublic(new IPAddress(v6[2..6]));
        }
        return true;
    }

    /// <summary>
    /// The connection of the download's handler: resolves the host, refuses it when any address
    /// it resolves to is not permitted, and connects to the checked addresses only.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        if (addresses.Length == 0 || addresses.Any(a => !Permits(a)))
        {
            throw new AddressRefusedException(host);
        }
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The primary handler of the download's HttpClient: no redirects (<see cref="CallbackFiles"/> checks each hop), no proxy, no cookies, the address check at connect time.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        MaxResponseHeadersLength = 64,
        ConnectCallback = ConnectAsync,
    };

    /// <summary>The host resolves to an address the download may not reach.</summary>
    public sealed class AddressRefusedException(string host) : IOException($"The import download may not connect to {host}: it resolves to a non-public address.");
}
