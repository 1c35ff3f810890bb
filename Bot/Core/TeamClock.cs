using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatRegs.Bot.Core;

/// <summary>
/// The team's clock: what time it is (from the injected <see cref="TimeProvider"/>, so tests run
/// on a fake clock), the team's time zone (<c>ChatRegs:TimeZone</c>), today's date there, the
/// local date and time of an instant, and the instant of a local date and time. Every feature
/// asks this one service instead of working the zone out itself.
/// </summary>
/// <remarks>
/// An empty <c>ChatRegs:TimeZone</c> means <see cref="TimeZones.DefaultId"/> (Asia/Shanghai). An id
/// the machine does not know also falls back to Asia/Shanghai — the bot keeps running on China
/// time rather than refusing to start — and says so once in the log (<see cref="Problem"/>).
/// Records that carry their own zone (a series, a person, a customer) use the static helpers with
/// that zone.
/// </remarks>
public sealed class TeamClock
{
    public const string ConfigurationKey = "ChatRegs:TimeZone";

    private readonly TimeProvider _time;

    public TeamClock(TimeProvider time, string? configuredZoneId)
    {
        _time = time;
        var id = string.IsNullOrWhiteSpace(configuredZoneId) ? TimeZones.DefaultId : configuredZoneId.Trim();
        try
        {
            Zone = TimeZones.Find(id);
            ZoneId = id;
        }
        catch (ArgumentException)
        {
            Zone = TimeZones.Find(TimeZones.DefaultId);
            ZoneId = TimeZones.DefaultId;
            Problem = $"{ConfigurationKey} '{id}' is not a time zone this machine knows; using {TimeZones.DefaultId}.";
        }
    }

    /// <summary>The team's time zone id as used (the configured one, or Asia/Shanghai when it is empty or unknown).</summary>
    public string ZoneId { get; }

    /// <summary>The team's time zone.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>Why the configured zone was not used (null when it was).</summary>
    public string? Problem { get; }

    /// <summary>The clock the bot runs on (the system's, or a test's fake).</summary>
    public TimeProvider Time => _time;

    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>The team's date now.</summary>
    public DateOnly Today => DateOf(Now);

    /// <summary>The team's date at <paramref name="instant"/>.</summary>
    public DateOnly DateOf(DateTimeOffset instant) => DateIn(instant, Zone);

    /// <summary>The team's wall-clock time at <paramref name="instant"/>.</summary>
    public DateTime Local(DateTimeOffset instant) => LocalIn(instant, Zone);

    /// <summary>The instant of the team's local <paramref name="date"/> and <paramref name="time"/>.</summary>
    public DateTimeOffset ToUtc(DateOnly date, TimeOnly time) => ToUtc(date.ToDateTime(time), Zone);

    /// <summary>The instant of the team's wall-clock time <paramref name="local"/>.</summary>
    public DateTimeOffset ToUtc(DateTime local) => ToUtc(local, Zone);

    /// <summary>The date now in <paramref name="zone"/>.</summary>
    public DateOnly TodayIn(TimeZoneInfo zone) => DateIn(Now, zone);

    /// <summary>The zone a feature setting names, or the team's when it names none.</summary>
    public TimeZoneInfo ZoneOr(string? zoneId) => string.IsNullOrWhiteSpace(zoneId) ? Zone : TimeZones.Find(zoneId);

    /// <summary>The date at <paramref name="instant"/> in <paramref name="zone"/>.</summary>
    public static DateOnly DateIn(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(LocalIn(instant, zone));

    /// <summary>The wall-clock time at <paramref name="instant"/> in <paramref name="zone"/>.</summary>
    public static DateTime LocalIn(DateTimeOffset instant, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(instant, zone).DateTime;

    /// <summary>
    /// The instant of wall-clock time <paramref name="local"/> in <paramref name="zone"/>. A time
    /// skipped by a daylight-saving change is taken as an hour later; a repeated one as standard time.
    /// </summary>
    public static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(unspecified))
        {
            unspecified = unspecified.AddHours(1);
        }
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(unspecified, zone), TimeSpan.Zero);
    }
}

public static class TeamClockServices
{
    /// <summary>The team's clock (and the system clock unless a test put its own first). Safe to call from every feature.</summary>
    public static IServiceCollection AddTeamClock(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp =>
        {
            var clock = new TeamClock(sp.GetRequiredService<TimeProvider>(), configuration[TeamClock.ConfigurationKey]);
            if (clock.Problem is { } problem)
            {
                sp.GetService<ILoggerFactory>()?.CreateLogger<TeamClock>().LogWarning("{Problem}", problem);
            }
            return clock;
        });
        return services;
    }
}
