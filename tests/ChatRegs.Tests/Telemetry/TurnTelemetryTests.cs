using System.Diagnostics;
using ChatRegs.Bot.Diagnostics;
using ChatRegs.Bot.Hosting;
using ChatRegs.Bot.Storage;
using ChatRegs.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ChatRegs.Tests.Telemetry;

/// <summary>
/// The bot's traces and metrics as an exporter receives them: the real bot over HTTP, its own
/// telemetry wiring (Hosting/TelemetrySetup.cs) with the in-memory exporter added where Azure Monitor
/// or OTLP would be. A turn is one trace (ASP.NET Core's request, the "ChatRegs" turn span, the
/// storage calls under it); no name, id or text of a person is in any span or metric.
/// </summary>
public sealed class TurnTelemetryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_turn_is_one_trace_with_its_storage_calls_under_it_and_no_personal_data_in_it()
    {
        var spans = new LockedList<Activity>();
        var metrics = new LockedList<Metric>();
        var tenant = "tenant-telemetry-" + Guid.NewGuid().ToString("N")[..8];
        await using var host = await HttpFeatureHost.StartAsync(tenant, Now, configure: services => services.AddOpenTelemetry()
            .WithTracing(t => t.AddInMemoryExporter(spans))
            .WithMetrics(m => m.AddInMemoryExporter(metrics)));
        const string user = "29:telemetry-person";
        const string name = "遥测测试员甲";
        const string typed = "秘密标题ZQX 会议室预约";
        await host.PersonAsync(user, name);

        var started = await host.SayAsync(user, "建议");
        Assert.NotEmpty(started);
        var form = await host.SayAsync(user, typed);
        Assert.NotEmpty(form);

        host.Get<TracerProvider>().ForceFlush();
        host.Get<MeterProvider>().ForceFlush();
        var all = spans.Snapshot();

        // Other tests run their own bots in this process: ours are the turns whose storage calls name our tables.
        var botState = host.Get<TableNames>().BotState;
        var turns = all.Where(s => s.Source.Name == ChatRegsTelemetry.Name && s.DisplayName == "turn message").ToList();
        var ours = turns.Where(t => Under(t, all).Any(s => UrlOf(s)?.Contains(botState, StringComparison.Ordinal) == true)).ToList();
        Assert.True(ours.Count >= 2, $"expected both turns with their storage calls under them; turn spans: {turns.Count}, ours: {ours.Count}");

        foreach (var turn in ours)
        {
            Assert.Equal("message", turn.GetTagItem("activity.type"));
            Assert.Equal("msteams", turn.GetTagItem("channel"));
            Assert.Equal("personal", turn.GetTagItem("conversation.type"));
            Assert.Equal("ok", turn.GetTagItem("outcome"));
            // One trace per turn: the turn span sits under ASP.NET Core's request span of POST /api/messages.
            var request = all.SingleOrDefault(s => s.SpanId == turn.ParentSpanId);
            Assert.NotNull(request);
            Assert.Equal(ActivityKind.Server, request!.Kind);
            Assert.Equal(turn.TraceId, request.TraceId);
            Assert.Contains("/api/messages", request.GetTagItem("url.path") as string ?? request.DisplayName);
            // The Azure SDK's own span of a Table Storage call, as well as the HTTP request.
            Assert.Contains(Under(turn, all), s => s.Source.Name.StartsWith("Azure.", StringComparison.Ordinal));
        }

        var traces = ours.Select(t => t.TraceId).ToHashSet();
        var forbidden = new[] { user, "aad-" + user, name, "秘密标题ZQX", tenant, FeatureHost.ChatOf(user) };
        foreach (var span in all.Where(s => traces.Contains(s.TraceId)))
        {
            var texts = span.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(span.DisplayName).Append(span.StatusDescription ?? "")
                .Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{t.Key}={t.Value}")));
            foreach (var text in texts)
            {
                foreach (var secret in forbidden)
                {
                    Assert.False(text.Contains(secret, StringComparison.Ordinal) || text.Contains(Uri.EscapeDataString(secret), StringComparison.Ordinal),
                        $"span '{span.DisplayName}' ({span.Source.Name}) carries personal data: {text}");
                }
            }
        }

        // Metrics: turns, and the storage requests of our tables.
        var measured = metrics.Snapshot();
        Assert.Contains(measured, m => m.Name == "chatregs.turns");
        Assert.Contains(PointsOf(measured, "chatregs.storage.requests"), tags => tags.GetValueOrDefault("table") as string == botState);
        foreach (var tags in measured.Where(m => m.MeterName == ChatRegsTelemetry.Name).SelectMany(m => PointsOf([m], m.Name)))
        {
            foreach (var value in tags.Values.Select(v => v?.ToString() ?? ""))
            {
                Assert.DoesNotContain(forbidden, secret => value.Contains(secret, StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public async Task With_no_exporter_configured_nothing_listens_and_the_bot_answers_as_always()
    {
        await using var factory = new BotFactory();
        var replies = await TeamsHttp.PostAsync(factory.CreateClient(), TeamsHttp.Activity("message", "帮助", "a:telemetry-off", "zh-CN", ""));
        Assert.Single(replies);
        Assert.Null(factory.Services.GetService<TracerProvider>());
        Assert.Null(factory.Services.GetService<MeterProvider>());
        Assert.Empty(TelemetrySetup.Exporters(factory.Services.GetRequiredService<IConfiguration>()));
    }

    [Theory]
    [InlineData(TelemetrySetup.OtlpSetting, "http://127.0.0.1:9", "OTLP")]
    [InlineData(TelemetrySetup.AzureMonitorSetting, "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/;LiveEndpoint=http://127.0.0.1:9/", "Azure Monitor")]
    public void An_exporter_setting_builds_the_providers_that_export(string setting, string value, string exporter)
    {
        // Loopback addresses nobody listens on: nothing is sent anywhere.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [setting] = value }).Build();
        Assert.Equal([exporter], TelemetrySetup.Exporters(configuration));
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddChatRegsTelemetry(configuration);
        using var provider = services.BuildServiceProvider();
        Assert.NotNull(provider.GetService<TracerProvider>());
        Assert.NotNull(provider.GetService<MeterProvider>());

        var none = new ServiceCollection().AddLogging();
        none.AddChatRegsTelemetry(new ConfigurationBuilder().Build());
        using var off = none.BuildServiceProvider();
        Assert.Null(off.GetService<TracerProvider>());
    }

    [Theory]
    [InlineData("https://acct.table.core.windows.net/HxBotState(PartitionKey='t%7C29%3Au',RowKey='x')?$select=a", "https://acct.table.core.windows.net/HxBotState(…)")]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1/Tables('HxPeople')", "http://127.0.0.1:10002/devstoreaccount1/Tables(…)")]
    [InlineData("http://127.0.0.1:10002/devstoreaccount1/HxJobs()?$filter=PartitionKey%20eq%20'tenant'", "http://127.0.0.1:10002/devstoreaccount1/HxJobs(…)")]
    [InlineData("https://smba.trafficmanager.net/amer/v3/conversations/a%3A1xyz-_abc/activities/1712345", "https://smba.trafficmanager.net/amer/v3/conversations/{id}/activities/{id}")]
    [InlineData("https://smba.trafficmanager.net/apac/v3/conversations/19:abc@thread.tacv2/members/29:1a2b", "https://smba.trafficmanager.net/apac/v3/conversations/{id}/members/{id}")]
    [InlineData("/api/messages", "/api/messages")]
    [InlineData("/devstoreaccount1/$batch", "/devstoreaccount1/$batch")]
    public void Urls_keep_their_shape_and_lose_keys_ids_and_queries(string url, string expected) =>
        Assert.Equal(expected, TelemetrySetup.RedactUrl(url));

    private static string? UrlOf(Activity span) => (span.GetTagItem("url.full") ?? span.GetTagItem("http.url")) as string;

    /// <summary>Every span below <paramref name="root"/> (children, their children, …).</summary>
    private static List<Activity> Under(Activity root, IReadOnlyCollection<Activity> all)
    {
        var found = new List<Activity>();
        var parents = new HashSet<ActivitySpanId> { root.SpanId };
        bool added;
        do
        {
            added = false;
            foreach (var span in all.Where(s => s.TraceId == root.TraceId && parents.Contains(s.ParentSpanId) && !parents.Contains(s.SpanId)))
            {
                parents.Add(span.SpanId);
                found.Add(span);
                added = true;
            }
        }
        while (added);
        return found;
    }

    private static List<Dictionary<string, object?>> PointsOf(IEnumerable<Metric> metrics, string name)
    {
        var points = new List<Dictionary<string, object?>>();
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var tags = new Dictionary<string, object?>();
                foreach (var tag in point.Tags)
                {
                    tags[tag.Key] = tag.Value;
                }
                points.Add(tags);
            }
        }
        return points;
    }

    /// <summary>The exporters' list: every bot in this test process reports to our listeners, from many threads.</summary>
    private sealed class LockedList<T> : ICollection<T>
    {
        private readonly List<T> _items = [];

        public int Count { get { lock (_items) { return _items.Count; } } }

        public bool IsReadOnly => false;

        public T[] Snapshot() { lock (_items) { return [.. _items]; } }

        public void Add(T item) { lock (_items) { _items.Add(item); } }

        public void Clear() { lock (_items) { _items.Clear(); } }

        public bool Contains(T item) { lock (_items) { return _items.Contains(item); } }

        public void CopyTo(T[] array, int arrayIndex) { lock (_items) { _items.CopyTo(array, arrayIndex); } }

        public bool Remove(T item) { lock (_items) { return _items.Remove(item); } }

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Snapshot()).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
