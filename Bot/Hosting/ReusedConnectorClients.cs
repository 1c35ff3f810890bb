using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Connector.Authentication;
using Microsoft.Bot.Schema;

namespace ChatRegs.Bot.Hosting;

/// <summary>
/// The Bot Framework authentication the adapter uses, with the connector client made once and
/// reused, and the user-token client made only when a turn uses it, instead of both built for
/// every turn. The CloudAdapter builds both at the start
/// of every turn, whether or not the turn sends anything; building one runs the REST runtime's
/// user-agent clean-up (regular expressions compiled each time), which was a fifth of the bot's
/// CPU in the 8:30 rush, where every answer goes back in the HTTP response and neither client
/// is used. The legacy BotFrameworkAdapter cached connector clients the same way.
/// <para>
/// A client is kept per app id (from the turn's claims), service URL and audience: exactly what
/// the inner factory builds one from, so a reused client is the one the turn would have got.
/// Authentication itself is not cached. The cache is bounded: past
/// <see cref="MaxClients"/> it starts again, and a client is built afresh after
/// <see cref="Lifetime"/>, so the HttpClient it holds (from IHttpClientFactory, with the pacing and
/// retry handlers) is renewed as the factory renews its handlers (DNS changes reach it).
/// </para>
/// </summary>
public sealed class ReusedConnectorClients(BotFrameworkAuthentication inner) : BotFrameworkAuthentication
{
    public const int MaxClients = 256;

    /// <summary>How long one client is reused before the next turn builds a new one.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Lazy<Task<IConnectorClient>>> _connectors = new(StringComparer.Ordinal);

    /// <summary>Connector clients built so far (each one reused by every later turn of its key).</summary>
    public int ConnectorClientsBuilt => _built;

    private int _built;

    /// <summary>Authenticates as the inner one does; the turn's connector factory (which the adapter builds the turn's client with) reuses clients.</summary>
    public override async Task<AuthenticateRequestResult> AuthenticateRequestAsync(Activity activity, string authHeader, CancellationToken cancellationToken) =>
        Reusing(await inner.AuthenticateRequestAsync(activity, authHeader, cancellationToken).ConfigureAwait(false));

    public override async Task<AuthenticateRequestResult> AuthenticateStreamingRequestAsync(string authHeader, string channelIdHeader, CancellationToken cancellationToken) =>
        Reusing(await inner.AuthenticateStreamingRequestAsync(authHeader, channelIdHeader, cancellationToken).ConfigureAwait(false));

    private AuthenticateRequestResult Reusing(AuthenticateRequestResult result)
    {
        if (result?.ConnectorFactory != null && result.ConnectorFactory is not Factory)
        {
            result.ConnectorFactory = new Factory(this, result.ConnectorFactory, AppOf(result.ClaimsIdentity));
        }
        return result!;
    }

    public override Task<ClaimsIdentity> AuthenticateChannelRequestAsync(string authHeader, CancellationToken cancellationToken) =>
        inner.AuthenticateChannelRequestAsync(authHeader, cancellationToken);

    public override string GetOriginatingAudience() => inner.GetOriginatingAudience();

    public override Microsoft.Bot.Builder.Skills.BotFrameworkClient CreateBotFrameworkClient() => inner.CreateBotFrameworkClient();

    public override ConnectorFactory CreateConnectorFactory(ClaimsIdentity claimsIdentity) =>
        new Factory(this, inner.CreateConnectorFactory(claimsIdentity), AppOf(claimsIdentity));

    /// <summary>
    /// A user-token client that builds the real one only when the turn first uses it (sign-in
    /// flows; a check-in never does), and disposes it with itself as the adapter expects.
    /// </summary>
    public override Task<UserTokenClient> CreateUserTokenClientAsync(ClaimsIdentity claimsIdentity, CancellationToken cancellationToken) =>
        Task.FromResult<UserTokenClient>(new LazyUserTokenClient(() => inner.CreateUserTokenClientAsync(claimsIdentity, CancellationToken.None)));

    /// <summary>The app a turn's claims speak for (its audience and app id claims; empty with authentication off).</summary>
    private static string AppOf(ClaimsIdentity? claims)
    {
        if (claims?.Claims == null)
        {
            return "";
        }
        var audience = claims.Claims.FirstOrDefault(c => c.Type == AuthenticationConstants.AudienceClaim)?.Value ?? "";
        string Claim(string type) => claims.Claims.FirstOrDefault(c => c.Type == type)?.Value ?? "";
        // The app id is "appid" (v1 tokens) or "azp" (v2); both go into the key.
        return audience + "\u001f" + Claim(AuthenticationConstants.AppIdClaim) + "\u001f" + Claim(AuthenticationConstants.AuthorizedParty) + "\u001f" + claims.IsAuthenticated;
    }

    /// <summary>Which <see cref="Lifetime"/>-long period this is (part of every key: a new period builds new clients).</summary>
    private static long Generation() => Environment.TickCount64 / (long)Lifetime.TotalMilliseconds;

    private static void Bound<T>(ConcurrentDictionary<string, T> cache)
    {
        if (cache.Count >= MaxClients)
        {
            cache.Clear();
        }
    }

    /// <summary>The cached task; one that failed is forgotten, so the next turn builds again.</summary>
    private static async Task<T> Reuse<T>(ConcurrentDictionary<string, Lazy<Task<T>>> cache, string key, Lazy<Task<T>> lazy)
    {
        try
        {
            return await lazy.Value.ConfigureAwait(false);
        }
        catch
        {
            cache.TryRemove(new KeyValuePair<string, Lazy<Task<T>>>(key, lazy));
            throw;
        }
    }

    private sealed class Factory(ReusedConnectorClients owner, ConnectorFactory inner, string app) : ConnectorFactory
    {
        public override async Task<IConnectorClient> CreateAsync(string serviceUrl, string audience, CancellationToken cancellationToken)
        {
            var key = app + "\u001f" + serviceUrl + "\u001f" + audience + "\u001f" + Generation();
            Bound(owner._connectors);
            var lazy = owner._connectors.GetOrAdd(key, _ => new Lazy<Task<IConnectorClient>>(async () =>
            {
                Interlocked.Increment(ref owner._built);
                var built = await inner.CreateAsync(serviceUrl, audience, CancellationToken.None).ConfigureAwait(false);
                // Same address, credentials and HttpClient (with its pacing and retry handlers); disposing it does nothing.
                return built is ConnectorClient client ? new SharedConnectorClient(client) : built;
            }));
            var connector = await Reuse(owner._connectors, key, lazy).ConfigureAwait(false);
            if (connector is SharedConnectorClient)
            {
                return connector;
            }
            // Not one the SDK's factory normally builds: it may be disposed after the turn, so it is not kept.
            owner._connectors.TryRemove(new KeyValuePair<string, Lazy<Task<IConnectorClient>>>(key, lazy));
            return connector;
        }
    }

    /// <summary>
    /// A connector client that outlives the turn: the adapter and proactive sends dispose their
    /// client when done, which for a shared one must not close anything. Still a
    /// <see cref="ConnectorClient"/>, so Teams calls (TeamsInfo) use its HttpClient as before.
    /// </summary>
    private sealed class SharedConnectorClient(ConnectorClient built)
        : ConnectorClient(built.BaseUri, built.Credentials, built.HttpClient, disposeHttpClient: false)
    {
        protected override void Dispose(bool disposing)
        {
        }
    }

    private sealed class LazyUserTokenClient(Func<Task<UserTokenClient>> build) : UserTokenClient
    {
        private readonly Lazy<Task<UserTokenClient>> _client = new(build);

        private Task<UserTokenClient> Client => _client.Value;

        public override async Task<TokenResponse> GetUserTokenAsync(string userId, string connectionName, string channelId, string magicCode, CancellationToken cancellationToken) =>
            await (await Client.ConfigureAwait(false)).GetUserTokenAsync(userId, connectionName, channelId, magicCode, cancellationToken).ConfigureAwait(false);

        public override async Task<SignInResource> GetSignInResourceAsync(string connectionName, Activity activity, string finalRedirect, CancellationToken cancellationToken) =>
            await (await Client.ConfigureAwait(false)).GetSignInResourceAsync(connectionName, activity, finalRedirect, cancellationToken).ConfigureAwait(false);

        public override async Task SignOutUserAsync(string userId, string connectionName, string channelId, CancellationToken cancellationToken) =>
            await (await Client.ConfigureAwait(false)).SignOutUserAsync(userId, connectionName, channelId, cancellationToken).ConfigureAwait(false);

        public override async Task<TokenStatus[]> GetTokenStatusAsync(string userId, string channelId, string includeFilter, CancellationToken cancellationToken) =>
            await (await Client.ConfigureAwait(false)).GetTokenStatusAsync(userId, channelId, includeFilter, cancellationToken).ConfigureAwait(false);

        public override async Task<Dictionary<string, TokenResponse>> GetAadTokensAsync(string userId, string connectionName, string[] resourceUrls, string channelId, CancellationToken cancellationToken) =>
            await (await Client.ConfigureAwait(false)).GetAadTokensAsync(userId, connectionName, resourceUrls, channelId, cancellationToken).ConfigureAwait(false);

        public override async Task<TokenResponse> ExchangeTokenAsync(string userId, string connectionName, string channelId, TokenExchangeRequest exchangeRequest, CancellationToken cancellationToken) =>
            await (await Client.ConfigureAwait(false)).ExchangeTokenAsync(userId, connectionName, channelId, exchangeRequest, cancellationToken).ConfigureAwait(false);

        protected override void Dispose(bool disposing)
        {
            if (disposing && _client.IsValueCreated && _client.Value.IsCompletedSuccessfully)
            {
                _client.Value.Result.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
