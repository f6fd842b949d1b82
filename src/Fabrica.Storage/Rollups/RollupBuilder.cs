using Fabrica.Storage.Blocks;
using Fabrica.Storage.Query;

namespace Fabrica.Storage.Rollups;

/// <summary>
/// Computes the roll-up records a new block carries for one series.
/// <para>
/// Correctness argument: a roll-up record with sequence q (its block's) for bucket b is the exact aggregate of the
/// last-write-wins merge of all raw samples of b with a sequence ≤ q. A flush writes records for every bucket its
/// generation touches, computed from the generation's samples merged with the raw chunks of every existing block in
/// that bucket — so the new record supersedes all older ones, and readers take the newest record per bucket.
/// Late data into an already rolled-up hour therefore produces a fresh record for that hour from all its raw data,
/// and both query paths agree. Where retention has already dropped raw data (buckets before the raw horizon), the
/// newest old record is merged with the new samples instead; that is exact unless a late sample repeats a
/// timestamp whose raw data is gone (it is then counted twice), a documented limitation.
/// </para>
/// </summary>
internal static class RollupBuilder
{
    /// <param name="fresh">The generation's samples of the series, merged: sorted, one per timestamp.</param>
    /// <param name="resolutions">Roll-up resolutions in ms, finest first; each divides the next.</param>
    public static List<RollupRecord>[] Build(SeriesKey key, Sample[] fresh, long freshSeq, IReadOnlyList<Block> blocks, IReadOnlyList<long> resolutions, long rawHorizon)
    {
        var result = new List<RollupRecord>[resolutions.Count];
        for (var t = 0; t < result.Length; t++)
            result[t] = [];
        if (resolutions.Count == 0 || fresh.Length == 0)
            return result;
        var coarse = resolutions[^1];
        var i = 0;
        while (i < fresh.Length)
        {
            // A run of consecutive coarse buckets that the generation touches, split at the raw horizon.
            var start = Buckets.Floor(fresh[i].Timestamp, coarse);
            var end = start + coarse;
            var j = i;
            while (j < fresh.Length)
            {
                if (fresh[j].Timestamp < end)
                    j++;
                else if (Buckets.Floor(fresh[j].Timestamp, coarse) == end && end != rawHorizon)
                    end += coarse;
                else
                    break;
            }
            BuildRange(key, fresh.AsSpan(i, j - i), freshSeq, start, end, blocks, resolutions, rawHorizon, result);
            i = j;
        }
        return result;
    }

    private static void BuildRange(SeriesKey key, ReadOnlySpan<Sample> fresh, long freshSeq, long start, long end,
        IReadOnlyList<Block> blocks, IReadOnlyList<long> resolutions, long rawHorizon, List<RollupRecord>[] result)
    {
        var ownSink = new MultiBucketSink(resolutions);
        foreach (var sample in fresh)
            ownSink.Add(sample);

        if (start >= rawHorizon)
        {
            var sources = new List<SampleSource>();
            SourceCollector.AddBlockSources(blocks, key, start, end, sources);
            if (sources.Count > 0)
            {
                sources.Add(SampleSource.FromSamples(fresh.ToArray(), freshSeq));
                var allSink = new MultiBucketSink(resolutions);
                SampleMerger.Merge(sources, start, end, ref allSink);
                for (var t = 0; t < resolutions.Count; t++)
                    KeepTouched(allSink.Complete(t), ownSink.Complete(t), result[t]);
                return;
            }
            for (var t = 0; t < resolutions.Count; t++)
                result[t].AddRange(ownSink.Complete(t));
            return;
        }

        // Raw data of this range is gone: fold the new samples into the newest surviving records.
        for (var t = 0; t < resolutions.Count; t++)
        {
            var previous = SourceCollector.CollectRollups(blocks, key, resolutions[t], start, end);
            foreach (var own in ownSink.Complete(t))
            {
                var aggregate = previous.TryGetValue(own.Bucket, out var old) ? old : default;
                aggregate.Combine(own.Aggregate);
                result[t].Add(new RollupRecord(own.Bucket, aggregate));
            }
        }
    }

    /// <summary>Keeps the records of <paramref name="all"/> whose bucket the generation touched (both lists sorted).</summary>
    private static void KeepTouched(List<RollupRecord> all, List<RollupRecord> touched, List<RollupRecord> destination)
    {
        var a = 0;
        foreach (var own in touched)
        {
            while (a < all.Count && all[a].Bucket < own.Bucket)
                a++;
            if (a < all.Count && all[a].Bucket == own.Bucket)
                destination.Add(all[a]);
        }
    }
}
