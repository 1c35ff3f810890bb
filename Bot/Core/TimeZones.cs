namespace ChatRegs.Bot.Core;

/// <summary>Finds a time zone by IANA id, with a fixed-offset fallback for the team's default.</summary>
public static class TimeZones
{
    /// <summary>The team's default time zone, China Standard Time: the regulations are a Chinese office's (ChatRegs:TimeZone overrides it, README.md → Configuration; the team's zone is <see cref="TeamClock.Zone"/>).</summary>
    public const string DefaultId = "Asia/Shanghai";

    // China has kept UTC+8 without daylight saving since 1991, so a fixed offset is exact for
    // every date the bot deals with when the machine has no time-zone database.
    private static readonly TimeZoneInfo ChinaFallback =
        TimeZoneInfo.CreateCustomTimeZone(DefaultId, TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");

    public static TimeZoneInfo Find(string? id)
    {
        var name = string.IsNullOrWhiteSpace(id) ? DefaultId : id.Trim();
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            if (name is DefaultId or "China Standard Time" or "Asia/Chongqing" or "PRC")
            {
                return ChinaFallback;
            }
            throw new ArgumentException($"Unknown time zone '{name}'.", nameof(id), e);
        }
    }
}
