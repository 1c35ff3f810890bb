using ChatRegs.Bot.Core;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Conversations;

/// <summary>
/// The SDK's conversation state keyed by tenant as well: <c>{tenant}/{channel}/conversations/{id}</c>
/// (the tenant escaped by <see cref="TableKeys.Escape"/>, so it holds no '/', and empty for a turn
/// that names none). The SDK keys it by channel and conversation id only, so an activity of another
/// tenant naming the same conversation would continue, see or cancel the flow a person left waiting
/// there (the form with what they typed). The tenant is the turn's, as Teams signed it
/// (<see cref="Tenants.Of"/>); the bot's own turns (proactive flows) name the tenant they run for.
/// </summary>
public sealed class TenantConversationState(IStorage storage) : ConversationState(storage)
{
    protected override string GetStorageKey(ITurnContext turnContext) =>
        TenantScopedState.Key(turnContext, base.GetStorageKey(turnContext));
}

/// <summary>The SDK's per-person state in a conversation (group chats' flows), keyed by tenant as well: see <see cref="TenantConversationState"/>.</summary>
public sealed class TenantPrivateConversationState(IStorage storage) : PrivateConversationState(storage)
{
    protected override string GetStorageKey(ITurnContext turnContext) =>
        TenantScopedState.Key(turnContext, base.GetStorageKey(turnContext));
}

public static class TenantScopedState
{
    /// <summary>The SDK's key for this turn, behind the turn's tenant.</summary>
    public static string Key(ITurnContext turnContext, string sdkKey) =>
        TableKeys.Escape(Tenants.Of(turnContext.Activity) ?? "") + "/" + sdkKey;
}
