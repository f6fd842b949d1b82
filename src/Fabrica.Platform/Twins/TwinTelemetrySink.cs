using Fabrica.Platform.Ingest;

namespace Fabrica.Platform.Twins;

/// <summary>
/// Ingest's sink with the production loop behind it: writes to <paramref name="storage"/> and, once the samples are
/// durable, hands them to <see cref="ProductionLoop.Observe"/> (in-memory twins, a non-blocking queue for rules).
/// A failed write observes nothing: what the device is told was not stored is not acted upon either.
/// </summary>
public sealed class TwinTelemetrySink(ITelemetrySink storage, ProductionLoop loop) : ITelemetrySink
{
    public ValueTask WriteAsync(ReadOnlyMemory<SeriesSample> samples, CancellationToken cancellationToken = default) =>
        WriteAsync(samples, IngestTransport.Mqtt, cancellationToken);

    /// <summary>
    /// Edge backfill updates the twins (when newer) but is not evaluated by real-time rules: they would fire hours late.
    /// Its computed tags are computed from the batch itself and stored (<see cref="ProductionLoop.ComputeBackfillAsync"/>).
    /// </summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<SeriesSample> samples, IngestTransport transport, CancellationToken cancellationToken = default)
    {
        await storage.WriteAsync(samples, cancellationToken).ConfigureAwait(false);
        var backfill = transport == IngestTransport.MqttBackfill;
        loop.Observe(samples.Span, evaluateRules: !backfill);
        if (backfill)
            await loop.ComputeBackfillAsync(samples, cancellationToken).ConfigureAwait(false);
    }
}
