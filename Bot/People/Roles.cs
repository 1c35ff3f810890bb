namespace ChatRegs.Bot.People;

/// <summary>
/// Global roles. Everyone is an employee (员工) without being granted anything; host and
/// recorder are per meeting series and live with the series, not here.
/// </summary>
public static class Roles
{
    /// <summary>办公室: administers everything, grants roles.</summary>
    public const string Office = "office";

    /// <summary>经理 / 领导.</summary>
    public const string Manager = "manager";

    /// <summary>客服主管.</summary>
    public const string CsSupervisor = "csSupervisor";

    /// <summary>客服专员 (with an on-duty flag on the person).</summary>
    public const string CsRep = "csRep";

    /// <summary>The roles that can be granted, in display order.</summary>
    public static readonly IReadOnlyList<string> Grantable = [Office, Manager, CsSupervisor, CsRep];

    public static bool IsGrantable(string role) => Grantable.Contains(role, StringComparer.Ordinal);
}
