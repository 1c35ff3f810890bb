using ChatRegs.Bot.Hosting;
using ChatRegs.Bot.People;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Scheduling;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Newtonsoft.Json.Linq;

using Activity = Microsoft.Bot.Schema.Activity;

namespace ChatRegs.TestSupport;

/// <summary>
/// What every feature's tests need around the real bot (<see cref="BotTestHost"/>: every
/// registration, Azurite): a fake clock, Teams' connector faked behind proactive messages,
/// people in one tenant with their roles and a 1:1 chat the bot knows, a chat per person, and
/// the scheduler's jobs run on demand. A feature's own host adds its seeding on top.
/// </summary>
public sealed class FeatureHost : IAsyncDisposable
{
    /// <summary>China Standard Time: the wall clock the regulations speak of.</summary>
    public static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _locales = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Conversation, string Locale), TestAdapter> _adapters = [];

    private readonly bool _ownsBot;

    private FeatureHost(BotTestHost bot, string tenant, FakeTimeProvider clock, TeamsConnector connector, bool ownsBot = true)
    {
        Bot = bot;
        Tenant = tenant;
        Clock = clock;
        Connector = connector;
        _ownsBot = ownsBot;
    }

    /// <summary>
    /// A test's view of a bot that <see cref="SharedFeatureHost"/> runs for the whole test class:
    /// its own tenant, clock and connector; disposing it leaves the bot running.
    /// </summary>
    internal static FeatureHost Share(BotTestHost bot, string tenant, FakeTimeProvider clock, TeamsConnector connector) =>
        new(bot, tenant, clock, connector, ownsBot: false);

    public BotTestHost Bot { get; }

    public string Tenant { get; }

    public FakeTimeProvider Clock { get; }

    public TeamsConnector Connector { get; }

    public IServiceProvider Services => Bot.Services;

    public ListLogger Logs => Bot.Logs;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// Starts the bot at <paramref name="now"/> for <paramref name="tenant"/>. Settings and
    /// service overrides are applied after the defaults (clock, connector). Give another
    /// host's <see cref="BotTestHost.TablePrefix"/> to run a second instance on the same tables.
    /// </summary>
    public static async Task<FeatureHost> StartAsync(string tenant, DateTimeOffset now, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null, string? tablePrefix = null)
    {
        var clock = new FakeTimeProvider(now);
        var connector = new TeamsConnector();
        var bot = await BotTestHost.StartAsync(settings, tablePrefix, configure: services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddHttpClient(ProactiveOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => connector);
            configure?.Invoke(services);
        });
        return new FeatureHost(bot, tenant, clock, connector);
    }

    /// <summary>The 1:1 chat id the bot has with a person (as the fake connector creates it).</summary>
    public static string ChatOf(string userId) => "a:1to1-" + userId;

    /// <summary>
    /// A person the bot knows: in the directory with these roles (set by the office, as the
    /// 角色 card would), and with a 1:1 chat the bot can message. Ids ending in "-en" read
    /// English unless a locale is given.
    /// </summary>
    public Task<Person> PersonAsync(string userId, string name, string? locale = null, bool onDuty = false, string? team = null, params string[] roles)
    {
        locale ??= userId.EndsWith("-en", StringComparison.Ordinal) ? "en-US" : "zh-CN";
        _names[userId] = name;
        _locales[userId] = locale;
        return BotSeed.PersonAsync(Services, Tenant, userId, name, locale, onDuty, team, roles: roles);
    }

    /// <summary>The bot was seen in this conversation (a 1:1 chat, group chat, meeting chat or channel), so it can post there.</summary>
    public Task KnowChatAsync(string conversationId, string userId, string name, string conversationType, string locale = "zh-CN") =>
        BotSeed.KnowChatAsync(Services, Tenant, conversationId, userId, name, conversationType, locale);

    /// <summary>
    /// A person's chat with the bot: their 1:1 chat unless a conversation is given, in their
    /// language unless another is given, under the name they were given. One adapter per
    /// conversation and language, kept for the test.
    /// </summary>
    public TestAdapter Adapter(string userId, string? locale = null, string? conversationId = null, string conversationType = "personal")
    {
        locale ??= _locales.GetValueOrDefault(userId) ?? (userId.EndsWith("-en", StringComparison.Ordinal) ? "en-US" : "zh-CN");
        conversationId ??= ChatOf(userId);
        lock (_adapters)
        {
            if (_adapters.TryGetValue((conversationId + "|" + userId, locale), out var existing))
            {
                return existing;
            }
            var adapter = Bot.CreateAdapter(conversationId, userId, Tenant, locale, conversationType);
            adapter.Conversation.User.Name = _names.GetValueOrDefault(userId, userId);
            _adapters[(conversationId + "|" + userId, locale)] = adapter;
            return adapter;
        }
    }

    public Task<List<IActivity>> SayAsync(string userId, string text, string? locale = null)
    {
        var adapter = Adapter(userId, locale);
        return Bot.SayAsync(adapter, text, adapter.Locale);
    }

    public Task<List<IActivity>> SubmitAsync(string userId, object value, string? locale = null)
    {
        var adapter = Adapter(userId, locale);
        return Bot.SubmitAsync(adapter, value, adapter.Locale);
    }

    /// <summary>
    /// Presses a card's Action.Submit button as Teams does: the button's data with every input of
    /// the card as shown, overlaid with what the person typed (<paramref name="inputs"/>).
    /// </summary>
    public Task<List<IActivity>> PressAsync(string userId, JObject card, string button, object? inputs = null, string? locale = null)
    {
        var data = (JObject)Replies.Button(card, button).DeepClone();
        foreach (var input in card.Descendants().OfType<JObject>().Where(o => ((string?)o["type"])?.StartsWith("Input.", StringComparison.Ordinal) == true && o["id"] != null))
        {
            data[(string)input["id"]!] = (string?)input["value"] ?? "";
        }
        foreach (var p in inputs == null ? [] : JObject.FromObject(inputs).Properties())
        {
            data[p.Name] = p.Value;
        }
        return DriveAsync(SubmitAsync(userId, data, locale));
    }

    public Task<List<IActivity>> SayAsync(TestAdapter adapter, string text) => Bot.SayAsync(adapter, text, adapter.Locale);

    public Task<List<IActivity>> SubmitAsync(TestAdapter adapter, object value) => Bot.SubmitAsync(adapter, value, adapter.Locale);

    /// <summary>Sends an activity in the chat's language.</summary>
    public Task<List<IActivity>> SendAsync(TestAdapter adapter, Activity activity)
    {
        activity.Locale ??= adapter.Locale;
        return Bot.SendAsync(adapter, activity);
    }

    /// <summary>
    /// An Action.Execute press (invoke adaptiveCard/action) in this chat; returns the invoke
    /// response's body: a refreshed card or a message.
    /// </summary>
    public async Task<JObject> ExecuteAsync(TestAdapter adapter, string verb, object data)
    {
        var replies = await SendAsync(adapter, new Activity
        {
            Type = ActivityTypes.Invoke,
            Name = "adaptiveCard/action",
            Value = JObject.FromObject(new { action = new { type = "Action.Execute", verb, data } }),
        });
        var response = replies.Single(r => r.Type == "invokeResponse");
        return JObject.FromObject(((InvokeResponse)((Activity)response).Value).Body);
    }

    /// <summary>Sets the clock to a Shanghai wall time.</summary>
    public void At(DateOnly day, int hour, int minute = 0) =>
        Clock.SetUtcNow(new DateTimeOffset(day.Year, day.Month, day.Day, hour, minute, 0, Shanghai));

    /// <summary>Today in Shanghai, by the fake clock.</summary>
    public DateOnly Today => DateOnly.FromDateTime(Clock.GetUtcNow().ToOffset(Shanghai).DateTime);

    /// <summary>Every job of the tenant whose id starts with <paramref name="prefix"/>.</summary>
    public async Task<IReadOnlyList<Job>> JobsAsync(string prefix = "")
    {
        var jobs = await Get<JobStore>().ListAsync(Tenant, [], default);
        return jobs.Where(j => j.Id.StartsWith(prefix, StringComparison.Ordinal)).ToList();
    }

    /// <summary>One poll of the job runner: runs every job due now, as the background runner would.</summary>
    public Task<PollOutcome> PollJobsAsync() => DriveAsync(Get<JobRunner>().PollAsync());

    /// <summary>Runs a stored job through its handler, as the runner would (not marking it done).</summary>
    public Task RunJobAsync(Job job)
    {
        var handler = Services.GetServices<IJobHandler>().Single(h => h.Kind == job.Kind);
        return DriveAsync(handler.RunAsync(job, default));
    }

    /// <summary>Runs the tenant's stored job with this id through its handler, as the runner would (not marking it done).</summary>
    public async Task RunJobAsync(string jobId)
    {
        var job = await Get<JobScheduler>().GetAsync(Tenant, jobId) ?? throw new InvalidOperationException($"No job {jobId}.");
        await RunJobAsync(job);
    }

    /// <summary>
    /// Waits for work that sends proactive messages, letting the fake clock run in 10 ms steps:
    /// the connector pacing (Teams' per-conversation and per-tenant limits) waits on this clock.
    /// </summary>
    public async Task DriveAsync(Task work)
    {
        var real = System.Diagnostics.Stopwatch.StartNew();
        var started = Clock.GetUtcNow();
        while (!work.IsCompleted)
        {
            if (real.Elapsed > TimeSpan.FromSeconds(60))
            {
                // What a hang was waiting on, for the test's report: the clock moved on, so a wait
                // on it is not the cause unless calls are still queued for their turn.
                var limiter = Services.GetService<ChatRegs.Bot.Proactive.ConnectorRateLimiter>();
                throw new TimeoutException(
                    $"The work did not finish in 60 s (the fake clock ran {Clock.GetUtcNow() - started}; " +
                    $"connector calls waiting for their turn: {limiter?.Waiting.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no limiter"}; " +
                    $"connector calls made: {Connector.Calls.Count}).");
            }
            Clock.Advance(TimeSpan.FromMilliseconds(10));
            await Task.Delay(1);
        }
        await work;
    }

    /// <inheritdoc cref="DriveAsync(Task)"/>
    public async Task<T> DriveAsync<T>(Task<T> work)
    {
        await DriveAsync((Task)work);
        return await work;
    }

    /// <summary>The cards the bot sent (or updated) in a person's 1:1 chat, in order.</summary>
    public IReadOnlyList<JObject> CardsTo(string userId) =>
        Connector.To(ChatOf(userId)).Select(c => c.Card).OfType<JObject>().ToList();

    /// <summary>Everything a person can read of what the bot sent to their 1:1 chat.</summary>
    public string ReadableTo(string userId) => string.Join("\n", Connector.To(ChatOf(userId)).Select(c => c.Card is { } card ? TurnKit.Text(card) : c.Text ?? ""));

    public async ValueTask DisposeAsync()
    {
        if (_ownsBot)
        {
            await Bot.DisposeAsync();
        }
    }
}
