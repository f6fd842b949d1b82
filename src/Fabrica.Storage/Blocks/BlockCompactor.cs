using System.Runtime.InteropServices;
using Fabrica.Storage.Chunks;
using Fabrica.Storage.Query;
using Fabrica.Storage.Rollups;

namespace Fabrica.Storage.Blocks;

/// <summary>
/// Merges a run of blocks that are adjacent in sequence order into one block that lists them as replaced.
/// <para>
/// Per series, chunks that overlap no other chunk are copied byte for byte with their sequence; overlapping chunks
/// are merged (last write wins) and re-encoded with the run's largest sequence, which is still below every younger
/// block and above every older one because the run is contiguous in sequence order. Roll-up records are carried
/// over: per bucket the newest one, which already covers the older blocks' raw data (see RollupBuilder).
/// </para>
/// </summary>
internal static class BlockCompactor
{
    /// <summary>Chooses runs of adjacent, undamaged blocks to merge, each at most <paramref name="targetBytes"/>.</summary>
    public static List<List<Block>> Plan(IReadOnlyList<Block> blocks, long targetBytes, bool background)
    {
        var runs = new List<List<Block>>();
        var smallLimit = background ? targetBytes / 8 : targetBytes;
        var minimumRun = background ? 4 : 2;
        var current = new List<Block>();
        long bytes = 0;
        foreach (var block in blocks)
        {
            var eligible = !block.IsDamaged && block.FileBytes < smallLimit;
            if (!eligible || bytes + block.FileBytes > targetBytes)
            {
                if (current.Count >= minimumRun)
                    runs.Add(current);
                current = [];
                bytes = 0;
            }
            if (!eligible)
                continue;
            current.Add(block);
            bytes += block.FileBytes;
        }
        if (current.Count >= minimumRun)
            runs.Add(current);
        return runs;
    }

    public static (string Path, long Bytes) Compact(IReadOnlyList<Block> run, string directory, long id, int chunkSamples, long nowMs)
    {
        var minSeq = long.MaxValue;
        var maxSeq = long.MinValue;
        var keys = new HashSet<SeriesKey>();
        foreach (var block in run)
        {
            minSeq = Math.Min(minSeq, block.Meta.MinSeq);
            maxSeq = Math.Max(maxSeq, block.Meta.MaxSeq);
            keys.UnionWith(block.Series.Keys);
        }
        using var writer = BlockWriter.Create(directory, id);
        var decoded = new List<Sample>();
        foreach (var key in keys)
        {
            writer.BeginSeries(key);
            var sources = new List<SampleSource>();
            SourceCollector.AddBlockSources(run, key, long.MinValue, long.MaxValue, sources);
            sources.Sort(static (a, b) => a.MinTimestamp.CompareTo(b.MinTimestamp));
            var i = 0;
            while (i < sources.Count)
            {
                var end = i + 1;
                var clusterMax = sources[i].MaxTimestamp;
                while (end < sources.Count && sources[end].MinTimestamp <= clusterMax)
                    clusterMax = Math.Max(clusterMax, sources[end++].MaxTimestamp);
                decoded.Clear();
                var cluster = sources.GetRange(i, end - i);
                var sink = new RawSink(decoded, int.MaxValue);
                SampleMerger.Merge(cluster, long.MinValue, long.MaxValue, ref sink);
                WriteChunks(writer, CollectionsMarshal.AsSpan(decoded), end - i == 1 ? sources[i].Seq : maxSeq, chunkSamples);
                i = end;
            }
            CarryRollups(run, key, writer);
            writer.EndSeries();
        }
        var ids = new long[run.Count];
        for (var r = 0; r < run.Count; r++)
            ids[r] = run[r].Meta.Id;
        var (path, _, bytes) = writer.Complete(minSeq, maxSeq, nowMs, ids);
        return (path, bytes);
    }

    /// <summary>Cuts sorted samples into chunks of one kind and at most <paramref name="chunkSamples"/> samples.</summary>
    internal static void WriteChunks(BlockWriter writer, ReadOnlySpan<Sample> samples, long seq, int chunkSamples)
    {
        var start = 0;
        for (var i = 1; i <= samples.Length; i++)
        {
            if (i == samples.Length || i - start >= chunkSamples || samples[i].Value.Kind != samples[start].Value.Kind)
            {
                writer.AddChunk(ChunkCodec.Encode(samples[start..i]), seq);
                start = i;
            }
        }
    }

    private static void CarryRollups(IReadOnlyList<Block> run, SeriesKey key, BlockWriter writer)
    {
        var resolutions = new SortedSet<long>();
        foreach (var block in run)
        {
            if (block.Series.TryGetValue(key, out var series))
            {
                foreach (var rollup in series.Rollups)
                    resolutions.Add(rollup.ResolutionMs);
            }
        }
        foreach (var resolution in resolutions)
        {
            var newest = SourceCollector.CollectRollups(run, key, resolution, long.MinValue, long.MaxValue);
            var records = new RollupRecord[newest.Count];
            var r = 0;
            foreach (var (bucket, aggregate) in newest)
                records[r++] = new RollupRecord(bucket, aggregate);
            Array.Sort(records, static (a, b) => a.Bucket.CompareTo(b.Bucket));
            writer.AddRollups(resolution, records);
        }
    }
}
