using ChatRegs.Bot.Authorization;

namespace ChatRegs.Bot.People;

/// <summary>The people and roles actions and who may do them (registered in <see cref="PeopleServices"/>).</summary>
public static class PeoplePermissions
{
    public const string ManageRoles = "roles.manage";
    public const string ViewRoleLog = "roles.viewLog";

    /// <summary>Create named groups (分组, e.g. 总经理室) and set their members.</summary>
    public const string ManageGroups = "groups.manage";

    public static readonly IReadOnlyList<PermissionRule> Rules =
    [
        new(ManageRoles, [Roles.Office], [], "auth.officeOnly"),
        new(ViewRoleLog, [Roles.Office], [], "auth.officeOnly"),
        new(ManageGroups, [Roles.Office], [], "auth.officeOnly"),
    ];
}
