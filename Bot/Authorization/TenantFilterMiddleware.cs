using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;

using IMiddleware = Microsoft.Bot.Builder.IMiddleware;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Authorization;

/// <summary>Bound from "ChatRegs:AllowedTenants": the Azure AD tenants the bot serves.</summary>
public sealed class TenantOptions
{
    /// <summary>
    /// Tenant ids allowed to use the bot; <c>"*"</c> means any tenant, said explicitly. Empty
    /// means any tenant too, but only in Development: elsewhere the bot refuses to start
    /// with an empty list (BotHost.Validate).
    /// </summary>
    public List<string> AllowedTenants { get; set; } = [];
}

/// <summary>
/// Drops (and logs) every turn from a tenant that is not on the allow-list, before any
/// feature code or state access runs. A turn that names no tenant at all is dropped too when
/// a list is configured: it cannot prove it belongs.
/// </summary>
public sealed class TenantFilterMiddleware : IMiddleware
{
    public const string AnyTenant = "*";

    private readonly HashSet<string> _allowed;
    private readonly bool _anyTenant;
    private readonly ILogger<TenantFilterMiddleware> _logger;

    public TenantFilterMiddleware(IOptions<TenantOptions> options, ILogger<TenantFilterMiddleware> logger)
    {
        _allowed = new HashSet<string>(options.Value.AllowedTenants.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()), StringComparer.OrdinalIgnoreCase);
        _anyTenant = _allowed.Count == 0 || _allowed.Contains(AnyTenant);
        _logger = logger;
    }

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        if (!_anyTenant)
        {
            var tenant = Tenants.Of(turnContext.Activity);
            if (tenant == null || !_allowed.Contains(tenant))
            {
                _logger.LogWarning(
                    "Dropped a {ActivityType} activity from tenant {TenantId} (conversation {ConversationId}): the tenant is not in ChatRegs:AllowedTenants.",
                    turnContext.Activity.Type, tenant ?? "(none)", turnContext.Activity.Conversation?.Id);
                return;
            }
        }
        await next(cancellationToken).ConfigureAwait(false);
    }
}
