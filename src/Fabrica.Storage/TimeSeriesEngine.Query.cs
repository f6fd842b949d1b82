using Fabrica.Storage.Head;
using Fabrica.Storage.Query;

namespace Fabrica.Storage;

public sealed partial class TimeSeriesEngine
{
    private const int QueryAttempts = 3;

    public IReadOnlyList<SeriesInfo> ListSeries(string? device = null, string? tag = null)
    {
        ThrowIfDisposed();
        var result = new List<SeriesInfo>();
        foreach (var series in _series.Values)
        {
            var key = series.Key;
            if ((device is not null && !string.Equals(device, key.Device, StringComparison.Ordinal)) ||
                (tag is not null && !string.Equals(tag, key.Tag, StringComparison.Ordinal)))
                continue;
            lock (series.Gate)
            {
                if (series.FirstTimestamp <= series.LastTimestamp)
                    result.Add(new SeriesInfo(key, series.LastKind, series.FirstTimestamp, series.LastTimestamp));
            }
        }
        result.Sort(static (a, b) => string.CompareOrdinal(a.Key.ToString(), b.Key.ToString()));
        return result;
    }

    /// <summary>Raw samples of <paramref name="series"/> in <c>[from, to)</c>, oldest first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<Sample> ReadRaw(SeriesKey series, long from, long to, int limit)
    {
        ThrowIfDisposed();
        if (limit <= 0 || from >= to)
            return [];
        return WithRetry(() =>
        {
            var sources = CollectHeadSources(series, from, to, out var state);
            SourceCollector.AddBlockSources(state.Blocks, series, from, to, sources);
            var output = new List<Sample>(Math.Min(limit, 4096));
            var sink = new RawSink(output, limit);
            SampleMerger.Merge(sources, from, to, ref sink);
            return output;
        });
    }

    /// <summary>Buckets of <paramref name="interval"/> aligned to the Unix epoch; a roll-up tier is used when it divides the interval.</summary>
    /// <remarks>Only buckets that hold samples are returned, oldest first, at most <paramref name="limit"/>.</remarks>
    public AggregateResult ReadAggregates(SeriesKey series, long from, long to, TimeSpan interval, int limit) =>
        ReadAggregates(series, from, to, interval, limit, allowRollups: true);

    /// <summary>As the public overload; <paramref name="allowRollups"/> false forces the raw path (tests compare both).</summary>
    internal AggregateResult ReadAggregates(SeriesKey series, long from, long to, TimeSpan interval, int limit, bool allowRollups)
    {
        ThrowIfDisposed();
        if (interval.Ticks < TimeSpan.TicksPerMillisecond || interval.Ticks % TimeSpan.TicksPerMillisecond != 0)
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The interval must be a whole number of milliseconds, at least 1 ms.");
        if (limit <= 0 || from >= to)
            return new AggregateResult([], AggregateSource.Raw, TimeSpan.Zero);
        var intervalMs = interval.Ticks / TimeSpan.TicksPerMillisecond;
        return WithRetry(() =>
        {
            var headSources = CollectHeadSources(series, from, to, out var state);
            return AggregateQuery.Read(series, from, to, intervalMs, limit, state.Blocks, headSources, _tiers.Resolutions,
                Volatile.Read(ref _rawHorizon), allowRollups);
        });
    }

    /// <summary>The newest sample (last write wins on equal timestamps); O(1) from memory once known.</summary>
    public Sample? ReadLatest(SeriesKey series)
    {
        ThrowIfDisposed();
        if (!_series.TryGetValue(series, out var entry))
            return null;
        long unresolved;
        lock (entry.Gate)
        {
            if (entry.HasLatest && entry.Latest.Timestamp >= entry.UnresolvedBlockLatest)
                return entry.Latest;
            if (entry.UnresolvedBlockLatest == long.MinValue)
                return null;
            unresolved = entry.UnresolvedBlockLatest;
        }
        // After a restart the newest sample may sit in a block: read it once, then it is remembered.
        var found = ReadRaw(series, unresolved, unresolved + 1, 1);
        lock (entry.Gate)
        {
            if (found.Count == 1 && (!entry.HasLatest || found[0].Timestamp > entry.Latest.Timestamp))
            {
                entry.Latest = found[0];
                entry.HasLatest = true;
            }
            if (entry.UnresolvedBlockLatest == unresolved)
                entry.UnresolvedBlockLatest = long.MinValue;
            return entry.HasLatest ? entry.Latest : null;
        }
    }

    /// <summary>
    /// Copies the runs of a series' unflushed generations under its lock, then reads the engine state. A generation
    /// is unlinked from the series only after the state that replaces it with its block is published, so a run
    /// either belongs to a generation in the state read here or its data is in one of that state's blocks.
    /// </summary>
    private List<SampleSource> CollectHeadSources(SeriesKey key, long from, long to, out EngineState state)
    {
        var sources = new List<SampleSource>();
        if (!_series.TryGetValue(key, out var series))
        {
            state = _state;
            return sources;
        }
        var collected = new List<(HeadGeneration Generation, int Start, int End)>(2);
        lock (series.Gate)
        {
            for (var head = series.Head; head is not null; head = head.Older)
            {
                var start = sources.Count;
                head.CollectSources(sources, from, to);
                collected.Add((head.Generation, start, sources.Count));
            }
        }
        state = _state;
        var visible = new List<SampleSource>(sources.Count);
        foreach (var (generation, start, end) in collected)
        {
            if (!state.Heads.Contains(generation))
                continue;
            for (var i = start; i < end; i++)
                visible.Add(sources[i]);
        }
        return visible;
    }

    /// <summary>A block replaced by compaction is closed under a running query; the query then starts over on the new state.</summary>
    private static T WithRetry<T>(Func<T> query)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return query();
            }
            catch (ObjectDisposedException) when (attempt < QueryAttempts)
            {
            }
        }
    }
}
