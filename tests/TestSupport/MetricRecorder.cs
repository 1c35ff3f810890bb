using System.Diagnostics.Metrics;
using ChatRegs.Bot.Diagnostics;

namespace ChatRegs.TestSupport;

/// <summary>
/// Every measurement of the bot's "ChatRegs" meter (docs/telemetry.md) while it lives, read with a
/// MeterListener as an exporter would. Listeners see every bot in the test process: look for
/// your own job kind, or compare counts before and after.
/// </summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Name, double Value, Dictionary<string, object?> Tags)> _items = [];

    public MetricRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == ChatRegsTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i.Name, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i.Name, v, tags));
        _listener.Start();
    }

    private void Add(string name, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }
        lock (_items)
        {
            _items.Add((name, value, copy));
        }
    }

    private List<(string Name, double Value, Dictionary<string, object?> Tags)> Snapshot()
    {
        lock (_items)
        {
            return [.. _items];
        }
    }

    public double Sum(string name, string? tag = null, string? value = null) =>
        Snapshot().Where(m => m.Name == name && (tag == null || m.Tags.GetValueOrDefault(tag) as string == value)).Sum(m => m.Value);

    public List<double> Values(string name, string tag, string value) =>
        Snapshot().Where(m => m.Name == name && m.Tags.GetValueOrDefault(tag) as string == value).Select(m => m.Value).ToList();

    public List<Dictionary<string, object?>> Tags(string name) => Snapshot().Where(m => m.Name == name).Select(m => m.Tags).ToList();

    public List<string> AllTagValues() => Snapshot().SelectMany(m => m.Tags.Values).Select(v => v?.ToString() ?? "").ToList();

    public void Dispose() => _listener.Dispose();
}
