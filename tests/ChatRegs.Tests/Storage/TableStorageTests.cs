using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;
using ChatRegs.Dialogs;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Tests.Storage;

/// <summary>What our Table Storage does beyond the shared contract.</summary>
public sealed class TableStorageTests : IAsyncLifetime
{
    private TableClient _table = null!;
    private TableStorage _storage = null!;

    public async Task InitializeAsync()
    {
        _table = Azurite.CreateServiceClient().GetTableClient(Azurite.UniqueTableName("state"));
        await _table.CreateIfNotExistsAsync();
        _storage = new TableStorage(_table);
    }

    public Task DisposeAsync() => _table.DeleteAsync();

    [Fact]
    public async Task A_stale_write_throws_a_conflict_callers_can_tell_apart()
    {
        await _storage.WriteAsync(new Dictionary<string, object> { ["k"] = new Note { Text = "v1" } });
        var stale = (Note)(await _storage.ReadAsync(["k"]))["k"];
        await _storage.WriteAsync(new Dictionary<string, object> { ["k"] = new Note { Text = "v2", ETag = "*" } });

        var e = await Assert.ThrowsAsync<StorageConflictException>(() => _storage.WriteAsync(new Dictionary<string, object> { ["k"] = stale }));
        Assert.Equal("k", e.Key);
    }

    [Fact]
    public async Task A_500_KiB_state_is_split_across_properties_and_read_back_whole()
    {
        // Random bytes do not compress: this really needs more than one 64 KiB property.
        var big = Convert.ToBase64String(RandomNumberGenerator.GetBytes(500 * 1024 * 3 / 4));
        Assert.True(big.Length >= 500 * 1024);
        await _storage.WriteAsync(new Dictionary<string, object> { ["big"] = new Note { Text = big } });

        var read = (Note)(await _storage.ReadAsync(["big"]))["big"];
        Assert.Equal(big, read.Text);

        var entity = (await _table.GetEntityAsync<TableEntity>(TableKeys.Escape("big"), "state")).Value;
        Assert.True(entity.GetInt32("Chunks") > 5, "the state should span several properties");
        Assert.All(Enumerable.Range(0, entity.GetInt32("Chunks")!.Value), i => Assert.True(entity.GetBinary("D" + i)!.Length <= 64 * 1024));
    }

    [Fact]
    public async Task State_too_large_for_one_entity_is_refused_with_a_clear_error_and_the_old_value_kept()
    {
        await _storage.WriteAsync(new Dictionary<string, object> { ["k"] = new PlainNote { Text = "kept" } });
        var huge = Convert.ToBase64String(RandomNumberGenerator.GetBytes(1_500_000));
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => _storage.WriteAsync(new Dictionary<string, object> { ["k"] = new PlainNote { Text = huge } }));
        Assert.Contains("'k'", e.Message);
        Assert.Equal("kept", ((PlainNote)(await _storage.ReadAsync(["k"]))["k"]).Text);
    }

    [Fact]
    public async Task Bot_state_dictionaries_carry_their_etag_and_a_stale_one_conflicts()
    {
        // This is how BotState holds conversation and user state: a dictionary, not an IStoreItem.
        await _storage.WriteAsync(new Dictionary<string, object> { ["conv"] = new Dictionary<string, object> { ["n"] = 1 } });
        var a = (IDictionary<string, object>)(await _storage.ReadAsync(["conv"]))["conv"];
        var b = (IDictionary<string, object>)(await _storage.ReadAsync(["conv"]))["conv"];
        Assert.True(a.ContainsKey("eTag"));

        b["n"] = 2;
        await _storage.WriteAsync(new Dictionary<string, object> { ["conv"] = b });
        // A second save of the same object in the same turn works: its eTag was refreshed.
        b["n"] = 3;
        await _storage.WriteAsync(new Dictionary<string, object> { ["conv"] = b });

        a["n"] = 99;
        await Assert.ThrowsAsync<StorageConflictException>(() => _storage.WriteAsync(new Dictionary<string, object> { ["conv"] = a }));
        var final = (IDictionary<string, object>)(await _storage.ReadAsync(["conv"]))["conv"];
        Assert.Equal(3L, Convert.ToInt64(final["n"]));
    }

    [Fact]
    public async Task JObject_values_carry_their_etag_too()
    {
        await _storage.WriteAsync(new Dictionary<string, object> { ["j"] = new JObject { ["x"] = 1 } });
        var stale = (JObject)(await _storage.ReadAsync(["j"]))["j"];
        var fresh = (JObject)(await _storage.ReadAsync(["j"]))["j"];
        fresh["x"] = 2;
        await _storage.WriteAsync(new Dictionary<string, object> { ["j"] = fresh });
        await Assert.ThrowsAsync<StorageConflictException>(() => _storage.WriteAsync(new Dictionary<string, object> { ["j"] = stale }));
    }

    [Fact]
    public async Task A_tampered_row_cannot_make_the_bot_load_an_arbitrary_type()
    {
        var json = "{\"$type\":\"System.IO.FileInfo, System.Private.CoreLib\",\"fileName\":\"/etc/passwd\"}";
        var entity = new TableEntity(TableKeys.Escape("evil"), "state")
        {
            ["Encoding"] = "json",
            ["Chunks"] = 1,
            ["D0"] = System.Text.Encoding.UTF8.GetBytes(json),
        };
        await _table.UpsertEntityAsync(entity);
        await Assert.ThrowsAsync<Newtonsoft.Json.JsonSerializationException>(() => _storage.ReadAsync(["evil"]));
    }

    [Fact]
    public async Task A_flow_saved_before_the_dialogs_had_their_own_assembly_reads_back_and_goes_on()
    {
        // Conversation state as the bot holds it: a form waiting inside a flow.
        var waiting = new Dictionary<string, object>
        {
            ["DialogState"] = new DialogState(
            [
                new DialogInstance { Id = "leave", State = new Dictionary<string, object> { ["stepIndex"] = 1 } },
                new DialogInstance
                {
                    Id = "form",
                    State = new Dictionary<string, object>
                    {
                        ["options"] = new CardFormPromptOptions { TemplateName = "LeaveForm", Verb = "leave.submit", Data = new JsonObject { ["meeting"] = "周例会" } },
                        ["state"] = new Dictionary<string, object> { ["values"] = new Dictionary<string, string> { ["reason"] = "出差" } },
                    },
                },
            ]),
        };
        var written = JsonConvert.SerializeObject(waiting, new JsonSerializerSettings { TypeNameHandling = TypeNameHandling.All });
        Assert.Contains("ChatRegs.Dialogs.DialogInstance, ChatRegs.Dialogs]]", written);
        // What the bot wrote while Bot/Dialogs was part of it: the same JSON under the old names.
        var old = written.Replace("ChatRegs.Dialogs.", "ChatRegs.Bot.Dialogs.").Replace(", ChatRegs.Dialogs", ", ChatRegs.Bot");
        Assert.DoesNotContain(", ChatRegs.Dialogs", old);
        await _table.UpsertEntityAsync(new TableEntity(TableKeys.Escape("before"), "state")
        {
            ["Encoding"] = "json",
            ["Chunks"] = 1,
            ["D0"] = System.Text.Encoding.UTF8.GetBytes(old),
        });

        var read = (IDictionary<string, object>)(await _storage.ReadAsync(["before"]))["before"];

        var stack = Assert.IsType<DialogState>(read["DialogState"]).DialogStack;
        Assert.Equal(["leave", "form"], stack.Select(i => i.Id));
        var options = Assert.IsType<CardFormPromptOptions>(stack[1].State["options"]);
        Assert.Equal(("LeaveForm", "leave.submit", "周例会"), (options.TemplateName, options.Verb, (string?)options.Data!["meeting"]));
        var values = Assert.IsAssignableFrom<IDictionary<string, string>>(((IDictionary<string, object>)stack[1].State["state"])["values"]);
        Assert.Equal("出差", values["reason"]);
    }

    [Fact]
    public async Task Concurrent_writes_with_the_same_etag_let_exactly_one_win()
    {
        await _storage.WriteAsync(new Dictionary<string, object> { ["race"] = new Note { Text = "start" } });
        var etag = ((Note)(await _storage.ReadAsync(["race"]))["race"]).ETag;
        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await _storage.WriteAsync(new Dictionary<string, object> { ["race"] = new Note { Text = "writer " + i, ETag = etag } });
                return true;
            }
            catch (StorageConflictException)
            {
                return false;
            }
        }));
        var results = await Task.WhenAll(attempts);
        Assert.Equal(1, results.Count(ok => ok));
    }
}
