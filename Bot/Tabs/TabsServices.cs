using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace ChatRegs.Bot.Tabs;

/// <summary>
/// The Teams tabs (docs/teams-meeting.md): the meeting side panel / meeting tab
/// (<c>/tabs/meeting.html</c>), its configuration page (<c>/tabs/config.html</c>), the personal
/// tab (<c>/tabs/personal.html</c>), the Teams JavaScript client library they load
/// (<c>/tabs/lib/MicrosoftTeams.min.js</c>, copied from the repository's node_modules into the
/// build output: no CDN), and their JSON API (<see cref="TabApi"/>). Served by the bot itself in
/// every environment; the pages show nothing without a valid SSO token.
/// </summary>
public static class TabsServices
{
    public const string PagePrefix = "/tabs";

    /// <summary>The folder of the build output the pages are served from (Bot/Tabs/wwwroot, copied at build).</summary>
    public static string PagesFolder => Path.Combine(AppContext.BaseDirectory, "Tabs", "wwwroot");

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>
    /// Where Teams may frame the pages (its web, desktop and Microsoft 365 hosts), and the bot's own
    /// origin (the local chat page's frame).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; " +
        "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.cloud.microsoft https://*.office.com https://*.microsoft365.com https://*.skype.com https://*.teams.microsoft.us";

    public static IServiceCollection AddTabs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TabOptions>().Bind(configuration.GetSection(TabOptions.Section));
        services.AddSingleton<TabTokens>();
        services.AddSingleton<TabPeople>();
        services.AddSingleton<TabMeetingPanel>();
        services.AddSingleton<TabPersonal>();
        return services;
    }

    public static void MapTabs(this IEndpointRouteBuilder routes)
    {
        TabApi.Map(routes);
        routes.MapGet(PagePrefix + "/{file}", (string file, HttpContext http) => Serve(http, file));
        routes.MapGet(PagePrefix + "/lib/{file}", (string file, HttpContext http) => Serve(http, "lib/" + file));
    }

    private static IResult Serve(HttpContext http, string path)
    {
        var folder = PagesFolder;
        var provider = Directory.Exists(folder) ? new PhysicalFileProvider(folder) : null;
        var file = provider?.GetFileInfo(path);
        if (file is not { Exists: true, IsDirectory: false } || file.PhysicalPath == null)
        {
            return Results.Text(path.StartsWith("lib/", StringComparison.Ordinal)
                ? $"{path} is missing from the build: run `npm ci` at the repository root, then build the bot again."
                : "Not found.", "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        }
        if (!ContentTypes.TryGetContentType(file.Name, out var contentType))
        {
            contentType = "application/octet-stream";
        }
        if (contentType.StartsWith("text/", StringComparison.Ordinal) || contentType.EndsWith("javascript", StringComparison.Ordinal))
        {
            contentType += "; charset=utf-8";
        }
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        var etag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{file.LastModified.UtcTicks:x}-{file.Length:x}\"");
        return Results.File(file.PhysicalPath, contentType, lastModified: file.LastModified, entityTag: etag);
    }
}
