namespace Fabrica.Storage.Blocks;

/// <summary>
/// Layout of a block file (<c>blocks/&lt;id:x16&gt;.blk</c>), little-endian throughout:
/// <code>
/// header  : magic "FBLK" (u32) | version u16 | flags u16 | reserved u64                       (16 bytes)
/// chunks  : ChunkCodec chunks, back to back, each referenced from the index
/// roll-ups: RollupCodec blobs, one per (series, tier)
/// index   : meta | series count i32 | series entries        (see BlockIndexCodec)
/// footer  : index offset i64 | index length i32 | index CRC-32C u32 | footer CRC-32C u32 | magic "FBLE" (u32)
/// </code>
/// The footer's fixed size lets a reader find the index from the end; every chunk and roll-up blob has its own
/// CRC in the index, and the index has one in the footer, so any single damaged byte is detected and located.
/// </summary>
internal static class BlockLayout
{
    public const uint HeaderMagic = 0x4B4C4246; // "FBLK"
    public const uint FooterMagic = 0x454C4246; // "FBLE"
    public const ushort Version = 1;
    public const int HeaderBytes = 16;
    public const int FooterBytes = 24;
    public const string Extension = ".blk";
    public const string TempExtension = ".blk.tmp";

    public static string FileName(long id) => id.ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + Extension;

    public static bool TryParseId(string path, out long id)
    {
        id = 0;
        var name = Path.GetFileName(path);
        return name.EndsWith(Extension, StringComparison.Ordinal) && name.Length == 16 + Extension.Length &&
               long.TryParse(name.AsSpan(0, 16), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out id);
    }
}

/// <summary>Where one chunk of one series lies in a block, with what the reader needs to skip or verify it.</summary>
internal readonly record struct ChunkRef(long MinTimestamp, long MaxTimestamp, long Seq, long Offset, int Length, int Count, ValueKind Kind, uint Crc);

/// <summary>Where the roll-up records of one series at one resolution lie in a block.</summary>
internal readonly record struct RollupRef(long ResolutionMs, long FirstBucket, long LastBucket, int Records, long Offset, int Length, uint Crc);

/// <summary>The index entry of one series in one block; chunks sorted by minimum timestamp.</summary>
internal sealed record BlockSeries(SeriesKey Key, ChunkRef[] Chunks, RollupRef[] Rollups);

/// <summary>
/// Block-wide facts. Write sequences of all chunks lie in <c>[MinSeq, MaxSeq]</c>; ranges of different blocks never
/// overlap (one head generation per flush), which is what lets compaction merge runs of seq-adjacent blocks.
/// <see cref="Replaces"/> lists the blocks this one supersedes (compaction, retention): recovery deletes them.
/// </summary>
internal sealed record BlockMeta(long Id, long MinSeq, long MaxSeq, long MinTimestamp, long MaxTimestamp, long Samples, long CreatedMs, long[] Replaces);
