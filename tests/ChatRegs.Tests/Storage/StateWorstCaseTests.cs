using System.Text;
using Azure.Data.Tables;
using ChatRegs.Bot.Storage;
using ChatRegs.Dialogs;
using ChatRegs.TestSupport;

namespace ChatRegs.Tests.Storage;

/// <summary>
/// The biggest dialog state a flow can hold still fits one Table Storage entity (1 MiB), with
/// room to spare: a form at its total cap (<see cref="InputLimits.FormTotal"/>, over
/// <see cref="InputLimits.MaxFields"/> fields) of text that does not compress, held four times
/// (a dialog holds a form's values up to three times: the prompt's last submission, the
/// waterfall's values, the options' initial values; one more for good measure).
/// </summary>
public sealed class StateWorstCaseTests : IAsyncLifetime
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

    /// <summary>Random Chinese characters, emoji every few, quotes and backslashes: what gzip can do least with.</summary>
    private static string Incompressible(Random random, int length)
    {
        var text = new StringBuilder(length);
        while (text.Length < length)
        {
            var roll = random.Next(20);
            if (roll == 0 && text.Length + 2 <= length)
            {
                text.Append(char.ConvertFromUtf32(0x1F300 + random.Next(0x2FF)));
            }
            else if (roll == 1)
            {
                text.Append("\"\\'“”"[random.Next(5)]);
            }
            else
            {
                text.Append((char)(0x4E00 + random.Next(0x5200)));
            }
        }
        return text.ToString();
    }

    private static Dictionary<string, object> FullForm(Random random)
    {
        var form = new Dictionary<string, object>();
        var each = InputLimits.FormTotal / InputLimits.MaxFields;
        for (var i = 0; i < InputLimits.MaxFields; i++)
        {
            form[$"field{i:D2}"] = Incompressible(random, each);
        }
        Assert.Equal(InputLimits.FormTotal, form.Values.Sum(v => ((string)v).Length));
        return form;
    }

    [Fact]
    public async Task A_form_at_its_total_cap_held_four_times_is_saved_whole_under_half_the_entity_limit()
    {
        var random = new Random(18);
        var state = new Dictionary<string, object>
        {
            ["DialogState"] = new Dictionary<string, object>
            {
                ["lastSubmission"] = FullForm(random),
                ["values"] = FullForm(random),
                ["initialValues"] = FullForm(random),
                ["spare"] = FullForm(random),
            },
        };
        await _storage.WriteAsync(new Dictionary<string, object> { ["conversation"] = state });

        var entity = (await _table.GetEntityAsync<TableEntity>(TableKeys.Escape("conversation"), "state")).Value;
        var chunks = entity.GetInt32("Chunks")!.Value;
        Assert.True(chunks <= TableStorage.MaxChunks);
        // On the wire each binary property is base64 (4 characters for 3 bytes); the whole request must stay under 1 MiB.
        var wire = Enumerable.Range(0, chunks).Sum(i => (entity.GetBinary("D" + i)!.Length + 2) / 3 * 4);
        Assert.True(wire < 512 * 1024, $"the worst state takes {wire:N0} bytes on the wire");

        // Read back whole, and replaced (an update, which is what the emulator refuses past 1 MiB) again.
        var read = (Dictionary<string, object>)(await _storage.ReadAsync(["conversation"]))["conversation"];
        var dialog = (Dictionary<string, object>)read["DialogState"];
        Assert.Equal(((Dictionary<string, object>)((Dictionary<string, object>)state["DialogState"])["values"])["field63"],
            ((Dictionary<string, object>)dialog["values"])["field63"]);
        dialog["spare"] = FullForm(random);
        await _storage.WriteAsync(new Dictionary<string, object> { ["conversation"] = read });
        Assert.Equal(4, ((Dictionary<string, object>)((Dictionary<string, object>)(await _storage.ReadAsync(["conversation"]))["conversation"])["DialogState"]).Count);
    }
}
