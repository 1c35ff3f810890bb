using System.Text.Json;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;
using ChatRegs.TestSupport;

namespace ChatRegs.Tests.Storage;

/// <summary>Values kept as JSON in a Table Storage entity fit by construction, against the emulator.</summary>
public sealed class TableJsonTests : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Options = TableJson.Unescaped(new(JsonSerializerDefaults.Web));
    private TableClient _table = null!;

    public async Task InitializeAsync()
    {
        _table = Azurite.CreateServiceClient().GetTableClient(Azurite.UniqueTableName("json"));
        await _table.CreateIfNotExistsAsync();
    }

    public Task DisposeAsync() => _table.DeleteAsync();

    private sealed record Note(string Title, List<string> Lines);

    [Fact]
    public void Chinese_text_is_written_as_itself_not_as_escapes()
    {
        var entity = new TableEntity("p", "r");
        TableJson.Put(entity, "Data", new Note("周工作例会", ["汇报“上周”工作"]), Options);
        var json = entity.GetString("Data")!;
        Assert.Contains("周工作例会", json);
        Assert.Contains("汇报“上周”工作", json);
        Assert.DoesNotContain("\\u", json);
    }

    [Fact]
    public async Task A_value_longer_than_one_property_is_split_never_inside_an_emoji_and_reads_back_whole()
    {
        // 40,000 code units of Chinese and emoji (140,000 as JSON: emoji stay escaped): several 64 KiB properties, each boundary tried on a surrogate pair.
        var line = string.Concat(Enumerable.Repeat("满意😀", 10_000));
        var note = new Note("回访", [line]);
        var entity = new TableEntity("p", "big");
        TableJson.Put(entity, "Data", note, Options);
        Assert.True(entity.GetInt32("Data_Parts") > 1);
        Assert.All(entity.Where(p => p.Value is string).Select(p => (string)p.Value),
            s => Assert.False(char.IsHighSurrogate(s[^1]) || char.IsLowSurrogate(s[0]), "a part starts or ends inside an emoji"));

        await _table.AddEntityAsync(entity);
        var stored = (await _table.GetEntityAsync<TableEntity>("p", "big")).Value;
        Assert.Equal(note.Lines, TableJson.Get<Note?>(stored, "Data", Options, null)!.Lines);
    }

    [Fact]
    public async Task A_value_written_in_one_property_before_the_split_existed_still_reads()
    {
        await _table.AddEntityAsync(new TableEntity("p", "old") { ["Data"] = JsonSerializer.Serialize(new Note("旧", ["\u65e7\u8bb0\u5f55"])) });
        var stored = (await _table.GetEntityAsync<TableEntity>("p", "old")).Value;
        Assert.Equal("旧记录", TableJson.Get<Note?>(stored, "Data", Options, null)!.Lines[0]);
    }

    [Fact]
    public void A_record_past_what_one_entity_holds_is_refused_before_any_request()
    {
        var entity = new TableEntity("p", "huge");
        var e = Assert.Throws<RecordTooLargeException>(() => TableJson.PutText(entity, "Data", new string('字', TableJson.MaxEntityChars + 1)));
        Assert.True(e.Length > TableJson.MaxEntityChars);
    }

    [Fact]
    public async Task The_largest_value_allowed_is_accepted_by_table_storage_when_added_and_when_replaced()
    {
        // Chinese and emoji are written by the SDK as \uXXXX (six bytes each) and the emulator
        // holds an update's body to 1 MiB: the limit must allow for that, not only for the insert.
        var text = string.Concat(Enumerable.Repeat("满意😀字", TableJson.MaxEntityChars / 4))[..(TableJson.MaxEntityChars - 1000)];
        if (char.IsHighSurrogate(text[^1]))
        {
            text = text[..^1] + "字";
        }
        var entity = new TableEntity("p", "largest") { ["At"] = DateTimeOffset.UtcNow, ["Count"] = 3 };
        TableJson.PutText(entity, "Data", text);
        await _table.AddEntityAsync(entity);
        await _table.UpdateEntityAsync(entity, Azure.ETag.All, TableUpdateMode.Replace);
        await _table.SubmitTransactionAsync([new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, Azure.ETag.All)]);
        var stored = (await _table.GetEntityAsync<TableEntity>("p", "largest")).Value;
        Assert.Equal(text, TableJson.GetText(stored, "Data"));
    }
}
