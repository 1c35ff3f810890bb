using System.Net.Http.Headers;
using System.Text;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.DevChannel;
using ChatRegs.Bot.Hosting;
using ChatRegs.TestSupport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Newtonsoft.Json.Linq;

namespace ChatRegs.DevChannel.Tests;

/// <summary>
/// The whole bot (its Program, endpoints and DI) on Azurite, in the Development environment,
/// so the local chat channel is mapped. In memory (TestServer) by default: the bot's connector
/// calls to its serviceUrl (http://localhost/devchannel/) are routed into the same test server,
/// through the bot's own key handler (<see cref="DevChannelBotProof"/>). With <c>kestrelPort</c>,
/// a real Kestrel server on loopback (the bot's real HttpClient pipeline), for the browser test.
/// Clients from <see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/> present the
/// start-up key, as the page does once opened; <see cref="StrangerClient"/> does not.
/// Every log entry is kept in <see cref="Logs"/>.
/// </summary>
public sealed class DevChannelFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly string _environment;
    private readonly Action<IServiceCollection>? _services;
    private readonly bool _kestrel;

    public DevChannelFactory(Dictionary<string, string?>? settings = null, string environment = "Development", Action<IServiceCollection>? services = null, int? kestrelPort = null)
    {
        TablePrefix = "D" + Guid.NewGuid().ToString("N")[..12];
        _settings = new Dictionary<string, string?>
        {
            ["ChatRegs:Storage:ConnectionString"] = Azurite.ConnectionString,
            ["ChatRegs:Storage:TablePrefix"] = TablePrefix,
        };
        foreach (var (k, v) in settings ?? [])
        {
            _settings[k] = v;
        }
        _environment = environment;
        _services = services;
        if (kestrelPort is { } port)
        {
            _kestrel = true;
            BaseUrl = $"http://127.0.0.1:{port}";
            UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, port));
        }
    }

    public string TablePrefix { get; }

    public ListLogger Logs { get; } = new();

    /// <summary>The channel's start-up key.</summary>
    public string Key => Services.GetRequiredService<DevChannelKey>().Value;

    /// <summary>The page's address the bot logged at start-up ("Local chat page: …"), with the key.</summary>
    public string LoggedPageAddress()
    {
        const string marker = "Local chat page: ";
        var line = Logs.Entries.Select(e => e.Message).LastOrDefault(m => m.StartsWith(marker, StringComparison.Ordinal))
            ?? throw new InvalidOperationException("The bot did not log the local chat page's address.");
        return line[marker.Length..].Split(' ')[0];
    }

    /// <summary>A client of the in-memory server that presents no key (what any other program or page has).</summary>
    public HttpClient StrangerClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Remove(DevChannelKey.HeaderName);
        return client;
    }

    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        if (Services.GetService<DevChannelKey>() is { } key)
        {
            client.DefaultRequestHeaders.Add(DevChannelKey.HeaderName, key.Value);
        }
    }

    /// <summary>The real server's address (Kestrel mode only).</summary>
    public string? BaseUrl { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (name, value) in _settings)
        {
            // Also as host settings: BotHost.Configure reads some (MicrosoftAppId) before the app is built.
            builder.UseSetting(name, value);
        }
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            if (!_kestrel)
            {
                // The bot's connector client (ConfigurationBotFrameworkAuthentication takes an
                // IHttpClientFactory when one is registered) reaches the test server in memory.
                services.AddSingleton<IHttpClientFactory>(new TestServerClients(this));
            }
            _services?.Invoke(services);
        });
    }

    private sealed class TestServerClients(DevChannelFactory factory) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name)
        {
            // The bot's own proof on its calls to the channel, as its real pipeline adds it.
            var proof = factory.Services.GetService<DevChannelBotProof>();
            if (proof == null)
            {
                return new(factory.Server.CreateHandler(), disposeHandler: false);
            }
            proof.InnerHandler = factory.Server.CreateHandler();
            return new(proof, disposeHandler: false);
        }
    }

    /// <summary>The serviceUrl the channel gives the bot (in memory: the test server's address).</summary>
    public string ServiceUrl => (BaseUrl ?? "http://localhost") + "/devchannel/";

    /// <summary>Installs the app for the sample people now (normally the first page request does it).</summary>
    public Task SeedAsync() => Services.GetRequiredService<DevSeeder>().EnsureSeededAsync(ServiceUrl, CancellationToken.None);

    /// <summary>Sends <paramref name="activity"/> to a person's 1:1 chat through the bot's own proactive path.</summary>
    public async Task<string> SendProactiveAsync(DevPerson person, IActivity activity)
    {
        await SeedAsync();
        var reference = await Services.GetRequiredService<ConversationReferenceStore>()
            .GetPersonalConversationAsync(DevPeople.TenantId, person.Id, CancellationToken.None)
            ?? throw new InvalidOperationException("No 1:1 reference for " + person.Id);
        string? id = null;
        await Services.GetRequiredService<ChatRegsAdapter>().ContinueConversationAsync("", reference, async (turn, ct) =>
        {
            id = (await turn.SendActivityAsync(activity, ct))?.Id;
        }, CancellationToken.None);
        return id ?? throw new InvalidOperationException("The connector returned no id.");
    }
}

/// <summary>A Web Chat-like Direct Line client (polling), for one person in one chat.</summary>
public sealed class DirectLineClient
{
    private readonly HttpClient _http;

    private DirectLineClient(HttpClient http, string token, string conversationId, string userId)
    {
        _http = http;
        Token = token;
        ConversationId = conversationId;
        UserId = userId;
    }

    public string Token { get; }

    public string ConversationId { get; }

    public string UserId { get; }

    public string Watermark { get; private set; } = "";

    /// <summary>As the page does: a token from /devchannel/session, then POST /v3/directline/conversations.</summary>
    public static async Task<DirectLineClient> StartAsync(HttpClient http, string person, string chat = "personal")
    {
        var session = await PostJsonAsync(http, "/devchannel/session", new JObject { ["person"] = person, ["chat"] = chat });
        var token = (string)session["token"]!;
        var userId = (string)session["user"]!["id"]!;
        var request = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/conversations")
        {
            Content = Json(new JObject { ["user"] = new JObject { ["id"] = userId }, ["locale"] = "zh-CN" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"start conversation: HTTP {(int)response.StatusCode} {body}");
        var conversation = JObject.Parse(body);
        Assert.False(string.IsNullOrEmpty((string?)conversation["token"]), "start conversation must return a token");
        return new DirectLineClient(http, (string)conversation["token"]!, (string)conversation["conversationId"]!, userId);
    }

    /// <summary>POST …/activities; returns the response body ({id} and, for an invoke, invokeResponse).</summary>
    public async Task<JObject> PostAsync(JObject activity)
    {
        activity["from"] ??= new JObject { ["id"] = UserId, ["role"] = "user" };
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v3/directline/conversations/{Uri.EscapeDataString(ConversationId)}/activities") { Content = Json(activity) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"post activity: HTTP {(int)response.StatusCode} {body}");
        return JObject.Parse(body);
    }

    public Task<JObject> SayAsync(string text, string clientActivityId = "", string locale = "zh-CN") => PostAsync(new JObject
    {
        ["type"] = "message",
        ["text"] = text,
        ["locale"] = locale,
        ["textFormat"] = "plain",
        ["channelData"] = new JObject { ["clientActivityID"] = clientActivityId.Length > 0 ? clientActivityId : Guid.NewGuid().ToString("N") },
    });

    /// <summary>GET …/activities?watermark= from the last watermark; advances it.</summary>
    public async Task<List<JObject>> PollAsync()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v3/directline/conversations/{Uri.EscapeDataString(ConversationId)}/activities?watermark={Watermark}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"get activities: HTTP {(int)response.StatusCode} {body}");
        var group = JObject.Parse(body);
        Watermark = (string)group["watermark"]!;
        return group["activities"]!.Cast<JObject>().ToList();
    }

    public static StringContent Json(JToken body) => new(body.ToString(), Encoding.UTF8, "application/json");

    public static async Task<JObject> PostJsonAsync(HttpClient http, string path, JObject body)
    {
        var response = await http.PostAsync(path, Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: HTTP {(int)response.StatusCode} {text}");
        return JObject.Parse(text);
    }
}

/// <summary>Keeps a copy of every activity the bot received, as it arrived (registered as the last middleware).</summary>
public sealed class ReceivedActivities : Microsoft.Bot.Builder.IMiddleware
{
    private readonly List<Activity> _activities = [];

    public IReadOnlyList<Activity> All
    {
        get { lock (_activities) { return _activities.ToList(); } }
    }

    public Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        lock (_activities)
        {
            // A copy: handlers may edit the turn's activity (e.g. remove the bot's @mention).
            _activities.Add(Newtonsoft.Json.JsonConvert.DeserializeObject<Activity>(Newtonsoft.Json.JsonConvert.SerializeObject(turnContext.Activity))!);
        }
        return next(cancellationToken);
    }
}
