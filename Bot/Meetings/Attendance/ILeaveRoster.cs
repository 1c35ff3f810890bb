namespace ChatRegs.Bot.Meetings.Attendance;

/// <summary>
/// Who has approved leave (请假) for a meeting occurrence. The roll marks them "on leave"
/// instead of absent. The leave feature registers its own implementation (a later
/// <c>services.AddSingleton&lt;ILeaveRoster, …&gt;()</c> replaces the default).
/// </summary>
public interface ILeaveRoster
{
    /// <returns>The user ids with approved leave for <paramref name="occurrenceKey"/> ("{series id}@{yyyyMMddHHmm}").</returns>
    Task<IReadOnlySet<string>> ApprovedLeaveAsync(string tenantId, string occurrenceKey, CancellationToken cancellationToken = default);
}

/// <summary>Until the leave feature exists: nobody is on leave.</summary>
public sealed class NoLeaveRoster : ILeaveRoster
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    public Task<IReadOnlySet<string>> ApprovedLeaveAsync(string tenantId, string occurrenceKey, CancellationToken cancellationToken = default) => Task.FromResult(None);
}
