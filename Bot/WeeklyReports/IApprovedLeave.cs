namespace ChatRegs.Bot.WeeklyReports;

/// <summary>
/// Approved leave covering an instant: who is excused from this week's report (例会制度: whoever
/// is on approved leave at the deadline is not reminded and is listed as 免交 in the digest).
/// The leave feature implements it and registers it with
/// <c>services.AddSingleton&lt;IApprovedLeave, …&gt;()</c>; until then nobody is on leave
/// (<see cref="NoApprovedLeave"/>).
/// </summary>
public interface IApprovedLeave
{
    /// <summary>Of <paramref name="userIds"/>, those whose approved leave covers <paramref name="instant"/>.</summary>
    Task<IReadOnlySet<string>> OnLeaveAtAsync(string tenantId, IReadOnlyCollection<string> userIds, DateTimeOffset instant, CancellationToken cancellationToken);
}

/// <summary>The default until the leave feature registers its own: nobody is on leave.</summary>
public sealed class NoApprovedLeave : IApprovedLeave
{
    public Task<IReadOnlySet<string>> OnLeaveAtAsync(string tenantId, IReadOnlyCollection<string> userIds, DateTimeOffset instant, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlySet<string>>(new HashSet<string>());
}
