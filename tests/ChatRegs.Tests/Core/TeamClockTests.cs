using ChatRegs.Bot.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace ChatRegs.Tests.Core;

/// <summary>The team's clock: the date in Shanghai turns at 16:00 UTC, local times map back to instants, a bad zone id falls back.</summary>
public sealed class TeamClockTests
{
    [Fact]
    public void The_team_date_turns_at_midnight_in_Shanghai_not_at_midnight_UTC()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 31, 15, 59, 0, TimeSpan.Zero));
        var clock = new TeamClock(time, "Asia/Shanghai");

        Assert.Equal(new DateOnly(2026, 12, 31), clock.Today);
        Assert.Equal(new DateTime(2026, 12, 31, 23, 59, 0), clock.Local(clock.Now));

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(new DateOnly(2027, 1, 1), clock.Today);
        Assert.Equal("2026-W53", IsoWeek.Of(clock.Today));

        // 2027-01-01 00:00 in Shanghai is 2026-12-31 16:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 12, 31, 16, 0, 0, TimeSpan.Zero), clock.ToUtc(new DateOnly(2027, 1, 1), TimeOnly.MinValue));
        Assert.Equal(new DateOnly(2026, 12, 31), clock.DateOf(new DateTimeOffset(2026, 12, 31, 15, 59, 59, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2027, 1, 1), clock.DateOf(new DateTimeOffset(2026, 12, 31, 16, 0, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("  ")]
    public void No_zone_configured_means_Shanghai(string? configured)
    {
        var clock = new TeamClock(new FakeTimeProvider(), configured);

        Assert.Equal("Asia/Shanghai", clock.ZoneId);
        Assert.Equal(TimeSpan.FromHours(8), clock.Zone.GetUtcOffset(new DateTime(2026, 7, 1)));
        Assert.Null(clock.Problem);
    }

    [Fact]
    public void An_unknown_zone_id_falls_back_to_Shanghai_and_says_why()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 6, 30, 17, 0, 0, TimeSpan.Zero));
        var clock = new TeamClock(time, "Mars/Olympus_Mons");

        Assert.Equal("Asia/Shanghai", clock.ZoneId);
        Assert.Equal(new DateOnly(2026, 7, 1), clock.Today);
        Assert.Contains("Mars/Olympus_Mons", clock.Problem);
    }

    [Fact]
    public void A_configured_zone_is_used_with_its_daylight_saving()
    {
        var clock = new TeamClock(new FakeTimeProvider(new DateTimeOffset(2026, 7, 1, 23, 30, 0, TimeSpan.Zero)), "Europe/London");

        Assert.Equal(new DateOnly(2026, 7, 2), clock.Today); // 00:30 BST
        // 01:30 on 2026-03-29 does not exist in London (clocks go 01:00 → 02:00): it is taken as 02:30 BST.
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero), clock.ToUtc(new DateOnly(2026, 3, 29), new TimeOnly(1, 30)));
    }

    [Fact]
    public void The_registered_clock_runs_on_the_test_clock_and_the_configured_zone()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 16, 30, 0, TimeSpan.Zero));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ChatRegs:TimeZone"] = "Asia/Tokyo" }).Build();
        using var provider = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(time).AddTeamClock(configuration).AddTeamClock(configuration).BuildServiceProvider();

        var clock = provider.GetRequiredService<TeamClock>();
        Assert.Equal("Asia/Tokyo", clock.ZoneId);
        Assert.Equal(new DateOnly(2026, 12, 1), clock.Today);
        time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(new DateOnly(2026, 12, 2), clock.Today);
    }
}
