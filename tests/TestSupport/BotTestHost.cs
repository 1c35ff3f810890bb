using Azure.Data.Tables;
using ChatRegs.Bot.Hosting;
using ChatRegs.Bot.Storage;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Builder.Adapters;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatRegs.TestSupport;

/// <summary>
/// The real bot (its DI registrations, middleware, error handler and Table Storage on
/// Azurite) behind the SDK's TestAdapter, with its own tables so tests never share state.
/// </summary>
public sealed class BotTestHost : IAsyncDisposable
{
    private BotTestHost(ServiceProvider services, string prefix)
    {
        Services = services;
        TablePrefix = prefix;
    }

    public ServiceProvider Services { get; }

    public string TablePrefix { get; }

    public ListLogger Logs => Services.GetRequiredService<ListLogger>();

    public IBot Bot => Services.GetRequiredService<IBot>();

    public static async Task<BotTestHost> StartAsync(Dictionary<string, string?>? settings = null, string? tablePrefix = null, Action<IServiceCollection>? configure = null)
    {
        var prefix = tablePrefix ?? "T" + Guid.NewGuid().ToString("N")[..12];
        var values = new Dictionary<string, string?>
        {
            ["ChatRegs:Storage:ConnectionString"] = Azurite.ConnectionString,
            ["ChatRegs:Storage:TablePrefix"] = prefix,
        };
        foreach (var (k, v) in settings ?? [])
        {
            values[k] = v;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        var logger = new ListLogger();
        services.AddSingleton(logger);
        services.AddLogging(b => b.AddProvider(logger));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddChatRegs(configuration);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();

        var tables = provider.GetRequiredService<TableServiceClient>();
        foreach (var table in provider.GetRequiredService<TableNames>().All)
        {
            await tables.CreateTableIfNotExistsAsync(table);
        }
        return new BotTestHost(provider, prefix);
    }

    /// <summary>A TestAdapter with the bot's middleware and error handler, for a Teams conversation.</summary>
    public TestAdapter CreateAdapter(string conversationId = "a:conv-1", string userId = "29:user-1", string tenantId = "tenant-1", string? locale = null, string conversationType = "personal")
    {
        var reference = new ConversationReference
        {
            ChannelId = "msteams",
            ServiceUrl = "https://smba.trafficmanager.net/teams/",
            User = new ChannelAccount(userId, "王小明", aadObjectId: "aad-" + userId),
            Bot = new ChannelAccount("28:bot", "ChatRegs", RoleTypes.Bot),
            Conversation = new ConversationAccount(conversationType: conversationType, id: conversationId, tenantId: tenantId),
            Locale = locale,
        };
        var adapter = new TestAdapter(reference) { Locale = locale ?? "" };
        // TestAdapter numbers activities from 0 in each adapter; Teams ids are unique, and the
        // bot drops a second delivery of an id. Give every test activity a unique id.
        adapter.Use(new UniqueActivityIds());
        foreach (var middleware in Services.GetServices<IMiddleware>())
        {
            adapter.Use(middleware);
        }
        adapter.OnTurnError = Services.GetRequiredService<TurnErrorHandler>().HandleAsync;
        return adapter;
    }

    public async ValueTask DisposeAsync()
    {
        var tables = Services.GetRequiredService<TableServiceClient>();
        foreach (var table in Services.GetRequiredService<TableNames>().All)
        {
            try { await tables.DeleteTableAsync(table); } catch { /* best effort */ }
        }
        await Services.DisposeAsync();
    }
}

/// <summary>
/// Gives each activity a unique id, as Teams does. An activity whose properties carry
/// <see cref="IdProperty"/> gets that id instead (TestAdapter numbers every activity itself), so a
/// test can deliver the same activity twice as Teams does when the bot was slow:
/// <c>Properties = UniqueActivityIds.Id("press-1")</c>.
/// </summary>
public sealed class UniqueActivityIds : IMiddleware
{
    public const string IdProperty = "testActivityId";

    public static Newtonsoft.Json.Linq.JObject Id(string id) => new() { [IdProperty] = id };

    public Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        if (turnContext.Activity.Properties?[IdProperty]?.ToString() is { Length: > 0 } fixedId)
        {
            turnContext.Activity.Id = fixedId;
            return next(cancellationToken);
        }
        turnContext.Activity.Id = "test-" + Guid.NewGuid().ToString("N");
        return next(cancellationToken);
    }
}

/// <summary>Keeps every log entry so tests can assert what was logged.</summary>
public sealed class ListLogger : ILoggerProvider
{
    private readonly List<(LogLevel Level, string Category, string Message, Exception? Exception)> _entries = [];

    public IReadOnlyList<(LogLevel Level, string Category, string Message, Exception? Exception)> Entries
    {
        get { lock (_entries) { return _entries.ToList(); } }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>Forgets every entry (a shared bot's next test starts with an empty log).</summary>
    public void Clear()
    {
        lock (_entries)
        {
            _entries.Clear();
        }
    }

    public void Dispose()
    {
    }

    private sealed class Logger(ListLogger owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._entries)
            {
                owner._entries.Add((logLevel, category, formatter(state, exception), exception));
            }
        }
    }
}
