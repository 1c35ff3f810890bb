using Azure.Data.Tables;
using ChatRegs.Bot.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using IMiddleware = Microsoft.Bot.Builder.IMiddleware;

namespace ChatRegs.Bot.Exports;

public static class ExportServices
{
    /// <summary>The shared file export (<see cref="IFileExporter"/>) and Teams' file consent invoke.</summary>
    public static IServiceCollection AddExports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(sp => new PendingExportStore(
            sp.Table(n => n.PendingExports),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IFileExporter, FileExporter>();
        services.AddOptions<ExportOptions>().Bind(configuration.GetSection(ExportOptions.Section));
        services.TryAddSingleton(ExportUploadNetwork.Strict);
        services.AddSingleton<FileConsentHandler>();
        // The upload runs inside the invoke, which Teams waits 15 s for.
        services.AddHttpClient(FileConsentHandler.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(12));
        return services;
    }
}
