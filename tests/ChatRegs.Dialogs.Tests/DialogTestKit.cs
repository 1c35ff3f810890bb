using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace ChatRegs.Dialogs.Tests;

/// <summary>
/// The SDK tests' set-up: ConversationState over a storage, a DialogSet over its DialogState
/// property, a TestAdapter saving the state after every turn, and a bot callback that continues
/// the stack or begins the root dialog, with the dialogs' words of <see cref="TestDialogText"/> unless told otherwise. Every turn's <see cref="DialogTurnResult"/> is recorded.
/// </summary>
internal sealed class DialogHarness
{
    public DialogHarness(IStorage? storage = null, string conversation = "conversation-1", string channelId = "test", IDialogText? text = null)
    {
        Storage = storage ?? new MemoryStorage();
        ConversationState = new ConversationState(Storage);
        Accessor = ConversationState.CreateProperty<DialogState>("DialogState");
        Dialogs = new DialogSet(Accessor);
        var reference = TestAdapter.CreateConversation(conversation);
        reference.ChannelId = channelId;
        Adapter = new TestAdapter(reference);
        Adapter.Use(new DialogTextMiddleware(text ?? TestDialogText.Instance));
        Adapter.Use(new AutoSaveStateMiddleware(ConversationState));
    }

    public IStorage Storage { get; }

    public ConversationState ConversationState { get; }

    public IStatePropertyAccessor<DialogState> Accessor { get; }

    public DialogSet Dialogs { get; }

    public TestAdapter Adapter { get; }

    public List<DialogTurnResult> Results { get; } = new();

    /// <summary>The ids on the root stack after each turn, top first.</summary>
    public List<string[]> Stacks { get; } = new();

    /// <summary>A copy of the root dialog state after each turn (made through a TypeNameHandling.All round trip).</summary>
    public List<DialogState> Snapshots { get; } = new();

    public DialogTurnResult Last => Results[^1];

    /// <summary>
    /// Optional hook run before the dialogs (e.g. a bot-level "cancel everything" command);
    /// return a result to skip the dialogs for the turn.
    /// </summary>
    public Func<DialogContext, CancellationToken, Task<DialogTurnResult?>>? BeforeDialogs { get; set; }

    public DialogHarness Add(Dialog dialog)
    {
        Dialogs.Add(dialog);
        return this;
    }

    public BotCallbackHandler Bot(string rootDialogId, object? options = null) => async (turnContext, cancellationToken) =>
    {
        var dc = await Dialogs.CreateContextAsync(turnContext, cancellationToken);
        var result = BeforeDialogs == null ? null : await BeforeDialogs(dc, cancellationToken);
        result ??= await dc.ContinueDialogAsync(cancellationToken);
        if (result.Status == DialogTurnStatus.Empty)
        {
            result = await dc.BeginDialogAsync(rootDialogId, options, cancellationToken);
        }

        Results.Add(result);
        Stacks.Add(dc.Stack.Select(i => i.Id).ToArray());
        var state = await Accessor.GetAsync(turnContext, () => new DialogState(), cancellationToken);
        Snapshots.Add(JsonConvert.DeserializeObject<DialogState>(JsonConvert.SerializeObject(state, JsonTextStorage.Settings), JsonTextStorage.Settings)!);
    };

    public TestFlow Flow(string rootDialogId, object? options = null) => new(Adapter, Bot(rootDialogId, options));

    /// <summary>Runs one turn outside a TestFlow and returns the replies (for interleaving conversations).</summary>
    public async Task<List<IActivity>> TurnAsync(BotCallbackHandler bot, Activity activity)
    {
        await Adapter.ProcessActivityAsync(activity, bot, CancellationToken.None);
        var replies = new List<IActivity>();
        while (Adapter.GetNextReply() is { } reply)
        {
            replies.Add(reply);
        }

        return replies;
    }
}

/// <summary>User activities: no locale means Chinese; <see cref="En"/> sends locale en-US.</summary>
internal static class Say
{
    public static Activity Zh(string text) => new(ActivityTypes.Message) { Text = text };

    public static Activity En(string text) => new(ActivityTypes.Message) { Text = text, Locale = "en-US" };

    /// <summary>An Action.Submit from Teams: no text, the form's data as a JObject in Value.</summary>
    public static Activity Submit(object data, string? locale = null) =>
        new(ActivityTypes.Message) { Value = JObject.FromObject(data), Locale = locale };

    public static Activity Typing() => new(ActivityTypes.Typing);
}

/// <summary>
/// An IStorage that keeps each item as JSON text written with TypeNameHandling.All, the way the
/// Bot Framework's Blob/Cosmos storages do: every read is a full text round trip.
/// </summary>
internal sealed class JsonTextStorage : IStorage
{
    public static readonly JsonSerializerSettings Settings = new()
    {
        TypeNameHandling = TypeNameHandling.All,
        NullValueHandling = NullValueHandling.Include,
        MaxDepth = null,
    };

    private readonly Dictionary<string, string> _items = new();

    public IReadOnlyDictionary<string, string> Items => _items;

    public Task<IDictionary<string, object>> ReadAsync(string[] keys, CancellationToken cancellationToken = default)
    {
        IDictionary<string, object> result = new Dictionary<string, object>();
        foreach (var key in keys)
        {
            if (_items.TryGetValue(key, out var json))
            {
                result[key] = JsonConvert.DeserializeObject(json, Settings)!;
            }
        }

        return Task.FromResult(result);
    }

    public Task WriteAsync(IDictionary<string, object> changes, CancellationToken cancellationToken = default)
    {
        foreach (var (key, value) in changes)
        {
            _items[key] = JsonConvert.SerializeObject(value, Settings);
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(string[] keys, CancellationToken cancellationToken = default)
    {
        foreach (var key in keys)
        {
            _items.Remove(key);
        }

        return Task.CompletedTask;
    }
}

internal static class ActivityAssertions
{
    public static Activity AsActivity(this IActivity activity) => (Activity)activity;

    public static string? TextOf(this IActivity activity) => ((Activity)activity).Text;
}

/// <summary>The sample leave form's rules, shared by the tests that put a card form in a dialog.</summary>
internal static class SampleForms
{
    /// <summary>days must be a whole number 1–30; reason must not be blank. Messages in the user's language.</summary>
    internal static Task<IReadOnlyDictionary<string, string>?> ValidateLeave(CardFormValidatorContext form, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (form.Value("reason") == null)
        {
            errors["reason"] = form.Locale == TestDialogText.English ? "Please give a reason." : "请填写请假原因。";
        }

        var maxDays = form.Options.Data?["maxDays"]?.GetValue<int>() ?? 30;
        if (!int.TryParse(form.Value("days"), out var days) || days < 1 || days > maxDays)
        {
            errors["days"] = form.Locale == TestDialogText.English ? $"Days must be a whole number from 1 to {maxDays}." : $"天数必须是 1 到 {maxDays} 的整数。";
        }

        return Task.FromResult<IReadOnlyDictionary<string, string>?>(errors);
    }
}
