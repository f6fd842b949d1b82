using Fabrica.Platform.Ingest;

namespace Fabrica.Platform.Twins;

/// <summary>
/// Ingest's sink with the production loop behind it: writes to <paramref name="storage"/> and, once the samples are
/// durable, hands them to <see cref="ProductionLoop.Observe"/> (in-memory twins, a non-blocking queue for rules).
/// A failed write observes nothing: what the device is told was not stored is not acted upon either.
/// </summary>
public sealed class TwinTelemetrySink(ITelemetrySink storage, ProductionLoop loop) : ITelemetrySink
{
    public async ValueTask WriteAsync(ReadOnlyMemory<SeriesSample> samples, CancellationToken cancellationToken = default)
    {
        await storage.WriteAsync(samples, cancellationToken).ConfigureAwait(false);
        loop.Observe(samples.Span);
    }
}
