using System.Collections.Concurrent;
using ChatRegs.Bot.People;

namespace ChatRegs.Bot.Tabs;

/// <summary>
/// The person a tab token names, as the bot knows them: the people directory keys people by their
/// Teams user id (<c>29:…</c>) and keeps the Entra object id Teams sends with every activity
/// (<c>from.aadObjectId</c>, <see cref="Person.AadObjectId"/>), so the token's <c>oid</c> is
/// looked up there, in the token's tenant (<c>tid</c>) only. Roles are resolved as on a turn
/// (<see cref="RoleHolders"/>, configured office administrators included). Someone the bot has
/// never met is null: the page asks them to open the bot once.
/// </summary>
public sealed class TabPeople(PeopleDirectory people, RoleHolders roles, TimeProvider time)
{
    private static readonly TimeSpan Remember = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<(string Tenant, string Oid), (string UserId, DateTimeOffset At)> _ids = new();

    public async Task<Person?> FindAsync(TabCaller caller, CancellationToken cancellationToken)
    {
        Person? person = null;
        if (_ids.TryGetValue((caller.TenantId, caller.ObjectId), out var known) && time.GetUtcNow() - known.At < Remember)
        {
            person = await people.GetAsync(caller.TenantId, known.UserId, cancellationToken).ConfigureAwait(false);
        }
        if (person == null || !string.Equals(person.AadObjectId, caller.ObjectId, StringComparison.OrdinalIgnoreCase))
        {
            person = (await people.ListAsync(caller.TenantId, cancellationToken).ConfigureAwait(false))
                .FirstOrDefault(p => string.Equals(p.AadObjectId, caller.ObjectId, StringComparison.OrdinalIgnoreCase));
            if (person == null)
            {
                return null;
            }
            _ids[(caller.TenantId, caller.ObjectId)] = (person.UserId, time.GetUtcNow());
        }
        return roles.Resolve(person, caller.ObjectId);
    }
}
