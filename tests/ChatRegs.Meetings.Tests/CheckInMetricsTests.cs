using ChatRegs.Meetings.Tests.Support;
using ChatRegs.TestSupport;

namespace ChatRegs.Meetings.Tests;

/// <summary>A check-in shows in the "ChatRegs" metrics (docs/telemetry.md) with its status and source, never with who checked in.</summary>
public sealed class CheckInMetricsTests : IAsyncLifetime
{
    private const string Key = "weekly@202611300830";
    private MeetingsHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await MeetingsHost.StartAsync();
        await _host.KnowAsync((MeetingsHost.Host, "张伟"), (MeetingsHost.Recorder, "陈静"), ("29:metrics-a", "度量甲"));
        await _host.WeeklyAsync(["29:metrics-a"]);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task Click() =>
        _host.ExecuteAsync(_host.Adapter("29:metrics-a", null, MeetingsHost.MeetingChat, "channel"), "meetings.checkin", new { occurrence = Key });

    [Fact]
    public async Task A_check_in_from_the_card_is_counted_as_early_from_the_card_without_who()
    {
        _host.At(8, 24);
        using var recorded = new MetricRecorder();
        var before = recorded.Sum("chatregs.checkins", "source", "card");

        await Click();
        var afterFirst = recorded.Sum("chatregs.checkins", "source", "card");
        Assert.True(afterFirst - before >= 1, $"check-ins from the card: {before} before, {afterFirst} after");
        Assert.Contains(recorded.Tags("chatregs.checkins"), t => t.GetValueOrDefault("status") as string == "Early" && t.GetValueOrDefault("source") as string == "card");
        Assert.DoesNotContain(recorded.AllTagValues(), v => v.Contains("metrics-a", StringComparison.Ordinal) || v.Contains("度量甲", StringComparison.Ordinal));
    }
}
