using System.Diagnostics;
using System.Text.RegularExpressions;
using Azure.Monitor.OpenTelemetry.AspNetCore;
using ChatRegs.Bot.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ChatRegs.Bot.Hosting;

/// <summary>
/// Where the bot's traces and metrics go (docs/telemetry.md). What is traced and measured is
/// always the same: the <c>"ChatRegs"</c> <see cref="ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>
/// (<see cref="ChatRegsTelemetry"/>), the Azure SDK's activity sources (<c>Azure.*</c>: the Table
/// Storage calls), ASP.NET Core's requests and outgoing HttpClient calls (the connector). Where it
/// goes depends on the configuration:
/// <list type="bullet">
/// <item><c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> set: Azure Monitor (Application Insights);</item>
/// <item><c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set: OTLP (the standard <c>OTEL_*</c> variables apply);</item>
/// <item>neither: nowhere, and nothing listens (no span is started, no measurement kept).</item>
/// </list>
/// Both may be set. Every span goes through <see cref="RedactingProcessor"/> before any exporter:
/// URLs lose their query and every path segment that is not a plain word (Table keys, user and
/// conversation ids).
/// </summary>
public static partial class TelemetrySetup
{
    public const string AzureMonitorSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";
    public const string OtlpSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ServiceName = "ChatRegs";

    /// <summary>The exporters the configuration asks for (empty: telemetry is off).</summary>
    public static IReadOnlyList<string> Exporters(IConfiguration configuration)
    {
        var exporters = new List<string>();
        if (!string.IsNullOrWhiteSpace(configuration[AzureMonitorSetting]))
        {
            exporters.Add("Azure Monitor");
        }
        if (!string.IsNullOrWhiteSpace(configuration[OtlpSetting]))
        {
            exporters.Add("OTLP");
        }
        return exporters;
    }

    public static IServiceCollection AddChatRegsTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var azureMonitor = configuration[AzureMonitorSetting];
        var otlp = configuration[OtlpSetting];
        var useAzureMonitor = !string.IsNullOrWhiteSpace(azureMonitor);

        // The Azure SDK starts its spans only with this switch (harmless while nothing listens).
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);

        // What is traced and measured: registered always, used only once a provider is built
        // (an exporter below, or a test's in-memory exporter).
        services.ConfigureOpenTelemetryTracerProvider(tracing =>
        {
            tracing.AddProcessor(new RedactingProcessor());
            tracing.AddSource(ChatRegsTelemetry.Name, "Azure.*");
            if (!useAzureMonitor)
            {
                // The Azure Monitor distro brings its own ASP.NET Core and HttpClient instrumentation.
                tracing.AddAspNetCoreInstrumentation(o => o.RecordException = false);
                tracing.AddHttpClientInstrumentation(o => o.RecordException = false);
            }
        });
        services.ConfigureOpenTelemetryMeterProvider(metrics =>
        {
            metrics.AddMeter(ChatRegsTelemetry.Name);
            if (!useAzureMonitor)
            {
                metrics.AddAspNetCoreInstrumentation();
                metrics.AddHttpClientInstrumentation();
            }
        });

        if (!useAzureMonitor && string.IsNullOrWhiteSpace(otlp))
        {
            return services; // no exporter: no provider, nothing listens
        }

        var otel = services.AddOpenTelemetry().ConfigureResource(resource => resource.AddService(ServiceName));
        if (useAzureMonitor)
        {
            otel.UseAzureMonitor(o => o.ConnectionString = azureMonitor);
        }
        if (!string.IsNullOrWhiteSpace(otlp))
        {
            // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL and _HEADERS itself.
            otel.WithTracing(tracing => tracing.AddOtlpExporter()).WithMetrics(metrics => metrics.AddOtlpExporter());
        }
        return services;
    }

    /// <summary>The URL-valued tags the instrumentations set (old and new semantic conventions).</summary>
    private static readonly string[] UrlTags = ["url.full", "http.url", "url.path", "http.target", "url.query"];

    /// <summary>
    /// A URL as telemetry may keep it: scheme, host, port, and the path with every segment that
    /// is not a plain word replaced by <c>{id}</c> and Table keys (<c>Table(PartitionKey=…)</c>)
    /// by <c>(…)</c>; never the query (Table filters name keys) nor the fragment.
    /// "https://acct.table.core.windows.net/BotState(PartitionKey='t',RowKey='u')?$select=x" →
    /// "https://acct.table.core.windows.net/BotState(…)"; "/v3/conversations/a:1xyz/activities/7" →
    /// "/v3/conversations/{id}/activities/{id}".
    /// </summary>
    public static string RedactUrl(string value)
    {
        var cut = value.IndexOfAny(['?', '#']);
        var url = cut >= 0 ? value[..cut] : value;
        var prefix = "";
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd >= 0)
        {
            var pathStart = url.IndexOf('/', schemeEnd + 3);
            prefix = pathStart >= 0 ? url[..pathStart] : url;
            url = pathStart >= 0 ? url[pathStart..] : "";
        }
        if (url.Length == 0)
        {
            return prefix;
        }
        var redacted = string.Join('/', url.Split('/').Select(segment =>
        {
            if (segment.Length == 0)
            {
                return segment;
            }
            var paren = segment.IndexOf('(');
            var name = paren >= 0 ? segment[..paren] : segment;
            return (PlainWord().IsMatch(name) ? name : "{id}") + (paren >= 0 ? "(…)" : "");
        }));
        return prefix + redacted;
    }

    /// <summary>A protocol word, an API version, a storage account or a table name; not an id with ':', '@', '-', '%' or digits first.</summary>
    [GeneratedRegex(@"^(\$?[A-Za-z][A-Za-z0-9]{0,62}|v[0-9]+(\.[0-9]+)?)$")]
    private static partial Regex PlainWord();

    /// <summary>Rewrites the URL tags of every span before any exporter sees it (<see cref="RedactUrl"/>).</summary>
    public sealed class RedactingProcessor : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            foreach (var tag in UrlTags)
            {
                if (data.GetTagItem(tag) is string value)
                {
                    data.SetTag(tag, tag == "url.query" ? null : RedactUrl(value));
                }
            }
        }
    }
}
