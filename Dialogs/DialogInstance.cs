using System.Diagnostics;
using Newtonsoft.Json;

namespace ChatRegs.Dialogs;

/// <summary>
/// One entry of a dialog stack: the dialog's id and the state it keeps between turns.
/// Persisted as part of <see cref="DialogState"/>; every value put in <see cref="State"/> must
/// survive a Newtonsoft.Json round trip with <c>TypeNameHandling.All</c> (plain CLR objects,
/// dictionaries, lists, Bot Framework schema types — not System.Text.Json nodes).
/// </summary>
[DebuggerDisplay("{Id}")]
public class DialogInstance
{
    /// <summary>Gets or sets the id of the dialog this instance belongs to.</summary>
    [JsonProperty("id")]
    public string Id { get; set; } = string.Empty;

    /// <summary>Gets or sets the instance's persisted state.</summary>
    [JsonProperty("state")]
    public IDictionary<string, object> State { get; set; } = new Dictionary<string, object>();

    /// <summary>Gets or sets the version of the dialog when the instance was created (see <see cref="Dialog.GetVersion"/>).</summary>
    [JsonProperty("version")]
    public string? Version { get; set; }
}
