using ChatRegs.Bot.Conversations;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Connector;
using Microsoft.Bot.Schema;
using Microsoft.Bot.Schema.Teams;

namespace ChatRegs.Bot.DevChannel;

/// <summary>
/// Sends a test notice to a person through the bot's REAL proactive path: the person's stored
/// 1:1 conversation reference (<see cref="ConversationReferenceStore.GetPersonalConversationAsync"/>)
/// and the adapter's ContinueConversationAsync, or, for a person the bot has no 1:1 chat with
/// yet, the connector's CreateConversation (as a Teams bot must).
/// <para>
/// Development only, until the scheduler exists: the scheduler (reminders, approval requests)
/// will be the real sender and should use this same path; this endpoint only lets a developer
/// see a proactive message arrive in another person's chat.
/// </para>
/// </summary>
public sealed class DevProactive
{
    private readonly BotAdapter _adapter;
    private readonly ConversationReferenceStore _references;
    private readonly DevTeams _teams;

    public DevProactive(BotAdapter adapter, ConversationReferenceStore references, DevTeams teams)
    {
        _adapter = adapter;
        _references = references;
        _teams = teams;
    }

    /// <returns>How it was sent ("storedReference" or "createConversation"), the conversation and the message id.</returns>
    public async Task<(string Via, string? ConversationId, string? ActivityId)> NotifyAsync(string tenantId, string userId, string text, string serviceUrl, CancellationToken cancellationToken)
    {
        string? activityId = null;
        string? conversationId = null;
        async Task SendAsync(ITurnContext turnContext, CancellationToken ct)
        {
            conversationId = turnContext.Activity.Conversation?.Id;
            var response = await turnContext.SendActivityAsync(MessageFactory.Text(text), ct).ConfigureAwait(false);
            activityId = response?.Id;
        }

        var reference = await _references.GetPersonalConversationAsync(tenantId, userId, cancellationToken).ConfigureAwait(false);
        if (reference != null)
        {
            await _adapter.ContinueConversationAsync(_teams.AppId, reference, SendAsync, cancellationToken).ConfigureAwait(false);
            return ("storedReference", conversationId, activityId);
        }

        var parameters = new ConversationParameters
        {
            IsGroup = false,
            Bot = new ChannelAccount(_teams.BotId, DevTeams.BotName),
            Members = [new ChannelAccount(userId)],
            TenantId = tenantId,
            ChannelData = new TeamsChannelData { Tenant = new TenantInfo(tenantId) },
        };
        await _adapter.CreateConversationAsync(_teams.AppId, Channels.Msteams, serviceUrl, null, parameters, SendAsync, cancellationToken).ConfigureAwait(false);
        return ("createConversation", conversationId, activityId);
    }
}
