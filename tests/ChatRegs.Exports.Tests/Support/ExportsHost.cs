using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using ChatRegs.Bot.Exports;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.Storage;
using ChatRegs.TestSupport;
using Microsoft.Bot.Builder;
using Microsoft.Bot.Schema;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace ChatRegs.Exports.Tests.Support;

/// <summary>
/// <see cref="HttpFeatureHost"/> (the whole bot over HTTP on Azurite, Teams' connector faked by
/// <see cref="TeamsConnector"/>) with only the pending files on the fake clock (the connector's
/// pacing waits on the real one), OneDrive's upload sessions faked by <see cref="Uploads"/>,
/// and a stand-in feature (<see cref="ExportCommand"/>): a message "export-test {name} {size}"
/// offers a file of that many bytes through <see cref="IFileExporter"/>, as the real features do.
/// </summary>
public sealed class ExportsHost(HttpFeatureHost feature, Recorder uploads) : HttpFeatureHostWrapper(feature)
{
    public const string Tenant = "tenant-exports";

    public Recorder Uploads { get; } = uploads;

    public static Localizer Strings => Localizer.Default;

    public PendingExportStore Pending => Get<PendingExportStore>();

    public static async Task<ExportsHost> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var uploads = new Recorder();
        var now = new DateTimeOffset(2026, 11, 30, 9, 0, 0, FeatureHost.Shanghai);
        var clock = new FakeTimeProvider(now);
        var feature = await HttpFeatureHost.StartAsync(Tenant, now, settings, clock: clock, configure: services =>
        {
            // Only the pending files run on the fake clock (the connector's pacing waits on the real one).
            services.AddSingleton(TimeProvider.System);
            services.AddSingleton(sp => new PendingExportStore(
                sp.GetRequiredService<TableServiceClient>().GetTableClient(sp.GetRequiredService<TableNames>().PendingExports), clock));
            services.AddHttpClient(FileConsentHandler.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => uploads);
            services.AddSingleton<IMiddleware, ExportCommand>();
        });
        // The names Teams gives the two people of these tests (the directory does not know them).
        feature.Names["29:wang"] = "王小明";
        feature.Names["29:sam"] = "Sam Lee";
        return new ExportsHost(feature, uploads);
    }

    /// <summary>The person's 1:1 chat with the bot.</summary>
    public static string Chat(string userId) => FeatureHost.ChatOf(userId);

    /// <summary>The bytes the stand-in feature exports: <paramref name="size"/> bytes, UTF-8 text that differs everywhere.</summary>
    public static byte[] Content(int size) => Enumerable.Range(0, size).Select(i => (byte)('a' + (i * 7 + i / 26) % 26)).ToArray();

    /// <summary>Makes the bot know the person's 1:1 chat (as after their first message there).</summary>
    public Task KnowChatAsync(string userId, string locale) => Feature.KnowChatAsync(Chat(userId), userId, userId, "personal", locale);

    /// <summary>The activities posted to one conversation (Bot Framework connector calls), as JSON.</summary>
    public IReadOnlyList<JsonObject> PostedTo(string conversationId) => Connector.PostedTo(conversationId).Select(c => c.Body!).ToList();

    /// <summary>Teams' fileConsent/invoke (the person pressed Allow/Decline on the consent card in their 1:1 chat); returns the HTTP status.</summary>
    public async Task<HttpStatusCode> ConsentAsync(string userId, string action, JsonNode? context, string locale, string? conversationOf = null, JsonObject? uploadInfo = null)
    {
        var activity = Feature.Activity(userId, locale, "invoke", Chat(conversationOf ?? userId));
        activity["name"] = "fileConsent/invoke";
        var value = new JsonObject { ["type"] = "fileUpload", ["action"] = action, ["context"] = context?.DeepClone() };
        if (action == "accept")
        {
            value["uploadInfo"] = uploadInfo ?? UploadInfo("upload-1", "周报.csv");
        }
        activity["value"] = value;
        var response = await Feature.SendAsync(activity);
        return response.StatusCode;
    }

    /// <summary>What Teams puts in an accepted invoke: OneDrive's upload session and where the file will be.</summary>
    public static JsonObject UploadInfo(string id, string name) => new()
    {
        ["contentUrl"] = $"https://contoso-my.sharepoint.test/personal/files/{id}",
        ["name"] = name,
        ["uploadUrl"] = $"https://contoso-my.sharepoint.com/personal/wang_contoso_com/_api/v2.0/drive/items/{id}/uploadSession",
        ["uniqueId"] = "unique-" + id,
        ["fileType"] = Path.GetExtension(name).TrimStart('.'),
    };
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

/// <summary>OneDrive's upload session endpoint: records every request (method, URL, headers, body) and answers with <see cref="Status"/>.</summary>
public sealed class Recorder : HttpMessageHandler
{
    private readonly List<Request> _requests = [];
    private int _ids;

    public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

    public IReadOnlyList<Request> Requests
    {
        get { lock (_requests) { return _requests.ToList(); } }
    }

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
