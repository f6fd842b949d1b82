namespace Fabrica.Storage.Blocks;

/// <summary>
/// The index of a block:
/// <code>
/// meta   : id | minSeq | maxSeq | minTs | maxTs | samples | createdMs (i64 each) | replaces count i32 | ids i64…
/// series : count i32 | per series: device str | tag str
///          | chunks i32 | per chunk: minTs i64 | maxTs i64 | seq i64 | offset i64 | length i32 | count i32 | kind u8 | crc u32
///          | rollups i32 | per tier: resolutionMs i64 | firstBucket i64 | lastBucket i64 | offset i64 | length i32 | records i32 | crc u32
/// </code>
/// </summary>
internal static class BlockIndexCodec
{
    private const int ChunkRefBytes = 8 * 4 + 4 + 4 + 1 + 4;
    private const int RollupRefBytes = 8 * 4 + 4 + 4 + 4;

    public static void Write(BlockBinaryWriter writer, BlockMeta meta, IReadOnlyList<BlockSeries> series)
    {
        writer.WriteInt64(meta.Id);
        writer.WriteInt64(meta.MinSeq);
        writer.WriteInt64(meta.MaxSeq);
        writer.WriteInt64(meta.MinTimestamp);
        writer.WriteInt64(meta.MaxTimestamp);
        writer.WriteInt64(meta.Samples);
        writer.WriteInt64(meta.CreatedMs);
        writer.WriteInt32(meta.Replaces.Length);
        foreach (var id in meta.Replaces)
            writer.WriteInt64(id);
        writer.WriteInt32(series.Count);
        foreach (var entry in series)
        {
            writer.WriteString(entry.Key.Device);
            writer.WriteString(entry.Key.Tag);
            writer.WriteInt32(entry.Chunks.Length);
            foreach (var c in entry.Chunks)
            {
                writer.WriteInt64(c.MinTimestamp);
                writer.WriteInt64(c.MaxTimestamp);
                writer.WriteInt64(c.Seq);
                writer.WriteInt64(c.Offset);
                writer.WriteInt32(c.Length);
                writer.WriteInt32(c.Count);
                writer.WriteByte((byte)c.Kind);
                writer.WriteUInt32(c.Crc);
            }
            writer.WriteInt32(entry.Rollups.Length);
            foreach (var r in entry.Rollups)
            {
                writer.WriteInt64(r.ResolutionMs);
                writer.WriteInt64(r.FirstBucket);
                writer.WriteInt64(r.LastBucket);
                writer.WriteInt64(r.Offset);
                writer.WriteInt32(r.Length);
                writer.WriteInt32(r.Records);
                writer.WriteUInt32(r.Crc);
            }
        }
    }

    /// <summary>Parses an index whose CRC has been checked; every offset is checked against the data area.</summary>
    public static (BlockMeta Meta, Dictionary<SeriesKey, BlockSeries> Series) Read(ReadOnlySpan<byte> index, long dataEnd)
    {
        var reader = new BlockBinaryReader(index);
        var id = reader.ReadInt64();
        var minSeq = reader.ReadInt64();
        var maxSeq = reader.ReadInt64();
        var minTs = reader.ReadInt64();
        var maxTs = reader.ReadInt64();
        var samples = reader.ReadInt64();
        var created = reader.ReadInt64();
        var replaces = new long[reader.ReadCount(8)];
        for (var i = 0; i < replaces.Length; i++)
            replaces[i] = reader.ReadInt64();
        var meta = new BlockMeta(id, minSeq, maxSeq, minTs, maxTs, samples, created, replaces);

        var seriesCount = reader.ReadCount(16);
        var series = new Dictionary<SeriesKey, BlockSeries>(seriesCount);
        for (var s = 0; s < seriesCount; s++)
        {
            var key = new SeriesKey(reader.ReadString(), reader.ReadString());
            var chunks = new ChunkRef[reader.ReadCount(ChunkRefBytes)];
            for (var i = 0; i < chunks.Length; i++)
            {
                var c = new ChunkRef(reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(), reader.ReadInt64(),
                    reader.ReadInt32(), reader.ReadInt32(), (ValueKind)reader.ReadByte(), reader.ReadUInt32());
                CheckRange(c.Offset, c.Length, dataEnd);
                if (c.Count <= 0 || c.MinTimestamp > c.MaxTimestamp || c.Seq < minSeq || c.Seq > maxSeq)
                    throw new BlockFormatException($"chunk of {key} at {c.Offset} has an impossible count, range or sequence");
                chunks[i] = c;
            }
            var rollups = new RollupRef[reader.ReadCount(RollupRefBytes)];
            for (var i = 0; i < rollups.Length; i++)
            {
                long resolution = reader.ReadInt64(), firstBucket = reader.ReadInt64(), lastBucket = reader.ReadInt64(), offset = reader.ReadInt64();
                int length = reader.ReadInt32(), records = reader.ReadInt32();
                var r = new RollupRef(resolution, firstBucket, lastBucket, records, offset, length, reader.ReadUInt32());
                CheckRange(r.Offset, r.Length, dataEnd);
                if (r.ResolutionMs <= 0)
                    throw new BlockFormatException($"roll-up of {key} has resolution {r.ResolutionMs}");
                rollups[i] = r;
            }
            if (!series.TryAdd(key, new BlockSeries(key, chunks, rollups)))
                throw new BlockFormatException($"series {key} appears twice in the index");
        }
        if (reader.Remaining != 0)
            throw new BlockFormatException($"{reader.Remaining} bytes after the index");
        return (meta, series);
    }

    private static void CheckRange(long offset, int length, long dataEnd)
    {
        if (offset < BlockLayout.HeaderBytes || length <= 0 || offset + length > dataEnd)
            throw new BlockFormatException($"reference [{offset}, +{length}) lies outside the data area");
    }
}
