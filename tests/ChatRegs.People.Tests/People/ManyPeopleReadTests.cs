using Azure.Data.Tables;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Storage;
using ChatRegs.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace ChatRegs.People.Tests.People;

/// <summary>
/// <see cref="PeopleDirectory.GetManyAsync"/> on Azurite: many people of one tenant in a query
/// per 14, each as <see cref="PeopleDirectory.GetAsync"/> reads them, unknown ids and other
/// tenants' people left out, and a person still waiting in the first-contact buffer read with it.
/// </summary>
public sealed class ManyPeopleReadTests : IAsyncLifetime
{
    private readonly StorageRequests _requests = new();
    private TableClient _table = null!;
    private BufferedRowWriter _buffer = null!;
    private PeopleDirectory _people = null!;

    public async Task InitializeAsync()
    {
        _table = new TableServiceClient(Azurite.ConnectionString, _requests.AddTo(new TableClientOptions())).GetTableClient(Azurite.UniqueTableName("ppl"));
        await _table.CreateIfNotExistsAsync();
        _buffer = new BufferedRowWriter(NullLogger<BufferedRowWriter>.Instance, TimeSpan.FromHours(1));
        _people = new PeopleDirectory(_table, new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero)), buffer: _buffer);
    }

    public async Task DisposeAsync()
    {
        await _buffer.DisposeAsync();
        await _table.DeleteAsync();
    }

    [Fact]
    public async Task Thirty_people_are_read_in_three_queries_as_one_by_one_reads_give_them()
    {
        // Ids with characters Table keys escape, and one with a quote (the filter's own quoting).
        var ids = Enumerable.Range(0, 30).Select(i => i switch { 0 => "29:o'brien", 1 => "29:a/b#c?d", 2 => "29:张伟", _ => $"29:p{i}" }).ToList();
        foreach (var id in ids)
        {
            await _people.EnsureKnownAsync("tenant-a", id, "名字" + id, "aad-" + id, null, id.EndsWith('9') ? "en-US" : "zh-CN");
        }
        await _people.EnsureKnownAsync("tenant-b", "29:other", "别的租户", null, null, "zh-CN");
        _requests.Clear();

        var found = await _people.GetManyAsync("tenant-a", [.. ids, ids[3], "29:nobody", "29:other"]);

        Assert.Equal(3, _requests.Total);
        Assert.Equal(ids.Order(StringComparer.Ordinal), found.Keys.Order(StringComparer.Ordinal));
        foreach (var id in ids)
        {
            var one = (await _people.GetAsync("tenant-a", id))!;
            Assert.Equal((one.UserId, one.Name, one.PreferredLanguage, one.AadObjectId), (found[id].UserId, found[id].Name, found[id].PreferredLanguage, found[id].AadObjectId));
        }
        Assert.Equal("en", found["29:p19"].PreferredLanguage[..2]);
        Assert.Empty(await _people.GetManyAsync("tenant-a", []));
    }

    [Fact]
    public async Task Someone_met_a_moment_ago_and_still_waiting_in_the_buffer_is_read_with_the_rest()
    {
        await _people.EnsureKnownAsync("tenant-a", "29:stored", "已存", null, null, "zh-CN");
        await _people.EnsureKnownAsync("tenant-a", "29:waiting-en", "Waiting", null, null, "en-US", offThePath: true);
        Assert.Equal(1, _buffer.Count);

        var found = await _people.GetManyAsync("tenant-a", ["29:stored", "29:waiting-en"]);

        Assert.Equal("已存", found["29:stored"].Name);
        Assert.Equal("Waiting", found["29:waiting-en"].Name);
        Assert.StartsWith("en", found["29:waiting-en"].PreferredLanguage, StringComparison.Ordinal);
        Assert.Equal(1, _buffer.Count);
    }
}
