using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Authorization;

/// <summary>
/// The one place that decides "may this person do this?". Features call it with an action
/// (a constant from the feature's permissions, e.g. LeavePermissions) and, where it matters, the resource acted on; the
/// identity always comes from the turn's activity (tenant + sender), never from card data.
/// </summary>
public interface IAuthorizationService
{
    Task<AuthorizationDecision> AuthorizeAsync(ITurnContext turnContext, string action, AuthorizationResource? resource = null, CancellationToken cancellationToken = default);
}

/// <summary>What an action is applied to: e.g. a meeting series with its host and recorder, a rep's queue.</summary>
public sealed record AuthorizationResource(string Kind, string Id)
{
    /// <summary>People with a per-resource role on it (host, recorder, approver, owner…): role → user ids.</summary>
    public IReadOnlyDictionary<string, IReadOnlyCollection<string>> PeopleByRole { get; init; } =
        new Dictionary<string, IReadOnlyCollection<string>>();
}

/// <summary>Allowed, or refused with a localized reason (a key in the strings tables).</summary>
public sealed record AuthorizationDecision(bool Allowed, string? ReasonKey = null)
{
    public static AuthorizationDecision Allow { get; } = new(true);

    public static AuthorizationDecision Deny(string reasonKey) => new(false, reasonKey);
}
