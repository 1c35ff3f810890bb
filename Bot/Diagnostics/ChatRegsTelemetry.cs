using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ChatRegs.Bot.Diagnostics;

/// <summary>
/// The bot's own traces and metrics (docs/telemetry.md): one <see cref="ActivitySource"/> and
/// one <see cref="Meter"/>, both named <c>"ChatRegs"</c>. Features and infrastructure record
/// here; the host (Bot/Hosting) decides whether anything listens and where it is exported.
/// With nothing listening (the default: no exporter configured) a span is never started and a
/// measurement costs next to nothing.
/// <para>
/// No personal data: tags carry kinds, statuses, channel and conversation types, never a name,
/// an id of a person or conversation, a reason, customer details or message text.
/// </para>
/// </summary>
public static class ChatRegsTelemetry
{
    public const string Name = "ChatRegs";

    public static readonly ActivitySource Source = new(Name, typeof(ChatRegsTelemetry).Assembly.GetName().Version?.ToString());

    public static readonly Meter Meter = new(Name, typeof(ChatRegsTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Turns the bot ran (tags: <c>activity.type</c>, <c>channel</c>, <c>conversation.type</c>, <c>outcome</c> ok | error).</summary>
    public static readonly Counter<long> Turns = Meter.CreateCounter<long>("chatregs.turns", "{turn}", "Turns the bot ran.");

    /// <summary>How long a turn took, in seconds (same tags as <see cref="Turns"/>).</summary>
    public static readonly Histogram<double> TurnDuration = Meter.CreateHistogram<double>("chatregs.turn.duration", "s", "How long a turn took.");

    /// <summary>Check-ins recorded (tags: <c>status</c> early | on_time | late, <c>source</c>).</summary>
    public static readonly Counter<long> CheckIns = Meter.CreateCounter<long>("chatregs.checkins", "{check-in}", "Check-ins recorded.");

    /// <summary>HTTP requests to Table Storage, every attempt (tags: <c>http.request.method</c>, <c>table</c>, <c>http.response.status_code</c>).</summary>
    public static readonly Counter<long> StorageRequests = Meter.CreateCounter<long>("chatregs.storage.requests", "{request}", "Requests to Table Storage (every attempt).");

    /// <summary>Storage answers that mean "someone else wrote first": 409 and 412 (tags: <c>table</c>, <c>http.response.status_code</c>).</summary>
    public static readonly Counter<long> StorageConflicts = Meter.CreateCounter<long>("chatregs.storage.conflicts", "{request}", "Table Storage answers 409 (exists) or 412 (changed meanwhile).");

    /// <summary>Jobs this instance claimed to run because they were due (tag: <c>job.kind</c>).</summary>
    public static readonly Counter<long> JobsDue = Meter.CreateCounter<long>("chatregs.jobs.due", "{job}", "Due jobs claimed to run.");

    /// <summary>Jobs that started more than <see cref="LateAfter"/> after their due time (tag: <c>job.kind</c>).</summary>
    public static readonly Counter<long> JobsLate = Meter.CreateCounter<long>("chatregs.jobs.late", "{job}", "Jobs started more than a minute after they were due.");

    /// <summary>How long after its due time a job started, in seconds (tag: <c>job.kind</c>).</summary>
    public static readonly Histogram<double> JobStartDelay = Meter.CreateHistogram<double>("chatregs.jobs.start_delay", "s", "How long after its due time a job started.");

    /// <summary>Jobs parked after their last failed attempt (tag: <c>job.kind</c>).</summary>
    public static readonly Counter<long> JobsParked = Meter.CreateCounter<long>("chatregs.jobs.parked", "{job}", "Jobs parked after their last attempt failed.");

    /// <summary>Proactive messages (reminders, approval requests, notices) by outcome (tags: <c>target</c> person | conversation, <c>outcome</c> delivered | undeliverable | failed).</summary>
    public static readonly Counter<long> ProactiveSends = Meter.CreateCounter<long>("chatregs.proactive.sends", "{message}", "Proactive messages, by outcome.");

    /// <summary>Calls to Teams' connector (replies, proactive sends, updates, look-ups), every attempt (tags: <c>http.request.method</c>, <c>http.response.status_code</c>).</summary>
    public static readonly Counter<long> ConnectorRequests = Meter.CreateCounter<long>("chatregs.connector.requests", "{request}", "Requests to Teams' connector (every attempt).");

    /// <summary>Connector answers 429 (Teams throttled the bot).</summary>
    public static readonly Counter<long> Throttled = Meter.CreateCounter<long>("chatregs.connector.throttled", "{request}", "Connector answers 429 Too Many Requests.");

    /// <summary>A job that starts later than this after its due time counts as late.</summary>
    public static readonly TimeSpan LateAfter = TimeSpan.FromMinutes(1);

    /// <summary>Records that a job due at <paramref name="dueUtc"/> starts at <paramref name="nowUtc"/>.</summary>
    public static void JobStarting(string kind, DateTimeOffset dueUtc, DateTimeOffset nowUtc)
    {
        var tag = new KeyValuePair<string, object?>("job.kind", kind);
        JobsDue.Add(1, tag);
        var delay = nowUtc - dueUtc;
        JobStartDelay.Record(Math.Max(0, delay.TotalSeconds), tag);
        if (delay > LateAfter)
        {
            JobsLate.Add(1, tag);
        }
    }
}
