using ChatRegs.Bot.Callbacks;

namespace ChatRegs.Callbacks.Tests;

/// <summary>避免在客户休息时打扰客户: the rest time's boundaries.</summary>
public sealed class QuietHoursTests
{
    private static readonly QuietHours Default = QuietHours.Parse(new CallbackOptions().QuietHours);

    [Theory]
    [InlineData("08:59", true, "09:00")]
    [InlineData("09:00", false, "09:00")]
    [InlineData("11:59", false, "11:59")]
    [InlineData("12:00", true, "14:00")]
    [InlineData("13:59", true, "14:00")]
    [InlineData("14:00", false, "14:00")]
    [InlineData("19:59", false, "19:59")]
    [InlineData("20:00", true, "09:00+1")]
    [InlineData("23:30", true, "09:00+1")]
    [InlineData("00:00", true, "09:00")]
    public void The_default_rest_time_starts_quiet_and_ends_allowed(string time, bool quiet, string next)
    {
        var at = new DateTime(2026, 3, 5) + TimeOnly.Parse(time).ToTimeSpan();
        Assert.Equal(quiet, Default.IsQuiet(TimeOnly.FromDateTime(at)));
        var expected = new DateTime(2026, 3, 5) + TimeOnly.Parse(next.Replace("+1", "")).ToTimeSpan();
        if (next.EndsWith("+1", StringComparison.Ordinal))
        {
            expected = expected.AddDays(1);
        }
        Assert.Equal(expected, Default.NextAllowed(at));
    }

    [Fact]
    public void The_next_allowed_time_is_in_the_customers_zone()
    {
        var london = ChatRegs.Bot.Core.TimeZones.Find("Europe/London");
        // 10:00 in Shanghai is 02:00 in London (winter): rest time until 09:00 London = 17:00 Shanghai.
        var now = new DateTimeOffset(2026, 3, 5, 10, 0, 0, TimeSpan.FromHours(8));
        Assert.Equal(new DateTimeOffset(2026, 3, 5, 9, 0, 0, TimeSpan.Zero), Default.NextAllowed(now, london));
    }

    [Theory]
    [InlineData("00:00-23:59,23:59-00:00")]
    [InlineData("12:00")]
    [InlineData("25:00-26:00")]
    [InlineData("10:00-10:00")]
    public void A_configuration_that_leaves_no_time_or_cannot_be_read_is_refused(string text)
    {
        Assert.ThrowsAny<Exception>(() => QuietHours.Parse(text));
    }

    [Fact]
    public void Quiet_hours_are_configurable()
    {
        var custom = QuietHours.Parse("12:30-13:30，21:00~08:00");
        Assert.False(custom.IsQuiet(new TimeOnly(12, 0)));
        Assert.True(custom.IsQuiet(new TimeOnly(12, 30)));
        Assert.False(custom.IsQuiet(new TimeOnly(20, 30)));
        Assert.True(custom.IsQuiet(new TimeOnly(7, 59)));
    }
}
