using ChatRegs.Bot.Conversations;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Teams;
using Microsoft.Bot.Schema;
using Microsoft.Bot.Schema.Teams;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.People;

/// <summary>
/// Learns everyone in a conversation the bot was installed in, through Teams' paged members
/// API (pages of up to 500), and everyone who joins later.
/// </summary>
public sealed class MemberDiscovery(PeopleDirectory people, ILogger<MemberDiscovery> logger)
{
    public const int PageSize = 200;

    /// <returns>How many members were recorded.</returns>
    public async Task<int> DiscoverAsync(ITurnContext turnContext, CancellationToken cancellationToken)
    {
        var tenant = Tenants.Of(turnContext.Activity);
        if (tenant == null)
        {
            return 0;
        }
        var count = 0;
        string? continuation = null;
        do
        {
            var page = await TeamsInfo.GetPagedMembersAsync(turnContext, PageSize, continuation, cancellationToken).ConfigureAwait(false);
            foreach (var member in page.Members ?? [])
            {
                await RecordAsync(tenant, member, cancellationToken).ConfigureAwait(false);
                count++;
            }
            continuation = page.ContinuationToken;
        }
        while (!string.IsNullOrEmpty(continuation));
        logger.LogInformation("Recorded {Count} members of conversation {ConversationId}.", count, turnContext.Activity.Conversation?.Id);
        return count;
    }

    /// <summary>People who joined a conversation the bot is already in.</summary>
    public async Task RecordJoinedAsync(ITurnContext turnContext, IEnumerable<ChannelAccount> members, CancellationToken cancellationToken)
    {
        var tenant = Tenants.Of(turnContext.Activity);
        if (tenant == null)
        {
            return;
        }
        foreach (var member in members.Where(m => m.Id != turnContext.Activity.Recipient?.Id))
        {
            if (member is TeamsChannelAccount teams)
            {
                await RecordAsync(tenant, teams, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await people.EnsureKnownAsync(tenant, member.Id, member.Name, member.AadObjectId, null, null, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private Task RecordAsync(string tenant, TeamsChannelAccount member, CancellationToken cancellationToken) =>
        people.EnsureKnownAsync(tenant, member.Id, member.Name, member.AadObjectId, member.UserPrincipalName ?? member.Email, null, cancellationToken);
}
