using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace ChatRegs.TestSupport;

/// <summary>The whole bot in-process (its Program, endpoints and DI), on Azurite, over HTTP.</summary>
public sealed class BotFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly IPAddress _remoteAddress;

    /// <param name="remoteAddress">
    /// The address requests come from. The in-memory test server gives none, and the bot's
    /// /api/messages serves only loopback callers while authentication is off, so tests call
    /// from 127.0.0.1 unless they say otherwise (to see a remote caller refused).
    /// </param>
    public BotFactory(Dictionary<string, string?>? settings = null, string? tablePrefix = null, IPAddress? remoteAddress = null)
    {
        TablePrefix = tablePrefix ?? "H" + Guid.NewGuid().ToString("N")[..12];
        _remoteAddress = remoteAddress ?? IPAddress.Loopback;
        _settings = new Dictionary<string, string?>
        {
            ["ChatRegs:Storage:ConnectionString"] = Azurite.ConnectionString,
            ["ChatRegs:Storage:TablePrefix"] = TablePrefix,
        };
        foreach (var (k, v) in settings ?? [])
        {
            _settings[k] = v;
        }
    }

    public string TablePrefix { get; }

    /// <summary>Everything the bot logged (tests assert on errors it must not log).</summary>
    public ListLogger Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_settings));
        // Only the test's log: the web app's default console logger would write every Information
        // line of every request to the test host's output (CPU the tests spend for nobody).
        // (Only the console logger is switched off: a provider the app adds itself, such as telemetry's, stays.)
        builder.ConfigureLogging(logging => logging.AddFilter<ConsoleLoggerProvider>(_ => false).AddProvider(Logs));
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new RemoteAddressFilter(_remoteAddress)));
    }

    /// <summary>Gives every request the remote address a real connection would have.</summary>
    private sealed class RemoteAddressFilter(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
