using Microsoft.Extensions.Options;

namespace ChatRegs.Bot.People;

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
/// Holders of a role, and a configured office administrator named by an id nobody in the
/// directory has yet (they have not talked to the bot, nor been seen in a conversation's members).
/// </summary>
public sealed record RoleHolderList(IReadOnlyList<Person> People, IReadOnlyList<string> NotYetMet);

/// <summary>
/// The one place that decides "does this person hold role R": a role granted and stored in the
/// directory, or the office role given by configuration (<see cref="BootstrapOptions.OfficeAdmins"/>).
/// Whatever checks or lists a role — the authorization service, the weekly digest's recipients,
/// reports to "the office", the roles card — reads people through here, so whoever is office
/// anywhere is office everywhere.
/// </summary>
public sealed class RoleHolders(PeopleDirectory people, IOptions<BootstrapOptions> bootstrap)
{
    private readonly BootstrapOptions _bootstrap = bootstrap.Value;

    /// <summary>The configured office administrators of a tenant (ids as written in configuration).</summary>
    public IReadOnlyList<string> ConfiguredOffice(string tenantId) =>
        _bootstrap.OfficeAdmins.TryGetValue(tenantId, out var admins)
            ? admins.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim()).ToList()
            : [];

    /// <summary>
    /// <paramref name="person"/> with the roles configuration gives them added (and marked in
    /// <see cref="Person.ConfiguredRoles"/>). <paramref name="aadObjectIdOnTurn"/>: the AAD object
    /// id Teams signed on the current activity, for someone whose directory entry lacks it.
    /// </summary>
    public Person Resolve(Person person, string? aadObjectIdOnTurn = null)
    {
        if (person.Has(Roles.Office) || !ConfiguredOffice(person.TenantId).Any(id => Names(id, person, aadObjectIdOnTurn)))
        {
            return person;
        }
        return person with
        {
            Roles = new HashSet<string>(person.Roles) { Roles.Office },
            ConfiguredRoles = new HashSet<string>(person.ConfiguredRoles) { Roles.Office },
        };
    }

    /// <summary>Whether <paramref name="person"/> holds <paramref name="role"/>, stored or by configuration.</summary>
    public bool Holds(Person person, string role) => Resolve(person).Has(role);

    /// <summary>Everyone known in the tenant, by name, each with their roles resolved.</summary>
    public async Task<IReadOnlyList<Person>> EveryoneAsync(string tenantId, CancellationToken cancellationToken = default) =>
        (await people.ListAsync(tenantId, cancellationToken).ConfigureAwait(false)).Select(p => Resolve(p)).ToList();

    /// <summary>Who holds <paramref name="role"/> in the tenant, and the configured office ids nobody known has yet.</summary>
    public async Task<RoleHolderList> HoldersAsync(string tenantId, string role, CancellationToken cancellationToken = default) =>
        Holders(tenantId, role, await EveryoneAsync(tenantId, cancellationToken).ConfigureAwait(false));

    /// <summary>The same, from everyone already read through <see cref="EveryoneAsync"/>.</summary>
    public RoleHolderList Holders(string tenantId, string role, IReadOnlyList<Person> everyone) =>
        new(everyone.Where(p => p.Has(role)).ToList(), role == Roles.Office ? NotYetMet(tenantId, everyone) : []);

    /// <summary>Configured office administrators that match nobody in <paramref name="everyone"/>.</summary>
    public IReadOnlyList<string> NotYetMet(string tenantId, IReadOnlyList<Person> everyone) =>
        ConfiguredOffice(tenantId).Where(id => !everyone.Any(p => Names(id, p, null))).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private static bool Names(string configured, Person person, string? aadObjectIdOnTurn) =>
        (!string.IsNullOrEmpty(aadObjectIdOnTurn) && configured.Equals(aadObjectIdOnTurn, StringComparison.OrdinalIgnoreCase))
        || (!string.IsNullOrEmpty(person.AadObjectId) && configured.Equals(person.AadObjectId, StringComparison.OrdinalIgnoreCase))
        || (!string.IsNullOrEmpty(person.UserPrincipalName) && configured.Equals(person.UserPrincipalName, StringComparison.OrdinalIgnoreCase));
}
