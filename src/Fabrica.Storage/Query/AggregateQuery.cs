using Fabrica.Storage.Blocks;
using Fabrica.Storage.Rollups;

namespace Fabrica.Storage.Query;

/// <summary>
/// Bucketed aggregates of one series. With a roll-up tier whose resolution r divides the interval, every r-bucket
/// that lies wholly inside the range is answered from the newest roll-up record when no head data falls into it;
/// edge buckets, buckets with head data and buckets without a record are aggregated from raw samples (head and
/// blocks merged, last write wins). Below the raw horizon, where raw data has been dropped, head data is folded
/// into the record. The r-buckets are then folded into the requested interval.
/// </summary>
internal static class AggregateQuery
{
    public static AggregateResult Read(SeriesKey key, long from, long to, long intervalMs, int limit, IReadOnlyList<Block> blocks,
        List<SampleSource> headSources, IReadOnlyList<long> resolutions, long rawHorizon, bool allowRollups)
    {
        var blockSources = new List<SampleSource>();
        SourceCollector.AddBlockSources(blocks, key, from, to, blockSources);

        long resolution = 0;
        for (var t = resolutions.Count - 1; t >= 0 && allowRollups; t--)
        {
            if (intervalMs % resolutions[t] == 0)
            {
                resolution = resolutions[t];
                break;
            }
        }
        var first = resolution == 0 ? 0 : Buckets.Ceiling(from, resolution);
        var last = resolution == 0 ? 0 : Buckets.Floor(to, resolution);
        var rolled = resolution == 0 || first >= last ? null : SourceCollector.CollectRollups(blocks, key, resolution, first, last);
        if (rolled is null || rolled.Count == 0)
            return RawOnly(from, to, intervalMs, limit, blockSources, headSources);

        var pieces = new List<RollupRecord>();
        var dirty = Intervals(headSources, resolution);
        var covered = Intervals(blockSources, resolution);
        int dirtyAt = 0, coveredAt = 0;
        long pendingStart = from, pendingEnd = first;
        var usedRollup = false;
        for (var bucket = first; bucket < last; bucket += resolution)
        {
            var isDirty = Contains(dirty, ref dirtyAt, bucket);
            var isCovered = Contains(covered, ref coveredAt, bucket);
            var hasRecord = rolled.TryGetValue(bucket, out var aggregate);
            if (hasRecord && (!isDirty || bucket < rawHorizon))
            {
                if (isDirty)
                    aggregate.Combine(AggregateRange(headSources, bucket, bucket + resolution, resolution));
                FlushRaw(ref pendingStart, ref pendingEnd, bucket + resolution, blockSources, headSources, resolution, pieces);
                pieces.Add(new RollupRecord(bucket, aggregate));
                usedRollup = true;
            }
            else if (!isDirty && !isCovered)
            {
                // Nothing stored here at all: let a pending raw range run through it rather than split it.
                if (pendingEnd == bucket)
                    pendingEnd = bucket + resolution;
            }
            else
            {
                if (pendingEnd != bucket)
                    FlushRaw(ref pendingStart, ref pendingEnd, bucket, blockSources, headSources, resolution, pieces);
                pendingEnd = bucket + resolution;
            }
        }
        if (pendingEnd != last)
            FlushRaw(ref pendingStart, ref pendingEnd, last, blockSources, headSources, resolution, pieces);
        pendingEnd = to;
        FlushRaw(ref pendingStart, ref pendingEnd, to, blockSources, headSources, resolution, pieces);
        return new AggregateResult(Fold(pieces, intervalMs, limit), usedRollup ? AggregateSource.Rollup : AggregateSource.Raw,
            usedRollup ? TimeSpan.FromMilliseconds(resolution) : TimeSpan.Zero);
    }

    private static AggregateResult RawOnly(long from, long to, long intervalMs, int limit, List<SampleSource> blockSources, List<SampleSource> headSources)
    {
        var all = new List<SampleSource>(blockSources.Count + headSources.Count);
        all.AddRange(blockSources);
        all.AddRange(headSources);
        var sink = new BucketSink(intervalMs, [], limit);
        SampleMerger.Merge(all, from, to, ref sink);
        sink.Complete();
        var buckets = new List<AggregateBucket>(sink.Output.Count);
        foreach (var record in sink.Output)
            buckets.Add(record.Aggregate.ToBucket(record.Bucket));
        return new AggregateResult(buckets, AggregateSource.Raw, TimeSpan.Zero);
    }

    /// <summary>Aggregates the raw range <c>[pendingStart, pendingEnd)</c> into r-buckets, then starts a new range at <paramref name="next"/>.</summary>
    private static void FlushRaw(ref long pendingStart, ref long pendingEnd, long next, List<SampleSource> blockSources,
        List<SampleSource> headSources, long resolution, List<RollupRecord> pieces)
    {
        if (pendingStart < pendingEnd)
        {
            var sources = new List<SampleSource>();
            foreach (var source in blockSources)
            {
                if (source.Overlaps(pendingStart, pendingEnd))
                    sources.Add(source);
            }
            foreach (var source in headSources)
            {
                if (source.Overlaps(pendingStart, pendingEnd))
                    sources.Add(source);
            }
            var sink = new BucketSink(resolution, pieces);
            SampleMerger.Merge(sources, pendingStart, pendingEnd, ref sink);
            sink.Complete();
        }
        pendingStart = next;
        pendingEnd = next;
    }

    private static Aggregate AggregateRange(List<SampleSource> sources, long from, long to, long resolution)
    {
        var selected = new List<SampleSource>();
        foreach (var source in sources)
        {
            if (source.Overlaps(from, to))
                selected.Add(source);
        }
        var sink = new BucketSink(resolution, []);
        SampleMerger.Merge(selected, from, to, ref sink);
        sink.Complete();
        return sink.Output.Count == 0 ? default : sink.Output[0].Aggregate;
    }

    private static List<AggregateBucket> Fold(List<RollupRecord> pieces, long intervalMs, int limit)
    {
        var buckets = new List<AggregateBucket>();
        var current = long.MinValue;
        Aggregate accumulator = default;
        foreach (var piece in pieces)
        {
            var start = Buckets.Floor(piece.Bucket, intervalMs);
            if (start != current)
            {
                if (accumulator.Count > 0)
                    buckets.Add(accumulator.ToBucket(current));
                if (buckets.Count >= limit)
                    return buckets;
                current = start;
                accumulator = default;
            }
            accumulator.Combine(piece.Aggregate);
        }
        if (accumulator.Count > 0 && buckets.Count < limit)
            buckets.Add(accumulator.ToBucket(current));
        return buckets;
    }

    /// <summary>The r-aligned time intervals that runs cover, sorted and merged.</summary>
    private static List<(long Start, long End)> Intervals(List<SampleSource> sources, long resolution)
    {
        var list = new List<(long Start, long End)>(sources.Count);
        foreach (var source in sources)
            list.Add((Buckets.Floor(source.MinTimestamp, resolution), Buckets.Floor(source.MaxTimestamp, resolution) + resolution));
        list.Sort();
        var merged = new List<(long Start, long End)>(list.Count);
        foreach (var item in list)
        {
            if (merged.Count > 0 && item.Start <= merged[^1].End)
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, item.End));
            else
                merged.Add(item);
        }
        return merged;
    }

    private static bool Contains(List<(long Start, long End)> intervals, ref int at, long bucket)
    {
        while (at < intervals.Count && intervals[at].End <= bucket)
            at++;
        return at < intervals.Count && intervals[at].Start <= bucket;
    }
}
