using Fabrica.Storage.Blocks;
using Fabrica.Storage.Rollups;

namespace Fabrica.Storage.Query;

/// <summary>Finds what blocks hold for one series: chunk runs in a time range and roll-up records of a resolution.</summary>
internal static class SourceCollector
{
    public static void AddBlockSources(IReadOnlyList<Block> blocks, SeriesKey key, long from, long to, List<SampleSource> destination)
    {
        foreach (var block in blocks)
        {
            if (block.Meta.MaxTimestamp < from || block.Meta.MinTimestamp >= to || !block.Series.TryGetValue(key, out var series))
                continue;
            foreach (var chunk in series.Chunks)
            {
                if (chunk.MaxTimestamp >= from && chunk.MinTimestamp < to)
                    destination.Add(SampleSource.FromBlock(block, key, chunk));
            }
        }
    }

    /// <summary>
    /// Roll-up records of <paramref name="key"/> at <paramref name="resolutionMs"/> for buckets in <c>[from, to)</c>.
    /// Of several blocks with a record for one bucket, the one with the largest sequence wins: it was computed from
    /// all raw data older than itself (see RollupBuilder), so it supersedes the others.
    /// </summary>
    public static Dictionary<long, Aggregate> CollectRollups(IReadOnlyList<Block> blocks, SeriesKey key, long resolutionMs, long from, long to)
    {
        var result = new Dictionary<long, Aggregate>();
        var records = new List<RollupRecord>();
        // Blocks are ordered by sequence; walk newest first so the first record seen for a bucket is the winner.
        for (var b = blocks.Count - 1; b >= 0; b--)
        {
            var block = blocks[b];
            if (!block.Series.TryGetValue(key, out var series))
                continue;
            foreach (var rollup in series.Rollups)
            {
                if (rollup.ResolutionMs != resolutionMs || rollup.LastBucket < from || rollup.FirstBucket >= to)
                    continue;
                records.Clear();
                block.ReadRollups(key, rollup, records);
                foreach (var record in records)
                {
                    if (record.Bucket >= from && record.Bucket < to)
                        result.TryAdd(record.Bucket, record.Aggregate);
                }
            }
        }
        return result;
    }
}
