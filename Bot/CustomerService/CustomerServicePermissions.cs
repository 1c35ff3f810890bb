using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.People;

namespace ChatRegs.Bot.CustomerService;

/// <summary>People named on a customer's file (the authorization service's resource roles).</summary>
public static class CustomerRoles
{
    /// <summary>The rep who owns the file, served the customer (a callback task of theirs) or called them.</summary>
    public const string Rep = "customerRep";
}

/// <summary>Customer files (客户资料管理) and the reps' own papers (工作日志 / 月报 / 工作总结): actions and who may do them (registered in CustomerServiceServices; rows in the authorization matrix test).</summary>
public static class CustomerServicePermissions
{
    public const string CustomerList = "customers.list";
    public const string CustomerView = "customers.view";
    public const string CustomerSort = "customers.sort";
    public const string CustomerNote = "customers.note";
    public const string PaperWrite = "repPapers.write";
    public const string PaperOverview = "repPapers.overview";

    public static readonly IReadOnlyList<PermissionRule> Rules =
    [
        new(CustomerList, [Roles.CsSupervisor, Roles.Manager, Roles.CsRep], [], "customers.auth.list"),
        new(CustomerView, [Roles.CsSupervisor, Roles.Manager], [CustomerRoles.Rep], "customers.auth.view"),
        new(CustomerSort, [Roles.CsSupervisor], [], "customers.auth.sort"),
        new(CustomerNote, [Roles.CsSupervisor], [CustomerRoles.Rep], "customers.auth.note"),
        new(PaperWrite, [Roles.CsRep], [], "repPapers.auth.write"),
        new(PaperOverview, [Roles.CsSupervisor, Roles.Manager], [], "repPapers.auth.overview"),
    ];
}
