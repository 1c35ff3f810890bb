using Azure.Data.Tables;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.CheckIns;
using ChatRegs.Bot.People;
using ChatRegs.TestSupport;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatRegs.Meetings.Tests;

/// <summary>
/// The Monday 8:30 rush against Azurite: a thousand people checking in to one occurrence at
/// once are all recorded, none twice, and each check-in costs one storage round trip (the insert).
/// </summary>
public sealed class CheckInConcurrencyTests : IAsyncLifetime
{
    private const string Tenant = "tenant-rush";
    private const string Key = "rush@202611300830";
    private readonly StorageRequests _counter = new();
    private readonly List<TableClient> _tables = [];
    private CheckInService _service = null!;
    private CheckInStore _checkIns = null!;
    private TableClient _checkInTable = null!;
    private MeetingStore _meetings = null!;
    private FakeTimeProvider _clock = null!;

    public async Task InitializeAsync()
    {
        var service = new TableServiceClient(Azurite.ConnectionString, _counter.AddTo(new TableClientOptions()));
        TableClient Table(string prefix)
        {
            var t = service.GetTableClient(Azurite.UniqueTableName(prefix));
            _tables.Add(t);
            return t;
        }
        var meetings = Table("meet");
        var checkIns = Table("checkin");
        var people = Table("people");
        foreach (var t in _tables)
        {
            await t.CreateIfNotExistsAsync();
        }
        _clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 8, 29, 0, TimeSpan.FromHours(8)));
        _meetings = new MeetingStore(meetings);
        _checkIns = new CheckInStore(checkIns);
        _checkInTable = checkIns;
        var meetingOptions = Options.Create(new MeetingOptions());
        var cache = new MeetingCache(_meetings, new PeopleDirectory(people, _clock), _clock, meetingOptions);
        _service = new CheckInService(cache, _checkIns, _clock, Localizer.Default, meetingOptions,
            new ChatRegs.Bot.Authorization.PermissionTable([new ChatRegs.Bot.Authorization.PermissionSet("Meetings", MeetingPermissions.Rules)]));
        await _meetings.CreateSeriesAsync(new MeetingSeries
        {
            TenantId = Tenant,
            Id = "rush",
            Name = "全员大会",
            HostId = "29:host",
            Schedule = MeetingSchedule.WeeklyOn(new(8, 30), new(9, 30), DayOfWeek.Monday),
        }, People(1000), default);
    }

    public async Task DisposeAsync()
    {
        foreach (var t in _tables)
        {
            await t.DeleteAsync();
        }
    }

    private static IEnumerable<string> People(int n) => Enumerable.Range(0, n).Select(i => $"29:p{i:D4}");

    [Fact]
    public async Task A_thousand_at_once_are_all_recorded_once_with_one_insert_each()
    {
        _counter.Clear();
        var outcomes = await Task.WhenAll(People(1000).Select(id => Task.Run(() => _service.CheckInAsync(Tenant, Key, id, id, CheckInSources.Card, default))));
        Assert.All(outcomes, o => Assert.Equal(CheckInResult.CheckedIn, o.Result));
        Assert.Equal(1000, _counter.On(_checkInTable.Name, HttpMethod.Post));
        // Everything else was the one shared load of the series (series, changes, participants, host name).
        Assert.InRange(_counter.Total - 1000, 1, 6);

        // Everyone presses again, twice, concurrently: nobody is counted twice.
        _clock.Advance(TimeSpan.FromMinutes(3));
        var again = await Task.WhenAll(People(1000).Concat(People(1000)).Select(id => Task.Run(() => _service.CheckInAsync(Tenant, Key, id, id, CheckInSources.Card, default))));
        Assert.All(again, o => Assert.Equal(CheckInResult.AlreadyCheckedIn, o.Result));
        Assert.All(again, o => Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 29, 0, TimeSpan.FromHours(8)), o.CheckIn!.At));

        var (all, _) = await _checkIns.ReadAsync(Tenant, Key, default);
        Assert.Equal(1000, all.Count);
        Assert.Equal(1000, all.Select(c => c.UserId).Distinct().Count());
        Assert.All(all, c => Assert.Equal(CheckInStatus.OnTime, c.Status));
    }

    [Fact]
    public async Task With_the_series_in_memory_a_check_in_is_exactly_one_round_trip()
    {
        await _service.CheckInAsync(Tenant, Key, "29:p0000", null, CheckInSources.Card, default); // warms the cache
        _counter.Clear();
        for (var i = 1; i <= 20; i++)
        {
            var outcome = await _service.CheckInAsync(Tenant, Key, $"29:p{i:D4}", null, CheckInSources.Card, default);
            Assert.Equal(CheckInResult.CheckedIn, outcome.Result);
        }
        Assert.Equal(20, _counter.Total);
        Assert.Equal(20, _counter.On(_checkInTable.Name, HttpMethod.Post));

        // Refusals cost nothing at all.
        _counter.Clear();
        Assert.Equal(CheckInResult.NotParticipant, (await _service.CheckInAsync(Tenant, Key, "29:outsider", null, CheckInSources.Card, default)).Result);
        Assert.Equal(CheckInResult.NotOpenYet, (await _service.CheckInAsync(Tenant, "rush@202612070830", "29:p0100", null, CheckInSources.Card, default)).Result);
        Assert.Equal(0, _counter.Total);
    }
}
