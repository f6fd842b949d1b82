using Fabrica.Storage.Blocks;
using Microsoft.Extensions.Logging;
using Fabrica.IO;

namespace Fabrica.Storage.Recovery;

/// <summary>What loading the block directory found.</summary>
internal sealed record LoadedBlocks(List<Block> Blocks, List<string> Damaged, long MaxId);

/// <summary>
/// Loads <c>blocks/</c> at open. Leftover temporary files are deleted (a block is only a block once renamed).
/// A block whose header, footer or index is damaged is reported and skipped; a block with an intact index but
/// damaged chunks is reported and served without those chunks. A block listed as replaced by an intact block
/// (compaction or retention that stopped before deleting its inputs) is deleted now, finishing that operation.
/// </summary>
internal static class BlockLoader
{
    public static LoadedBlocks Load(string directory, bool verifyChunks, ILogger logger, IProgress<StorageProgress>? progress)
    {
        foreach (var temp in Directory.EnumerateFiles(directory, "*.tmp"))
        {
            File.Delete(temp);
            TimeSeriesEngine.Log.TempFileDeleted(logger, temp);
        }
        var files = Directory.GetFiles(directory, "*" + BlockLayout.Extension);
        Array.Sort(files, StringComparer.Ordinal);
        var blocks = new List<Block>(files.Length);
        var damaged = new List<string>();
        var damagedIds = new Dictionary<long, string>();
        long maxId = 0;
        for (var i = 0; i < files.Length; i++)
        {
            var path = files[i];
            var hasId = BlockLayout.TryParseId(path, out var fileId);
            if (hasId)
                maxId = Math.Max(maxId, fileId);
            try
            {
                var block = Block.Open(path, verifyChunks);
                if (!hasId || block.Meta.Id != fileId)
                {
                    block.Dispose();
                    throw new BlockFormatException($"index names block {block.Meta.Id:x16}, not the file's name");
                }
                maxId = Math.Max(maxId, Math.Max(block.Meta.Id, block.Meta.MaxSeq >>> 32));
                blocks.Add(block);
            }
            catch (Exception ex) when (ex is BlockFormatException or IOException or UnauthorizedAccessException)
            {
                damaged.Add($"{path}: {ex.Message}");
                if (hasId)
                    damagedIds[fileId] = path;
                TimeSeriesEngine.Log.BlockDamaged(logger, path, ex.Message);
            }
            progress?.Report(new StorageProgress("open: blocks", i + 1, files.Length));
        }

        var replaced = new HashSet<long>();
        foreach (var block in blocks)
            replaced.UnionWith(block.Meta.Replaces);
        for (var i = blocks.Count - 1; i >= 0; i--)
        {
            if (!replaced.Contains(blocks[i].Meta.Id))
                continue;
            TimeSeriesEngine.Log.ReplacedBlockDeleted(logger, blocks[i].Path);
            blocks[i].Dispose();
            File.Delete(blocks[i].Path);
            blocks.RemoveAt(i);
        }
        foreach (var (id, path) in damagedIds)
        {
            if (!replaced.Contains(id))
                continue;
            TimeSeriesEngine.Log.ReplacedBlockDeleted(logger, path);
            File.Delete(path);
            damaged.RemoveAll(d => d.StartsWith(path, StringComparison.Ordinal));
        }
        if (replaced.Count > 0)
            DurableDirectory.Sync(directory);

        foreach (var block in blocks)
        {
            if (block.IsDamaged)
            {
                var damage = block.Damage;
                damaged.Add($"{block.Path}: {damage.Count} damaged chunk(s) or roll-up(s), first: {damage[0]}");
                TimeSeriesEngine.Log.BlockDamaged(logger, block.Path, damage[0]);
            }
        }
        blocks.Sort(static (a, b) => a.Meta.MinSeq.CompareTo(b.Meta.MinSeq));
        return new LoadedBlocks(blocks, damaged, maxId);
    }
}
