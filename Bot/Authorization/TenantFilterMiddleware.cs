using ChatRegs.Bot.Conversations;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;

using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace ChatRegs.Bot.Authorization;

/// <summary>Bound from "ChatRegs:AllowedTenants": the Azure AD tenants the bot serves.</summary>
public sealed class TenantOptions
{
    /// <summary>Tenant ids allowed to use the bot. Empty means any tenant.</summary>
    public List<string> AllowedTenants { get; set; } = [];
}

/// <summary>
/// Drops (and logs) every turn from a tenant that is not on the allow-list, before any
/// feature code or state access runs. A turn that names no tenant at all is dropped too when
/// a list is configured: it cannot prove it belongs.
/// </summary>
public sealed class TenantFilterMiddleware : IMiddleware
{
    private readonly HashSet<string> _allowed;
    private readonly ILogger<TenantFilterMiddleware> _logger;

    public TenantFilterMiddleware(IOptions<TenantOptions> options, ILogger<TenantFilterMiddleware> logger)
    {
        _allowed = new HashSet<string>(options.Value.AllowedTenants.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()), StringComparer.OrdinalIgnoreCase);
        _logger = logger;
    }

    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        if (_allowed.Count > 0)
        {
            var tenant = ConversationReferenceStore.TenantOf(turnContext.Activity);
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
