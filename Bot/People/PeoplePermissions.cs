using ChatRegs.Bot.Authorization;

namespace ChatRegs.Bot.People;

/// <summary>The people and roles actions and who may do them (registered in <see cref="PeopleServices"/>).</summary>
public static class PeoplePermissions
{
    public const string ManageRoles = "roles.manage";
    public const string ViewRoleLog = "roles.viewLog";

    public static readonly IReadOnlyList<PermissionRule> Rules =
    [
        new(ManageRoles, [Roles.Office], [], "auth.officeOnly"),
        new(ViewRoleLog, [Roles.Office], [], "auth.officeOnly"),
    ];
}
