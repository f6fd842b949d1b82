using System.Buffers.Binary;
using Fabrica.Storage.Chunks;
using Fabrica.Storage.Rollups;
using Fabrica.IO;

namespace Fabrica.Storage.Blocks;

/// <summary>
/// Writes one block file under a temporary name; <see cref="Complete"/> makes it durable and publishes it with an
/// atomic rename, so a reader (or recovery) only ever sees whole blocks. Series are written one at a time.
/// </summary>
internal sealed class BlockWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly string _tempPath;
    private readonly string _finalPath;
    private readonly List<BlockSeries> _series = [];
    private readonly List<ChunkRef> _chunks = [];
    private readonly List<RollupRef> _rollups = [];
    private readonly BlockBinaryWriter _scratch = new(4096);
    private SeriesKey? _current;
    private long _offset;
    private long _minTs = long.MaxValue;
    private long _maxTs = long.MinValue;
    private long _samples;
    private bool _completed;

    private BlockWriter(string directory, long id)
    {
        _finalPath = Path.Combine(directory, BlockLayout.FileName(id));
        _tempPath = Path.Combine(directory, id.ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + BlockLayout.TempExtension);
        _file = new FileStream(_tempPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        Span<byte> header = stackalloc byte[BlockLayout.HeaderBytes];
        header.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(header, BlockLayout.HeaderMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], BlockLayout.Version);
        _file.Write(header);
        _offset = BlockLayout.HeaderBytes;
    }

    public static BlockWriter Create(string directory, long id) => new(directory, id);

    public long SeriesCount => _series.Count;

    public void BeginSeries(SeriesKey key)
    {
        if (_current is not null)
            throw new InvalidOperationException("EndSeries was not called.");
        _current = key;
    }

    /// <summary>Adds an encoded chunk (the codec's header gives its range and kind).</summary>
    public void AddChunk(ReadOnlySpan<byte> chunk, long seq)
    {
        var header = ChunkCodec.ReadHeader(chunk);
        _chunks.Add(new ChunkRef(header.MinTimestamp, header.MaxTimestamp, seq, _offset, chunk.Length, header.Count, header.Kind, Crc32C.Compute(chunk)));
        _file.Write(chunk);
        _offset += chunk.Length;
        _minTs = Math.Min(_minTs, header.MinTimestamp);
        _maxTs = Math.Max(_maxTs, header.MaxTimestamp);
        _samples += header.Count;
    }

    public void AddRollups(long resolutionMs, ReadOnlySpan<RollupRecord> records)
    {
        if (records.IsEmpty)
            return;
        _scratch.Clear();
        RollupCodec.Write(_scratch, records);
        var bytes = _scratch.WrittenSpan;
        _rollups.Add(new RollupRef(resolutionMs, records[0].Bucket, records[^1].Bucket, records.Length, _offset, bytes.Length, Crc32C.Compute(bytes)));
        _file.Write(bytes);
        _offset += bytes.Length;
    }

    public void EndSeries()
    {
        var key = _current ?? throw new InvalidOperationException("BeginSeries was not called.");
        _current = null;
        if (_chunks.Count == 0 && _rollups.Count == 0)
            return;
        _chunks.Sort(static (a, b) => a.MinTimestamp.CompareTo(b.MinTimestamp));
        _series.Add(new BlockSeries(key, [.. _chunks], [.. _rollups]));
        _chunks.Clear();
        _rollups.Clear();
    }

    /// <summary>Writes index and footer, fsyncs, renames to the final name and fsyncs the directory.</summary>
    public (string Path, BlockMeta Meta, long Bytes) Complete(long minSeq, long maxSeq, long createdMs, long[] replaces)
    {
        var id = long.Parse(Path.GetFileName(_finalPath).AsSpan(0, 16), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
        var meta = new BlockMeta(id, minSeq, maxSeq, _minTs, _maxTs, _samples, createdMs, replaces);
        var index = new BlockBinaryWriter(1 << 16);
        BlockIndexCodec.Write(index, meta, _series);
        var indexOffset = _offset;
        _file.Write(index.WrittenSpan);

        Span<byte> footer = stackalloc byte[BlockLayout.FooterBytes];
        BinaryPrimitives.WriteInt64LittleEndian(footer, indexOffset);
        BinaryPrimitives.WriteInt32LittleEndian(footer[8..], index.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(footer[12..], Crc32C.Compute(index.WrittenSpan));
        BinaryPrimitives.WriteUInt32LittleEndian(footer[16..], Crc32C.Compute(footer[..16]));
        BinaryPrimitives.WriteUInt32LittleEndian(footer[20..], BlockLayout.FooterMagic);
        _file.Write(footer);
        _file.Flush(flushToDisk: true);
        var bytes = _file.Length;
        _file.Dispose();
        File.Move(_tempPath, _finalPath, overwrite: false);
        DurableDirectory.Sync(Path.GetDirectoryName(_finalPath)!);
        _completed = true;
        return (_finalPath, meta, bytes);
    }

    public void Dispose()
    {
        if (_completed)
            return;
        _file.Dispose();
        // An abandoned block never becomes visible: only a renamed file is one.
        try
        {
            File.Delete(_tempPath);
        }
        catch (IOException)
        {
        }
    }
}
