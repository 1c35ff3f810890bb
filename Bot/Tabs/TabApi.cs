using System.Text.Json;
using System.Text.Json.Nodes;
using ChatRegs.Bot.Authorization;
using ChatRegs.Bot.Core;
using ChatRegs.Bot.Localization;
using ChatRegs.Bot.People;

namespace ChatRegs.Bot.Tabs;

/// <summary>
/// The tab pages' JSON API, under <c>/tabs/api</c>. Every call but <c>strings</c> needs a valid
/// SSO token (<see cref="TabTokens"/>: missing, expired, wrong audience, issuer or signature, or a
/// tenant the bot does not serve → 401) naming someone the bot knows in that tenant
/// (<see cref="TabPeople"/>, else 403); what they see is decided by the same permission rules
/// as in chat (<see cref="PermissionTable"/>). Answers are in the language the page asks for
/// (<c>?lang=</c>, from the Teams context), errors as <c>{"error":code,"message":text}</c>;
/// a storage failure is 503 with the chat's "not saved" text, never a 500.
/// </summary>
public static class TabApi
{
    public const string Prefix = "/tabs/api";

    /// <summary>Longest conversation / occurrence id accepted (Teams' ids are far shorter).</summary>
    public const int MaxIdLength = 512;

    public static void Map(IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup(Prefix);
        api.MapGet("/strings", (HttpRequest request, Localizer localizer) =>
        {
            var language = Language(request);
            return Results.Json(new JsonObject { ["language"] = language, ["strings"] = localizer.Table(language)["tabs"]?.DeepClone() });
        });
        api.MapGet("/meeting", (HttpContext http, TabMeetingPanel panel) => WithPersonAsync(http, (person, language, ct) =>
        {
            var chat = http.Request.Query["chat"].ToString();
            return panel.GetAsync(person, chat, language, ct);
        }));
        api.MapPost("/meeting/checkin", (HttpContext http, TabMeetingPanel panel) => WithPersonAsync(http, async (person, language, ct) =>
        {
            var body = await ReadBodyAsync(http.Request, ct).ConfigureAwait(false);
            var chat = body?["chat"] is JsonValue cv && cv.TryGetValue<string>(out var c) ? c : null;
            var occurrence = body?["occurrence"] is JsonValue o && o.TryGetValue<string>(out var key) ? key : null;
            if (body == null || string.IsNullOrEmpty(occurrence) || occurrence.Length > MaxIdLength || (chat?.Length ?? 0) > MaxIdLength)
            {
                return Error(StatusCodes.Status400BadRequest, "badRequest", TabText.Get(language, "errors.badRequest"));
            }
            return await panel.CheckInAsync(person, chat ?? "", occurrence, language, ct).ConfigureAwait(false);
        }));
        api.MapPost("/meeting/correct", (HttpContext http, TabMeetingPanel panel) => WithPersonAsync(http, async (person, language, ct) =>
        {
            var body = await ReadBodyAsync(http.Request, ct).ConfigureAwait(false);
            string? Text(string name) => body?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            var occurrence = Text("occurrence");
            var chat = Text("chat") ?? "";
            if (body == null || string.IsNullOrEmpty(occurrence) || occurrence.Length > MaxIdLength || chat.Length > MaxIdLength || (Text("person")?.Length ?? 0) > MaxIdLength)
            {
                return Error(StatusCodes.Status400BadRequest, "badRequest", TabText.Get(language, "errors.badRequest"));
            }
            return await panel.CorrectAsync(person, chat, occurrence, Text("person"), Text("status"), Text("reason"), language, ct).ConfigureAwait(false);
        }));
        api.MapGet("/me", (HttpContext http, TabPersonal personal) => WithPersonAsync(http, (person, language, ct) => personal.GetAsync(person, language, ct)));
    }

    /// <summary>The language the page asks for (its Teams context locale), zh-CN unless it starts with "en".</summary>
    public static string Language(HttpRequest request) => Localizer.Resolve(request.Query["lang"].ToString() is { Length: > 0 and < 36 } l ? l : null);

    private static async Task<IResult> WithPersonAsync(HttpContext http, Func<Person, string, CancellationToken, Task<IResult>> answer)
    {
        var language = Language(http.Request);
        var services = http.RequestServices;
        var ct = http.RequestAborted;
        http.Response.Headers.CacheControl = "no-store";
        var caller = await services.GetRequiredService<TabTokens>().ValidateAsync(TabTokens.Bearer(http.Request), ct).ConfigureAwait(false);
        if (caller == null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Error(StatusCodes.Status401Unauthorized, "unauthorized", TabText.Get(language, "errors.unauthorized"));
        }
        try
        {
            var person = await services.GetRequiredService<TabPeople>().FindAsync(caller, ct).ConfigureAwait(false);
            if (person == null)
            {
                return Error(StatusCodes.Status403Forbidden, "unknownPerson", TabText.Get(language, "errors.unknownPerson"));
            }
            return await answer(person, language, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (StorageProblems.Is(e))
        {
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TabApi).FullName!).LogWarning(e, "Tab API: storage failed.");
            return Error(StatusCodes.Status503ServiceUnavailable, "storage", Localizer.Default.Get(language, "common.notSaved"));
        }
    }

    private static async Task<JsonObject?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > 16 * 1024)
        {
            return null;
        }
        try
        {
            using var reader = new StreamReader(request.Body);
            var buffer = new char[16 * 1024 + 1];
            var read = await reader.ReadBlockAsync(buffer, cancellationToken).ConfigureAwait(false);
            if (read > 16 * 1024 || JsonNode.Parse(new string(buffer, 0, read)) is not JsonObject body)
            {
                return null;
            }
            // Valid JSON may still escape a lone surrogate ("\ud800"), which no .NET string can hold:
            // reading it throws InvalidOperationException. Read every name and string now (a bad
            // request), not later in a handler (a 500). A string with nothing visible reads as
            // empty, as in chat (Hosting/InvisibleTextMiddleware).
            ReadEveryString(body);
            return body;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static void ReadEveryString(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o.ToList())
                {
                    if (Blank(value))
                    {
                        o[name] = "";
                    }
                    ReadEveryString(value);
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (Blank(a[i]))
                    {
                        a[i] = "";
                    }
                    ReadEveryString(a[i]);
                }
                break;
        }
    }

    /// <summary>Reads a string (throwing for a lone surrogate); true when it is not empty and has nothing visible.</summary>
    private static bool Blank(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } text && TextCaps.IsBlank(text);

    public static IResult Error(int status, string code, string message) =>
        Results.Json(new JsonObject { ["error"] = code, ["message"] = message }, statusCode: status);
}

/// <summary>The tab's strings (<c>tabs.*</c> in the string tables).</summary>
internal static class TabText
{
    public static string Get(string language, string key, params object?[] args) => Localizer.Default.Get(language, "tabs." + key, args);
}
