using Fabrica.Storage;

namespace Fabrica.Platform.Ingest;

/// <summary>
/// Where accepted samples go. <see cref="WriteAsync(ReadOnlyMemory{SeriesSample}, CancellationToken)"/> completes only when the samples are durable (an MQTT
/// PUBACK or HTTP 2xx follows it), and the sink is done with the samples by then: the caller
/// reuses the memory.
/// </summary>
public interface ITelemetrySink
{
    ValueTask WriteAsync(ReadOnlyMemory<SeriesSample> samples, CancellationToken cancellationToken = default);

    /// <summary>
    /// As <see cref="WriteAsync(ReadOnlyMemory{SeriesSample}, CancellationToken)"/>, knowing how the samples arrived:
    /// a sink with real-time consumers behind it skips them for <see cref="IngestTransport.MqttBackfill"/>.
    /// </summary>
    ValueTask WriteAsync(ReadOnlyMemory<SeriesSample> samples, IngestTransport transport, CancellationToken cancellationToken = default) =>
        WriteAsync(samples, cancellationToken);
}

/// <summary>The production sink: the embedded engine, whose write completes after the covering fsync.</summary>
public sealed class StorageTelemetrySink(TimeSeriesEngine engine) : ITelemetrySink
{
    private readonly TimeSeriesEngine _engine = engine ?? throw new ArgumentNullException(nameof(engine));

    public ValueTask WriteAsync(ReadOnlyMemory<SeriesSample> samples, CancellationToken cancellationToken = default) =>
        _engine.WriteAsync(samples, cancellationToken);
}
