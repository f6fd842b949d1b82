using System.Diagnostics.Metrics;

namespace Fabrica.Platform.Ingest;

/// <summary>
/// Counters of the ingest stage, on the meter <c>Fabrica.Ingest</c> (exported for Prometheus by the host) and
/// as plain numbers for <c>/metrics</c> pages and tests:
/// <list type="bullet">
///   <item><c>fabrica.ingest.messages</c> — every message received, tag <c>transport</c> = mqtt | http;</item>
///   <item><c>fabrica.ingest.samples</c> — samples accepted and durably stored;</item>
///   <item><c>fabrica.ingest.rejected</c> — messages dropped, tag <c>reason</c> = <see cref="RejectReasons.WireName"/>.</item>
/// </list>
/// </summary>
public sealed class IngestMetrics : IDisposable
{
    public const string MeterName = "Fabrica.Ingest";

    private static readonly KeyValuePair<string, object?>[] TransportTags =
        [new("transport", "mqtt"), new("transport", "http"), new("transport", "mqtt_backfill"), new("transport", "sparkplug")];

    private static readonly KeyValuePair<string, object?>[] ReasonTags =
        [.. RejectReasons.All.Select(r => new KeyValuePair<string, object?>("reason", r.WireName()))];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _samples;
    private readonly Counter<long> _rejected;
    private readonly long[] _rejectedByReason = new long[ReasonTags.Length];
    private long _messageCount;
    private long _sampleCount;

    /// <param name="meterFactory">The host's factory; without one the meter is created here and disposed with this.</param>
    public IngestMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _messages = _meter.CreateCounter<long>("fabrica.ingest.messages", "{message}", "Telemetry messages received, accepted or not.");
        _samples = _meter.CreateCounter<long>("fabrica.ingest.samples", "{sample}", "Samples accepted and durably stored.");
        _rejected = _meter.CreateCounter<long>("fabrica.ingest.rejected", "{message}", "Telemetry messages dropped, by reason.");
    }

    public long Messages => Interlocked.Read(ref _messageCount);

    public long Samples => Interlocked.Read(ref _sampleCount);

    public long Rejected => RejectReasons.All.Sum(RejectedFor);

    internal Meter Meter => _meter;

    public long RejectedFor(RejectReason reason) => Interlocked.Read(ref _rejectedByReason[(int)reason]);

    /// <summary>A snapshot of rejections per reason, every reason present (zero included).</summary>
    public IReadOnlyDictionary<RejectReason, long> RejectedByReason() =>
        RejectReasons.All.ToDictionary(r => r, RejectedFor);

    internal void MessageReceived(IngestTransport transport)
    {
        Interlocked.Increment(ref _messageCount);
        _messages.Add(1, TransportTags[(int)transport]);
    }

    internal void SamplesStored(int count)
    {
        Interlocked.Add(ref _sampleCount, count);
        _samples.Add(count);
    }

    internal void MessageRejected(RejectReason reason)
    {
        Interlocked.Increment(ref _rejectedByReason[(int)reason]);
        _rejected.Add(1, ReasonTags[(int)reason]);
    }

    public void Dispose()
    {
        if (_ownsMeter)
            _meter.Dispose();
    }
}
