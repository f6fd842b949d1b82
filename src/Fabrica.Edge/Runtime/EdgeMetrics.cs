using System.Diagnostics.Metrics;

namespace Fabrica.Edge.Runtime;

/// <summary>
/// Meter <c>Fabrica.Edge</c>: what the edge read, buffered, sent and lost, and the state of its buffer and link.
/// <list type="table">
/// <item><c>fabrica.edge.samples.read</c> — readings taken from devices (before deadbands)</item>
/// <item><c>fabrica.edge.samples.buffered</c> — samples written to the buffer (after deadbands)</item>
/// <item><c>fabrica.edge.samples.sent</c>, tag <c>path</c> = <c>live</c> | <c>backfill</c> — samples the platform acknowledged</item>
/// <item><c>fabrica.edge.samples.dropped</c>, tag <c>reason</c> = <c>buffer_full</c> | <c>rejected</c> | <c>disk_error</c></item>
/// <item><c>fabrica.edge.buffer.bytes</c>, <c>fabrica.edge.buffer.records</c> — the buffer now</item>
/// <item><c>fabrica.edge.link.state</c> — 1 connected to the platform, 0 not</item>
/// </list>
/// </summary>
public sealed class EdgeMetrics : IDisposable
{
    public const string MeterName = "Fabrica.Edge";

    private readonly Meter _meter;
    private readonly Counter<long> _read;
    private readonly Counter<long> _buffered;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _dropped;

    public EdgeMetrics(Func<long> bufferBytes, Func<long> bufferRecords, Func<bool> linkUp, IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _read = _meter.CreateCounter<long>("fabrica.edge.samples.read", "{sample}", "Readings taken from devices");
        _buffered = _meter.CreateCounter<long>("fabrica.edge.samples.buffered", "{sample}", "Samples written to the store-and-forward buffer");
        _sent = _meter.CreateCounter<long>("fabrica.edge.samples.sent", "{sample}", "Samples acknowledged by the platform");
        _dropped = _meter.CreateCounter<long>("fabrica.edge.samples.dropped", "{sample}", "Samples lost: buffer full, rejected by the platform, or not written to disk");
        _meter.CreateObservableGauge("fabrica.edge.buffer.bytes", bufferBytes, "By", "Size of the buffer on disk");
        _meter.CreateObservableGauge("fabrica.edge.buffer.records", bufferRecords, "{record}", "Records waiting for the platform's acknowledgement");
        _meter.CreateObservableGauge("fabrica.edge.link.state", () => linkUp() ? 1 : 0, null, "1 when connected to the platform");
    }

    public void SamplesRead(int count) => _read.Add(count);

    public void SamplesBuffered(int count) => _buffered.Add(count);

    public void SamplesSent(int count, string path) => _sent.Add(count, new KeyValuePair<string, object?>("path", path));

    public void SamplesDropped(long count, string reason) => _dropped.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public void SamplesRejected(int count) => SamplesDropped(count, "rejected");

    public void Dispose() => _meter.Dispose();
}
