using ChatRegs.Bot.People;
using ChatRegs.Bot.WeeklyReports;
using ChatRegs.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ChatRegs.WeeklyReports.Tests.Support;

/// <summary>
/// <see cref="HttpFeatureHost"/> (the whole bot in-process over HTTP on Azurite, a fake clock,
/// Teams' connector faked by <see cref="TeamsConnector"/>, the job runner not polling: tests run
/// due jobs with <see cref="RunDueJobsAsync"/> after moving the clock) in tenant
/// "tenant-weekly", with approved leave by <see cref="FakeLeave"/>, and people with e-mail
/// addresses.
/// </summary>
public sealed class WeeklyHost(HttpFeatureHost feature, FakeLeave leave) : HttpFeatureHostWrapper(feature)
{
    public const string Tenant = "tenant-weekly";

    public FakeLeave Leave { get; } = leave;

    /// <summary>China Standard Time, the teams' default zone.</summary>
    public static DateTimeOffset Local(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, FeatureHost.Shanghai);

    /// <summary>The person's 1:1 chat with the bot.</summary>
    public static string Chat(string userId) => FeatureHost.ChatOf(userId);

    public static async Task<WeeklyHost> StartAsync(DateTimeOffset now, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var leave = new FakeLeave();
        return new WeeklyHost(await HttpFeatureHost.StartAsync(Tenant, now, settings, services =>
        {
            services.AddSingleton<IApprovedLeave>(leave);
            configure?.Invoke(services);
        }), leave);
    }

    /// <summary>Someone known to the bot (e-mail "{id without 29:}@contoso.com"), in a department (or none), with a 1:1 chat the bot can reach ("a:1to1-{id}").</summary>
    public Task<Person> AddPersonAsync(string userId, string name, string? team, string locale = "zh-CN", params string[] roles) =>
        Feature.PersonAsync(userId, name, team, locale, userId.TrimStart('2', '9', ':') + "@contoso.com", roles);

    public Task AddDepartmentAsync(string name, string? approverUserId) => Feature.DepartmentAsync(name, approverUserId);

    /// <inheritdoc cref="HttpFeatureHost.RunDueJobsAsync"/>
    public Task<int> RunDueJobsAsync() => Feature.RunDueJobsAsync();
}

/// <summary>Approved leave as the leave feature will report it: who is on leave over which span.</summary>
public sealed class FakeLeave : IApprovedLeave
{
    private readonly List<(string UserId, DateTimeOffset From, DateTimeOffset To)> _spans = [];

    public void Add(string userId, DateTimeOffset from, DateTimeOffset to)
    {
        lock (_spans)
        {
            _spans.Add((userId, from, to));
        }
    }

    public Task<IReadOnlySet<string>> OnLeaveAtAsync(string tenantId, IReadOnlyCollection<string> userIds, DateTimeOffset instant, CancellationToken cancellationToken)
    {
        lock (_spans)
        {
            return Task.FromResult<IReadOnlySet<string>>(userIds.Where(u => _spans.Any(s => s.UserId == u && s.From <= instant && instant <= s.To)).ToHashSet());
        }
    }
}
