using Microsoft.Bot.Schema;
using Microsoft.Bot.Schema.Teams;
using Newtonsoft.Json;

namespace ChatRegs.Bot.Core;

/// <summary>The tenant an activity comes from, as Teams signed it.</summary>
public static class Tenants
{
    /// <summary>The tenant of a Teams activity (conversation.tenantId, else channelData.tenant.id), or null.</summary>
    public static string? Of(IActivity activity)
    {
        if (!string.IsNullOrEmpty(activity.Conversation?.TenantId))
        {
            return activity.Conversation.TenantId;
        }
        try
        {
            return activity.GetChannelData<TeamsChannelData>()?.Tenant?.Id;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
