using Azure.Data.Tables;
using ChatRegs.Bot.Storage;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder;

namespace ChatRegs.Tests.Storage;

public sealed class Note : IStoreItem
{
    public string? Text { get; set; }

    public int Count { get; set; }

    public string? ETag { get; set; }
}

public sealed class PlainNote
{
    public string? Text { get; set; }
}

/// <summary>
/// The IStorage contract, run against the SDK's own MemoryStorage and our Table Storage on
/// Azurite: both must behave the same for every case.
/// </summary>
public abstract class StorageContractTests : IAsyncLifetime
{
    protected IStorage Storage { get; private set; } = null!;

    protected abstract Task<IStorage> CreateStorageAsync();

    /// <summary>An ETag of the storage's own format that no current item has.</summary>
    protected abstract string StaleETag { get; }

    protected virtual Task CleanUpAsync() => Task.CompletedTask;

    public async Task InitializeAsync() => Storage = await CreateStorageAsync();

    public Task DisposeAsync() => CleanUpAsync();

    private async Task<T?> ReadOne<T>(string key) where T : class =>
        (await Storage.ReadAsync([key])).TryGetValue(key, out var v) ? (T)v : null;

    [Fact]
    public async Task Written_items_read_back_with_their_values_and_an_etag()
    {
        await Storage.WriteAsync(new Dictionary<string, object> { ["a"] = new Note { Text = "签到 ✓", Count = 3 } });
        var read = await ReadOne<Note>("a");
        Assert.NotNull(read);
        Assert.Equal("签到 ✓", read!.Text);
        Assert.Equal(3, read.Count);
        Assert.False(string.IsNullOrEmpty(read.ETag));
    }

    [Fact]
    public async Task Missing_keys_are_left_out_of_a_read()
    {
        await Storage.WriteAsync(new Dictionary<string, object> { ["present"] = new Note { Text = "x" } });
        var read = await Storage.ReadAsync(["present", "absent"]);
        Assert.Equal(["present"], read.Keys.ToArray());
    }

    [Fact]
    public async Task Writing_with_the_current_etag_succeeds_and_changes_the_etag()
    {
        await Storage.WriteAsync(new Dictionary<string, object> { ["k"] = new Note { Text = "v1" } });
        var first = (await ReadOne<Note>("k"))!;
        var firstETag = first.ETag;
        first.Text = "v2";
        await Storage.WriteAsync(new Dictionary<string, object> { ["k"] = first });
        var second = (await ReadOne<Note>("k"))!;
        Assert.Equal("v2", second.Text);
        Assert.NotEqual(firstETag, second.ETag);
    }

    [Fact]
    public async Task A_stale_etag_fails_and_keeps_the_newer_value()
    {
        await Storage.WriteAsync(new Dictionary<string, object> { ["k"] = new Note { Text = "v1" } });
        var mine = (await ReadOne<Note>("k"))!;
        var theirs = (await ReadOne<Note>("k"))!;
        theirs.Text = "theirs";
        await Storage.WriteAsync(new Dictionary<string, object> { ["k"] = theirs });

        mine.Text = "mine";
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Storage.WriteAsync(new Dictionary<string, object> { ["k"] = mine }));
        Assert.Equal("theirs", (await ReadOne<Note>("k"))!.Text);
    }

    [Fact]
    public async Task An_empty_etag_over_an_existing_item_is_a_conflict()
    {
        await Storage.WriteAsync(new Dictionary<string, object> { ["k"] = new Note { Text = "first" } });
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Storage.WriteAsync(new Dictionary<string, object> { ["k"] = new Note { Text = "blind" } }));
        Assert.Equal("first", (await ReadOne<Note>("k"))!.Text);
    }

    [Fact]
    public async Task Star_etag_overwrites_whatever_is_there()
    {
        await Storage.WriteAsync(new Dictionary<string, object> { ["k"] = new Note { Text = "first" } });
        await Storage.WriteAsync(new Dictionary<string, object> { ["k"] = new Note { Text = "forced", ETag = "*" } });
        Assert.Equal("forced", (await ReadOne<Note>("k"))!.Text);
    }

    [Fact]
    public async Task An_etag_for_an_item_that_does_not_exist_writes_it()
    {
        await Storage.WriteAsync(new Dictionary<string, object> { ["new"] = new Note { Text = "x", ETag = StaleETag } });
        Assert.Equal("x", (await ReadOne<Note>("new"))!.Text);
    }

    [Fact]
    public async Task Values_without_an_etag_overwrite()
    {
        await Storage.WriteAsync(new Dictionary<string, object> { ["p"] = new PlainNote { Text = "one" } });
        await Storage.WriteAsync(new Dictionary<string, object> { ["p"] = new PlainNote { Text = "two" } });
        Assert.Equal("two", (await ReadOne<PlainNote>("p"))!.Text);
    }

    [Fact]
    public async Task Deleted_items_are_gone_and_deleting_a_missing_key_is_fine()
    {
        await Storage.WriteAsync(new Dictionary<string, object> { ["d"] = new Note { Text = "x" } });
        await Storage.DeleteAsync(["d", "never-existed"]);
        Assert.Empty(await Storage.ReadAsync(["d"]));
    }

    [Fact]
    public async Task Several_keys_in_one_write_are_all_stored()
    {
        await Storage.WriteAsync(new Dictionary<string, object>
        {
            ["one"] = new Note { Text = "1" },
            ["two"] = new Note { Text = "2" },
            ["three"] = new PlainNote { Text = "3" },
        });
        var read = await Storage.ReadAsync(["one", "two", "three"]);
        Assert.Equal(3, read.Count);
        Assert.Equal("2", ((Note)read["two"]).Text);
    }

    [Theory]
    [InlineData("msteams/conversations/19:abc@thread.tacv2;messageid=123/")]
    [InlineData("key#with?hash\\and/slash")]
    [InlineData("会议/签到#周一?")]
    [InlineData("percent%20already%2Fescaped")]
    [InlineData("control\tchars\u0001here\u007f")]
    [InlineData("emoji 🙂 and spaces")]
    public async Task Any_bot_framework_key_round_trips(string key)
    {
        await Storage.WriteAsync(new Dictionary<string, object> { [key] = new Note { Text = key } });
        var read = await Storage.ReadAsync([key]);
        Assert.Equal(key, Assert.Single(read).Key);
        Assert.Equal(key, ((Note)read[key]).Text);
    }

    [Fact]
    public async Task Keys_that_differ_only_in_escaped_characters_stay_apart()
    {
        await Storage.WriteAsync(new Dictionary<string, object> { ["a/b"] = new Note { Text = "slash" }, ["a%2Fb"] = new Note { Text = "literal" } });
        Assert.Equal("slash", (await ReadOne<Note>("a/b"))!.Text);
        Assert.Equal("literal", (await ReadOne<Note>("a%2Fb"))!.Text);
    }

    [Fact]
    public async Task Null_arguments_are_refused()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(() => Storage.ReadAsync(null!));
        await Assert.ThrowsAsync<ArgumentNullException>(() => Storage.WriteAsync(null!));
    }

    [Fact]
    public async Task Dictionaries_like_bot_state_round_trip_with_their_types()
    {
        var state = new Dictionary<string, object> { ["Note"] = new Note { Text = "嵌套", Count = 7 }, ["Flag"] = true };
        await Storage.WriteAsync(new Dictionary<string, object> { ["conv"] = state });
        var read = (IDictionary<string, object>)(await Storage.ReadAsync(["conv"]))["conv"];
        var note = Assert.IsType<Note>(read["Note"]);
        Assert.Equal(7, note.Count);
        Assert.Equal(true, read["Flag"]);
    }
}

public sealed class MemoryStorageContractTests : StorageContractTests
{
    protected override Task<IStorage> CreateStorageAsync() => Task.FromResult<IStorage>(new MemoryStorage());

    protected override string StaleETag => "12345";
}

public sealed class TableStorageContractTests : StorageContractTests
{
    private TableClient? _table;

    protected override string StaleETag => "W/\"datetime'2020-01-01T00%3A00%3A00.0000000Z'\"";

    protected override async Task<IStorage> CreateStorageAsync()
    {
        _table = Azurite.CreateServiceClient().GetTableClient(Azurite.UniqueTableName("state"));
        await _table.CreateIfNotExistsAsync();
        return new TableStorage(_table);
    }

    protected override async Task CleanUpAsync()
    {
        if (_table != null)
        {
            await _table.DeleteAsync();
        }
    }
}
