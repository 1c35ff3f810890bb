using ChatRegs.Bot.People;

namespace ChatRegs.Bot.Authorization;

/// <summary>
/// Who may do one action. It is allowed to anyone holding one of <see cref="Roles"/> (global
/// roles, see <see cref="People.Roles"/>), or to anyone named on the resource under one of
/// <see cref="ResourceRoles"/> (a series' host, a request's approver…), or to everyone.
/// A feature declares its rules in its own folder (e.g. Leave/LeavePermissions.cs) and
/// registers them with <see cref="PermissionRegistration.AddPermissions"/>; each action gets
/// rows in the matrix test (tests/ChatRegs.People.Tests/People/AuthorizationMatrixTests.cs).
/// </summary>
public sealed record PermissionRule(string Action, string[] Roles, string[] ResourceRoles, string DenyReasonKey, bool Everyone = false);

/// <summary>One feature's rules, as registered in DI.</summary>
public sealed record PermissionSet(string Feature, IReadOnlyList<PermissionRule> Rules);

public static class PermissionRegistration
{
    /// <summary>
    /// Adds <paramref name="feature"/>'s permission rules. The authorization service collects
    /// every feature's; two features registering one action stop the bot at start-up.
    /// </summary>
    public static IServiceCollection AddPermissions(this IServiceCollection services, string feature, IEnumerable<PermissionRule> rules)
    {
        services.AddSingleton(new PermissionSet(feature, rules.ToList()));
        return services;
    }
}

/// <summary>Every registered rule by action: what the authorization service decides with and help lists by.</summary>
public sealed class PermissionTable
{
    private readonly Dictionary<string, (PermissionRule Rule, string Feature)> _rules = new(StringComparer.Ordinal);

    /// <exception cref="InvalidOperationException">Two rules (of one feature or two) name the same action.</exception>
    public PermissionTable(IEnumerable<PermissionSet> sets)
    {
        foreach (var set in sets)
        {
            foreach (var rule in set.Rules)
            {
                if (_rules.TryGetValue(rule.Action, out var first))
                {
                    throw new InvalidOperationException(
                        $"The permission for action '{rule.Action}' is registered twice: by {first.Feature} and by {set.Feature}. Each action belongs to one feature.");
                }
                _rules[rule.Action] = (rule, set.Feature);
            }
        }
    }

    /// <summary>Every registered action.</summary>
    public IReadOnlyCollection<string> Actions => _rules.Keys;

    public bool TryGet(string action, out PermissionRule rule)
    {
        var found = _rules.TryGetValue(action, out var entry);
        rule = entry.Rule;
        return found;
    }

    /// <summary>The feature that registered <paramref name="action"/>, or null.</summary>
    public string? FeatureOf(string action) => _rules.TryGetValue(action, out var entry) ? entry.Feature : null;

    /// <summary>The policy itself, without storage: testable as a table. An unregistered action is refused.</summary>
    public AuthorizationDecision Decide(Person actor, string action, AuthorizationResource? resource)
    {
        if (!TryGet(action, out var rule))
        {
            return AuthorizationDecision.Deny("auth.unknownAction");
        }
        if (rule.Everyone || rule.Roles.Any(actor.Has))
        {
            return AuthorizationDecision.Allow;
        }
        if (resource != null && rule.ResourceRoles.Any(role =>
                resource.PeopleByRole.TryGetValue(role, out var ids) && ids.Contains(actor.UserId)))
        {
            return AuthorizationDecision.Allow;
        }
        return AuthorizationDecision.Deny(rule.DenyReasonKey);
    }
}

/// <summary>Builds the table when the host starts, so a rule registered twice stops the start, not a later turn.</summary>
public sealed class PermissionTableCheck(PermissionTable table, ILogger<PermissionTableCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogDebug("{Count} permission rules registered.", table.Actions.Count);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class AuthorizationServices
{
    /// <summary>The authorization service, the permission table it decides with, and the check that builds it at start-up.</summary>
    public static IServiceCollection AddAuthorizationService(this IServiceCollection services)
    {
        services.AddSingleton(sp => new PermissionTable(sp.GetServices<PermissionSet>()));
        services.AddHostedService<PermissionTableCheck>();
        services.AddSingleton<AuthorizationService>();
        services.AddSingleton<IAuthorizationService>(sp => sp.GetRequiredService<AuthorizationService>());
        return services;
    }
}
