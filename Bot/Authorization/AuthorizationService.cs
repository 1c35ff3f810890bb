using ChatRegs.Bot.Core;
using ChatRegs.Bot.People;
using Microsoft.Bot.Builder;

namespace ChatRegs.Bot.Authorization;

/// <summary>
/// Decides every permission from the turn's identity (tenant + sender id, as Teams signed
/// them), the people directory's roles (through <see cref="RoleHolders"/>, configured office
/// administrators included) and the rules features registered (<see cref="PermissionTable"/>);
/// never from anything a card submitted.
/// </summary>
public sealed class AuthorizationService : IAuthorizationService
{
    /// <summary>Where the turn's actor is kept once worked out (<see cref="ITurnContext.TurnState"/>).</summary>
    public const string ActorTurnStateKey = "ChatRegs.Authorization.Actor";

    private readonly PeopleDirectory _people;
    private readonly RoleHolders _roles;
    private readonly PermissionTable _permissions;
    private readonly ILogger<AuthorizationService> _logger;

    public AuthorizationService(PeopleDirectory people, RoleHolders roles, PermissionTable permissions, ILogger<AuthorizationService> logger)
    {
        _people = people;
        _roles = roles;
        _permissions = permissions;
        _logger = logger;
    }

    public async Task<AuthorizationDecision> AuthorizeAsync(ITurnContext turnContext, string action, AuthorizationResource? resource = null, CancellationToken cancellationToken = default)
    {
        var actor = await GetActorAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var decision = _permissions.Decide(actor, action, resource);
        if (!decision.Allowed)
        {
            _logger.LogWarning("Refused {Action} on {ResourceKind} {ResourceId} to {UserId} in tenant {TenantId}: {Reason}.",
                action, resource?.Kind, resource?.Id, actor.UserId, actor.TenantId, decision.ReasonKey);
        }
        return decision;
    }

    /// <summary>The registered rules' decision for an actor already worked out (no storage).</summary>
    public AuthorizationDecision Decide(Person actor, string action, AuthorizationResource? resource) => _permissions.Decide(actor, action, resource);

    /// <summary>
    /// Who is acting on this turn: their directory entry (or a bare employee), configured office
    /// role included. Read once per turn and kept in the turn's state: a turn that authorizes
    /// three times reads the directory once.
    /// </summary>
    public async Task<Person> GetActorAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        var activity = turnContext.Activity;
        var tenant = Tenants.Of(activity) ?? "";
        var userId = activity.From?.Id ?? "";
        if (turnContext.TurnState.Get<Person>(ActorTurnStateKey) is { } cached && cached.TenantId == tenant && cached.UserId == userId)
        {
            return cached;
        }
        var person = tenant.Length == 0 || userId.Length == 0 ? null : await _people.GetAsync(tenant, userId, cancellationToken).ConfigureAwait(false);
        person ??= new Person
        {
            TenantId = tenant,
            UserId = userId,
            Name = activity.From?.Name ?? "",
            AadObjectId = activity.From?.AadObjectId,
        };
        person = _roles.Resolve(person, activity.From?.AadObjectId);
        turnContext.TurnState.Set(ActorTurnStateKey, person);
        return person;
    }

    /// <summary>
    /// Forgets the turn's actor, so the next check reads the directory again: after the turn
    /// changed the sender's own roles.
    /// </summary>
    public static void ForgetActor(ITurnContext turnContext) => turnContext.TurnState.Remove(ActorTurnStateKey);
}
