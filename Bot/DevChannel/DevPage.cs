using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace ChatRegs.Bot.DevChannel;

/// <summary>
/// The page at <c>/</c> (Bot/DevChannel/wwwroot) and the two browser libraries it loads from
/// the repository's own node_modules (npm ci, run by scripts/run.sh): Web Chat's full bundle
/// and the Adaptive Cards renderer Web Chat is given (see devchannel.js for why). No CDN.
/// </summary>
internal static class DevPage
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>Library files the page may load, by the name it uses: (package folder, file in it).</summary>
    private static readonly Dictionary<string, string> Libraries = new(StringComparer.Ordinal)
    {
        ["webchat.js"] = "botframework-webchat/dist/webchat.js",
        ["adaptivecards.js"] = "adaptivecards/dist/adaptivecards.min.js",
    };

    public static void Map(IEndpointRouteBuilder routes, IWebHostEnvironment environment, ILogger logger)
    {
        var repoRoot = FindRepoRoot(environment.ContentRootPath, AppContext.BaseDirectory);
        if (repoRoot == null)
        {
            logger.LogWarning("Local chat: ChatRegs.sln not found above {ContentRoot}; the page at / is not available.", environment.ContentRootPath);
        }
        var pages = Provider(repoRoot, "Bot", "DevChannel", "wwwroot");
        var nodeModules = Provider(repoRoot, "node_modules");

        routes.MapGet("/", () => Serve(pages, "index.html", "The local chat page (Bot/DevChannel/wwwroot) was not found."));
        routes.MapGet("/favicon.ico", () => Results.NoContent());
        routes.MapGet("/devchannel/page/{file}", (string file) => Serve(pages, file, $"'{file}' is not part of the local chat page."));
        routes.MapGet("/devchannel/lib/{file}", (string file) =>
            Libraries.TryGetValue(file, out var path)
                ? Serve(nodeModules, path, $"node_modules/{path} is missing: run `npm ci` at the repository root (scripts/run.sh does it).")
                : Results.NotFound());
    }

    /// <summary>The folder holding ChatRegs.sln, walking up from each start folder in turn.</summary>
    public static string? FindRepoRoot(params string?[] starts)
    {
        foreach (var start in starts)
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ChatRegs.sln")))
                {
                    return dir.FullName;
                }
            }
        }
        return null;
    }

    private static PhysicalFileProvider? Provider(string? root, params string[] parts)
    {
        if (root == null)
        {
            return null;
        }
        var path = Path.Combine([root, .. parts]);
        return Directory.Exists(path) ? new PhysicalFileProvider(path) : null;
    }

    private static IResult Serve(IFileProvider? provider, string path, string missing)
    {
        var file = provider?.GetFileInfo(path);
        if (file is not { Exists: true, IsDirectory: false } || file.PhysicalPath == null)
        {
            return Results.Text(missing, "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        }
        if (!ContentTypes.TryGetContentType(file.Name, out var contentType))
        {
            contentType = "application/octet-stream";
        }
        if (contentType.StartsWith("text/", StringComparison.Ordinal) || contentType.EndsWith("javascript", StringComparison.Ordinal))
        {
            contentType += "; charset=utf-8";
        }
        var lastModified = file.LastModified;
        var etag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{lastModified.UtcTicks:x}-{file.Length:x}\"");
        return Results.File(file.PhysicalPath, contentType, lastModified: lastModified, entityTag: etag);
    }
}
