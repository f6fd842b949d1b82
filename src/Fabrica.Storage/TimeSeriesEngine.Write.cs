using System.Diagnostics.CodeAnalysis;
using Fabrica.Storage.Head;

namespace Fabrica.Storage;

public sealed partial class TimeSeriesEngine
{
    /// <summary>Appends samples; the task completes once the fsync covering them has returned (durable).</summary>
    /// <remarks>
    /// The WAL append comes first, then the head insert, so a query never sees a sample that a crash could lose.
    /// Concurrent writes of the same series and timestamp resolve in an unspecified order. A cancelled write may or
    /// may not be stored.
    /// </remarks>
    public async ValueTask WriteAsync(ReadOnlyMemory<SeriesSample> samples, CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        if (samples.IsEmpty)
            return;
        Validate(samples.Span);
        var generation = EnterLiveGeneration();
        try
        {
            await _wal.AppendAsync(samples, cancellationToken).ConfigureAwait(false);
            Insert(generation, samples.Span);
        }
        finally
        {
            generation.Exit();
        }
        _metrics.SamplesWritten.Add(samples.Length);
        if (generation.Samples >= _options.HeadMaxSamples && Interlocked.Exchange(ref _flushRequested, 1) == 0)
            RequestFlush();
    }

    private static void Validate(ReadOnlySpan<SeriesSample> samples)
    {
        foreach (ref readonly var item in samples)
        {
            // default(SampleValue) has no kind; it would poison a chunk, so it never reaches the WAL.
            if (item.Sample.Value.Kind is < ValueKind.Double or > ValueKind.String)
                ThrowInvalidSample(item);
            if (item.Series.Device is null || item.Series.Tag is null)
                ThrowInvalidSample(item);
        }
    }

    [DoesNotReturn]
    private static void ThrowInvalidSample(SeriesSample item) =>
        throw new ArgumentException($"Sample {item.Sample.Timestamp} of series {item.Series} has no value kind or no series name.", nameof(item));

    /// <summary>Enters the live generation as a writer, retrying if a flush froze it in between.</summary>
    private HeadGeneration EnterLiveGeneration()
    {
        while (true)
        {
            var generation = _state.Live;
            if (generation.TryEnter())
                return generation;
        }
    }

    /// <summary>
    /// The hot path: consecutive samples of one series (the usual shape of a batch) share one dictionary lookup
    /// and one lock acquisition; nothing is allocated per sample except when a chunk is sealed.
    /// </summary>
    private void Insert(HeadGeneration generation, ReadOnlySpan<SeriesSample> samples)
    {
        MemSeries? series = null;
        SeriesHead? head = null;
        var chunkSamples = _options.ChunkSamples;
        try
        {
            foreach (ref readonly var item in samples)
            {
                if (series is null || !item.Series.Equals(series.Key))
                {
                    series?.Gate.Exit();
                    series = null;
                    var next = GetSeries(item.Series);
                    next.Gate.Enter();
                    series = next;
                    head = series.HeadFor(generation);
                }
                head!.Append(item.Sample, chunkSamples);
                series.Observe(item.Sample);
            }
        }
        finally
        {
            series?.Gate.Exit();
        }
        generation.AddSamples(samples.Length);
    }
}
