using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Meetings;
using ChatRegs.Bot.Meetings.Agenda;
using ChatRegs.Bot.Tabs;
using ChatRegs.TestSupport;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ChatRegs.Tabs.Tests.Support;

/// <summary>
/// The whole bot over HTTP (<see cref="HttpFeatureHost"/>) with development tab tokens switched on
/// and a test signing key configured the way a developer configures theirs
/// (<c>ChatRegs:Tabs:DevTokens</c>, <c>ChatRegs:Tabs:DevSigningKey</c>), the tenant allow-list
/// naming the test's tenant (<see cref="Tenant"/>) and <see cref="OtherTenant"/>, and the weekly meeting of
/// <see cref="MeetingChat"/>: Monday 08:30–09:30, host 张伟, recorder 陈静, 王小明 and 李娜
/// taking part; 刘洋 is known to the bot but not on the list. Tokens are minted here with the
/// same key (or another, to see them refused).
/// <para>
/// A test class shares one bot (<see cref="TabsBot"/>, a class fixture); each test gets a tenant
/// of its own from the bot's allow-list (<see cref="TabsBot.Tenants"/>: the list is the bot's
/// settings, fixed when it starts). A test that installs services of its own starts a host of its
/// own on <see cref="OwnTenant"/>.
/// </para>
/// </summary>
public sealed class TabsHost : HttpFeatureHostWrapper
{
    /// <summary>The tenant of a host of its own (and of tokens checked without a bot).</summary>
    public const string OwnTenant = "tenant-tabs";
    public const string OtherTenant = "tenant-other";
    public const string MeetingChat = "19:weekly-tabs@thread.tacv2";
    public const string Key = "weekly@202611300830";
    public const string Host = "29:host";
    public const string Recorder = "29:recorder";
    public const string Employee = "29:employee";
    public const string Rep = "29:rep";
    public const string Outsider = "29:outsider";

    public static readonly byte[] SigningKey = Encoding.UTF8.GetBytes("chatregs-tabs-tests-signing-key-0123456789");
    public static readonly TimeSpan China = TimeSpan.FromHours(8);

    private TabsHost(HttpFeatureHost feature) : base(feature)
    {
    }

    /// <summary>The tenant the meeting and its people are seeded in (tokens name it unless told otherwise).</summary>
    public string Tenant => Feature.Tenant;

    public static DateTimeOffset At(int hour, int minute) => new(2026, 11, 30, hour, minute, 0, China);

    /// <summary>The bot's settings: development tokens with the test key, the tenants it serves.</summary>
    internal static Dictionary<string, string?> Settings(IEnumerable<string> tenants)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ChatRegs:Tabs:DevTokens"] = "true",
            ["ChatRegs:Tabs:DevSigningKey"] = Convert.ToBase64String(SigningKey),
        };
        var i = 0;
        foreach (var tenant in tenants.Append(OtherTenant))
        {
            settings[$"ChatRegs:AllowedTenants:{i++}"] = tenant;
        }
        return settings;
    }

    /// <summary>A fresh tenant on the class's bot, its clock at <paramref name="now"/> (08:10 unless given), seeded.</summary>
    public static async Task<TabsHost> StartAsync(TabsBot bot, DateTimeOffset? now = null) =>
        await SeedAsync(new TabsHost(await bot.StartAsync(now ?? At(8, 10))));

    /// <summary>A bot of its own (for a test that installs services of its own), on <see cref="OwnTenant"/>.</summary>
    public static async Task<TabsHost> StartAsync(DateTimeOffset? now = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configure = null) =>
        await SeedAsync(new TabsHost(await HttpFeatureHost.StartAsync(OwnTenant, now ?? At(8, 10), Settings([OwnTenant]), configure)));

    private static async Task<TabsHost> SeedAsync(TabsHost host)
    {
        await host.Feature.PersonAsync(Host, "张伟");
        await host.Feature.PersonAsync(Recorder, "陈静");
        await host.Feature.PersonAsync(Employee, "王小明");
        await host.Feature.PersonAsync(Rep, "Lina", locale: "en-US");
        await host.Feature.PersonAsync(Outsider, "刘洋");
        await host.Feature.KnowChatAsync(MeetingChat, Host, "张伟", "channel");
        await BotSeed.WeeklySeriesAsync(host.Services, host.Tenant, MeetingChat, Host, Recorder, [Employee, Rep], At(7, 0));
        return host;
    }

    /// <summary>The Entra object id the bot knows for a seeded person (BotSeed gives <c>aad-</c> + the Teams id).</summary>
    public static string Oid(string userId) => "aad-" + userId;

    /// <summary>A token as Entra ID (here: the development key) would issue it for the tab; every part can be spoiled.</summary>
    public static string Token(string userId, string tenant, byte[]? key = null, string audience = TabTokens.DevAudience,
        DateTime? expires = null, string? issuerTenant = null, string? oid = null, DateTime? now = null)
    {
        var issued = now ?? DateTime.UtcNow;
        var handler = new JsonWebTokenHandler();
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = $"https://login.microsoftonline.com/{issuerTenant ?? tenant}/v2.0",
            Audience = audience,
            IssuedAt = (expires ?? issued.AddHours(1)).AddHours(-2),
            NotBefore = (expires ?? issued.AddHours(1)).AddHours(-2),
            Expires = expires ?? issued.AddHours(1),
            Claims = new Dictionary<string, object> { ["tid"] = tenant, ["oid"] = oid ?? Oid(userId), ["name"] = userId, ["ver"] = "2.0" },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? SigningKey), SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>As <see cref="Token"/>, issued by the bot's (fake) clock: an hour's token from now, for this host's tenant unless told otherwise.</summary>
    public string TokenFor(string userId, string? tenant = null, byte[]? key = null, string audience = TabTokens.DevAudience,
        DateTime? expires = null, string? issuerTenant = null, string? oid = null) =>
        Token(userId, tenant ?? Tenant, key, audience, expires, issuerTenant, oid, Clock.GetUtcNow().UtcDateTime);

    /// <summary>A GET of the tab API with this bearer token (none when null); the status and the JSON body.</summary>
    public async Task<(HttpStatusCode Status, JsonObject Body)> GetAsync(string path, string? token, string lang = "zh-CN")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, TabApi.Prefix + path + (path.Contains('?') ? "&" : "?") + "lang=" + lang);
        if (token != null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await SendAsync(request);
    }

    /// <summary>The panel's 签到 button: a POST of the check-in with this token.</summary>
    public async Task<(HttpStatusCode Status, JsonObject Body)> CheckInAsync(string? token, string body, string lang = "zh-CN")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TabApi.Prefix + "/meeting/checkin?lang=" + lang)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (token != null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await SendAsync(request);
    }

    /// <summary>The roll's 更正 form: a POST of a correction with this token.</summary>
    public Task<(HttpStatusCode Status, JsonObject Body)> CorrectAsync(string? token, JsonObject body, string lang = "zh-CN") =>
        CorrectAsync(token, body.ToJsonString(), lang);

    /// <summary>As above, with the body as sent, byte for byte (malformed or oddly escaped JSON).</summary>
    public async Task<(HttpStatusCode Status, JsonObject Body)> CorrectAsync(string? token, string body, string lang = "zh-CN")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TabApi.Prefix + "/meeting/correct?lang=" + lang)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (token != null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await SendAsync(request);
    }

    public static string CheckInBody(string occurrence = Key, string chat = MeetingChat) =>
        new JsonObject { ["chat"] = chat, ["occurrence"] = occurrence }.ToJsonString();

    private async Task<(HttpStatusCode, JsonObject)> SendAsync(HttpRequestMessage request)
    {
        var response = await Feature.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? []);
    }

    /// <summary>Two accepted topics on the agenda, posted (as the host's agenda card does).</summary>
    public async Task AgendaAsync()
    {
        var agenda = Get<AgendaService>();
        // Filed in the other order: the agenda is in its order, not in the order of filing.
        (await agenda.FileTopicAsync(Topic("t2", "客服投诉处理情况", Rep, "Lina", 5, 2), default)).OrThrow();
        (await agenda.FileTopicAsync(Topic("t1", "上周工作回顾", Employee, "王小明", 10, 1), default)).OrThrow();
        await agenda.RecordPostAsync(new AgendaPost { TenantId = Tenant, OccurrenceKey = Key, ConversationId = MeetingChat, ActivityId = "agenda-1", PostedAt = At(8, 0), PostedById = Host, PostedByName = "张伟", Revision = 1 }, default);
    }

    private Topic Topic(string id, string title, string presenter, string presenterName, int minutes, int order) => new()
    {
        TenantId = Tenant,
        OccurrenceKey = Key,
        Id = id,
        Title = title,
        PresenterId = presenter,
        PresenterName = presenterName,
        Material = "材料",
        Minutes = minutes,
        Order = order,
        Status = TopicStatus.Accepted,
        SubmittedById = presenter,
        SubmittedByName = presenterName,
        SubmittedAt = At(7, 0).AddMinutes(order),
    };
}
