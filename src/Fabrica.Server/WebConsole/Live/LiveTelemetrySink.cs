using Fabrica.Platform.Ingest;

namespace Fabrica.Server.WebConsole.Live;

/// <summary>
/// Ingest's sink with the live feed behind it: once <paramref name="inner"/> has stored the samples (and twins and rules
/// have seen them), they are offered to live followers without waiting. A failed write publishes nothing.
/// </summary>
internal sealed class LiveTelemetrySink(ITelemetrySink inner, LiveSampleFeed feed) : ITelemetrySink
{
    public ValueTask WriteAsync(ReadOnlyMemory<SeriesSample> samples, CancellationToken cancellationToken = default) =>
        WriteAsync(samples, IngestTransport.Mqtt, cancellationToken);

    public async ValueTask WriteAsync(ReadOnlyMemory<SeriesSample> samples, IngestTransport transport, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(samples, transport, cancellationToken).ConfigureAwait(false);
        feed.Publish(samples.Span);
    }
}
