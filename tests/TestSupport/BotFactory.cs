using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace ChatRegs.TestSupport;

/// <summary>The whole bot in-process (its Program, endpoints and DI), on Azurite, over HTTP.</summary>
public sealed class BotFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;

    public BotFactory(Dictionary<string, string?>? settings = null, string? tablePrefix = null)
    {
        TablePrefix = tablePrefix ?? "H" + Guid.NewGuid().ToString("N")[..12];
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
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }
}
