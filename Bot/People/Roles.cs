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

    /// <summary>会议纪要审核 (例会制度(四) 第十条, e.g. 计划发展部): checks the week's minutes (Meetings/Minutes, 纪要审核).</summary>
    public const string MinutesReviewer = "minutesReviewer";

    /// <summary>督办 (例会制度(二) 六(三), e.g. 纪检监察室): follows up every open action item of the tenant (Meetings/Minutes, 督办).</summary>
    public const string Supervisor = "supervisor";

    /// <summary>The roles that can be granted, in display order.</summary>
    public static readonly IReadOnlyList<string> Grantable = [Office, Manager, CsSupervisor, CsRep, MinutesReviewer, Supervisor];

    public static bool IsGrantable(string role) => Grantable.Contains(role, StringComparer.Ordinal);
}
