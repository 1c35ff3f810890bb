using ChatRegs.Bot.Conversations;
using Microsoft.Bot.Builder;

using IMiddleware = Microsoft.Bot.Builder.IMiddleware;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Proactive;

/// <summary>
/// The tenant the current connector calls are made for. A connector request names its
/// conversation in its URL but not its tenant, and Teams limits requests per tenant, so the
/// code making the calls says which tenant it acts for: <see cref="ProactiveSender"/> for
/// proactive messages, <see cref="ConnectorTenantMiddleware"/> for replies in a turn. It
/// flows with the async call (AsyncLocal) into <see cref="ConnectorThrottlingHandler"/>.
/// </summary>
public static class ConnectorContext
{
    private static readonly AsyncLocal<string?> Tenant = new();

    public static string? TenantId => Tenant.Value;

    /// <summary>Sets the tenant until the returned scope is disposed.</summary>
    public static IDisposable ForTenant(string? tenantId)
    {
        var previous = Tenant.Value;
        Tenant.Value = tenantId;
        return new Scope(previous);
    }

    private sealed class Scope(string? previous) : IDisposable
    {
        public void Dispose() => Tenant.Value = previous;
    }
}

/// <summary>Tells the connector's rate limiter which tenant a turn's replies belong to.</summary>
public sealed class ConnectorTenantMiddleware : IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        using (ConnectorContext.ForTenant(Tenants.Of(turnContext.Activity)))
        {
            await next(cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// Hands the Bot Framework's connector the named HttpClient that carries
/// <see cref="ConnectorThrottlingHandler"/>, whatever client name it asks for (it asks for the
/// default one), without changing the app's default HttpClient.
/// </summary>
public sealed class ConnectorHttpClientFactory : IHttpClientFactory
{
    private readonly IHttpClientFactory _inner;

    public ConnectorHttpClientFactory(IHttpClientFactory inner)
    {
        _inner = inner;
    }

    public HttpClient CreateClient(string name) => _inner.CreateClient(ProactiveOptions.HttpClientName);
}
