using ChatRegs.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatRegs.Playground.Tests.Support;

/// <summary>
/// The whole bot (its Program, endpoints and DI) as a real Kestrel server on a free loopback
/// port, in Development with no app id (authentication off, loopback callers only), on Azurite,
/// as <c>scripts/playground.sh</c> runs it. Keeps every log entry (<see cref="Logs"/>) and the
/// status of every request it answered (<see cref="Answered"/>).
/// </summary>
public sealed class PlaygroundBot : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly List<(string Method, string Path, int Status)> _answered = [];

    public PlaygroundBot(Action<IServiceCollection>? services = null)
    {
        Port = Azurite.FreePort();
        _settings = new Dictionary<string, string?>
        {
            ["ChatRegs:Storage:ConnectionString"] = Azurite.ConnectionString,
            ["ChatRegs:Storage:TablePrefix"] = "P" + Guid.NewGuid().ToString("N")[..12],
            // As scripts/playground.sh passes --urls: the bot's own loopback check sees it.
            ["urls"] = $"http://127.0.0.1:{Port}",
        };
        _services = services;
        UseKestrel();
    }

    public int Port { get; }

    /// <summary>Where the playground delivers activities.</summary>
    public string MessagesEndpoint => $"http://127.0.0.1:{Port}/api/messages";

    public ListLogger Logs { get; } = new();

    public IReadOnlyList<(string Method, string Path, int Status)> Answered
    {
        get { lock (_answered) { return _answered.ToList(); } }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (name, value) in _settings)
        {
            builder.UseSetting(name, value);
        }
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_settings));
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IStartupFilter>(new RecordAnswers(_answered));
            _services?.Invoke(services);
        });
    }

    private sealed class RecordAnswers(List<(string, string, int)> answered) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (HttpContext context, RequestDelegate nextMiddleware) =>
            {
                try
                {
                    await nextMiddleware(context);
                }
                finally
                {
                    lock (answered)
                    {
                        answered.Add((context.Request.Method, context.Request.Path.Value ?? "", context.Response.StatusCode));
                    }
                }
            });
            next(app);
        };
    }
}
