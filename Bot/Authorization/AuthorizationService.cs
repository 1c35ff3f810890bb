using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.People;
using Microsoft.Bot.Builder;
using Microsoft.Extensions.Options;
using ChatRegs.Bot.Core;

namespace ChatRegs.Bot.Authorization;

/// <summary>Bound from "ChatRegs:Bootstrap".</summary>
public sealed class BootstrapOptions
{
    /// <summary>
    /// Per tenant id, the first office administrators, by AAD object id or user principal
    /// name. They hold the office role without being granted it, so they can grant it to
    /// others; nobody else can grant roles until one of them does.
    /// </summary>
    public Dictionary<string, List<string>> OfficeAdmins { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// Decides every permission from the turn's identity (tenant + sender id, as Teams signed
/// them) and the people directory; never from anything a card submitted.
/// </summary>
public sealed class AuthorizationService : IAuthorizationService
{
    private readonly PeopleDirectory _people;
    private readonly BootstrapOptions _bootstrap;
    private readonly ILogger<AuthorizationService> _logger;

    public AuthorizationService(PeopleDirectory people, IOptions<BootstrapOptions> bootstrap, ILogger<AuthorizationService> logger)
    {
        _people = people;
        _bootstrap = bootstrap.Value;
        _logger = logger;
    }

    public async Task<AuthorizationDecision> AuthorizeAsync(ITurnContext turnContext, string action, AuthorizationResource? resource = null, CancellationToken cancellationToken = default)
    {
        var actor = await GetActorAsync(turnContext, cancellationToken).ConfigureAwait(false);
        var decision = Decide(actor, action, resource);
        if (!decision.Allowed)
        {
            _logger.LogWarning("Refused {Action} on {ResourceKind} {ResourceId} to {UserId} in tenant {TenantId}: {Reason}.",
                action, resource?.Kind, resource?.Id, actor.UserId, actor.TenantId, decision.ReasonKey);
        }
        return decision;
    }

    /// <summary>Who is acting on this turn: their directory entry (or a bare employee), bootstrap office role included.</summary>
    public async Task<Person> GetActorAsync(ITurnContext turnContext, CancellationToken cancellationToken = default)
    {
        var activity = turnContext.Activity;
        var tenant = Tenants.Of(activity) ?? "";
        var userId = activity.From?.Id ?? "";
        var person = tenant.Length == 0 || userId.Length == 0 ? null : await _people.GetAsync(tenant, userId, cancellationToken).ConfigureAwait(false);
        person ??= new Person
        {
            TenantId = tenant,
            UserId = userId,
            Name = activity.From?.Name ?? "",
            AadObjectId = activity.From?.AadObjectId,
        };

        if (!person.Has(Roles.Office) && IsBootstrapAdmin(tenant, activity.From?.AadObjectId, person))
        {
            person = person with { Roles = new HashSet<string>(person.Roles) { Roles.Office } };
        }
        return person;
    }

    /// <summary>The policy itself, without storage: testable as a table.</summary>
    public static AuthorizationDecision Decide(Person actor, string action, AuthorizationResource? resource)
    {
        if (!AuthorizationPolicies.All.TryGetValue(action, out var policy))
        {
            return AuthorizationDecision.Deny("auth.unknownAction");
        }
        if (policy.Everyone || policy.Roles.Any(actor.Has))
        {
            return AuthorizationDecision.Allow;
        }
        if (resource != null && policy.ResourceRoles.Any(role =>
                resource.PeopleByRole.TryGetValue(role, out var ids) && ids.Contains(actor.UserId)))
        {
            return AuthorizationDecision.Allow;
        }
        return AuthorizationDecision.Deny(policy.DenyReasonKey);
    }

    private bool IsBootstrapAdmin(string tenant, string? activityAadObjectId, Person person)
    {
        if (!_bootstrap.OfficeAdmins.TryGetValue(tenant, out var admins))
        {
            return false;
        }
        return admins.Any(a =>
            (!string.IsNullOrEmpty(activityAadObjectId) && a.Equals(activityAadObjectId, StringComparison.OrdinalIgnoreCase))
            || (!string.IsNullOrEmpty(person.AadObjectId) && a.Equals(person.AadObjectId, StringComparison.OrdinalIgnoreCase))
            || (!string.IsNullOrEmpty(person.UserPrincipalName) && a.Equals(person.UserPrincipalName, StringComparison.OrdinalIgnoreCase)));
    }
}
