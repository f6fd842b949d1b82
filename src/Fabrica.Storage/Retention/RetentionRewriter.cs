using System.Runtime.InteropServices;
using Fabrica.Storage.Blocks;
using Fabrica.Storage.Chunks;
using Fabrica.Storage.Rollups;

namespace Fabrica.Storage.Retention;

/// <summary>
/// Applies retention to one block: raw chunks before the raw cutoff and roll-up records before their tier's cutoff are
/// dropped. A chunk that straddles the cutoff is re-encoded with its later samples and keeps its sequence. The result
/// is a new block that lists the old one as replaced (the same crash-safe publish as compaction), or nothing when
/// nothing is left (the old file is then simply deleted: dropping expired data twice is harmless).
/// </summary>
internal static class RetentionRewriter
{
    public static bool NeedsRewrite(Block block, long rawCutoff, IReadOnlyDictionary<long, long> rollupCutoffs)
    {
        if (block.Meta.MinTimestamp < rawCutoff)
            return true;
        foreach (var series in block.Series.Values)
        {
            foreach (var rollup in series.Rollups)
            {
                if (rollupCutoffs.TryGetValue(rollup.ResolutionMs, out var cutoff) && rollup.FirstBucket < cutoff)
                    return true;
            }
        }
        return false;
    }

    /// <returns>The new block's path, or null when nothing of the block survives.</returns>
    public static string? Rewrite(Block block, string directory, long id, long rawCutoff, IReadOnlyDictionary<long, long> rollupCutoffs, long nowMs)
    {
        using var writer = BlockWriter.Create(directory, id);
        var decoded = new List<Sample>();
        var records = new List<RollupRecord>();
        foreach (var series in block.Series.Values)
        {
            writer.BeginSeries(series.Key);
            foreach (var chunk in series.Chunks)
            {
                if (chunk.MaxTimestamp < rawCutoff || !block.TryReadChunk(series.Key, chunk, out var bytes))
                    continue;
                if (chunk.MinTimestamp >= rawCutoff)
                {
                    writer.AddChunk(bytes.Span, chunk.Seq);
                    continue;
                }
                decoded.Clear();
                ChunkCodec.Decode(bytes.Span, decoded);
                decoded.RemoveAll(s => s.Timestamp < rawCutoff);
                if (decoded.Count > 0)
                    writer.AddChunk(ChunkCodec.Encode(CollectionsMarshal.AsSpan(decoded)), chunk.Seq);
            }
            foreach (var rollup in series.Rollups)
            {
                var cutoff = rollupCutoffs.TryGetValue(rollup.ResolutionMs, out var c) ? c : long.MinValue;
                if (rollup.LastBucket < cutoff)
                    continue;
                records.Clear();
                block.ReadRollups(series.Key, rollup, records);
                records.RemoveAll(r => r.Bucket < cutoff);
                writer.AddRollups(rollup.ResolutionMs, CollectionsMarshal.AsSpan(records));
            }
            writer.EndSeries();
        }
        if (writer.SeriesCount == 0)
            return null;
        return writer.Complete(block.Meta.MinSeq, block.Meta.MaxSeq, nowMs, [block.Meta.Id]).Path;
    }
}
