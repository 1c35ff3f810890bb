using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ChatRegs.Bot.Conversations;
using ChatRegs.Bot.Exports;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Proactive;
using ChatRegs.Bot.Storage;
using ChatRegs.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Activity = Microsoft.Bot.Schema.Activity;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace ChatRegs.Exports.Tests.Support;

/// <summary>
/// The whole bot over HTTP on Azurite (pending files on a fake clock), with Teams' connector replaced by
/// <see cref="Connector"/>, OneDrive's upload sessions by <see cref="Uploads"/>, and a stand-in
/// feature (<see cref="ExportCommand"/>): a message "export-test {name} {size}" offers a file of
/// that many bytes through <see cref="IFileExporter"/>, as the real features do.
/// </summary>
public sealed class ExportsHost : IAsyncDisposable
{
    public const string Tenant = "tenant-exports";
    public const string ServiceUrl = "https://smba.test/teams/";

    private readonly BotFactory _factory;
    private readonly WebApplicationFactory<Program> _app;

    private ExportsHost(BotFactory factory, WebApplicationFactory<Program> app, FakeTimeProvider clock)
    {
        _factory = factory;
        _app = app;
        Clock = clock;
        Client = app.CreateClient();
    }

    public FakeTimeProvider Clock { get; }

    public Recorder Connector { get; } = new();

    public Recorder Uploads { get; } = new();

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static Localizer Strings => Localizer.Default;

    public static async Task<ExportsHost> StartAsync()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.FromHours(8)));
        var factory = new BotFactory(new Dictionary<string, string?> { ["ChatRegs:Jobs:RunnerEnabled"] = "false" });
        ExportsHost? host = null;
        var app = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            // Only the pending files run on the fake clock (the connector's pacing waits on the real one).
            services.AddSingleton(sp => new PendingExportStore(
                sp.GetRequiredService<TableServiceClient>().GetTableClient(sp.GetRequiredService<TableNames>().PendingExports), clock));
            services.AddHttpClient(ProactiveOptions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => host!.Connector);
            services.AddHttpClient(FileConsentMiddleware.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => host!.Uploads);
            services.AddSingleton<IMiddleware, ExportCommand>();
        }));
        host = new ExportsHost(factory, app, clock);
        var tables = host.Services.GetRequiredService<TableServiceClient>();
        foreach (var table in host.Services.GetRequiredService<TableNames>().All)
        {
            await tables.CreateTableIfNotExistsAsync(table);
        }
        return host;
    }

    /// <summary>The person's 1:1 chat with the bot.</summary>
    public static string Chat(string userId) => "a:1to1-" + userId;

    /// <summary>The bytes the stand-in feature exports: <paramref name="size"/> bytes, UTF-8 text that differs everywhere.</summary>
    public static byte[] Content(int size) => Enumerable.Range(0, size).Select(i => (byte)('a' + (i * 7 + i / 26) % 26)).ToArray();

    /// <summary>Makes the bot know the person's 1:1 chat (as after their first message there).</summary>
    public Task KnowChatAsync(string userId, string locale) => Services.GetRequiredService<ConversationReferenceStore>().CaptureAsync(new Activity
    {
        Type = ActivityTypes.Message,
        Id = "m-" + Guid.NewGuid().ToString("N")[..8],
        ChannelId = "msteams",
        ServiceUrl = ServiceUrl,
        From = new ChannelAccount(userId, userId),
        Recipient = new ChannelAccount("28:bot", "ChatRegs", RoleTypes.Bot),
        Conversation = new ConversationAccount(conversationType: "personal", id: Chat(userId), tenantId: Tenant),
        Locale = locale,
    }, default);

    /// <summary>A message, as Teams posts it (expectReplies: the replies come back in the response).</summary>
    public async Task<JsonArray> SayAsync(string userId, string text, string locale, string? conversationId = null, string conversationType = "personal")
    {
        var activity = ActivityJson(userId, locale, "message", conversationId ?? Chat(userId), conversationType);
        activity["text"] = text;
        activity["deliveryMode"] = "expectReplies";
        var response = await Client.PostAsync("/api/messages", new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"HTTP {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["activities"]!.AsArray();
    }

    /// <summary>Teams' fileConsent/invoke (the person pressed Allow/Decline on the consent card in their 1:1 chat); returns the HTTP status.</summary>
    public async Task<HttpStatusCode> ConsentAsync(string userId, string action, JsonNode? context, string locale, string? conversationOf = null, JsonObject? uploadInfo = null)
    {
        var activity = ActivityJson(userId, locale, "invoke", Chat(conversationOf ?? userId), "personal");
        activity["name"] = "fileConsent/invoke";
        var value = new JsonObject { ["type"] = "fileUpload", ["action"] = action, ["context"] = context?.DeepClone() };
        if (action == "accept")
        {
            value["uploadInfo"] = uploadInfo ?? UploadInfo("upload-1", "周报.csv");
        }
        activity["value"] = value;
        var response = await Client.PostAsync("/api/messages", new StringContent(activity.ToJsonString(), Encoding.UTF8, "application/json"));
        return response.StatusCode;
    }

    /// <summary>What Teams puts in an accepted invoke: OneDrive's upload session and where the file will be.</summary>
    public static JsonObject UploadInfo(string id, string name) => new()
    {
        ["contentUrl"] = $"https://contoso-my.sharepoint.test/personal/files/{id}",
        ["name"] = name,
        ["uploadUrl"] = $"https://upload.onedrive.test/session/{id}",
        ["uniqueId"] = "unique-" + id,
        ["fileType"] = Path.GetExtension(name).TrimStart('.'),
    };

    private JsonObject ActivityJson(string userId, string locale, string type, string conversationId, string conversationType) => new()
    {
        ["type"] = type,
        ["id"] = Guid.NewGuid().ToString(),
        ["timestamp"] = Clock.GetUtcNow().ToString("O"),
        ["serviceUrl"] = ServiceUrl,
        ["channelId"] = "msteams",
        ["from"] = new JsonObject { ["id"] = userId, ["name"] = userId == "29:wang" ? "王小明" : "Sam Lee", ["aadObjectId"] = "aad-" + userId },
        ["conversation"] = new JsonObject { ["id"] = conversationId, ["conversationType"] = conversationType, ["tenantId"] = Tenant, ["isGroup"] = conversationType != "personal" },
        ["recipient"] = new JsonObject { ["id"] = "28:bot", ["name"] = "ChatRegs" },
        ["locale"] = locale,
        ["channelData"] = new JsonObject { ["tenant"] = new JsonObject { ["id"] = Tenant } },
    };

    public PendingExportStore Pending => Services.GetRequiredService<PendingExportStore>();

    public async ValueTask DisposeAsync()
    {
        var tables = Services.GetRequiredService<TableServiceClient>();
        foreach (var table in Services.GetRequiredService<TableNames>().All)
        {
            try { await tables.DeleteTableAsync(table); } catch { /* best effort */ }
        }
        Client.Dispose();
        await _app.DisposeAsync();
        await _factory.DisposeAsync();
    }
}

/// <summary>The stand-in feature: "export-test {name} {size}" offers <see cref="ExportsHost.Content"/> (random bytes for "*.bin") of that size.</summary>
public sealed class ExportCommand(IServiceProvider services) : IMiddleware
{
    public async Task OnTurnAsync(ITurnContext turnContext, NextDelegate next, CancellationToken cancellationToken = default)
    {
        var text = turnContext.Activity.Type == ActivityTypes.Message ? turnContext.Activity.Text ?? "" : "";
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts is ["export-test", var name, var size])
        {
            // "*.bin": random bytes, which do not compress.
            var bytes = name.EndsWith(".bin", StringComparison.Ordinal) ? RandomBytes(int.Parse(size)) : ExportsHost.Content(int.Parse(size));
            await services.GetRequiredService<IFileExporter>().OfferAsync(turnContext, name, "text/csv", bytes,
                "description of " + name, cancellationToken);
            return;
        }
        await next(cancellationToken);
    }

    private static byte[] RandomBytes(int size)
    {
        var bytes = new byte[size];
        new Random(11).NextBytes(bytes);
        return bytes;
    }
}

/// <summary>An HTTP endpoint that records every request (method, URL, headers, body) and answers with <see cref="Status"/>.</summary>
public sealed class Recorder : HttpMessageHandler
{
    private readonly List<Request> _requests = [];
    private int _ids;

    public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

    public IReadOnlyList<Request> Requests
    {
        get { lock (_requests) { return _requests.ToList(); } }
    }

    /// <summary>The activities posted to one conversation (Bot Framework connector calls).</summary>
    public IReadOnlyList<JsonObject> To(string conversationId) => Requests
        .Where(r => r.Method == HttpMethod.Post && r.Url.AbsolutePath.Contains("/v3/conversations/" + Uri.EscapeDataString(conversationId) + "/activities", StringComparison.Ordinal)
            || r.Method == HttpMethod.Post && r.Url.AbsolutePath.Contains("/v3/conversations/" + conversationId + "/activities", StringComparison.Ordinal))
        .Select(r => JsonNode.Parse(r.Body)!.AsObject()).ToList();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content == null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        lock (_requests)
        {
            _requests.Add(new Request(request.Method, request.RequestUri!, headers, body));
        }
        var path = request.RequestUri!.AbsolutePath.TrimEnd('/');
        JsonObject answer = path.EndsWith("/v3/conversations", StringComparison.Ordinal)
            ? new JsonObject { ["id"] = "a:1to1-" + (string?)JsonNode.Parse(body)?["members"]?[0]?["id"] }
            : new JsonObject { ["id"] = "msg-" + Interlocked.Increment(ref _ids) };
        return new HttpResponseMessage(Status) { Content = new StringContent(answer.ToJsonString(), Encoding.UTF8, "application/json") };
    }

    public sealed record Request(HttpMethod Method, Uri Url, IReadOnlyDictionary<string, string> Headers, byte[] BodyBytes)
    {
        public string Body => Encoding.UTF8.GetString(BodyBytes);
    }
}
